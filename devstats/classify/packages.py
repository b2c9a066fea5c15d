"""One package's figures for the year, from the facts collected about it. Pure.

Version and releases are PyPI's release list read as of the year's end in the report's time
zone; the downloads are devstats/classify/downloads.py's.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from devstats.classify.downloads import all_time_total, year_downloads
from devstats.model.facts import Notice, PackageReport
from devstats.model.packages import PackageFacts, PackageRelease, PyPIProject, parse_version


def _eligible(release: PackageRelease, include_prereleases: bool) -> bool:
    return not release.yanked and (include_prereleases or not release.prerelease)


def _year_bounds(year: int, tz: tzinfo) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def version_at_year_end(
    project: PyPIProject, year: int, tz: tzinfo, include_prereleases: bool = False
) -> str | None:
    """The newest installable version uploaded before the year ended in `tz`.

    "Newest" is by PEP 440 ordering, not by upload time: a 1.9.1 bug-fix uploaded after 2.0.0
    does not make 1.9.1 the current version. Yanked releases and (unless asked for)
    pre-releases are skipped; legacy versions that cannot be ordered are never chosen.
    """
    _, end = _year_bounds(year, tz)
    candidates = [
        (parsed, release.version)
        for release in project.releases
        if release.uploaded_at < end
        and _eligible(release, include_prereleases)
        and (parsed := parse_version(release.version)) is not None
    ]
    return max(candidates)[1] if candidates else None


def releases_in_year(
    project: PyPIProject, year: int, tz: tzinfo, include_prereleases: bool = False
) -> int:
    """How many installable releases were uploaded during the year in `tz` (yanked ones skipped)."""
    start, end = _year_bounds(year, tz)
    return sum(
        1
        for release in project.releases
        if start <= release.uploaded_at < end and _eligible(release, include_prereleases)
    )


def package_report(
    facts: PackageFacts,
    *,
    year: int,
    tz: tzinfo,
    include_prereleases: bool,
    fill_only: bool = True,
    rule: str = "",
) -> tuple[PackageReport, list[Notice]]:
    """The package's figures for the year, and notices about what is not known."""
    project = facts.project
    downloads, notices = year_downloads(facts, year, fill_only=fill_only, rule=rule)
    return PackageReport(
        name=project.name or facts.name,
        url=project.url,
        version=version_at_year_end(project, year, tz, include_prereleases),
        releases_in_year=releases_in_year(project, year, tz, include_prereleases),
        downloads=downloads,
    ), [*facts.notices, *notices]


def total_at_previous_year_end(facts: PackageFacts, year: int) -> int | None:
    """All-time downloads at the end of `year` - 1, for --compare."""
    if facts.unavailable:
        return None
    if facts.engine is not None and facts.engine.previous_total is not None:
        return facts.engine.previous_total.downloads
    total, _ = all_time_total(facts, date(year - 1, 12, 31))
    return total.downloads if total else None
