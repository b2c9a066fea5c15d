"""What the user gave to other people's projects: first contributions (the first pull request
opened, the first merged) and the reviews and issues given, by project. Pure; docs/definitions.md
("Highlights") defines each figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, tzinfo

from devstats.classify.year import in_year
from devstats.model.facts import FirstPullRequest, PullRequest
from devstats.model.highlights import (
    FirstContribution,
    FirstContributions,
    GivenToOthers,
    ProjectHelp,
)

TOP_PROJECTS = 5


def _owner(repository: str) -> str:
    return repository.split("/", 1)[0].casefold()


def external_repositories(
    repositories: Iterable[str], *, user: str, own_organizations: Sequence[str] = ()
) -> tuple[str, ...]:
    """The repositories owned by neither the user nor one of their organizations, each once.

    GitHub names ignore case, so one repository spelt two ways is kept once (first spelling wins);
    the order is the order given.
    """
    own = {user.casefold(), *(org.casefold() for org in own_organizations)}
    seen: set[str] = set()
    kept: list[str] = []
    for repository in repositories:
        key = repository.casefold()
        if key in seen or _owner(repository) in own:
            continue
        seen.add(key)
        kept.append(repository)
    return tuple(kept)


# --- first contributions ----------------------------------------------------------------------


def _first(repository: str, pr: PullRequest, at: datetime, tz: tzinfo) -> FirstContribution:
    return FirstContribution(
        repository=repository, number=pr.number, title=pr.title, url=pr.url, at=at.astimezone(tz)
    )


def first_contributions(
    firsts: Mapping[str, FirstPullRequest],
    year: int,
    tz: tzinfo,
    *,
    user: str,
    own_organizations: Sequence[str] = (),
) -> FirstContributions:
    """The other people's projects where the user's first pull request was opened in `year`,
    and those where one was first merged in it (each list by date, then name).

    A pull request opened in December and merged in January is a first opened in the one year
    and a first merged in the next.
    """
    external = set(external_repositories(firsts, user=user, own_organizations=own_organizations))
    opened: list[FirstContribution] = []
    merged: list[FirstContribution] = []
    uncertain: list[str] = []
    for key in sorted(external, key=str.casefold):
        found = firsts[key]
        if found.first_opened is not None and in_year(found.first_opened.created_at, year, tz):
            opened.append(
                _first(found.repository, found.first_opened, found.first_opened.created_at, tz)
            )
        pr = found.first_merged
        if pr is not None and pr.merged_at is not None and in_year(pr.merged_at, year, tz):
            merged.append(_first(found.repository, pr, pr.merged_at, tz))
            if not found.first_merged_certain:
                uncertain.append(found.repository)
    opened.sort(key=lambda item: (item.at, item.repository.casefold()))
    merged.sort(key=lambda item: (item.at, item.repository.casefold()))
    return FirstContributions(
        opened=tuple(opened), merged=tuple(merged), uncertain=tuple(uncertain)
    )


# --- reviews and issues given to other people's projects ---------------------------------------


def given_to_others(
    reviews_by_repo: Mapping[str, int],
    issues_by_repo: Mapping[str, int],
    *,
    user: str,
    own_organizations: Sequence[str] = (),
    top: int = TOP_PROJECTS,
) -> GivenToOthers:
    """Reviews and issues in repositories owned by someone else, grouped by project.

    Projects come by reviews plus issues, then reviews, then name; one repository spelt two ways
    is one project.
    """
    own = {user.casefold(), *(org.casefold() for org in own_organizations)}
    reviews: Counter[str] = Counter()
    issues: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for counts, source in ((reviews, reviews_by_repo), (issues, issues_by_repo)):
        for repository, count in source.items():
            if count <= 0 or _owner(repository) in own:
                continue
            key = repository.casefold()
            spelling.setdefault(key, repository)
            counts[key] += count
    projects = [
        ProjectHelp(repository=spelling[key], reviews=reviews[key], issues=issues[key])
        for key in spelling
    ]
    projects.sort(key=lambda p: (-p.total, -p.reviews, p.repository.casefold()))
    return GivenToOthers(
        reviews=sum(reviews.values()),
        issues=sum(issues.values()),
        projects=len(projects),
        top=tuple(projects[: max(0, top)]),
    )
