"""When the year's real work happened: the days with real contributions, the streaks they make,
the busiest day and month, and real commits by weekday and hour. Pure, in the report's time zone;
docs/definitions.md ("Highlights") defines each figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

from devstats.classify.year import aware
from devstats.model.facts import CalendarDay
from devstats.model.highlights import DayRun, MonthCount, Rhythm, Streaks, WeekRun

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


# --- real days --------------------------------------------------------------------------------


def real_contribution_days(
    calendar: Mapping[date, int],
    commits: Iterable[tuple[datetime, bool]],
    *,
    year: int,
    tz: tzinfo,
) -> dict[date, int]:
    """Real contributions per day of `year` in `tz`; days without any are left out.

    `calendar` is GitHub's contribution calendar, whose days are UTC days; `commits` are the
    user's commits as (author date, automated). A day's real contributions are its real commits,
    placed on their day in `tz`, plus what the calendar counts on that date beyond the commits
    (pull requests, issues, reviews, commits that could not be read): those carry no time, so
    they stay on the date GitHub gave them. A day with only automated commits is not a real day.
    An author date without an offset is read as UTC.
    """
    commits_on_utc_day: Counter[date] = Counter()
    real_on_local_day: Counter[date] = Counter()
    for authored_at, automated in commits:
        moment = aware(authored_at)
        commits_on_utc_day[moment.astimezone(UTC).date()] += 1
        if not automated:
            real_on_local_day[moment.astimezone(tz).date()] += 1
    days: Counter[date] = Counter()
    for day, count in calendar.items():
        # The calendar may count fewer commits on a day than were read (a commit GitHub does not
        # credit): what is left over is never negative.
        days[day] += max(0, count - commits_on_utc_day[day])
    days.update(real_on_local_day)
    return {day: days[day] for day in sorted(days) if day.year == year and days[day] > 0}


# --- streaks ----------------------------------------------------------------------------------


def _runs(ordered: Sequence[date], step: timedelta) -> list[tuple[date, date]]:
    """Maximal runs of `ordered` (sorted, unique) whose neighbours are `step` apart."""
    runs: list[tuple[date, date]] = []
    for day in ordered:
        if runs and day - runs[-1][1] == step:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _longest(runs: Sequence[tuple[date, date]]) -> tuple[date, date] | None:
    # max() keeps the first of equal runs, and the runs are in date order: the earliest wins.
    return max(runs, key=lambda run: run[1] - run[0]) if runs else None


def week_start(day: date) -> date:
    """The Sunday that starts `day`'s week, as the columns of GitHub's contribution calendar."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def streaks(real_days: Iterable[date], year: int, *, through: date | None = None) -> Streaks:
    """Runs of days, and of weeks, with real contributions in `year`.

    Every date given is a day with real contributions; dates outside the year (or after
    `through`) are ignored. `through` (default 31 December) is the day whose running streak is
    reported: pass the last complete day when the year is not over.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    through = min(through or last, last)
    days = sorted({d for d in real_days if first <= d <= through})
    day_runs = _runs(days, timedelta(days=1))
    longest = _longest(day_runs)
    week_runs = _runs(sorted({week_start(d) for d in days}), timedelta(days=7))
    longest_weeks = _longest(week_runs)
    at_end = next((run for run in day_runs if run[1] == through), None)
    return Streaks(
        longest=DayRun(*longest) if longest else None,
        longest_weeks=(
            WeekRun(
                start=max(longest_weeks[0], first),
                end=min(longest_weeks[1] + timedelta(days=6), through),
                weeks=(longest_weeks[1] - longest_weeks[0]).days // 7 + 1,
            )
            if longest_weeks
            else None
        ),
        at_end=DayRun(*at_end) if at_end else None,
        through=through,
        active_days=len(days),
    )


# --- rhythm -----------------------------------------------------------------------------------


def rhythm(
    real_commit_times: Iterable[datetime], real_days: Mapping[date, int], tz: tzinfo
) -> Rhythm:
    """Busiest day and month (from real contributions per day) and when real commits happen.

    A commit's weekday and hour are those of its author date's instant in `tz`, whatever offset
    the commit recorded. An author date without an offset cannot be placed and is only counted.
    A recorded +00:00 is taken at its word, but counted apart: tools that do not record the local
    zone write it too, and then the hour is off by the zone's offset.
    """
    weekdays = [0] * 7
    hours = [0] * 24
    placed = unplaced = zero_offset = 0
    for moment in real_commit_times:
        offset = moment.utcoffset()
        if offset is None:
            unplaced += 1
            continue
        local = moment.astimezone(tz)
        weekdays[local.weekday()] += 1
        hours[local.hour] += 1
        placed += 1
        if offset == timedelta(0) and local.utcoffset() != timedelta(0):
            zero_offset += 1

    positive = {day: count for day, count in real_days.items() if count > 0}
    busiest_day = None
    if positive:
        day = max(sorted(positive), key=lambda d: positive[d])
        busiest_day = CalendarDay(day, positive[day])
    months: Counter[str] = Counter()
    for day, count in positive.items():
        months[f"{day.year:04d}-{day.month:02d}"] += count
    busiest_month = None
    if months:
        month = max(sorted(months), key=lambda m: months[m])
        busiest_month = MonthCount(month, months[month])
    return Rhythm(
        busiest_day=busiest_day,
        busiest_month=busiest_month,
        by_weekday=tuple(weekdays),
        by_hour=tuple(hours),
        commits=placed,
        unplaced=unplaced,
        zero_offset=zero_offset,
    )
