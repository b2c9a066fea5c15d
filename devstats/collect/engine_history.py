"""What a download-history engine (ClickHouse's ClickPy, BigQuery) is asked for one package and
year: the complete months pypistats.org cannot give, one overlapping month to cross-check it, and
the all-time total. Complete months are kept in the download store and never asked again.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from devstats.collect.history_source import HistorySource, TotalHistory
from devstats.history import DownloadHistory

# The engines load PyPI's log with a delay (ClickPy within a day or two): a month is asked of them
# only once it has been over for this many days, so a month is never taken while still filling.
SETTLE_DAYS = 3


@dataclass(frozen=True)
class EngineHistory:
    """An engine's answers for one package: complete months and all-time totals."""

    source: str
    months: Mapping[date, int] = field(default_factory=dict)  # first day of month -> downloads
    total: TotalHistory | None = None  # through the end of the last settled month of the year
    previous_total: TotalHistory | None = None  # through the end of the year before (--compare)
    bytes_billed: int | None = None


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
    asked = months_to_ask(settled, known_months, set(remembered), fill_only=fill_only)
    months = dict(remembered)
    billed: list[int] = []
    if asked:
        answer = engine.monthly(name, asked[0], asked[-1], mirrors=mirrors)
        months.update(answer.months)
        billed.append(answer.bytes_billed or 0)
        if store is not None:
            store.add_months(name, mirrors, dict(answer.months), engine.name)
    total = None
    if settled:
        total = engine.total(name, _month_end(settled[-1]), mirrors=mirrors)
        billed.append(total.bytes_billed or 0)
    previous = None
    if with_previous:
        previous = engine.total(name, date(year - 1, 12, 31), mirrors=mirrors)
        billed.append(previous.bytes_billed or 0)
    return EngineHistory(
        source=engine.label,
        months={m: n for m, n in months.items() if m.year == year},
        total=total,
        previous_total=previous,
        bytes_billed=sum(billed) if any(billed) else None,
    )
