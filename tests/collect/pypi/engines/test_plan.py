"""devstats.collect.pypi.engines.plan with BigQuery: what is asked of an engine billed by the bytes
it scans, in what order, and what a query over the byte limit leaves.

The real google-cloud-bigquery client talks to the loopback fake (tests/fakes/bigquery.py), whose
dry runs estimate as the public table's partitions and clustering make BigQuery estimate
(PUBLIC_TABLE_COLUMNS: a package's whole history since 2016 is about 148 GB, one year about
21 GB). Every expected figure is summed here from the constructed days.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from devstats.classify.packages import package_report
from devstats.collect.pypi.engines.bigquery import SOURCE as BIGQUERY
from devstats.collect.pypi.engines.bigquery import BigQuerySource
from devstats.collect.pypi.engines.clickhouse import SOURCE as CLICKPY
from devstats.collect.pypi.engines.clickhouse import ClickHouseSource
from devstats.collect.pypi.engines.plan import collect_engine_history
from devstats.collect.pypi.package import collect_package
from devstats.http.client import HttpClient
from devstats.model.downloads import ENGINE, EngineHistory, OverBudget, Provenance, byte_size
from devstats.settings.endpoints import Endpoints
from devstats.store import DownloadHistory
from tests.fakes import mock_transport
from tests.fakes.bigquery import (
    PUBLIC_TABLE_COLUMNS,
    Download,
    FakeBigQuery,
    Query,
    point_google_libraries_at,
)
from tests.fakes.clickhouse import FakeClickHouse
from tests.fakes.loopback import LoopbackServer, serve
from tests.fakes.packages_world import FakePackage, PackagesWorld, normalize
from tests.fakes.process import live_env, run
from tests.fakes.world import DemoWorld

pytest.importorskip("google.cloud.bigquery")

TODAY = date(2022, 12, 15)  # the day live_env's DEVSTATS_NOW names
YESTERDAY = TODAY - timedelta(days=1)
DEFAULT_LIMIT = 50 * 10**9
A_DAY = sum(PUBLIC_TABLE_COLUMNS.values())  # every column a count without mirrors reads


def package(name: str, first_upload: date) -> FakePackage:
    """Downloads every day from the first upload to yesterday, and some by a mirror."""
    days = [first_upload + timedelta(n) for n in range((YESTERDAY - first_upload).days + 1)]
    daily = {day: 20 + day.toordinal() % 13 + 2 * (day.year - 2015) for day in days}
    mirrored = {day: 5 for day in days if day.day % 4 == 0}
    released = datetime.combine(first_upload, datetime.min.time(), tzinfo=UTC)
    releases = (
        ("0.1.0", released + timedelta(hours=9)),
        ("1.0.0", datetime(2022, 6, 1, tzinfo=UTC)),
    )
    return FakePackage(name, releases, daily, mirrored)


# First uploaded years before the report's year: its history is over the default limit.
OLD = package("Old_Timer", date(2016, 6, 3))
# First uploaded a year and a half before: its history fits.
MIDDLE = package("middle-aged", date(2020, 6, 20))
# First uploaded in the report's year.
FRESH = package("fresh.one", date(2022, 4, 20))
PACKAGES = [OLD, MIDDLE, FRESH]


def bigquery_rows(packages: list[FakePackage]) -> list[Download]:
    rows = []
    for each in packages:
        for day, count in each.daily.items():
            rows.append(Download(day, normalize(each.name), "pip", "3.10.4", count))
            if each.mirrored.get(day):
                rows.append(Download(day, normalize(each.name), "bandersnatch", None, 5))
    return rows


def months_of(each: FakePackage, year: int) -> dict[str, int]:
    months: dict[str, int] = {}
    for day, count in each.daily.items():
        if day.year == year and day < date(year, 12, 1):
            months[f"{day:%Y-%m}"] = months.get(f"{day:%Y-%m}", 0) + count
    return months


def asked(queries: list[Query], name: str) -> list[tuple[date, date]]:
    """The [start, end) days of the jobs run (not the dry runs) for `name`, in order."""
    return [
        (q.parameters["start"].date(), q.parameters["end"].date())
        for q in queries
        if not q.dry_run and q.parameters["project"] == normalize(name)
    ]


@pytest.fixture
def live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeBigQuery, LoopbackServer]]:
    """The fake BigQuery, PyPI, pypistats.org and GitHub (kozistr's 2022) behind one server."""
    fake = FakeBigQuery(bigquery_rows(PACKAGES), column_bytes_per_day=dict(PUBLIC_TABLE_COLUMNS))
    world = DemoWorld(pypi=PackagesWorld(PACKAGES, TODAY), clickhouse=FakeClickHouse(rows=[]))

    def handle(request: httpx.Request) -> httpx.Response | None:
        return fake.handle(request) or world.handle(request)

    with serve(handle) as server:
        point_google_libraries_at(fake, server.url, tmp_path, monkeypatch)
        yield fake, server


def test_a_year_at_the_default_limit_exits_0_with_each_total_exact_or_declared_unknown(
    live: tuple[FakeBigQuery, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = live
    names = [arg for each in PACKAGES for arg in ("--package", each.name)]
    bigquery = ["--downloads-source", "bigquery", "--bigquery-project", "devstats-billing"]
    done = run(
        ["2022", "--user", "kozistr", *names, "--format", "json", *bigquery],
        env=live_env(server, tmp_path),
    )

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    by_name = {p["name"]: p["downloads"] for p in report["packages"]}
    for each in PACKAGES:
        downloads = by_name[each.name]
        expected = months_of(each, 2022)
        assert downloads["monthly"] == expected, each.name
        before_upload = {m: "before-first-upload" for m in ("2022-01", "2022-02", "2022-03")}
        missing = {**(before_upload if each is FRESH else {}), "2022-12": "not-over"}
        assert downloads["missing_months"] == missing, each.name
    # Asked from its first upload, the middle one's total fits the limit: exact through yesterday.
    assert by_name[MIDDLE.name]["total"] == sum(MIDDLE.daily.values())
    assert by_name[FRESH.name]["total"] == sum(FRESH.daily.values())
    # The old one's history before the year would scan more than 50 GB: unknown, one notice.
    assert by_name[OLD.name]["total"] is None
    before = (date(2022, 1, 1) - date(2016, 6, 1)).days * A_DAY
    assert before > DEFAULT_LIMIT
    said = [n for n in report["notices"] if OLD.name in json.dumps(n["params"])]
    downloads_said = [n for n in said if n["code"].startswith("downloads-total")]
    assert downloads_said == []
    [over] = [n for n in said if n["code"] == "downloads-over-budget"]
    assert over["params"] == {
        "package": OLD.name,
        "estimate": byte_size(before),
        "first": "2016-06",
        "last": "2021-12",
        "limit": "50 GB",
    }
    assert over["audience"] == "operator"
    assert "--bigquery-max-bytes" in over["message"] and byte_size(before) in over["message"]
    # Each package: the year's months first, then the months from the first upload to the year.
    assert asked(fake.queries, OLD.name) == [(date(2022, 1, 1), date(2022, 12, 1))]
    assert asked(fake.queries, MIDDLE.name) == [
        (date(2022, 1, 1), date(2022, 12, 1)),
        (date(2020, 6, 1), date(2022, 1, 1)),
    ]
    assert asked(fake.queries, FRESH.name) == [(date(2022, 4, 1), date(2022, 12, 1))]


def sum_before(each: FakePackage, end: date) -> int:
    return sum(n for day, n in each.daily.items() if day < end)


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBigQuery]:
    """The fake BigQuery alone, for the plan asked in this process."""
    fake = FakeBigQuery(bigquery_rows(PACKAGES), column_bytes_per_day=dict(PUBLIC_TABLE_COLUMNS))
    with serve(fake.handle) as server:
        point_google_libraries_at(fake, server.url, tmp_path, monkeypatch)
        yield fake


def test_the_years_months_come_first_then_the_history_since_the_first_upload(
    fake: FakeBigQuery, tmp_path: Path
) -> None:
    engine = BigQuerySource("devstats-billing", max_bytes_billed=DEFAULT_LIMIT)
    with DownloadHistory(tmp_path / "store.sqlite3") as store:

        def history() -> EngineHistory:
            return collect_engine_history(
                engine,
                MIDDLE.name,
                year=2022,
                today=TODAY,
                mirrors=False,
                known_months=set(),
                fill_only=False,
                store=store,
                with_previous=True,  # --compare: the total at the year's start as well
                first_upload=date(2020, 6, 20),
            )

        first = history()
        # One query for the year's settled months, then one from the first upload's month.
        assert asked(fake.queries, MIDDLE.name) == [
            (date(2022, 1, 1), date(2022, 12, 1)),
            (date(2020, 6, 1), date(2022, 1, 1)),
        ]
        dry_runs = [q for q in fake.queries if q.dry_run]
        assert [fake.estimate(q) for q in dry_runs] == [334 * A_DAY, 579 * A_DAY]
        assert first.months == {
            date(2022, int(m[5:]), 1): n for m, n in months_of(MIDDLE, 2022).items()
        }
        assert first.previous_total is not None and first.total is not None
        assert first.previous_total.downloads == sum_before(MIDDLE, date(2022, 1, 1))
        assert first.previous_total.through == date(2021, 12, 31)
        assert first.total.downloads == sum_before(MIDDLE, date(2022, 12, 1))
        assert first.over_budget == ()
        # Kept in the store: a second run asks nothing and says the same.
        assert history() == EngineHistory(
            first.source, first.months, first.total, first.previous_total
        )
        assert len(asked(fake.queries, MIDDLE.name)) == 2


def test_a_package_first_uploaded_in_the_year_is_asked_from_that_month(
    fake: FakeBigQuery,
) -> None:
    limit = 250 * A_DAY  # April 20 to November is 244 days: fits; the whole year would not
    answer = collect_engine_history(
        BigQuerySource("devstats-billing", max_bytes_billed=limit),
        FRESH.name,
        year=2022,
        today=TODAY,
        mirrors=False,
        known_months=set(),
        fill_only=False,
        store=None,
        with_previous=True,
        first_upload=date(2022, 4, 20),
    )

    assert asked(fake.queries, FRESH.name) == [(date(2022, 4, 1), date(2022, 12, 1))]
    assert answer.total is not None and answer.previous_total is not None
    assert answer.total.downloads == sum(FRESH.daily.values()) - in_december(FRESH)
    assert answer.previous_total.downloads == 0
    assert sorted(answer.months) == [date(2022, m, 1) for m in range(4, 12)]


def in_december(each: FakePackage) -> int:
    """The package's downloads in December (after the year's last settled month)."""
    return sum(n for day, n in each.daily.items() if day >= date(2022, 12, 1))


def test_a_year_over_a_small_limit_leaves_its_figures_unknown_without_failing(
    fake: FakeBigQuery,
) -> None:
    limit = 100 * A_DAY  # less than a year, let alone the history
    answer = collect_engine_history(
        BigQuerySource("devstats-billing", max_bytes_billed=limit),
        OLD.name,
        year=2022,
        today=TODAY,
        mirrors=False,
        known_months=set(),
        fill_only=False,
        store=None,
        with_previous=False,
        first_upload=date(2016, 6, 3),
    )

    assert asked(fake.queries, OLD.name) == []  # dry runs only: nothing billed
    before = (date(2022, 1, 1) - date(2016, 6, 1)).days
    assert answer.months == {} and answer.total is None
    assert answer.over_budget == (
        OverBudget(date(2022, 1, 1), date(2022, 11, 1), 334 * A_DAY, limit),
        OverBudget(date(2016, 6, 1), date(2021, 12, 1), before * A_DAY, limit),
    )


def test_in_auto_the_history_over_the_limit_comes_from_clickpy(fake: FakeBigQuery) -> None:
    world = PackagesWorld(PACKAGES, TODAY)
    clickhouse = FakeClickHouse(rows=world.clickhouse_rows())
    transport = mock_transport(world.handle, clickhouse.handle)
    with HttpClient(transport=transport, sleep=lambda _s: None) as http:
        endpoints = Endpoints()
        engine = BigQuerySource(
            "devstats-billing",
            max_bytes_billed=DEFAULT_LIMIT,
            fallback=ClickHouseSource(http, endpoints.clickhouse),
        )
        facts = collect_package(
            http,
            OLD.name,
            year=2022,
            today=TODAY,
            mirrors=False,
            endpoints=endpoints,
            history=None,
            pepy_api_key=None,
            allow_partial=False,
            engine=engine,
            fill_only=True,
        )
        report, notices = package_report(
            facts, year=2022, tz=ZoneInfo("UTC"), include_prereleases=False, fill_only=True
        )

    # BigQuery counted the year; the months before it, 119 GB to scan, came from ClickPy.
    assert asked(fake.queries, OLD.name) == [(date(2022, 1, 1), date(2022, 12, 1))]
    [history] = clickhouse.received
    assert "2016-06-01" in history.url and "2022-01-01" in history.url
    assert report.downloads is not None
    assert report.downloads.total == sum(OLD.daily.values())
    assert report.downloads.total_from[0] == Provenance(
        ENGINE, engine=f"{BIGQUERY} and {CLICKPY}", through=date(2022, 11, 30)
    )
    assert [n.code for n in notices if n.code.startswith("downloads-")] == ["downloads-history-low"]
