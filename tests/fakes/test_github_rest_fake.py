"""The fake GitHub's REST endpoints, read by PyGithub over real HTTP as a plain script reads them;
every expected number comes from the constructed world, not from the endpoints."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from github import Auth, Github

from tests.fakes.github_world import FakeGitHub
from tests.fakes.loopback import serve
from tests.fakes.world import DemoWorld
from tests.fakes.year_world import LOGIN, YearSpec, YearWorld, build_year

SPEC = YearSpec("rest", repositories=4, commits=330, packages=1)
START = datetime(SPEC.year, 1, 1, tzinfo=UTC)
END = datetime(SPEC.year + 1, 1, 1, tzinfo=UTC) - timedelta(seconds=1)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[YearWorld, Github, DemoWorld]]:
    year = build_year(SPEC)
    world = DemoWorld(
        github=FakeGitHub(year.github),
        pypi=year.packages,
        clickhouse=year.packages.clickhouse(),
    )
    with serve(world.handle, "127.0.0.2") as server:
        github = Github(
            auth=Auth.Token("not-a-secret"),
            base_url=f"{server.url}/github",
            per_page=100,
            seconds_between_requests=None,
            seconds_between_writes=None,
            retry=None,
        )
        yield year, github, world


def test_repositories_and_commits_by_author_and_commit_date(served) -> None:
    year, github, _ = served
    repositories = list(github.get_user(LOGIN).get_repos())
    assert sorted(r.full_name for r in repositories) == sorted(
        r.name_with_owner for r in year.github.repositories.values()
    )
    largest = 0
    for repository in repositories:
        held = year.github.repositories[repository.full_name.lower()].commits
        expected = {
            c.sha
            for c in held
            if c.author_email == "dana@example.com" and START <= c.committed_at <= END
        }
        commits = list(repository.get_commits(author=LOGIN, since=START, until=END))
        assert {c.sha for c in commits} == expected
        assert all(c.commit.author.email == "dana@example.com" for c in commits)
        largest = max(largest, len(commits))
    # the busiest repository's year is more than a page of 100: the Link header was followed
    assert largest > 100


def test_stars_with_their_times_and_releases(served) -> None:
    year, github, _ = served
    fake = year.github.repositories[f"{LOGIN}/tool-000"]
    repository = github.get_repo(f"{LOGIN}/tool-000")
    stars = [s.starred_at for s in repository.get_stargazers_with_dates()]
    assert stars == sorted(fake.starred_at) and len(stars) > 100
    releases = list(repository.get_releases())
    assert [r.tag_name for r in releases] == [r.tag for r in reversed(fake.releases)]
    assert releases[0].published_at == fake.releases[-1].published_at


def test_pull_requests_are_searched(served) -> None:
    year, github, _ = served
    query = f"author:{LOGIN} is:pr created:{START.date()}..{END.date()}"
    found = list(github.search_issues(query))
    expected = [p for p in year.github.pull_requests if START <= p.created_at <= END]
    assert sorted(i.number for i in found) == sorted(p.number for p in expected)
    assert all(i.pull_request is not None for i in found)


def test_an_unknown_repository_is_a_404(served) -> None:
    from github import UnknownObjectException

    _, github, _ = served
    with pytest.raises(UnknownObjectException):
        github.get_repo(f"{LOGIN}/no-such-repository")
