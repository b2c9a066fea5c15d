"""The package report against the fake PyPI world (httpx.MockTransport), and its calendar rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from devstats.classify.downloads import last_complete_month, monthly_downloads
from devstats.classify.missing_months import missing_months
from devstats.classify.packages import package_report
from devstats.collect.pypi.package import collect_package
from devstats.http.client import HttpClient
from devstats.model.downloads import BASELINE, PYPISTATS, STORE, Provenance
from devstats.model.errors import NotFoundError, UpstreamError
from devstats.model.facts import Notice, PackageReport, Window
from devstats.settings.endpoints import Endpoints
from devstats.store import DownloadHistory
from tests.fakes.pypi_world import (
    BASELINE_BEFORE,
    BASELINE_DOWNLOADS,
    PEPY_API_KEY,
    RECORDED_ON,
    SERIES_END,
    SERIES_START,
    PyPIWorld,
)

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class PackageOptions:
    mirrors: bool = False
    include_prereleases: bool = False
    allow_partial: bool = False


def build_package_report(
    http: HttpClient,
    name: str,
    *,
    year: int,
    tz: ZoneInfo,
    today: date,
    options: PackageOptions,
    history: DownloadHistory | None,
    pepy_api_key: str | None,
) -> tuple[PackageReport, list[Notice]]:
    """Collect one package's facts, then classify them: the two steps the pipeline runs."""
    facts = collect_package(
        http,
        name,
        year=year,
        today=today,
        mirrors=options.mirrors,
        endpoints=Endpoints(),
        history=history,
        pepy_api_key=pepy_api_key,
        allow_partial=options.allow_partial,
    )
    return package_report(facts, year=year, tz=tz, include_prereleases=options.include_prereleases)


@pytest.fixture
def world() -> PyPIWorld:
    return PyPIWorld()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DownloadHistory]:
    with DownloadHistory(tmp_path / "downloads.sqlite3") as history:
        yield history


def run(
    world: PyPIWorld,
    *,
    name: str = "pytorch-optimizer",
    history: DownloadHistory | None = None,
    today: date = RECORDED_ON,
    year: int = 2022,
    pepy_api_key: str | None = None,
    **options: bool,
) -> tuple[PackageReport, list[Notice]]:
    with HttpClient(transport=world.transport(), max_retries=1, sleep=lambda _s: None) as http:
        return build_package_report(
            http,
            name,
            year=year,
            tz=SEOUL,
            today=today,
            options=PackageOptions(**options),
            history=history,
            pepy_api_key=pepy_api_key,
        )


def by_month(days: dict[date, int]) -> Counter[str]:
    months: Counter[str] = Counter()
    for day, n in days.items():
        months[day.strftime("%Y-%m")] += n
    return months


def seed_baseline(store: DownloadHistory, mirrors: bool = False) -> None:
    store.set_baseline(
        "pytorch_optimizer", mirrors, BASELINE_BEFORE, BASELINE_DOWNLOADS[mirrors], note="seeded"
    )


# --- the review's figures ----------------------------------------------------------------------


def test_the_2022_review_figures(world: PyPIWorld, store: DownloadHistory) -> None:
    seed_baseline(store)
    report, warnings = run(world, history=store)
    assert report.name == "pytorch_optimizer"
    assert report.url == "https://pypi.org/project/pytorch_optimizer/"
    assert report.version == "2.0.1"
    assert report.releases_in_year == sum(
        1 for r in world.releases if r.uploaded_at.astimezone(SEOUL).year == 2022
    )
    assert report.releases_in_year == 23
    d = report.downloads
    assert d is not None and d.mirrors is False
    daily = world.daily(False)
    # total = the baseline + every stored day from its date through the last day of data
    assert d.total == BASELINE_DOWNLOADS[False] + sum(daily.values()) == 41_604
    assert d.total_window == Window(date(2021, 9, 22), SERIES_END)
    # monthly: only months completely inside the 180 days (June starts on the 18th)
    months = by_month(daily)
    assert d.monthly == {
        m: months[m] for m in ("2022-07", "2022-08", "2022-09", "2022-10", "2022-11")
    }
    assert d.window == Window(date(2022, 7, 1), date(2022, 11, 30))
    (partial,) = [w for w in warnings if w.code == "downloads-month-partial"]
    assert partial.params == {"package": "pytorch-optimizer", "months": "2022-06"}
    assert "2022-06" in partial.message and "left out" in partial.message
    assert not any("2022-12" in w.message for w in warnings)  # December has not ended yet
    # last month as of 2022-12-15: November
    assert d.last_month == months["2022-11"] == 2_068
    assert d.last_month_window == Window(date(2022, 11, 1), date(2022, 11, 30))
    assert d.source == "pypistats.org; total: baseline (seeded) + download store"
    assert d.total_source == "baseline (seeded) + download store"
    assert d.monthly_from == (Provenance(PYPISTATS, months=tuple(d.monthly)),)
    assert d.total_from == (
        Provenance(BASELINE, note="seeded", through=BASELINE_BEFORE - timedelta(days=1)),
        Provenance(STORE, through=SERIES_END),
    )
    # every other month says why it has no figure
    assert d.missing_months == {
        **{f"2022-{m:02d}": "unknown" for m in range(1, 6)},  # older than the 180 days
        "2022-06": "partial",
        "2022-12": "not-over",
    }


