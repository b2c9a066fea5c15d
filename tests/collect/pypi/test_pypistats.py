"""devstats.collect.pypi.pypistats against the documented and mocked pypistats.org shapes."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import respx

from devstats.collect.pypi.pypistats import (
    WITH_MIRRORS,
    WITHOUT_MIRRORS,
    fetch_overall,
    parse_overall,
    pypistats_limiter,
)
from devstats.http.answers import SECONDARY_LIMIT_WAIT
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError, UpstreamError
from tests.fakes.clock import FakeClock
from tests.fakes.paths import DATA

DATA = DATA / "pypi"
DOC_OVERALL = json.loads((DATA / "pypistats.doc-example.overall.json").read_text("utf-8"))[
    "example"
]
HUGOVK = {
    f["variable"] if f["test"] == "<module>" else f["test"]: f
    for f in json.loads((DATA / "pypistats.hugovk-mocked-responses.json").read_text("utf-8"))[
        "fixtures"
    ]
}
PIP_OVERALL = HUGOVK["SAMPLE_RESPONSE_OVERALL"]["mocked_response"]
API = "https://pypistats.org/api"
RATE_LIMITED_BODY = '<a href="/api/#etiquette">429 RATE LIMIT EXCEEDED</a>'


def client(clock: FakeClock | None = None, **kwargs: Any) -> HttpClient:
    clock = clock or FakeClock()
    return HttpClient(sleep=clock.sleep, clock=clock.time, **kwargs)


def test_parse_the_documented_example() -> None:
    overall = parse_overall(DOC_OVERALL)
    assert overall.package == "package_name"
    assert {s.category for s in overall.series} == {WITH_MIRRORS, WITHOUT_MIRRORS}
    for mirrors in (True, False):
        series = overall.category(mirrors)
        assert series is not None
        assert series.by_day() == {date(2018, 2, 8): 1}


@respx.mock
def test_fetch_overall_both_categories_sums_match_the_raw_rows() -> None:
    route = respx.get(f"{API}/packages/pip/overall").mock(
        return_value=httpx.Response(200, json=PIP_OVERALL)
    )
    with client() as http:
        overall = fetch_overall(http, "pip", base_url=API)
    assert route.calls.last.request.url.query == b""  # no mirrors parameter: both series
    expected: dict[str, dict[date, int]] = defaultdict(dict)
    for row in PIP_OVERALL["data"]:
        expected[row["category"]][date.fromisoformat(row["date"])] = row["downloads"]
    for mirrors, category in ((True, WITH_MIRRORS), (False, WITHOUT_MIRRORS)):
        series = overall.category(mirrors)
        assert series is not None and series.category == category
        assert series.by_day() == expected[category]
        assert (series.first, series.last) == (date(2020, 5, 1), date(2020, 5, 2))
    assert sum(overall.category(True).by_day().values()) == 2100139 + 1487218  # type: ignore[union-attr]


@respx.mock
@pytest.mark.parametrize(("mirrors", "value"), [(False, "false"), (True, "true")])
def test_fetch_overall_asks_for_one_category(mirrors: bool, value: str) -> None:
    category = WITH_MIRRORS if mirrors else WITHOUT_MIRRORS
    rows = [r for r in PIP_OVERALL["data"] if r["category"] == category]
    route = respx.get(f"{API}/packages/pip/overall", params={"mirrors": value}).mock(
        return_value=httpx.Response(200, json={**PIP_OVERALL, "data": rows})
    )
    with client() as http:
        overall = fetch_overall(http, "pip", mirrors=mirrors, base_url=API)
    assert route.call_count == 1
    assert overall.category(not mirrors) is None
    assert overall.category(mirrors) is not None


def test_days_without_a_row_are_zero_inside_the_series_and_unknown_outside() -> None:
    # pypistats.org has no row for a day without downloads.
    rows = [
        {"category": WITHOUT_MIRRORS, "date": "2022-06-18", "downloads": 5},
        {"category": WITHOUT_MIRRORS, "date": "2022-06-21", "downloads": 7},
    ]
    series = parse_overall({"data": rows, "package": "demo", "type": "overall_downloads"}).category(
        False
    )
    assert series is not None
    assert series.by_day() == {
        date(2022, 6, 18): 5,
        date(2022, 6, 19): 0,
        date(2022, 6, 20): 0,
        date(2022, 6, 21): 7,
    }
    assert date(2022, 6, 17) not in series.by_day()


def test_a_180_day_series_spans_exactly_180_days() -> None:
    last = date(2022, 12, 14)
    rows = [
        {"category": WITHOUT_MIRRORS, "date": (last - timedelta(n)).isoformat(), "downloads": 1}
        for n in range(180)
    ]
    series = parse_overall({"data": rows, "package": "demo"}).category(False)
    assert series is not None
    assert (series.first, series.last) == (date(2022, 6, 18), last)
    assert len(series.days) == 180


def test_malformed_rows_are_an_upstream_error() -> None:
    with pytest.raises(UpstreamError):
        parse_overall({"data": [{"category": WITHOUT_MIRRORS, "date": "yesterday"}]})


@respx.mock
def test_unknown_package_is_a_plain_text_404() -> None:
    respx.get(f"{API}/packages/no-such-thing/overall").mock(
        return_value=httpx.Response(404, text="404")
    )
    with client() as http, pytest.raises(NotFoundError) as caught:
        fetch_overall(http, "No_Such.Thing", base_url=API)
    assert "'No_Such.Thing'" in str(caught.value) and "'no-such-thing'" in str(caught.value)


@respx.mock
def test_a_plain_text_200_is_an_upstream_error_quoting_it() -> None:
    respx.get(f"{API}/packages/pip/overall").mock(
        return_value=httpx.Response(200, text="503 TEMPORARILY DISABLED")
    )
    with client() as http, pytest.raises(UpstreamError, match="TEMPORARILY DISABLED"):
        fetch_overall(http, "pip", base_url=API)


@respx.mock
def test_down_after_retries_is_an_upstream_error() -> None:
    route = respx.get(f"{API}/packages/pip/overall").mock(
        return_value=httpx.Response(503, text="503 TEMPORARILY DISABLED")
    )
    clock = FakeClock()
    with client(clock, max_retries=2) as http, pytest.raises(UpstreamError) as caught:
        fetch_overall(http, "pip", base_url=API)
    assert route.call_count == 3
    assert caught.value.exit_code == 5
    assert len(clock.sleeps) == 2  # backoff between the three attempts


# --- pacing and 429 ----------------------------------------------------------------------------


@respx.mock
def test_429_with_retry_after_waits_that_long_then_succeeds() -> None:
    route = respx.get(f"{API}/packages/pip/overall").mock(
        side_effect=[
            httpx.Response(429, text=RATE_LIMITED_BODY, headers={"Retry-After": "7"}),
            httpx.Response(200, json=PIP_OVERALL),
        ]
    )
    clock = FakeClock()
    with client(clock) as http:
        overall = fetch_overall(http, "pip", base_url=API)
    assert route.call_count == 2
    assert clock.sleeps == [7.0]
    assert overall.category(False) is not None


@respx.mock
def test_429_without_retry_after_waits_a_minute() -> None:
    # pypistats.org's 429 is an HTML snippet; Flask-Limiter's per-minute window.
    respx.get(f"{API}/packages/pip/overall").mock(
        side_effect=[
            httpx.Response(429, text=RATE_LIMITED_BODY),
            httpx.Response(200, json=PIP_OVERALL),
        ]
    )
    clock = FakeClock()
    with client(clock) as http:
        fetch_overall(http, "pip", base_url=API)
    assert clock.sleeps == [SECONDARY_LIMIT_WAIT]


@respx.mock
def test_requests_to_pypistats_burst_five_then_wait_for_the_next_second() -> None:
    respx.get(f"{API}/packages/pip/overall").mock(
        return_value=httpx.Response(200, json=PIP_OVERALL)
    )
    clock = FakeClock()
    limiter = pypistats_limiter(clock=clock.time, sleep=clock.sleep)
    with client(clock, limiters={"pypistats.org": limiter}) as http:
        for _ in range(3):
            fetch_overall(http, "pip", base_url=API)
            fetch_overall(http, "pip", mirrors=True, base_url=API)
        clock.now += 0.25  # some work between calls shortens the next wait
        fetch_overall(http, "pip", mirrors=False, base_url=API)
    # Five requests go at once (5 a second); the sixth waits until the first is a second old;
    # the seventh, a quarter second after it, finds that second holding only one request.
    assert clock.sleeps == [1.0]
    assert http.stats.waited_seconds == 1.0 and http.stats.retries == 0
