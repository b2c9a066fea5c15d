"""The zone a report's days and hours are in: the one asked for, else the one the user's own
commits were written in (the demo's author writes in Seoul, +09:00), said on stderr and in the
JSON; `--timezone` still wins."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devstats.model.local_time import ZONE_GIVEN, ZONE_INFERRED, LocalZone
from devstats.run.kept import _another_local_day
from tests.fakes.process import run
from tests.fakes.report_factory import replace, sample_report

OFFLINE = ["2022", "--user", "kozistr", "--offline", "--format", "json"]


def report_of(tmp_path: Path, *args: str) -> tuple[dict[str, Any], str]:
    done = run([*OFFLINE, *args], token=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(done.stdout)
    return document, done.stderr


def busiest_hour(report: dict[str, Any]) -> int:
    by_hour: list[int] = report["highlights"]["rhythm"]["by_hour"]
    return by_hour.index(max(by_hour))


def test_without_a_zone_the_authors_own_is_inferred_and_said(tmp_path: Path) -> None:
    report, stderr = report_of(tmp_path)
    zone = report["time_zone"]
    # Weighed: the commits of the year that are not automated (the daily Action writes UTC).
    assert zone["commits"] == report["commits"]["human"] == 946
    assert (report["timezone"], zone["name"], zone["decided_by"]) == (
        "Asia/Seoul",
        "Asia/Seoul",
        ZONE_INFERRED,
    )
    assert zone["matched"] == 944  # two were written with +00:00
    assert (
        "devstats: days and hours in Asia/Seoul, the time zone of 944 of 946 commits of the year"
        in stderr
    )
    # The hours are Seoul's: the same as when the zone is given.
    given, stderr_given = report_of(tmp_path, "--timezone", "Asia/Seoul")
    assert given["time_zone"] == {
        "name": "Asia/Seoul",
        "decided_by": ZONE_GIVEN,
        "commits": 0,
        "matched": 0,
    }
    assert "days and hours in" not in stderr_given
    assert busiest_hour(report) == busiest_hour(given) == 15


def test_timezone_utc_gives_utc(tmp_path: Path) -> None:
    report, _ = report_of(tmp_path, "--timezone", "UTC")
    assert report["time_zone"]["decided_by"] == ZONE_GIVEN and report["timezone"] == "UTC"
    assert busiest_hour(report) == 15 - 9  # the same commits, nine hours earlier


def test_a_kept_report_is_not_taken_on_another_day_of_its_inferred_zone() -> None:
    made = datetime(2022, 12, 15, 9, 0, tzinfo=UTC)  # 18:00 in Seoul
    report = replace(
        sample_report(),
        generated_at=made,
        time_zone=LocalZone("Asia/Seoul", ZONE_INFERRED, commits=50, matched=50),
    )
    assert not _another_local_day(report, datetime(2022, 12, 15, 14, 59, tzinfo=UTC))
    # 15:00 UTC is midnight in Seoul: the last day counted has moved on, UTC's has not.
    assert _another_local_day(report, datetime(2022, 12, 15, 15, 0, tzinfo=UTC))
    in_utc = replace(report, time_zone=LocalZone("UTC", ZONE_GIVEN))
    assert not _another_local_day(in_utc, datetime(2022, 12, 15, 15, 0, tzinfo=UTC))
