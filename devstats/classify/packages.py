"""One package's figures for the year, from the facts collected about it. Pure.

Version and releases: PyPI's release list read as of the year's end in the report's time zone.

The rules, spelled out in docs/downloads.md:
- download days are UTC days (that is how pypistats.org and PyPI's BigQuery data count them);
- a month counts only when every one of its days is known; a partly known month is left out
  with a notice, never shown as a month;
- "last month" is the last calendar month of the year that ended before today: the only meaning
  of "last month" in devstats;
- `total` is all-time or nothing: a sum since some later day is never called a total;
- an unknown figure is None, never 0.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from devstats.collect.packages import PackageFacts, StoredDownloads
from devstats.collect.pepy import PEPY_SOURCE, PepyDownloads
from devstats.collect.pypi import PackageRelease, PyPIProject, parse_version
from devstats.collect.pypistats import PYPISTATS_SOURCE, DownloadSeries
from devstats.models import Downloads, Notice, PackageReport, Window
from devstats.notices import notice


def month_key(day: date) -> str:
    """The "YYYY-MM" key of `Downloads.monthly` for the month holding `day`."""
    return f"{day:%Y-%m}"


def month_span(year: int, month: int) -> Window:
    return Window(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _days(window: Window) -> list[date]:
    return [window.start + timedelta(n) for n in range((window.end - window.start).days + 1)]


def monthly_downloads(
    days: Mapping[date, int], year: int, through: date
) -> tuple[dict[str, int], list[str]]:
    """(complete months of `year` ended by `through` -> downloads, partly known months).

    A month is complete when each of its days is in `days` (a day with no downloads must be
    present as 0); months with some but not all days known are returned as partial.
    """
    complete: dict[str, int] = {}
    partial: list[str] = []
    for month in range(1, 13):
        span = month_span(year, month)
        if span.end > through:
            break
        known = [days[d] for d in _days(span) if d in days]
        if len(known) == span.end.day:
            complete[month_key(span.start)] = sum(known)
        elif known:
            partial.append(month_key(span.start))
    return complete, partial


# Why a month of the year has no monthly figure, in the order they are checked.
MISSING_REASONS = (
    "not-over",  # the month had not ended on the last day counted
    "partial",  # some of its days are known, not all
    "before-first-upload",  # it ended before the package's first file was uploaded
    "no-data",  # none of its days is known: before the data reaches back
)


def missing_months(
    year: int,
    monthly: Mapping[str, int],
    partial: list[str],
    *,
    through: date,
    first_upload: date | None,
) -> dict[str, str]:
    """Every month of `year` without a monthly figure, with the first reason that applies."""
    missing: dict[str, str] = {}
    for month in range(1, 13):
        span = month_span(year, month)
        key = month_key(span.start)
        if key in monthly:
            continue
        if span.end > through:
            missing[key] = "not-over"
        elif key in partial:
            missing[key] = "partial"
        elif first_upload is not None and span.end < first_upload:
            missing[key] = "before-first-upload"
        else:
            missing[key] = "no-data"
    return missing


def last_complete_month(year: int, today: date) -> Window | None:
    """The last calendar month of `year` that ended before `today`, if any."""
    if today > date(year, 12, 31):
        return month_span(year, 12)
    previous = today.replace(day=1) - timedelta(days=1)
    return month_span(year, previous.month) if previous.year == year else None


def _eligible(release: PackageRelease, include_prereleases: bool) -> bool:
    return not release.yanked and (include_prereleases or not release.prerelease)


def _year_bounds(year: int, tz: tzinfo) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def version_at_year_end(
    project: PyPIProject, year: int, tz: tzinfo, include_prereleases: bool = False
) -> str | None:
    """The newest installable version uploaded before the year ended in `tz`.

    "Newest" is by PEP 440 ordering, not by upload time: a 1.9.1 bug-fix uploaded after 2.0.0
    does not make 1.9.1 the current version. Yanked releases and (unless asked for)
    pre-releases are skipped; legacy versions that cannot be ordered are never chosen.
    """
    _, end = _year_bounds(year, tz)
    candidates = [
        (parsed, release.version)
        for release in project.releases
        if release.uploaded_at < end
        and _eligible(release, include_prereleases)
        and (parsed := parse_version(release.version)) is not None
    ]
    return max(candidates)[1] if candidates else None


def releases_in_year(
    project: PyPIProject, year: int, tz: tzinfo, include_prereleases: bool = False
) -> int:
    """How many installable releases were uploaded during the year in `tz` (yanked ones skipped)."""
    start, end = _year_bounds(year, tz)
    return sum(
        1
        for release in project.releases
        if start <= release.uploaded_at < end and _eligible(release, include_prereleases)
    )


@dataclass(frozen=True)
class Total:
    downloads: int
    window: Window
    kind: str  # STORE_TOTAL or pepy.tech
    note: str | None = None  # the baseline's note

    @property
    def source(self) -> str:
        """The total's part of `Downloads.source`: "baseline (<note>) + download store"."""
        if self.kind != STORE_TOTAL:
            return self.kind
        return f"baseline ({self.note}) + download store" if self.note else STORE_TOTAL


