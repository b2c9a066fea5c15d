"""Which commits a person did not make: bots, GitHub Actions, excluded repositories, scheduled jobs.

Every commit gets all the reasons that apply, in a fixed order; the first is the one it is counted
under, so per-reason counts always add up to the automated total. docs/automation.md has the rules.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from fnmatch import fnmatchcase

from devstats.classify.cadence import scheduled_commits
from devstats.model.facts import (
    ClassifiedCommit,
    Commit,
    CommitSummary,
    Identity,
    RepositoryCommits,
)
from devstats.model.rules import AutomationRules

EXCLUDED_REPOSITORY = "excluded-repository"
BOT_ACCOUNT = "bot-account"
ACTIONS_IDENTITY = "actions-identity"
MESSAGE_PATTERN = "message-pattern"
SCHEDULED_CADENCE = "scheduled-cadence"

# Precedence: the first reason a commit has is the one it is counted under.
REASONS: tuple[str, ...] = (
    EXCLUDED_REPOSITORY,
    BOT_ACCOUNT,
    ACTIONS_IDENTITY,
    MESSAGE_PATTERN,
    SCHEDULED_CADENCE,
)

# The identities a workflow commits under when it uses the built-in GITHUB_TOKEN: the
# github-actions[bot] App user (id 41898282), or the "GitHub Action <action@github.com>"
# pair that many workflow examples set with `git config`.
ACTIONS_EMAILS = frozenset(
    {
        "41898282+github-actions[bot]@users.noreply.github.com",
        "github-actions[bot]@users.noreply.github.com",
        "action@github.com",
    }
)
ACTIONS_NAMES = frozenset({"github-actions[bot]", "github action", "github-actions"})

# GitHub's no-reply addresses are "<login>@users.noreply.github.com", or since 2017
# "<id>+<login>@users.noreply.github.com"; an App's user has a login ending in "[bot]".
_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$")
_BOT_SUFFIX = "[bot]"


def _bot_login(login: str) -> str:
    login = login.strip().lower()
    return login[: -len(_BOT_SUFFIX)] if login.endswith(_BOT_SUFFIX) else login


def _handles(identity: Identity) -> Iterator[str]:
    """The account names an identity points to: its login, or the login in a no-reply e-mail."""
    if identity.login:
        yield identity.login.strip().lower()
    if identity.email:
        match = _NOREPLY.match(identity.email.strip().lower())
        if match:
            yield match.group("login")


def is_bot(identity: Identity, bot_accounts: Iterable[str]) -> bool:
    """A bot account: any App user (a login, no-reply e-mail or git name ending in "[bot]"), or one
    of bot_accounts, compared without "[bot]" and without case."""
    configured = {_bot_login(name) for name in bot_accounts}
    for handle in _handles(identity):
        if handle.endswith(_BOT_SUFFIX) or _bot_login(handle) in configured:
            return True
    # Git data carries no login; an author name like "dependabot[bot]" is only ever set by an App.
    return bool(identity.name and identity.name.strip().lower().endswith(_BOT_SUFFIX))


def is_actions_identity(identity: Identity) -> bool:
    email = (identity.email or "").strip().lower()
    name = (identity.name or "").strip().lower()
    return email in ACTIONS_EMAILS or name in ACTIONS_NAMES


def _is_excluded(repository: str, globs: Iterable[str]) -> bool:
    name = repository.lower()
    return any(fnmatchcase(name, glob.lower()) for glob in globs)


def commit_key(commit: Commit) -> tuple[str, str]:
    """A commit as GitHub counts it: once per repository, so a SHA in two repositories is two."""
    return commit.repository, commit.sha


def _unique(commits: Iterable[Commit]) -> list[Commit]:
    # The same commit can reach us twice from one repository (two readings of its history).
    seen: set[tuple[str, str]] = set()
    unique: list[Commit] = []
    for commit in commits:
        if commit_key(commit) not in seen:
            seen.add(commit_key(commit))
            unique.append(commit)
    return unique


def classify_commits(
    commits: Iterable[Commit], rules: AutomationRules, *, tz: tzinfo
) -> tuple[ClassifiedCommit, ...]:
    """Every commit once per repository (by repository and SHA, first seen wins, in input
    order), with all its reasons.

    tz is the user's time zone: scheduled jobs on GitHub run in UTC, but one on the user's own
    machine runs on local time, which the cadence detector also checks.
    """
    unique = _unique(commits)
    patterns = [re.compile(p) for p in rules.message_patterns]
    # A year has thousands of commits but a handful of identities and repositories.
    excluded = functools.cache(lambda name: _is_excluded(name, rules.exclude_repositories))
    bot = functools.cache(lambda person: is_bot(person, rules.bot_accounts))
    actions = functools.cache(is_actions_identity)
    reasons: dict[tuple[str, str], list[str]] = {}
    for commit in unique:
        found: list[str] = []
        if excluded(commit.repository):
            found.append(EXCLUDED_REPOSITORY)
        people = (commit.author, commit.committer)
        if any(bot(person) for person in people):
            found.append(BOT_ACCOUNT)
        if any(actions(person) for person in people):
            found.append(ACTIONS_IDENTITY)
        if any(p.search(commit.message) for p in patterns):
            found.append(MESSAGE_PATTERN)
        reasons[commit_key(commit)] = found

    # The cadence detector only looks at what nothing else explains, so a bot's own daily
    # stream cannot lend regularity to the person's commits. It names SHAs: a commit of a
    # scheduled stream is scheduled in every repository that holds it.
    unexplained = [c for c in unique if not reasons[commit_key(c)]]
    scheduled = scheduled_commits(unexplained, rules.cadence, local_tz=tz)
    for commit in unexplained:
        if commit.sha in scheduled:
            reasons[commit_key(commit)].append(SCHEDULED_CADENCE)

    return tuple(ClassifiedCommit(commit=c, reasons=tuple(reasons[commit_key(c)])) for c in unique)


def _by_reason(primaries: Counter[str]) -> dict[str, int]:
    # The precedence order, so the JSON and the text read the same way every time.
    order = [*REASONS, *sorted(set(primaries) - set(REASONS))]
    return {reason: primaries[reason] for reason in order if primaries[reason] > 0}


def summarize(classified: Iterable[ClassifiedCommit]) -> CommitSummary:
    """Totals overall and per repository (a SHA once per repository, as GitHub counts commit
    contributions); repositories by total (descending), then name."""
    seen: set[tuple[str, str]] = set()
    totals: Counter[str] = Counter()
    automated: Counter[str] = Counter()
    primaries: dict[str, Counter[str]] = {}
    overall: Counter[str] = Counter()
    for item in classified:
        if commit_key(item.commit) in seen:
            continue
        seen.add(commit_key(item.commit))
        repository = item.commit.repository
        totals[repository] += 1
        primaries.setdefault(repository, Counter())
        if item.primary_reason is not None:
            automated[repository] += 1
            primaries[repository][item.primary_reason] += 1
            overall[item.primary_reason] += 1

    by_repository = tuple(
        RepositoryCommits(
            repository=name,
            total=totals[name],
            automated=automated[name],
            human=totals[name] - automated[name],
            automated_by_reason=_by_reason(primaries[name]),
        )
        for name in sorted(totals, key=lambda name: (-totals[name], name.lower(), name))
    )
    total = sum(totals.values())
    automated_total = sum(automated.values())
    return CommitSummary(
        total=total,
        automated=automated_total,
        human=total - automated_total,
        automated_by_reason=_by_reason(overall),
        by_repository=by_repository,
    )
