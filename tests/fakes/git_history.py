"""The real git history of kozistr (tests/data/git-history, see its README) as Commits."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from devstats.model.facts import Commit, Identity
from tests.fakes.paths import DATA

HISTORY = DATA / "git-history"


def history_lines(year: int) -> list[dict[str, Any]]:
    """Every recorded commit of the year as its raw JSON object, files in name order."""
    lines: list[dict[str, Any]] = []
    for path in sorted((HISTORY / f"kozistr-{year}").glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines.extend(json.loads(line) for line in handle if line.strip())
    return lines


def _identity(person: dict[str, str]) -> Identity:
    return Identity(name=person["name"], email=person["email"], login=None)  # git knows no logins


def history_commit(line: dict[str, Any]) -> Commit:
    return Commit(
        sha=line["sha"],
        repository=line["repo"],
        author=_identity(line["author"]),
        committer=_identity(line["committer"]),
        authored_at=datetime.fromisoformat(line["author"]["date"]),
        committed_at=datetime.fromisoformat(line["committer"]["date"]),
        message=line["message"],
    )
