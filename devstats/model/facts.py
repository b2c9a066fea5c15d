"""Frozen dataclasses: what the GitHub collector returns and what the classifiers make of it,
notices, date windows, and the package and download figures the report carries (what the PyPI
collectors return is in devstats/model/downloads.py and packages.py).

Collectors turn upstream JSON into these at the boundary; nothing downstream sees a raw dict.
The report (devstats/model/report.py) embeds the classified ones as they are, so each has one shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from devstats.model.downloads import Provenance, monthly_text, total_text

# --- notices about the data -----------------------------------------------------------------

Progress = Callable[[str], None]
"""Shows one line of what a run is doing (stderr, or nothing)."""


@dataclass(frozen=True)
class Notice:
    """Something to know about the figures: a gap, a cap, a lower bound, a setup hint.

    `code` is stable (devstats/model/notices.py lists every one), `message` is the English
    sentence, and `params` hold what the sentence is made of (counts as ints; names, dates and
    years as strings), so a renderer can say the same in another language. `audience` is "reader"
    for a caveat the post's reader needs, "operator" for what only the person running devstats
    can act on (a key to set, a store to seed): those go to stderr, not into the post.
    """

    code: str
    message: str
    params: Mapping[str, str | int | None] = field(default_factory=dict)
    audience: str = "reader"


# --- what the GitHub collector returns ------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Who authored or committed a commit, as git and GitHub know it."""

    name: str | None
    email: str | None
    login: str | None  # the GitHub account behind the e-mail, when GitHub could link one


@dataclass(frozen=True)
class Commit:
    sha: str
    repository: str  # "owner/name"
    author: Identity
    committer: Identity
    authored_at: datetime  # timezone-aware, as recorded in the commit
    committed_at: datetime
    message: str


@dataclass(frozen=True)
class CalendarDay:
    day: date
    count: int


@dataclass(frozen=True)
class Contributions:
    """The profile's contribution figures for the year (GitHub's contributionsCollection)."""

    total: int  # the calendar's total, as the profile shows it
    commits: int
    pull_requests: int
    issues: int
    reviews: int
    restricted: int  # private contributions, only non-zero when the user shares them
    calendar: tuple[CalendarDay, ...]


@dataclass(frozen=True)
class RepositoryInfo:
    name_with_owner: str
    owner: str
    stars: int | None
    description: str | None = None
    language: str | None = None
    url: str | None = None
    is_fork: bool = False


@dataclass(frozen=True)
class PullRequest:
    repository: str
    number: int
    title: str
    url: str
    state: str  # OPEN, CLOSED or MERGED (GitHub's PullRequestState)
    created_at: datetime
    merged_at: datetime | None


@dataclass(frozen=True)
class DayCount:
    """One day of one repository: the commit contributions GitHub counts, the commits retrieved.

    `day` is the UTC day of the author date, the day GitHub's `commitContributionsByRepository`
    lists the contribution on.
    """

    day: date
    github: int
    retrieved: int


@dataclass(frozen=True)
class CommitReconciliation:
    """The commits retrieved from one repository set against GitHub's count for it in the year.

    `days` holds only the days where the two differ, oldest first. `reason` says why, when it is
    known: "gone" (the repository could not be found), "unreadable" (GitHub returned nothing for
    it) or "gh-pages" (it has a gh-pages branch, which GitHub counts and devstats does not read).
    """

    repository: str  # "owner/name", as GitHub lists it
    github_count: int
    retrieved: int
    days: tuple[DayCount, ...] = ()
    reason: str | None = None

    @property
    def matches(self) -> bool:
        return not self.days and self.github_count == self.retrieved


@dataclass(frozen=True)
class GitHubActivity:
    """Everything the GitHub collector gathered for one user and one year."""

    user: str
    contributions: Contributions
    # The user's commits authored in the year, per repository: a SHA in two repositories is two
    # commits, as GitHub counts it.
    commits: tuple[Commit, ...]
    pull_requests: tuple[PullRequest, ...]
    repositories: tuple[RepositoryInfo, ...]
    warnings: tuple[Notice, ...] = ()
    # GitHub releases of the repositories whose history was read (newest 100 each)
    releases: Mapping[str, tuple[Release, ...]] = field(default_factory=dict)
    # Every repository GitHub lists with commit contributions, or with commits retrieved, by name
    reconciliation: tuple[CommitReconciliation, ...] = ()
    # Commit contributions GitHub counts in repositories it does not list for the token (private
    # ones), or that were beyond the 100-repository cap (a notice says when the cap was reached)
    unlisted_commits: int = 0


@dataclass(frozen=True)
class FirstPullRequest:
    """The user's first pull requests to one repository, whatever the year, from GitHub search.

    `first_merged` is the one merged earliest among the merged ones read (the oldest few by
    opening time); `first_merged_certain` is False when a merged pull request that was not read
    could have been merged even earlier.
    """

    repository: str  # "owner/name"
    first_opened: PullRequest | None  # None: GitHub's search found no pull request by the user
    first_merged: PullRequest | None
    first_merged_certain: bool = True


