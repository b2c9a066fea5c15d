"""Everything devstats reads about one package: PyPI's release list, what each download source
says (pypistats.org's recent days, a history engine's months and totals, pepy.tech's total when a
key is set: `download_sources`, each implementing devstats/collect/pypi/sources.py), and the
download store's days and baseline.

Only I/O: the year's figures are made from these facts by devstats/classify/downloads.py. The
recent days pypistats.org returns are written to the download store here, so the store keeps them
after pypistats.org forgets them (180 days).
"""

from __future__ import annotations

from datetime import date, timedelta

from devstats.collect.pypi.engines.base import HistorySource
from devstats.collect.pypi.engines.plan import EngineMonths
from devstats.collect.pypi.pepy import PepyTotal
from devstats.collect.pypi.project import fetch_project
from devstats.collect.pypi.pypistats import PypistatsDays
from devstats.collect.pypi.sources import Asking, DownloadSource
from devstats.http.client import HttpClient
from devstats.model.downloads import PYPISTATS, DownloadAnswer, DownloadSeries, StoredDownloads
from devstats.model.errors import UpstreamError
from devstats.model.notices import notice
from devstats.model.packages import PackageFacts
from devstats.settings.endpoints import Endpoints
from devstats.store import DownloadHistory


def download_sources(
    engine: HistorySource | None, pepy_api_key: str | None
) -> tuple[DownloadSource, ...]:
    """The download sources asked, in this order, one line each."""
    return (
        PypistatsDays(),
        *((EngineMonths(engine),) if engine is not None else ()),
        *((PepyTotal(pepy_api_key),) if pepy_api_key else ()),
    )


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
    asking = Asking(
        http,
        name,
        year,
        today,
        mirrors,
        endpoints,
        history,
        allow_partial,
        fill_only,
        with_previous,
        project.releases[0].uploaded_at.date() if project.releases else None,
    )
    said: list[DownloadAnswer] = []
    stored = None
    for source in download_sources(engine, pepy_api_key):
        try:
            answer = source.ask(asking, tuple(said), stored)
        except UpstreamError as exc:
            if not (source.essential and allow_partial):
                raise
            asking.notices.append(notice("downloads-unavailable", package=name, reason=str(exc)))
            return PackageFacts(
                name, project, mirrors, yesterday, tuple(asking.notices), unavailable=True
            )
        if answer is not None:
            said.append(answer)
        if source.kept and history is not None:
            days = answer if isinstance(answer, DownloadSeries) else None
            stored = _remember(history, name, mirrors, days, year, yesterday)
    return PackageFacts(
        name, project, mirrors, yesterday, tuple(asking.notices), tuple(said), stored
    )


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
