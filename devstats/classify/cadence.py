"""Find the commits a scheduled job pushes under the user's own identity.

A workflow with `on: schedule` that commits (a stats badge, a README refresh, a "daily log") often
commits as the user, so neither the login nor the e-mail gives it away. What gives it away is the
combination of two things a human does not do for weeks on end:

* the same message template ("chore: update stats 2022-01-01", "... 2022-01-02", ...),
* pushed at the same time of day, about once a day or less.

Either one alone is common for people: many commit at a fixed hour, and many write
"Update README.md" over and over. Only the combination is flagged. docs/automation.md gives
the defaults and the reasoning behind them.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

from devstats.model.facts import Commit
from devstats.model.rules import CadenceRules

MINUTES_PER_DAY = 24 * 60


# --- message templates ------------------------------------------------------------------------

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    "|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
)
# Order matters: dates and times before bare numbers, hex (which must contain a digit, so words
# like "added" or "defaced" stay words) before numbers.
_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"), "<date>"),
    (re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"), "<date>"),
    (re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"), "<time>"),
    (re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{7,64}\b"), "<hex>"),
    (re.compile(r"\d+(?:[.,]\d+)*"), "<n>"),
    (re.compile(rf"\b(?:{_MONTHS})\b"), "<month>"),
    (re.compile(rf"\b(?:{_WEEKDAYS})\b"), "<weekday>"),
)
_SPACES = re.compile(r"\s+")


def message_template(message: str) -> str:
    """The subject line with its changing parts (dates, times, numbers, hashes) masked."""
    subject = message.strip().splitlines()[0] if message.strip() else ""
    text = subject.lower()
    for pattern, mask in _MASKS:
        text = pattern.sub(mask, text)
    return _SPACES.sub(" ", text).strip()


# --- time of day --------------------------------------------------------------------------------


def _minute_of_day(moment: datetime, clock: tzinfo) -> float:
    local = moment.astimezone(clock)
    return local.hour * 60 + local.minute + local.second / 60


def _offset(minute: float, centre: float) -> float:
    """Signed circular distance from centre to minute, in (-720, 720]: 23:55 lies 10 minutes
    before 00:05, not 1430 minutes after it."""
    delta = (minute - centre) % MINUTES_PER_DAY
    return delta - MINUTES_PER_DAY if delta > MINUTES_PER_DAY / 2 else delta


def _densest_minute(minutes: Sequence[float], window: int) -> int:
    """The minute of day whose +-window slot holds the most commits (the earliest such minute)."""
    histogram = [0] * MINUTES_PER_DAY
    for minute in minutes:
        histogram[int(minute) % MINUTES_PER_DAY] += 1
    width = 2 * window + 1
    # Circular sliding sum: the slot centred on minute c covers c-window .. c+window.
    current = sum(histogram[(m - window) % MINUTES_PER_DAY] for m in range(width))
    best_count, best_minute = current, 0
    for centre in range(1, MINUTES_PER_DAY):
        current += histogram[(centre + window) % MINUTES_PER_DAY]
        current -= histogram[(centre - window - 1) % MINUTES_PER_DAY]
        if current > best_count:
            best_count, best_minute = current, centre
    return best_minute


def _run_day(moment: datetime, clock: tzinfo, centre: float) -> date:
    """The day a run belongs to, counted so that the slot sits at noon: a slot around midnight
    (23:50 one day, 00:10 the next) is never split across two days."""
    shifted = moment.astimezone(clock) - timedelta(minutes=centre) + timedelta(hours=12)
    return shifted.date()


# --- detection --------------------------------------------------------------------------------


def _slot(
    commits: Sequence[Commit], minutes: Sequence[float], centre: float, window: int
) -> list[Commit]:
    return [c for c, m in zip(commits, minutes, strict=True) if abs(_offset(m, centre)) <= window]


def _find_slot(
    commits: Sequence[Commit], rules: CadenceRules, clock: tzinfo
) -> tuple[float, list[Commit]] | None:
    """The densest time-of-day slot of commits sharing one template, if it looks scheduled."""
    minutes = [_minute_of_day(c.committed_at, clock) for c in commits]
    densest = _densest_minute(minutes, rules.window_minutes)
    # Start from the commits counted in the densest slot (by whole minute, as the histogram
    # counted them), then re-centre on their median until it settles.
    offsets = [
        o for o in (_offset(int(m), densest) for m in minutes) if abs(o) <= rules.window_minutes
    ]
    centre = (densest + statistics.median(offsets)) % MINUTES_PER_DAY
    slot = _slot(commits, minutes, centre, rules.window_minutes)
    for _ in range(5):
        if not slot:
            return None
        median = statistics.median(
            _offset(_minute_of_day(c.committed_at, clock), centre) for c in slot
        )
        if abs(median) < 0.5:
            break
        centre = (centre + median) % MINUTES_PER_DAY
        slot = _slot(commits, minutes, centre, rules.window_minutes)
    days = {_run_day(c.committed_at, clock, centre) for c in slot}
    if len(days) < rules.min_days or len(slot) > rules.max_commits_per_day * len(days):
        return None
    evenly_spread = len(commits) * 2 * rules.window_minutes / MINUTES_PER_DAY
    if len(slot) < rules.min_concentration * evenly_spread:
        return None
    return centre, slot


def _streams_of_template(commits: list[Commit], rules: CadenceRules, clock: tzinfo) -> set[str]:
    """SHAs of every scheduled slot among commits sharing one template (a job may run several
    times a day, each run time being its own slot)."""
    flagged: set[str] = set()
    remaining = list(commits)
    while len(remaining) >= rules.min_days:
        found = _find_slot(remaining, rules, clock)
        if found is None:
            break
        centre, slot = found
        members = {c.sha for c in slot}
        for commit in remaining:
            lateness = _offset(_minute_of_day(commit.committed_at, clock), centre)
            if rules.window_minutes < lateness <= rules.window_minutes + rules.late_minutes:
                members.add(commit.sha)
        flagged |= members
        remaining = [c for c in remaining if c.sha not in members]
    return flagged


def scheduled_commits(
    commits: Iterable[Commit], rules: CadenceRules, *, local_tz: tzinfo = UTC
) -> frozenset[str]:
    """SHAs of the commits that form a scheduled stream, per repository.

    Time of day is read in UTC first, because GitHub's cron runs in UTC. A job on the user's own
    machine runs in local time instead, and in a zone with daylight saving time that moves by an
    hour against UTC twice a year; so what UTC does not explain is read again on local_tz's clock.
    """
    if not rules.enabled:
        return frozenset()
    by_template: dict[tuple[str, str], list[Commit]] = defaultdict(list)
    for commit in commits:
        by_template[(commit.repository, message_template(commit.message))].append(commit)

    flagged: set[str] = set()
    clocks: list[tzinfo] = [UTC] if local_tz == UTC else [UTC, local_tz]
    for key in sorted(by_template):
        group = by_template[key]
        for clock in clocks:
            group = [c for c in group if c.sha not in flagged]
            if len(group) < rules.min_days:
                continue  # fewer commits than the days a stream needs: cannot qualify
            flagged |= _streams_of_template(group, rules, clock)
    return frozenset(flagged)
