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
from dataclasses import dataclass, replace
from datetime import date, timedelta

from devstats.classify.missing_months import missing_months
from devstats.model.downloads import (
    BASELINE,
    ENGINE,
    HISTORY_STARTS,
    LOW_COUNTS_BEFORE,
    PEPY,
    PYPISTATS,
    STORE,
    EngineHistory,
    PepyDownloads,
    Provenance,
    StoredDownloads,
    byte_size,
)
from devstats.model.facts import Downloads, Notice, Window
from devstats.model.notices import notice
from devstats.model.packages import PackageFacts

# Two sources may count a month differently (mirror and Python-version rules, late data); more
# apart than this is worth a notice.
CROSS_CHECK_TOLERANCE = 0.02


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
    sources: tuple[Provenance, ...]


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
    parts = (
        Provenance(BASELINE, note=baseline.note or None, through=counted_through),
        Provenance(STORE, through=end),
    )
    total = Total(baseline.downloads + since, Window(start, end), parts)
    return total, []


def pepy_total(
    pepy: PepyDownloads, name: str, start: date, limit: date
) -> tuple[Total | None, list[Notice]]:
    """pepy.tech's total, less the days after `limit` when it lists them all."""
    last = max(pepy.daily) if pepy.daily else None
    if last is None or last <= limit:
        return Total(
            pepy.total, Window(start, last or limit), (Provenance(PEPY, through=last),)
        ), []
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
    return Total(pepy.total - after, Window(start, limit), (Provenance(PEPY, through=limit),)), []


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


def _days_source(facts: PackageFacts, month: str) -> Provenance:
    """pypistats.org when its own series holds every day of `month`, else the store."""
    series = facts.series
    if (
        series
        and series.first
        and series.last
        and all(series.first <= d <= series.last for d in _month_days(month))
    ):
        return Provenance(PYPISTATS)
    stored = sorted(facts.stored.sources) if facts.stored else []
    return Provenance(STORE, stored_from=tuple(stored or [PYPISTATS]))


def _month_days(month: str) -> list[date]:
    span = month_span(int(month[:4]), int(month[5:]))
    return [span.start + timedelta(n) for n in range(span.end.day)]


def _merge_months(
    from_days: Mapping[str, int], engine: EngineHistory | None, *, fill_only: bool
) -> tuple[dict[str, int], dict[str, str]]:
    """The year's months and the source of each: days first for `fill_only`, else the engine."""
    from_engine = {month_key(m): n for m, n in engine.months.items()} if engine else {}
    first, second = (from_days, from_engine) if fill_only else (from_engine, from_days)
    monthly = {**second, **first}
    sources = {
        m: ("days" if m in from_days and (fill_only or m not in from_engine) else "engine")
        for m in monthly
    }
    return dict(sorted(monthly.items())), dict(sorted(sources.items()))


def _engine_total(
    facts: PackageFacts, engine: EngineHistory, known: Mapping[date, int], limit: date
) -> Total | None:
    """The engine's total, carried on to `limit` by the known days after it when all are known."""
    if engine.total is None:
        return None
    first_upload = facts.project.releases[0].uploaded_at.date() if facts.project.releases else None
    through = engine.total.through
    start = first_upload or HISTORY_STARTS
    after = [through + timedelta(n) for n in range(1, (limit - through).days + 1)]
    if after and all(d in known for d in after):
        carried = sum(known[d] for d in after)
        parts = (
            Provenance(ENGINE, engine=engine.total.source, through=through),
            Provenance(PYPISTATS if facts.series else STORE, through=limit),
        )
        return Total(engine.total.downloads + carried, Window(start, limit), parts)
    part = Provenance(ENGINE, engine=engine.total.source, through=through)
    return Total(engine.total.downloads, Window(start, through), (part,))


def _engine(engine: EngineHistory, through: date | None = None) -> Provenance:
    return Provenance(ENGINE, engine=engine.source, through=through)


def _history_caveats(facts: PackageFacts) -> list[Notice]:
    """What a total from PyPI's download log must say about the log's early years."""
    releases = facts.project.releases
    if not releases:
        return []
    first = releases[0].uploaded_at.date()
    caveats = []
    if first < HISTORY_STARTS:
        caveats.append(
            notice("downloads-history-starts", package=facts.name, start=str(HISTORY_STARTS.year))
        )
    if first < LOW_COUNTS_BEFORE:
        caveats.append(
            notice("downloads-history-low", package=facts.name, until=LOW_COUNTS_BEFORE.isoformat())
        )
    return caveats


