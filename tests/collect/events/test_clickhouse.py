"""devstats.collect.events.clickhouse against an embedded ClickHouse (chDB) holding constructed
GitHub events in the table ClickHouse publishes.

Every expected figure is counted here, in the test, from the rows handed to the fake.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from devstats.classify.received import received_of_year
from devstats.collect.events.clickhouse import LABEL, NAME, ClickHouseEvents, events_sql
from devstats.http.client import HttpClient
from devstats.model.errors import UpstreamError
from devstats.model.facts import ContributionsToOthers, Release
from devstats.model.rules import DEFAULT_BOT_ACCOUNTS
from devstats.settings.endpoints import Endpoints
from tests.fakes import mock_transport
from tests.fakes.clickhouse import FakeClickHouse, error_response
from tests.fakes.clock import FakeClock
from tests.fakes.events_world import fake_events
from tests.fakes.github_events import (
    EventRow,
    FakeGitHubEvents,
    first_of,
    pull_request,
    release,
    star,
)
from tests.fakes.kozistr_2022 import build_world
from tests.fakes.loopback import serve

URL = Endpoints().clickhouse
SEOUL = ZoneInfo("Asia/Seoul")
OPTIMIZER = "kozistr/pytorch_optimizer"
OTHER = "kozistr/kozistr"
START = datetime(2022, 1, 1, tzinfo=SEOUL)
END = datetime(2023, 1, 1, tzinfo=SEOUL)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def constructed() -> list[EventRow]:
    rng = random.Random(22)
    rows: list[EventRow] = []
    # 1,234 people star the optimizer through 2022 (UTC+9 edges on both sides), one twice.
    for n in range(1234):
        rows.append(
            star(f"fan{n}", OPTIMIZER, utc(2022, 1, 3) + timedelta(minutes=rng.randint(0, 500_000)))
        )
    rows.append(star("fan7", OPTIMIZER, utc(2022, 6, 1)))
    rows.append(star("early", OPTIMIZER, utc(2021, 12, 31, 16)))  # 01:00 in Seoul, 2022
    rows.append(star("late", OPTIMIZER, utc(2022, 12, 31, 15)))  # 00:00 in Seoul, 2023
    rows.append(star("before", OPTIMIZER, utc(2021, 6, 1)))
    rows.append(EventRow("WatchEvent", "forker", OPTIMIZER, utc(2022, 2, 1), "none"))  # not a star
    rows.append(EventRow("ForkEvent", "forker", OPTIMIZER, utc(2022, 2, 1)))
    rows += [star(f"o{n}", OTHER, utc(2022, 5, n + 1)) for n in range(5)]
    rows.append(star("x", "someone/else", utc(2022, 5, 1)))
    # Pull requests: carol for the first time (merged), dave again, a bot, the owner herself.
    rows += pull_request(
        "carol", OPTIMIZER, 12, utc(2022, 3, 2), title="Fix Lamb", merged=utc(2022, 3, 5)
    )
    rows += pull_request("dave", OPTIMIZER, 3, utc(2021, 4, 1), merged=utc(2021, 4, 2))
    rows += pull_request("dave", OPTIMIZER, 15, utc(2022, 8, 1), title="Add Adan")
    rows += pull_request("dave", OPTIMIZER, 16, utc(2022, 12, 30), merged=utc(2023, 1, 3))
    rows += pull_request("dependabot[bot]", OPTIMIZER, 14, utc(2022, 7, 1), merged=utc(2022, 7, 2))
    rows += pull_request("kozistr", OPTIMIZER, 13, utc(2022, 7, 3), merged=utc(2022, 7, 3))
    rows += pull_request("erin", OPTIMIZER, 20, utc(2023, 2, 1))  # after the year
    rows += [
        release("kozistr", OPTIMIZER, "v1.3.2", utc(2021, 11, 1)),
        release("kozistr", OPTIMIZER, "v2.0.0", utc(2022, 5, 1)),
        release("kozistr", OPTIMIZER, "v2.1.0", utc(2023, 3, 1)),
    ]
    return rows


@pytest.fixture
def fake() -> FakeGitHubEvents:
    return FakeGitHubEvents(rows=constructed())


def client(fake: FakeGitHubEvents, clock: FakeClock) -> HttpClient:
    return HttpClient(transport=mock_transport(fake.handle), sleep=clock.sleep, clock=clock.time)


def expected_stars(rows: list[EventRow], repository: str) -> tuple[int, int, int]:
    stars = [
        r
        for r in rows
        if r.repository == repository and r.event_type == "WatchEvent" and r.action == "started"
    ]
    inside = [r for r in stars if START <= r.at < END]
    return len(inside), len({r.actor for r in inside}), len({r.actor for r in stars if r.at >= END})


def test_one_query_answers_stars_pull_requests_and_releases(fake: FakeGitHubEvents) -> None:
    with client(fake, FakeClock()) as http:
        events = ClickHouseEvents(http, URL).project_events(
            [OPTIMIZER, OTHER, "kozistr/empty"], start=START, end=END
        )
    assert len(fake.received) == 1
    assert (events.source, events.label) == (NAME, LABEL)
    stars = {s.repository: (s.events, s.people, s.later_people) for s in events.stars}
    assert stars == {
        OPTIMIZER: expected_stars(fake.rows, OPTIMIZER),
        OTHER: expected_stars(fake.rows, OTHER),
    }
    assert stars[OPTIMIZER] == (1236, 1235, 1)  # 1,234 fans and "early"; fan7 twice; "late"
    pulls = {(p.number, p.author, p.merged_at) for p in events.pull_requests}
    assert pulls == {
        (12, "carol", utc(2022, 3, 5)),
        (15, "dave", None),
        (16, "dave", utc(2023, 1, 3)),  # merged after the year: still a merge
        (14, "dependabot[bot]", utc(2022, 7, 2)),
        (13, "kozistr", utc(2022, 7, 3)),
    }
    assert next(p.title for p in events.pull_requests if p.number == 12) == "Fix Lamb"
    firsts = {(f.author, f.first_opened_at) for f in events.first_pull_requests}
    assert firsts == {
        ("carol", utc(2022, 3, 2)),
        ("dave", utc(2021, 4, 1)),
        ("dependabot[bot]", utc(2022, 7, 1)),
        ("kozistr", utc(2022, 7, 3)),
    }
    assert [(r.tag, r.published_at) for r in events.releases] == [
        ("v1.3.2", utc(2021, 11, 1)),
        ("v2.0.0", utc(2022, 5, 1)),
    ]
    newest = max(r.at for r in fake.rows)
    assert events.loaded_through == newest.replace(minute=0, second=0)


def test_values_travel_only_as_parameters(fake: FakeGitHubEvents) -> None:
    with client(fake, FakeClock()) as http:
        ClickHouseEvents(http, URL).project_events([OPTIMIZER, OTHER], start=START, end=END)
    (query,) = fake.received
    assert "kozistr" not in query.sql and "2022" not in query.sql
    assert query.user == "demo"
    assert query.params == {
        "r0": OPTIMIZER,
        "r1": OTHER,
        "start": "2021-12-31 15:00:00",
        "end": "2022-12-31 15:00:00",
    }
    assert query.sql == events_sql(2)


def test_an_empty_history_is_zeros_and_nothing_loaded() -> None:
    fake = FakeGitHubEvents()
    with client(fake, FakeClock()) as http:
        events = ClickHouseEvents(http, URL).project_events([OPTIMIZER], start=START, end=END)
    assert events.stars == () and events.pull_requests == () and events.releases == ()
    assert events.loaded_through is None


def test_no_repository_asks_nothing(fake: FakeGitHubEvents) -> None:
    with client(fake, FakeClock()) as http:
        events = ClickHouseEvents(http, URL).project_events([], start=START, end=END)
    assert fake.received == [] and events.stars == ()


@pytest.mark.parametrize("name", ["kozistr", "a/b/c", "a/b' OR 1=1", "a/b\nc", ""])
def test_a_name_that_is_not_owner_slash_name_is_refused(fake: FakeGitHubEvents, name: str) -> None:
    with client(fake, FakeClock()) as http, pytest.raises(ValueError):
        ClickHouseEvents(http, URL).project_events([name], start=START, end=END)
    assert fake.received == []


def test_an_exhausted_quota_is_one_line_that_names_the_fallback(fake: FakeGitHubEvents) -> None:
    fake.max_queries = 0
    clock = FakeClock()
    with client(fake, clock) as http, pytest.raises(UpstreamError) as caught:
        ClickHouseEvents(http, URL).project_events([OPTIMIZER], start=START, end=END)
    text = str(caught.value)
    assert "\n" not in text
    assert "user demo is over its quota (Code 201)" in text
    assert "--events-source github" in text
    assert len(fake.received) == 1 and clock.sleeps == []


def test_a_refused_user_is_not_retried(fake: FakeGitHubEvents) -> None:
    fake.users = {"play": ""}
    clock = FakeClock()
    with client(fake, clock) as http, pytest.raises(UpstreamError) as caught:
        ClickHouseEvents(http, URL).project_events([OPTIMIZER], start=START, end=END)
    assert "refused user demo (Code 516)" in str(caught.value)
    assert len(fake.received) == 1 and clock.sleeps == []


def test_a_server_error_is_retried_and_then_answered(fake: FakeGitHubEvents) -> None:
    fake.failures = [error_response(202, "Too many simultaneous queries. Maximum: 100")]
    clock = FakeClock()
    with client(fake, clock) as http:
        events = ClickHouseEvents(http, URL).project_events([OTHER], start=START, end=END)
    assert [(s.repository, s.events) for s in events.stars] == [(OTHER, 5)]
    assert len(fake.received) == 2 and clock.sleeps == [1.0]


def test_the_real_engine_rejects_a_query_it_cannot_run(fake: FakeGitHubEvents) -> None:
    """The fake's errors are the engine's own: a broken query is not retried."""
    sql = events_sql(1).replace("uniqExactIf(actor_login", "uniqExactIf(no_such_column")
    clock = FakeClock()
    with client(fake, clock) as http:
        engine = ClickHouseEvents(http, URL)
        with pytest.raises(UpstreamError) as caught:
            engine._query(
                sql, {"r0": OPTIMIZER, "start": "2022-01-01 00:00:00", "end": "2023-01-01 00:00:00"}
            )
    assert "rejected the GitHub events query (Code 47)" in str(caught.value)
    assert clock.sleeps == []


def test_beside_clickpy_on_one_host_over_real_http(fake: FakeGitHubEvents) -> None:
    downloads = FakeClickHouse()
    with serve(first_of(fake.handle, downloads.handle)) as server, HttpClient() as http:
        events = ClickHouseEvents(http, server.url).project_events([OTHER], start=START, end=END)
    assert [(s.repository, s.events, s.people) for s in events.stars] == [(OTHER, 5, 5)]
    assert downloads.received == [] and len(fake.received) == 1


def test_the_demo_worlds_history_says_what_its_github_says() -> None:
    """The offline demo's event history (tests/fakes/events_world.py) agrees with its GitHub:
    the same stars in 2022, Bing-su's two pull requests to pytorch_optimizer (the first ones),
    dependabot's left out, and the major releases of pytorch_optimizer."""
    github = build_world()
    fake = fake_events(github)
    listed = [OPTIMIZER, "kozistr/kozistr.github.io", "kozistr/Awesome-GANs"]
    with client(fake, FakeClock()) as http:
        events = ClickHouseEvents(http, URL).project_events(listed, start=START, end=END)
    releases = github.repositories[OPTIMIZER.lower()].releases
    received = received_of_year(
        year=2022,
        tz=SEOUL,
        user="kozistr",
        own_organizations=(),
        bot_accounts=DEFAULT_BOT_ACCOUNTS,
        events=events,
        stargazers=None,
        complete_through=None,
        releases={
            OPTIMIZER: [
                Release(OPTIMIZER, r.tag, r.name, r.published_at, r.prerelease) for r in releases
            ]
        },
        work=((), ContributionsToOthers({}, {}, ())),
    )
    in_2022 = {
        name: sum(1 for t in github.repositories[name.lower()].starred_at if START <= t < END)
        for name in listed
    }
    assert {s.repository: s.stars for s in received.stars} == in_2022
    assert in_2022[OPTIMIZER] > 0 and received.source == "clickhouse"
    assert received.pull_requests is not None
    (optimizer,) = received.pull_requests
    assert (optimizer.repository, optimizer.opened, optimizer.merged) == (OPTIMIZER, 2, 2)
    assert optimizer.first_timers == ("Bing-su",)
    assert [(m.tag, m.previous) for m in received.major_releases] == [
        ("v1.1.0", "0.6.0"),
        ("v2.0.0", "1.3.2"),
    ]
