"""When a repository's stars were given over GraphQL, with its releases where they are asked.

Stars are read newest first and only back to the start of the year: GitHub orders a repository's
stargazers by `starredAt`, so the first star older than `since` ends the walk and a popular
repository costs only the pages its recent stars fill. Every document takes its inputs as
variables; `sample_documents()` lists them for the schema test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from devstats.collect.github.releases import (
    RELEASES_FRAGMENT,
    RELEASES_QUERY,
    owner_and_name,
    parse_releases,
    repository_node,
)
from devstats.collect.github.spans import parse_github_time
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError, UpstreamError
from devstats.model.facts import Release

PAGE_SIZE = 100  # the most a GraphQL connection returns per page

STARGAZERS_QUERY = """
query Stargazers($owner: String!, $name: String!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    stargazers(first: 100, after: $cursor, orderBy: {field: STARRED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      edges { starredAt }
    }
  }
  rateLimit { cost remaining resetAt }
}
"""

# Repositories per batched stars query: ten pages of 100 stars (and the releases of those whose
# history was not read) cost 1 point, as ten history pages do.
STARS_BATCH_SIZE = 10


def stars_query(batch_size: int) -> str:
    """One page of stargazers for each of `batch_size` repositories: variables `$o<i>`, `$n<i>`,
    the cursor `$c<i>` (null: the first page), and `$f<i>`: whether to ask for its releases."""
    if not 1 <= batch_size <= STARS_BATCH_SIZE:
        raise ValueError(f"batch size must be between 1 and {STARS_BATCH_SIZE}")
    params = []
    parts = []
    for i in range(batch_size):
        params.append(f"$o{i}: String!, $n{i}: String!, $c{i}: String, $f{i}: Boolean!")
        parts.append(
            f"""
  r{i}: repository(owner: $o{i}, name: $n{i}) {{
    stargazers(first: {PAGE_SIZE}, after: $c{i}, orderBy: {{field: STARRED_AT, direction: DESC}}) {{
      pageInfo {{ hasNextPage endCursor }}
      edges {{ starredAt }}
    }}
    ...RepositoryReleases @include(if: $f{i})
  }}"""
        )
    return (
        f"query ProjectStars({', '.join(params)}) {{"
        + "".join(parts)
        + "\n  rateLimit { cost remaining resetAt }\n}\n"
        + RELEASES_FRAGMENT
    )


def sample_documents() -> dict[str, str]:
    """Every document this module can send, by a descriptive name."""
    documents = {"stargazers": STARGAZERS_QUERY, "releases": RELEASES_QUERY}
    for size in range(1, STARS_BATCH_SIZE + 1):
        documents[f"project-stars-{size}"] = stars_query(size)
    return documents


def fetch_star_times(
    http: HttpClient,
    graphql_url: str,
    repository: str,
    *,
    since: datetime,
    max_pages: int | None = None,
) -> tuple[tuple[datetime, ...], bool]:
    """The times of the stars given at or after `since`, newest first, and whether that list is
    complete.

    Pages are read newest first until one reaches a star older than `since`, or the list ends.
    With `max_pages`, reading may stop earlier; the times are then incomplete (a lower bound).
    The stars may include ones given after the year: count with `stars_gained_in_year`.
    """
    owner, name = owner_and_name(repository)
    walk = _StarWalk(repository, floor=_aware(since))
    pages = 0
    while not walk.done and (max_pages is None or pages < max_pages):
        variables = {"owner": owner, "name": name, "cursor": walk.cursor}
        data = http.graphql(graphql_url, STARGAZERS_QUERY, variables)
        pages += 1
        walk.read(repository_node(data, repository).get("stargazers"))
    return tuple(walk.times), walk.done


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass
class _StarWalk:
    """One repository's stargazers read newest first, page by page, back to `floor`."""

    repository: str
    floor: datetime
    times: list[datetime] = field(default_factory=list)
    cursor: str | None = None
    done: bool = False
    pages: int = 0

    def read(self, connection: Any) -> None:
        """Take one page: its stars at or after the floor; done at an older one or the end."""
        if not isinstance(connection, dict):
            raise UpstreamError(f"GitHub returned no stargazers for {self.repository}")
        self.pages += 1
        for edge in connection.get("edges") or ():
            starred_at = parse_github_time(str(edge["starredAt"]))
            if starred_at < self.floor:
                self.done = True
                return
            self.times.append(starred_at)
        page_info = connection.get("pageInfo") or {}
        self.cursor = page_info.get("endCursor")
        self.done = not page_info.get("hasNextPage") or not self.cursor


@dataclass(frozen=True)
class ProjectStars:
    """A repository's stars given at or after a moment (newest first), and its releases."""

    repository: str
    star_times: tuple[datetime, ...]
    complete: bool  # False when reading stopped at `max_pages`: the times are a lower bound
    releases: tuple[Release, ...] | None  # None when they were not asked for


def fetch_projects(
    http: HttpClient,
    graphql_url: str,
    repositories: Iterable[str],
    *,
    since: datetime,
    releases_of: Iterable[str] = (),
    max_pages: int | None = None,
) -> dict[str, ProjectStars]:
    """`fetch_star_times` for several repositories at once, and the releases of those in
    `releases_of`: one page of each walk still going per round, STARS_BATCH_SIZE to a query.

    NotFoundError names the first repository GitHub does not know.
    """
    floor = _aware(since)
    walks = {name: _StarWalk(name, floor) for name in dict.fromkeys(repositories)}
    for name in walks:
        owner_and_name(name)
    wanted = set(releases_of)
    releases: dict[str, tuple[Release, ...]] = {}
    going = [w for w in walks.values() if max_pages is None or max_pages > 0]
    while going:
        for start in range(0, len(going), STARS_BATCH_SIZE):
            batch = going[start : start + STARS_BATCH_SIZE]
            asked = [w.repository in wanted and w.repository not in releases for w in batch]
            data = _ask_stars(http, graphql_url, batch, asked)
            for i, walk in enumerate(batch):
                node = repository_node({"repository": data.get(f"r{i}")}, walk.repository)
                walk.read(node.get("stargazers"))
                if asked[i]:
                    nodes = (node.get("releases") or {}).get("nodes") or ()
                    releases[walk.repository] = parse_releases(walk.repository, nodes)
        going = [w for w in going if not w.done and (max_pages is None or w.pages < max_pages)]
    return {
        name: ProjectStars(name, tuple(w.times), w.done, releases.get(name))
        for name, w in walks.items()
    }


def _ask_stars(
    http: HttpClient, graphql_url: str, batch: list[_StarWalk], asked: list[bool]
) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for i, (walk, with_releases) in enumerate(zip(batch, asked, strict=True)):
        owner, name = owner_and_name(walk.repository)
        variables.update(
            {f"o{i}": owner, f"n{i}": name, f"c{i}": walk.cursor, f"f{i}": with_releases}
        )
    try:
        return http.graphql(graphql_url, stars_query(len(batch)), variables)
    except NotFoundError:
        if len(batch) == 1:
            raise NotFoundError(f"repository {batch[0].repository} not found on GitHub") from None
        # Name the repository GitHub does not know: ask for each alone.
        answers = [
            _ask_stars(http, graphql_url, [walk], [with_releases])
            for walk, with_releases in zip(batch, asked, strict=True)
        ]
        return {f"r{i}": answer["r0"] for i, answer in enumerate(answers)}
