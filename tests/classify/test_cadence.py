"""The scheduled-cadence detector on synthetic streams and people."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from devstats.classify.cadence import message_template, scheduled_commits
from devstats.model.errors import UsageError
from devstats.model.facts import Commit, Identity
from devstats.model.rules import CadenceRules

ME = Identity(name="Kim", email="kim@example.com", login="kim")
KST = timezone(timedelta(hours=9))
WORDS = (
    "optimizer",
    "scheduler",
    "loss",
    "docs",
    "readme",
    "tests",
    "lint",
    "types",
    "release",
    "cache",
    "parser",
    "renderer",
    "config",
    "tokenizer",
    "dataset",
    "notebook",
    "benchmark",
    "kernel",
    "gradient",
)
VERBS = ("fix", "add", "update", "refactor", "remove", "rename", "tune", "document")


def make(sha: str, when: datetime, message: str, repository: str = "kim/stats") -> Commit:
    return Commit(
        sha=sha,
        repository=repository,
        author=ME,
        committer=ME,
        authored_at=when,
        committed_at=when,
        message=message,
    )


def daily_action(
    rng: random.Random,
    *,
    days: int = 365,
    start: date = date(2022, 1, 1),
    cron: tuple[int, int] = (23, 50),
    repository: str = "kim/stats",
) -> list[Commit]:
    """One commit a day, GitHub-cron style: late by a few to ~35 minutes, sometimes over an hour."""
    commits = []
    for n in range(days):
        day = start + timedelta(days=n)
        roll = rng.random()
        if roll < 0.90:
            delay = rng.uniform(3, 30)
        elif roll < 0.98:
            delay = rng.uniform(30, 45)
        else:
            delay = rng.uniform(60, 75)
        scheduled = datetime(day.year, day.month, day.day, *cron, tzinfo=UTC)
        when = scheduled + timedelta(minutes=delay)
        commits.append(
            make(f"bot{n:04d}", when, f"chore: update stats {day.isoformat()}", repository)
        )
    return commits


def varied_message(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)}: {' '.join(rng.sample(WORDS, 3))}"


def human_random_times(rng: random.Random, repository: str = "kim/stats") -> list[Commit]:
    """A person committing every day of 2022, 1-5 times, at any hour from 08:00 to 24:00 KST."""
    commits = []
    for n in range(365):
        day = date(2022, 1, 1) + timedelta(days=n)
        for k in range(rng.randint(1, 5)):
            minute = rng.randint(8 * 60, 24 * 60 - 1)
            when = datetime(day.year, day.month, day.day, tzinfo=KST) + timedelta(minutes=minute)
            # A fifth are GitHub's default web-editor message: templated, but at random times.
            message = "Update README.md" if rng.random() < 0.2 else varied_message(rng)
            commits.append(make(f"me{n:03d}{k}", when, message, repository))
    return commits


def test_daily_action_stream_is_found_completely_across_midnight() -> None:
    stream = daily_action(random.Random(1))
    flagged = scheduled_commits(stream, CadenceRules())
    assert flagged == {c.sha for c in stream}


def test_human_committing_daily_at_random_times_is_not_flagged() -> None:
    people = human_random_times(random.Random(2))
    assert len(people) > 700
    assert scheduled_commits(people, CadenceRules(), local_tz=KST) == frozenset()


def test_human_with_a_fixed_habit_time_but_varied_messages_is_not_flagged() -> None:
    rng = random.Random(3)
    habit = [
        make(
            f"habit{n:03d}",
            datetime(2022, 1, 1, 21, 0, tzinfo=KST) + timedelta(days=n, minutes=rng.uniform(-8, 8)),
            varied_message(rng),
        )
        for n in range(365)
    ]
    # The time alone would qualify: every commit sits within 8 minutes of 21:00.
    assert len({message_template(c.message) for c in habit}) > 300
    assert scheduled_commits(habit, CadenceRules(), local_tz=KST) == frozenset()


def test_stream_mixed_with_human_commits_in_one_repository_flags_only_the_stream() -> None:
    rng = random.Random(4)
    # The Action runs at 00:00 UTC = 09:00 KST; the person also works around that hour.
    stream = daily_action(rng, cron=(0, 0))
    people = human_random_times(rng)
    morning = [
        make(
            f"morning{n:03d}",
            datetime(2022, 1, 1, 9, 10, tzinfo=KST)
            + timedelta(days=n, minutes=rng.uniform(-15, 15)),
            varied_message(rng),
        )
        for n in range(0, 365, 2)
    ]
    everything = stream + people + morning
    rng.shuffle(everything)
    flagged = scheduled_commits(everything, CadenceRules(), local_tz=KST)
    assert flagged == {c.sha for c in stream}


def test_streams_are_found_per_repository() -> None:
    rng = random.Random(5)
    one = daily_action(rng, repository="kim/one")
    # The same template and time in another repository, but only 20 days there: too few.
    other = [
        make(f"other{n}", c.committed_at, c.message, "kim/other") for n, c in enumerate(one[:20])
    ]
    flagged = scheduled_commits(one + other, CadenceRules())
    assert flagged == {c.sha for c in one}


@pytest.mark.parametrize(
    ("runs_at", "minute", "delay", "subject", "seed"),
    [
        ((0, 6, 12, 18), 0, (4, 25), "data: refresh snapshot ({run} runs)", 6),
        (tuple(range(0, 24, 4)), 17, (2, 20), "data: refresh snapshot {day}/{hour}", 12),
    ],
    ids=["four-times-a-day", "six-times-a-day"],
)
def test_a_job_running_several_times_a_day_is_one_slot_per_run(
    runs_at: tuple[int, ...], minute: int, delay: tuple[int, int], subject: str, seed: int
) -> None:
    rng = random.Random(seed)
    commits = [
        make(
            f"run{n:03d}{hour:02d}",
            datetime(2022, 3, 1, hour, minute, tzinfo=UTC)
            + timedelta(days=n, minutes=rng.uniform(*delay)),
            subject.format(run=n * len(runs_at) + index, day=n, hour=hour),
        )
        for n in range(60)
        for index, hour in enumerate(runs_at)
    ]
    assert scheduled_commits(commits, CadenceRules()) == {c.sha for c in commits}


def test_a_message_used_all_day_long_is_not_a_schedule() -> None:
    """1,500 "Update README.md" commits at random times put 40+ commits, on 28+ days, in every
    40-minute slot; only the concentration test tells them from a schedule."""
    rng = random.Random(13)
    commits = [
        make(
            f"readme{n:04d}",
            datetime(2022, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.uniform(0, 365 * 1440)),
            "Update README.md",
        )
        for n in range(1500)
    ]
    assert scheduled_commits(commits, CadenceRules()) == frozenset()
    assert scheduled_commits(commits, CadenceRules(min_concentration=1))


def test_stream_sharing_its_template_with_a_person_takes_only_the_slot() -> None:
    rng = random.Random(14)
    stream = [
        make(
            f"job{n:03d}",
            datetime(2022, 1, 1, 4, 0, tzinfo=UTC) + timedelta(days=n, minutes=rng.uniform(3, 25)),
            "update",
        )
        for n in range(365)
    ]
    person = [
        make(
            f"me{n:03d}",
            datetime(2022, 1, 1, 9, 0, tzinfo=UTC) + timedelta(days=n, minutes=rng.uniform(0, 600)),
            "update",
        )
        for n in range(365)
    ]
    flagged = scheduled_commits(stream + person, CadenceRules())
    assert {c.sha for c in stream} <= flagged
    assert not flagged & {c.sha for c in person}


def test_weekly_job_counts_when_it_ran_on_enough_days() -> None:
    commits = [
        make(
            f"week{n:02d}",
            datetime(2022, 1, 3, 6, 12, tzinfo=UTC) + timedelta(weeks=n, minutes=(n * 7) % 15),
            f"docs: weekly digest #{n + 1}",
        )
        for n in range(52)
    ]
    assert scheduled_commits(commits, CadenceRules()) == {c.sha for c in commits}


def test_too_few_days_is_not_enough_evidence() -> None:
    stream = daily_action(random.Random(7), days=27)
    assert scheduled_commits(stream, CadenceRules()) == frozenset()
    # Lowered, the runs inside the slot meet it, and the late ones join through the tail.
    assert scheduled_commits(stream, CadenceRules(min_days=20)) == {c.sha for c in stream}


def test_more_than_the_allowed_commits_per_day_is_not_a_schedule() -> None:
    rng = random.Random(8)
    burst = [
        make(
            f"burst{n:03d}{k}",
            datetime(2022, 5, 1, 12, 0, tzinfo=UTC) + timedelta(days=n, minutes=rng.uniform(0, 10)),
            f"wip {n}.{k}",
        )
        for n in range(40)
        for k in range(2)
    ]
    assert scheduled_commits(burst, CadenceRules()) == frozenset()
    assert scheduled_commits(burst, CadenceRules(max_commits_per_day=2)) == {c.sha for c in burst}


def test_runs_later_than_the_late_tail_stay_human() -> None:
    stream = daily_action(random.Random(9), days=60, cron=(3, 0))
    outlier = make(
        "outlier", datetime(2022, 3, 15, 6, 30, tzinfo=UTC), "chore: update stats 2022-03-15"
    )
    flagged = scheduled_commits([*stream, outlier], CadenceRules())
    assert flagged == {c.sha for c in stream}
    without_tail = scheduled_commits(stream, CadenceRules(late_minutes=0))
    late = [c for c in stream if c.sha not in without_tail]
    # Only the runs delayed far beyond the usual need the tail.
    assert late
    # (the late ones are the runs daily_action delayed by more than half an hour)
    assert all(
        c.committed_at - c.committed_at.replace(hour=3, minute=0) > timedelta(minutes=30)
        for c in late
    )


def test_recorded_offset_does_not_matter_only_the_instant() -> None:
    stream = daily_action(random.Random(10), days=40, cron=(15, 0))
    as_kst = [make(c.sha, c.committed_at.astimezone(KST), c.message, c.repository) for c in stream]
    rules = CadenceRules()
    assert (
        scheduled_commits(as_kst, rules)
        == scheduled_commits(stream, rules)
        == {c.sha for c in stream}
    )


def test_local_cron_across_a_daylight_saving_change_needs_the_local_clock() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # summer time began on 2022-03-27
    commits = [
        make(
            f"local{n:02d}",
            datetime(2022, 3, 7, 7, 30, tzinfo=berlin) + timedelta(days=n, seconds=17 * n),
            f"backup: nightly export {n}",
        )
        for n in range(40)
    ]
    utc_hours = {c.committed_at.astimezone(UTC).hour for c in commits}
    assert utc_hours == {5, 6}  # 20 days at 06:30 UTC, then 20 at 05:30 UTC
    assert scheduled_commits(commits, CadenceRules(), local_tz=UTC) == frozenset()
    assert scheduled_commits(commits, CadenceRules(), local_tz=berlin) == {c.sha for c in commits}


def test_disabled_rules_flag_nothing() -> None:
    stream = daily_action(random.Random(11))
    assert scheduled_commits(stream, CadenceRules(enabled=False)) == frozenset()


@pytest.mark.parametrize(
    ("message", "template"),
    [
        ("chore: update stats 2022-01-01", "chore: update stats <date>"),
        ("Updated at 2022/03/04 00:12:59 UTC", "updated at <date> <time> utc"),
        ("bump to 1.2.3 (abc1234def)", "bump to <n> (<hex>)"),
        ("stars: 1,234 forks: 56", "stars: <n> forks: <n>"),
        ("Report for Mon, 3 Jan 2022", "report for <weekday>, <n> <month> <n>"),
        ("added defaced cafe", "added defaced cafe"),
        ("  Subject line\n\nbody 123\n", "subject line"),
        ("", ""),
    ],
)
def test_message_template_masks_what_changes_from_run_to_run(message: str, template: str) -> None:
    assert message_template(message) == template


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window_minutes": 0},
        {"window_minutes": 360},
        {"late_minutes": -1},
        {"min_days": 1},
        {"max_commits_per_day": 0.5},
        {"min_days": "28"},
        {"min_days": 28.5},
        {"window_minutes": True},
        {"max_commits_per_day": "1"},
        {"min_concentration": 0.5},
        {"min_concentration": None},
        {"enabled": "yes"},
    ],
)
def test_cadence_rules_reject_nonsense_naming_the_setting(kwargs: dict[str, object]) -> None:
    (key,) = kwargs
    with pytest.raises(UsageError, match=f"cadence.{key}"):
        CadenceRules(**kwargs)  # type: ignore[arg-type]


def test_cadence_rules_accept_whole_numbers_for_the_daily_rate() -> None:
    assert CadenceRules(max_commits_per_day=2).max_commits_per_day == 2
