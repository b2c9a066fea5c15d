"""Highlights of the year: streaks, rhythm, first contributions, help given to other people's
projects, releases shipped and downloads in the year.

Pure: plain inputs in (dates, times, counts, names), frozen dataclasses out, so the figures do not
depend on how the report is put together. Every figure is computed on real work (automated commits
left out) and in the report's time zone; docs/definitions.md ("Highlights") defines each one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from packaging.utils import canonicalize_name, canonicalize_version
from packaging.version import InvalidVersion, Version

from devstats.classify.contributions_to_others import first_contributions, given_to_others
from devstats.classify.rhythm import real_contribution_days, rhythm, streaks
from devstats.classify.year import aware, in_year
from devstats.model.facts import FirstPullRequest
from devstats.model.highlights import (
    DownloadsInYear,
    Highlights,
    PackageDownloadsInYear,
    ReleasesShipped,
    ShippedVersion,
)

# --- releases shipped -------------------------------------------------------------------------

# A tag that is not a version by itself may still end in one: "pytorch_optimizer-v2.0.1",
# "release/1.4", "pkg@3.0.0".
_TAG_VERSION = re.compile(r"(?:^|[-_/@])(v?\d[\w.+!-]*)$", re.IGNORECASE)


def tag_version(tag: str) -> Version | None:
    """The PEP 440 version a release tag names ("v1.2.3" and "1.2.3" are both 1.2.3), if any."""
    candidates = [tag.strip()]
    match = _TAG_VERSION.search(tag.strip())
    if match:
        candidates.append(match.group(1))
    for candidate in candidates:
        try:
            return Version(candidate)
        except InvalidVersion:
            continue
    return None


@dataclass
class _Version:
    version: str
    repository: str | None = None
    package: str | None = None
    times: list[datetime] = field(default_factory=list)
    on_github: bool = False
    on_pypi: bool = False


def _add_github_releases(
    versions: dict[tuple[str, str, str], _Version],
    github_releases: Iterable[tuple[str, str, datetime | None]],
) -> None:
    for repository, tag, published_at in github_releases:
        parsed = tag_version(tag)
        name = str(parsed) if parsed is not None else tag
        # PEP 440 equality ("2.1" is "2.1.0"); a tag that names no version matches nothing else.
        same = canonicalize_version(parsed) if parsed is not None else f"tag:{tag}"
        key = ("repo", repository.casefold(), same)
        item = versions.setdefault(key, _Version(version=name, repository=repository))
        item.on_github = True
        if published_at is not None:
            item.times.append(aware(published_at))


def _add_pypi_versions(
    versions: dict[tuple[str, str, str], _Version],
    pypi_versions: Iterable[tuple[str, str, datetime | None]],
    links: Mapping[str, str],
) -> None:
    linked = {canonicalize_name(package): repo for package, repo in links.items()}
    for package, version, uploaded_at in pypi_versions:
        canonical = canonicalize_name(package)
        try:
            name = str(Version(version))
            same = canonicalize_version(name)
        except InvalidVersion:
            name = same = version
        repo = linked.get(canonical)
        key = ("repo", repo.casefold(), same) if repo else ("package", canonical, same)
        item = versions.setdefault(key, _Version(version=name, repository=repo))
        item.package = item.package or package
        item.on_pypi = True
        if uploaded_at is not None:
            item.times.append(aware(uploaded_at))


def releases_shipped(
    github_releases: Iterable[tuple[str, str, datetime | None]],
    pypi_versions: Iterable[tuple[str, str, datetime | None]],
    links: Mapping[str, str],
    year: int,
    tz: tzinfo,
) -> ReleasesShipped:
    """Versions shipped in `year`: GitHub releases (repository, tag, published at) and PyPI
    versions (package, version, first upload), one version counted once.

    A GitHub release and a PyPI version are the same version when the tag names the same PEP 440
    version and `links` (package -> "owner/name") ties the package to that repository. A version
    counts in the year of its first publication, wherever that was.
    """
    versions: dict[tuple[str, str, str], _Version] = {}
    _add_github_releases(versions, github_releases)
    _add_pypi_versions(versions, pypi_versions, links)
    shipped: list[ShippedVersion] = []
    for item in versions.values():
        if not item.times:
            continue  # a release GitHub gave no date, and nothing else dates it
        first = min(item.times)
        if not in_year(first, year, tz):
            continue
        shipped.append(
            ShippedVersion(
                version=item.version,
                repository=item.repository,
                package=item.package,
                published_at=first.astimezone(tz),
                on_github=item.on_github,
                on_pypi=item.on_pypi,
            )
        )
    shipped.sort(key=lambda v: (v.published_at, (v.repository or v.package or "").casefold()))
    return ReleasesShipped(
        total=len(shipped),
        github=sum(1 for v in shipped if v.on_github),
        pypi=sum(1 for v in shipped if v.on_pypi),
        both=sum(1 for v in shipped if v.on_github and v.on_pypi),
        items=tuple(shipped),
    )


# --- downloads in the year --------------------------------------------------------------------


def downloads_in_year(
    packages: Iterable[tuple[str, Mapping[str, int], str | None]], year: int
) -> DownloadsInYear:
    """Downloads inside `year` per package and in total, from (package, complete months ->
    downloads, source): only the months of the year that are known in full are added up."""
    prefix = f"{year:04d}-"
    found: list[PackageDownloadsInYear] = []
    for package, monthly, source in packages:
        months = tuple(sorted(m for m in monthly if m.startswith(prefix)))
        found.append(
            PackageDownloadsInYear(
                package=package,
                downloads=sum(monthly[m] for m in months) if months else None,
                months=months,
                source=source if months else None,
            )
        )
    known = [p.downloads for p in found if p.downloads is not None]
    return DownloadsInYear(total=sum(known) if known else None, packages=tuple(found))


# --- all of them ------------------------------------------------------------------------------


def highlights_of_year(
    *,
    year: int,
    tz: tzinfo,
    through: date,
    user: str,
    own_organizations: Sequence[str],
    calendar: Mapping[date, int],
    commits: Sequence[tuple[datetime, bool]],
    firsts: Mapping[str, FirstPullRequest],
    reviews_by_repository: Mapping[str, int],
    issues_by_repository: Mapping[str, int],
    github_releases: Iterable[tuple[str, str, datetime | None]],
    pypi_versions: Iterable[tuple[str, str, datetime | None]],
    package_links: Mapping[str, str],
    package_months: Iterable[tuple[str, Mapping[str, int], str | None]],
) -> Highlights:
    """Every highlight of the year, on real work (`commits` are (author date, automated))."""
    real = real_contribution_days(calendar, commits, year=year, tz=tz)
    return Highlights(
        streaks=streaks(real, year, through=through),
        rhythm=rhythm([moment for moment, automated in commits if not automated], real, tz),
        first_contributions=first_contributions(
            firsts, year, tz, user=user, own_organizations=own_organizations
        ),
        given_to_others=given_to_others(
            reviews_by_repository,
            issues_by_repository,
            user=user,
            own_organizations=own_organizations,
        ),
        releases=releases_shipped(github_releases, pypi_versions, package_links, year, tz),
        downloads=downloads_in_year(package_months, year),
    )
