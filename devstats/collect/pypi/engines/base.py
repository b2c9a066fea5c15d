"""What every engine that holds PyPI's full download history answers: ClickHouse's public copy
(ClickPy) and Google BigQuery's `bigquery-public-data.pypi.file_downloads`.

Both count downloads per UTC day. "Without mirrors" follows pypistats.org's rule: downloads whose
installer is one of the mirroring tools below are left out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from devstats.model.downloads import MonthlyHistory, TotalHistory
from devstats.model.errors import UsageError

# The installers pypistats.org counts as mirrors (crflynn/pypistats.org, pypistats/tasks/pypi.py).
MIRROR_INSTALLERS = ("bandersnatch", "z3c.pypimirror", "Artifactory", "devpi")


def month_after(month: date) -> date:
    """The first day of the month after the one holding `month`."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from the one holding `first` to the one holding `last`."""
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = month_after(month)
    return months


class OverLimit(UsageError):
    """A query the engine would bill more for than the run allows; nothing was billed.

    `estimate` is the dry run's estimate in bytes, None when only the job's refusal said so.
    """

    def __init__(
        self, message: str, *, estimate: int | None, limit: int, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.estimate = estimate
        self.limit = limit


class HistorySource(Protocol):
    """An engine holding PyPI's download history; implementations raise devstats errors."""

    name: str  # the --downloads-source value that picks it
    label: str  # how figures name it as their source, e.g. "ClickHouse (ClickPy)"
    comparison: str  # how its counting differs from pypistats.org's, for the cross-check notice
    # True when each query is billed by the bytes it scans and one over the run's limit raises
    # OverLimit: the plan then asks from the package's first upload, the year's months first.
    budgeted: bool
    # The engine asked for what this one cannot within its limit (ClickPy for BigQuery in auto).
    fallback: HistorySource | None

    def monthly(self, package: str, first: date, last: date, *, mirrors: bool) -> MonthlyHistory:
        """Months from the one holding `first` to the one holding `last`, both included."""
        ...

    def total(self, package: str, through: date, *, mirrors: bool) -> TotalHistory:
        """Every download of `package` up to and including the UTC day `through`."""
        ...
