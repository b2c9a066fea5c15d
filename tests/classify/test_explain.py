"""The --explain text."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from devstats.classify.explain import explain_automated
from devstats.model.facts import ClassifiedCommit, Commit, Identity

ME = Identity(name="Kim", email="kim@example.com", login="kim")


def item(
    sha: str,
    repository: str,
    reasons: tuple[str, ...],
    *,
    hour: int = 0,
    day: int = 1,
    message: str = "",
) -> ClassifiedCommit:
    when = datetime(2022, 3, day, hour, 5, tzinfo=UTC)
    commit = Commit(
        sha=sha,
        repository=repository,
        author=ME,
        committer=ME,
        authored_at=when,
        committed_at=when,
        message=message or f"commit {sha}\n\nbody",
    )
    return ClassifiedCommit(commit=commit, reasons=reasons)


ITEMS = [
    item("aaaaaaa111", "kim/stats", ("scheduled-cadence",), day=3, message="chore: stats 3"),
    item("aaaaaaa222", "kim/stats", ("scheduled-cadence",), day=1, message="chore: stats 1"),
    item("aaaaaaa333", "kim/stats", ("scheduled-cadence",), day=2, message="chore: stats 2"),
    item("aaaaaaa444", "kim/stats", ("scheduled-cadence",), day=4, message="chore: stats 4"),
    item(
        "bbbbbbb111",
        "kim/tool",
        ("bot-account", "message-pattern"),
        hour=20,
        message="build(deps): bump",
    ),
    item("bbbbbbb222", "kim/tool", ("message-pattern",), day=2, message="release: 1.0\n\nnotes"),
    item("bbbbbbb333", "kim/tool", ("bot-account",), day=5),
    item("ccccccc111", "kim/tool", ()),
    item("ccccccc222", "kim/human", ()),
]

EXPECTED = """\
Commits counted as automated (times in UTC)

kim/stats: 4 of 4 commits automated
  scheduled-cadence: 4
    aaaaaaa 2022-03-01 00:05 chore: stats 1 [scheduled-cadence]
    aaaaaaa 2022-03-02 00:05 chore: stats 2 [scheduled-cadence]

kim/tool: 3 of 4 commits automated
  bot-account: 2
  message-pattern: 1
    bbbbbbb 2022-03-01 20:05 build(deps): bump [bot-account, message-pattern]
    bbbbbbb 2022-03-02 00:05 release: 1.0 [message-pattern]

Total: 7 of 9 commits automated, 2 human
By reason: bot-account 2, message-pattern 1, scheduled-cadence 4
"""


def test_explain_lists_repositories_reasons_examples_and_totals() -> None:
    assert explain_automated(ITEMS, examples_per_repository=2) == EXPECTED


def test_explain_does_not_depend_on_input_order() -> None:
    shuffled = list(ITEMS)
    random.Random(1).shuffle(shuffled)
    assert explain_automated(shuffled, examples_per_repository=2) == EXPECTED


def test_examples_take_turns_between_reasons_and_respect_the_limit() -> None:
    text = explain_automated(ITEMS, examples_per_repository=3)
    tool = text.split("kim/tool:")[1].split("\n\n")[0]
    examples = [line.split()[0] for line in tool.splitlines() if line.startswith("    ")]
    assert examples == ["bbbbbbb", "bbbbbbb", "bbbbbbb"]
    assert "2022-03-05 00:05 commit bbbbbbb333 [bot-account]" in tool
    stats = text.split("kim/stats:")[1].split("\n\n")[0]
    assert len([line for line in stats.splitlines() if line.startswith("    ")]) == 3
    assert "    " not in explain_automated(ITEMS, examples_per_repository=0)


def test_times_are_shown_in_the_given_zone() -> None:
    text = explain_automated(ITEMS, examples_per_repository=1, tz=ZoneInfo("Asia/Seoul"))
    assert text.startswith("Commits counted as automated (times in Asia/Seoul)\n")
    assert "aaaaaaa 2022-03-01 09:05 chore: stats 1" in text


def test_duplicates_count_once_and_nothing_automated_still_has_totals() -> None:
    text = explain_automated([ITEMS[0], ITEMS[0], ITEMS[-1]])
    assert "kim/stats: 1 of 1 commits automated" in text
    assert text.endswith(
        "Total: 1 of 2 commits automated, 1 human\nBy reason: scheduled-cadence 1\n"
    )
    assert explain_automated([ITEMS[-1]]) == (
        "Commits counted as automated (times in UTC)\n\nTotal: 0 of 1 commits automated, 1 human\n"
    )
    assert explain_automated([], examples_per_repository=5).endswith(
        "Total: 0 of 0 commits automated, 0 human\n"
    )