def _cross_check(
    facts: PackageFacts, from_days: Mapping[str, int], engine: EngineHistory, rule: str
) -> list[Notice]:
    notices = []
    for month, ours in sorted(from_days.items()):
        other = engine.months.get(date(int(month[:4]), int(month[5:]), 1))
        if other is None or max(ours, other) == 0:
            continue
        apart = abs(ours - other) / max(ours, other)
        if apart > CROSS_CHECK_TOLERANCE:
            notices.append(
                notice(
                    "downloads-sources-differ",
                    package=facts.name,
                    month=month,
                    pypistats=ours,
                    engine=engine.source,
                    other=other,
                    percent=f"{apart:.0%}",
                    rule=rule,
                )
            )
    return notices


def _monthly_from(
    facts: PackageFacts, sources: Mapping[str, str], engine: EngineHistory | None
) -> tuple[Provenance, ...]:
    """Each month's source, the months of one source together, in the order of their first."""
    months_of: dict[Provenance, list[str]] = {}
    for month, kind in sorted(sources.items()):
        part = _engine(engine) if kind == "engine" and engine else _days_source(facts, month)
        months_of.setdefault(part, []).append(month)
    return tuple(replace(part, months=tuple(months)) for part, months in months_of.items())


def year_downloads(
    facts: PackageFacts, year: int, *, fill_only: bool = True, rule: str = ""
) -> tuple[Downloads | None, list[Notice]]:
    """The year's monthly figures, last month and all-time total, each with its window."""
    if facts.unavailable:
        return None, []
    name, engine = facts.name, facts.engine
    today = facts.yesterday + timedelta(days=1)
    known = _known_days(facts, year)
    from_days, partial = monthly_downloads(known, year, facts.yesterday)
    monthly, sources = _merge_months(from_days, engine, fill_only=fill_only)
    notices: list[Notice] = []
    releases = facts.project.releases
    first_upload = releases[0].uploaded_at.date() if releases else None
    missing = missing_months(monthly, year, today, partial=partial, first_upload=first_upload)
    if partial and not engine:
        notices.append(notice("downloads-month-partial", package=name, months=", ".join(partial)))
    unknown = [m for m, why in missing.items() if why == "unknown"]
    if engine and unknown:
        notices.append(notice("downloads-months-missing", package=name, months=", ".join(unknown)))
    spans = [month_span(year, int(m[5:])) for m in monthly]
    window = Window(spans[0].start, spans[-1].end) if spans else None
    last_month, last_month_window, more = _last_month(monthly, name, year, today)
    notices += more
    limit = min(date(year, 12, 31), facts.yesterday)
    total = _engine_total(facts, engine, known, limit) if engine else None
    if total is not None:
        notices += _history_caveats(facts)
        if total.window.end < limit:
            notices.append(_short(name, total.window.end, limit))
    else:
        total, more = all_time_total(facts, limit)
        notices += _over_budget(facts, engine, more) if total is None else more
    if engine:
        notices += _cross_check(facts, from_days, engine, rule)
    if not monthly and total is None:
        return None, notices
    return Downloads(
        total=total.downloads if total else None,
        last_month=last_month,
        monthly=monthly,
        window=window,
        total_window=total.window if total else None,
        last_month_window=last_month_window,
        mirrors=facts.mirrors,
        missing_months=missing,
        bytes_billed=engine.bytes_billed if engine else None,
        monthly_from=_monthly_from(facts, sources, engine),
        total_from=total.sources if total else (),
    ), notices


def _over_budget(
    facts: PackageFacts, engine: EngineHistory | None, notices: list[Notice]
) -> list[Notice]:
    """When the engine left months unasked over its byte limit, that is why the total is
    unknown: one notice naming the estimate and the setting, instead of the general one."""
    if engine is None or not engine.over_budget:
        return notices
    refused = engine.over_budget[-1]  # the part asked last: the months before the year
    estimate = byte_size(refused.estimate) if refused.estimate is not None else None
    said = notice(
        "downloads-over-budget",
        package=facts.name,
        estimate=estimate or f"more than {byte_size(refused.limit)}",
        first=month_key(refused.first),
        last=month_key(refused.last),
        limit=byte_size(refused.limit),
    )
    return [n for n in notices if n.code != "downloads-total-unknown"] + [said]


def _short(name: str, end: date, limit: date) -> Notice:
    return notice(
        "downloads-total-short", package=name, end=end.isoformat(), limit=limit.isoformat()
    )


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
