"""The time zone a report counts hours and days in, and how it was decided."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ZONE_DEFAULT", "ZONE_GIVEN", "ZONE_INFERRED", "LocalZone"]

ZONE_GIVEN = "given"  # --timezone, the config file or DEVSTATS_TIMEZONE named it
ZONE_INFERRED = "inferred"  # read from the UTC offsets the user's own commits carry
ZONE_DEFAULT = "default"  # UTC: too few commits carried an offset to tell


@dataclass(frozen=True)
class LocalZone:
    """An IANA time zone and where it came from.

    For an inferred zone, `commits` is how many commits carrying an offset were weighed and
    `matched` how many of them carry the zone's own offset on their date: a year with a move
    (offsets that change once) has `matched < commits`. A given zone weighs no commits (0, 0).
    """

    name: str
    decided_by: str  # ZONE_GIVEN, ZONE_INFERRED or ZONE_DEFAULT
    commits: int = 0
    matched: int = 0
