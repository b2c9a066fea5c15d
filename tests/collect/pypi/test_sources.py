"""A package's year from pypistats.org and a history engine together: which source gives which
month, the total carried to yesterday, months kept in the store, the cross-check, the modes.

The fakes hold constructed per-day data (tests/fakes/pypi_world.py, tests/fakes/clickpy_world.py),
and every expected figure is summed here from those days, not taken from devstats."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from devstats.classify.packages import package_report
from devstats.collect.pypi.engines.clickhouse import SOURCE, ClickHouseSource
from devstats.collect.pypi.package import collect_package
from devstats.http.client import HttpClient
from devstats.model.downloads import ENGINE, PYPISTATS, Provenance
from devstats.model.errors import UpstreamError
from devstats.model.facts import Notice, PackageReport
from devstats.settings.endpoints import Endpoints
from devstats.store import DownloadHistory
from tests.fakes import mock_transport
from tests.fakes.clickhouse import DownloadRow, FakeClickHouse
from tests.fakes.clickpy_world import clickpy_rows
from tests.fakes.pypi_world import RECORDED_ON, PyPIWorld

UTC_ZONE = ZoneInfo("UTC")
MIRRORS = {"bandersnatch", "z3c.pypimirror", "Artifactory", "devpi", ""}


def truth(rows: list[DownloadRow], *, mirrors: bool = False) -> Counter[str]:
    months: Counter[str] = Counter()
    for row in rows:
        if mirrors or row.installer not in MIRRORS:
            months[f"{row.day:%Y-%m}"] += row.count
    return months


def year_of(
    world: PyPIWorld,
    clickhouse: FakeClickHouse,
    *,
    history: DownloadHistory | None = None,
    today: date = RECORDED_ON,
    year: int = 2022,
    fill_only: bool = True,
    allow_partial: bool = False,
) -> tuple[PackageReport, list[Notice]]:
    with HttpClient(
        transport=mock_transport(world.handle, clickhouse.handle), sleep=lambda _s: None
    ) as http:
        endpoints = Endpoints()
        engine = ClickHouseSource(http, endpoints.clickhouse)
        facts = collect_package(
            http,
            "pytorch_optimizer",
            year=year,
            today=today,
            mirrors=False,
            endpoints=endpoints,
            history=history,
            pepy_api_key=None,
            allow_partial=allow_partial,
            engine=engine,
            fill_only=fill_only,
        )
        return package_report(
            facts, year=year, tz=UTC_ZONE, include_prereleases=False, fill_only=fill_only,
            rule=engine.comparison,
        )  # fmt: skip


@pytest.fixture
def world() -> PyPIWorld:
    return PyPIWorld()


def test_pypistats_gives_the_months_it_holds_and_clickpy_the_rest(world: PyPIWorld) -> None:
    rows = clickpy_rows(world)
    report, notices = year_of(world, FakeClickHouse(rows=rows))
    downloads = report.downloads
    assert downloads is not None
    expected = truth(rows)
    assert downloads.monthly == {f"2022-{m:02d}": expected[f"2022-{m:02d}"] for m in range(1, 12)}
    assert [m for m, s in downloads.monthly_sources.items() if s == "pypistats.org"] == [
        f"2022-{m:02d}" for m in range(7, 12)
    ]
    assert downloads.missing_months == {"2022-12": "not-over"}
    # The total: every day through the last settled month from ClickPy, then pypistats.org's days.
    days = world.daily(False)
    assert (
        downloads.total
        == sum(expected.values())
        == (
            sum(expected[m] for m in expected if m <= "2022-11")
            + sum(n for d, n in days.items() if d >= date(2022, 12, 1))
        )
    )
    assert downloads.total_window is not None
    assert downloads.total_window.end == RECORDED_ON - timedelta(days=1)
    assert [n.code for n in notices] == []  # July agrees in both sources: no cross-check notice
    # The same as data: which source gave which months, and how far the engine's total reaches.
    assert downloads.monthly_from == (
        Provenance(ENGINE, engine=SOURCE, months=tuple(f"2022-{m:02d}" for m in range(1, 7))),
        Provenance(PYPISTATS, months=tuple(f"2022-{m:02d}" for m in range(7, 12))),
    )
    assert downloads.total_from == (
        Provenance(ENGINE, engine=SOURCE, through=date(2022, 11, 30)),
        Provenance(PYPISTATS, through=downloads.total_window.end),
    )
    assert downloads.total_source == f"{SOURCE} through 2022-11-30 + pypistats.org"


def test_one_query_for_every_month_not_kept_and_none_asked_again(
    world: PyPIWorld, tmp_path: Path
) -> None:
    rows = clickpy_rows(world)
    clickhouse = FakeClickHouse(rows=rows)
    months = truth(rows)
    with DownloadHistory(tmp_path / "store.sqlite3") as store:
        first, _ = year_of(world, clickhouse, history=store)
        # One query: every settled month since the history starts; the total is their sum.
        [query] = clickhouse.received
        assert "toStartOfMonth" in query.sql
        assert (query.params["first"], query.params["end"]) == ("2016-01-01", "2022-12-01")
        kept = store.months("pytorch_optimizer", False, "clickhouse")
        assert min(kept) == date(2016, 1, 1) and max(kept) == date(2022, 11, 1)
        assert len(kept) == 7 * 12 - 1
        assert first.downloads is not None and first.downloads.total is not None
        through_november = sum(n for m, n in months.items() if m <= "2022-11")
        in_december = sum(n for d, n in world.daily(False).items() if d.month == 12)
        assert first.downloads.total == through_november + in_december
        # The rerun asks nothing: the months come from the store, and so does the total.
        second, _ = year_of(world, clickhouse, history=store)
        assert len(clickhouse.received) == 1
        assert second.downloads == first.downloads
        # A month later, only the month since is asked.
        year_of(world, clickhouse, history=store, today=date(2023, 1, 10))
        [later] = clickhouse.received[1:]
        assert (later.params["first"], later.params["end"]) == ("2022-12-01", "2023-01-01")


def test_the_previous_years_total_is_summed_from_the_same_months(world: PyPIWorld) -> None:
    rows = clickpy_rows(world)
    clickhouse = FakeClickHouse(rows=rows)
    with HttpClient(transport=mock_transport(world.handle, clickhouse.handle)) as http:
        facts = collect_package(
            http,
            "pytorch_optimizer",
            year=2022,
            today=RECORDED_ON,
            mirrors=False,
            endpoints=Endpoints(),
            history=None,
            pepy_api_key=None,
            allow_partial=False,
            engine=ClickHouseSource(http, Endpoints().clickhouse),
            with_previous=True,
        )
    assert len(clickhouse.received) == 1
    assert facts.engine is not None and facts.engine.previous_total is not None
    previous = facts.engine.previous_total
    assert previous.through == date(2021, 12, 31)
    assert previous.downloads == sum(n for m, n in truth(rows).items() if m <= "2021-12")
    assert previous.downloads > 0


def test_a_month_the_sources_disagree_on_is_named(world: PyPIWorld) -> None:
    rows = [
        dataclasses.replace(r, count=r.count * 2) if r.day.month == 7 else r
        for r in clickpy_rows(world)
    ]
    report, notices = year_of(world, FakeClickHouse(rows=rows))
    (differ,) = [n for n in notices if n.code == "downloads-sources-differ"]
    assert differ.params["month"] == "2022-07"
    assert differ.params["other"] == truth(rows)["2022-07"]
    assert report.downloads is not None  # pypistats.org's July is the one shown
    assert report.downloads.monthly["2022-07"] == truth(clickpy_rows(world))["2022-07"]


def test_the_clickhouse_mode_takes_every_settled_month_from_the_engine(world: PyPIWorld) -> None:
    rows = clickpy_rows(world)
    report, _ = year_of(world, FakeClickHouse(rows=rows), fill_only=False)
    assert report.downloads is not None
    sources = report.downloads.monthly_sources
    assert {sources[f"2022-{m:02d}"] for m in range(1, 12)} == {"ClickHouse (ClickPy)"}


def test_a_past_year_has_twelve_months_and_a_total_through_its_last_day(world: PyPIWorld) -> None:
    # A year long over: pypistats.org no longer holds any of it.
    rows = [
        DownloadRow(date(2020, 1, 1) + timedelta(n), "pytorch-optimizer", "pip", 10 + n % 7)
        for n in range(366 + 365)
    ]
    report, _ = year_of(world, FakeClickHouse(rows=rows), year=2021)
    downloads = report.downloads
    assert downloads is not None
    expected = truth(rows)
    assert downloads.monthly == {f"2021-{m:02d}": expected[f"2021-{m:02d}"] for m in range(1, 13)}
    assert downloads.missing_months == {}
    assert downloads.total == sum(n for m, n in expected.items() if m <= "2021-12")
    assert downloads.total_window is not None and downloads.total_window.end == date(2021, 12, 31)
    assert downloads.last_month == expected["2021-12"]


def test_an_engine_that_fails_is_an_error_unless_partial_results_are_allowed(
    world: PyPIWorld,
) -> None:
    down = FakeClickHouse(rows=[], users={})  # every user refused
    with pytest.raises(UpstreamError):
        year_of(world, down)
    report, notices = year_of(world, down, allow_partial=True)
    assert "downloads-history-unavailable" in [n.code for n in notices]
    assert report.downloads is not None and report.downloads.monthly  # pypistats.org's remain
    assert report.downloads.missing_months["2022-01"] == "unknown"


@pytest.mark.parametrize(
    ("source", "project", "engine"),
    [
        ("auto", None, "clickhouse"),
        ("auto", "my-billing-project", "bigquery"),
        ("clickhouse", "my-billing-project", "clickhouse"),
        ("bigquery", None, "bigquery"),
        ("pypistats", "my-billing-project", None),
    ],
)
def test_the_engine_follows_the_downloads_source(
    source: str, project: str | None, engine: str | None, tmp_path: Path
) -> None:
    from devstats.run.services import history_engine
    from devstats.settings.settings import load_settings

    flags = {"user": "kozistr", "packages": ("p",), "downloads_source": source}
    if project:
        flags["bigquery_project"] = project
    settings = load_settings(2022, flags, env={}, cwd=tmp_path, today=date(2023, 1, 1))
    with HttpClient() as http:
        chosen = history_engine(settings, http)
    assert (chosen.name if chosen else None) == engine
