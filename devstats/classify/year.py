"""A calendar year in the report's time zone: the one rule for "this moment is in the year"."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def aware(moment: datetime) -> datetime:
    # A time without an offset is taken as UTC, as GitHub and PyPI write theirs.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def year_span(year: int, tz: tzinfo) -> tuple[datetime, datetime]:
    """The year's first instant and the first instant after it, in `tz`."""
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def in_year(moment: datetime | None, year: int, tz: tzinfo) -> bool:
    """Whether `moment` falls inside calendar `year` in `tz`; an unknown moment never does."""
    if moment is None:
        return False
    start, end = year_span(year, tz)
    return start <= aware(moment) < end
