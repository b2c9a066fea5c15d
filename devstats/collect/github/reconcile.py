"""GitHub's count of commit contributions set against the commits read, per repository and
per UTC day, and the notices that name every difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from devstats.collect.github.spans import contribution_day
from devstats.collect.github.windows import WindowPart
from devstats.model.facts import (
    CalendarDay,
    Commit,
    CommitReconciliation,
    Contributions,
    DayCount,
    Notice,
)
from devstats.model.notices import ParamValue, notice


def merge_contributions(parts: list[WindowPart]) -> Contributions:
    days: dict[date, int] = {}
    for part in parts:
        for day, count in part.days.items():
            days[day] = days.get(day, 0) + count
    return Contributions(
        total=sum(p.total for p in parts),
        commits=sum(p.commits for p in parts),
        pull_requests=sum(p.pull_requests for p in parts),
        issues=sum(p.issues for p in parts),
        reviews=sum(p.reviews for p in parts),
        restricted=sum(p.restricted for p in parts),
        calendar=tuple(CalendarDay(day, days[day]) for day in sorted(days)),
    )


def reconcile(
    github_days: Mapping[str, Mapping[date, int]],
    retrieved: Mapping[str, Iterable[Commit]],
    reasons: Mapping[str, str] | None = None,
) -> tuple[CommitReconciliation, ...]:
    """Per repository, GitHub's commit contributions per day against the commits retrieved.

    `github_days` maps a repository to GitHub's count per UTC day, `retrieved` to the commits
    found in it (each counted on the UTC day of its author date), and `reasons` to what is known
    to keep commits from being read ("gone", "unreadable", "gh-pages"); a reason is kept only
    where GitHub counts more on some day. Repositories come in name order.
    """
    known = reasons or {}
    result = []
    for name in sorted(set(github_days) | set(retrieved), key=lambda n: (n.lower(), n)):
        counted = github_days.get(name, {})
        found = Counter(contribution_day(c.authored_at) for c in retrieved.get(name, ()))
        days = tuple(
            DayCount(day, counted.get(day, 0), found[day])
            for day in sorted(set(counted) | set(found))
            if counted.get(day, 0) != found[day]
        )
        missing = any(d.github > d.retrieved for d in days)
        result.append(
            CommitReconciliation(
                repository=name,
                github_count=sum(counted.values()),
                retrieved=sum(found.values()),
                days=days,
                reason=known.get(name) if missing else None,
            )
        )
    return tuple(result)


# Days listed in one notice; the rest are counted ("and 12 more days").
NOTICE_DAYS = 10


def _repository_notice(item: CommitReconciliation, year: int, late: date) -> Notice:
    if item.reason == "gone":
        return notice(
            "repository-gone", repository=item.repository, year=str(year), counted=item.github_count
        )
    if item.reason == "unreadable":
        return notice(
            "repository-unreadable",
            repository=item.repository,
            year=str(year),
            counted=item.github_count,
        )
    shown = item.days[:NOTICE_DAYS]
    missing = any(d.github > d.retrieved for d in item.days)
    return notice(
        "commits-differ-in-repository",
        repository=item.repository,
        year=str(year),
        counted=item.github_count,
        retrieved=item.retrieved,
        days=", ".join(f"{d.day.isoformat()}: {d.github}/{d.retrieved}" for d in shown),
        more_days=len(item.days) - len(shown),
        branch="gh-pages" if item.reason == "gh-pages" else None,
        late=late.isoformat() if missing else None,
    )


def commit_count_notices(
    *,
    user: str,
    year: int,
    counted: int,
    restricted: int,
    reconciliation: Iterable[CommitReconciliation],
    unlisted: int,
    late: Mapping[str, date],
) -> list[Notice]:
    """A notice per repository whose commits differ from GitHub's count (naming the days and,
    when known, why), then one for the whole year when the totals differ.

    `counted` is GitHub's `totalCommitContributions`, `unlisted` the part of it in repositories
    GitHub does not list, `late` the last commit day read of each repository.
    """
    items = list(reconciliation)
    differing = [item for item in items if not item.matches]
    notices = [_repository_notice(item, year, late[item.repository]) for item in differing]
    retrieved = sum(item.retrieved for item in items)
    if counted == retrieved:
        return notices
    common: dict[str, ParamValue] = {
        "user": user,
        "year": str(year),
        "counted": counted,
        "retrieved": retrieved,
        "repositories": len(differing),
    }
    if counted > retrieved:
        total = notice(
            "commits-fewer-than-counted",
            **common,
            difference=counted - retrieved,
            unlisted=unlisted,
            restricted=restricted,
        )
    else:
        total = notice("commits-more-than-counted", **common, difference=retrieved - counted)
    return [total, *notices]