def test_mirrors_mode_uses_the_with_mirrors_series_and_baseline(
    world: PyPIWorld, store: DownloadHistory
) -> None:
    seed_baseline(store, mirrors=True)
    seed_baseline(store, mirrors=False)
    report, _ = run(world, history=store, mirrors=True)
    d = report.downloads
    assert d is not None and d.mirrors is True
    assert d.total == BASELINE_DOWNLOADS[True] + sum(world.daily(True).values())
    assert d.last_month == by_month(world.daily(True))["2022-11"]
    assert d.last_month != by_month(world.daily(False))["2022-11"]
    # only the asked mode was fetched
    assert store.daily("pytorch-optimizer", False, date.min, date.max) == {}


def test_the_store_keeps_the_180_days_and_re_runs_do_not_double_count(
    world: PyPIWorld, store: DownloadHistory
) -> None:
    seed_baseline(store)
    first, _ = run(world, history=store)
    second, _ = run(world, history=store)
    assert first == second
    stored = store.daily("pytorch_optimizer", False, date.min, date.max)
    assert (min(stored), max(stored)) == (SERIES_START, SERIES_END)
    assert len(stored) == (SERIES_END - SERIES_START).days + 1  # no day missing
    assert (SERIES_END - SERIES_START).days + 1 == 180


def test_without_a_baseline_or_pepy_the_total_is_unknown_and_says_how_to_get_it(
    world: PyPIWorld, store: DownloadHistory
) -> None:
    report, warnings = run(world, history=store)
    d = report.downloads
    assert d is not None
    assert d.total is None and d.total_window is None
    assert d.last_month == by_month(world.daily(False))["2022-11"]
    assert d.source == "pypistats.org"
    hint = next(w.message for w in warnings if w.code == "downloads-total-unknown")
    assert hint.startswith("pytorch-optimizer: all-time downloads unknown")
    assert "PEPY_API_KEY" in hint and "baseline" in hint and "--downloads-source" in hint


def test_without_a_store_the_figures_come_from_pypistats_alone(world: PyPIWorld) -> None:
    report, _ = run(world, history=None)
    d = report.downloads
    assert d is not None and d.total is None
    assert set(d.monthly) == {"2022-07", "2022-08", "2022-09", "2022-10", "2022-11"}


def test_pepy_serves_the_total_when_a_key_is_set(world: PyPIWorld) -> None:
    report, warnings = run(world, pepy_api_key=PEPY_API_KEY)
    d = report.downloads
    assert d is not None
    assert d.total == world.all_time_total(False) == 41_604
    assert d.total_window == Window(date(2021, 9, 22), SERIES_END)
    assert d.source == "pypistats.org; total: pepy.tech"
    assert not any("all-time" in w.message for w in warnings)


def test_a_rejected_pepy_key_is_a_warning_not_a_failure(world: PyPIWorld) -> None:
    report, warnings = run(world, pepy_api_key="wrong")
    assert report.downloads is not None and report.downloads.total is None
    (refused,) = [w for w in warnings if w.code == "downloads-pepy-failed"]
    assert "pepy.tech refused" in str(refused.params["reason"])
    assert refused.message.endswith(f"no all-time total from pepy.tech: {refused.params['reason']}")


