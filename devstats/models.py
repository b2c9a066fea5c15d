"""Frozen dataclasses: what the collectors return and what the report holds.

Collectors turn upstream JSON into these at the boundary; nothing downstream sees a raw dict.
`Report.to_json()` produces the public JSON contract (`devstats/schema/report.schema.json`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

SCHEMA_VERSION = "1.1"  # 1.1 added `notices`


# --- notices about the data -----------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """Something the reader should know about the figures: a gap, a cap, a lower bound.

    `code` is stable (devstats/notices.py lists every one), `message` is the English sentence, and
    `params` hold what the sentence is made of (counts as ints; names, dates and years as
    strings), so a renderer can say the same in another language.
    """

    code: str
    message: str
    params: Mapping[str, str | int | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """One entry of the report's `notices` list."""
        return {"code": self.code, "message": self.message, "params": dict(self.params)}


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


# --- projects and languages of the year ---------------------------------------------------------


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

    def to_json(self) -> dict[str, Any]:
        """One entry of the report's `projects` list."""
        return {
            "repository": self.repository,
            "title": self.title,
            "description": self.description,
            "language": self.language,
            "url": self.url,
            "stars": self.stars,
            "stars_gained": self.stars_gained,
            "human_commits": self.human_commits,
            "releases_in_year": self.releases_in_year,
            "release_tags": list(self.release_tags),
            "package": self.package,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class LanguageShare:
    name: str
    human_commits: int
    share: float  # of all human commits; the shares of one year add up to exactly 1.0

    def to_json(self) -> dict[str, Any]:
        """One entry of the report's `languages` list."""
        return {"name": self.name, "human_commits": self.human_commits, "share": self.share}


# --- what the PyPI collectors return --------------------------------------------------------


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionTotals:
    total: int | None
    commits: int | None
    pull_requests: int | None
    issues: int | None
    reviews: int | None
    restricted: int | None


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
class CommitSummary:
    total: int
    automated: int
    human: int
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
    total: int | None
    last_month: int | None
    monthly: dict[str, int]  # "YYYY-MM" -> downloads in that calendar month (complete data only)
    window: Window | None  # the days the figures cover
    source: str | None
    mirrors: bool
    total_window: Window | None = None
    last_month_window: Window | None = None


@dataclass(frozen=True)
class PackageReport:
    name: str
    version: str | None
    releases_in_year: int | None
    downloads: Downloads | None
    url: str | None = None


@dataclass(frozen=True)
class Report:
    user: str
    year: int
    timezone: str
    generated_at: datetime
    contributions: ContributionTotals
    calendar: tuple[CalendarDay, ...]
    automated_calendar: tuple[CalendarDay, ...]
    commits: CommitSummary
    classified_commits: tuple[ClassifiedCommit, ...]
    external_pull_requests: ExternalPullRequests
    packages: tuple[PackageReport, ...]
    warnings: tuple[Notice, ...]
    previous: Report | None = None
    projects: tuple[ProjectOfYear, ...] = ()
    languages: tuple[LanguageShare, ...] = ()
    # languages with real commits this year and none the year before (with --compare)
    new_languages: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
