"""The parts of a year the pipeline gathers one by one: packages, projects and highlights.

Each function is one collect or classify step for one part of the report, called once by
`make_report` (devstats/run/make.py); the collect ones are the only ones here that ask upstreams.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from devstats.assemble import YearFigures
from devstats.classify.contributions_to_others import external_repositories
from devstats.classify.highlights import highlights_of_year
from devstats.classify.packages import (
    package_report,
    total_at_previous_year_end,
    version_at_year_end,
)
from devstats.classify.projects import projects_of_year, stars_after_year, stars_gained_in_year
from devstats.collect.github.first_pull_requests import (
    FirstPullRequests,
    fetch_contributions_to_others,
    fetch_first_pull_requests,
)
from devstats.collect.github.stars import ProjectStars, fetch_projects
from devstats.collect.pypi.engines.base import HistorySource
from devstats.collect.pypi.package import collect_package
from devstats.http.client import HttpClient
from devstats.model.facts import (
    ContributionsToOthers,
    Notice,
    PackageReport,
    Progress,
    ProjectOfYear,
    Release,
)
from devstats.model.highlights import Highlights
from devstats.model.notices import notice
from devstats.model.packages import PackageFacts
from devstats.model.report import PackageTotal
from devstats.settings.settings import Settings, require_user
from devstats.store import DownloadHistory

# Packages read at once: about one per host a package asks (PyPI, pypistats.org, the engine).
PACKAGE_WORKERS = 3


def collect_packages(
    settings: Settings,
    *,
    http: HttpClient,
    history: DownloadHistory | None,
    engine: HistorySource | None,
    today: date,
    say: Progress,
) -> list[PackageFacts]:
    """Read every package of the settings; configured baselines are remembered in the store."""
    if history is not None:
        for baseline in settings.baselines:
            history.set_baseline(
                baseline.package,
                mirrors=baseline.mirrors,
                before=baseline.before,
                downloads=baseline.downloads,
                note=baseline.note,
            )

    def one(name: str) -> PackageFacts:
        say(f"collecting PyPI figures of {name}")
        return collect_package(
            http,
            name,
            year=settings.year,
            today=today,
            mirrors=settings.mirrors,
            endpoints=settings.endpoints,
            history=history,
            pepy_api_key=settings.pepy_api_key,
            allow_partial=settings.allow_partial,
            engine=engine,
            fill_only=settings.downloads_source == "auto",
            with_previous=settings.compare,
        )

    # Each package asks PyPI, pypistats.org and the history engine in turn; a few packages at
    # once keep each of those hosts busy (every host still sees one request at a time).
    workers = max(1, min(PACKAGE_WORKERS, len(settings.packages)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="package") as pool:
        reads = [pool.submit(one, name) for name in settings.packages]
        try:
            return [read.result() for read in reads]
        except BaseException:
            for read in reads:  # the first failure ends the run: start no other package
                read.cancel()
            raise


def classify_packages(
    settings: Settings, facts: list[PackageFacts], engine: HistorySource | None
) -> tuple[list[PackageReport], list[Notice]]:
    reports: list[PackageReport] = []
    notices: list[Notice] = []
    for one in facts:
        report, more = package_report(
            one,
            year=settings.year,
            tz=settings.tz,
            include_prereleases=settings.include_prereleases,
            fill_only=settings.downloads_source == "auto",
            rule=engine.comparison if engine else "",
        )
        reports.append(report)
        notices.extend(more)
    return reports, notices


def package_totals(settings: Settings, facts: list[PackageFacts]) -> list[PackageTotal]:
    """Each package's version and all-time downloads as of the previous year's end."""
    year = settings.year - 1
    totals = []
    for one in facts:
        totals.append(
            PackageTotal(
                name=one.project.name or one.name,
                version=version_at_year_end(
                    one.project, year, settings.tz, settings.include_prereleases
                ),
                downloads_total=total_at_previous_year_end(one, settings.year),
            )
        )
    return totals


def _ranking(settings: Settings, packages: list[str]) -> dict[str, Any]:
    return {
        "user": require_user(settings),
        "year": settings.year,
        "tz": settings.tz,
        "top": settings.top_projects,
        "overrides": settings.projects,
        "packages": packages,
        "include_prereleases": settings.include_prereleases,
    }


def read_projects(
    settings: Settings, figures: YearFigures, *, http: HttpClient, say: Progress
) -> dict[str, ProjectStars]:
    """The stars (and releases) of the projects the year lists, by repository.

    The projects are ranked by real commits, which neither stars, releases nor packages change,
    so they are known before the packages are read. Releases come with the history queries
    already; only a listed project whose history was not read (an external one) has its
    releases asked for, beside its stars. The star walks go side by side, ten to a query.
    """
    repositories = {r.name_with_owner: r for r in figures.activity.repositories}
    ranked = projects_of_year(
        figures.classified, repositories, stars_gained={}, releases={}, **_ranking(settings, [])
    )
    names = [project.repository for project in ranked]
    known = figures.activity.releases
    say(f"reading stars and releases of {', '.join(names) or 'no project'}")
    return fetch_projects(
        http,
        settings.endpoints.github_graphql,
        names,
        since=datetime(settings.year, 1, 1, tzinfo=settings.tz),
        releases_of=[name for name in names if name not in known],
    )


def list_projects(
    settings: Settings,
    figures: YearFigures,
    packages: list[PackageReport],
    read: Mapping[str, ProjectStars],
    notices: list[Notice],
) -> tuple[ProjectOfYear, ...]:
    """The projects of the year, with what `read_projects` read. Pure."""
    gained: dict[str, int | None] = {}
    after: dict[str, int | None] = {}
    releases: dict[str, tuple[Release, ...]] = {}
    known = figures.activity.releases
    year, tz = settings.year, settings.tz
    for name, one in read.items():
        gained[name] = stars_gained_in_year(one.star_times, year=year, tz=tz)
        after[name] = stars_after_year(one.star_times, year=year, tz=tz, complete=one.complete)
        if not one.complete:
            notices.append(notice("stars-lower-bound", repository=name, year=str(year)))
        releases[name] = known.get(name, one.releases or ())
    repositories = {r.name_with_owner: r for r in figures.activity.repositories}
    return projects_of_year(
        figures.classified,
        repositories,
        stars_gained=gained,
        releases=releases,
        stars_after=after,
        **_ranking(settings, [p.name for p in packages]),
    )


@dataclass(frozen=True)
class HighlightReads:
    """What only the highlights need from GitHub."""

    others: ContributionsToOthers
    firsts: FirstPullRequests


def read_highlights(
    settings: Settings, figures: YearFigures, *, http: HttpClient, say: Progress
) -> HighlightReads:
    """Collect what only the highlights need (two GitHub requests for most years)."""
    user = require_user(settings)
    graphql = settings.endpoints.github_graphql
    say("reading first contributions and help given to other projects")
    others = fetch_contributions_to_others(
        http, graphql, user=user, year=settings.year, tz=settings.tz
    )
    candidates = external_repositories(
        [
            *(p.repository for p in figures.activity.pull_requests),
            *others.merged_pull_request_repositories,
        ],
        user=user,
        own_organizations=settings.own_organizations,
    )
    firsts = fetch_first_pull_requests(http, graphql, user=user, repositories=candidates)
    return HighlightReads(others, firsts)


def highlights(
    settings: Settings,
    figures: YearFigures,
    facts: list[PackageFacts],
    packages: list[PackageReport],
    projects: tuple[ProjectOfYear, ...],
    read: HighlightReads,
    *,
    now: datetime,
) -> Highlights:
    """Classify the highlights: streaks, rhythm, first contributions, help given, releases,
    downloads. Pure."""
    user = require_user(settings)
    activity = figures.activity
    others, firsts = read.others, read.firsts
    wanted = settings.include_prereleases
    return highlights_of_year(
        year=settings.year,
        tz=settings.tz,
        through=min(date(settings.year, 12, 31), now.astimezone(settings.tz).date() - timedelta(1)),
        user=user,
        own_organizations=settings.own_organizations,
        calendar={d.day: d.count for d in activity.contributions.calendar},
        commits=[(c.commit.authored_at, c.automated) for c in figures.classified],
        firsts=firsts.found,
        reviews_by_repository=others.reviews_by_repository,
        issues_by_repository=others.issues_by_repository,
        github_releases=[
            (r.repository, r.tag, r.published_at)
            for releases in activity.releases.values()
            for r in releases
            if wanted or not r.prerelease
        ],
        pypi_versions=[
            (one.project.name or one.name, r.version, r.uploaded_at)
            for one in facts
            for r in one.project.releases
            if not r.yanked and (wanted or not r.prerelease)
        ],
        package_links={p.package: p.repository for p in projects if p.package},
        package_months=[
            (p.name, p.downloads.monthly, p.downloads.source) for p in packages if p.downloads
        ],
    )
