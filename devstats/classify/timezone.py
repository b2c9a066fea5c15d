"""The author's time zone, read from the UTC offsets their own commits carry. Pure.

git records a commit's author date with the offset of the clock it was made on, and GitHub keeps
it (GraphQL's `GitActor.date` is a GitTimestamp, "not converted in UTC"). So a year of commits
says which offsets the author wrote in, and on which dates. The zone inferred is the IANA zone
whose UTC offset at each commit's moment equals the commit's offset for the most commits: a Berlin
author's commits carry +01:00 in winter and +02:00 in summer, which all match Europe/Berlin,
while a zone that keeps +01:00 all year (Africa/Lagos) matches only the winter ones.

The rules, in the order they decide:

1. Fewer than `MIN_COMMITS` commits carrying an offset: UTC, said to be the default, not inferred.
   A handful of commits may all come from one tool that writes UTC (a web editor, a CI job), and
   a zone read from them would move every hour and day of the report on thin evidence.
2. The zone that matches the most commits. A year with a move (offsets that change once) picks
   the zone of the larger part, and `LocalZone.matched` says how many commits that is.
3. Among zones matching as many commits (Seoul and Tokyo are both +09:00 all year; Berlin, Paris
   and Madrid change on the same days), the one listed first in `PREFERRED_ZONES`, else the first
   by name. Zones that match the same commits give the same hours and days, so only the name shown
   depends on this; `--timezone` names the author's own.

Only the zones of the regions people live in are weighed (`Europe/…`, `Asia/…`, …, and `UTC`),
not the legacy aliases (`ROK`, `US/Pacific`) nor the fixed `Etc/GMT±N` zones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from devstats.model.local_time import ZONE_DEFAULT, ZONE_INFERRED, LocalZone

__all__ = ["MIN_COMMITS", "PREFERRED_ZONES", "infer_zone"]

MIN_COMMITS = 10

# One zone per common offset pattern, the one most developers keeping that pattern live in, in
# the order that breaks a tie. UTC comes first: commits that say +00:00 all year are as often
# from tools that write UTC as from people in Reykjavik or Accra.
PREFERRED_ZONES: tuple[str, ...] = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Lagos",
    "Europe/Kyiv",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Darwin",
    "Australia/Sydney",
    "Australia/Brisbane",
    "Pacific/Auckland",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Denver",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Bogota",
    "America/Halifax",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/St_Johns",
)

_REGIONS = frozenset(
    {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian"}
    | {"Pacific"}
)


@cache
def _candidates() -> tuple[tuple[str, ZoneInfo], ...]:
    names = sorted(
        name
        for name in available_timezones()
        if name == "UTC" or name.partition("/")[0] in _REGIONS
    )
    return tuple((name, ZoneInfo(name)) for name in names)


def _rank(name: str) -> int:
    try:
        return PREFERRED_ZONES.index(name)
    except ValueError:
        return len(PREFERRED_ZONES)


def _samples(moments: Iterable[datetime]) -> tuple[datetime, ...]:
    """Moments on the 1st and 15th of every month the commits span, and the first and last
    commit: enough to tell which zones ever have one of the commits' offsets."""
    ordered = sorted(moments)
    first, last = ordered[0], ordered[-1]
    samples = {first, last}
    day = datetime(first.year, first.month, 1, 12, tzinfo=UTC)
    while day <= last:
        samples.update({day, day + timedelta(days=14)})
        day = (day + timedelta(days=32)).replace(day=1)
    return tuple(samples)


def infer_zone(authored: Iterable[datetime]) -> LocalZone:
    """The IANA zone whose offset matches the offsets of the most of `authored` (the author
    dates of the user's own commits, as recorded); UTC when fewer than `MIN_COMMITS` carry one.
    A date without an offset is not weighed."""
    offsets: Counter[tuple[datetime, timedelta]] = Counter()
    for moment in authored:
        offset = moment.utcoffset()
        if offset is not None:
            offsets[(moment.astimezone(UTC), offset)] += 1
    weighed = sum(offsets.values())
    if weighed < MIN_COMMITS:
        return LocalZone(name="UTC", decided_by=ZONE_DEFAULT, commits=weighed, matched=0)
    seen = {offset for _, offset in offsets}
    samples = _samples(moment for moment, _ in offsets)
    scores: list[tuple[int, int, str]] = []
    for name, zone in _candidates():
        if seen.isdisjoint(sample.astimezone(zone).utcoffset() for sample in samples):
            continue
        matched = sum(
            count
            for (moment, offset), count in offsets.items()
            if moment.astimezone(zone).utcoffset() == offset
        )
        scores.append((-matched, _rank(name), name))
    if not scores:
        return LocalZone(name="UTC", decided_by=ZONE_DEFAULT, commits=weighed, matched=0)
    best_matched, _, best = min(scores)
    return LocalZone(name=best, decided_by=ZONE_INFERRED, commits=weighed, matched=-best_matched)
