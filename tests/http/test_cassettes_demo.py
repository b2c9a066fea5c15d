"""The bundled demo cassettes: every GraphQL document in them is valid against GitHub's schema,
they hold no secrets, and they are exactly what scripts/build_cassettes.py produces."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from graphql import parse, validate

from tests.fakes.github_world import github_schema
from tests.fakes.paths import ROOT

CASSETTES = ROOT / "cassettes"


def exchanges() -> list[dict]:  # type: ignore[type-arg]
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(CASSETTES.glob("*.json"))
        if p.name != "cassette.json"
    ]


def test_every_recorded_graphql_document_validates_against_the_schema() -> None:
    documents = [
        e["request"]["body"]["query"]
        for e in exchanges()
        if e["request"]["url"].endswith("/graphql")
    ]
    assert len(documents) >= 10
    schema = github_schema()
    for document in documents:
        assert validate(schema, parse(document)) == [], document[:200]


def test_cassettes_hold_no_secrets() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in CASSETTES.glob("*.json"))
    assert not re.search(r"gh[pousr]_[A-Za-z0-9]{20,}", text)
    assert "authorization" not in text.lower()
    assert "set-cookie" not in text.lower()


def test_build_script_reproduces_the_bundled_cassettes(tmp_path: Path) -> None:
    (tmp_path / "devstats.toml").write_text((CASSETTES / "devstats.toml").read_text())
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_cassettes.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    bundled = {p.name: p.read_text() for p in CASSETTES.glob("*.json")}
    rebuilt = {p.name: p.read_text() for p in tmp_path.glob("*.json")}
    assert rebuilt == bundled
