"""devstats.collect.github.stars: star times newest first back to the year's start, and releases."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx
from graphql import parse, validate

from devstats.classify.projects import Release, stars_gained_in_year
from devstats.collect.github import stars as stargazers
from devstats.collect.github.releases import RELEASES_FRAGMENT, fetch_releases, parse_releases
from devstats.collect.github.stars import STARGAZERS_QUERY, fetch_star_times
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError
from tests.fakes.github_world import github_schema

GRAPHQL = "https://api.github.com/graphql"
SEOUL = ZoneInfo("Asia/Seoul")
# The start of 2022 in Seoul: 2021-12-31 15:00 UTC.
YEAR_START = datetime(2022, 1, 1, tzinfo=SEOUL)


def client() -> HttpClient:
    return HttpClient(sleep=lambda seconds: None, clock=lambda: 1_000_000.0)


def _cursor(offset: int) -> str:
    # Opaque to the client, like GitHub's own cursors.
    return base64.b64encode(f"cursor:v2:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    return 0 if cursor is None else int(base64.b64decode(cursor).decode().rsplit(":", 1)[1])


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeStargazers:
    """Answers the stargazers query from a list of star times, newest first, 100 a page."""

    def __init__(self, starred: list[datetime], repository: str = "kozistr/pytorch_optimizer"):
        self.starred = sorted(starred, reverse=True)
        self.repository = repository
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        variables = body["variables"]
        owner, name = self.repository.split("/")
        if (variables["owner"], variables["name"]) != (owner, name):
            return httpx.Response(
                200,
                json={
                    "data": {"repository": None},
                    "errors": [{"type": "NOT_FOUND", "message": "Could not resolve"}],
                },
            )
        start = _offset(variables.get("cursor"))
        page = self.starred[start : start + 100]
        end = start + len(page)
        return httpx.Response(
            200,
            json={
                "data": {
                    "repository": {
                        "stargazers": {
                            "pageInfo": {
                                "hasNextPage": end < len(self.starred),
                                "endCursor": _cursor(end) if page else None,
                            },
                            "edges": [{"starredAt": _iso(t)} for t in page],
                        }
                    },
                    "rateLimit": {"cost": 1, "remaining": 4999, "resetAt": "2023-01-01T00:00:00Z"},
                }
            },
        )


def _stars() -> list[datetime]:
    """30 stars in 2023, 170 in 2022 (Seoul), 150 in 2021; two of them straddle new year."""
    stars = [datetime(2023, 3, 1, tzinfo=UTC) + timedelta(hours=5 * i) for i in range(30)]
    stars += [datetime(2022, 1, 2, tzinfo=UTC) + timedelta(days=2 * i) for i in range(168)]
    # 2022-01-01 01:00 in Seoul, still 2021 in UTC: in the year.
    stars.append(datetime(2021, 12, 31, 16, 0, tzinfo=UTC))
    # 2022-12-31 23:30 in Seoul: the last minutes of the year.
    stars.append(datetime(2022, 12, 31, 14, 30, tzinfo=UTC))
    # 2021-12-31 23:59 in Seoul: just before the year.
    stars.append(datetime(2021, 12, 31, 14, 59, tzinfo=UTC))
    stars += [datetime(2021, 1, 1, tzinfo=UTC) + timedelta(days=2 * i) for i in range(149)]
    return stars


@respx.mock
def test_pages_stop_at_the_years_start_and_pass_the_cursor() -> None:
    fake = FakeStargazers(_stars())
    respx.post(GRAPHQL).mock(side_effect=fake)

    times, complete = fetch_star_times(
        client(), GRAPHQL, "kozistr/pytorch_optimizer", since=YEAR_START
    )

    assert complete is True
    # 350 stars = 4 pages; the third page starts with a star from before the year, so the
    # fourth is never asked for.
    assert len(fake.requests) == 3
    cursors = [r["variables"]["cursor"] for r in fake.requests]
    assert cursors == [None, _cursor(100), _cursor(200)]
    assert all(r["query"] == STARGAZERS_QUERY for r in fake.requests)
    assert {(r["variables"]["owner"], r["variables"]["name"]) for r in fake.requests} == {
        ("kozistr", "pytorch_optimizer")
    }
    expected = [t for t in fake.starred if t >= YEAR_START]
    assert list(times) == expected  # newest first, everything since the year began
    assert len(times) == 200


@respx.mock
def test_only_stars_inside_the_year_are_counted() -> None:
    raw = _stars()
    respx.post(GRAPHQL).mock(side_effect=FakeStargazers(raw))

    times, _ = fetch_star_times(client(), GRAPHQL, "kozistr/pytorch_optimizer", since=YEAR_START)

    in_seoul_2022 = sum(1 for t in raw if t.astimezone(SEOUL).year == 2022)
    assert in_seoul_2022 == 170
    assert stars_gained_in_year(times, year=2022, tz=SEOUL) == in_seoul_2022
    # Counted in UTC the boundary stars move: one leaves 2022 and none joins it.
    in_utc_2022 = sum(1 for t in raw if t.year == 2022)
    assert stars_gained_in_year(raw, year=2022, tz=UTC) == in_utc_2022 == 169


@respx.mock
def test_a_page_limit_makes_the_times_incomplete() -> None:
    fake = FakeStargazers(_stars())
    respx.post(GRAPHQL).mock(side_effect=fake)

    times, complete = fetch_star_times(
        client(), GRAPHQL, "kozistr/pytorch_optimizer", since=YEAR_START, max_pages=1
    )

    assert complete is False
    assert len(fake.requests) == 1
    assert list(times) == fake.starred[:100]


@respx.mock
def test_a_repository_younger_than_the_year_reads_to_the_end() -> None:
    young = [datetime(2022, 6, 1, tzinfo=UTC) + timedelta(days=i) for i in range(120)]
    fake = FakeStargazers(young)
    respx.post(GRAPHQL).mock(side_effect=fake)

    times, complete = fetch_star_times(
        client(), GRAPHQL, "kozistr/pytorch_optimizer", since=YEAR_START
    )

    assert complete is True
    assert len(fake.requests) == 2
    assert sorted(times) == young


@respx.mock
def test_no_stars_at_all() -> None:
    fake = FakeStargazers([])
    respx.post(GRAPHQL).mock(side_effect=fake)

    result = fetch_star_times(client(), GRAPHQL, "kozistr/pytorch_optimizer", since=YEAR_START)

    assert result == ((), True)
    assert len(fake.requests) == 1


@respx.mock
def test_an_unknown_repository_is_not_found() -> None:
    respx.post(GRAPHQL).mock(side_effect=FakeStargazers(_stars()))

    with pytest.raises(NotFoundError):
        fetch_star_times(client(), GRAPHQL, "kozistr/no-such-repository", since=YEAR_START)


@respx.mock
def test_a_null_repository_without_errors_is_not_found() -> None:
    respx.post(GRAPHQL).mock(return_value=httpx.Response(200, json={"data": {"repository": None}}))

    with pytest.raises(NotFoundError, match="kozistr/gone"):
        fetch_star_times(client(), GRAPHQL, "kozistr/gone", since=YEAR_START)


@pytest.mark.parametrize("repository", ["pytorch_optimizer", "a/b/c", "/name", "owner/"])
def test_a_repository_must_be_owner_slash_name(repository: str) -> None:
    with pytest.raises(ValueError, match="owner/name"):
        fetch_star_times(client(), GRAPHQL, repository, since=YEAR_START)


# --- releases ---------------------------------------------------------------------------------

RELEASE_NODES: list[dict[str, Any] | None] = [
    {
        "tagName": "v2.1.0",
        "name": None,
        "publishedAt": None,
        "isPrerelease": False,
        "isDraft": True,
    },
    {
        "tagName": "v2.0.1",
        "name": "v2.0.1",
        "publishedAt": "2022-12-20T03:10:00Z",
        "isPrerelease": False,
        "isDraft": False,
    },
    {
        "tagName": "v2.0.0rc1",
        "name": "",
        "publishedAt": "2022-11-02T09:00:00Z",
        "isPrerelease": True,
        "isDraft": False,
    },
    None,  # GitHub lists nodes as nullable
]


def test_parse_releases_leaves_out_drafts() -> None:
    releases = parse_releases("kozistr/pytorch_optimizer", RELEASE_NODES)

    assert releases == (
        Release(
            repository="kozistr/pytorch_optimizer",
            tag="v2.0.1",
            name="v2.0.1",
            published_at=datetime(2022, 12, 20, 3, 10, tzinfo=UTC),
            prerelease=False,
        ),
        Release(
            repository="kozistr/pytorch_optimizer",
            tag="v2.0.0rc1",
            name=None,
            published_at=datetime(2022, 11, 2, 9, 0, tzinfo=UTC),
            prerelease=True,
        ),
    )


@respx.mock
def test_fetch_releases() -> None:
    route = respx.post(GRAPHQL).mock(
        return_value=httpx.Response(
            200, json={"data": {"repository": {"releases": {"nodes": RELEASE_NODES}}}}
        )
    )

    releases = fetch_releases(client(), GRAPHQL, "kozistr/pytorch_optimizer")

    assert [r.tag for r in releases] == ["v2.0.1", "v2.0.0rc1"]
    sent = json.loads(route.calls.last.request.content)
    assert sent["variables"] == {"owner": "kozistr", "name": "pytorch_optimizer"}
    assert "...RepositoryReleases" in sent["query"]


# --- the documents against GitHub's schema ----------------------------------------------------


@pytest.mark.parametrize("name", sorted(stargazers.sample_documents()))
def test_every_document_is_valid_against_the_github_schema(name: str) -> None:
    errors = validate(github_schema(), parse(stargazers.sample_documents()[name]))
    assert [e.message for e in errors] == []


def test_the_releases_fragment_folds_into_another_repository_query() -> None:
    document = (
        """
query Repository($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { nameWithOwner stargazerCount ...RepositoryReleases }
}
"""
        + RELEASES_FRAGMENT
    )
    assert [e.message for e in validate(github_schema(), parse(document))] == []


def test_a_broken_document_is_rejected() -> None:
    # Guards the test itself: an ordering field GitHub does not have must produce an error.
    broken = STARGAZERS_QUERY.replace("STARRED_AT", "CREATED_AT")
    assert validate(github_schema(), parse(broken))
