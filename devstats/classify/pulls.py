"""Pull requests to other people's projects, grouped by project."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from devstats.model.facts import ExternalProject, ExternalPullRequests, PullRequest, RepositoryInfo


def _owner(repository: str) -> str:
    return repository.split("/", 1)[0].lower()


def is_merged(pr: PullRequest) -> bool:
    # GitHub reports state MERGED; a search result may only carry merged_at.
    return pr.state.upper() == "MERGED" or pr.merged_at is not None


def _stars(repository: str, repositories: Mapping[str, RepositoryInfo]) -> int | None:
    info = repositories.get(repository)
    if info is None:
        # GitHub names are case-insensitive; a PR URL and the repository query may spell them
        # differently.
        wanted = repository.lower()
        info = next((v for k, v in repositories.items() if k.lower() == wanted), None)
    return info.stars if info is not None else None


def external_pull_requests(
    prs: Iterable[PullRequest],
    repositories: Mapping[str, RepositoryInfo],
    *,
    user: str,
    own_organizations: Sequence[str],
) -> ExternalPullRequests:
    """PRs to repositories owned by neither the user nor one of their organizations.

    Projects come by number of PRs, then stars (unknown last), then name; each project's PRs by
    creation time. A PR listed twice (same repository and number) counts once.
    """
    own = {user.lower(), *(org.lower() for org in own_organizations)}
    seen: set[tuple[str, int]] = set()
    grouped: dict[str, list[PullRequest]] = defaultdict(list)
    spelling: dict[str, str] = {}  # one project however its name is capitalised; first one wins
    for pr in prs:
        key = (pr.repository.lower(), pr.number)
        if key in seen or _owner(pr.repository) in own:
            continue
        seen.add(key)
        spelling.setdefault(key[0], pr.repository)
        grouped[key[0]].append(pr)

    projects = [
        ExternalProject(
            repository=spelling[key],
            stars=_stars(spelling[key], repositories),
            total=len(items),
            merged=sum(1 for pr in items if is_merged(pr)),
            items=tuple(sorted(items, key=lambda pr: (pr.created_at, pr.number))),
        )
        for key, items in grouped.items()
    ]
    projects.sort(
        key=lambda p: (
            -p.total,
            -(p.stars if p.stars is not None else -1),
            p.repository.lower(),
            p.repository,
        )
    )
    return ExternalPullRequests(
        total=sum(p.total for p in projects),
        merged=sum(p.merged for p in projects),
        projects=tuple(projects),
    )