@dataclass(frozen=True)
class ContributionsToOthers:
    """Per repository, what the year's contributions collection counts beyond commits.

    Every repository is listed, the user's own included; telling other people's projects apart
    is for the classifier. Each list is GitHub's, capped at 100 repositories.
    """

    reviews_by_repository: Mapping[str, int]  # "owner/name" -> pull-request reviews
    issues_by_repository: Mapping[str, int]  # "owner/name" -> issues opened
    # repositories of the user's pull requests merged inside the year, however old
    merged_pull_request_repositories: tuple[str, ...]
    # False when more pull requests were merged in the year than one search page holds
    merged_pull_requests_complete: bool = True
    # True when a list reached GitHub's 100 repositories: smaller projects may be missing
    repositories_capped: bool = False


# --- projects and languages of the year ---------------------------------------------------------


@dataclass(frozen=True)
class ProjectOverride:
    title: str | None = None
    package: str | None = None
    notes: str | None = None
    hide: bool = False


@dataclass(frozen=True)
class Release:
    """A GitHub release (not a draft). `published_at` is None only if GitHub gave no date."""

    repository: str  # "owner/name"
    tag: str
    name: str | None
    published_at: datetime | None
    prerelease: bool = False


@dataclass(frozen=True)
class ProjectOfYear:
    repository: str  # "owner/name"
    title: str  # the override's title, else the repository's name without the owner
    description: str | None
    language: str | None  # GitHub's primary language of the repository
    url: str | None
    stars: int | None  # current stars
    stars_gained: int | None  # stars given inside the year; None when unknown
    human_commits: int
    releases_in_year: int
    release_tags: tuple[str, ...]  # tags of those releases, oldest first
    package: str | None  # the linked PyPI package, as the report names it
    notes: str | None
    # stars at the end of the year: `stars` less the stars given since; None when unknown
    stars_at_year_end: int | None = None


@dataclass(frozen=True)
class LanguageShare:
    name: str
    human_commits: int
    share: float  # of all human commits; the shares of one year add up to exactly 1.0


# --- dates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive


# --- what the classifiers make of them ------------------------------------------------------------


@dataclass(frozen=True)
class ClassifiedCommit:
    """A commit with every reason it looks automated; the first reason is the one counted."""

    commit: Commit
    reasons: tuple[str, ...]

    @property
    def automated(self) -> bool:
        return bool(self.reasons)

    @property
    def primary_reason(self) -> str | None:
        return self.reasons[0] if self.reasons else None


@dataclass(frozen=True)
class RepositoryCommits:
    repository: str
    total: int
    automated: int
    human: int
    automated_by_reason: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CommitCounts:
    """Commits, and how many of them were automated: what --compare shows of a year."""

    total: int
    automated: int
    human: int


@dataclass(frozen=True)
class CommitSummary(CommitCounts):
    """The year's commits counted, with the automated ones by reason and by repository."""

    automated_by_reason: dict[str, int]
    by_repository: tuple[RepositoryCommits, ...]


@dataclass(frozen=True)
class ExternalProject:
    repository: str
    stars: int | None
    total: int
    merged: int
    items: tuple[PullRequest, ...]


@dataclass(frozen=True)
class ExternalPullRequests:
    total: int
    merged: int
    projects: tuple[ExternalProject, ...]


@dataclass(frozen=True)
class Downloads:
    """A package's download figures, each with its window, and where each comes from.

    `monthly_from` and `total_from` are the provenance; `source`, `total_source` and
    `monthly_sources` are the same in English, derived from them for readers of schema 1.2.
    """

    total: int | None  # all-time, through total_window.end
    last_month: int | None  # the last complete calendar month of the year (last_month_window)
    monthly: dict[str, int]  # "YYYY-MM" -> downloads in that calendar month (complete data only)
    window: Window | None  # the months `monthly` covers
    total_window: Window | None
    last_month_window: Window | None
    source: str | None = field(init=False)  # the monthly and the total sources in one line
    mirrors: bool
    total_source: str | None = field(init=False)
    monthly_sources: dict[str, str] = field(init=False)  # "YYYY-MM" -> its source
    # months of the year without a figure -> why: "not-over" (or not settled yet), "partial",
    # "before-first-upload" or "unknown" (MISSING_REASONS in devstats/classify/missing_months.py)
    missing_months: dict[str, str] = field(default_factory=dict)
    bytes_billed: int | None = None  # what BigQuery billed for the figures, when it was asked
    # the sources of the monthly figures, each with the months it gave, by first month
    monthly_from: tuple[Provenance, ...] = ()
    # the sources of the total: one, or an engine's total and the days that carry it on
    total_from: tuple[Provenance, ...] = ()

    def __post_init__(self) -> None:
        monthly = monthly_text(self.monthly_from)
        total = total_text(self.total_from)
        line = f"{monthly}; total: {total}" if monthly and total else monthly
        object.__setattr__(self, "source", line or (f"total: {total}" if total else None))
        object.__setattr__(self, "total_source", total)
        by_month = {m: part.name for part in self.monthly_from for m in part.months}
        object.__setattr__(self, "monthly_sources", dict(sorted(by_month.items())))


@dataclass(frozen=True)
class PackageReport:
    name: str
    url: str | None
    version: str | None  # the newest release as of the year's end
    releases_in_year: int | None
    downloads: Downloads | None
