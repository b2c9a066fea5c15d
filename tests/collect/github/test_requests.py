"""How many requests a year costs on GitHub, on constructed worlds whose truth the test knows.

The bound: 1 request for the calendar and the first window, plus one per 10 pages of 100
commits (the lower bound a collector reading ten pages a query cannot beat), times 1.2 for the
windows a year of more than 100 repositories is split into; and one request per 10 projects per
page round for stars and releases. Batches GitHub refuses or times out on are halved.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest

from devstats.collect.github.activity import collect_github_activity
from devstats.collect.github.batches import BatchSize, timed_out
from devstats.collect.github.commits import HistorySpan, plan_spans
from devstats.collect.github.stars import STARS_BATCH_SIZE, fetch_projects
from devstats.http.answers import QueryTooLargeError
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError
from devstats.model.facts import GitHubActivity
from tests.fakes.github_world import FakeCommit, FakeGitHub, GitHubWorld, fake_sha
from tests.fakes.year_world import LARGE, LOGIN, SMALL, YearSpec, build_year

GRAPHQL = "https://api.github.com/graphql"


def counted(world: GitHubWorld, year: int) -> Counter[str]:
    """Commit contributions per repository, as the world counts them (author date, UTC)."""
    user = world.user(LOGIN)
    assert user is not None
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) - timedelta(seconds=1)
    return Counter(r.name_with_owner for r, _ in world.commit_contributions(user, start, end))


def lower_bound(per_repository: Counter[str]) -> int:
    pages = sum(math.ceil(n / 100) for n in per_repository.values())
    return 1 + math.ceil(pages / 10)


def collect(fake: FakeGitHub, year: int) -> GitHubActivity:
    with HttpClient(transport=fake.transport(), sleep=lambda _s: None) as http:
        return collect_github_activity(
            http, user=LOGIN, year=year, tz=UTC, graphql_url=fake.graphql_url
        )


@pytest.fixture(scope="module")
def large() -> tuple[FakeGitHub, GitHubActivity, Counter[str]]:
    world = build_year(LARGE).github
    fake = FakeGitHub(world)
    return fake, collect(fake, LARGE.year), counted(world, LARGE.year)


def test_300_repositories_cost_at_most_a_fifth_over_the_lower_bound(large) -> None:
    fake, activity, per_repository = large
    assert len(per_repository) == 300 and sum(per_repository.values()) == 15_000
    assert activity.contributions.commits == len(activity.commits) == 15_000
    assert all(item.matches for item in activity.reconciliation)
    assert activity.warnings == ()
    bound = lower_bound(per_repository)
    assert len(fake.graphql_requests) <= 1.2 * bound


def test_the_repositories_of_300_are_listed_months_then_days_many_a_query(large) -> None:
    fake, activity, _ = large
    windows = [r for r in fake.graphql_requests if "query CommitWindows" in (r.query or "")]
    sizes = [sum(1 for k in r.variables if k.startswith("from")) for r in windows]
    # the 12 months in one query (a year of days), then the days of the months that still
    # list 100 repositories, up to 100 a query
    assert sizes[0] == 12
    assert all(1 <= s <= 100 for s in sizes[1:]) and len(sizes) <= 1 + math.ceil(366 / 100)
    days = [r.variables[k] for r in windows[1:] for k in r.variables if k.startswith("from")]
    assert all(d.endswith("T00:00:00+00:00") for d in days)
    assert len(activity.repositories) >= 300


def test_a_small_year_costs_the_lower_bound() -> None:
    world = build_year(SMALL).github
    fake = FakeGitHub(world)
    activity = collect(fake, SMALL.year)
    per_repository = counted(world, SMALL.year)
    assert activity.contributions.commits == len(activity.commits) == 1_700
    assert all(item.matches for item in activity.reconciliation)
    # the busiest repository has commits on more than 200 days: the months between its newest
    # and oldest 100 ride along with the first history query
    assert len(fake.graphql_requests) == lower_bound(per_repository)
    assert "from0" in fake.graphql_requests[1].variables


def test_the_year_before_is_read_the_same_way() -> None:
    spec = YearSpec("previous", 120, 6_000, 0)
    world = build_year(spec).github
    fake = FakeGitHub(world)
    activity = collect(fake, spec.year - 1)
    per_repository = counted(world, spec.year - 1)
    assert activity.contributions.commits == len(activity.commits) == sum(per_repository.values())
    assert len(fake.graphql_requests) <= 1.2 * lower_bound(per_repository)


# --- batches GitHub cannot answer in time are halved ---------------------------------------------


def test_a_history_batch_that_times_out_is_halved_not_retried() -> None:
    world = build_year(YearSpec("thirty", 30, 600, 0)).github
    fake = FakeGitHub(world)
    fake.limit_reads(4)  # more than 4 repositories (or windows) a query run out of time
    activity = collect(fake, 2025)
    assert activity.contributions.commits == len(activity.commits) == 600
    history = [r for r in fake.graphql_requests if "query CommitHistory" in (r.query or "")]
    sizes = [(sum(1 for k in r.variables if k.startswith("n")), r.status) for r in history]
    # 10 and 5 time out (each once: no retry of a batch that timed out), then 2 a query
    assert sizes[:3] == [(10, 502), (5, 502), (2, 200)]
    assert fake.timeouts == 2
    assert {size for size, status in sizes[2:]} == {1, 2} and all(s == 200 for _, s in sizes[2:])


def test_windows_riding_on_a_history_query_that_times_out_go_alone() -> None:
    world = GitHubWorld()
    world.add_user(LOGIN, emails=["dana@example.com"])
    daily = [datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(days=i) for i in range(365)]
    spread = [datetime(2025, 3, 1, 9, tzinfo=UTC) + timedelta(days=9 * i) for i in range(3)]
    for name, times in {"daily": daily, **{f"r{i}": spread for i in range(12)}}.items():
        world.add_repository(LOGIN, name)
        for n, when in enumerate(times):
            sha = fake_sha(name, n)
            email = "dana@example.com"
            world.add_commit(
                f"{LOGIN}/{name}", FakeCommit(sha, "D", email, when, "D", email, when, "x")
            )
    fake = FakeGitHub(world)
    fake.limit_reads(10)
    activity = collect(fake, 2025)
    assert activity.contributions.commits == len(activity.commits) == 365 + 36
    assert all(item.matches for item in activity.reconciliation)
    statuses = [(r.query.split("(")[0].split()[-1], r.status) for r in fake.graphql_requests[1:]]
    # 10 readings and 6 windows time out; the windows alone; the readings again, as they were
    assert statuses[:3] == [("CommitHistory", 502), ("CommitWindows", 200), ("CommitHistory", 200)]
    assert fake.timeouts == 1


def test_a_windows_batch_that_times_out_is_halved() -> None:
    # 150 repositories, each with commits on one day: the year lists 100, so months are asked.
    world = build_year(YearSpec("many", 150, 150, 0)).github
    fake = FakeGitHub(world)
    fake.limit_reads(3)
    activity = collect(fake, 2025)
    assert activity.contributions.commits == len(activity.commits) == 150
    windows = [r for r in fake.graphql_requests if "query CommitWindows" in (r.query or "")]
    first = [(sum(1 for k in r.variables if k.startswith("from")), r.status) for r in windows]
    # 12 months (a year of days), then 6 (half a year), time out; then 3 months a query
    assert first[:2] == [(12, 502), (6, 502)]
    assert all(n <= 3 and status == 200 for n, status in first[2:])


def test_a_single_read_that_times_out_is_retried_like_any_request() -> None:
    world = build_year(YearSpec("one", 1, 20, 0)).github
    fake = FakeGitHub(world)
    fake.fail_next("server_error")  # GitHub's 502, which says it may be a timeout
    assert len(collect(fake, 2025).commits) == 20
    assert [r.status for r in fake.log][:2] == [502, 200]


def test_a_timeout_reported_inside_an_answer_is_a_query_too_large() -> None:
    # GitHub's docs: a query stopped after 10 seconds gets "We couldn't respond to your request
    # in time". Like a refused one, the year's query is then asked for per quarter.
    world = build_year(YearSpec("twelve", 12, 120, 0)).github
    fake = FakeGitHub(world)
    message = "We couldn't respond to your request in time. Sorry about that."
    fake.fail_next("graphql_error", message=message)
    with HttpClient(transport=fake.transport()) as http, pytest.raises(QueryTooLargeError):
        http.graphql(fake.graphql_url, "query { viewer { login } }")
    fake.fail_next("graphql_error", message=message)
    activity = collect(fake, 2025)
    assert len(activity.commits) == activity.contributions.commits == 120
    years = [r.variables.get("from", "")[:10] for r in fake.graphql_requests[1:6]]
    assert years == ["2025-01-01", "2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"]


def test_batch_sizes_halve_and_take_at_least_one() -> None:
    size = BatchSize(10)
    assert size.take(list(range(25))) == (list(range(10)), list(range(10, 25)))
    assert size.shrink(10) and size.current == 5
    assert size.shrink(3) and size.current == 1
    assert not size.shrink(1)
    weights = BatchSize(60)
    assert weights.take([31, 28, 31], lambda w: w) == ([31, 28], [31])
    assert weights.take([90, 1], lambda w: w) == ([90], [1])  # one item always goes


def test_only_a_timeout_answer_fails_fast() -> None:
    import httpx

    timeout = httpx.Response(
        502,
        json={
            "errors": [
                {"message": "This may be the result of a timeout, or it could be a GitHub bug."}
            ]
        },
    )
    assert isinstance(timed_out(timeout), QueryTooLargeError)
    assert timed_out(httpx.Response(502, text="Bad gateway")) is None
    assert timed_out(httpx.Response(500, text="may be the result of a timeout")) is None


# --- spans of about a page ------------------------------------------------------------------------


def test_spans_hold_about_a_page_and_cover_the_year_exactly() -> None:
    whole = HistorySpan(datetime(2021, 12, 31, tzinfo=UTC), datetime(2023, 1, 2, tzinfo=UTC))
    days = {date(2022, 1, 1) + timedelta(days=i): 1 + i % 3 for i in range(365)}
    days[date(2022, 6, 1)] = 250  # one day holds more than a page: it is never cut
    spans = plan_spans(whole, days)
    assert spans[0].since == whole.since and spans[-1].until == whole.until
    for before, after in pairwise(spans):
        assert before.until + timedelta(seconds=1) == after.since
        assert after.since.time() == datetime.min.time()
    held = [sum(n for d, n in days.items() if s.since.date() <= d <= s.until.date()) for s in spans]
    assert sum(held) == sum(days.values())
    assert [h for h in held if h > 100] == [250]
    # as few pieces as pages of 100 allow (filling each as far as it goes), but evenly filled
    fewest, filled = 1, 0
    for _, count in sorted(days.items()):
        if filled and filled + count > 100:
            fewest, filled = fewest + 1, 0
        filled += count
    assert len(spans) == fewest
    assert plan_spans(whole, {}) == (whole,)


def test_the_room_left_in_spans_is_shared_evenly() -> None:
    # One commit a day: 4 pieces are needed, and each keeps room for commits read beside them.
    whole = HistorySpan(datetime(2021, 12, 31, tzinfo=UTC), datetime(2023, 1, 2, tzinfo=UTC))
    days = {date(2022, 1, 1) + timedelta(days=i): 1 for i in range(365)}
    spans = plan_spans(whole, days)
    held = [sum(1 for d in days if s.since.date() <= d <= s.until.date()) for s in spans]
    assert held == [92, 92, 92, 89]


# --- stars and releases, side by side -------------------------------------------------------------


def star_pages(times: list[datetime], since: datetime) -> int:
    """Pages a newest-first walk reads to reach a star older than `since` (or the end)."""
    newer = sum(1 for t in times if t >= since)
    return newer // 100 + 1 if newer < len(times) else max(1, math.ceil(newer / 100))


def test_stars_of_25_projects_cost_one_request_per_10_per_page_round() -> None:
    world = build_year(YearSpec("stars", 25, 250, 0)).github
    fake = FakeGitHub(world)
    names = [r.name_with_owner for r in world.repositories.values()]
    since = datetime(2025, 1, 1, tzinfo=UTC)
    with HttpClient(transport=fake.transport()) as http:
        read = fetch_projects(http, GRAPHQL, names, since=since, releases_of=names[:3])
    pages = {n: star_pages(world.repositories[n.lower()].starred_at, since) for n in names}
    rounds = max(pages.values())
    assert rounds >= 2  # the busiest projects gained more than 100 stars in the year
    expected = sum(
        math.ceil(sum(1 for p in pages.values() if p > r) / STARS_BATCH_SIZE) for r in range(rounds)
    )
    assert len(fake.graphql_requests) == expected
    for name in names:
        times = world.repositories[name.lower()].starred_at
        assert read[name].star_times == tuple(
            sorted((t for t in times if t >= since), reverse=True)
        )
        assert read[name].complete
    assert {n for n in names if read[n].releases is not None} == set(names[:3])
    tags = [r.tag for r in read[names[0]].releases or ()]
    assert tags == [
        r.tag
        for r in sorted(
            world.repositories[names[0].lower()].releases,
            key=lambda r: r.published_at or since,
            reverse=True,
        )
    ]


def test_an_unknown_project_is_named() -> None:
    world = build_year(YearSpec("two", 2, 20, 0)).github
    fake = FakeGitHub(world)
    names = [*(r.name_with_owner for r in world.repositories.values()), "dana/gone"]
    with (
        HttpClient(transport=fake.transport()) as http,
        pytest.raises(NotFoundError, match="dana/gone"),
    ):
        fetch_projects(http, GRAPHQL, names, since=datetime(2025, 1, 1, tzinfo=UTC))
