"""The highlights of the year, as the report carries them: streaks, rhythm, first
contributions, help given to other people's projects, releases shipped and downloads in the year.

devstats/classify/ (rhythm.py, contributions_to_others.py, highlights.py) computes them;
docs/definitions.md ("Highlights") defines each figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from devstats.model.facts import CalendarDay

# --- streaks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRun:
    """Consecutive days with real contributions, both ends included."""

    start: date
    end: date
    days: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", (self.end - self.start).days + 1)


@dataclass(frozen=True)
class WeekRun:
    """Consecutive calendar weeks (Sunday to Saturday) with real contributions.

    `start` is the first week's Sunday and `end` the last week's Saturday, each moved inside the
    year when the week reaches into the year before or after.
    """

    start: date
    end: date
    weeks: int


@dataclass(frozen=True)
class Streaks:
    longest: DayRun | None  # the longest run of days; the earliest of equal runs
    longest_weeks: WeekRun | None
    at_end: DayRun | None  # the run that includes `through`; None when `through` had none
    through: date  # 31 December, or the last day counted when the year is not over
    active_days: int  # days of the year with real contributions


# --- rhythm --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    month: str  # "YYYY-MM"
    count: int


@dataclass(frozen=True)
class Rhythm:
    busiest_day: CalendarDay | None  # the most real contributions; the earliest of equal days
    busiest_month: MonthCount | None
    by_weekday: tuple[int, ...]  # real commits per weekday in the report's zone, Monday first
    by_hour: tuple[int, ...]  # real commits per hour of the day (0-23) in the report's zone
    commits: int  # real commits placed in the two histograms
    unplaced: int  # real commits whose author date has no offset at all: left out
    # placed commits whose author date says +00:00 while the report's zone is not UTC then
    zero_offset: int


# --- first contributions and help given ----------------------------------------------------------


@dataclass(frozen=True)
class FirstContribution:
    repository: str
    number: int
    title: str
    url: str
    at: datetime  # when it was opened (or merged), in the report's zone


@dataclass(frozen=True)
class FirstContributions:
    # projects whose first pull request by the user was opened in the year
    opened: tuple[FirstContribution, ...]
    # projects where a pull request by the user was merged for the first time in the year
    merged: tuple[FirstContribution, ...]
    # projects of `merged` whose first merge could lie before the year (see FirstPullRequest)
    uncertain: tuple[str, ...]
    # the projects of "first contribution to N projects": the first merge was this year
    projects: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "projects", tuple(item.repository for item in self.merged))


@dataclass(frozen=True)
class ProjectHelp:
    repository: str
    reviews: int
    issues: int

    @property
    def total(self) -> int:
        return self.reviews + self.issues


@dataclass(frozen=True)
class GivenToOthers:
    reviews: int  # pull-request reviews given in other people's projects
    issues: int  # issues opened in other people's projects
    projects: int  # how many projects received either
    top: tuple[ProjectHelp, ...]  # the projects with the most of both, at most `top`


# --- releases and downloads ----------------------------------------------------------------------


@dataclass(frozen=True)
class ShippedVersion:
    version: str  # PEP 440-normalised when it parses, else the tag as written
    repository: str | None
    package: str | None
    published_at: datetime  # its first publication (GitHub release or PyPI upload), report zone
    on_github: bool
    on_pypi: bool


@dataclass(frozen=True)
class ReleasesShipped:
    total: int  # versions shipped in the year, each once
    github: int  # of those, published as a GitHub release
    pypi: int  # of those, uploaded to PyPI
    both: int  # of those, both (counted once in `total`)
    items: tuple[ShippedVersion, ...]  # by first publication, then name


@dataclass(frozen=True)
class PackageDownloadsInYear:
    package: str
    downloads: int | None  # None: no complete month of the year is known
    months: tuple[str, ...]  # the complete months ("YYYY-MM") the figure adds up
    source: str | None


@dataclass(frozen=True)
class DownloadsInYear:
    total: int | None  # the sum over the packages with a figure; None when none has one
    packages: tuple[PackageDownloadsInYear, ...]  # in the order given


# --- all of them ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlights:
    """The report's optional `highlights` block; a part left None was not computed."""

    streaks: Streaks | None = None
    rhythm: Rhythm | None = None
    first_contributions: FirstContributions | None = None
    given_to_others: GivenToOthers | None = None
    releases: ReleasesShipped | None = None
    downloads: DownloadsInYear | None = None
