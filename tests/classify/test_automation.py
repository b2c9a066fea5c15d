"""Reasons a commit is automated, their precedence, and the summary."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from devstats.classify.automation import (
    ACTIONS_IDENTITY,
    BOT_ACCOUNT,
    EXCLUDED_REPOSITORY,
    MESSAGE_PATTERN,
    REASONS,
    SCHEDULED_CADENCE,
    classify_commits,
    is_bot,
    summarize,
)
from devstats.model.errors import UsageError
from devstats.model.facts import ClassifiedCommit, Commit, Identity
from devstats.model.rules import AutomationRules, CadenceRules
from tests.fakes.git_history import history_commit, history_lines

SEOUL = ZoneInfo("Asia/Seoul")
ME = Identity(name="Kim", email="kim@example.com", login="kim")
WEB_FLOW = Identity(name="GitHub", email="noreply@github.com", login="web-flow")
DEPENDABOT = Identity(
    name="dependabot[bot]",
    email="49699333+dependabot[bot]@users.noreply.github.com",
    login="dependabot[bot]",
)
ACTIONS_BOT = Identity(
    name="github-actions[bot]",
    email="41898282+github-actions[bot]@users.noreply.github.com",
    login="github-actions[bot]",
)
WHEN = datetime(2022, 6, 1, 12, 0, tzinfo=UTC)


def make(
    sha: str,
    *,
    repository: str = "kim/tool",
    author: Identity = ME,
    committer: Identity | None = None,
    message: str = "fix: a bug",
    when: datetime = WHEN,
) -> Commit:
    return Commit(
        sha=sha,
        repository=repository,
        author=author,
        committer=committer or author,
        authored_at=when,
        committed_at=when,
        message=message,
    )


def classify(
    commits: list[Commit], rules: AutomationRules | None = None
) -> dict[str, ClassifiedCommit]:
    result = classify_commits(commits, rules or AutomationRules(), tz=UTC)
    return {c.commit.sha: c for c in result}


# --- bot accounts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "identity",
    [
        DEPENDABOT,
        Identity(name=None, email=None, login="dependabot"),
        Identity(name=None, email=None, login="RENOVATE[bot]"),
        Identity(name=None, email=None, login="pre-commit-ci[bot]"),
        Identity(name=None, email=None, login="actions-user"),
        Identity(name=None, email=None, login="some-new-app[bot]"),  # any App user
        # Git data: no login, but GitHub's no-reply address names the account.
        Identity(name="x", email="49699333+dependabot[bot]@users.noreply.github.com", login=None),
        Identity(name="x", email="29139614+renovate[bot]@users.noreply.github.com", login=None),
        Identity(name="x", email="12345+actions-user@users.noreply.github.com", login=None),
        Identity(name="x", email="actions-user@users.noreply.github.com", login=None),
        Identity(name="snyk-bot[bot]", email="snyk@example.com", login=None),
    ],
)
def test_bot_accounts_are_recognised(identity: Identity) -> None:
    assert is_bot(identity, AutomationRules().bot_accounts)


@pytest.mark.parametrize(
    "identity",
    [
        ME,
        WEB_FLOW,
        Identity(name="Robot Lover", email="robot@example.com", login="robotlover"),
        Identity(name="x", email="123+dependabot-fan@users.noreply.github.com", login=None),
        Identity(name="x", email="dependabot[bot]@example.com", login=None),  # not GitHub's domain
        Identity(name=None, email=None, login=None),
    ],
)
def test_people_are_not_bots(identity: Identity) -> None:
    assert not is_bot(identity, AutomationRules().bot_accounts)


def test_configured_bot_accounts_replace_the_defaults_but_apps_stay_bots() -> None:
    accounts = ("release-robot",)
    assert is_bot(Identity(None, None, "Release-Robot"), accounts)
    assert is_bot(Identity(None, "7+release-robot@users.noreply.github.com", None), accounts)
    assert not is_bot(Identity(None, None, "dependabot"), accounts)
    assert is_bot(Identity(None, None, "dependabot[bot]"), accounts)


# --- reasons and precedence -------------------------------------------------------------------


def test_bot_with_matching_message_lists_both_reasons_and_counts_once_as_bot() -> None:
    rules = AutomationRules(message_patterns=(r"^build\(deps\)",))
    commits = [
        make("a", author=DEPENDABOT, committer=WEB_FLOW, message="build(deps): bump x from 1 to 2"),
        make("b"),
    ]
    result = classify(commits, rules)
    assert result["a"].reasons == (BOT_ACCOUNT, MESSAGE_PATTERN)
    assert result["a"].primary_reason == BOT_ACCOUNT
    summary = summarize(result.values())
    assert summary.automated == 1
    assert summary.automated_by_reason == {BOT_ACCOUNT: 1}


def test_every_reason_at_once_keeps_the_fixed_order() -> None:
    rules = AutomationRules(exclude_repositories=("kim/*",), message_patterns=("stats",))
    result = classify([make("a", author=ACTIONS_BOT, message="update stats")], rules)
    assert result["a"].reasons == (
        EXCLUDED_REPOSITORY,
        BOT_ACCOUNT,
        ACTIONS_IDENTITY,
        MESSAGE_PATTERN,
    )


@pytest.mark.parametrize(
    "committer",
    [
        Identity(name="GitHub Action", email="action@github.com", login=None),
        Identity(name="github-actions", email="github-actions@example.invalid", login=None),
        Identity(name="ci", email="github-actions[bot]@users.noreply.github.com", login=None),
    ],
)
def test_actions_identity_without_a_bot_login(committer: Identity) -> None:
    result = classify([make("a", committer=committer)])
    reasons = result["a"].reasons
    assert reasons[-1] == ACTIONS_IDENTITY
    assert ACTIONS_IDENTITY in reasons


def test_plain_actions_identity_is_only_actions_identity() -> None:
    committer = Identity(name="GitHub Action", email="action@github.com", login=None)
    assert classify([make("a", committer=committer)])["a"].reasons == (ACTIONS_IDENTITY,)


def test_github_actions_bot_is_a_bot_and_an_actions_identity() -> None:
    assert classify([make("a", author=ACTIONS_BOT)])["a"].reasons == (BOT_ACCOUNT, ACTIONS_IDENTITY)


def test_merges_made_on_github_com_are_human() -> None:
    merge = make(
        "m",
        author=Identity("Hyeongchan Kim", "kozistr@gmail.com", "kozistr"),
        committer=WEB_FLOW,
        message="Merge pull request #86 from kozistr/build/cicd",
    )
    assert classify([merge])["m"].reasons == ()


def test_message_patterns_search_the_whole_message() -> None:
    rules = AutomationRules(message_patterns=(r"\[skip ci\]", r"(?i)^auto-generated"))
    commits = [
        make("a", message="docs: refresh\n\n[skip ci]"),
        make("b", message="Auto-Generated changelog"),
        make("c", message="skip ci for now"),
    ]
    result = classify(commits, rules)
    assert [result[s].reasons for s in "abc"] == [(MESSAGE_PATTERN,), (MESSAGE_PATTERN,), ()]


def test_invalid_message_pattern_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="message pattern"):
        AutomationRules(message_patterns=("(unclosed",))


@pytest.mark.parametrize(
    ("repository", "excluded"),
    [
        ("kim/daily-stats", True),
        ("KIM/Daily-Stats", True),
        ("other/daily-stats", False),
        ("kim/awesome-gans", True),
        ("someone/Awesome-List", True),
        ("kim/tool", False),
    ],
)
def test_excluded_repository_globs_ignore_case(repository: str, excluded: bool) -> None:
    rules = AutomationRules(exclude_repositories=("Kim/*-stats", "*/awesome-*"))
    reasons = classify([make("a", repository=repository)], rules)["a"].reasons
    assert reasons == ((EXCLUDED_REPOSITORY,) if excluded else ())


# --- dedup, order, time zones ---------------------------------------------------------------


def test_a_sha_counts_once_per_repository_as_github_counts_it() -> None:
    # GitHub counts a commit contribution per repository: a project started as a copy of another
    # holds the same SHAs, and each copy counts. The same commit read twice from one repository
    # counts once.
    commits = [
        make("a", repository="kim/copy"),
        make("b"),
        make("a", repository="kim/tool"),
        make("b"),
    ]
    result = classify_commits(commits, AutomationRules(), tz=UTC)
    assert [(c.commit.sha, c.commit.repository) for c in result] == [
        ("a", "kim/copy"),
        ("b", "kim/tool"),
        ("a", "kim/tool"),
    ]
    summary = summarize(result)
    assert summary.total == 3
    assert {r.repository: r.total for r in summary.by_repository} == {"kim/copy": 1, "kim/tool": 2}


def test_a_copied_commit_is_automated_in_each_repository_that_holds_it() -> None:
    bot = Identity("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", None)
    commits = [make("a", repository="kim/copy", author=bot), make("a", author=bot)]
    result = classify_commits(commits, AutomationRules(), tz=UTC)
    assert [c.reasons for c in result] == [(BOT_ACCOUNT,), (BOT_ACCOUNT,)]
    assert summarize(result).automated == 2


def daily_stream(repository: str, author: Identity, start: date = date(2022, 1, 1)) -> list[Commit]:
    rng = random.Random(repository)
    return [
        make(
            f"{repository}-{n:03d}",
            repository=repository,
            author=author,
            message=f"chore: update stats {start + timedelta(days=n)}",
            when=datetime.combine(start + timedelta(days=n), datetime.min.time(), UTC)
            + timedelta(minutes=rng.uniform(5, 25)),
        )
        for n in range(100)
    ]


def test_scheduled_stream_under_the_users_own_identity_is_scheduled_cadence() -> None:
    stream = daily_stream("kim/stats", ME)
    result = classify_commits(stream, AutomationRules(), tz=SEOUL)
    assert {c.reasons for c in result} == {(SCHEDULED_CADENCE,)}


def test_cadence_only_looks_at_commits_no_other_rule_explains() -> None:
    stream = daily_stream("kim/stats", ACTIONS_BOT)
    result = classify_commits(stream, AutomationRules(), tz=UTC)
    assert {c.reasons for c in result} == {(BOT_ACCOUNT, ACTIONS_IDENTITY)}


def test_cadence_can_be_switched_off() -> None:
    stream = daily_stream("kim/stats", ME)
    result = classify_commits(stream, AutomationRules(cadence=CadenceRules(enabled=False)), tz=UTC)
    assert summarize(result).automated == 0


def test_same_instants_with_other_recorded_offsets_classify_the_same() -> None:
    stream = daily_stream("kim/stats", ME)
    shifted = [
        make(
            c.sha,
            repository=c.repository,
            message=c.message,
            when=c.committed_at.astimezone(timezone(timedelta(hours=-7))),
        )
        for c in stream
    ]
    for tz in (UTC, SEOUL, ZoneInfo("America/Los_Angeles")):
        a = classify_commits(stream, AutomationRules(), tz=tz)
        b = classify_commits(shifted, AutomationRules(), tz=tz)
        assert [c.reasons for c in a] == [c.reasons for c in b]
        assert all(c.reasons == (SCHEDULED_CADENCE,) for c in a)


# --- summary ----------------------------------------------------------------------------------


def test_summary_sums_and_orders() -> None:
    rules = AutomationRules(exclude_repositories=("kim/mirror",), message_patterns=("^release",))
    commits = [
        *daily_stream("kim/stats", ME),  # 100 scheduled
        make("d1", author=DEPENDABOT, committer=WEB_FLOW),
        make("d2", author=DEPENDABOT, committer=WEB_FLOW, message="release: 1.0"),
        make("r1", message="release: 1.1"),
        make("h1"),
        make("h2"),
        make("m1", repository="kim/mirror"),
        make("m2", repository="kim/mirror", author=DEPENDABOT),
        make("z1", repository="a/zeta"),
        make("z2", repository="a/zeta"),
        make("y1", repository="a/Yak"),
        make("y2", repository="a/yak2"),
    ]
    summary = summarize(classify_commits(commits, rules, tz=UTC))
    assert (summary.total, summary.automated, summary.human) == (111, 105, 6)
    assert summary.automated_by_reason == {
        EXCLUDED_REPOSITORY: 2,
        BOT_ACCOUNT: 2,
        MESSAGE_PATTERN: 1,
        SCHEDULED_CADENCE: 100,
    }
    assert list(summary.automated_by_reason) == [r for r in REASONS if r != ACTIONS_IDENTITY]
    assert sum(summary.automated_by_reason.values()) == summary.automated
    assert [(r.repository, r.total, r.automated, r.human) for r in summary.by_repository] == [
        ("kim/stats", 100, 100, 0),
        ("kim/tool", 5, 3, 2),
        ("a/zeta", 2, 0, 2),
        ("kim/mirror", 2, 2, 0),
        ("a/Yak", 1, 0, 1),
        ("a/yak2", 1, 0, 1),
    ]
    tool = summary.by_repository[1]
    assert tool.automated_by_reason == {BOT_ACCOUNT: 2, MESSAGE_PATTERN: 1}
    assert summary.by_repository[2].automated_by_reason == {}
    for repo in summary.by_repository:
        assert sum(repo.automated_by_reason.values()) == repo.automated


def test_summary_of_nothing() -> None:
    summary = summarize(())
    assert (summary.total, summary.automated, summary.human) == (0, 0, 0)
    assert summary.automated_by_reason == {}
    assert summary.by_repository == ()


# --- the real 2022 history ----------------------------------------------------------------------


def real_history() -> tuple[list[dict[str, Any]], list[Commit]]:
    raw = history_lines(2022)
    return raw, [history_commit(line) for line in raw]


def test_real_history_only_dependabot_is_automated() -> None:
    raw, commits = real_history()
    assert len(raw) == 958  # as listed in tests/data/git-history/README.md
    dependabot = {
        r["sha"]
        for r in raw
        if r["author"]["email"].endswith("+dependabot[bot]@users.noreply.github.com")
    }
    web_merges = {r["sha"] for r in raw if r["committer"]["email"] == "noreply@github.com"}
    assert len(dependabot) == 3
    assert len(web_merges - dependabot) > 40

    result = classify_commits(commits, AutomationRules(), tz=SEOUL)
    flagged = {c.commit.sha: c.reasons for c in result if c.automated}
    assert flagged == dict.fromkeys(dependabot, (BOT_ACCOUNT,))
    assert not any(SCHEDULED_CADENCE in c.reasons for c in result)

    summary = summarize(result)
    per_repo = Counter(r["repo"] for r in raw)
    assert summary.total == len(raw)
    assert summary.automated_by_reason == {BOT_ACCOUNT: 3}
    assert {r.repository: r.total for r in summary.by_repository} == dict(per_repo)
    assert [r.repository for r in summary.by_repository] == [
        "kozistr/pytorch_optimizer",
        "kozistr/kozistr.github.io",
        "kozistr/catboost-server-rs",
        "kozistr/Awesome-GANs",
    ]


def test_real_history_with_a_daily_action_added() -> None:
    """The shape of the 2022 review: the public commits plus a 365-day stream under the user's
    own identity; exactly the stream is scheduled-cadence."""
    raw, commits = real_history()
    me = Identity(name="kozistr", email="kozistr@gmail.com", login=None)
    rng = random.Random(2022)
    stream = [
        make(
            f"daily{n:03d}",
            repository="kozistr/daily",
            author=me,
            message=f"update: daily stats ({date(2022, 1, 1) + timedelta(days=n):%Y%m%d})",
            when=datetime(2022, 1, 1, 15, 0, tzinfo=UTC)
            + timedelta(days=n, minutes=rng.uniform(4, 40)),
        )
        for n in range(365)
    ]
    result = classify_commits([*commits, *stream], AutomationRules(), tz=SEOUL)
    scheduled = {c.commit.sha for c in result if c.primary_reason == SCHEDULED_CADENCE}
    assert scheduled == {c.sha for c in stream}
    summary = summarize(result)
    assert summary.human == len(raw) - 3
    assert summary.automated_by_reason == {BOT_ACCOUNT: 3, SCHEDULED_CADENCE: 365}
