"""Everything devstats reads about one package: PyPI's release list, pypistats.org's recent
days, the download store's days and baseline, a history engine's months and total (ClickHouse or
BigQuery, devstats/collect/pypi/engines/plan.py), and pepy.tech's total when a key is set.

Only I/O: the year's figures are made from these facts by devstats/classify/downloads.py. The
recent days pypistats.org returns are written to the download store here, so the store keeps them
after pypistats.org forgets them (180 days).
"""

from __future__ import annotations

from datetime import date, timedelta

from devstats.collect.pypi.engines.base import HistorySource
from devstats.collect.pypi.engines.plan import collect_engine_history, complete_months
from devstats.collect.pypi.pepy import fetch_pepy
from devstats.collect.pypi.project import fetch_project
from devstats.collect.pypi.pypistats import fetch_overall
from devstats.http.client import HttpClient
from devstats.model.downloads import PYPISTATS, DownloadSeries, PepyDownloads, StoredDownloads
from devstats.model.errors import AuthenticationError, NotFoundError, UpstreamError
from devstats.model.facts import Notice
from devstats.model.notices import notice
from devstats.model.packages import PackageFacts
from devstats.settings.endpoints import Endpoints
from devstats.store import DownloadHistory


def collect_package(
    http: HttpClient,
    name: str,
    *,
    year: int,
    today: date,
    mirrors: bool,
    endpoints: Endpoints,
    history: DownloadHistory | None,
    pepy_api_key: str | None,
    allow_partial: bool,
    engine: HistorySource | None = None,
    fill_only: bool = True,
    with_previous: bool = False,
) -> PackageFacts:
    """Read one package's facts; NotFoundError when PyPI does not know it.

    `engine` is asked for the months pypistats.org cannot give (all of them unless `fill_only`)
    and for the all-time total; `with_previous` also asks the total at the previous year's end.
    """
    project = fetch_project(http, endpoints.pypi, name)
    yesterday = today - timedelta(days=1)
    notices: list[Notice] = []
    try:
        series = _pypistats_days(http, name, mirrors, endpoints.pypistats, notices)
    except UpstreamError as exc:
        if not allow_partial:
            raise
        notices.append(notice("downloads-unavailable", package=name, reason=str(exc)))
        return PackageFacts(
            name, project, None, None, None, mirrors, yesterday, tuple(notices), True
        )
    stored = _remember(history, name, mirrors, series, year, yesterday) if history else None
    from_engine = None
    if engine is not None:
        known = stored.days if stored is not None else (series.by_day() if series else {})
        try:
            from_engine = collect_engine_history(
                engine,
                name,
                year=year,
                today=today,
                mirrors=mirrors,
                known_months=complete_months(known, year),
                fill_only=fill_only,
                store=history,
                with_previous=with_previous,
            )
        except (UpstreamError, AuthenticationError) as exc:
            if not allow_partial:
                raise
            notices.append(notice("downloads-history-unavailable", package=name, reason=str(exc)))
    pepy = _pepy(http, name, endpoints.pepy, pepy_api_key, notices) if pepy_api_key else None
    return PackageFacts(
        name, project, series, stored, pepy, mirrors, yesterday, tuple(notices), engine=from_engine
    )


def _pypistats_days(
    http: HttpClient, name: str, mirrors: bool, base_url: str, notices: list[Notice]
) -> DownloadSeries | None:
    """pypistats.org's recent days; None, with a notice, when it has none for the package."""
    try:
        return fetch_overall(http, name, mirrors=mirrors, base_url=base_url).category(mirrors)
    except NotFoundError as exc:
        notices.append(notice("downloads-not-listed", package=name, reason=str(exc)))
        return None


def _remember(
    history: DownloadHistory,
    name: str,
    mirrors: bool,
    series: DownloadSeries | None,
    year: int,
    yesterday: date,
) -> StoredDownloads:
    """Keep pypistats.org's complete days in the store; return all the store holds."""
    fetched = {d: n for d, n in (series.by_day() if series else {}).items() if d <= yesterday}
    if fetched:
        history.add_days(name, mirrors, fetched, source=PYPISTATS)
    return StoredDownloads(
        days=history.daily(name, mirrors, date.min, yesterday),
        sources=frozenset(history.sources(name, mirrors, date(year, 1, 1), date(year, 12, 31))),
        baseline=history.baseline(name, mirrors),
    )


def _pepy(
    http: HttpClient, name: str, base_url: str, key: str, notices: list[Notice]
) -> PepyDownloads | None:
    try:
        return fetch_pepy(http, base_url, name, key)
    except UpstreamError as exc:
        notices.append(notice("downloads-pepy-failed", package=name, reason=str(exc)))
        return None
