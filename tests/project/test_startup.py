"""`devstats --help` loads only the command line: httpx, Jinja2 and the HTTP layer wait for a run.

The time it takes is measured in benchmarks/startup.py, not asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.fakes.paths import ROOT

DEFERRED = (
    "httpx",
    "jinja2",
    "sqlite3",
    "devstats.http.client",
    "devstats.http.cassettes",
    "devstats.model.report",
)
PROBE = """
import contextlib, io, json, sys
sys.argv = ["devstats", *sys.argv[1:]]
from devstats.cli import main
with contextlib.redirect_stdout(io.StringIO()) as shown:
    try:
        main()
    except SystemExit as done:
        code = done.code
print(json.dumps({"code": code, "shown": shown.getvalue(), "modules": sorted(sys.modules)}))
"""


def loaded_by(*argv: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_help_and_version_load_no_http_stack() -> None:
    for argv in (["--help"], ["--version"]):
        result = loaded_by(*argv)
        assert result["code"] == 0
        assert "devstats" in str(result["shown"])
        modules = set(result["modules"])  # type: ignore[call-overload]
        assert not modules & set(DEFERRED), sorted(modules & set(DEFERRED))
