"""One package's figures for the year: version, releases and downloads, each with its window.

Combines PyPI metadata, pypistats.org's last 180 days, the local download store and (when a key
is set) pepy.tech's all-time total. The rules, spelled out in docs/downloads.md:
- download days are UTC days (that is how pypistats.org and PyPI's BigQuery data count them);
- a month counts only when every one of its days is known; a partly known month is left out
  with a warning, never shown as a month;
- `last_month` is the last calendar month of the year that ended before `today`;
- `total` is all-time or nothing: a sum since some later day is never called a total;
- an unknown figure is None, never 0.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any

from devstats.collect.pypi import (
    PYPI_URL,
    PyPIProject,
    fetch_project,
    normalize,
    releases_in_year,
    version_at_year_end,
)
from devstats.collect.pypistats import PYPISTATS_URL, DownloadSeries, fetch_overall
from devstats.errors import NotFoundError, UpstreamError
from devstats.history import DownloadHistory
from devstats.http import HttpClient
from devstats.models import Downloads, Notice, PackageReport, Window
from devstats.notices import notice

PEPY_URL = "https://api.pepy.tech"
PYPISTATS_SOURCE = "pypistats.org"
PEPY_SOURCE = "pepy.tech"


@dataclass(frozen=True)
class PackageOptions:
    pypi_url: str = PYPI_URL
    pypistats_url: str = PYPISTATS_URL
    pepy_url: str = PEPY_URL
    mirrors: bool = False
    include_prereleases: bool = False
    allow_partial: bool = False


# --- pepy.tech ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PepyDownloads:
    total: int  # all time, as pepy.tech counts (its mirror policy is its own)
    daily: Mapping[date, int]  # the recent days pepy.tech lists, summed over versions


def fetch_pepy(http: HttpClient, base_url: str, name: str, api_key: str) -> PepyDownloads:
    """GET /api/v2/projects/<name> (https://www.pepy.tech/pepy-api); errors raise UpstreamError."""
    url = f"{base_url.rstrip('/')}/api/v2/projects/{normalize(name)}"
    response = http.request(
        "GET",
        url,
        headers={"X-API-Key": api_key},
        allow_status=(401, 403, 404),
        what=f"pepy.tech data for {name!r}",
        expect_json=True,
    )
    if response.status_code in (401, 403):
        raise UpstreamError(f"pepy.tech refused PEPY_API_KEY (HTTP {response.status_code})")
    if response.status_code == 404:
        raise UpstreamError(f"pepy.tech does not know {name!r}")
    try:
        payload: Any = response.json()
    except ValueError:
        raise UpstreamError(f"pepy.tech returned something that is not JSON for {name!r}") from None
    total = payload.get("total_downloads") if isinstance(payload, dict) else None
    if not isinstance(total, int) or isinstance(total, bool):
        raise UpstreamError(f"pepy.tech's answer for {name!r} has no total_downloads")
    daily: dict[date, int] = {}
    raw_days = payload.get("downloads")
    if isinstance(raw_days, dict):
        for day, per_version in raw_days.items():
            try:
                when = date.fromisoformat(str(day))
            except ValueError:
                continue  # a key that is not a day says nothing about downloads
            if isinstance(per_version, dict):
                daily[when] = sum(n for n in per_version.values() if isinstance(n, int))
    return PepyDownloads(total=total, daily=daily)


# --- pure calendar arithmetic ---------------------------------------------------------------


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
        key = f"{year}-{month:02d}"
        if len(known) == span.end.day:
            complete[key] = sum(known)
        elif known:
            partial.append(key)
    return complete, partial


def last_complete_month(year: int, today: date) -> Window | None:
    """The last calendar month of `year` that ended before `today`, if any."""
    if today > date(year, 12, 31):
        return month_span(year, 12)
    previous = today.replace(day=1) - timedelta(days=1)
    return month_span(year, previous.month) if previous.year == year else None


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Total:
    downloads: int
    window: Window
    source: str


def _store_total(
    history: DownloadHistory, name: str, mirrors: bool, start: date, limit: date
) -> tuple[_Total | None, list[Notice]]:
    baseline = history.baseline(name, mirrors)
    if baseline is None:
        return None, []
    counted_through = baseline.before_date - timedelta(days=1)
    if limit < counted_through:
        # The baseline includes days after the limit, so it says nothing about the total then.
        return None, []
    coverage = history.coverage(name, mirrors)
    end = max(counted_through, min(limit, coverage[1])) if coverage else counted_through
    total = history.total_through(name, mirrors, end)
    if total is None:
        missing = history.missing_days(name, mirrors, baseline.before_date, end)
        shown = ", ".join(d.isoformat() for d in missing[:3]) + (" ..." if len(missing) > 3 else "")
        return None, [
            notice(
                "downloads-store-gap",
                package=name,
                baseline=baseline.before_date.isoformat(),
                missing=len(missing),
                end=end.isoformat(),
                days=shown,
            )
        ]
    note = f" ({baseline.note})" if baseline.note else ""
    return _Total(total, Window(start, end), f"baseline{note} + download store"), []


def _pepy_total(
    http: HttpClient, options: PackageOptions, name: str, key: str, start: date, limit: date
) -> tuple[_Total | None, list[Notice]]:
    try:
        pepy = fetch_pepy(http, options.pepy_url, name, key)
    except UpstreamError as exc:
        return None, [notice("downloads-pepy-failed", package=name, reason=str(exc))]
    last = max(pepy.daily) if pepy.daily else None
    if last is None or last <= limit:
        end = last or limit
        return _Total(pepy.total, Window(start, end), PEPY_SOURCE), []
    # pepy.tech's total runs to today; take back the days after the limit, if it lists them all.
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
    return _Total(pepy.total - after, Window(start, limit), PEPY_SOURCE), []


def _source(used: list[date], series: DownloadSeries | None, stored: set[str]) -> str:
    if (
        series
        and series.first
        and series.last
        and all(series.first <= d <= series.last for d in used)
    ):
        return PYPISTATS_SOURCE
    return "download store (" + ", ".join(sorted(stored) or [PYPISTATS_SOURCE]) + ")"


def build_package_report(
    http: HttpClient,
    name: str,
    *,
    year: int,
    tz: tzinfo,
    today: date,
    options: PackageOptions,
    history: DownloadHistory | None,
    pepy_api_key: str | None,
) -> tuple[PackageReport, list[Notice]]:
    """The package's figures for `year` as known on `today`, and notices about what is not."""
    warnings: list[Notice] = []
    project = fetch_project(http, options.pypi_url, name)
    report = PackageReport(
        name=project.name or name,
        version=version_at_year_end(project, year, tz, options.include_prereleases),
        releases_in_year=releases_in_year(project, year, tz, options.include_prereleases),
        downloads=None,
        url=project.url,
    )
    series: DownloadSeries | None = None
    try:
        overall = fetch_overall(http, name, mirrors=options.mirrors, base_url=options.pypistats_url)
        series = overall.category(options.mirrors)
    except NotFoundError as exc:
        warnings.append(notice("downloads-not-listed", package=name, reason=str(exc)))
    except UpstreamError as exc:
        if not options.allow_partial:
            raise
        warnings.append(notice("downloads-unavailable", package=name, reason=str(exc)))
        return report, warnings
    downloads, more = _downloads(
        http, project, name, series, year, today, options, history, pepy_api_key
    )
    warnings.extend(more)
    return PackageReport(
        name=report.name,
        version=report.version,
        releases_in_year=report.releases_in_year,
        downloads=downloads,
        url=report.url,
    ), warnings


def _downloads(
    http: HttpClient,
    project: PyPIProject,
    name: str,
    series: DownloadSeries | None,
    year: int,
    today: date,
    options: PackageOptions,
    history: DownloadHistory | None,
    pepy_api_key: str | None,
) -> tuple[Downloads | None, list[Notice]]:
    warnings: list[Notice] = []
    mirrors = options.mirrors
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    yesterday = today - timedelta(days=1)
    fetched = {d: n for d, n in (series.by_day() if series else {}).items() if d <= yesterday}
    if history is not None:
        if fetched:
            history.add_days(name, mirrors, fetched, source=PYPISTATS_SOURCE)
        days = history.daily(name, mirrors, year_start, min(year_end, yesterday))
        stored_sources = history.sources(name, mirrors, year_start, year_end)
    else:
        days = {d: n for d, n in fetched.items() if year_start <= d <= year_end}
        stored_sources = set()

    monthly, partial = monthly_downloads(days, year, yesterday)
    if partial:
        warnings.append(notice("downloads-month-partial", package=name, months=", ".join(partial)))
    window = None
    if monthly:
        months = sorted(monthly)
        first, last = month_span(year, int(months[0][5:])), month_span(year, int(months[-1][5:]))
        window = Window(first.start, last.end)

    last_month = None
    last_month_window = last_complete_month(year, today)
    if last_month_window is not None:
        last_month = monthly.get(last_month_window.start.strftime("%Y-%m"))
        if last_month is None:
            month = f"{last_month_window.start:%Y-%m}"
            warnings.append(notice("downloads-last-month-unknown", package=name, month=month))
            last_month_window = None

    total: _Total | None = None
    first_upload = project.releases[0].uploaded_at.date() if project.releases else None
    limit = min(year_end, yesterday)
    if first_upload is None:
        warnings.append(notice("downloads-no-files", package=name))
    else:
        if history is not None:
            total, more = _store_total(history, name, mirrors, first_upload, limit)
            warnings.extend(more)
        if total is None and pepy_api_key:
            total, more = _pepy_total(http, options, name, pepy_api_key, first_upload, limit)
            warnings.extend(more)
        if total is None:
            warnings.append(notice("downloads-total-unknown", package=name))
        elif total.window.end < limit:
            warnings.append(
                notice(
                    "downloads-total-short",
                    package=name,
                    end=total.window.end.isoformat(),
                    limit=limit.isoformat(),
                )
            )

    if not monthly and total is None:
        return None, warnings
    used = [d for m in sorted(monthly) for d in _days(month_span(year, int(m[5:])))]
    source = _source(used, series, stored_sources) if used else None
    if total is not None:
        source = f"{source}; total: {total.source}" if source else f"total: {total.source}"
    return Downloads(
        total=total.downloads if total else None,
        last_month=last_month,
        monthly=monthly,
        window=window,
        source=source,
        mirrors=mirrors,
        total_window=total.window if total else None,
        last_month_window=last_month_window,
    ), warnings
