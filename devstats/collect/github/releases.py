"""A repository's GitHub releases over GraphQL, and the answer shapes the GitHub collectors share:
a repository named owner/name, its node in an answer, its releases.

The releases fragment rides in the history query (`queries.py`, read by `commits.py`) and in the
stars query (`stars.py`); a repository whose history is not read asks `RELEASES_QUERY` alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from devstats.collect.github.spans import parse_github_time
from devstats.http.client import HttpClient
from devstats.model.errors import NotFoundError
from devstats.model.facts import Release

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


def owner_and_name(repository: str) -> tuple[str, str]:
    owner, slash, name = repository.partition("/")
    if not slash or not owner or not name or "/" in name:
        raise ValueError(f"expected a repository as owner/name, got {repository!r}")
    return owner, name


def repository_node(data: Mapping[str, Any], repository: str) -> Mapping[str, Any]:
    node = data.get("repository")
    if not isinstance(node, dict):
        # GitHub answers NOT_FOUND (raised by HttpClient); a bare null means the same.
        raise NotFoundError(f"repository {repository} not found on GitHub")
    return node


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
    owner, name = owner_and_name(repository)
    data = http.graphql(graphql_url, RELEASES_QUERY, {"owner": owner, "name": name})
    connection = repository_node(data, repository).get("releases") or {}
    return parse_releases(repository, connection.get("nodes") or ())
