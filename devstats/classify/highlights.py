"""Highlights of the year: streaks, rhythm, first contributions, help given to other people's
projects, releases shipped and downloads in the year.

Pure: plain inputs in (dates, times, counts, names), frozen dataclasses out, so the figures do not
depend on how the report is put together. Every figure is computed on real work (automated commits
left out) and in the report's time zone; docs/definitions.md ("Highlights") defines each one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from packaging.utils import canonicalize_name, canonicalize_version
from packaging.version import InvalidVersion, Version

from devstats.models import FirstPullRequest, PullRequest

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
TOP_PROJECTS = 5


def _aware(moment: datetime) -> datetime:
    # A time without an offset is taken as UTC, as GitHub and PyPI write theirs.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _year_span(year: int, tz: tzinfo) -> tuple[datetime, datetime]:
    """The year's first instant and the first instant after it, in `tz`."""
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _in_year(moment: datetime | None, year: int, tz: tzinfo) -> bool:
    if moment is None:
        return False
    start, end = _year_span(year, tz)
    return start <= _aware(moment) < end


def _owner(repository: str) -> str:
    return repository.split("/", 1)[0].casefold()


def external_repositories(
    repositories: Iterable[str], *, user: str, own_organizations: Sequence[str] = ()
) -> tuple[str, ...]:
    """The repositories owned by neither the user nor one of their organizations, each once.

    GitHub names ignore case, so one repository spelt two ways is kept once (first spelling wins);
    the order is the order given.
    """
    own = {user.casefold(), *(org.casefold() for org in own_organizations)}
    seen: set[str] = set()
    kept: list[str] = []
    for repository in repositories:
        key = repository.casefold()
        if key in seen or _owner(repository) in own:
            continue
        seen.add(key)
        kept.append(repository)
    return tuple(kept)


# --- real days --------------------------------------------------------------------------------


def real_contribution_days(
    calendar: Mapping[date, int],
    commits: Iterable[tuple[datetime, bool]],
    *,
    year: int,
    tz: tzinfo,
) -> dict[date, int]:
    """Real contributions per day of `year` in `tz`; days without any are left out.

    `calendar` is GitHub's contribution calendar, whose days are UTC days; `commits` are the
    user's commits as (author date, automated). A day's real contributions are its real commits,
    placed on their day in `tz`, plus what the calendar counts on that date beyond the commits
    (pull requests, issues, reviews, commits that could not be read): those carry no time, so
    they stay on the date GitHub gave them. A day with only automated commits is not a real day.
    An author date without an offset is read as UTC.
    """
    commits_on_utc_day: Counter[date] = Counter()
    real_on_local_day: Counter[date] = Counter()
    for authored_at, automated in commits:
        aware = _aware(authored_at)
        commits_on_utc_day[aware.astimezone(UTC).date()] += 1
        if not automated:
            real_on_local_day[aware.astimezone(tz).date()] += 1
    days: Counter[date] = Counter()
    for day, count in calendar.items():
        # The calendar may count fewer commits on a day than were read (a commit GitHub does not
        # credit): what is left over is never negative.
        days[day] += max(0, count - commits_on_utc_day[day])
    days.update(real_on_local_day)
    return {day: days[day] for day in sorted(days) if day.year == year and days[day] > 0}


