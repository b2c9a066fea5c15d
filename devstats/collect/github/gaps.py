"""The days between a repository's newest and oldest 100 days of commits in a year.

The year's query holds a repository's newest and oldest 100 days of commit contributions; a
repository with commits on more days leaves a gap between them. The gap's months (cut at UTC
midnights, so each of GitHub's days falls in one) are asked for beside the first history query
(`GapRider`), or alone when that query cannot carry them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from devstats.collect.github import queries as q
from devstats.collect.github.spans import Window, add_days, month_windows, utc_midnight
from devstats.collect.github.windows import (
    ContributionsReader,
    WindowPart,
    read_windows,
    window_variables,
)


@dataclass(frozen=True)
class GapFill:
    """The UTC months holding the days some repositories' newest and oldest 100 days of commits
    left out (`parts[i].gaps`)."""

    parts: tuple[WindowPart, ...]
    windows: tuple[Window, ...]

    @property
    def repositories(self) -> set[str]:
        return {name for part in self.parts for name in part.gaps}

    def merge(self, listed: Iterable[WindowPart]) -> dict[str, dict[date, int]]:
        """Add the days inside each gap; return every day of the repositories that had one."""
        listed = list(listed)
        for part in self.parts:
            for sub in listed:
                for name, (after, before) in part.gaps.items():
                    days = sub.commit_days.get(name, {})
                    inside = {day: n for day, n in days.items() if after < day < before}
                    add_days(part.commit_days, {name: inside})
        names = self.repositories
        merged: dict[str, dict[date, int]] = {}
        for part in self.parts:
            add_days(merged, {n: d for n, d in part.commit_days.items() if n in names})
            part.gaps = {}
        return merged


def gap_fill(parts: Iterable[WindowPart]) -> GapFill | None:
    with_gaps = tuple(part for part in parts if part.gaps)
    gaps = [gap for part in with_gaps for gap in part.gaps.values()]
    if not gaps:
        return None
    start = utc_midnight(min(after for after, _ in gaps) + timedelta(days=1))
    end = utc_midnight(max(before for _, before in gaps))
    return GapFill(with_gaps, month_windows(Window(start, end)) if start < end else ())


class GapRider:
    """A gap's windows, asked for beside a history query (or alone, when that fails)."""

    def __init__(self, reader: ContributionsReader, fill: GapFill) -> None:
        self.reader = reader
        self.fill = fill
        self.repositories = fill.repositories
        # At most seven months (a gap is under 200 days); more would go alone.
        self.windows = len(fill.windows) if len(fill.windows) <= q.GAP_WINDOWS else 0

    def variables(self) -> dict[str, Any]:
        return {"login": self.reader.user, **window_variables(self.fill.windows)}

    def take(self, data: Mapping[str, Any]) -> dict[str, dict[date, int]]:
        """Read the windows from a history query's answer; the repositories' days, complete."""
        listed = read_windows(self.reader.user_node(data), self.fill.windows)
        complete = [part for part in listed if not part.capped]
        again = [part.window for part in listed if part.capped]
        return self.fill.merge([*complete, *self.reader.complete_lists(again)])

    def alone(self) -> dict[str, dict[date, int]]:
        """Ask for the windows in queries of their own."""
        return self.fill.merge(self.reader.complete_lists(list(self.fill.windows)))


def gap_rider(reader: ContributionsReader, parts: Iterable[WindowPart]) -> GapRider | None:
    """The days some repositories' newest and oldest pages both left out, to be asked for
    beside the first history query (None when there are none)."""
    fill = gap_fill(parts)
    if fill is None:
        return None
    first, last = fill.windows[0].start.date(), fill.windows[-1].last_second.date()
    reader.say(f"more than {2 * q.DAYS_PER_PAGE} days with commits: asking for {first}..{last}")
    return GapRider(reader, fill)
