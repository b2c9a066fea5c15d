"""Spans of time a year is asked for in, and GitHub's days and times.

Each window of a query is a `Span` of moments in the user's time zone (or UTC), its end left out
(not the model's `Window`, which is a range of whole days with both ends in); a year is split
along month boundaries (halves, quarters, months), then by days. GitHub's own days are UTC days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise


@dataclass(frozen=True)
class Span:
    """A span of moments (in the user's time zone, or UTC): `start` inclusive, `end` exclusive."""

    start: datetime
    end: datetime

    @property
    def last_second(self) -> datetime:
        # GitHub's `to` is inclusive ("before and up to (including) this time").
        return self.end - timedelta(seconds=1)

    def variables(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.last_second.isoformat()}

    def label(self) -> str:
        return f"{self.start.date().isoformat()}..{self.last_second.date().isoformat()}"

    @property
    def utc_days(self) -> int:
        """How many of GitHub's (UTC) days the window touches."""
        first = self.start.astimezone(UTC).date()
        return (self.last_second.astimezone(UTC).date() - first).days + 1

    def holds(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


def year_window(year: int, tz: tzinfo) -> Span:
    return Span(datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz))


def _next_month(moment: datetime) -> datetime:
    return datetime(
        moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=moment.tzinfo
    )


def _cut(window: Span, cuts: Iterable[datetime]) -> tuple[Span, ...]:
    inside = sorted({c for c in cuts if window.start < c < window.end})
    bounds = [window.start, *inside, window.end]
    return tuple(Span(a, b) for a, b in pairwise(bounds))


def month_windows(window: Span) -> tuple[Span, ...]:
    """`window` cut at the first of each month (in its own time zone)."""
    cuts = []
    cursor = _next_month(
        datetime(window.start.year, window.start.month, 1, tzinfo=window.start.tzinfo)
    )
    while cursor < window.end:
        cuts.append(cursor)
        cursor = _next_month(cursor)
    return _cut(window, cuts)


def day_windows(window: Span) -> tuple[Span, ...]:
    """`window` cut at each midnight (in its own time zone)."""
    tz = window.start.tzinfo
    first = window.start.date() + timedelta(days=1)
    days = (window.end.date() - first).days + 1
    moments = (first + timedelta(days=n) for n in range(max(0, days)))
    return _cut(window, (datetime(d.year, d.month, d.day, tzinfo=tz) for d in moments))


def finer_windows(window: Span) -> tuple[Span, ...] | None:
    """Months if the window spans more than one, else days; None for a single day."""
    for pieces in (month_windows(window), day_windows(window)):
        if len(pieces) > 1:
            return pieces
    return None


def split_window(window: Span) -> tuple[Span, Span] | None:
    """Two halves along a month boundary (year → halves → quarters → months), then by days.

    None when the window is a single day and cannot be split further.
    """
    middle = window.start + (window.end - window.start) / 2
    for pieces in (month_windows(window), day_windows(window)):
        if len(pieces) > 1:
            cut = min((p.start for p in pieces[1:]), key=lambda m: abs(m - middle))
            return Span(window.start, cut), Span(cut, window.end)
    return None


def pieces(window: Span) -> tuple[Span, ...]:
    pieces = split_window(window)
    return pieces if pieces is not None else (window,)


def contribution_day(moment: datetime) -> date:
    """The day GitHub counts a commit contribution on: the UTC day of its author date.

    "Contributions are timestamped according to Coordinated Universal Time (UTC)" and "the author
    date is used to calculate when a commit was made" (GitHub, "Profile contributions reference").
    """
    return moment.astimezone(UTC).date()


def parse_github_time(value: str) -> datetime:
    """A GitHub DateTime (UTC, "Z" suffix) or GitTimestamp (the offset git recorded)."""
    return datetime.fromisoformat(value)


def utc_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def add_days(into: dict[str, dict[date, int]], days: Mapping[str, Mapping[date, int]]) -> None:
    """Add per-repository day counts; windows never overlap, so a UTC day split between two of
    them is the sum of its parts."""
    for name, counts in days.items():
        merged = into.setdefault(name, {})
        for day, count in counts.items():
            merged[day] = merged.get(day, 0) + count