STORE_TOTAL = "baseline + download store"


def _sum_days(days: Mapping[date, int], start: date, end: date) -> int | None:
    if end < start:
        return 0
    span = _days(Window(start, end))
    return sum(days[d] for d in span) if all(d in days for d in span) else None


def store_total(
    stored: StoredDownloads, name: str, start: date, limit: date
) -> tuple[Total | None, list[Notice]]:
    """All-time downloads through the last stored day up to `limit`: baseline + stored days."""
    baseline = stored.baseline
    if baseline is None:
        return None, []
    counted_through = baseline.before - timedelta(days=1)
    if limit < counted_through:
        # The baseline includes days after the limit, so it says nothing about the total then.
        return None, []
    last_stored = max((d for d in stored.days if d <= limit), default=None)
    end = max(counted_through, last_stored) if last_stored else counted_through
    since = _sum_days(stored.days, baseline.before, end)
    if since is None:
        missing = [d for d in _days(Window(baseline.before, end)) if d not in stored.days]
        shown = ", ".join(d.isoformat() for d in missing[:3]) + (" ..." if len(missing) > 3 else "")
        return None, [
            notice(
                "downloads-store-gap",
                package=name,
                baseline=baseline.before.isoformat(),
                missing=len(missing),
                end=end.isoformat(),
                days=shown,
            )
        ]
    total = Total(
        baseline.downloads + since, Window(start, end), STORE_TOTAL, baseline.note or None
    )
    return total, []


def pepy_total(
    pepy: PepyDownloads, name: str, start: date, limit: date
) -> tuple[Total | None, list[Notice]]:
    """pepy.tech's total, less the days after `limit` when it lists them all."""
    last = max(pepy.daily) if pepy.daily else None
    if last is None or last <= limit:
        return Total(pepy.total, Window(start, last or limit), PEPY_SOURCE), []
    if min(pepy.daily) > limit + timedelta(days=1):
        return None, [
            notice(
                "downloads-pepy-range",
                package=name,
                last=last.isoformat(),
                first=min(pepy.daily).isoformat(),
                limit=limit.isoformat(),
            )
        ]
    after = sum(n for d, n in pepy.daily.items() if d > limit)
    return Total(pepy.total - after, Window(start, limit), PEPY_SOURCE), []


def all_time_total(facts: PackageFacts, limit: date) -> tuple[Total | None, list[Notice]]:
    """The package's all-time downloads through `limit` (the year's end, or yesterday)."""
    releases = facts.project.releases
    if not releases:
        return None, [notice("downloads-no-files", package=facts.name)]
    first_upload = releases[0].uploaded_at.date()
    total: Total | None = None
    notices: list[Notice] = []
    if facts.stored is not None:
        total, notices = store_total(facts.stored, facts.name, first_upload, limit)
    if total is None and facts.pepy is not None:
        total, more = pepy_total(facts.pepy, facts.name, first_upload, limit)
        notices += more
    if total is None:
        notices.append(notice("downloads-total-unknown", package=facts.name))
    elif total.window.end < limit:
        notices.append(
            notice(
                "downloads-total-short",
                package=facts.name,
                end=total.window.end.isoformat(),
                limit=limit.isoformat(),
            )
        )
    return total, notices


