"""What a download-history engine (ClickHouse's ClickPy, BigQuery) is asked for one package and
year, in one query: every settled month since the engine's history starts (2016) that the
download store does not hold yet. The months give the year's figures the months pypistats.org
cannot (and one it can, to cross-check it), and their sum is the all-time total through the last
settled month of the year (and through the year before, for --compare). Settled months are kept
in the store and never asked again: a later run asks only the months since.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from devstats.collect.pypi.engines.base import HistorySource, months_between
from devstats.collect.pypi.sources import Asking
from devstats.model.downloads import (
    HISTORY_STARTS,
    DownloadAnswer,
    DownloadSeries,
    EngineHistory,
    StoredDownloads,
    TotalHistory,
)
from devstats.model.errors import AuthenticationError, UpstreamError
from devstats.model.notices import notice
from devstats.store import DownloadHistory

# The engines load PyPI's log with a delay (ClickPy within a day or two): a month is asked of them
# only once it has been over for this many days, so a month is never taken while still filling.
SETTLE_DAYS = 3


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def settled_months(year: int, today: date) -> list[date]:
    """First days of the year's months that ended at least SETTLE_DAYS before today."""
    return [
        date(year, m, 1)
        for m in range(1, 13)
        if _month_end(date(year, m, 1)) + timedelta(days=SETTLE_DAYS) < today
    ]


def complete_months(days: Mapping[date, int], year: int) -> set[date]:
    """First days of the year's months whose every day is in `days`."""
    return {
        date(year, m, 1)
        for m in range(1, 13)
        if all(date(year, m, d) in days for d in range(1, calendar.monthrange(year, m)[1] + 1))
    }


def months_to_ask(
    settled: list[date], known: set[date], remembered: set[date], *, fill_only: bool
) -> list[date]:
    """The settled months to ask the engine for, as one contiguous range (first to last).

    With `fill_only` (the auto source), months pypistats.org already gives in full are not
    needed, but the one next to the needed ones is asked as well, so the two sources can be
    compared; remembered months are never asked again.
    """
    wanted = [m for m in settled if not (fill_only and m in known)]
    if fill_only and wanted:
        overlap = [m for m in settled if m in known]
        if overlap:
            wanted.append(overlap[0])
    needed = sorted(m for m in wanted if m not in remembered)
    if not needed:
        return []
    return [m for m in settled if needed[0] <= m <= needed[-1]]


def collect_engine_history(
    engine: HistorySource,
    name: str,
    *,
    year: int,
    today: date,
    mirrors: bool,
    known_months: set[date],
    fill_only: bool,
    store: DownloadHistory | None,
    with_previous: bool,
) -> EngineHistory:
    """Ask `engine` for what the year's figures need; keep complete months in `store`."""
    settled = settled_months(year, today)
    remembered = store.months(name, mirrors, engine.name) if store is not None else {}
    # The year's months the figures take from the engine: those pypistats.org lacks (all, when
    # not `fill_only`), the one beside them for the cross-check, and those already kept.
    shown = set(remembered) | set(months_to_ask(settled, known_months, set(), fill_only=fill_only))
    everything = months_between(HISTORY_STARTS, settled[-1]) if settled else []
    missing = [m for m in everything if m not in remembered]
    months = dict(remembered)
    billed = None
    if missing:
        answer = engine.monthly(name, missing[0], missing[-1], mirrors=mirrors)
        months.update(answer.months)
        billed = answer.bytes_billed
        if store is not None:
            store.add_months(name, mirrors, dict(answer.months), engine.name)
    total = _summed(engine, name, months, settled[-1], mirrors) if settled else None
    previous = None
    if with_previous:
        december = date(year - 1, 12, 1)
        if settled:  # the year before ended at least SETTLE_DAYS ago: its months are all kept
            previous = _summed(engine, name, months, december, mirrors)
        else:
            previous = engine.total(name, _month_end(december), mirrors=mirrors)
            billed = (billed or 0) + (previous.bytes_billed or 0) or None
    return EngineHistory(
        source=engine.label,
        months={m: n for m, n in months.items() if m.year == year and m in shown},
        total=total,
        previous_total=previous,
        bytes_billed=billed,
    )


def _summed(
    engine: HistorySource, name: str, months: Mapping[date, int], last: date, mirrors: bool
) -> TotalHistory:
    """Every download from the engine's first month through the end of month `last`."""
    return TotalHistory(
        package=name,
        source=engine.label,
        mirrors=mirrors,
        downloads=sum(n for m, n in months.items() if m <= last),
        through=_month_end(last),
    )


class EngineMonths:
    """A history engine as a download source: the months the days do not give, and totals."""

    essential = False
    kept = False

    def __init__(self, engine: HistorySource) -> None:
        self.engine = engine

    def ask(
        self, asking: Asking, said: Sequence[DownloadAnswer], stored: StoredDownloads | None
    ) -> EngineHistory | None:
        series = next((a for a in said if isinstance(a, DownloadSeries)), None)
        known = stored.days if stored is not None else (series.by_day() if series else {})
        try:
            return collect_engine_history(
                self.engine,
                asking.name,
                year=asking.year,
                today=asking.today,
                mirrors=asking.mirrors,
                known_months=complete_months(known, asking.year),
                fill_only=asking.fill_only,
                store=asking.store,
                with_previous=asking.with_previous,
            )
        except (UpstreamError, AuthenticationError) as exc:
            if not asking.allow_partial:
                raise
            asking.notices.append(
                notice("downloads-history-unavailable", package=asking.name, reason=str(exc))
            )
            return None
