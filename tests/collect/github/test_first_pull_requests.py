"""devstats.collect.github.first_pull_requests against the fake GitHub, which executes the documents
against GitHub's schema; the expected answers are read from the fake's world, not the collector."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import httpx
import pytest
from graphql import parse, validate

from devstats.classify.contributions_to_others import (
    FirstContributions,
    external_repositories,
    first_contributions,
    given_to_others,
)
from devstats.collect.github import first_pull_requests as fpr
from devstats.collect.github.activity import collect_github_activity
from devstats.collect.github.first_pull_requests import (
    fetch_contributions_to_others,
    fetch_first_pull_requests,
)
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError, RateLimitError
from tests.fakes.github_world import (
    FakeGitHub,
    FakeIssue,
    FakePullRequest,
    FakeReview,
    GitHubWorld,
    github_schema,
)
from tests.fakes.loopback import serve

USER = "kim"
OWN_ORGANIZATIONS = ("kim-corp",)
SEOUL = ZoneInfo("Asia/Seoul")
EXTERNAL = [f"ext/p{n:02d}" for n in range(23)]


def client(fake: FakeGitHub, **options: object) -> HttpClient:
    return HttpClient(transport=fake.transport(), sleep=lambda s: None, **options)  # type: ignore[arg-type]


def add_pr(
    world: GitHubWorld,
    repository: str,
    number: int,
    created: datetime,
    merged: datetime | None = None,
    author: str = USER,
) -> None:
    state = "MERGED" if merged else "CLOSED"
    world.add_pull_request(
        FakePullRequest(repository, number, f"change {number}", author, state, created, merged)
    )


def build_world() -> GitHubWorld:
    world = GitHubWorld()
    world.add_user(USER, emails=["kim@example.com"])
    world.add_user("lee", emails=["lee@example.com"])
    for n, repository in enumerate(EXTERNAL):
        opened = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=53 * n)
        # The first pull request is left unmerged in every third project.
        add_pr(world, repository, 1, opened, None if n % 3 == 0 else opened + timedelta(days=n))
        add_pr(world, repository, 2, opened + timedelta(days=5), opened + timedelta(days=9))
        add_pr(world, repository, 3, opened - timedelta(days=1), author="lee")
    # Opened in December 2022, merged in January 2023.
    add_pr(
        world,
        "acme/rocket",
        7,
        datetime(2022, 12, 20, 10, tzinfo=UTC),
        datetime(2023, 1, 5, 3, tzinfo=UTC),
    )
    # Twelve merged pull requests; the eleventh opened is the first merged, and only the ten
    # oldest are read: the answer must say it is not sure.
    for k in range(1, 13):
        opened = datetime(2021, 3, k, tzinfo=UTC)
        merged = (
            opened + timedelta(days=1)
            if k == 11
            else datetime(2021, 6, 1, tzinfo=UTC) + timedelta(days=k)
        )
        add_pr(world, "slow/merge", k, opened, merged)
    # Twelve merged the day after they were opened: the ten oldest settle the first merge.
    for k in range(1, 13):
        opened = datetime(2021, 4, k, tzinfo=UTC)
        add_pr(world, "fast/merge", k, opened, opened + timedelta(days=1))
    world.add_repository("ghost", "private", is_private=True)
    return world


def expected_first_opened(world: GitHubWorld, repository: str) -> int | None:
    mine = [p for p in world.pull_requests if p.repository == repository and p.author == USER]
    return min(mine, key=lambda p: p.created_at).number if mine else None


def expected_first_merged(world: GitHubWorld, repository: str) -> int | None:
    mine = [
        p
        for p in world.pull_requests
        if p.repository == repository and p.author == USER and p.merged_at is not None
    ]
    return min(mine, key=lambda p: p.merged_at or p.created_at).number if mine else None


@pytest.fixture
def world() -> GitHubWorld:
    return build_world()


# --- cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 9, 10, 11, 23])
def test_one_request_per_ten_projects(world: GitHubWorld, count: int) -> None:
    fake = FakeGitHub(world)
    repositories = EXTERNAL[:count]

    found = fetch_first_pull_requests(
        client(fake), fake.graphql_url, user=USER, repositories=repositories
    )

    requests = fake.graphql_requests
    assert len(requests) == math.ceil(count / 10)
    assert len(found.found) == count and found.unreadable == ()
    # Each request carries two searches per repository, each repository once.
    sent = [v for r in requests for k, v in r.variables.items() if k.startswith("p")]
    assert sorted(s.split()[0] for s in sent) == sorted(f"repo:{r}" for r in repositories)
    assert all(r.status == 200 for r in requests)


def test_the_same_repository_spelt_twice_is_asked_for_once(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)

    found = fetch_first_pull_requests(
        client(fake), fake.graphql_url, user=USER, repositories=["ext/p01", "EXT/P01", "ext/p02"]
    )

    assert list(found.found) == ["ext/p01", "ext/p02"]
    assert len(fake.graphql_requests) == 1


def test_no_repositories_no_request(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)

    found = fetch_first_pull_requests(client(fake), fake.graphql_url, user=USER, repositories=[])

    assert found.found == {} and fake.graphql_requests == []


# --- what is found ----------------------------------------------------------------------------


def test_first_opened_and_first_merged_match_the_world(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)
    repositories = [*EXTERNAL, "acme/rocket", "fast/merge", "nobody/here"]
    world.add_pull_request(
        FakePullRequest(
            "nobody/here", 1, "not mine", "lee", "OPEN", datetime(2022, 1, 1, tzinfo=UTC)
        )
    )

    found = fetch_first_pull_requests(
        client(fake), fake.graphql_url, user=USER, repositories=repositories
    ).found

    for repository in repositories:
        first = found[repository]
        opened = first.first_opened.number if first.first_opened else None
        merged = first.first_merged.number if first.first_merged else None
        assert (opened, merged) == (
            expected_first_opened(world, repository),
            expected_first_merged(world, repository),
        ), repository
        assert first.first_merged_certain
    unmerged_first = found["ext/p03"]
    assert unmerged_first.first_opened is not None and unmerged_first.first_opened.merged_at is None
    assert found["nobody/here"].first_opened is None
    rocket = found["acme/rocket"].first_opened
    assert rocket is not None
    assert rocket.merged_at == datetime(2023, 1, 5, 3, tzinfo=UTC)
    assert rocket.url == "https://github.com/acme/rocket/pull/7"


def test_a_first_merge_beyond_the_pull_requests_read_is_flagged(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)

    found = fetch_first_pull_requests(
        client(fake), fake.graphql_url, user=USER, repositories=["slow/merge", "fast/merge"]
    ).found

    slow = found["slow/merge"]
    assert slow.first_merged is not None and slow.first_merged_certain is False
    truth = expected_first_merged(world, "slow/merge")
    assert truth == 11 and slow.first_merged.number != truth  # the one read is not the first
    assert found["fast/merge"].first_merged_certain is True


def test_a_repository_github_will_not_search_costs_only_itself(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)
    repositories = ["ext/p00", "ghost/private", "ext/p01"]

    found = fetch_first_pull_requests(
        client(fake), fake.graphql_url, user=USER, repositories=repositories
    )

    assert found.unreadable == ("ghost/private",)
    assert set(found.found) == {"ext/p00", "ext/p01"}
    assert len(fake.graphql_requests) == 1 + len(repositories)  # the refused batch, then singles


def test_a_rate_limit_is_raised_not_taken_for_a_missing_repository(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)
    fake.fail_next("rate_limited", times=3, reset_in=100_000)

    with pytest.raises(RateLimitError):
        fetch_first_pull_requests(
            client(fake, max_wait=60.0), fake.graphql_url, user=USER, repositories=["ext/p00"]
        )


@pytest.mark.parametrize(
    ("user", "repository"),
    [("kim is:issue", "ext/p00"), (USER, "ext/p00 is:issue"), (USER, "ext"), (USER, "a/b/c")],
)
def test_search_strings_take_only_logins_and_repositories(user: str, repository: str) -> None:
    with pytest.raises(ValueError):
        fpr.first_search(repository, user)


def test_documents_carry_no_names_and_validate_against_githubs_schema(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)
    fetch_first_pull_requests(client(fake), fake.graphql_url, user=USER, repositories=EXTERNAL[:3])

    (request,) = fake.graphql_requests
    assert request.query == fpr.first_pull_requests_query(3)
    assert "ext/" not in (request.query or "") and USER not in (request.query or "")
    assert request.variables["m2"] == "repo:ext/p02 author:kim is:pr is:merged sort:created-asc"
    for name, document in fpr.sample_documents().items():
        assert [e.message for e in validate(github_schema(), parse(document))] == [], name
    with pytest.raises(ValueError):
        fpr.first_pull_requests_query(fpr.BATCH_SIZE + 1)


def test_over_real_http_on_a_loopback_server(world: GitHubWorld) -> None:
    holder: dict[str, FakeGitHub] = {}

    def handle(request: httpx.Request) -> httpx.Response | None:
        return holder["fake"].handle(request)

    with serve(handle) as server:
        fake = FakeGitHub(world, graphql_url=f"{server.url}/graphql", rest_url=f"{server.url}/rest")
        holder["fake"] = fake
        with HttpClient(sleep=lambda s: None) as http:
            found = fetch_first_pull_requests(
                http, fake.graphql_url, user=USER, repositories=["acme/rocket", "ext/p04"]
            )
    assert len(server.requests) == 1
    assert found.found["ext/p04"].first_merged is not None
    assert found.found["ext/p04"].first_merged.number == expected_first_merged(world, "ext/p04")


# --- reviews, issues and merges of the year ---------------------------------------------------


def add_help(world: GitHubWorld) -> dict[str, tuple[int, int]]:
    """Reviews and issues in 2022 by repository: {repository: (reviews, issues)}."""
    given = {
        "lib/json": (4, 1),
        "acme/rocket": (0, 2),
        "kim/dotfiles": (7, 3),
        "kim-corp/api": (2, 0),
    }
    for repository, (reviews, issues) in given.items():
        for n in range(reviews):
            world.add_review(FakeReview(repository, n, USER, datetime(2022, 2, 1 + n, tzinfo=UTC)))
        for n in range(issues):
            world.add_issue(
                FakeIssue(repository, 100 + n, "bug", USER, datetime(2022, 5, 1 + n, tzinfo=UTC))
            )
    # Not in 2022, or not by the user.
    world.add_review(FakeReview("lib/json", 99, USER, datetime(2021, 2, 1, tzinfo=UTC)))
    world.add_issue(FakeIssue("lib/json", 99, "bug", "lee", datetime(2022, 2, 1, tzinfo=UTC)))
    return given


def test_reviews_and_issues_per_repository_in_one_request(world: GitHubWorld) -> None:
    given = add_help(world)
    fake = FakeGitHub(world)

    found = fetch_contributions_to_others(
        client(fake), fake.graphql_url, user=USER, year=2022, tz=UTC
    )

    assert len(fake.graphql_requests) == 1
    assert dict(found.reviews_by_repository) == {r: n for r, (n, _) in given.items() if n}
    assert dict(found.issues_by_repository) == {r: n for r, (_, n) in given.items() if n}
    assert found.repositories_capped is False
    others = given_to_others(
        found.reviews_by_repository,
        found.issues_by_repository,
        user=USER,
        own_organizations=OWN_ORGANIZATIONS,
    )
    assert (others.reviews, others.issues, others.projects) == (4, 3, 2)
    assert [p.repository for p in others.top] == ["lib/json", "acme/rocket"]


def test_a_full_repository_list_is_reported_as_capped(world: GitHubWorld) -> None:
    for n in range(101):
        world.add_review(FakeReview(f"many/r{n:03d}", 1, USER, datetime(2022, 3, 1, tzinfo=UTC)))
    fake = FakeGitHub(world)

    found = fetch_contributions_to_others(
        client(fake), fake.graphql_url, user=USER, year=2022, tz=UTC
    )

    assert len(found.reviews_by_repository) == 100 and found.repositories_capped is True


def test_merged_in_the_year_is_bounded_in_the_report_zone(world: GitHubWorld) -> None:
    # 1 January 2022 at 01:00 in Seoul, still 2021 in UTC.
    add_pr(
        world,
        "tiny/tool",
        1,
        datetime(2021, 12, 20, tzinfo=UTC),
        datetime(2021, 12, 31, 16, tzinfo=UTC),
    )
    fake = FakeGitHub(world)

    def merged(year: int, tz: tzinfo) -> tuple[str, ...]:
        found = fetch_contributions_to_others(
            client(fake), fake.graphql_url, user=USER, year=year, tz=tz
        )
        return found.merged_pull_request_repositories

    expected_2022_seoul = sorted(
        {
            p.repository
            for p in world.pull_requests
            if p.author == USER
            and p.merged_at is not None
            and p.merged_at.astimezone(SEOUL).year == 2022
        },
        key=str.casefold,
    )
    assert list(merged(2022, SEOUL)) == expected_2022_seoul
    assert "tiny/tool" in merged(2022, SEOUL)
    assert "tiny/tool" not in merged(2022, UTC)
    assert merged(2023, UTC) == ("acme/rocket",)
    search = fake.graphql_requests[0].variables["merged"]
    assert (
        search
        == "author:kim is:pr is:merged merged:2022-01-01T00:00:00+09:00..2022-12-31T23:59:59+09:00"
    )


def test_more_merges_than_one_page_are_reported_incomplete(world: GitHubWorld) -> None:
    for n in range(101):
        opened = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(days=n)
        add_pr(world, f"busy/r{n % 7}", 1000 + n, opened, opened + timedelta(hours=1))
    fake = FakeGitHub(world)

    found = fetch_contributions_to_others(
        client(fake), fake.graphql_url, user=USER, year=2022, tz=UTC
    )

    assert found.merged_pull_requests_complete is False


def test_an_unknown_user_is_not_found(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)

    with pytest.raises(NotFoundError, match="no-such-user"):
        fetch_contributions_to_others(
            client(fake), fake.graphql_url, user="no-such-user", year=2022, tz=UTC
        )


# --- the whole way: collected, then classified ------------------------------------------------


@pytest.fixture
def rocket_world() -> Iterator[GitHubWorld]:
    world = build_world()
    add_help(world)
    # Own projects, which are never first contributions.
    add_pr(
        world, "kim/dotfiles", 1, datetime(2022, 3, 1, tzinfo=UTC), datetime(2022, 3, 2, tzinfo=UTC)
    )
    add_pr(
        world, "kim-corp/api", 1, datetime(2022, 4, 1, tzinfo=UTC), datetime(2022, 4, 2, tzinfo=UTC)
    )
    yield world


def first_contributions_of(world: GitHubWorld, year: int) -> tuple[FirstContributions, int]:
    """What the pipeline will do: the year's pull requests and merges name the candidates."""
    fake = FakeGitHub(world)
    http = client(fake)
    activity = collect_github_activity(
        http, user=USER, year=year, tz=SEOUL, graphql_url=fake.graphql_url
    )
    to_others = fetch_contributions_to_others(
        http, fake.graphql_url, user=USER, year=year, tz=SEOUL
    )
    before = len(fake.graphql_requests)
    candidates = external_repositories(
        [
            *(p.repository for p in activity.pull_requests),
            *to_others.merged_pull_request_repositories,
        ],
        user=USER,
        own_organizations=OWN_ORGANIZATIONS,
    )
    firsts = fetch_first_pull_requests(http, fake.graphql_url, user=USER, repositories=candidates)
    requests = len(fake.graphql_requests) - before
    assert requests == math.ceil(len(candidates) / 10)
    found = first_contributions(
        firsts.found, year, SEOUL, user=USER, own_organizations=OWN_ORGANIZATIONS
    )
    return found, len(candidates)