def test_a_past_year_missing_december_days_is_labelled_not_stretched(
    world: PyPIWorld, store: DownloadHistory
) -> None:
    # Run on 2022-12-15 (store filled), then again on 2023-01-20 while pypistats.org still
    # serves only up to 2022-12-14: December 2022 is partly known.
    seed_baseline(store)
    run(world, history=store)
    report, warnings = run(world, history=store, today=date(2023, 1, 20))
    d = report.downloads
    assert d is not None
    assert "2022-12" not in d.monthly
    assert d.last_month is None and d.last_month_window is None
    assert [w.params["month"] for w in warnings if w.code == "downloads-last-month-unknown"] == [
        "2022-12"
    ]
    assert d.total_window is not None and d.total_window.end == SERIES_END
    (short,) = [w for w in warnings if w.code == "downloads-total-short"]
    assert short.params == {
        "package": "pytorch-optimizer",
        "end": SERIES_END.isoformat(),
        "limit": "2022-12-31",
    }
    assert f"runs only to {SERIES_END}, not 2022-12-31" in short.message


def test_a_baseline_after_the_year_leaves_the_total_unknown_without_a_false_gap(
    world: PyPIWorld, store: DownloadHistory
) -> None:
    # The seeded baseline counts downloads before 2022-06-18: it cannot give 2021's total.
    seed_baseline(store)
    run(world, history=store)
    report, warnings = run(world, history=store, year=2021)
    assert report.downloads is None or report.downloads.total is None
    codes = [w.code for w in warnings]
    assert "downloads-store-gap" not in codes
    assert "downloads-total-unknown" in codes


def test_a_baseline_past_the_stored_days_is_the_total_through_the_day_before_it(
    world: PyPIWorld, store: DownloadHistory
) -> None:
    before = SERIES_END + timedelta(days=10)
    store.set_baseline("pytorch_optimizer", False, before, 50_000)
    report, warnings = run(world, history=store, today=date(2023, 1, 20))
    d = report.downloads
    assert d is not None and d.total == 50_000
    assert d.total_window is not None and d.total_window.end == before - timedelta(days=1)
    assert "downloads-store-gap" not in [w.code for w in warnings]
    (short,) = [w for w in warnings if w.code == "downloads-total-short"]
    assert short.params["end"] == (before - timedelta(days=1)).isoformat()


def test_pypistats_rate_limit_is_waited_out(world: PyPIWorld) -> None:
    world.pypistats_rate_limited = 1
    slept: list[float] = []
    with HttpClient(transport=world.transport(), sleep=slept.append) as http:
        report, _ = build_package_report(
            http,
            "pytorch_optimizer",
            year=2022,
            tz=SEOUL,
            today=RECORDED_ON,
            options=PackageOptions(),
            history=None,
            pepy_api_key=None,
        )
    assert slept == [2.0]  # the fake's Retry-After
    assert report.downloads is not None


def test_pypistats_down_is_an_upstream_error(world: PyPIWorld) -> None:
    world.pypistats_down = True
    with pytest.raises(UpstreamError) as caught:
        run(world)
    assert caught.value.exit_code == 5


def test_pypistats_down_with_allow_partial_keeps_the_release_figures(world: PyPIWorld) -> None:
    world.pypistats_down = True
    report, warnings = run(world, allow_partial=True)
    assert report.downloads is None
    assert report.version == "2.0.1"
    (left_out,) = warnings
    assert left_out.code == "downloads-unavailable"
    assert "allow-partial" in left_out.message and "pypistats.org" in left_out.message


def test_an_unknown_package_names_both_spellings(world: PyPIWorld) -> None:
    with pytest.raises(NotFoundError) as caught:
        run(world, name="Not_A.Package")
    assert "'Not_A.Package'" in str(caught.value) and "'not-a-package'" in str(caught.value)


# --- the calendar rules, by hand ---------------------------------------------------------------


def test_monthly_roll_up_by_hand() -> None:
    days = {date(2022, 2, 1) + timedelta(n): 1 for n in range(28)}  # all of February
    days |= {date(2022, 3, d): 2 for d in range(1, 32) if d != 15}  # March without the 15th
    days |= {date(2022, 4, d): 0 for d in range(1, 31)}  # April: known, no downloads
    days |= {date(2022, 5, d): 5 for d in range(1, 32)}  # May: known but not ended by `through`
    days[date(2021, 12, 31)] = 100  # another year
    complete, partial = monthly_downloads(days, 2022, through=date(2022, 5, 30))
    assert complete == {"2022-02": 28, "2022-04": 0}
    assert partial == ["2022-03"]


