"""The fake GitHub itself: its answers follow GitHub's documented semantics and shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from tests.fakes.github_world import (
    CANNOT_SEARCH,
    FakeCommit,
    FakeGitHub,
    FakeIssue,
    FakePullRequest,
    FakeReview,
    GitHubWorld,
    fake_sha,
    node_id,
    query_cost,
)

KST = timezone(timedelta(hours=9))

CALENDAR = """
query($login: String!, $from: DateTime!, $to: DateTime!) {
  user(login: $login) {
    contributionsCollection(from: $from, to: $to) {
      totalCommitContributions
      totalPullRequestContributions
      restrictedContributionsCount
      contributionCalendar {
        totalContributions
        weeks { contributionDays { date contributionCount weekday } }
      }
      commitContributionsByRepository(maxRepositories: 100) {
        repository { nameWithOwner } contributions { totalCount }
      }
    }
  }
  rateLimit { cost remaining }
}
"""

HISTORY = """
query($owner: String!, $name: String!, $author: CommitAuthor, $since: GitTimestamp,
      $until: GitTimestamp, $after: String, $first: Int) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name target { ... on Commit {
      history(first: $first, after: $after, author: $author, since: $since, until: $until) {
        pageInfo { hasNextPage endCursor }
        nodes { oid authoredDate committedDate author { date email user { login } } }
      }
    } } }
  }
}
"""


def commit(
    i: object, email: str, authored: datetime, committed: datetime | None = None
) -> FakeCommit:
    name = email.split("@")[0]
    return FakeCommit(
        fake_sha(i), name, email, authored, name, email, committed or authored, f"change {i}"
    )


@pytest.fixture
def world() -> GitHubWorld:
    world = GitHubWorld()
    world.add_user("alice", emails=["alice@example.com"], database_id=7)
    world.add_user("bob", emails=["bob@example.com"])
    world.add_repository("alice", "proj", stars=42)
    world.add_repository("alice", "forked", is_fork=True)
    # 23:30 on Dec 31 in Seoul is 14:30 UTC the same day
    world.add_commit(
        "alice/proj", commit(1, "alice@example.com", datetime(2022, 12, 31, 23, 30, tzinfo=KST))
    )
    # authored in 2021 (UTC), committed (rebased) in 2022
    world.add_commit(
        "alice/proj",
        commit(
            2,
            "alice@example.com",
            datetime(2021, 12, 31, 22, tzinfo=UTC),
            datetime(2022, 1, 2, 10, tzinfo=UTC),
        ),
    )
    world.add_commit(
        "alice/proj", commit(3, "bob@example.com", datetime(2022, 6, 1, 12, tzinfo=UTC))
    )
    world.add_commit(
        "alice/forked", commit(4, "alice@example.com", datetime(2022, 6, 1, 12, tzinfo=UTC))
    )
    world.add_pull_request(
        FakePullRequest(
            "carol/lib", 9, "Fix", "alice", "OPEN", datetime(2022, 3, 1, 23, 59, tzinfo=UTC)
        )
    )
    world.users["alice"].restricted.append(datetime(2022, 3, 2, tzinfo=UTC))
    return world


def post(fake: FakeGitHub, query: str, variables: dict[str, Any], **headers: str) -> httpx.Response:
    with httpx.Client(transport=fake.transport()) as client:
        return client.post(
            fake.graphql_url, json={"query": query, "variables": variables}, headers=headers
        )


YEAR = {"from": "2022-01-01T00:00:00Z", "to": "2022-12-31T23:59:59Z"}


def test_calendar_counts_author_dates_on_utc_days(world: GitHubWorld) -> None:
    body = post(FakeGitHub(world), CALENDAR, {"login": "alice", **YEAR}).json()
    collection = body["data"]["user"]["contributionsCollection"]
    days = {
        d["date"]: d["contributionCount"]
        for w in collection["contributionCalendar"]["weeks"]
        for d in w["contributionDays"]
    }
    assert len(days) == 365
    assert days["2022-12-31"] == 1  # the Seoul-evening commit, on its UTC day
    assert days["2022-01-02"] == 0  # the rebased commit counts on its author date (2021)
    assert days["2022-03-01"] == 1 and days["2022-03-02"] == 1  # pull request, restricted
    assert collection["totalCommitContributions"] == 1  # bob's and the fork's don't count
    assert collection["totalPullRequestContributions"] == 1
    assert collection["restrictedContributionsCount"] == 1
    assert collection["contributionCalendar"]["totalContributions"] == 3
    weeks = collection["contributionCalendar"]["weeks"]
    assert all(w["contributionDays"][0]["weekday"] == 0 for w in weeks[1:])  # Sunday first
    assert collection["commitContributionsByRepository"] == [
        {"repository": {"nameWithOwner": "alice/proj"}, "contributions": {"totalCount": 1}}
    ]


def test_to_is_inclusive_and_from_is_inclusive(world: GitHubWorld) -> None:
    moment = "2022-12-31T14:30:00Z"
    body = post(FakeGitHub(world), CALENDAR, {"login": "alice", "from": moment, "to": moment})
    collection = body.json()["data"]["user"]["contributionsCollection"]
    assert collection["totalCommitContributions"] == 1


def test_a_span_over_a_year_is_refused(world: GitHubWorld) -> None:
    body = post(
        FakeGitHub(world),
        CALENDAR,
        {"login": "alice", "from": "2021-01-01T00:00:00Z", "to": "2022-12-31T00:00:00Z"},
    ).json()
    assert body["errors"][0]["message"] == (
        "The total time spanned by 'from' and 'to' must not exceed 1 year"
    )


def test_repository_list_is_capped_at_100() -> None:
    world = GitHubWorld()
    world.add_user("alice", emails=["alice@example.com"])
    for i in range(120):
        world.add_repository("alice", f"r{i}")
        when = datetime(2022, 5, 1, tzinfo=UTC)
        world.add_commit(f"alice/r{i}", commit(i, "alice@example.com", when))
    body = post(FakeGitHub(world), CALENDAR, {"login": "alice", **YEAR}).json()
    collection = body["data"]["user"]["contributionsCollection"]
    assert len(collection["commitContributionsByRepository"]) == 100
    assert collection["totalCommitContributions"] == 120


DAYS = """
query($login: String!, $from: DateTime!, $to: DateTime!, $first: Int, $after: String,
      $direction: OrderDirection!) {
  user(login: $login) {
    contributionsCollection(from: $from, to: $to) {
      totalCommitContributions
      commitContributionsByRepository(maxRepositories: 100) {
        repository { nameWithOwner }
        contributions(first: $first, after: $after,
                      orderBy: {field: OCCURRED_AT, direction: $direction}) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { occurredAt commitCount }
        }
      }
    }
  }
}
"""


def test_commit_contributions_are_days_of_author_dates_per_repository() -> None:
    world = GitHubWorld()
    world.add_user("alice", emails=["alice@example.com"])
    world.add_repository("alice", "first")
    world.add_repository("alice", "copy")
    world.add_repository("alice", "site", pages_commits=[])
    shared = [
        # 23:30 in Seoul is 14:30 UTC: the UTC day is the 3rd
        commit("s1", "alice@example.com", datetime(2022, 3, 3, 23, 30, tzinfo=KST)),
        # authored on the 4th, committed (rebased) two weeks later: counted on the 4th
        commit(
            "s2",
            "alice@example.com",
            datetime(2022, 3, 4, 8, tzinfo=UTC),
            datetime(2022, 3, 18, 8, tzinfo=UTC),
        ),
    ]
    for name in ("first", "copy"):
        for each in shared:
            world.add_commit(f"alice/{name}", each)
    world.add_commit(
        "alice/copy", commit("c", "alice@example.com", datetime(2022, 3, 3, tzinfo=UTC))
    )
    world.repositories["alice/site"].pages_commits.append(
        commit("p", "alice@example.com", datetime(2022, 7, 1, tzinfo=UTC))
    )
    variables = {"login": "alice", **YEAR, "first": 100, "after": None, "direction": "ASC"}
    body = post(FakeGitHub(world), DAYS, variables).json()
    collection = body["data"]["user"]["contributionsCollection"]
    # the same SHA counts in each repository that holds it; gh-pages commits count too
    assert collection["totalCommitContributions"] == 6
    days = {
        entry["repository"]["nameWithOwner"]: [
            (node["occurredAt"], node["commitCount"]) for node in entry["contributions"]["nodes"]
        ]
        for entry in collection["commitContributionsByRepository"]
    }
    assert days == {
        "alice/copy": [("2022-03-03T07:00:00Z", 2), ("2022-03-04T07:00:00Z", 1)],
        "alice/first": [("2022-03-03T07:00:00Z", 1), ("2022-03-04T07:00:00Z", 1)],
        "alice/site": [("2022-07-01T07:00:00Z", 1)],
    }


def test_commit_contribution_days_page_like_a_connection() -> None:
    world = GitHubWorld()
    world.add_user("alice", emails=["alice@example.com"])
    world.add_repository("alice", "daily")
    start = datetime(2022, 1, 1, 12, tzinfo=UTC)
    for i in range(150):
        world.add_commit("alice/daily", commit(i, "alice@example.com", start + timedelta(days=i)))
    fake = FakeGitHub(world)
    seen: list[str] = []
    after = None
    while True:
        variables = {"login": "alice", **YEAR, "first": 100, "after": after, "direction": "DESC"}
        body = post(fake, DAYS, variables).json()
        (entry,) = body["data"]["user"]["contributionsCollection"][
            "commitContributionsByRepository"
        ]
        connection = entry["contributions"]
        assert connection["totalCount"] == 150
        seen += [node["occurredAt"][:10] for node in connection["nodes"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert len(seen) == 150 and seen == sorted(seen, reverse=True)  # newest first, 100 a page
    assert seen[0] == "2022-05-30" and len(fake.log) == 2


def test_history_filters_by_account_and_commit_date(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)
    variables = {
        "owner": "alice",
        "name": "proj",
        "author": {"id": node_id("User", 7)},
        "since": "2022-01-01T00:00:00Z",
        "until": "2022-12-31T23:59:59Z",
        "first": 100,
    }
    body = post(fake, HISTORY, variables).json()
    history = body["data"]["repository"]["defaultBranchRef"]["target"]["history"]
    oids = [n["oid"] for n in history["nodes"]]
    assert oids == [fake_sha(1), fake_sha(2)]  # newest commit date first; bob's left out
    # authoredDate is UTC; GitActor.date keeps the recorded offset
    assert history["nodes"][0]["authoredDate"] == "2022-12-31T14:30:00Z"
    assert history["nodes"][0]["author"]["date"] == "2022-12-31T23:30:00+09:00"
    assert history["nodes"][0]["author"]["user"] == {"login": "alice"}
    body = post(fake, HISTORY, {**variables, "author": {"emails": ["bob@example.com"]}}).json()
    history = body["data"]["repository"]["defaultBranchRef"]["target"]["history"]
    assert [n["oid"] for n in history["nodes"]] == [fake_sha(3)]


def test_history_cursor_pagination(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)
    seen = []
    after = None
    for _ in range(5):
        variables = {"owner": "alice", "name": "proj", "first": 1, "after": after}
        page = post(fake, HISTORY, variables).json()
        history = page["data"]["repository"]["defaultBranchRef"]["target"]["history"]
        seen += [n["oid"] for n in history["nodes"]]
        if not history["pageInfo"]["hasNextPage"]:
            break
        after = history["pageInfo"]["endCursor"]
    assert seen == [fake_sha(1), fake_sha(3), fake_sha(2)]
    assert len(fake.log) == 3


def test_unknown_user_is_null_with_a_not_found_error(world: GitHubWorld) -> None:
    response = post(FakeGitHub(world), CALENDAR, {"login": "nobody", **YEAR})
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["user"] is None
    assert body["data"]["rateLimit"]["cost"] == 1
    (error,) = body["errors"]
    assert error["type"] == "NOT_FOUND"
    assert error["path"] == ["user"]
    assert error["message"] == "Could not resolve to a User with the login of 'nobody'."


def test_bad_credentials_and_missing_token(world: GitHubWorld) -> None:
    fake = FakeGitHub(world, token="secret")
    response = post(fake, CALENDAR, {"login": "alice", **YEAR}, Authorization="bearer wrong")
    assert response.status_code == 401
    assert response.json()["message"] == "Bad credentials"
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    response = post(fake, CALENDAR, {"login": "alice", **YEAR})
    assert response.status_code == 401
    assert "requires you to be authenticated" in response.json()["message"]
    response = post(fake, CALENDAR, {"login": "alice", **YEAR}, Authorization="bearer secret")
    assert response.status_code == 200


def test_rate_limit_headers_and_cost(world: GitHubWorld) -> None:
    fake = FakeGitHub(world, clock=lambda: 1_700_000_000.0)
    response = post(fake, CALENDAR, {"login": "alice", **YEAR})
    assert response.headers["x-ratelimit-resource"] == "graphql"
    assert response.headers["x-ratelimit-remaining"] == "4999"
    assert response.headers["x-ratelimit-used"] == "1"
    assert response.headers["x-ratelimit-reset"] == "1700002800"
    fake.fail_next("rate_limited", reset_in=60)
    limited = post(fake, CALENDAR, {"login": "alice", **YEAR})
    assert limited.status_code == 200  # GitHub: still 200, with an error
    assert limited.json()["errors"][0]["type"] == "RATE_LIMITED"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert limited.headers["x-ratelimit-reset"] == "1700000060"
    assert post(fake, CALENDAR, {"login": "alice", **YEAR}).status_code == 200


def test_server_error_once_then_ok(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)
    fake.fail_next("server_error")
    first = post(fake, CALENDAR, {"login": "alice", **YEAR})
    assert first.status_code == 502
    assert first.json()["data"] is None
    assert post(fake, CALENDAR, {"login": "alice", **YEAR}).status_code == 200


def test_resource_limits_for_long_calendars(world: GitHubWorld) -> None:
    fake = FakeGitHub(world)
    fake.limit_calendar_days(100)
    body = post(fake, CALENDAR, {"login": "alice", **YEAR}).json()
    assert body["data"] == {"user": None}
    assert body["errors"][0]["type"] == "RESOURCE_LIMITS_EXCEEDED"
    assert body["errors"][0]["path"] == ["user", "contributionsCollection", "contributionCalendar"]
    quarter = {"from": "2022-01-01T00:00:00Z", "to": "2022-03-31T23:59:59Z"}
    assert "errors" not in post(fake, CALENDAR, {"login": "alice", **quarter}).json()


def test_cost_and_node_limits_follow_githubs_formula() -> None:
    from graphql import parse

    # GitHub's documented example: 1 + 100 + 5,000 requests → 51 points
    example = parse(
        "query { viewer { repositories(first: 100) { nodes { issues(first: 50) { nodes {"
        " labels(first: 60) { nodes { name } } } } } } } }"
    )
    cost, nodes, errors = query_cost(example, {})
    assert cost == 51
    assert nodes == 100 + 100 * 50 + 100 * 50 * 60
    assert errors == []
    _, _, errors = query_cost(
        parse("query { viewer { repositories(first: 1000) { nodes { name } } } }"), {}
    )
    assert errors[0][1] == "EXCESSIVE_PAGINATION"
    _, _, errors = query_cost(parse("query { viewer { repositories { nodes { name } } } }"), {})
    assert errors[0][1] == "MISSING_PAGINATION_BOUNDARIES"


def test_node_limit_is_enforced(world: GitHubWorld) -> None:
    query = (
        "query { viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes {"
        " labels(first: 100) { nodes { name } } } } } } } }"
    )
    body = post(FakeGitHub(world), query, {}).json()
    assert body["errors"][0]["type"] == "MAX_NODE_LIMIT_EXCEEDED"
    assert "exceeds the maximum limit of 500,000" in body["errors"][0]["message"]


def test_invalid_documents_are_rejected_by_the_real_schema(world: GitHubWorld) -> None:
    body = post(FakeGitHub(world), 'query { user(login: "alice") { nope } }', {}).json()
    assert "Cannot query field 'nope' on type 'User'." in body["errors"][0]["message"]


def test_handle_ignores_other_hosts_and_logs_its_own(world: GitHubWorld) -> None:
    fake = FakeGitHub(world, graphql_url="http://127.0.0.1:8765/graphql")
    assert fake.handle(httpx.Request("GET", "https://pypi.org/pypi/x/json")) is None
    assert fake.handle(httpx.Request("POST", "http://127.0.0.1:9999/graphql")) is None
    request = httpx.Request(
        "POST",
        "http://127.0.0.1:8765/graphql",
        content=json.dumps({"query": CALENDAR, "variables": {"login": "alice", **YEAR}}),
    )
    response = fake.handle(request)
    assert response is not None and response.status_code == 200
    (entry,) = fake.log
    assert entry.variables["login"] == "alice" and entry.status == 200


def test_stargazers_newest_first_with_times_and_releases() -> None:
    from devstats.collect.github.releases import fetch_releases
    from devstats.collect.github.stars import STARGAZERS_QUERY, fetch_star_times
    from devstats.http.client import HttpClient
    from tests.fakes import kozistr_2022 as demo

    fake = demo.fake_github()
    first = post(fake, STARGAZERS_QUERY, {"owner": "kozistr", "name": "pytorch_optimizer"})
    stars = first.json()["data"]["repository"]["stargazers"]
    times = [e["starredAt"] for e in stars["edges"]]
    assert len(times) == 100 and times == sorted(times, reverse=True)
    assert stars["pageInfo"]["hasNextPage"] is True
    http = HttpClient(transport=fake.transport(), sleep=lambda s: None)
    since = datetime(2022, 1, 1, tzinfo=UTC)
    got, complete = fetch_star_times(
        http, fake.graphql_url, "kozistr/pytorch_optimizer", since=since
    )
    assert complete and len(got) == demo.STAR_HISTORY["kozistr/pytorch_optimizer"][2] == 97
    releases = fetch_releases(http, fake.graphql_url, "kozistr/pytorch_optimizer")
    assert releases[0].tag == "v2.0.1"  # newest first
    assert releases[0].published_at == datetime(2022, 11, 1, 5, 31, 41, tzinfo=UTC)


# --- search, issues and reviews ----------------------------------------------------------------

SEARCH = """
query($q: String!, $first: Int!, $after: String) {
  search(type: ISSUE, query: $q, first: $first, after: $after) {
    issueCount
    pageInfo { hasNextPage endCursor }
    nodes {
      __typename
      ... on PullRequest { number createdAt mergedAt repository { nameWithOwner } }
      ... on Issue { number createdAt repository { nameWithOwner } }
    }
  }
}
"""


@pytest.fixture
def searchable() -> GitHubWorld:
    world = GitHubWorld()
    world.add_user("alice", emails=["alice@example.com"])
    world.add_repository("carol", "lib")
    world.add_repository("carol", "secret", is_private=True)
    opened = [datetime(2021, 5, 1, tzinfo=UTC) + timedelta(days=40 * n) for n in range(6)]
    for n, created in enumerate(opened):
        merged = created + timedelta(days=3) if n % 2 else None
        world.add_pull_request(
            FakePullRequest(
                "carol/lib",
                n + 1,
                f"pr {n}",
                "alice",
                "MERGED" if merged else "CLOSED",
                created,
                merged,
            )
        )
    world.add_pull_request(
        FakePullRequest("carol/lib", 50, "theirs", "bob", "OPEN", datetime(2020, 1, 1, tzinfo=UTC))
    )
    world.add_pull_request(
        FakePullRequest(
            "dave/app", 1, "elsewhere", "alice", "OPEN", datetime(2022, 2, 2, tzinfo=UTC)
        )
    )
    world.add_pull_request(
        FakePullRequest(
            "carol/secret", 1, "hidden", "alice", "OPEN", datetime(2022, 2, 2, tzinfo=UTC)
        )
    )
    world.add_issue(FakeIssue("carol/lib", 100, "bug", "alice", datetime(2021, 1, 1, tzinfo=UTC)))
    return world


def search(world: GitHubWorld, q: str, first: int = 100, after: str | None = None) -> Any:
    return post(FakeGitHub(world), SEARCH, {"q": q, "first": first, "after": after}).json()


def test_search_finds_a_users_pull_requests_to_one_repository_oldest_first(
    searchable: GitHubWorld,
) -> None:
    expected = sorted(
        (
            p
            for p in searchable.pull_requests
            if p.repository == "carol/lib" and p.author == "alice"
        ),
        key=lambda p: p.created_at,
    )
    body = search(searchable, "repo:carol/lib author:alice is:pr sort:created-asc", first=2)
    result = body["data"]["search"]

    assert result["issueCount"] == len(expected) == 6
    assert [n["number"] for n in result["nodes"]] == [p.number for p in expected[:2]]
    assert {n["__typename"] for n in result["nodes"]} == {"PullRequest"}
    assert result["pageInfo"]["hasNextPage"] is True
    after = result["pageInfo"]["endCursor"]
    rest = search(searchable, "repo:carol/lib author:alice is:pr sort:created-asc", after=after)
    assert [n["number"] for n in rest["data"]["search"]["nodes"]] == [
        p.number for p in expected[2:]
    ]
    newest = search(searchable, "repo:carol/lib author:alice is:pr sort:created-desc", first=1)
    assert newest["data"]["search"]["nodes"][0]["number"] == expected[-1].number


def test_search_filters_merged_pull_requests_and_merge_dates_with_offsets(
    searchable: GitHubWorld,
) -> None:
    merged = [p for p in searchable.pull_requests if p.author == "alice" and p.merged_at]
    body = search(searchable, "author:alice is:pr is:merged")
    assert body["data"]["search"]["issueCount"] == len(merged) == 3

    # The second pull request was merged on 2021-06-13 at 00:00 UTC, 09:00 in Seoul.
    second = next(p for p in merged if p.number == 2)
    assert second.merged_at == datetime(2021, 6, 13, tzinfo=UTC)
    # The last one was merged on 2021-11-20 at 00:00 UTC: a second earlier in Seoul is outside.
    last = max(merged, key=lambda p: p.number)
    assert last.merged_at == datetime(2021, 11, 20, tzinfo=UTC)
    for end, expected in (("08:59:59", [2, 4]), ("09:00:00", [2, 4, 6])):
        window = f"merged:2021-06-13T09:00:00+09:00..2021-11-20T{end}+09:00"
        inside = search(searchable, f"author:alice is:pr {window}")
        assert sorted(n["number"] for n in inside["data"]["search"]["nodes"]) == expected
    before = search(searchable, "author:alice is:pr merged:<2021-06-13T09:00:00+09:00")
    assert before["data"]["search"]["issueCount"] == 0
    by_day = search(searchable, "author:alice is:pr merged:2021-06-13")
    assert [n["number"] for n in by_day["data"]["search"]["nodes"]] == [2]


def test_search_without_is_pr_also_finds_issues(searchable: GitHubWorld) -> None:
    body = search(searchable, "repo:carol/lib author:alice sort:created-asc", first=1)
    node = body["data"]["search"]["nodes"][0]
    assert (node["__typename"], node["number"]) == ("Issue", 100)
    issues = search(searchable, "author:alice is:issue")
    assert issues["data"]["search"]["issueCount"] == 1


def test_search_refuses_what_it_does_not_model_and_repositories_it_cannot_see(
    searchable: GitHubWorld,
) -> None:
    for q in ("repo:carol/lib author:alice is:pr label:bug", "fix the parser"):
        body = search(searchable, q)
        assert body["data"] is None or body["data"]["search"] is None
        assert "does not understand" in body["errors"][0]["message"]
    for hidden in ("carol/secret", "nobody/nothing"):
        body = search(searchable, f"repo:{hidden} author:alice is:pr")
        assert body["errors"][0]["message"] == CANNOT_SEARCH
    # Only named by a pull request, dave/app is still a repository the viewer can search.
    assert (
        search(searchable, "repo:dave/app author:alice is:pr")["data"]["search"]["issueCount"] == 1
    )
    # The private repository's pull request is not found by a search over everything either.
    assert search(searchable, "author:alice is:pr")["data"]["search"]["issueCount"] == 7


BY_REPOSITORY = """
query($login: String!, $from: DateTime!, $to: DateTime!) {
  user(login: $login) {
    contributionsCollection(from: $from, to: $to) {
      totalIssueContributions
      totalPullRequestReviewContributions
      contributionCalendar { totalContributions }
      issueContributionsByRepository(maxRepositories: 100) {
        repository { nameWithOwner } contributions { totalCount }
      }
      firstless: issueContributionsByRepository(maxRepositories: 100, excludeFirst: true) {
        repository { nameWithOwner } contributions { totalCount }
      }
      pullRequestReviewContributionsByRepository(maxRepositories: 2) {
        repository { nameWithOwner } contributions { totalCount }
      }
    }
  }
}
"""


def test_issues_and_reviews_by_repository_are_counted_from_the_world() -> None:
    world = GitHubWorld()
    world.add_user("alice", emails=["alice@example.com"])
    reviews = {"carol/lib": 3, "dave/app": 5, "erin/cli": 1}
    for repository, count in reviews.items():
        for n in range(count):
            world.add_review(
                FakeReview(repository, n + 1, "alice", datetime(2022, 4, 1 + n, tzinfo=UTC))
            )
    world.add_review(FakeReview("dave/app", 9, "bob", datetime(2022, 4, 1, tzinfo=UTC)))
    world.add_review(FakeReview("dave/app", 9, "alice", datetime(2021, 4, 1, tzinfo=UTC)))
    issues = [
        ("carol/lib", datetime(2022, 1, 5, tzinfo=UTC)),
        ("carol/lib", datetime(2022, 7, 1, tzinfo=UTC)),
    ]
    issues.append(("dave/app", datetime(2022, 2, 1, tzinfo=UTC)))
    for n, (repository, created) in enumerate(issues):
        world.add_issue(FakeIssue(repository, n + 1, "bug", "alice", created))

    body = post(FakeGitHub(world), BY_REPOSITORY, {"login": "alice", **YEAR}).json()
    collection = body["data"]["user"]["contributionsCollection"]

    def counts(entries: list[dict[str, Any]]) -> dict[str, int]:
        return {e["repository"]["nameWithOwner"]: e["contributions"]["totalCount"] for e in entries}

    assert counts(collection["issueContributionsByRepository"]) == {"carol/lib": 2, "dave/app": 1}
    # The first issue ever (carol/lib, 5 January) left out.
    assert counts(collection["firstless"]) == {"carol/lib": 1, "dave/app": 1}
    # The two repositories with the most reviews in 2022, most first.
    entries = collection["pullRequestReviewContributionsByRepository"]
    assert [e["repository"]["nameWithOwner"] for e in entries] == ["dave/app", "carol/lib"]
    assert counts(entries) == {"dave/app": 5, "carol/lib": 3}
    assert collection["totalIssueContributions"] == len(issues)
    assert collection["totalPullRequestReviewContributions"] == sum(reviews.values())
    assert collection["contributionCalendar"]["totalContributions"] == len(issues) + sum(
        reviews.values()
    )
