"""What the download sources say about one package, and where each download figure comes from.

The collectors in devstats/collect/pypi/ return these; devstats/classify/downloads.py makes the
year's figures from them, and records each figure's provenance as `Provenance` parts, which the
report carries as data and devstats/render/ words per language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

# How the upstreams name themselves as a figure's source (the `upstream` of a Provenance).
PYPISTATS = "pypistats.org"
PEPY = "pepy.tech"
STORE = "download store"  # the SQLite store (devstats/store.py) of days read earlier
BASELINE = "baseline"  # a count of every download before a day, seeded into the store
ENGINE = "history engine"  # an engine holding PyPI's whole download log (`engine` names it)

# PyPI's download log in BigQuery starts in 2016; counts before 2018-07-26 are known to be low
# (PyPA's packaging guide, "Analyzing PyPI package downloads").
HISTORY_STARTS = date(2016, 1, 1)
LOW_COUNTS_BEFORE = date(2018, 7, 26)


# --- what the upstreams say -------------------------------------------------------------------


@dataclass(frozen=True)
class DailyDownloads:
    day: date  # a UTC day
    downloads: int


@dataclass(frozen=True)
class DownloadSeries:
    """One category's daily counts, one entry per day from the first row to the last.

    The series covers exactly [first, last]: days before the first row are unknown (purged
    or never counted), days between rows without a row of their own are zeros.
    """

    package: str
    category: str
    days: tuple[DailyDownloads, ...]

    @property
    def first(self) -> date | None:
        return self.days[0].day if self.days else None

    @property
    def last(self) -> date | None:
        return self.days[-1].day if self.days else None

    def by_day(self) -> dict[date, int]:
        return {d.day: d.downloads for d in self.days}


@dataclass(frozen=True)
class PepyDownloads:
    total: int  # all time, as pepy.tech counts (its mirror policy is its own)
    daily: Mapping[date, int]  # the recent days pepy.tech lists, summed over versions


@dataclass(frozen=True)
class MonthlyHistory:
    """Downloads per calendar month (UTC days) for the months asked for, each month present
    (0 when nothing was downloaded). `bytes_billed` is what the engine charged, when it says."""

    package: str
    source: str
    mirrors: bool
    months: Mapping[date, int] = field(default_factory=dict)  # first day of month -> downloads
    bytes_billed: int | None = None


@dataclass(frozen=True)
class TotalHistory:
    """All downloads from the start of the engine's history through `through` (inclusive)."""

    package: str
    source: str
    mirrors: bool
    downloads: int
    through: date
    bytes_billed: int | None = None


@dataclass(frozen=True)
class OverBudget:
    """Months an engine was not asked for: the query would bill more than the run allows."""

    first: date  # the first day of the first month
    last: date  # the first day of the last month
    estimate: int | None  # the dry run's estimate in bytes; None when only the job refused
    limit: int  # the run's limit in bytes (--bigquery-max-bytes)


@dataclass(frozen=True)
class EngineHistory:
    """An engine's answers for one package: complete months and all-time totals."""

    source: str  # the engine's label, e.g. "ClickHouse (ClickPy)"
    months: Mapping[date, int] = field(default_factory=dict)  # first day of month -> downloads
    total: TotalHistory | None = None  # through the end of the last settled month of the year
    previous_total: TotalHistory | None = None  # through the end of the year before (--compare)
    bytes_billed: int | None = None
    over_budget: tuple[OverBudget, ...] = ()  # what was left unasked, over the byte limit


@dataclass(frozen=True)
class Baseline:
    """Downloads known to have happened before a day (from pepy.tech, BigQuery, a badge...)."""

    package: str
    before: date  # the baseline counts every download on the days before this one
    downloads: int
    mirrors: bool = False
    note: str = ""


@dataclass(frozen=True)
class StoredDownloads:
    """What the download store holds for one package and mirror mode."""

    days: dict[date, int]  # every stored day; a day not stored is unknown, not zero
    sources: frozenset[str]  # the sources of the stored days of the report's year
    baseline: Baseline | None


# What one download source says about a package: each source answers with one of these.
DownloadAnswer = DownloadSeries | PepyDownloads | EngineHistory


# --- where a figure comes from ----------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """One source of a download figure: which upstream, which engine, what it covers.

    A figure made of several sources has one part per source, in the order they were added (an
    engine's total first, then the days that carry it on).
    """

    upstream: str  # PYPISTATS, PEPY, STORE, BASELINE or ENGINE
    engine: str | None = None  # the engine's label when `upstream` is ENGINE
    # for the download store: the upstreams its days came from
    stored_from: tuple[str, ...] = ()
    note: str | None = None  # the baseline's note, when it has one
    months: tuple[str, ...] = ()  # the months ("YYYY-MM") of the year it gave
    through: date | None = None  # the last UTC day a part of a total counts, when known

    @property
    def name(self) -> str:
        """How the JSON's readable `source` strings name this part."""
        if self.upstream == ENGINE and self.engine:
            return self.engine
        if self.upstream == STORE and self.stored_from:
            return f"{STORE} ({', '.join(self.stored_from)})"
        return self.upstream


def monthly_text(parts: tuple[Provenance, ...]) -> str | None:
    """The monthly figures' sources in one line, as schema 1.2 wrote them: the months an engine
    gave, and the months made of days (named for the store when it gave any of them), each with
    its first and last month when there are both; a single source is named alone."""
    groups: dict[bool, list[Provenance]] = {}
    for part in parts:
        groups.setdefault(part.upstream == ENGINE, []).append(part)
    named = []
    for members in groups.values():
        store = next((p for p in members if p.upstream == STORE), None)
        months = sorted(m for p in members for m in p.months)
        named.append(((store or members[0]).name, months))
    if len(named) == 1:
        return named[0][0]
    return ", ".join(f"{label} ({months[0]} – {months[-1]})" for label, months in named) or None


def total_text(parts: tuple[Provenance, ...]) -> str | None:
    """The total's sources in one line, as schema 1.2 wrote them."""
    if not parts:
        return None
    first = parts[0]
    if first.upstream == BASELINE:
        note = f" ({first.note})" if first.note else ""
        return f"{BASELINE}{note} + {STORE}"
    if len(parts) > 1 and first.through is not None:
        return f"{first.name} through {first.through.isoformat()} + {parts[1].name}"
    return first.name


def byte_size(count: int) -> str:
    """Bytes as BigQuery's console shows them, in powers of ten: "148 GB", "12.5 MB"."""
    for unit, scale in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"