def firsts_in_world(world: GitHubWorld, year: int) -> tuple[list[str], list[str]]:
    """Other people's projects whose first pull request by the user was opened, and first
    merged, in `year` (Seoul), by date: read straight from the world."""
    mine: dict[str, list[FakePullRequest]] = {}
    for pr in world.pull_requests:
        if pr.author == USER and pr.repository.split("/")[0] not in {USER, *OWN_ORGANIZATIONS}:
            mine.setdefault(pr.repository, []).append(pr)
    opened = {r: min(p.created_at for p in prs) for r, prs in mine.items()}
    merged = {
        r: min(p.merged_at for p in prs if p.merged_at is not None)
        for r, prs in mine.items()
        if any(p.merged_at for p in prs)
    }

    def of_year(moments: dict[str, datetime]) -> list[str]:
        inside = [r for r, t in moments.items() if t.astimezone(SEOUL).year == year]
        return sorted(inside, key=lambda r: moments[r])

    return of_year(opened), of_year(merged)


def test_opened_in_the_year_and_merged_the_next(rocket_world: GitHubWorld) -> None:
    in_2022, _ = first_contributions_of(rocket_world, 2022)
    in_2023, candidates_2023 = first_contributions_of(rocket_world, 2023)

    opened_2022, merged_2022 = firsts_in_world(rocket_world, 2022)
    assert [c.repository for c in in_2022.opened] == opened_2022
    assert list(in_2022.projects) == merged_2022
    assert "acme/rocket" in opened_2022 and "acme/rocket" not in merged_2022
    opened_2023, merged_2023 = firsts_in_world(rocket_world, 2023)
    assert (opened_2023, merged_2023) == ([], ["acme/rocket"])
    # In 2023 the user opened nothing anywhere: the merge alone makes acme/rocket a candidate.
    assert candidates_2023 == 1
    assert in_2023.opened == ()
    assert in_2023.projects == ("acme/rocket",)
