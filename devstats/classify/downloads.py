"""Download arithmetic on UTC days and calendar months, and the all-time total. Pure.

The rules, spelled out in docs/downloads.md:
- download days are UTC days (that is how pypistats.org and PyPI's BigQuery data count them);
- a month counts only when every one of its days is known, or when a history engine (ClickHouse,
  BigQuery) gives it whole; a partly known month is never shown as a month;
- "last month" is the last calendar month of the year that ended before today: the only meaning
  of "last month" in devstats;
- `total` is all-time or nothing: a sum since some later day is never called a total;
- an unknown figure is None, never 0.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from devstats.collect.packages import PackageFacts, StoredDownloads
from devstats.collect.pepy import PEPY_SOURCE, PepyDownloads
from devstats.models import Notice, Window
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


def last_complete_month(year: int, today: date) -> Window | None:
    """The last calendar month of `year` that ended before `today`, if any."""
    if today > date(year, 12, 31):
        return month_span(year, 12)
    previous = today.replace(day=1) - timedelta(days=1)
    return month_span(year, previous.month) if previous.year == year else None


@dataclass(frozen=True)
class Total:
    downloads: int
    window: Window
    source: str


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
    note = f" ({baseline.note})" if baseline.note else ""
    total = Total(
        baseline.downloads + since, Window(start, end), f"baseline{note} + download store"
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
