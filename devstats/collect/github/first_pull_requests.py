"""The user's first pull requests to other people's projects, and the reviews and issues they gave
those projects in the year, over GraphQL.

First pull requests come from GitHub's issue search, which can sort by creation time
("sort:created-asc", https://docs.github.com/en/search-github/getting-started-with-searching-on-github/sorting-search-results):
per repository one aliased `search` for the oldest pull request and one for the oldest merged
ones, ten repositories a request, so the cost is one request per ten projects. Aliases are `p0`,
`m0`, … and every search string is a variable: no repository or login reaches the document text.
`sample_documents()` lists every shape for the schema test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from devstats.collect.github.queries import MAX_REPOSITORIES, RATE_LIMIT_FIELDS
from devstats.collect.github.spans import parse_github_time, year_window
from devstats.http.client import HttpClient
from devstats.model.errors import AuthenticationError, NotFoundError, RateLimitError, UpstreamError
from devstats.model.facts import ContributionsToOthers, FirstPullRequest, Progress, PullRequest

# Repositories per request: two searches each.
BATCH_SIZE = 10
# Merged pull requests read per repository, oldest opened first. Enough to find the first merge
# for nearly everyone; when it is not, the answer says so (FirstPullRequest.first_merged_certain).
MERGED_PAGE = 10
# Pull requests merged in the year, read in one page to find the projects they went to.
MERGED_IN_YEAR_PAGE = 100

# GitHub logins are letters, digits and single hyphens; repository names add "." and "_". Checking
# them keeps a stray space or qualifier out of a search string.
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")
_NAME = re.compile(r"^[A-Za-z0-9._-]+$")

PULL_REQUEST_FIELDS = """
fragment FirstPullRequestFields on PullRequest {
  number
  title
  url
  state
  createdAt
  mergedAt
  repository { nameWithOwner }
}
"""


def _alias(kind: str, index: int) -> str:
    if index < 0:
        raise ValueError("alias index must not be negative")
    return f"{kind}{index}"


def first_pull_requests_query(batch_size: int) -> str:
    """The search document for `batch_size` repositories: variables `$p<i>` (the search for the
    oldest pull request) and `$m<i>` (the oldest merged ones)."""
    if not 1 <= batch_size <= BATCH_SIZE:
        raise ValueError(f"batch size must be between 1 and {BATCH_SIZE}")
    params = []
    parts = []
    for i in range(batch_size):
        p, m = _alias("p", i), _alias("m", i)
        params.append(f"${p}: String!, ${m}: String!")
        parts.append(
            f"""
  {p}: search(type: ISSUE, query: ${p}, first: 1) {{
    issueCount
    nodes {{ ...FirstPullRequestFields }}
  }}
  {m}: search(type: ISSUE, query: ${m}, first: {MERGED_PAGE}) {{
    issueCount
    nodes {{ ...FirstPullRequestFields }}
  }}"""
        )
    return (
        f"query FirstPullRequests({', '.join(params)}) {{"
        + "".join(parts)
        + f"\n  {RATE_LIMIT_FIELDS}\n}}\n"
        + PULL_REQUEST_FIELDS
    )


# Reviews and issues per repository for the year, and the repositories of the pull requests merged
# in it (a pull request opened in an earlier year and merged in this one is a first merge the
# year's own pull requests do not show). One request of 1 point by GitHub's formula: the search
# page is its only connection with `first`. The two lists can fold into the contributions query.
CONTRIBUTIONS_TO_OTHERS_QUERY = f"""
query ContributionsToOthers($login: String!, $from: DateTime!, $to: DateTime!, $merged: String!) {{
  user(login: $login) {{
    contributionsCollection(from: $from, to: $to) {{
      pullRequestReviewContributionsByRepository(maxRepositories: {MAX_REPOSITORIES}) {{
        repository {{ nameWithOwner }}
        contributions {{ totalCount }}
      }}
      issueContributionsByRepository(maxRepositories: {MAX_REPOSITORIES}) {{
        repository {{ nameWithOwner }}
        contributions {{ totalCount }}
      }}
    }}
  }}
  merged: search(type: ISSUE, query: $merged, first: {MERGED_IN_YEAR_PAGE}) {{
    issueCount
    nodes {{ ... on PullRequest {{ repository {{ nameWithOwner }} }} }}
  }}
  {RATE_LIMIT_FIELDS}
}}
"""


def sample_documents() -> dict[str, str]:
    """Every document this module can send, by a descriptive name."""
    documents = {"contributions-to-others": CONTRIBUTIONS_TO_OTHERS_QUERY}
    for size in range(1, BATCH_SIZE + 1):
        documents[f"first-pull-requests-{size}"] = first_pull_requests_query(size)
    return documents


# --- search strings ---------------------------------------------------------------------------


def _checked_login(login: str) -> str:
    if not _LOGIN.match(login):
        raise ValueError(f"not a GitHub login: {login!r}")
    return login


def _checked_repository(repository: str) -> str:
    owner, slash, name = repository.partition("/")
    if not slash or not _LOGIN.match(owner) or not _NAME.match(name):
        raise ValueError(f"expected a repository as owner/name, got {repository!r}")
    return repository


def first_search(repository: str, login: str) -> str:
    """The search for `login`'s pull requests to `repository`, oldest first."""
    return (
        f"repo:{_checked_repository(repository)} author:{_checked_login(login)} "
        "is:pr sort:created-asc"
    )


