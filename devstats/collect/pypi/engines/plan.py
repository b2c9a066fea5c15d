"""What a download-history engine (ClickHouse's ClickPy, BigQuery) is asked for one package and
year. The months give the year's figures the months pypistats.org cannot (and one it can, to
cross-check it), and their sum is the all-time total through the last settled month of the year
(and through the year before, for --compare). Settled months are kept in the store and never
asked again: a later run asks only the months since.

ClickPy, which bills nothing, is asked in one query for every settled month since its history
starts (2016). BigQuery, which bills the bytes each query scans, is asked the year's months
first, then the months from the package's first upload to the year; a query over the run's byte
limit is not run: its months come from the engine's fallback (ClickPy in auto) or stay unknown,
and the EngineHistory says which (`over_budget`), for the one notice devstats/classify gives.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from devstats.collect.pypi.engines.base import HistorySource, OverLimit, months_between
from devstats.collect.pypi.sources import Asking
from devstats.model.downloads import (
    HISTORY_STARTS,
    DownloadAnswer,
    DownloadSeries,
    EngineHistory,
    OverBudget,
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
    first_upload: date | None = None,
) -> EngineHistory:
    """Ask `engine` for what the year's figures need; keep complete months in `store`."""
    if engine.budgeted:
        return _within_budget(
            engine,
            name,
            year=year,
            today=today,
            mirrors=mirrors,
            shown=set(
                months_to_ask(settled_months(year, today), known_months, set(), fill_only=fill_only)
            ),
            store=store,
            with_previous=with_previous,
            first_upload=first_upload,
        )
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


def _within_budget(
    engine: HistorySource,
    name: str,
    *,
    year: int,
    today: date,
    mirrors: bool,
    shown: set[date],
    store: DownloadHistory | None,
    with_previous: bool,
    first_upload: date | None,
) -> EngineHistory:
    """What an engine billed by the bytes it scans is asked, one query per part, in this order:
    the year's settled months (the figures shown), then the months from the package's first
    upload to the year's start (the all-time total, and --compare's total at the year's start).
    Months kept in the store are not asked again. A part whose query would scan more than the
    run's limit is asked of the engine's fallback, else its months stay unknown, and with them
    the totals that need them."""
    settled = settled_months(year, today)
    start = max(HISTORY_STARTS, (first_upload or HISTORY_STARTS).replace(day=1))
    asker = _Asker(engine, name, mirrors, store, today)
    asker.ask([m for m in settled if m >= start])
    december = date(year - 1, 12, 1)
    if settled or with_previous:
        asker.ask(months_between(start, december))
    months = asker.months
    total = asker.summed(start, settled[-1]) if settled else None
    previous = asker.summed(start, december) if with_previous else None
    return EngineHistory(
        source=asker.label(m for m in months if m.year == year),
        months={
            m: n for m, n in months.items() if m.year == year and (m in shown or m in asker.kept)
        },
        total=total,
        previous_total=previous,
        bytes_billed=asker.billed,
        over_budget=tuple(asker.over_budget),
    )


class _Asker:
    """The months known of one package so far, where each came from, and what was billed."""

    def __init__(
        self,
        engine: HistorySource,
        name: str,
        mirrors: bool,
        store: DownloadHistory | None,
        today: date,
    ) -> None:
        self.engine = engine
        self.name = name
        self.mirrors = mirrors
        self.store = store
        self.today = today
        self.fallback = engine.fallback
        self.months: dict[date, int] = {}
        self.from_fallback: set[date] = set()
        if store is not None and self.fallback is not None:
            self.months.update(store.months(name, mirrors, self.fallback.name))
            self.from_fallback.update(self.months)
        kept = store.months(name, mirrors, engine.name) if store is not None else {}
        self.months.update(kept)
        self.from_fallback -= set(kept)
        self.kept = set(self.months)
        self.billed: int | None = None
        self.over_budget: list[OverBudget] = []

    def ask(self, part: list[date]) -> None:
        """Ask for the months of `part` not known yet, as one range."""
        missing = [m for m in part if m not in self.months]
        if not missing:
            return
        first, last = missing[0], missing[-1]
        try:
            answer = self.engine.monthly(self.name, first, last, mirrors=self.mirrors)
            source = self.engine
        except OverLimit as refusal:
            self.over_budget.append(OverBudget(first, last, refusal.estimate, refusal.limit))
            if self.fallback is None:
                return
            try:
                answer = self.fallback.monthly(self.name, first, last, mirrors=self.mirrors)
            except (UpstreamError, AuthenticationError):
                return  # the months stay unknown; the over-budget record says why
            source = self.fallback
            self.from_fallback.update(answer.months)
        self.months.update(answer.months)
        if answer.bytes_billed is not None:
            self.billed = (self.billed or 0) + answer.bytes_billed
        if self.store is not None:
            # A month is kept only once it is settled (a December asked on January 2 is not).
            settled = {
                m: n
                for m, n in answer.months.items()
                if _month_end(m) + timedelta(days=SETTLE_DAYS) < self.today
            }
            self.store.add_months(self.name, self.mirrors, settled, source.name)

    def summed(self, first: date, last: date) -> TotalHistory | None:
        """Downloads from month `first` through the end of month `last`, when all are known."""
        wanted = months_between(first, last)
        if any(m not in self.months for m in wanted):
            return None
        return TotalHistory(
            package=self.name,
            source=self.label(wanted),
            mirrors=self.mirrors,
            downloads=sum(self.months[m] for m in wanted),
            through=_month_end(last),
        )

    def label(self, months: Iterable[date]) -> str:
        """The engines that gave `months`: the fallback's label joins only when it gave some."""
        used = set(months)
        if self.fallback is None or not used & self.from_fallback:
            return self.engine.label
        if used <= self.from_fallback:
            return self.fallback.label
        return f"{self.engine.label} and {self.fallback.label}"


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
                first_upload=asking.first_upload,
            )
        except (UpstreamError, AuthenticationError) as exc:
            if not asking.allow_partial:
                raise
            asking.notices.append(
                notice("downloads-history-unavailable", package=asking.name, reason=str(exc))
            )
            return None
