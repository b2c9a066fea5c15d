"""GitHub activity for one user and one calendar year, through the GraphQL API.

Two kinds of request, as few as the data allows, one at a time (GitHub asks integrators not to
send requests concurrently):

1. The contributions collection of the year (calendar, totals, the repositories with commit
   contributions, the pull requests): `windows.py`. A year is one query unless GitHub
   truncates the repository list at 100 (then months, and days where needed, are asked for many
   to a query) or refuses the calendar as too expensive (then the year is asked for per quarter).
2. The user's commits on the default branch of each of those repositories: `commits.py`.
   Spans of about a page each, planned from GitHub's count per day, ten to a query. The days of
   a repository with commits on more than 200 days of the year, which the first query cannot
   hold, ride along with the first history query.

The commits are then set against GitHub's own count, per repository and per day
(`reconcile.py`), and every difference is named in a notice.

See docs/github.md for what each figure means upstream.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from devstats.collect.github.commits import HistoryReader
from devstats.collect.github.reconcile import commit_count_notices, merge_contributions, reconcile
from devstats.collect.github.spans import Span, add_days, year_window
from devstats.collect.github.windows import ContributionsReader, WindowPart, gap_rider
from devstats.http.client import HttpClient
from devstats.model.errors import UpstreamError
from devstats.model.facts import (
    Commit,
    GitHubActivity,
    Notice,
    Progress,
    PullRequest,
    RepositoryInfo,
)


@dataclass
class _Listed:
    """What the windows of a year list, merged."""

    repositories: dict[str, RepositoryInfo] = field(default_factory=dict)
    # repository → days with commit contributions, over all windows
    commit_repositories: dict[str, int] = field(default_factory=dict)
    github_days: dict[str, dict[date, int]] = field(default_factory=dict)
    pulls: dict[str, PullRequest] = field(default_factory=dict)

    def ordered(self) -> list[str]:
        """Repositories with commits, busiest first."""
        counts = self.commit_repositories
        return sorted(counts, key=lambda n: (-counts[n], n.lower()))


def _merge_parts(parts: list[WindowPart]) -> _Listed:
    listed = _Listed()
    for part in parts:
        for name, info in part.repositories.items():
            listed.repositories.setdefault(name, info)
        for name, days in part.commit_repositories.items():
            listed.commit_repositories[name] = listed.commit_repositories.get(name, 0) + days
        add_days(listed.github_days, part.commit_days)
        listed.pulls.update(part.pulls)
    return listed


def _user_id(parts: list[WindowPart]) -> str:
    user_id = next((p.user_id for p in parts if p.user_id), "")
    if not user_id:
        raise UpstreamError("GitHub returned no id for the user")
    return user_id


def _activity(
    user: str,
    year: Span,
    tz: tzinfo,
    parts: list[WindowPart],
    listed: _Listed,
    history: HistoryReader,
    found: dict[str, dict[str, Commit]],
    warnings: list[Notice],
) -> GitHubActivity:
    contributions = merge_contributions(parts)
    commits = sorted(
        (commit for per in found.values() for commit in per.values()),
        key=lambda c: (c.committed_at, c.sha, c.repository),
    )
    reasons = {**{name: "gh-pages" for name in history.pages_branches}, **history.unreadable}
    retrieved = {name: per.values() for name, per in found.items()}
    reconciliation = reconcile(listed.github_days, retrieved, reasons)
    # GitHub counts these but lists no repository for them (private, or beyond the cap).
    unlisted = max(0, contributions.commits - sum(r.github_count for r in reconciliation))
    notices = commit_count_notices(
        user=user,
        year=year.start.year,
        counted=contributions.commits,
        restricted=contributions.restricted,
        reconciliation=reconciliation,
        unlisted=unlisted,
        # per repository, the last day whose commits were read, in the report's time zone
        late={
            r.repository: history.read_until(r.repository).astimezone(tz).date()
            for r in reconciliation
        },
    )
    repositories = listed.repositories
    return GitHubActivity(
        user=user,
        contributions=contributions,
        commits=tuple(commits),
        pull_requests=tuple(sorted(listed.pulls.values(), key=lambda p: (p.created_at, p.url))),
        repositories=tuple(repositories[n] for n in sorted(repositories, key=str.lower)),
        warnings=(*warnings, *notices),
        releases=dict(history.releases),
        reconciliation=reconciliation,
        unlisted_commits=unlisted,
    )


def collect_github_activity(
    http: HttpClient,
    *,
    user: str,
    year: int,
    tz: tzinfo,
    graphql_url: str,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> GitHubActivity:
    """Collect `user`'s contributions, commits and pull requests in calendar `year` (in `tz`).

    The commits are those GitHub counts as commit contributions: authored in the year, on the
    default branch of each repository GitHub lists, once per repository. Raises NotFoundError for
    an unknown user; other failures come from `HttpClient`. Every figure here has a GraphQL
    source, so no REST request is made.
    """
    say: Progress = progress or (lambda _line: None)
    window = year_window(year, tz)
    windows = ContributionsReader(http, graphql_url, user, say)
    parts = windows.contributions(window)
    first = _merge_parts(parts)
    history = HistoryReader(http, graphql_url, window, say, now)
    gap = gap_rider(windows, parts)
    found = history.commits(_user_id(parts), first.ordered(), first.github_days, gap)
    if gap is not None:  # with the days the gap's windows added
        first = dataclasses.replace(first, github_days=gap.with_added(first.github_days))
    return _activity(user, window, tz, parts, first, history, found, windows.warnings)