# --- streaks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRun:
    """Consecutive days with real contributions, both ends included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}


@dataclass(frozen=True)
class WeekRun:
    """Consecutive calendar weeks (Sunday to Saturday) with real contributions.

    `start` is the first week's Sunday and `end` the last week's Saturday, each moved inside the
    year when the week reaches into the year before or after.
    """

    start: date
    end: date
    weeks: int

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "weeks": self.weeks}


@dataclass(frozen=True)
class Streaks:
    longest: DayRun | None  # the longest run of days; the earliest of equal runs
    longest_weeks: WeekRun | None
    at_end: DayRun | None  # the run that includes `through`; None when `through` had none
    through: date  # 31 December, or the last day counted when the year is not over
    active_days: int  # days of the year with real contributions

    def to_json(self) -> dict[str, Any]:
        return {
            "longest_days": self.longest.to_json() if self.longest else None,
            "longest_weeks": self.longest_weeks.to_json() if self.longest_weeks else None,
            "at_year_end": self.at_end.to_json() if self.at_end else None,
            "through": self.through.isoformat(),
            "active_days": self.active_days,
        }


def _runs(ordered: Sequence[date], step: timedelta) -> list[tuple[date, date]]:
    """Maximal runs of `ordered` (sorted, unique) whose neighbours are `step` apart."""
    runs: list[tuple[date, date]] = []
    for day in ordered:
        if runs and day - runs[-1][1] == step:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _longest(runs: Sequence[tuple[date, date]]) -> tuple[date, date] | None:
    # max() keeps the first of equal runs, and the runs are in date order: the earliest wins.
    return max(runs, key=lambda run: run[1] - run[0]) if runs else None


def week_start(day: date) -> date:
    """The Sunday that starts `day`'s week, as the columns of GitHub's contribution calendar."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def streaks(real_days: Iterable[date], year: int, *, through: date | None = None) -> Streaks:
    """Runs of days, and of weeks, with real contributions in `year`.

    Every date given is a day with real contributions; dates outside the year (or after
    `through`) are ignored. `through` (default 31 December) is the day whose running streak is
    reported: pass the last complete day when the year is not over.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    through = min(through or last, last)
    days = sorted({d for d in real_days if first <= d <= through})
    day_runs = _runs(days, timedelta(days=1))
    longest = _longest(day_runs)
    week_runs = _runs(sorted({week_start(d) for d in days}), timedelta(days=7))
    longest_weeks = _longest(week_runs)
    at_end = next((run for run in day_runs if run[1] == through), None)
    return Streaks(
        longest=DayRun(*longest) if longest else None,
        longest_weeks=(
            WeekRun(
                start=max(longest_weeks[0], first),
                end=min(longest_weeks[1] + timedelta(days=6), last),
                weeks=(longest_weeks[1] - longest_weeks[0]).days // 7 + 1,
            )
            if longest_weeks
            else None
        ),
        at_end=DayRun(*at_end) if at_end else None,
        through=through,
        active_days=len(days),
    )


# --- rhythm -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "count": self.count}


@dataclass(frozen=True)
class MonthCount:
    month: str  # "YYYY-MM"
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"month": self.month, "count": self.count}


@dataclass(frozen=True)
class Rhythm:
    busiest_day: DayCount | None  # the most real contributions; the earliest of equal days
    busiest_month: MonthCount | None
    by_weekday: tuple[int, ...]  # real commits per weekday in the report's zone, Monday first
    by_hour: tuple[int, ...]  # real commits per hour of the day (0-23) in the report's zone
    commits: int  # real commits placed in the two histograms
    unplaced: int  # real commits whose author date has no offset at all: left out
    # placed commits whose author date says +00:00 while the report's zone is not UTC then
    zero_offset: int

    def to_json(self) -> dict[str, Any]:
        return {
            "busiest_day": self.busiest_day.to_json() if self.busiest_day else None,
            "busiest_month": self.busiest_month.to_json() if self.busiest_month else None,
            "by_weekday": list(self.by_weekday),
            "by_hour": list(self.by_hour),
            "commits": self.commits,
            "unplaced": self.unplaced,
            "zero_offset": self.zero_offset,
        }


def rhythm(
    real_commit_times: Iterable[datetime], real_days: Mapping[date, int], tz: tzinfo
) -> Rhythm:
    """Busiest day and month (from real contributions per day) and when real commits happen.

    A commit's weekday and hour are those of its author date's instant in `tz`, whatever offset
    the commit recorded. An author date without an offset cannot be placed and is only counted.
    A recorded +00:00 is taken at its word, but counted apart: tools that do not record the local
    zone write it too, and then the hour is off by the zone's offset.
    """
    weekdays = [0] * 7
    hours = [0] * 24
    placed = unplaced = zero_offset = 0
    for moment in real_commit_times:
        offset = moment.utcoffset()
        if offset is None:
            unplaced += 1
            continue
        local = moment.astimezone(tz)
        weekdays[local.weekday()] += 1
        hours[local.hour] += 1
        placed += 1
        if offset == timedelta(0) and local.utcoffset() != timedelta(0):
            zero_offset += 1

    positive = {day: count for day, count in real_days.items() if count > 0}
    busiest_day = None
    if positive:
        day = max(sorted(positive), key=lambda d: positive[d])
        busiest_day = DayCount(day, positive[day])
    months: Counter[str] = Counter()
    for day, count in positive.items():
        months[f"{day.year:04d}-{day.month:02d}"] += count
    busiest_month = None
    if months:
        month = max(sorted(months), key=lambda m: months[m])
        busiest_month = MonthCount(month, months[month])
    return Rhythm(
        busiest_day=busiest_day,
        busiest_month=busiest_month,
        by_weekday=tuple(weekdays),
        by_hour=tuple(hours),
        commits=placed,
        unplaced=unplaced,
        zero_offset=zero_offset,
    )


# --- first contributions ----------------------------------------------------------------------


@dataclass(frozen=True)
class FirstContribution:
    repository: str
    number: int
    title: str
    url: str
    at: datetime  # when it was opened (or merged), in the report's zone

    def to_json(self) -> dict[str, Any]:
        return {
            "repository": self.repository,
            "number": self.number,
            "title": self.title,
            "url": self.url,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True)
class FirstContributions:
    # projects whose first pull request by the user was opened in the year
    opened: tuple[FirstContribution, ...]
    # projects where a pull request by the user was merged for the first time in the year
    merged: tuple[FirstContribution, ...]
    # projects of `merged` whose first merge could lie before the year (see FirstPullRequest)
    uncertain: tuple[str, ...]

    @property
    def projects(self) -> tuple[str, ...]:
        """The projects of "first contribution to N projects": the first merge was this year."""
        return tuple(item.repository for item in self.merged)

    def to_json(self) -> dict[str, Any]:
        return {
            "projects": list(self.projects),
            "opened": [item.to_json() for item in self.opened],
            "merged": [item.to_json() for item in self.merged],
            "uncertain": list(self.uncertain),
        }


def _first(repository: str, pr: PullRequest, at: datetime, tz: tzinfo) -> FirstContribution:
    return FirstContribution(
        repository=repository, number=pr.number, title=pr.title, url=pr.url, at=at.astimezone(tz)
    )


def first_contributions(
    firsts: Mapping[str, FirstPullRequest],
    year: int,
    tz: tzinfo,
    *,
    user: str,
    own_organizations: Sequence[str] = (),
) -> FirstContributions:
    """The other people's projects where the user's first pull request was opened in `year`,
    and those where one was first merged in it (each list by date, then name).

    A pull request opened in December and merged in January is a first opened in the one year
    and a first merged in the next.
    """
    external = set(external_repositories(firsts, user=user, own_organizations=own_organizations))
    opened: list[FirstContribution] = []
    merged: list[FirstContribution] = []
    uncertain: list[str] = []
    for key in sorted(external, key=str.casefold):
        found = firsts[key]
        if found.first_opened is not None and _in_year(found.first_opened.created_at, year, tz):
            opened.append(
                _first(found.repository, found.first_opened, found.first_opened.created_at, tz)
            )
        pr = found.first_merged
        if pr is not None and pr.merged_at is not None and _in_year(pr.merged_at, year, tz):
            merged.append(_first(found.repository, pr, pr.merged_at, tz))
            if not found.first_merged_certain:
                uncertain.append(found.repository)
    opened.sort(key=lambda item: (item.at, item.repository.casefold()))
    merged.sort(key=lambda item: (item.at, item.repository.casefold()))
    return FirstContributions(
        opened=tuple(opened), merged=tuple(merged), uncertain=tuple(uncertain)
    )


# --- reviews and issues given to other people's projects ---------------------------------------


@dataclass(frozen=True)
class ProjectHelp:
    repository: str
    reviews: int
    issues: int

    @property
    def total(self) -> int:
        return self.reviews + self.issues

    def to_json(self) -> dict[str, Any]:
        return {"repository": self.repository, "reviews": self.reviews, "issues": self.issues}


@dataclass(frozen=True)
class GivenToOthers:
    reviews: int  # pull-request reviews given in other people's projects
    issues: int  # issues opened in other people's projects
    projects: int  # how many projects received either
    top: tuple[ProjectHelp, ...]  # the projects with the most of both, at most `top`

    def to_json(self) -> dict[str, Any]:
        return {
            "reviews": self.reviews,
            "issues": self.issues,
            "projects": self.projects,
            "top": [item.to_json() for item in self.top],
        }


def given_to_others(
    reviews_by_repo: Mapping[str, int],
    issues_by_repo: Mapping[str, int],
    *,
    user: str,
    own_organizations: Sequence[str] = (),
    top: int = TOP_PROJECTS,
) -> GivenToOthers:
    """Reviews and issues in repositories owned by someone else, grouped by project.

    Projects come by reviews plus issues, then reviews, then name; one repository spelt two ways
    is one project.
    """
    own = {user.casefold(), *(org.casefold() for org in own_organizations)}
    reviews: Counter[str] = Counter()
    issues: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for counts, source in ((reviews, reviews_by_repo), (issues, issues_by_repo)):
        for repository, count in source.items():
            if count <= 0 or _owner(repository) in own:
                continue
            key = repository.casefold()
            spelling.setdefault(key, repository)
            counts[key] += count
    projects = [
        ProjectHelp(repository=spelling[key], reviews=reviews[key], issues=issues[key])
        for key in spelling
    ]
    projects.sort(key=lambda p: (-p.total, -p.reviews, p.repository.casefold()))
    return GivenToOthers(
        reviews=sum(reviews.values()),
        issues=sum(issues.values()),
        projects=len(projects),
        top=tuple(projects[: max(0, top)]),
    )


# --- releases shipped -------------------------------------------------------------------------

# A tag that is not a version by itself may still end in one: "pytorch_optimizer-v2.0.1",
# "release/1.4", "pkg@3.0.0".
_TAG_VERSION = re.compile(r"(?:^|[-_/@])(v?\d[\w.+!-]*)$", re.IGNORECASE)


def tag_version(tag: str) -> Version | None:
    """The PEP 440 version a release tag names ("v1.2.3" and "1.2.3" are both 1.2.3), if any."""
    candidates = [tag.strip()]
    match = _TAG_VERSION.search(tag.strip())
    if match:
        candidates.append(match.group(1))
    for candidate in candidates:
        try:
            return Version(candidate)
        except InvalidVersion:
            continue
    return None


@dataclass(frozen=True)
class ShippedVersion:
    version: str  # PEP 440-normalised when it parses, else the tag as written
    repository: str | None
    package: str | None
    published_at: datetime  # its first publication (GitHub release or PyPI upload), report zone
    on_github: bool
    on_pypi: bool

    def to_json(self) -> dict[str, Any]:
        sources = [
            name for name, yes in (("github", self.on_github), ("pypi", self.on_pypi)) if yes
        ]
        return {
            "version": self.version,
            "repository": self.repository,
            "package": self.package,
            "published_at": self.published_at.isoformat(),
            "sources": sources,
        }


@dataclass(frozen=True)
class ReleasesShipped:
    total: int  # versions shipped in the year, each once
    github: int  # of those, published as a GitHub release
    pypi: int  # of those, uploaded to PyPI
    both: int  # of those, both (counted once in `total`)
    items: tuple[ShippedVersion, ...]  # by first publication, then name

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "github": self.github,
            "pypi": self.pypi,
            "both": self.both,
            "items": [item.to_json() for item in self.items],
        }


@dataclass
class _Version:
    version: str
    repository: str | None = None
    package: str | None = None
    times: list[datetime] = field(default_factory=list)
    on_github: bool = False
    on_pypi: bool = False


def releases_shipped(
    github_releases: Iterable[tuple[str, str, datetime | None]],
    pypi_versions: Iterable[tuple[str, str, datetime | None]],
    links: Mapping[str, str],
    year: int,
    tz: tzinfo,
) -> ReleasesShipped:
    """Versions shipped in `year`: GitHub releases (repository, tag, published at) and PyPI
    versions (package, version, first upload), one version counted once.

    A GitHub release and a PyPI version are the same version when the tag names the same PEP 440
    version and `links` (package -> "owner/name") ties the package to that repository. A version
    counts in the year of its first publication, wherever that was.
    """
    linked = {canonicalize_name(package): repo for package, repo in links.items()}
    versions: dict[tuple[str, str, str], _Version] = {}

    for repository, tag, published_at in github_releases:
        parsed = tag_version(tag)
        name = str(parsed) if parsed is not None else tag
        # PEP 440 equality ("2.1" is "2.1.0"); a tag that names no version matches nothing else.
        same = canonicalize_version(parsed) if parsed is not None else f"tag:{tag}"
        key = ("repo", repository.casefold(), same)
        item = versions.setdefault(key, _Version(version=name, repository=repository))
        item.on_github = True
        if published_at is not None:
            item.times.append(_aware(published_at))
    for package, version, uploaded_at in pypi_versions:
        canonical = canonicalize_name(package)
        try:
            name = str(Version(version))
            same = canonicalize_version(name)
        except InvalidVersion:
            name = same = version
        repo = linked.get(canonical)
        key = ("repo", repo.casefold(), same) if repo else ("package", canonical, same)
        item = versions.setdefault(key, _Version(version=name, repository=repo))
        item.package = item.package or package
        item.on_pypi = True
        if uploaded_at is not None:
            item.times.append(_aware(uploaded_at))

    shipped: list[ShippedVersion] = []
    for item in versions.values():
        if not item.times:
            continue  # a release GitHub gave no date, and nothing else dates it
        first = min(item.times)
        if not _in_year(first, year, tz):
            continue
        shipped.append(
            ShippedVersion(
                version=item.version,
                repository=item.repository,
                package=item.package,
                published_at=first.astimezone(tz),
                on_github=item.on_github,
                on_pypi=item.on_pypi,
            )
        )
    shipped.sort(key=lambda v: (v.published_at, (v.repository or v.package or "").casefold()))
    return ReleasesShipped(
        total=len(shipped),
        github=sum(1 for v in shipped if v.on_github),
        pypi=sum(1 for v in shipped if v.on_pypi),
        both=sum(1 for v in shipped if v.on_github and v.on_pypi),
        items=tuple(shipped),
    )


# --- downloads in the year --------------------------------------------------------------------


@dataclass(frozen=True)
class PackageDownloadsInYear:
    package: str
    downloads: int | None  # None: no complete month of the year is known
    months: tuple[str, ...]  # the complete months ("YYYY-MM") the figure adds up
    source: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "downloads": self.downloads,
            "months": list(self.months),
            "source": self.source,
        }


@dataclass(frozen=True)
class DownloadsInYear:
    total: int | None  # the sum over the packages with a figure; None when none has one
    packages: tuple[PackageDownloadsInYear, ...]  # in the order given

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "packages": [p.to_json() for p in self.packages]}


def downloads_in_year(
    packages: Iterable[tuple[str, Mapping[str, int], str | None]], year: int
) -> DownloadsInYear:
    """Downloads inside `year` per package and in total, from (package, complete months ->
    downloads, source): only the months of the year that are known in full are added up."""
    prefix = f"{year:04d}-"
    found: list[PackageDownloadsInYear] = []
    for package, monthly, source in packages:
        months = tuple(sorted(m for m in monthly if m.startswith(prefix)))
        found.append(
            PackageDownloadsInYear(
                package=package,
                downloads=sum(monthly[m] for m in months) if months else None,
                months=months,
                source=source if months else None,
            )
        )
    known = [p.downloads for p in found if p.downloads is not None]
    return DownloadsInYear(total=sum(known) if known else None, packages=tuple(found))


# --- all of them ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlights:
    """The report's optional `highlights` block; a part left None was not computed."""

    streaks: Streaks | None = None
    rhythm: Rhythm | None = None
    first_contributions: FirstContributions | None = None
    given_to_others: GivenToOthers | None = None
    releases: ReleasesShipped | None = None
    downloads: DownloadsInYear | None = None

    def to_json(self) -> dict[str, Any]:
        """The `highlights` object (devstats/schema/highlights.schema.json)."""
        parts: dict[str, Any] = {
            "streaks": self.streaks,
            "rhythm": self.rhythm,
            "first_contributions": self.first_contributions,
            "given_to_others": self.given_to_others,
            "releases": self.releases,
            "downloads": self.downloads,
        }
        return {name: part.to_json() if part is not None else None for name, part in parts.items()}
