"""devstats.collect.pypi.engines.clickhouse against a fake ClickHouse holding constructed ClickPy rows.

Every expected figure is summed here, in the test, from the rows handed to the fake.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from devstats.collect.pypi.engines.base import HistorySource
from devstats.collect.pypi.engines.clickhouse import (
    ALL_DOWNLOADS_TABLE,
    BY_INSTALLER_TABLE,
    SOURCE,
    ClickHouseSource,
)
from devstats.http.cassettes import RecordingTransport, ReplayTransport
from devstats.http.client import HttpClient
from devstats.model.errors import UpstreamError
from devstats.settings.endpoints import Endpoints
from tests.fakes import mock_transport
from tests.fakes.clickhouse import DownloadRow, FakeClickHouse, error_response
from tests.fakes.clock import FakeClock
from tests.fakes.loopback import serve

PACKAGE = "pytorch-optimizer"
# pypistats.org's mirror installers, spelled out here rather than imported, so a typo in the
# module's list shows up as a wrong sum.
MIRRORS = {"bandersnatch", "z3c.pypimirror", "Artifactory", "devpi"}
INSTALLERS = ("pip", "uv", "poetry", "", "bandersnatch", "z3c.pypimirror", "Artifactory", "devpi")
EMPTY_MONTH = date(2023, 3, 1)

CLICKHOUSE_URL = Endpoints().clickhouse


def days(first: date, last: date) -> Iterable[date]:
    for n in range((last - first).days + 1):
        yield first + timedelta(n)


def constructed_rows(seed: int = 2023) -> list[DownloadRow]:
    """December 2022 to January 2024, every installer most days, nothing in March 2023; a few
    keys appear twice (unmerged SummingMergeTree parts); another project alongside."""
    rng = random.Random(seed)
    rows = []
    for day in days(date(2022, 12, 1), date(2024, 1, 31)):
        if day.replace(day=1) == EMPTY_MONTH:
            continue
        for installer in INSTALLERS:
            if rng.random() < 0.8:
                rows.append(DownloadRow(day, PACKAGE, installer, rng.randint(0, 400)))
            if rng.random() < 0.05:
                rows.append(DownloadRow(day, PACKAGE, installer, rng.randint(1, 50)))
        rows.append(DownloadRow(day, "torch", "pip", rng.randint(10_000, 20_000)))
    return rows


def counted(row: DownloadRow, mirrors: bool) -> bool:
    return mirrors or (row.installer not in MIRRORS and row.installer != "")


def expected_months(
    rows: list[DownloadRow], project: str, year: int, *, mirrors: bool
) -> dict[date, int]:
    months = {date(year, m, 1): 0 for m in range(1, 13)}
    for row in rows:
        if row.project == project and row.day.year == year and counted(row, mirrors):
            months[date(year, row.day.month, 1)] += row.count
    return months


def expected_total(rows: list[DownloadRow], project: str, through: date, *, mirrors: bool) -> int:
    return sum(
        r.count for r in rows if r.project == project and r.day <= through and counted(r, mirrors)
    )


def client(fake: FakeClickHouse, clock: FakeClock) -> HttpClient:
    return HttpClient(transport=mock_transport(fake.handle), sleep=clock.sleep, clock=clock.time)


@pytest.fixture
def fake() -> FakeClickHouse:
    return FakeClickHouse(rows=constructed_rows())


@pytest.mark.parametrize("mirrors", [True, False], ids=["with-mirrors", "without-mirrors"])
def test_monthly_covers_a_year_in_one_query_with_a_zero_month(
    fake: FakeClickHouse, mirrors: bool
) -> None:
    clock = FakeClock()
    with client(fake, clock) as http:
        source: HistorySource = ClickHouseSource(http, CLICKHOUSE_URL)
        # Days inside the first and last month: the whole months holding them are asked for.
        history = source.monthly(PACKAGE, date(2023, 1, 17), date(2023, 12, 2), mirrors=mirrors)

    truth = expected_months(fake.rows, PACKAGE, 2023, mirrors=mirrors)
    assert dict(history.months) == truth
    assert list(history.months) == [date(2023, m, 1) for m in range(1, 13)]
    assert history.months[EMPTY_MONTH] == 0
    assert all(history.months[m] > 0 for m in truth if m != EMPTY_MONTH)
    assert (history.package, history.source, history.mirrors) == (PACKAGE, SOURCE, mirrors)
    assert history.bytes_billed is None  # ClickPy charges nothing and reports no bill

    [query] = fake.received
    assert query.method == "POST" and query.user == "demo"
    assert "GROUP BY month" in query.sql and "sum(count)" in query.sql
    table = ALL_DOWNLOADS_TABLE if mirrors else BY_INSTALLER_TABLE
    assert f"FROM {table}\n" in query.sql
    # Half-open: from the first of January to the first of the next January.
    assert query.params["first"] == "2023-01-01" and query.params["end"] == "2024-01-01"


def test_without_mirrors_leaves_out_mirror_installers_and_unknown_ones() -> None:
    day = date(2023, 6, 10)
    counts = {
        "pip": 5,
        "uv": 2,
        "": 7,
        "bandersnatch": 100,
        "z3c.pypimirror": 13,
        "Artifactory": 11,
        "devpi": 3,
    }
    fake = FakeClickHouse(rows=[DownloadRow(day, PACKAGE, i, n) for i, n in counts.items()])
    with client(fake, FakeClock()) as http:
        source = ClickHouseSource(http, CLICKHOUSE_URL)
        without = source.monthly(PACKAGE, day, day, mirrors=False)
        with_mirrors = source.monthly(PACKAGE, day, day, mirrors=True)
        total_without = source.total(PACKAGE, day, mirrors=False)

    assert without.months == {date(2023, 6, 1): 5 + 2}
    assert with_mirrors.months == {date(2023, 6, 1): 141}
    assert total_without.downloads == 7
    installers = {v for k, v in fake.received[0].params.items() if k.startswith("mirror_")}
    assert installers == MIRRORS


@pytest.mark.parametrize("mirrors", [True, False], ids=["with-mirrors", "without-mirrors"])
def test_total_counts_every_day_through_the_day_asked_for(
    fake: FakeClickHouse, mirrors: bool
) -> None:
    through = date(2023, 8, 14)
    with client(fake, FakeClock()) as http:
        total = ClickHouseSource(http, CLICKHOUSE_URL).total(PACKAGE, through, mirrors=mirrors)

    truth = expected_total(fake.rows, PACKAGE, through, mirrors=mirrors)
    day_itself = sum(
        r.count
        for r in fake.rows
        if r.project == PACKAGE and r.day == through and counted(r, mirrors)
    )
    assert day_itself > 0  # so "inclusive" is actually tested
    assert total.downloads == truth
    assert (
        total.downloads
        == expected_total(fake.rows, PACKAGE, through - timedelta(1), mirrors=mirrors) + day_itself
    )
    assert (total.package, total.source, total.mirrors, total.through) == (
        PACKAGE,
        SOURCE,
        mirrors,
        through,
    )
    [query] = fake.received
    assert query.params["through"] == "2023-08-14" and "GROUP BY" not in query.sql


@pytest.mark.parametrize("quoted", [True, False], ids=["quoted-uint64", "bare-uint64"])
def test_integers_are_read_quoted_or_not(quoted: bool) -> None:
    fake = FakeClickHouse(rows=constructed_rows(), quote_64bit_integers=quoted)
    through = date(2023, 12, 31)
    with client(fake, FakeClock()) as http:
        source = ClickHouseSource(http, CLICKHOUSE_URL)
        history = source.monthly(PACKAGE, date(2023, 1, 1), through, mirrors=True)
        total = source.total(PACKAGE, through, mirrors=True)
        # What the fake answered, read raw, is the form this case is about.
        raw = http.request(
            "POST",
            "https://sql-clickhouse.clickhouse.com/",
            params={"user": "demo", "param_project": PACKAGE, "param_through": "2023-12-31"},
            content=fake.received[-1].sql,
        ).json()
    assert isinstance(raw["data"][0]["downloads"], str if quoted else int)
    assert dict(history.months) == expected_months(fake.rows, PACKAGE, 2023, mirrors=True)
    assert total.downloads == expected_total(fake.rows, PACKAGE, through, mirrors=True)


def test_package_names_are_normalised_before_the_query(fake: FakeClickHouse) -> None:
    with client(fake, FakeClock()) as http:
        total = ClickHouseSource(http, CLICKHOUSE_URL).total(
            "PyTorch_.Optimizer", date(2023, 12, 31), mirrors=True
        )
    assert fake.received[0].params["project"] == PACKAGE
    assert total.package == PACKAGE
    assert total.downloads == expected_total(fake.rows, PACKAGE, date(2023, 12, 31), mirrors=True)


def test_a_hostile_package_name_travels_only_as_a_parameter() -> None:
    # A quote, a backslash, a tab and a newline: each must reach ClickHouse escaped.
    hostile = "x' OR 1=1) UNION SELECT *\tFROM system.users --\\ {project:String}\n;"
    normalised = "x' or 1=1) union select *\tfrom system-users -\\ {project:string}\n;"
    day = date(2023, 5, 5)
    fake = FakeClickHouse(
        rows=[DownloadRow(day, normalised, "pip", 3), DownloadRow(day, PACKAGE, "pip", 1000)]
    )
    with client(fake, FakeClock()) as http:
        source = ClickHouseSource(http, CLICKHOUSE_URL)
        history = source.monthly(hostile, day, day, mirrors=False)
        total = source.total(hostile, day, mirrors=True)

    # ClickHouse would decode the parameter back to exactly the normalised name: only its rows.
    assert history.months == {date(2023, 5, 1): 3}
    assert total.downloads == 3
    for query in fake.received:
        assert query.params["project"] == normalised
        for fragment in ("OR 1=1", "or 1=1", "UNION", "union", "system", "x'"):
            assert fragment not in query.sql
        # Nothing but the SQL and its placeholders: no value of any kind is pasted in.
        assert "2023" not in query.sql and "pip" not in query.sql


def test_a_package_clickpy_does_not_know_is_zeros_not_an_error(fake: FakeClickHouse) -> None:
    with client(fake, FakeClock()) as http:
        source = ClickHouseSource(http, CLICKHOUSE_URL)
        history = source.monthly(
            "no-such-package", date(2023, 1, 1), date(2023, 3, 31), mirrors=False
        )
        total = source.total("no-such-package", date(2023, 3, 31), mirrors=False)
    assert history.months == {date(2023, m, 1): 0 for m in (1, 2, 3)}
    assert total.downloads == 0


def test_a_refused_user_is_one_line_that_says_what_to_do(fake: FakeClickHouse) -> None:
    fake.users = {"play": ""}  # a server that does not know user demo
    clock = FakeClock()
    with client(fake, clock) as http, pytest.raises(UpstreamError) as caught:
        ClickHouseSource(http, CLICKHOUSE_URL).total(PACKAGE, date(2023, 12, 31), mirrors=True)
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(
        "ClickHouse at sql-clickhouse.clickhouse.com refused user demo (Code 516)"
    )
    assert "Authentication failed" in text and "DB::Exception" not in text
    assert "DEVSTATS_CLICKHOUSE_URL" in text and "--downloads-source" in text
    assert caught.value.exit_code == 5
    assert len(fake.received) == 1 and clock.sleeps == []  # refused for good: no retries


def test_an_exhausted_quota_is_one_line_and_not_retried(fake: FakeClickHouse) -> None:
    fake.max_queries = 1
    clock = FakeClock()
    with client(fake, clock) as http:
        source = ClickHouseSource(http, CLICKHOUSE_URL)
        source.total(PACKAGE, date(2023, 12, 31), mirrors=True)
        with pytest.raises(UpstreamError) as caught:
            source.monthly(PACKAGE, date(2023, 1, 1), date(2023, 12, 31), mirrors=True)
    text = str(caught.value)
    assert "\n" not in text
    assert "user demo is over its quota (Code 201)" in text
    assert "Interval will end at 2030-01-01 00:00:00" in text  # ClickHouse's own words on when
    assert "--downloads-source" in text
    assert len(fake.received) == 2 and clock.sleeps == []


def test_a_server_error_is_retried_and_then_answered(fake: FakeClickHouse) -> None:
    fake.failures = [
        httpx.Response(502, text="<html>bad gateway</html>"),
        error_response(202, "Too many simultaneous queries. Maximum: 100"),
    ]
    clock = FakeClock()
    with client(fake, clock) as http:
        total = ClickHouseSource(http, CLICKHOUSE_URL).total(
            PACKAGE, date(2023, 12, 31), mirrors=False
        )
    assert total.downloads == expected_total(fake.rows, PACKAGE, date(2023, 12, 31), mirrors=False)
    assert len(fake.received) == 3
    assert clock.sleeps == [1.0, 2.0]


def test_a_query_clickhouse_will_always_refuse_is_not_retried(fake: FakeClickHouse) -> None:
    fake.failures = [error_response(456, "Substitution `project` is not set")]
    clock = FakeClock()
    with client(fake, clock) as http, pytest.raises(UpstreamError) as caught:
        ClickHouseSource(http, CLICKHOUSE_URL).total(PACKAGE, date(2023, 12, 31), mirrors=True)
    assert "rejected the query for 'pytorch-optimizer' (Code 456)" in str(caught.value)
    assert clock.sleeps == []


def test_an_error_streamed_after_a_200_is_an_error() -> None:
    def midway(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            text='{"meta": [{"name": "downloads", "type": "UInt64"}], "data": [\n'
            "Code: 241. DB::Exception: Memory limit (total) exceeded. (MEMORY_LIMIT_EXCEEDED)\n",
        )

    with (
        HttpClient(transport=httpx.MockTransport(midway)) as http,
        pytest.raises(UpstreamError) as caught,
    ):
        ClickHouseSource(http, CLICKHOUSE_URL).total(PACKAGE, date(2023, 12, 31), mirrors=True)
    assert "failed mid-answer" in str(caught.value) and "Memory limit" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_reversed_range_is_a_programming_error(fake: FakeClickHouse) -> None:
    with client(fake, FakeClock()) as http, pytest.raises(ValueError):
        ClickHouseSource(http, CLICKHOUSE_URL).monthly(
            PACKAGE, date(2023, 5, 1), date(2023, 4, 30), mirrors=True
        )
    assert fake.received == []


def test_over_real_http_with_the_real_client(fake: FakeClickHouse) -> None:
    with serve(fake.handle) as server, HttpClient() as http:
        source = ClickHouseSource(http, base_url=server.url)
        history = source.monthly(PACKAGE, date(2023, 1, 1), date(2023, 12, 31), mirrors=False)
        total = source.total(PACKAGE, date(2023, 12, 31), mirrors=False)
    assert dict(history.months) == expected_months(fake.rows, PACKAGE, 2023, mirrors=False)
    assert total.downloads == expected_total(fake.rows, PACKAGE, date(2023, 12, 31), mirrors=False)
    [first, _] = server.requests
    assert first.method == "POST" and first.url.path == "/"
    assert first.headers["content-type"].startswith("text/plain")
    assert first.url.params["user"] == "demo" and "password" not in first.url.params


def test_recorded_queries_replay_without_the_server(fake: FakeClickHouse, tmp_path: Path) -> None:
    folder = tmp_path / "cassettes"
    recorder = RecordingTransport(folder, inner=mock_transport(fake.handle))
    with HttpClient(transport=recorder) as http:
        live = ClickHouseSource(http, CLICKHOUSE_URL).monthly(
            PACKAGE, date(2023, 1, 1), date(2023, 6, 30), mirrors=False
        )
    with HttpClient(transport=ReplayTransport(folder)) as http:
        replayed = ClickHouseSource(http, CLICKHOUSE_URL).monthly(
            PACKAGE, date(2023, 1, 1), date(2023, 6, 30), mirrors=False
        )
    assert replayed == live
    assert len(fake.received) == 1
