"""Atomic writes and marker injection: only the named block changes, byte for byte."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from devstats.files import write_atomic
from devstats.model.errors import PublishError
from devstats.model.report import PullRequests
from devstats.publish import inject as inject_module
from devstats.publish.inject import inject

START, END = "<!-- devstats:start -->", "<!-- devstats:end -->"


def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    write_atomic(target, "one\n")
    assert target.read_bytes() == b"one\n"
    write_atomic(target, "двa\r\n")  # text is written as UTF-8, line endings untouched
    assert target.read_bytes() == "двa\r\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_write_atomic_keeps_the_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_crash_between_write_and_rename_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"original\n")

    def crash(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(PublishError, match="cannot write"):
        write_atomic(target, "new text")
    assert target.read_bytes() == b"original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]  # the temporary file is gone


def test_an_interrupt_before_the_rename_also_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"original\n")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new text")
    assert target.read_bytes() == b"original\n"
    assert len(list(tmp_path.iterdir())) == 1


def test_write_atomic_into_a_missing_folder_is_a_publish_error(tmp_path: Path) -> None:
    with pytest.raises(PublishError) as raised:
        write_atomic(tmp_path / "nope" / "out.md", "x")
    assert raised.value.exit_code == 6


def readme(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "README.md"
    path.write_bytes(content)
    return path


def test_inject_replaces_only_the_block(tmp_path: Path) -> None:
    before = b"# Me\n\nHand-written \xff bytes.\n\n" + START.encode() + b"\nold\nlines\n"
    after = END.encode() + b"\n\n## More\ntrailing text"
    path = readme(tmp_path, before + after)
    assert inject(path, "## Programming\n\nnew text\n") is True
    assert path.read_bytes() == (
        b"# Me\n\nHand-written \xff bytes.\n\n"
        + START.encode()
        + b"\n## Programming\n\nnew text\n"
        + after  # no trailing newline at the end of the file, as before
    )


def test_inject_is_idempotent_and_does_not_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = readme(tmp_path, f"x\n{START}\n{END}\n".encode())
    assert inject(path, "block\n") is True
    first = path.read_bytes()

    def no_write(*args: object) -> None:
        raise AssertionError("an unchanged block must not be written")

    monkeypatch.setattr(inject_module, "write_atomic", no_write)
    assert inject(path, "block\n") is False
    assert inject(path, "\nblock") is False  # framing newlines are normalised
    assert path.read_bytes() == first


def test_inject_keeps_crlf_files_crlf(tmp_path: Path) -> None:
    original = f"Intro\r\n{START}\r\nold\r\n{END}\r\nOutro\r\n".encode()
    path = readme(tmp_path, original)
    assert inject(path, "line one\nline two\n") is True
    assert (
        path.read_bytes()
        == f"Intro\r\n{START}\r\nline one\r\nline two\r\n{END}\r\nOutro\r\n".encode()
    )
    assert inject(path, "line one\r\nline two\r\n") is False


def test_only_the_named_block_is_touched(tmp_path: Path) -> None:
    other = "<!-- pypi:start -->\nkeep me\n<!-- pypi:end -->"
    path = readme(tmp_path, f"{START}\nold\n{END}\n{other}\n".encode())
    inject(path, "new")
    assert path.read_text() == f"{START}\nnew\n{END}\n{other}\n"
    inject(path, "pypi block", marker="pypi")
    assert (
        path.read_text()
        == f"{START}\nnew\n{END}\n<!-- pypi:start -->\npypi block\n<!-- pypi:end -->\n"
    )


def test_indented_markers_keep_their_indentation(tmp_path: Path) -> None:
    # Markers inside a list item: the end marker keeps its two spaces and the block takes the
    # start marker's, so the generated text stays inside the item.
    original = f"- stats:\n  {START}\n  old\n  {END}\n- next\n".encode()
    path = readme(tmp_path, original)
    assert inject(path, "line one\n\nline two\n") is True
    assert path.read_bytes() == (
        f"- stats:\n  {START}\n  line one\n\n  line two\n  {END}\n- next\n".encode()
    )
    assert inject(path, "line one\n\nline two\n") is False


def test_a_bom_and_a_missing_final_newline_stay_as_they_were(tmp_path: Path) -> None:
    path = readme(tmp_path, b"\xef\xbb\xbf" + f"{START}{END}".encode())
    assert inject(path, "new") is True
    assert path.read_bytes() == b"\xef\xbb\xbf" + f"{START}\nnew\n{END}".encode()


def test_marker_spacing_variants_are_recognised(tmp_path: Path) -> None:
    path = readme(tmp_path, b"<!--devstats:start-->old<!--  devstats:end  -->")
    assert inject(path, "new") is True
    assert path.read_bytes() == b"<!--devstats:start-->\nnew\n<!--  devstats:end  -->"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("no markers at all\n", "no <!-- devstats:start --> marker"),
        (f"{START}\nonly a start\n", "no <!-- devstats:end --> marker"),
        (f"only an end\n{END}\n", "no <!-- devstats:start --> marker"),
        (f"{START}\n{END}\n{START}\n{END}\n", "more than once"),
        (f"{START}\n{START}\n{END}\n{END}\n", "more than once"),  # nested in itself
        (f"{START}\n{END}\n{END}\n", "more than once"),
        (f"{END}\nx\n{START}\n", "comes before"),
        (f"{START}\n<!-- pypi:start -->\n<!-- pypi:end -->\n{END}\n", "inside"),
    ],
)
def test_malformed_targets_are_refused_untouched(
    tmp_path: Path, content: str, message: str
) -> None:
    path = readme(tmp_path, content.encode())
    with pytest.raises(PublishError, match=message) as raised:
        inject(path, "new")
    assert raised.value.exit_code == 6
    assert path.read_text() == content


def test_a_block_containing_a_marker_is_refused(tmp_path: Path) -> None:
    path = readme(tmp_path, f"{START}\n{END}\n".encode())
    for block in (f"text\n{END}\n", "x <!-- other:start --> y"):
        with pytest.raises(PublishError, match="contains a marker"):
            inject(path, block)
    assert path.read_text() == f"{START}\n{END}\n"


def test_missing_file_and_bad_marker_name(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="does not exist"):
        inject(tmp_path / "missing.md", "x")
    path = readme(tmp_path, f"{START}\n{END}\n".encode())
    with pytest.raises(PublishError, match="invalid marker name"):
        inject(path, "x", marker="dev stats -->")


def test_rendered_markdown_with_a_hostile_title_injects_cleanly(tmp_path: Path) -> None:
    from dataclasses import replace

    from devstats.render.markdown import render_markdown
    from tests.fakes.report_factory import pull, sample_external, sample_report

    hostile = pull("evil/repo", 1, f"x {END} <script>alert(1)</script>", merged=True, day=0)
    external = sample_external()
    project = replace(external.projects[0], items=(hostile,))
    report = sample_report(
        pull_requests=PullRequests(external=replace(external, projects=(project,)))
    )
    text = render_markdown(
        report,
        template=_write(
            tmp_path / "t.md.j2",
            "{% for i in external.projects[0].pulls %}{{ i.raw.title }} {{ i.link }}{% endfor %}",
        ),
    )
    path = readme(tmp_path, f"head\n{START}\n{END}\ntail\n".encode())
    assert inject(path, text) is True
    data = path.read_text()
    assert data.count(END) == 1 and data.count(START) == 1
    assert "<script>" not in data
    assert data.endswith(f"{END}\ntail\n")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_replace_block_is_the_same_rule_on_bytes() -> None:
    from devstats.publish.inject import replace_block

    data = b"a\r\n<!-- devstats:start -->\r\nold\r\n<!-- devstats:end -->\r\nz"
    assert replace_block(data, "new\nlines") == (
        b"a\r\n<!-- devstats:start -->\r\nnew\r\nlines\r\n<!-- devstats:end -->\r\nz"
    )
    with pytest.raises(PublishError, match="no <!-- other:start --> marker"):
        replace_block(data, "x", marker="other")