def test_missing_months_say_why_by_hand() -> None:
    monthly = {"2022-04": 10, "2022-05": 12}
    missing = missing_months(
        monthly,
        2022,
        date(2022, 6, 30),  # the run's day: June has not ended
        partial=["2022-03"],
        first_upload=date(2022, 2, 1),
    )
    assert missing == {
        "2022-01": "before-first-upload",  # ended before the first upload
        "2022-02": "unknown",  # the package existed, no day of it is known
        "2022-03": "partial",
        **{f"2022-{m:02d}": "not-over" for m in range(6, 13)},
    }
    assert set(missing) | set(monthly) == {f"2022-{m:02d}" for m in range(1, 13)}


@pytest.mark.parametrize(
    ("year", "today", "expected"),
    [
        (2022, date(2022, 12, 15), (date(2022, 11, 1), date(2022, 11, 30))),
        (2022, date(2022, 12, 31), (date(2022, 11, 1), date(2022, 11, 30))),
        (2022, date(2023, 1, 1), (date(2022, 12, 1), date(2022, 12, 31))),
        (2022, date(2024, 6, 1), (date(2022, 12, 1), date(2022, 12, 31))),
        (2024, date(2024, 3, 1), (date(2024, 2, 1), date(2024, 2, 29))),
        (2022, date(2022, 1, 20), None),
        (2023, date(2022, 6, 1), None),
    ],
)
def test_last_complete_month(year: int, today: date, expected: tuple[date, date] | None) -> None:
    window = last_complete_month(year, today)
    assert (window.start, window.end) == expected if window else expected is None


# --- overriding one upstream of the world --------------------------------------------------------


def run_with(
    world: PyPIWorld,
    override: Callable[[httpx.Request], httpx.Response | None],
    **kwargs: Any,
) -> tuple[PackageReport, list[Notice]]:
    def route(request: httpx.Request) -> httpx.Response:
        response = override(request) or world.handle(request)
        assert response is not None, request.url
        return response

    with HttpClient(transport=httpx.MockTransport(route), sleep=lambda _s: None) as http:
        return build_package_report(
            http,
            "pytorch_optimizer",
            year=2022,
            tz=SEOUL,
            today=kwargs.pop("today", RECORDED_ON),
            options=PackageOptions(),
            history=kwargs.pop("history", None),
            pepy_api_key=kwargs.pop("pepy_api_key", None),
        )


def test_pypistats_without_data_for_a_known_package_is_a_warning(world: PyPIWorld) -> None:
    def no_rows(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(404, text="404") if request.url.host == "pypistats.org" else None

    report, warnings = run_with(world, no_rows)
    assert report.version == "2.0.1"
    assert report.downloads is None  # nothing known: not zeros
    (missing,) = [w for w in warnings if w.code == "downloads-not-listed"]
    assert "pypistats.org has no download data" in missing.message


def test_pepy_total_for_a_past_year_takes_back_the_days_after_it(world: PyPIWorld) -> None:
    days = {date(2022, 12, 20) + timedelta(n): 10 + n for n in range(25)}  # to 2023-01-13

    def pepy(request: httpx.Request) -> httpx.Response | None:
        if request.url.host != "api.pepy.tech":
            return None
        body = {
            "id": "pytorch-optimizer",
            "total_downloads": 50_000,
            "versions": ["2.0.1"],
            "downloads": {d.isoformat(): {"2.0.1": n} for d, n in days.items()},
        }
        return httpx.Response(200, json=body)

    report, _ = run_with(world, pepy, today=date(2023, 1, 14), pepy_api_key="k")
    d = report.downloads
    assert d is not None
    after = sum(n for day, n in days.items() if day.year == 2023)
    assert after == sum(range(22, 35))
    assert d.total == 50_000 - after
    assert d.total_window == Window(date(2021, 9, 22), date(2022, 12, 31))


def test_pepy_total_is_unknown_when_its_days_do_not_reach_the_year_end(world: PyPIWorld) -> None:
    def pepy(request: httpx.Request) -> httpx.Response | None:
        if request.url.host != "api.pepy.tech":
            return None
        body = {"total_downloads": 50_000, "downloads": {"2023-03-01": {"2.0.1": 5}}}
        return httpx.Response(200, json=body)

    report, warnings = run_with(world, pepy, today=date(2023, 3, 2), pepy_api_key="k")
    assert report.downloads is None or report.downloads.total is None
    (short,) = [w for w in warnings if w.code == "downloads-pepy-range"]
    assert short.params["last"] == short.params["first"] == "2023-03-01"
    assert short.params["limit"] == "2022-12-31"
    assert "pepy.tech's total runs to 2023-03-01" in short.message
