"""The `--explain` text: which commits were left out of the human count, and why."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, tzinfo

from devstats.classify.automation import REASONS
from devstats.model.facts import ClassifiedCommit


def _reason_order(reasons: Iterable[str]) -> list[str]:
    present = set(reasons)
    return [r for r in REASONS if r in present] + sorted(present - set(REASONS))


def _subject(message: str) -> str:
    lines = message.strip().splitlines()
    return lines[0].strip() if lines else ""


def _examples(items: list[ClassifiedCommit], limit: int) -> list[ClassifiedCommit]:
    """Up to limit examples, taken in turn from each primary reason (earliest commits first), so
    a small reason is not hidden behind a large one."""
    queues: dict[str, list[ClassifiedCommit]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.commit.committed_at, i.commit.sha)):
        queues[item.primary_reason or ""].append(item)
    order = _reason_order(queues)
    chosen: list[ClassifiedCommit] = []
    position = 0
    while len(chosen) < limit and any(position < len(queues[r]) for r in order):
        for reason in order:
            if len(chosen) < limit and position < len(queues[reason]):
                chosen.append(queues[reason][position])
        position += 1
    return chosen


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{reason} {counter[reason]}" for reason in _reason_order(counter))


def explain_automated(
    classified: Iterable[ClassifiedCommit],
    *,
    examples_per_repository: int = 3,
    tz: tzinfo = UTC,
) -> str:
    """Per repository with automated commits: counts by primary reason and a few examples
    (short SHA, commit time in tz, subject, every reason), then the totals."""
    items: list[ClassifiedCommit] = []
    seen: set[tuple[str, str]] = set()
    for item in classified:
        # once per repository, as the commit counts are made
        key = (item.commit.repository, item.commit.sha)
        if key not in seen:
            seen.add(key)
            items.append(item)
    totals: Counter[str] = Counter(c.commit.repository for c in items)
    automated: dict[str, list[ClassifiedCommit]] = defaultdict(list)
    for item in items:
        if item.automated:
            automated[item.commit.repository].append(item)

    lines: list[str] = [f"Commits counted as automated (times in {tz})", ""]
    for repository in sorted(automated, key=lambda r: (-len(automated[r]), r.lower(), r)):
        group = automated[repository]
        lines.append(f"{repository}: {len(group)} of {totals[repository]} commits automated")
        by_reason = Counter(item.primary_reason or "" for item in group)
        for reason in _reason_order(by_reason):
            lines.append(f"  {reason}: {by_reason[reason]}")
        for item in _examples(group, examples_per_repository):
            commit = item.commit
            when = commit.committed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            reasons = ", ".join(item.reasons)
            lines.append(f"    {commit.sha[:7]} {when} {_subject(commit.message)} [{reasons}]")
        lines.append("")

    total = len(items)
    automated_total = sum(len(group) for group in automated.values())
    primaries = Counter(item.primary_reason or "" for group in automated.values() for item in group)
    lines.append(
        f"Total: {automated_total} of {total} commits automated, {total - automated_total} human"
    )
    if primaries:
        lines.append(f"By reason: {_counts(primaries)}")
    return "\n".join(lines) + "\n"
