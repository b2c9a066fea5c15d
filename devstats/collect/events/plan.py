"""Which upstream answers for the stars and pull requests of the listed projects:
`--events-source auto|clickhouse|github` (docs/events.md).

- `github`: the event history is not asked; stars come from GitHub's stargazer walk as before.
- `clickhouse`: the event history answers; its errors end the run. A year it has not loaded in
  full is still taken from it, with a notice saying through when.
- `auto`: the event history answers for a year it has loaded in full. For a year it has not
  caught up with, stars come from GitHub's stargazer walk and pull requests received from the
  history (with the same notice). When it cannot be reached, stars come from GitHub and one
  notice says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from devstats.model.errors import UpstreamError
from devstats.model.events import EVENTS_SOURCES, ProjectEvents
from devstats.model.facts import Notice
from devstats.model.notices import notice


class EventSource(Protocol):
    """An engine holding GitHub's public event history; implementations raise devstats errors."""

    name: str  # the --events-source value that picks it
    label: str  # how notices name it, e.g. "ClickHouse (GH Archive)"

    def project_events(
        self, repositories: Sequence[str], *, start: datetime, end: datetime
    ) -> ProjectEvents: ...


@dataclass(frozen=True)
class EventsRead:
    """What the event history said for a year, and what is left to GitHub."""

    events: ProjectEvents | None  # None: not asked, or not reachable
    stars_from_github: bool  # walk the stargazers over GraphQL for the stars
    complete_through: date | None  # the history's last full day, when short of the year's end
    notices: tuple[Notice, ...] = ()


def _last_full_day(events: ProjectEvents, tz: tzinfo) -> date:
    """The last day (in `tz`) the history holds in full: the day before the span's first when
    it holds none of it."""
    before = events.start.astimezone(tz).date() - timedelta(days=1)
    if events.loaded_through is None:
        return before
    # The newest hour loaded ends an hour after it starts.
    through = (events.loaded_through + timedelta(hours=1)).astimezone(tz)
    return max(through.date() - timedelta(days=1), before)


def read_events(
    engine: EventSource | None,
    source: str,
    repositories: Sequence[str],
    *,
    year: int,
    tz: tzinfo,
) -> EventsRead:
    """Ask the event history (once, for every repository) as `source` says; see the docstring."""
    if source not in EVENTS_SOURCES:
        raise ValueError(f"unknown events source {source!r}")
    if source == "github" or engine is None or not repositories:
        return EventsRead(events=None, stars_from_github=True, complete_through=None)
    start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    try:
        events = engine.project_events(repositories, start=start, end=end)
    except UpstreamError as error:
        if source == "clickhouse":
            raise
        said = notice("events-unavailable", engine=engine.label, reason=error.message)
        return EventsRead(None, stars_from_github=True, complete_through=None, notices=(said,))
    if events.complete:
        return EventsRead(events, stars_from_github=False, complete_through=None)
    through = _last_full_day(events, tz)
    from_github = source == "auto"
    behind = notice("events-behind", through=through.isoformat(), stars=int(not from_github))
    return EventsRead(
        events,
        stars_from_github=from_github,
        complete_through=through,
        notices=(behind,),
    )
