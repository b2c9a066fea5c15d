"""What every engine that holds PyPI's full download history answers: ClickHouse's public copy
(ClickPy) and Google BigQuery's `bigquery-public-data.pypi.file_downloads`.

Both count downloads per UTC day. "Without mirrors" follows pypistats.org's rule: downloads whose
installer is one of the mirroring tools below are left out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from devstats.model.downloads import MonthlyHistory, TotalHistory

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


class HistorySource(Protocol):
    """An engine holding PyPI's download history; implementations raise devstats errors."""

    name: str  # the --downloads-source value that picks it
    label: str  # how figures name it as their source, e.g. "ClickHouse (ClickPy)"
    comparison: str  # how its counting differs from pypistats.org's, for the cross-check notice

    def monthly(self, package: str, first: date, last: date, *, mirrors: bool) -> MonthlyHistory:
        """Months from the one holding `first` to the one holding `last`, both included."""
        ...

    def total(self, package: str, through: date, *, mirrors: bool) -> TotalHistory:
        """Every download of `package` up to and including the UTC day `through`."""
        ...
