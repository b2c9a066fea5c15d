"""Publishing: the only step that writes what a run produced.

`outputs` checks every target before the first request and writes all of them or none;
`inject` replaces one marked block in a file's bytes; `remote` updates a file in another GitHub
repository (PyGithub, the `action` extra, imported only there).
"""
