"""The fake BigQuery refuses what the real one would refuse or bill heavily, and pages like it.

Driven by the real google-cloud-bigquery client, as devstats.collect.pypi.engines.bigquery drives it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.bigquery import (
    FULL_SCAN_BYTES,
    PUBLIC_TABLE_COLUMNS,
    TABLE,
    Download,
    FakeBigQuery,
    days,
    point_google_libraries_at,
)
from tests.fakes.loopback import serve

bigquery = pytest.importorskip("google.cloud.bigquery")
api_exceptions = pytest.importorskip("google.api_core.exceptions")

PROJECT = "pytorch-optimizer"
JANUARY_TO_MARCH = days(date(2022, 1, 1), date(2022, 3, 31))


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBigQuery]:
    fake = FakeBigQuery([Download(day, PROJECT, "pip", "3.11.1", 2) for day in JANUARY_TO_MARCH])
    with serve(fake.handle) as server:
        point_google_libraries_at(fake, server.url, tmp_path, monkeypatch)
        yield fake


def run(sql: str, *parameters: Any, dry_run: bool = False) -> Any:
    client = bigquery.Client()
    config = bigquery.QueryJobConfig(dry_run=dry_run, query_parameters=list(parameters))
    return client.query(sql, job_config=config)


def project(value: str = PROJECT) -> Any:
    return bigquery.ScalarQueryParameter("project", "STRING", value)


def moment(name: str, day: date) -> Any:
    return bigquery.ScalarQueryParameter(
        name, "TIMESTAMP", datetime(day.year, day.month, day.day, tzinfo=UTC)
    )


MONTHLY = f"""SELECT DATE_TRUNC(DATE(timestamp), MONTH) AS month, COUNT(*) AS downloads
FROM `{TABLE}`
WHERE timestamp >= @start AND timestamp < @end AND project = @project
GROUP BY month
ORDER BY month"""


def test_pages_rows_through_get_query_results(fake: FakeBigQuery) -> None:
    job = run(
        MONTHLY, project(), moment("start", date(2022, 1, 1)), moment("end", date(2022, 4, 1))
    )

    rows = [(row["month"], row["downloads"]) for row in job.result(page_size=1)]

    assert rows == [(date(2022, 1, 1), 62), (date(2022, 2, 1), 56), (date(2022, 3, 1), 62)]
    assert job.total_bytes_billed == fake.billed_for(90)


def test_a_query_without_a_time_range_is_estimated_as_a_full_scan(fake: FakeBigQuery) -> None:
    job = run(
        f"SELECT COUNT(*) AS downloads FROM `{TABLE}` WHERE project = @project",
        project(),
        dry_run=True,
    )

    assert job.total_bytes_processed == FULL_SCAN_BYTES
    assert fake.queries[-1].days is None


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        (
            f"SELECT COUNT(*) AS downloads FROM `{TABLE}` WHERE project = '{PROJECT}'",
            "spells out a parameter's value",
        ),
        (
            f"SELECT COUNT(*) AS downloads FROM `{TABLE}` WHERE project = @project "
            "AND country_code = 'NZ'",
            "does not understand the condition",
        ),
        (
            f"SELECT COUNT(*) AS downloads FROM `{TABLE}` WHERE project = @package",
            "Query parameter 'package' not found",
        ),
    ],
    ids=["literal-name", "unknown-condition", "unknown-parameter"],
)
def test_refuses_statements_it_does_not_serve(fake: FakeBigQuery, sql: str, says: str) -> None:
    with pytest.raises(api_exceptions.BadRequest, match=says):
        run(sql, project(), dry_run=True)
    assert fake.queries == []


def test_knows_only_the_download_table(fake: FakeBigQuery) -> None:
    with pytest.raises(api_exceptions.NotFound, match=r"Not found: Table other\.pypi\.table"):
        run("SELECT COUNT(*) AS downloads FROM `other.pypi.table`", dry_run=True)


@pytest.mark.parametrize("authorization", [None, "Bearer ya29.never-issued"])
def test_requires_an_access_token_it_issued(fake: FakeBigQuery, authorization: str | None) -> None:
    headers = {"authorization": authorization} if authorization else {}
    request = httpx.Request(
        "POST",
        "http://127.0.0.1/bigquery/v2/projects/devstats-billing/jobs",
        headers=headers,
        json={"configuration": {"dryRun": True, "query": {"query": MONTHLY}}},
    )

    response = fake.handle(request)

    assert response is not None and response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"


def test_a_dry_run_costs_whole_partitions_of_the_columns_read(fake: FakeBigQuery) -> None:
    fake.column_bytes_per_day = dict(PUBLIC_TABLE_COLUMNS)
    mirrors = bigquery.ArrayQueryParameter("mirrors", "STRING", ["bandersnatch"])
    python = r"(REGEXP_CONTAINS(details.python, r'^[0-9]\.[0-9]+.{0,}$') OR details.python IS NULL)"
    without_mirrors = MONTHLY.replace(
        "GROUP BY", f"AND {python} AND details.installer.name NOT IN UNNEST(@mirrors)\nGROUP BY"
    )

    def estimate(sql: str, name: str, first: date, end: date, *extra: Any) -> int:
        job = run(
            sql, project(name), moment("start", first), moment("end", end), *extra, dry_run=True
        )
        return int(job.total_bytes_processed)

    a_day = PUBLIC_TABLE_COLUMNS["timestamp"] + PUBLIC_TABLE_COLUMNS["project"]
    # Partitioned by day: the days in the range, and nothing else, decide the bytes.
    assert estimate(MONTHLY, PROJECT, date(2022, 1, 1), date(2022, 2, 1)) == 31 * a_day
    assert estimate(MONTHLY, PROJECT, date(2021, 1, 1), date(2022, 1, 1)) == 365 * a_day
    # Clustered by project, which a dry run cannot prune: a package with no rows costs the same.
    assert estimate(MONTHLY, "never-downloaded", date(2022, 1, 1), date(2022, 2, 1)) == 31 * a_day
    # Each column read adds its own bytes: pypistats.org's rules read two more.
    all_four = sum(PUBLIC_TABLE_COLUMNS.values())
    assert estimate(without_mirrors, PROJECT, date(2022, 1, 1), date(2022, 2, 1), mirrors) == (
        31 * all_four
    )
    assert fake.queries[-1].columns == set(PUBLIC_TABLE_COLUMNS)
    # The whole history of one package, as devstats once asked it, is about 148 GB.
    days_since_2016 = (date(2022, 12, 1) - date(2016, 1, 1)).days
    history = estimate(without_mirrors, PROJECT, date(2016, 1, 1), date(2022, 12, 1), mirrors)
    assert history == days_since_2016 * all_four and round(history / 10**9) == 148