def _known_days(facts: PackageFacts, year: int) -> dict[date, int]:
    start, end = date(year, 1, 1), min(date(year, 12, 31), facts.yesterday)
    if facts.stored is not None:
        return {d: n for d, n in facts.stored.days.items() if start <= d <= end}
    fetched = facts.series.by_day() if facts.series else {}
    return {d: n for d, n in fetched.items() if start <= d <= end}


def _source(used: list[date], series: DownloadSeries | None, stored: frozenset[str]) -> str:
    if (
        series
        and series.first
        and series.last
        and all(series.first <= d <= series.last for d in used)
    ):
        return PYPISTATS_SOURCE
    return "download store (" + ", ".join(sorted(stored) or [PYPISTATS_SOURCE]) + ")"


def _last_month(
    monthly: Mapping[str, int], name: str, year: int, today: date
) -> tuple[int | None, Window | None, list[Notice]]:
    window = last_complete_month(year, today)
    if window is None:
        return None, None, []
    count = monthly.get(month_key(window.start))
    if count is None:
        month = month_key(window.start)
        return None, None, [notice("downloads-last-month-unknown", package=name, month=month)]
    return count, window, []


def year_downloads(facts: PackageFacts, year: int) -> tuple[Downloads | None, list[Notice]]:
    """The year's monthly figures, last month and all-time total, with their windows."""
    if facts.unavailable:
        return None, []
    name = facts.name
    monthly, partial = monthly_downloads(_known_days(facts, year), year, facts.yesterday)
    notices: list[Notice] = []
    if partial:
        notices.append(notice("downloads-month-partial", package=name, months=", ".join(partial)))
    spans = [month_span(year, int(m[5:])) for m in sorted(monthly)]
    window = Window(spans[0].start, spans[-1].end) if spans else None
    last_month, last_month_window, more = _last_month(
        monthly, name, year, facts.yesterday + timedelta(1)
    )
    notices += more
    total, more = all_time_total(facts, min(date(year, 12, 31), facts.yesterday))
    notices += more
    if not monthly and total is None:
        return None, notices
    used = [d for span in spans for d in _days(span)]
    sources = facts.stored.sources if facts.stored else frozenset()
    monthly_source = _source(used, facts.series, sources) if used else None
    source = monthly_source
    if total is not None:
        source = f"{source}; total: {total.source}" if source else f"total: {total.source}"
    releases = facts.project.releases
    return Downloads(
        total=total.downloads if total else None,
        last_month=last_month,
        monthly=monthly,
        window=window,
        total_window=total.window if total else None,
        last_month_window=last_month_window,
        source=source,
        mirrors=facts.mirrors,
        monthly_source=monthly_source,
        total_source=total.kind if total else None,
        baseline_note=total.note if total else None,
        missing_months=missing_months(
            year,
            monthly,
            partial,
            through=facts.yesterday,
            first_upload=releases[0].uploaded_at.date() if releases else None,
        ),
    ), notices


def package_report(
    facts: PackageFacts, *, year: int, tz: tzinfo, include_prereleases: bool
) -> tuple[PackageReport, list[Notice]]:
    """The package's figures for the year, and notices about what is not known."""
    project = facts.project
    downloads, notices = year_downloads(facts, year)
    return PackageReport(
        name=project.name or facts.name,
        url=project.url,
        version=version_at_year_end(project, year, tz, include_prereleases),
        releases_in_year=releases_in_year(project, year, tz, include_prereleases),
        downloads=downloads,
    ), [*facts.notices, *notices]
