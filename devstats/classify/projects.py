"""The projects of the year and the languages it was spent in.

Pure: everything here works on collected facts (classified commits, repository metadata, star
times, GitHub releases, the report's package names) and the user's overrides. docs/projects.md
defines every figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TypeVar

from devstats.model.facts import (
    ClassifiedCommit,
    LanguageShare,
    ProjectOfYear,
    ProjectOverride,
    Release,
    RepositoryInfo,
)
from devstats.model.package_names import normalize

__all__ = ["LanguageShare", "ProjectOfYear", "Release"]

OTHER_LANGUAGE = "Other"  # repositories whose primary language GitHub does not know

_V = TypeVar("_V")


def _lookup(mapping: Mapping[str, _V], repository: str) -> _V | None:
    # GitHub treats "owner/name" without regard to case; configuration may spell it either way.
    if repository in mapping:
        return mapping[repository]
    folded = repository.casefold()
    for key, value in mapping.items():
        if key.casefold() == folded:
            return value
    return None


def human_commits_by_repository(classified: Iterable[ClassifiedCommit]) -> Counter[str]:
    """Commits without an automation reason, per repository; each SHA once per repository."""
    seen: set[tuple[str, str]] = set()
    counts: Counter[str] = Counter()
    for item in classified:
        key = (item.commit.repository, item.commit.sha)
        if key in seen:
            continue
        seen.add(key)
        if not item.automated:
            counts[item.commit.repository] += 1
    return counts


def _in_year(moment: datetime, year: int, tz: tzinfo) -> bool:
    # GitHub's timestamps are UTC; a naive one can only have come from there.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz).year == year


def releases_of_year(
    releases: Iterable[Release], *, year: int, tz: tzinfo, include_prereleases: bool = False
) -> tuple[Release, ...]:
    """Releases published inside the year (in tz), oldest first; pre-releases only on request."""
    chosen = [
        r
        for r in releases
        if r.published_at is not None
        and _in_year(r.published_at, year, tz)
        and (include_prereleases or not r.prerelease)
    ]
    return tuple(sorted(chosen, key=lambda r: (r.published_at, r.tag)))


def stars_gained_in_year(starred_at: Sequence[datetime], *, year: int, tz: tzinfo) -> int:
    """How many of these stars were given inside the year (in tz)."""
    return sum(1 for moment in starred_at if _in_year(moment, year, tz))


def stars_after_year(
    starred_at: Sequence[datetime], *, year: int, tz: tzinfo, complete: bool
) -> int | None:
    """How many of these stars (newest first) were given after the year (in tz); None when the
    walk stopped before it had passed every one of them."""
    after = sum(1 for moment in starred_at if _after_year(moment, year, tz))
    if complete or after < len(starred_at):
        return after
    return None


def _after_year(moment: datetime, year: int, tz: tzinfo) -> bool:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz).year > year


def _link_packages(
    ranked: Sequence[str],
    overrides: Mapping[str, ProjectOverride],
    packages: Sequence[str],
) -> dict[str, str]:
    """repository -> package. An override's `package` wins; otherwise a package of the report
    whose PEP 503 name equals the repository's (normalised the same way), given to the highest
    ranked repository only, so one package is never shown under two projects."""
    linked: dict[str, str] = {}
    taken: set[str] = set()
    for repository in ranked:
        override = _lookup(overrides, repository)
        if override is not None and override.package:
            linked[repository] = override.package
            taken.add(normalize(override.package))
    by_name = {normalize(p): p for p in reversed(packages)}  # first spelling wins
    for repository in ranked:
        if repository in linked:
            continue
        key = normalize(repository.rsplit("/", 1)[-1])
        if key in by_name and key not in taken:
            linked[repository] = by_name[key]
            taken.add(key)
    return linked


def projects_of_year(
    classified: Sequence[ClassifiedCommit],
    repositories: Mapping[str, RepositoryInfo],
    *,
    user: str,
    year: int,
    tz: tzinfo,
    top: int,
    overrides: Mapping[str, ProjectOverride],
    stars_gained: Mapping[str, int | None],
    releases: Mapping[str, Sequence[Release]],
    packages: Sequence[str],
    include_prereleases: bool = False,
    stars_after: Mapping[str, int | None] | None = None,
) -> tuple[ProjectOfYear, ...]:
    """The `top` repositories the year's human commits went into.

    Candidates are all repositories with at least one human commit among `classified` (the
    year's commits, as the commit summary counts them), the user's own and others' alike, except
    forks (work in a fork shows as pull requests to its parent) and repositories an override
    hides. Ranked by human commits, then current stars, then name — the user's own repository
    first when two are otherwise equal. `stars_after` (stars given after the year, per
    repository) turns current stars into stars at the year's end.
    """
    counts = human_commits_by_repository(classified)
    ranked = _ranked(counts, repositories, overrides, user=user)[: max(top, 0)]
    linked = _link_packages(ranked, overrides, packages)

    after = stars_after or {}
    projects = []
    for repository in ranked:
        details = _lookup(repositories, repository)
        override = _lookup(overrides, repository)
        in_year = releases_of_year(
            _lookup(releases, repository) or (),
            year=year,
            tz=tz,
            include_prereleases=include_prereleases,
        )
        title = override.title if override is not None and override.title else None
        stars = details.stars if details is not None else None
        projects.append(
            ProjectOfYear(
                repository=repository,
                title=title or repository.rsplit("/", 1)[-1],
                description=details.description if details is not None else None,
                language=details.language if details is not None else None,
                url=details.url if details is not None else None,
                stars=stars,
                stars_gained=_lookup(stars_gained, repository),
                human_commits=counts[repository],
                releases_in_year=len(in_year),
                release_tags=tuple(r.tag for r in in_year),
                package=linked.get(repository),
                notes=override.notes if override is not None else None,
                stars_at_year_end=_stars_at_year_end(stars, _lookup(after, repository)),
            )
        )
    return tuple(projects)


def _ranked(
    counts: Mapping[str, int],
    repositories: Mapping[str, RepositoryInfo],
    overrides: Mapping[str, ProjectOverride],
    *,
    user: str,
) -> list[str]:
    """Repositories with human commits, not forks, not hidden, in the order of the ranking."""
    owner = user.casefold()
    candidates = []
    for repository, human in counts.items():
        override = _lookup(overrides, repository)
        details = _lookup(repositories, repository)
        if human <= 0 or (override is not None and override.hide):
            continue
        if details is not None and details.is_fork:
            continue
        candidates.append(repository)

    def rank(repository: str) -> tuple[int, int, bool, str, str]:
        details = _lookup(repositories, repository)
        stars = details.stars if details is not None and details.stars is not None else -1
        not_own = repository.split("/", 1)[0].casefold() != owner
        return (-counts[repository], -stars, not_own, repository.casefold(), repository)

    return sorted(candidates, key=rank)


def _stars_at_year_end(current: int | None, after: int | None) -> int | None:
    # A star removed since the year's end cannot be seen (GitHub keeps no removed stars), so
    # this is the stars still there that were given by the end of the year.
    if current is None or after is None:
        return None
    return max(current - after, 0)


def languages_of_year(
    classified: Sequence[ClassifiedCommit], repositories: Mapping[str, RepositoryInfo]
) -> tuple[LanguageShare, ...]:
    """Human commits per primary language of their repository, largest share first.

    A repository has one primary language on GitHub (the one with the most bytes of code), so
    every commit counts for that language, whatever files it touched.
    """
    by_language: Counter[str] = Counter()
    for repository, human in human_commits_by_repository(classified).items():
        details = _lookup(repositories, repository)
        language = details.language if details is not None and details.language else None
        by_language[language or OTHER_LANGUAGE] += human
    total = sum(by_language.values())
    if total == 0:
        return ()
    ordered = sorted(by_language.items(), key=lambda item: (-item[1], item[0].casefold()))
    # Each share is the step between two cumulative fractions. Because the languages come largest
    # first, each step is computed without rounding (Sterbenz), so the shares add up, left to
    # right or with math.fsum, to exactly 1.0 and each is within 2**-53 of commits / total.
    shares = []
    cumulative = 0
    previous = 0.0
    for name, human in ordered:
        cumulative += human
        current = cumulative / total
        shares.append(LanguageShare(name=name, human_commits=human, share=current - previous))
        previous = current
    return tuple(shares)


def display_percentages(shares: Sequence[LanguageShare]) -> list[int]:
    """Whole percentages that add up to exactly 100, by the largest-remainder method.

    Computed from the commit counts, so no float rounding takes part; on equal remainders the
    earlier (larger) language gets the extra point.
    """
    total = sum(s.human_commits for s in shares)
    if total == 0:
        return [0 for _ in shares]
    floors = [s.human_commits * 100 // total for s in shares]
    remainders = [s.human_commits * 100 % total for s in shares]
    missing = 100 - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-remainders[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


def new_languages(
    current: Sequence[LanguageShare], previous: Sequence[LanguageShare]
) -> tuple[str, ...]:
    """Languages of this year that last year had no human commits in, in this year's order.
    "Other" is not a language, so it is never new."""
    before = {s.name.casefold() for s in previous if s.human_commits > 0}
    return tuple(
        s.name
        for s in current
        if s.human_commits > 0 and s.name != OTHER_LANGUAGE and s.name.casefold() not in before
    )
