"""The rules that say which commits are automated: the settings hand them to
devstats/classify/automation.py and cadence.py. docs/automation.md gives the defaults and the
reasoning behind them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from devstats.model.errors import UsageError

_MINUTES_PER_DAY = 24 * 60

DEFAULT_BOT_ACCOUNTS: tuple[str, ...] = (
    "dependabot",
    "renovate",
    "pre-commit-ci",
    "github-actions",
    "actions-user",
)


@dataclass(frozen=True)
class CadenceRules:
    """Thresholds of the scheduled-cadence detector.

    window_minutes: half-width of the time-of-day slot around the slot's median. GitHub starts
        scheduled runs late, typically 5-30 minutes after the cron time and longer when load is high
        (top of the hour, midnight UTC). The median absorbs the usual delay; +-20 minutes around it
        keeps most runs of a stream inside while a person's commits, spread over many hours, rarely
        pile up in a 40-minute slot on 28 different days.
    late_minutes: a run later than the slot (a delay far above the usual) still belongs to a stream
        that was found, if its message has the stream's template. Runs are only ever late, never
        early, so this tail extends the slot on its late side only.
    min_days: the stream must appear on at least this many distinct days (four weeks of a daily job,
        or about half a year of a weekly one); fewer is too little evidence.
    max_commits_per_day: inside the slot, at most this many commits per day on average. A scheduled
        job commits once per run; the slack covers a re-run or a manual dispatch now and then.
    min_concentration: the slot must hold at least this many times the commits it would hold if
        the template's commits were spread evenly over the day. A message used a thousand times a
        year at random hours fills every 40-minute slot on 28 days too; a schedule is a peak. A
        daily job scores up to 36 (all its commits in one slot); each slot of a job that runs six
        times a day scores up to 6 (slots are taken one by one, from what is left); commits spread
        evenly over a nine-hour working day score under 3.
    """

    enabled: bool = True
    window_minutes: int = 20
    late_minutes: int = 60
    min_days: int = 28
    max_commits_per_day: float = 1.5
    min_concentration: float = 5.0

    def __post_init__(self) -> None:
        # The values usually come from a config file's [cadence] table, so errors name the key.
        if not isinstance(self.enabled, bool):
            raise _invalid("enabled", "must be true or false")
        for key in ("window_minutes", "late_minutes", "min_days"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int):
                raise _invalid(key, "must be a whole number")
        for key in ("max_commits_per_day", "min_concentration"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _invalid(key, "must be a number")
        if not 0 < self.window_minutes < _MINUTES_PER_DAY // 4:
            raise _invalid("window_minutes", "must be between 1 and 359")
        if self.late_minutes < 0:
            raise _invalid("late_minutes", "must not be negative")
        if self.min_days < 2:
            raise _invalid("min_days", "must be at least 2")
        if self.max_commits_per_day < 1:
            raise _invalid("max_commits_per_day", "must be at least 1")
        if self.min_concentration < 1:
            raise _invalid("min_concentration", "must be at least 1")


def _invalid(key: str, problem: str) -> UsageError:
    return UsageError(f"setting 'cadence.{key}' {problem}")


@dataclass(frozen=True)
class AutomationRules:
    """What counts as automated. The defaults need no configuration."""

    exclude_repositories: tuple[str, ...] = ()  # fnmatch globs on "owner/name", any case
    bot_accounts: tuple[str, ...] = DEFAULT_BOT_ACCOUNTS  # logins, with or without "[bot]"
    message_patterns: tuple[str, ...] = ()  # regular expressions searched in the whole message
    cadence: CadenceRules = field(default_factory=CadenceRules)

    def __post_init__(self) -> None:
        for pattern in self.message_patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise UsageError(
                    f"invalid message pattern {pattern!r}: {error}",
                    hint="message patterns are Python regular expressions",
                ) from error
