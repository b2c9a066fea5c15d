"""The GraphQL documents the GitHub collector sends, and the builders for the batched ones.

Every document takes its inputs as variables; only the aliases of the batched queries are
generated, and those are `r0`, `r1`, … and `w0`, `w1`, … (never a repository name or a date), so
no user data ever reaches the document text. `sample_documents()` lists every shape the collector
can send, so a test can validate each one against GitHub's published schema.
"""

from __future__ import annotations

from devstats.collect.github.releases import RELEASES_FRAGMENT

RATE_LIMIT_FIELDS = "rateLimit { cost remaining resetAt }"

REPOSITORY_FIELDS = """
fragment RepositoryFields on Repository {
  nameWithOwner
  owner { login }
  isFork
  stargazerCount
  description
  primaryLanguage { name }
  url
  defaultBranchRef { name }
}
"""

PULL_REQUEST_PAGE = """
pullRequestContributions(first: 100, after: $prCursor) {
  pageInfo { hasNextPage endCursor }
  nodes {
    pullRequest {
      number
      title
      url
      state
      createdAt
      mergedAt
      repository { ...RepositoryFields }
    }
  }
}
"""

# `maxRepositories` has no documented maximum, but GitHub returns at most 100 repositories
# (github-profile-3d-contrib#5); the collector treats a list of exactly 100 as truncated.
MAX_REPOSITORIES = 100

# A repository's commit contributions are one node per day ("The commit contributions, each
# representing a day", with `commitCount` and `occurredAt`), newest first by default. A page holds
# at most 100 nodes, so the year's query asks for the newest and the oldest 100 days together: a
# window of up to 200 days is complete for every repository, and what a busier year leaves out in
# the middle is asked for once more, per month (`commit_windows_query`).
DAYS_PER_PAGE = 100

COMMIT_REPOSITORIES = f"""
commitContributionsByRepository(maxRepositories: {MAX_REPOSITORIES}) {{
  repository {{ ...RepositoryFields }}
  newest: contributions(first: {DAYS_PER_PAGE}) {{
    totalCount
    nodes {{ occurredAt commitCount }}
  }}
  oldest: contributions(first: {DAYS_PER_PAGE}, orderBy: {{field: OCCURRED_AT, direction: ASC}}) {{
    nodes {{ occurredAt commitCount }}
  }}
}}
"""

# One window of the contributions collection: the calendar, the totals, the repositories with
# commit contributions and the first page of pull requests. `to` is inclusive (schema).
CONTRIBUTIONS_QUERY = (
    """
query Contributions($login: String!, $from: DateTime!, $to: DateTime!, $prCursor: String) {
  user(login: $login) {
    id
    login
    contributionsCollection(from: $from, to: $to) {
      totalCommitContributions
      totalIssueContributions
      totalPullRequestContributions
      totalPullRequestReviewContributions
      restrictedContributionsCount
      contributionCalendar {
        totalContributions
        weeks { contributionDays { date contributionCount } }
      }
"""
    + COMMIT_REPOSITORIES
    + PULL_REQUEST_PAGE
    + """
    }
  }
  """
    + RATE_LIMIT_FIELDS
    + """
}
"""
    + REPOSITORY_FIELDS
)

# The next page of pull requests of one window.
PULL_REQUESTS_QUERY = (
    """
query PullRequests($login: String!, $from: DateTime!, $to: DateTime!, $prCursor: String) {
  user(login: $login) {
    contributionsCollection(from: $from, to: $to) {
"""
    + PULL_REQUEST_PAGE
    + """
    }
  }
  """
    + RATE_LIMIT_FIELDS
    + """
}
"""
    + REPOSITORY_FIELDS
)

# --- several windows of commit contributions in one query ------------------------------------

# A window whose repository list GitHub truncated is split (months, then days) and the pieces
# are asked for together, each under its own alias. Each piece asks for as many day nodes per
# repository as the UTC days it touches (`$d<i>`), so its days are complete without a second
# page. The pieces of one query cover at most a year of days together, as the year's own query
# does, which GitHub answers: the twelve months in one query, the days a hundred at a time
# (WINDOWS_PER_QUERY keeps the cost at 1 point). When GitHub still refuses a batch as too large
# or runs out of time on it, the collector halves it.
WINDOW_DAYS = 366
WINDOWS_PER_QUERY = 100


def window_alias(index: int) -> str:
    """The alias of the `index`-th window in a batch."""
    if index < 0:
        raise ValueError("alias index must not be negative")
    return f"w{index}"


def _window_params(count: int) -> list[str]:
    return [f"$from{i}: DateTime!, $to{i}: DateTime!, $d{i}: Int!" for i in range(count)]


def _window_fields(count: int) -> str:
    """`user { w0: contributionsCollection ... }` for `count` windows."""
    parts = [
        f"""
    {window_alias(i)}: contributionsCollection(from: $from{i}, to: $to{i}) {{
      commitContributionsByRepository(maxRepositories: {MAX_REPOSITORIES}) {{
        repository {{ ...RepositoryFields }}
        newest: contributions(first: $d{i}) {{
          totalCount
          nodes {{ occurredAt commitCount }}
        }}
      }}
    }}"""
        for i in range(count)
    ]
    return "\n  user(login: $login) {" + "".join(parts) + "\n  }"


