"""The GraphQL documents the GitHub collector sends, and the builders for the batched ones.

Every document takes its inputs as variables; only the aliases of a batched history query are
generated, and those are `r0`, `r1`, … (never a repository name), so no user data ever reaches the
document text. `sample_documents()` lists every shape the collector can send, so a test can
validate each one against GitHub's published schema.
"""

from __future__ import annotations

from devstats.collect.stargazers import RELEASES_FRAGMENT

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
# at most 100 nodes, so the newest and the oldest 100 days are asked for together: a window of up
# to 200 days is complete for every repository, and what a year can leave out in the middle is
# asked for once more by the collector (windows of at most DAY_PIECE_DAYS days).
DAYS_PER_PAGE = 100
DAY_PIECE_DAYS = 2 * DAYS_PER_PAGE - 1

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

# Only the repository list, for the smaller windows a capped list is split into.
COMMIT_REPOSITORIES_QUERY = (
    """
query CommitRepositories($login: String!, $from: DateTime!, $to: DateTime!) {
  user(login: $login) {
    contributionsCollection(from: $from, to: $to) {
"""
    + COMMIT_REPOSITORIES
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

# Repositories per history query. Each alias asks for one page of at most 100 commits, so a
# batch of 10 requests at most 1,000 nodes (the limit is 500,000) and costs 1 point (10 connection
# requests / 100, rounded, minimum 1). The node limit is not what bounds the batch: GitHub stops a
# query after 10 seconds and walking an author-filtered history is the slow part, so ten pages a
# request keeps each one small while the request count still follows the pages, not the
# repositories.
HISTORY_BATCH_SIZE = 10
HISTORY_PAGE_SIZE = 100

# GitHub counts commits on the default branch and on `gh-pages` ("The `gh-pages` branch (for
# repositories with project sites)"); only the default branch's history is read, so each
# repository is asked whether it has the other one, to say so when its counts differ.
PAGES_BRANCH = "refs/heads/gh-pages"


def history_alias(index: int) -> str:
    """The alias of the `index`-th repository in a batch (never derived from its name)."""
    if index < 0:
        raise ValueError("alias index must not be negative")
    return f"r{index}"


def commit_history_query(batch_size: int) -> str:
    """The history query for `batch_size` repositories: variables `$o<i>`, `$n<i>`, `$c<i>` and
    the commit-date bounds `$s<i>`, `$u<i>` of each (repositories of one batch may be read over
    different spans).

    The cursor variable of each repository is nullable: `null` asks for the first page.
    """
    if not 1 <= batch_size <= HISTORY_BATCH_SIZE:
        raise ValueError(f"batch size must be between 1 and {HISTORY_BATCH_SIZE}")
    params = ["$userId: ID!"]
    parts = []
    for i in range(batch_size):
        params.append(
            f"$o{i}: String!, $n{i}: String!, $c{i}: String, $s{i}: GitTimestamp!, "
            f"$u{i}: GitTimestamp!"
        )
        parts.append(
            f"""
  {history_alias(i)}: repository(owner: $o{i}, name: $n{i}) {{
    nameWithOwner
    ...RepositoryReleases
    pagesBranch: ref(qualifiedName: "{PAGES_BRANCH}") {{ name }}
    defaultBranchRef {{
      name
      target {{
        ... on Commit {{
          history(first: {HISTORY_PAGE_SIZE}, after: $c{i}, author: {{id: $userId}},
                  since: $s{i}, until: $u{i}) {{
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
        + f"\n  {RATE_LIMIT_FIELDS}\n}}\n"
        + COMMIT_FIELDS
        + RELEASES_FRAGMENT
    )


def sample_documents() -> dict[str, str]:
    """Every document the collector can send, by a descriptive name."""
    documents = {
        "contributions": CONTRIBUTIONS_QUERY,
        "commit-repositories": COMMIT_REPOSITORIES_QUERY,
        "pull-requests": PULL_REQUESTS_QUERY,
    }
    for size in range(1, HISTORY_BATCH_SIZE + 1):
        documents[f"commit-history-{size}"] = commit_history_query(size)
    return documents
