"""When a repository's stars were given, and its GitHub releases, over GraphQL.

Stars are read newest first and only back to the start of the year: GitHub orders a repository's
stargazers by `starredAt`, so the first star older than `since` ends the walk and a popular
repository costs only the pages its recent stars fill. Every document takes its inputs as
variables; `sample_documents()` lists them for the schema test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from devstats.errors import NotFoundError, UpstreamError
from devstats.http import HttpClient
from devstats.models import Release

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

# For the repository query of the GitHub collector: spread `...RepositoryReleases` inside
# `repository { }` and append this text to the document. Ordered by creation, newest first; a
# draft has no `publishedAt` and is dropped by parse_releases.
RELEASES_FRAGMENT = """
fragment RepositoryReleases on Repository {
  releases(first: 100, orderBy: {field: CREATED_AT, direction: DESC}) {
    nodes { tagName name publishedAt isPrerelease isDraft }
  }
}
"""

RELEASES_QUERY = (
    """
query Releases($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    ...RepositoryReleases
  }
  rateLimit { cost remaining resetAt }
}
"""
    + RELEASES_FRAGMENT
)


def sample_documents() -> dict[str, str]:
    """Every document this module can send, by a descriptive name."""
    return {"stargazers": STARGAZERS_QUERY, "releases": RELEASES_QUERY}


def _owner_and_name(repository: str) -> tuple[str, str]:
    owner, slash, name = repository.partition("/")
    if not slash or not owner or not name or "/" in name:
        raise ValueError(f"expected a repository as owner/name, got {repository!r}")
    return owner, name


def parse_github_time(value: str) -> datetime:
    """A GitHub DateTime (UTC, "Z" suffix) or GitTimestamp (the offset git recorded)."""
    return datetime.fromisoformat(value)


def _repository(data: Mapping[str, Any], repository: str) -> Mapping[str, Any]:
    node = data.get("repository")
    if not isinstance(node, dict):
        # GitHub answers NOT_FOUND (raised by HttpClient); a bare null means the same.
        raise NotFoundError(f"repository {repository} not found on GitHub")
    return node


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
    owner, name = _owner_and_name(repository)
    floor = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    times: list[datetime] = []
    cursor: str | None = None
    pages = 0
    while max_pages is None or pages < max_pages:
        variables = {"owner": owner, "name": name, "cursor": cursor}
        data = http.graphql(graphql_url, STARGAZERS_QUERY, variables)
        pages += 1
        connection = _repository(data, repository).get("stargazers")
        if not isinstance(connection, dict):
            raise UpstreamError(f"GitHub returned no stargazers for {repository}")
        for edge in connection.get("edges") or ():
            starred_at = parse_github_time(str(edge["starredAt"]))
            if starred_at < floor:
                return tuple(times), True
            times.append(starred_at)
        page_info = connection.get("pageInfo") or {}
        cursor = page_info.get("endCursor")
        if not page_info.get("hasNextPage") or not cursor:
            return tuple(times), True
    return tuple(times), False


def parse_releases(
    repository: str, nodes: Iterable[Mapping[str, Any] | None]
) -> tuple[Release, ...]:
    """The `releases.nodes` of a repository as Releases, in the order given; drafts left out
    (they are not published, and only people with push access can see them anyway)."""
    releases = []
    for node in nodes:
        if not node or node.get("isDraft"):
            continue
        published = node.get("publishedAt")
        name = node.get("name")
        releases.append(
            Release(
                repository=repository,
                tag=str(node["tagName"]),
                name=str(name) if name else None,
                published_at=parse_github_time(str(published)) if published else None,
                prerelease=bool(node.get("isPrerelease")),
            )
        )
    return tuple(releases)


def fetch_releases(http: HttpClient, graphql_url: str, repository: str) -> tuple[Release, ...]:
    """The newest 100 releases of a repository (by creation), drafts left out."""
    owner, name = _owner_and_name(repository)
    data = http.graphql(graphql_url, RELEASES_QUERY, {"owner": owner, "name": name})
    connection = _repository(data, repository).get("releases") or {}
    return parse_releases(repository, connection.get("nodes") or ())
