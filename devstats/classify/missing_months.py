"""Why a month of the year has no download figure. Pure.

Every month of the year is either in `Downloads.monthly` or in `Downloads.missing_months` with
one of MISSING_REASONS, so the prose can say, in a sentence, why a month is not shown.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date

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
    """Every month of the year ("YYYY-MM") without a figure, with the first reason that applies.
    `today` is the UTC day of the run; `partial` the months only some of whose days are known."""
    missing: dict[str, str] = {}
    for month in range(1, 13):
        key = f"{year}-{month:02d}"
        if key in monthly:
            continue
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end >= today:
            missing[key] = "not-over"
        elif key in partial:
            missing[key] = "partial"
        elif first_upload is not None and end < first_upload:
            missing[key] = "before-first-upload"
        else:
            missing[key] = "unknown"
    return missing
