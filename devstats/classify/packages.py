"""One package's figures for the year, from the facts collected about it. Pure.

Version and releases are PyPI's release list read as of the year's end in the report's time
zone. Downloads combine the days pypistats.org and the download store know with the whole months
a history engine (ClickHouse, BigQuery) gives: docs/downloads.md says which wins where.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo

from devstats.classify.downloads import (
    Total,
    all_time_total,
    last_complete_month,
    month_key,
    month_span,
    monthly_downloads,
)
from devstats.collect.engine_history import EngineHistory
from devstats.collect.history_source import HISTORY_STARTS, LOW_COUNTS_BEFORE
from devstats.collect.packages import PackageFacts
from devstats.collect.pypi import PackageRelease, PyPIProject, parse_version
from devstats.collect.pypistats import PYPISTATS_SOURCE
from devstats.models import Downloads, Notice, PackageReport, Window
from devstats.notices import notice

# Two sources may count a month differently (mirror and Python-version rules, late data); more
# apart than this is worth a notice.
CROSS_CHECK_TOLERANCE = 0.02


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


def _known_days(facts: PackageFacts, year: int) -> dict[date, int]:
    start, end = date(year, 1, 1), min(date(year, 12, 31), facts.yesterday)
    if facts.stored is not None:
        return {d: n for d, n in facts.stored.days.items() if start <= d <= end}
    fetched = facts.series.by_day() if facts.series else {}
    return {d: n for d, n in fetched.items() if start <= d <= end}


def _days_source(facts: PackageFacts, months: list[str]) -> str:
    """pypistats.org when its own series holds every day of `months`, else the store."""
    series = facts.series
    year_days = [d for m in months for d in _month_days(m)]
    if (
        series
        and series.first
        and series.last
        and all(series.first <= d <= series.last for d in year_days)
    ):
        return PYPISTATS_SOURCE
    stored = sorted(facts.stored.sources) if facts.stored else []
    return "download store (" + ", ".join(stored or [PYPISTATS_SOURCE]) + ")"


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


# Why a month of the year has no figure, in the order they are checked.
MISSING_REASONS = (
    "not-over",  # the month had not ended (or was not settled yet) on the day of the run
    "partial",  # some of its days are known, not all
    "before-first-upload",  # it ended before the package's first file was uploaded
    "unknown",  # none of its days is known: the data does not reach back that far
)


def missing_months(
    monthly: Mapping[str, int],
    year: int,
    today: date,
    *,
    partial: Sequence[str] = (),
    first_upload: date | None = None,
) -> dict[str, str]:
    """Every month of the year without a figure, with the first reason that applies."""
    missing: dict[str, str] = {}
    for month in range(1, 13):
        span = month_span(year, month)
        key = month_key(span.start)
        if key in monthly:
            continue
        if span.end >= today:
            missing[key] = "not-over"
        elif key in partial:
            missing[key] = "partial"
        elif first_upload is not None and span.end < first_upload:
            missing[key] = "before-first-upload"
        else:
            missing[key] = "unknown"
    return missing


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
        source = f"{engine.source} through {through.isoformat()} + {_days_source_of(facts)}"
        return Total(engine.total.downloads + carried, Window(start, limit), source)
    return Total(engine.total.downloads, Window(start, through), engine.source)


def _days_source_of(facts: PackageFacts) -> str:
    return PYPISTATS_SOURCE if facts.series else "download store"


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


def _sources_text(
    facts: PackageFacts, sources: Mapping[str, str], engine: EngineHistory | None
) -> str | None:
    """Which source gave which months, in one line; a single source is named alone."""
    by_source: dict[str, list[str]] = {}
    for month, kind in sources.items():
        by_source.setdefault(kind, []).append(month)
    named = []
    for kind, months in by_source.items():
        label = _days_source(facts, months) if kind == "days" else (engine.source if engine else "")
        named.append((label, months))
    if len(named) == 1:
        return named[0][0]
    return ", ".join(f"{label} ({months[0]} – {months[-1]})" for label, months in named) or None


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
        notices += more
    if engine:
        notices += _cross_check(facts, from_days, engine, rule)
    if not monthly and total is None:
        return None, notices
    source = _sources_text(facts, sources, engine)
    if total is not None:
        source = f"{source}; total: {total.source}" if source else f"total: {total.source}"
    return Downloads(
        total=total.downloads if total else None,
        last_month=last_month,
        monthly=monthly,
        window=window,
        total_window=total.window if total else None,
        last_month_window=last_month_window,
        source=source,
        mirrors=facts.mirrors,
        total_source=total.source if total else None,
        monthly_sources={
            m: (engine.source if kind == "engine" and engine else _days_source(facts, [m]))
            for m, kind in sources.items()
        },
        missing_months=missing,
        bytes_billed=engine.bytes_billed if engine else None,
    ), notices


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


def package_report(
    facts: PackageFacts,
    *,
    year: int,
    tz: tzinfo,
    include_prereleases: bool,
    fill_only: bool = True,
    rule: str = "",
) -> tuple[PackageReport, list[Notice]]:
    """The package's figures for the year, and notices about what is not known."""
    project = facts.project
    downloads, notices = year_downloads(facts, year, fill_only=fill_only, rule=rule)
    return PackageReport(
        name=project.name or facts.name,
        url=project.url,
        version=version_at_year_end(project, year, tz, include_prereleases),
        releases_in_year=releases_in_year(project, year, tz, include_prereleases),
        downloads=downloads,
    ), [*facts.notices, *notices]


def total_at_previous_year_end(facts: PackageFacts, year: int) -> int | None:
    """All-time downloads at the end of `year` - 1, for --compare."""
    if facts.unavailable:
        return None
    if facts.engine is not None and facts.engine.previous_total is not None:
        return facts.engine.previous_total.downloads
    total, _ = all_time_total(facts, date(year - 1, 12, 31))
    return total.downloads if total else None
