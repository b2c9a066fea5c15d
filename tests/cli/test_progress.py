"""Progress on stderr: lines with --verbose, a rewritten status line on a terminal, else silence."""

from __future__ import annotations

import io

import pytest

from devstats.cli import _Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_verbose_prints_each_step(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    progress = _Progress(verbose=True)
    progress("collecting")
    progress("classifying")
    progress.done()
    assert err.getvalue() == "devstats: collecting\ndevstats: classifying\n"


def test_quiet_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    progress = _Progress(verbose=False)
    progress("collecting")
    progress.done()
    assert err.getvalue() == ""


def test_a_terminal_gets_one_status_line_cleared_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    progress = _Progress(verbose=False)
    progress("collecting a long step")
    progress("short")
    progress.done()
    text = err.getvalue()
    assert "\n" not in text
    assert text.startswith("\rcollecting a long step")
    assert text.endswith("\r")
    assert "\rshort" + " " * (len("collecting a long step") - len("short")) in text
