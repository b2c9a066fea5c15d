"""What other people did with the user's projects, and where the user's own work went.

Two kinds of types: what an event engine answers (`ProjectEvents` and its rows, UTC times as the
history stores them) and what devstats/classify/received.py makes of it (the `Received` block of
the report). docs/definitions.md ("What others did with my work") defines every figure;
docs/events.md says where the answers come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

# --events-source: where stars and pull requests received come from (docs/events.md).
EVENTS_SOURCES = ("auto", "clickhouse", "github")

# How a "stars gained" figure was counted (docs/definitions.md).
STAR_EVENTS = "star-events"  # people with a star event (a WatchEvent "started") in the year
STARGAZERS = "stargazers"  # today's stargazers whose star is dated in the year

# --- what an event engine answers --------------------------------------------------------------


@dataclass(frozen=True)
class StarEvents:
    """The star events of one repository inside the span asked for."""

    repository: str
    events: int  # star events ("started"), a person starring twice counted twice
    people: int  # distinct people behind them
    later_people: int = 0  # distinct people with a star event after the span


@dataclass(frozen=True)
class PullRequestOpened:
    """A pull request opened inside the span asked for, and whether it was merged since."""

    repository: str
    number: int
    author: str  # the login that opened it
    title: str
    opened_at: datetime  # UTC
    merged_at: datetime | None  # UTC, when a merge is in the history


@dataclass(frozen=True)
class FirstPullRequestTo:
    """When a person opened their first pull request to a repository, over the whole history."""

    repository: str
    author: str
    first_opened_at: datetime  # UTC


@dataclass(frozen=True)
class ReleasePublished:
    repository: str
    tag: str
    published_at: datetime  # UTC


@dataclass(frozen=True)
class ProjectEvents:
    """One event engine's answer for a set of repositories and a span [start, end) of UTC time.

    `first_pull_requests` lists only the people who opened a pull request inside the span, with
    their first one to the repository ever; `releases` are every release up to `end`, so the
    version before the span is known. `loaded_through` is the newest moment the engine has loaded:
    figures after it are missing, not zero.
    """

    source: str  # the --events-source value that answered ("clickhouse")
    label: str  # how figures name it, e.g. "ClickHouse (GH Archive)"
    repositories: tuple[str, ...]
    start: datetime
    end: datetime
    stars: tuple[StarEvents, ...]
    pull_requests: tuple[PullRequestOpened, ...]
    first_pull_requests: tuple[FirstPullRequestTo, ...]
    releases: tuple[ReleasePublished, ...]
    loaded_through: datetime | None

    @property
    def complete(self) -> bool:
        """Whether the history holds the whole span. It is loaded by the hour and
        `loaded_through` is the newest hour's start: the hour of the span's last second must be
        in."""
        if self.loaded_through is None:
            return False
        last = self.end - timedelta(seconds=1)
        return self.loaded_through >= last.replace(minute=0, second=0, microsecond=0)


# --- what the classifier makes of it -----------------------------------------------------------


@dataclass(frozen=True)
class StarsGained:
    repository: str
    stars: int
    definition: str  # STAR_EVENTS or STARGAZERS
    complete: bool = True  # False: a lower bound (the walk or the history stopped early)


@dataclass(frozen=True)
class Contributor:
    """Someone who opened pull requests to one of the user's projects in the year."""

    login: str
    pull_requests: int
    merged: int
    first_time: bool  # no earlier pull request of theirs to that repository


@dataclass(frozen=True)
class PullRequestsReceived:
    """Pull requests opened by other people (bots left out) to one of the user's projects."""

    repository: str
    opened: int
    merged: int  # of those opened in the year, merged by the time of the answer
    people: tuple[Contributor, ...]  # most pull requests first, then login
    first_timers: tuple[str, ...]  # logins, in the order of `people`


@dataclass(frozen=True)
class MajorRelease:
    """A release in the year whose major version is above every release before it."""

    repository: str
    tag: str
    version: str  # PEP 440-normalised
    previous: str  # the highest earlier version
    major: int
    published_at: datetime  # in the report's zone


@dataclass(frozen=True)
class WorkShare:
    """The user's pull requests, reviews and issues of one year, on their own projects and on
    other people's. `others_percent` is the rounded share on other people's, None with no work."""

    year: int
    own: int
    others: int
    others_pull_requests: int
    others_reviews: int
    others_issues: int
    others_percent: int | None


@dataclass(frozen=True)
class Received:
    """The report's `received` block: what other people did with the user's projects."""

    source: str  # "clickhouse" or "github": where stars and pull requests were read
    complete_through: date | None  # the last day the figures are complete for, when short
    stars: tuple[StarsGained, ...]
    # None when the source cannot tell (GitHub's GraphQL is only asked for stars)
    pull_requests: tuple[PullRequestsReceived, ...] | None
    major_releases: tuple[MajorRelease, ...]
    work: WorkShare | None
    work_last_year: WorkShare | None = None
