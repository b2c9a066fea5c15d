"""The author's time zone, inferred from the offsets written into their commits.

Every commit here is written with the offset a clock in that place showed on that date (Berlin's
summer time in 2022 ran from 27 March to 30 October; Sydney's ended on 3 April and began again on
2 October; New York's ran from 13 March to 6 November), so the zone each test expects is known.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from devstats.classify.timezone import MIN_COMMITS, PREFERRED_ZONES, infer_zone
from devstats.model.local_time import ZONE_DEFAULT, ZONE_INFERRED, LocalZone


def at(month: int, day: int, hour: int, offset: float, minute: int = 0) -> datetime:
    """A commit's author date, written in local time with its offset, as git records it."""
    return datetime(2022, month, day, hour, minute, tzinfo=timezone(timedelta(hours=offset)))


def every_week(first: tuple[int, int], weeks: int, hour: int, offset: float) -> list[datetime]:
    start = at(first[0], first[1], hour, offset)
    return [start + timedelta(weeks=n) for n in range(weeks)]


def test_berlin_is_found_from_winter_and_summer_offsets() -> None:
    winter = every_week((1, 3), 12, 21, 1)  # 3 Jan – 21 Mar, +01:00
    summer = every_week((4, 4), 20, 10, 2)  # 4 Apr – 15 Aug, +02:00
    late = every_week((11, 7), 6, 9, 1)  # 7 Nov – 12 Dec, back to +01:00
    found = infer_zone(winter + summer + late)
    # Africa/Lagos keeps +01:00 all year and would match only the 18 winter commits.
    assert found == LocalZone("Europe/Berlin", ZONE_INFERRED, commits=38, matched=38)


def test_commits_either_side_of_the_change_to_summer_time_both_match() -> None:
    # On 27 March 2022 Berlin's clocks went from 02:00 (+01:00) to 03:00 (+02:00) at 01:00 UTC.
    before = [at(3, 27, 1, 1, minute=59)] * 6  # 00:59 UTC
    after = [at(3, 27, 3, 2, minute=1)] * 6  # 01:01 UTC
    found = infer_zone(before + after)
    assert (found.name, found.matched, found.commits) == ("Europe/Berlin", 12, 12)


def test_seoul_for_commits_at_plus_nine_all_year() -> None:
    # Asia/Tokyo keeps the same offset: the tie goes to the zone listed first.
    assert PREFERRED_ZONES.index("Asia/Seoul") < PREFERRED_ZONES.index("Asia/Tokyo")
    found = infer_zone(every_week((1, 5), 50, 15, 9))
    assert found == LocalZone("Asia/Seoul", ZONE_INFERRED, commits=50, matched=50)


def test_a_few_commits_written_in_utc_do_not_move_the_zone() -> None:
    # Merges made on a website or by a tool often carry +00:00 whatever the author's clock says.
    found = infer_zone(every_week((1, 5), 40, 15, 9) + every_week((2, 1), 5, 6, 0))
    assert found == LocalZone("Asia/Seoul", ZONE_INFERRED, commits=45, matched=40)


def test_a_move_picks_the_zone_of_most_commits_and_says_how_many() -> None:
    # Los Angeles until May (-08:00, then -07:00 from 13 March), Berlin from June.
    los_angeles = every_week((1, 4), 9, 10, -8) + every_week((3, 15), 10, 10, -7)
    berlin = every_week((6, 1), 21, 20, 2) + every_week((10, 31), 8, 20, 1)
    found = infer_zone(los_angeles + berlin)
    assert found == LocalZone("Europe/Berlin", ZONE_INFERRED, commits=48, matched=29)
    # The other way round, Los Angeles is the larger part.
    found = infer_zone(los_angeles + los_angeles + berlin[:10])
    assert found == LocalZone("America/Los_Angeles", ZONE_INFERRED, commits=48, matched=38)


@pytest.mark.parametrize(
    ("commits", "expected"),
    [
        # Sydney: +11:00 until 3 April, +10:00 in winter, +11:00 again from 2 October.
        (
            every_week((1, 10), 10, 20, 11)
            + every_week((5, 2), 15, 20, 10)
            + every_week((10, 10), 8, 20, 11),
            "Australia/Sydney",
        ),
        # New York: -05:00, then -04:00 from 13 March to 6 November.
        (every_week((1, 3), 8, 9, -5) + every_week((4, 4), 25, 9, -4), "America/New_York"),
        # London: +00:00 in winter, +01:00 from 27 March to 30 October.
        (every_week((1, 3), 10, 9, 0) + every_week((5, 2), 20, 9, 1), "Europe/London"),
        # India keeps +05:30 all year.
        (every_week((1, 3), 30, 11, 5.5), "Asia/Kolkata"),
        # +00:00 all year: UTC, not a zone with summer time.
        (every_week((1, 3), 50, 9, 0), "UTC"),
    ],
)
def test_zones_with_and_without_summer_time(commits: list[datetime], expected: str) -> None:
    found = infer_zone(commits)
    assert (found.name, found.decided_by, found.matched) == (expected, ZONE_INFERRED, len(commits))


def test_too_few_commits_with_an_offset_fall_back_to_utc() -> None:
    few = every_week((1, 5), MIN_COMMITS - 1, 15, 9)
    assert infer_zone(few) == LocalZone("UTC", ZONE_DEFAULT, commits=MIN_COMMITS - 1, matched=0)
    assert infer_zone([]) == LocalZone("UTC", ZONE_DEFAULT, commits=0, matched=0)
    enough = every_week((1, 5), MIN_COMMITS, 15, 9)
    assert infer_zone(enough).name == "Asia/Seoul"


def test_dates_without_an_offset_are_not_weighed() -> None:
    naive = [datetime(2022, 1, d, 12) for d in range(1, 29)]
    found = infer_zone([*naive, *every_week((1, 5), 3, 15, 9)])
    assert found == LocalZone("UTC", ZONE_DEFAULT, commits=3, matched=0)