def merged_search(repository: str, login: str) -> str:
    """The search for `login`'s merged pull requests to `repository`, oldest opened first."""
    return (
        f"repo:{_checked_repository(repository)} author:{_checked_login(login)} "
        "is:pr is:merged sort:created-asc"
    )


def merged_in_year_search(login: str, year: int, tz: tzinfo) -> str:
    """The search for `login`'s pull requests merged inside `year` in `tz`, anywhere.

    GitHub's date qualifiers take an ISO 8601 time with a UTC offset after the date
    (https://docs.github.com/en/search-github/getting-started-with-searching-on-github/understanding-the-search-syntax#query-for-dates);
    a range `A..B` includes both ends.
    """
    window = year_window(year, tz)
    start = window.start.isoformat(timespec="seconds")
    end = window.last_second.isoformat(timespec="seconds")
    return f"author:{_checked_login(login)} is:pr is:merged merged:{start}..{end}"


# --- reading the answers ----------------------------------------------------------------------


def _pull_request(node: Mapping[str, Any], repository: str) -> PullRequest:
    merged = node.get("mergedAt")
    named = (node.get("repository") or {}).get("nameWithOwner")
    return PullRequest(
        repository=str(named or repository),
        number=int(node["number"]),
        title=str(node.get("title") or ""),
        url=str(node["url"]),
        state=str(node.get("state") or ""),
        created_at=parse_github_time(str(node["createdAt"])),
        merged_at=parse_github_time(str(merged)) if merged else None,
    )


def _nodes(connection: Any) -> list[Mapping[str, Any]]:
    if not isinstance(connection, dict):
        raise UpstreamError("GitHub returned a search without results")
    return [n for n in connection.get("nodes") or () if isinstance(n, dict) and n.get("number")]


def read_first_pull_request(repository: str, oldest: Any, merged: Any) -> FirstPullRequest:
    """A FirstPullRequest from the two search answers (`p<i>` and `m<i>`) of one repository."""
    firsts = [_pull_request(n, repository) for n in _nodes(oldest)]
    read = [_pull_request(n, repository) for n in _nodes(merged)]
    first_opened = min(firsts, key=lambda pr: (pr.created_at, pr.number)) if firsts else None
    merges = sorted((pr.merged_at, pr.number, pr) for pr in read if pr.merged_at is not None)
    if not merges:
        return FirstPullRequest(repository, first_opened, None, True)
    first_merge, _, first_merged = merges[0]
    total = int(merged.get("issueCount") or 0)
    # A pull request that was not read was opened after every one that was, so it was merged
    # after that too: none can be earlier than `first_merged` when its merge is no later than
    # the last opening read.
    certain = total <= len(read) or max(pr.created_at for pr in read) >= first_merge
    return FirstPullRequest(repository, first_opened, first_merged, certain)


# --- requests ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstPullRequests:
    found: Mapping[str, FirstPullRequest]  # by repository, as given
    unreadable: tuple[str, ...] = ()  # repositories GitHub's search refused (gone, private)