def commit_windows_query(count: int) -> str:
    """The repositories with commit contributions in `count` windows, and their days per UTC day:
    variables `$login`, and per window `$from<i>`, `$to<i>` (inclusive) and `$d<i>` (day nodes
    per repository, at most 100)."""
    if not 1 <= count <= WINDOWS_PER_QUERY:
        raise ValueError(f"window count must be between 1 and {WINDOWS_PER_QUERY}")
    params = ["$login: String!", *_window_params(count)]
    return (
        f"query CommitWindows({', '.join(params)}) {{"
        + _window_fields(count)
        + f"\n  {RATE_LIMIT_FIELDS}\n}}\n"
        + REPOSITORY_FIELDS
    )


# --- the user's commits, several repositories (or spans of one) a query -----------------------

COMMIT_FIELDS = """
fragment CommitFields on Commit {
  oid
  authoredDate
  committedDate
  message
  author { name email date user { login } }
  committer { name email date user { login } }
}
"""

# Readings per history query. Each alias asks for one page of at most 100 commits, so a batch of
# 10 requests at most 2,000 nodes with the releases (the limit is 500,000) and costs 1 point (20
# connection requests / 100, rounded, minimum 1). The node limit is not what bounds the batch:
# GitHub stops a query after 10 seconds ("Timeouts", GitHub GraphQL docs) and walking an
# author-filtered history is the slow part. So a batch starts at ten readings and is halved when
# GitHub refuses it or runs out of time, and request counts still follow pages, not repositories.
HISTORY_BATCH_SIZE = 10
HISTORY_PAGE_SIZE = 100

# GitHub counts commits on the default branch and on `gh-pages` ("The `gh-pages` branch (for
# repositories with project sites)"); only the default branch's history is read, so each
# repository is asked whether it has the other one, to say so when its counts differ.
PAGES_BRANCH = "refs/heads/gh-pages"


def history_alias(index: int) -> str:
    """The alias of the `index`-th reading in a batch (never derived from its repository)."""
    if index < 0:
        raise ValueError("alias index must not be negative")
    return f"r{index}"


# The months of a year between a repository's newest and oldest 100 days of commits (at most
# 166 days: seven calendar months) ride along with the first history query, as `windows`.
GAP_WINDOWS = 7


def commit_history_query(batch_size: int, windows: int = 0) -> str:
    """The history query for `batch_size` readings: variables `$o<i>`, `$n<i>`, `$c<i>`, the
    commit-date bounds `$since<i>`, `$until<i>` of each (readings of one batch cover different
    spans, of one repository or several), and `$f<i>`: whether to ask for the repository's
    releases and `gh-pages` branch too (once per repository is enough). With `windows`, the
    repositories of that many windows as well, as in `commit_windows_query`.

    The cursor variable of each reading is nullable: `null` asks for the first page.
    """
    if not 1 <= batch_size <= HISTORY_BATCH_SIZE:
        raise ValueError(f"batch size must be between 1 and {HISTORY_BATCH_SIZE}")
    if not 0 <= windows <= GAP_WINDOWS:
        raise ValueError(f"windows must be between 0 and {GAP_WINDOWS}")
    params = ["$userId: ID!", *(["$login: String!", *_window_params(windows)] if windows else [])]
    parts = []
    for i in range(batch_size):
        params.append(
            f"$o{i}: String!, $n{i}: String!, $c{i}: String, $since{i}: GitTimestamp!, "
            f"$until{i}: GitTimestamp!, $f{i}: Boolean!"
        )
        parts.append(
            f"""
  {history_alias(i)}: repository(owner: $o{i}, name: $n{i}) {{
    nameWithOwner
    ...RepositoryReleases @include(if: $f{i})
    pagesBranch: ref(qualifiedName: "{PAGES_BRANCH}") @include(if: $f{i}) {{ name }}
    defaultBranchRef {{
      name
      target {{
        ... on Commit {{
          history(first: {HISTORY_PAGE_SIZE}, after: $c{i}, author: {{id: $userId}},
                  since: $since{i}, until: $until{i}) {{
            pageInfo {{ hasNextPage endCursor }}
            nodes {{ ...CommitFields }}
          }}
        }}
      }}
    }}
  }}"""
        )
    return (
        f"query CommitHistory({', '.join(params)}) {{"
        + "".join(parts)
        + (_window_fields(windows) if windows else "")
        + f"\n  {RATE_LIMIT_FIELDS}\n}}\n"
        + COMMIT_FIELDS
        + RELEASES_FRAGMENT
        + (REPOSITORY_FIELDS if windows else "")
    )


def sample_documents() -> dict[str, str]:
    """Every document the collector can send, by a descriptive name."""
    documents = {
        "contributions": CONTRIBUTIONS_QUERY,
        "pull-requests": PULL_REQUESTS_QUERY,
    }
    for size in range(1, WINDOWS_PER_QUERY + 1):
        documents[f"commit-windows-{size}"] = commit_windows_query(size)
    for size in range(1, HISTORY_BATCH_SIZE + 1):
        documents[f"commit-history-{size}"] = commit_history_query(size)
        for windows in range(1, GAP_WINDOWS + 1):
            documents[f"commit-history-{size}-with-{windows}-windows"] = commit_history_query(
                size, windows
            )
    return documents
