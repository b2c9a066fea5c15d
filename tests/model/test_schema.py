"""The shipped JSON Schema is generated from the report model, and agrees with it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import jsonschema
import pytest

from devstats.model.report import SCHEMA_VERSION, json_schema, to_json
from tests.fakes.paths import ROOT
from tests.fakes.report_factory import previous_report, replace, sample_report
from tests.fakes.schema_file import load_schema


def test_the_checked_in_schema_is_the_one_the_model_generates() -> None:
    assert load_schema() == json_schema()
    done = subprocess.run(
        [sys.executable, "scripts/generate_schema.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_check_fails_when_the_file_and_the_model_disagree(tmp_path: Path) -> None:
    # A copy of the script beside a stale schema: --check must notice.
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    (root / "devstats" / "schema").mkdir(parents=True)
    script = (ROOT / "scripts" / "generate_schema.py").read_text(encoding="utf-8")
    (root / "scripts" / "generate_schema.py").write_text(script, encoding="utf-8")
    (root / "devstats" / "schema" / "report.schema.json").write_text("{}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(root / "scripts" / "generate_schema.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1
    assert "out of date" in done.stdout


@pytest.mark.parametrize("with_previous", [False, True])
def test_reports_validate_and_previous_appears_only_with_compare(with_previous: bool) -> None:
    report = sample_report(previous=previous_report() if with_previous else None)
    document = json.loads(to_json(report))
    jsonschema.validate(document, load_schema())
    assert next(iter(document)) == "schema_version"
    assert document["schema_version"] == SCHEMA_VERSION
    assert ("previous" in document) is with_previous
    assert document["generated_at"] == "2023-01-02T09:00:00Z"
    assert document["calendar"][0] == {"date": "2022-01-01", "count": 1, "automated": 1}


def test_a_wrong_type_is_refused_by_the_schema() -> None:
    document = json.loads(to_json(sample_report()))
    document["contributions"]["total"] = "many"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, load_schema())


def test_the_report_is_frozen() -> None:
    report = sample_report()
    with pytest.raises(AttributeError):
        report.year = 2023  # type: ignore[misc]
    assert replace(report, year=2021).year == 2021
    assert replace(report, generated_at=datetime(2023, 1, 1, tzinfo=UTC)).calendar[0].day == (
        date(2022, 1, 1)
    )
