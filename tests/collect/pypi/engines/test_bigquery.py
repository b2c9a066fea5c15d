"""devstats.collect.pypi.engines.bigquery: the real google-cloud-bigquery client and google-auth against a
loopback fake BigQuery (tests/fakes/bigquery.py) that counts constructed download rows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from devstats.collect.pypi.engines import bigquery as bigquery_module
from devstats.collect.pypi.engines.base import MIRROR_INSTALLERS, HistorySource, OverLimit
from devstats.collect.pypi.engines.bigquery import SOURCE, BigQuerySource
from devstats.model.downloads import HISTORY_STARTS
from devstats.model.errors import AuthenticationError, UpstreamError, UsageError
from tests.conftest import _real_connect
from tests.fakes.bigquery import (
    Download,
    FakeBigQuery,
    days,
    point_google_libraries_at,
)
from tests.fakes.loopback import LoopbackServer, serve
from tests.fakes.paths import ROOT

PACKAGE = "Pytorch_Optimizer"  # any spelling; BigQuery's file.project holds the PEP 503 name
NORMALIZED = "pytorch-optimizer"
ANOTHER = "torchvision"


@dataclass(frozen=True)
class Kind:
    """Downloads of one kind, `per_day` of them on every day with downloads."""

    installer: str | None
    python: str | None
    per_day: int
    without_mirrors: bool  # counted by pypistats.org's rules without mirrors
    with_mirrors: bool


KINDS = {
    "pip": Kind("pip", "3.10.4", 40, True, True),
    "no python reported": Kind("pip", None, 2, True, True),
    "pypy version": Kind("pip", "3.9.16 (pypy 7.3)", 7, True, True),
    # SQL: NULL NOT IN (...) is not true, so an unknown installer drops out without mirrors.
    "no installer reported": Kind(None, "3.11.0", 3, False, True),
    "bandersnatch": Kind("bandersnatch", None, 5, False, True),
    "devpi": Kind("devpi", "3.9.1", 1, False, True),
    "Artifactory": Kind("Artifactory", "3.8.0", 8, False, True),
    # Not version-like: pypistats.org leaves these out in both modes.
    "python as a word": Kind("pip", "Python 3", 4, False, False),
    "major version only": Kind("uv", "3", 6, False, False),
}
WITHOUT_MIRRORS_A_DAY = sum(k.per_day for k in KINDS.values() if k.without_mirrors)
WITH_MIRRORS_A_DAY = sum(k.per_day for k in KINDS.values() if k.with_mirrors)
# February 2022 has no downloads at all; the days on either side of January..April test the
# edges of the half-open ranges.
DOWNLOAD_DAYS = [
    date(2021, 12, 31),
    *days(date(2022, 1, 1), date(2022, 1, 31)),
    *days(date(2022, 3, 1), date(2022, 4, 30)),
    date(2022, 5, 1),
]


def constructed_downloads(kinds: list[Kind], on: list[date]) -> list[Download]:
    rows = [
        Download(day, NORMALIZED, k.installer, k.python, k.per_day) for day in on for k in kinds
    ]
    # Another project's downloads on the same days must never be counted.
    rows += [Download(day, ANOTHER, "pip", "3.10.4", 1000) for day in on]
    return rows


@dataclass
class World:
    fake: FakeBigQuery
    server: LoopbackServer
    folder: Path


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    fake = FakeBigQuery(constructed_downloads(list(KINDS.values()), DOWNLOAD_DAYS))
    with serve(fake.handle) as server:
        point_google_libraries_at(fake, server.url, tmp_path, monkeypatch)
        yield World(fake, server, tmp_path)


def month_days(month: date) -> int:
    return sum(1 for day in DOWNLOAD_DAYS if day.replace(day=1) == month)


def test_is_a_history_source() -> None:
    source: HistorySource = BigQuerySource("devstats-billing")
    assert source.name == "bigquery"
    assert BigQuerySource.label == SOURCE


@pytest.mark.parametrize("mirrors", [False, True], ids=["without-mirrors", "with-mirrors"])
def test_monthly_counts_every_month_asked_for_including_an_empty_one(
    world: World, mirrors: bool
) -> None:
    per_day = WITH_MIRRORS_A_DAY if mirrors else WITHOUT_MIRRORS_A_DAY
    months = [date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1), date(2022, 4, 1)]

    history = BigQuerySource().monthly(
        PACKAGE, date(2022, 1, 20), date(2022, 4, 3), mirrors=mirrors
    )

    assert history.package == NORMALIZED
    assert history.source == SOURCE == "BigQuery (bigquery-public-data.pypi.file_downloads)"
    assert history.mirrors is mirrors
    assert dict(history.months) == {month: month_days(month) * per_day for month in months}
    assert history.months[date(2022, 2, 1)] == 0
    # January 1 .. April 30: 120 days scanned, billed as BigQuery rounds.
    assert history.bytes_billed == world.fake.billed_for(120)


def test_monthly_sends_one_dry_run_then_one_parameterised_job(world: World) -> None:
    source = BigQuerySource(max_bytes_billed=7 * 10**9)
    source.monthly(PACKAGE, date(2022, 1, 1), date(2022, 4, 30), mirrors=False)

    dry_run, job = world.fake.queries
    assert (dry_run.dry_run, job.dry_run) == (True, False)
    assert dry_run.sql == job.sql and dry_run.parameters == job.parameters
    assert job.shape == "monthly" and job.project == "devstats-billing"
    assert job.maximum_bytes_billed == 7 * 10**9
    assert job.parameters == {
        "project": NORMALIZED,
        "start": datetime(2022, 1, 1, tzinfo=UTC),
        "end": datetime(2022, 5, 1, tzinfo=UTC),
        "mirrors": list(MIRROR_INSTALLERS),
    }
    assert NORMALIZED not in job.sql and PACKAGE not in job.sql
    assert "timestamp >= @start AND timestamp < @end" in job.sql


def test_total_counts_from_the_start_of_the_table_through_the_day(world: World) -> None:
    through = date(2022, 4, 15)

    history = BigQuerySource().total(PACKAGE, through, mirrors=False)

    counted_days = sum(1 for day in DOWNLOAD_DAYS if day <= through)
    assert history.downloads == counted_days * WITHOUT_MIRRORS_A_DAY
    assert (history.package, history.through, history.mirrors) == (NORMALIZED, through, False)
    assert history.source == SOURCE
    job = world.fake.queries[-1]
    assert job.shape == "total"
    assert job.parameters["start"] == datetime.combine(HISTORY_STARTS, datetime.min.time(), UTC)
    assert job.parameters["end"] == datetime(2022, 4, 16, tzinfo=UTC)
    assert history.bytes_billed == world.fake.billed_for((date(2022, 4, 16) - HISTORY_STARTS).days)


def test_total_with_mirrors_counts_mirrors_and_unknown_installers(world: World) -> None:
    history = BigQuerySource().total(PACKAGE, date(2022, 12, 31), mirrors=True)

    assert history.downloads == len(DOWNLOAD_DAYS) * WITH_MIRRORS_A_DAY
    assert "mirrors" not in world.fake.queries[-1].parameters


@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
def test_each_kind_of_download_counts_as_pypistats_org_counts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    january = days(date(2022, 1, 1), date(2022, 1, 31))
    fake = FakeBigQuery(constructed_downloads([KINDS[kind]], january))
    with serve(fake.handle) as server:
        point_google_libraries_at(fake, server.url, tmp_path, monkeypatch)
        source = BigQuerySource()
        without = source.monthly(PACKAGE, date(2022, 1, 1), date(2022, 1, 31), mirrors=False)
        with_ = source.monthly(PACKAGE, date(2022, 1, 1), date(2022, 1, 31), mirrors=True)

    month = date(2022, 1, 1)
    assert without.months[month] == 31 * KINDS[kind].per_day * KINDS[kind].without_mirrors
    assert with_.months[month] == 31 * KINDS[kind].per_day * KINDS[kind].with_mirrors


def test_an_estimate_over_the_limit_is_refused_before_any_job_runs(world: World) -> None:
    limit = 100 * 10**6
    estimate = 120 * world.fake.estimate_per_day  # January .. April

    with pytest.raises(OverLimit) as caught:
        BigQuerySource(max_bytes_billed=limit).monthly(
            PACKAGE, date(2022, 1, 1), date(2022, 4, 30), mirrors=False
        )

    # The plan reads these to ask elsewhere or say why the figures are unknown.
    assert (caught.value.estimate, caught.value.limit) == (estimate, limit)
    message = str(caught.value)
    assert "\n" not in message
    assert f"{estimate:,} bytes" in message and "480 MB" in message
    assert "limit of 100 MB" in message
    assert "--bigquery-max-bytes" in message and "bigquery_max_bytes" in message
    assert [query.dry_run for query in world.fake.queries] == [True]


@pytest.mark.parametrize("where", ["job status", "query results", "insert"])
def test_a_job_bigquery_refuses_over_the_limit_is_a_usage_error(world: World, where: str) -> None:
    # The estimate is no promise: here the job scans more than the dry run said.
    world.fake.estimate_per_day = 1 * 10**6
    world.fake.scanned_per_day = 3 * 10**6
    # The refusal reaches the client as the job's errorResult (jobs.get), as a 400 from
    # jobs.getQueryResults while it waits, or as a 400 from jobs.insert.
    world.fake.over_limit = "insert" if where == "insert" else "job"
    world.fake.polls_before_done = 1 if where == "query results" else 0
    source = BigQuerySource(max_bytes_billed=200 * 10**6)

    with pytest.raises(OverLimit) as caught:
        source.monthly(PACKAGE, date(2022, 1, 1), date(2022, 4, 30), mirrors=False)

    assert (caught.value.estimate, caught.value.limit) == (None, 200 * 10**6)
    message = str(caught.value)
    assert "\n" not in message and "http" not in message
    required = world.fake.billed_for(120)
    assert message.startswith(
        "BigQuery refused to count pytorch-optimizer's monthly downloads: it would bill more "
        f"than the limit of 200 MB (Query exceeded limit for bytes billed: 200000000. "
        f"{required} or higher required.)"
    )
    assert "--bigquery-max-bytes" in message
    assert caught.value.exit_code == 2


def test_an_exhausted_quota_is_an_upstream_error(world: World) -> None:
    world.fake.quota_exceeded = True

    with pytest.raises(UpstreamError) as caught:
        BigQuerySource().total(PACKAGE, date(2022, 4, 30), mirrors=False)

    message = str(caught.value)
    assert "\n" not in message and caught.value.exit_code == 5
    assert "quota" in message.lower() and "devstats-billing" in message


def test_an_account_without_permission_to_run_jobs_is_an_authentication_error(
    world: World,
) -> None:
    world.fake.jobs_denied = True

    with pytest.raises(AuthenticationError) as caught:
        BigQuerySource().total(PACKAGE, date(2022, 4, 30), mirrors=False)

    message = str(caught.value)
    assert "\n" not in message and caught.value.exit_code == 4
    assert "bigquery.jobs.create" in message and "BigQuery Job User" in message


def test_no_credentials_anywhere_is_an_authentication_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")

    with pytest.raises(AuthenticationError) as caught:
        BigQuerySource("devstats-billing").total(PACKAGE, date(2022, 4, 30), mirrors=False)

    message = str(caught.value)
    assert "\n" not in message and caught.value.exit_code == 4
    assert "gcloud auth application-default login" in message
    assert "GOOGLE_APPLICATION_CREDENTIALS" in message
    assert world.server.requests == []


def test_a_missing_key_file_is_an_authentication_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(world.folder / "missing.json"))

    with pytest.raises(AuthenticationError) as caught:
        BigQuerySource().total(PACKAGE, date(2022, 4, 30), mirrors=False)

    assert "\n" not in str(caught.value)
    assert "missing.json" in str(caught.value)


def test_a_key_the_token_endpoint_rejects_is_an_authentication_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeBigQuery(constructed_downloads(list(KINDS.values()), DOWNLOAD_DAYS))
    with serve(fake.handle) as server:
        point_google_libraries_at(fake, server.url, tmp_path, monkeypatch, trusted=False)
        with pytest.raises(AuthenticationError) as caught:
            BigQuerySource().total(PACKAGE, date(2022, 4, 30), mirrors=False)

    assert "\n" not in str(caught.value)
    assert "invalid_grant" in str(caught.value)
    assert fake.queries == []


def test_an_unreachable_bigquery_is_an_upstream_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeBigQuery([])
    with serve(fake.handle) as server:
        point_google_libraries_at(fake, server.url, tmp_path, monkeypatch)
    monkeypatch.setattr(bigquery_module, "RETRY_DEADLINE", 0.5)

    with pytest.raises(UpstreamError) as caught:
        BigQuerySource().total(PACKAGE, date(2022, 4, 30), mirrors=False)

    message = str(caught.value)
    assert "\n" not in message and caught.value.exit_code == 5
    assert message.startswith("could not reach BigQuery within 0.5 s: ")


def test_a_job_that_does_not_finish_in_time_is_an_upstream_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.fake.polls_before_done = 10**9
    monkeypatch.setattr(bigquery_module, "JOB_TIMEOUT", 0.3)

    with pytest.raises(UpstreamError) as caught:
        BigQuerySource().total(PACKAGE, date(2022, 4, 30), mirrors=False)

    message = str(caught.value)
    assert message == (
        "BigQuery did not finish counting pytorch-optimizer's all-time downloads within 0.3 s"
    )


def test_no_project_to_bill_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeBigQuery([])
    with serve(fake.handle) as server:
        point_google_libraries_at(fake, server.url, tmp_path, monkeypatch, project_id=None)
        with pytest.raises(UsageError) as caught:
            BigQuerySource().monthly(PACKAGE, date(2022, 1, 1), date(2022, 1, 31), mirrors=False)

    message = str(caught.value)
    assert "\n" not in message and caught.value.exit_code == 2
    assert "--bigquery-project" in message and "GOOGLE_CLOUD_PROJECT" in message


@pytest.mark.parametrize(
    ("argument", "environment", "billed"),
    [
        ("from-argument", "from-environment", "from-argument"),
        (None, "from-environment", "from-environment"),
        (None, None, "devstats-billing"),  # the service account's own project
    ],
)
def test_the_billed_project_is_the_argument_then_the_environment_then_the_credentials(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    argument: str | None,
    environment: str | None,
    billed: str,
) -> None:
    if environment:
        monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", environment)

    BigQuerySource(argument).monthly(PACKAGE, date(2022, 1, 1), date(2022, 1, 31), mirrors=True)

    assert {query.project for query in world.fake.queries} == {billed}


def test_months_in_the_wrong_order_are_a_usage_error() -> None:
    with pytest.raises(UsageError):
        BigQuerySource("p").monthly(PACKAGE, date(2022, 4, 1), date(2022, 1, 1), mirrors=False)


def test_without_the_extra_the_source_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "google.cloud.bigquery", None)

    with pytest.raises(UsageError) as caught:
        BigQuerySource("p").total(PACKAGE, date(2022, 4, 30), mirrors=False)

    assert "install devstats-year[bigquery]" in str(caught.value)


def test_importing_the_module_does_not_import_google() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, devstats.collect.pypi.engines.bigquery; "
            "print(sorted(m for m in sys.modules if m == 'google' or m.startswith('google.')))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


LIVE_PROJECT = os.environ.get("DEVSTATS_LIVE_BIGQUERY_PROJECT")


@pytest.mark.skipif(
    not LIVE_PROJECT, reason="set DEVSTATS_LIVE_BIGQUERY_PROJECT to query the real BigQuery"
)
def test_live_one_month_of_a_small_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Against the real BigQuery, billed to DEVSTATS_LIVE_BIGQUERY_PROJECT with the caller's
    Application Default Credentials. One month of one package: well under 10 GB billed."""
    monkeypatch.setattr(socket.socket, "connect", _real_connect)
    monkeypatch.delenv("BIGQUERY_EMULATOR_HOST", raising=False)
    source = BigQuerySource(LIVE_PROJECT, max_bytes_billed=10 * 10**9)

    history = source.monthly(
        "pytorch_optimizer", date(2022, 11, 1), date(2022, 11, 30), mirrors=False
    )

    # The package's published 2022 review states about 2.1k downloads a month.
    assert 500 < history.months[date(2022, 11, 1)] < 20_000
    assert history.bytes_billed is not None and history.bytes_billed > 0