def _unique(repositories: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for repository in repositories:
        if repository.casefold() not in seen:
            seen.add(repository.casefold())
            kept.append(_checked_repository(repository))
    return kept


def _ask(
    http: HttpClient, graphql_url: str, user: str, batch: Sequence[str]
) -> dict[str, FirstPullRequest]:
    variables: dict[str, Any] = {}
    for i, repository in enumerate(batch):
        variables[_alias("p", i)] = first_search(repository, user)
        variables[_alias("m", i)] = merged_search(repository, user)
    data = http.graphql(graphql_url, first_pull_requests_query(len(batch)), variables)
    return {
        repository: read_first_pull_request(
            repository, data.get(_alias("p", i)), data.get(_alias("m", i))
        )
        for i, repository in enumerate(batch)
    }


def fetch_first_pull_requests(
    http: HttpClient,
    graphql_url: str,
    *,
    user: str,
    repositories: Iterable[str],
    progress: Progress | None = None,
) -> FirstPullRequests:
    """The first pull request and the first merged one of `user` in each repository, ever.

    One request per ten repositories (each repository once, whatever its case). When GitHub
    refuses a request, its repositories are asked for one by one, and the ones refused alone are
    listed as unreadable; rate limits and token errors are raised.
    """
    names = _unique(repositories)
    _checked_login(user)
    found: dict[str, FirstPullRequest] = {}
    unreadable: list[str] = []
    for start in range(0, len(names), BATCH_SIZE):
        batch = names[start : start + BATCH_SIZE]
        try:
            found.update(_ask(http, graphql_url, user, batch))
        except (RateLimitError, AuthenticationError):
            raise
        except (NotFoundError, UpstreamError):
            # One repository GitHub will not search (deleted, renamed, private) must not cost
            # the others.
            for repository in batch:
                try:
                    found.update(_ask(http, graphql_url, user, [repository]))
                except (RateLimitError, AuthenticationError):
                    raise
                except (NotFoundError, UpstreamError):
                    unreadable.append(repository)
        if progress is not None:
            done = min(start + BATCH_SIZE, len(names))
            progress(f"first pull requests: {done}/{len(names)} projects")
    return FirstPullRequests(found=found, unreadable=tuple(unreadable))


def _by_repository(entries: Any) -> tuple[dict[str, int], bool]:
    counts: dict[str, int] = {}
    listed = list(entries or ())
    for entry in listed:
        name = str(entry["repository"]["nameWithOwner"])
        counts[name] = counts.get(name, 0) + int(
            (entry.get("contributions") or {}).get("totalCount") or 0
        )
    return counts, len(listed) >= MAX_REPOSITORIES


def fetch_contributions_to_others(
    http: HttpClient, graphql_url: str, *, user: str, year: int, tz: tzinfo
) -> ContributionsToOthers:
    """Reviews and issues per repository in `year` (in `tz`), and the repositories of the
    pull requests merged in it; one request. Raises NotFoundError for an unknown user."""
    window = year_window(year, tz)
    variables = {
        "login": _checked_login(user),
        **window.variables(),
        "merged": merged_in_year_search(user, year, tz),
    }
    try:
        data = http.graphql(graphql_url, CONTRIBUTIONS_TO_OTHERS_QUERY, variables)
    except NotFoundError:
        raise NotFoundError(f"GitHub user '{user}' not found") from None
    node = data.get("user")
    if not isinstance(node, dict):
        raise NotFoundError(f"GitHub user '{user}' not found")
    collection = node.get("contributionsCollection") or {}
    reviews, reviews_capped = _by_repository(
        collection.get("pullRequestReviewContributionsByRepository")
    )
    issues, issues_capped = _by_repository(collection.get("issueContributionsByRepository"))
    search = data.get("merged") or {}
    nodes = [n for n in search.get("nodes") or () if isinstance(n, dict)]
    merged: dict[str, str] = {}
    for pr in nodes:
        name = str((pr.get("repository") or {}).get("nameWithOwner") or "")
        if name:
            merged.setdefault(name.casefold(), name)
    return ContributionsToOthers(
        reviews_by_repository=reviews,
        issues_by_repository=issues,
        merged_pull_request_repositories=tuple(sorted(merged.values(), key=str.casefold)),
        merged_pull_requests_complete=int(search.get("issueCount") or 0) <= len(nodes),
        repositories_capped=reviews_capped or issues_capped,
    )
