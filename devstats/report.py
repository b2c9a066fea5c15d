"""Builds the Report: calls the collectors, then the classifiers. No rendering, no printing."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from devstats.classify.automation import AutomationRules, classify_commits, summarize
from devstats.classify.cadence import CadenceRules
from devstats.classify.projects import (
    languages_of_year,
    new_languages,
    projects_of_year,
    stars_gained_in_year,
)
from devstats.classify.pulls import external_pull_requests
from devstats.collect.github import collect_github_activity
from devstats.collect.stargazers import fetch_releases, fetch_star_times
from devstats.config import Settings, require_user
from devstats.errors import UsageError
from devstats.history import DownloadHistory
from devstats.http import HttpClient
from devstats.models import (
    CalendarDay,
    ClassifiedCommit,
    ContributionTotals,
    Notice,
    PackageReport,
    ProjectOfYear,
    Release,
    Report,
)
from devstats.notices import notice
from devstats.packages import PackageOptions, build_package_report

Progress = Callable[[str], None]


def automation_rules(settings: Settings) -> AutomationRules:
    known = {f.name for f in dataclasses.fields(CadenceRules)}
    for key in settings.cadence:
        if key not in known:
            raise UsageError(
                f"unknown setting 'cadence.{key}'", hint=f"known: {', '.join(sorted(known))}"
            )
    return AutomationRules(
        exclude_repositories=settings.exclude_repos,
        bot_accounts=settings.bot_accounts,
        message_patterns=settings.automated_message_patterns,
        cadence=CadenceRules(**settings.cadence),
    )


def automated_calendar(classified: tuple[ClassifiedCommit, ...]) -> tuple[CalendarDay, ...]:
    """Automated commits per day, bucketed like the profile calendar (author date, UTC day)."""
    per_day = Counter(
        c.commit.authored_at.astimezone(UTC).date() for c in classified if c.automated
    )
    return tuple(CalendarDay(day, n) for day, n in sorted(per_day.items()))


def build_report(
    settings: Settings,
    *,
    http: HttpClient,
    now: datetime,
    history: DownloadHistory | None = None,
    pepy_api_key: str | None = None,
    progress: Progress | None = None,
    with_previous: bool | None = None,
) -> Report:
    user = require_user(settings)
    tz = settings.tz
    # Built before any request, so a bad [cadence] table fails before the collection, not after.
    rules = automation_rules(settings)
    say = progress or (lambda _message: None)
    say(f"collecting GitHub activity of {user} for {settings.year}")
    activity = collect_github_activity(
        http,
        user=user,
        year=settings.year,
        tz=tz,
        graphql_url=settings.endpoints.github_graphql,
        progress=say,
    )
    classified = classify_commits(activity.commits, rules, tz=tz)
    commits = summarize(classified)
    repositories = {r.name_with_owner: r for r in activity.repositories}
    external = external_pull_requests(
        activity.pull_requests,
        repositories,
        user=user,
        own_organizations=settings.own_organizations,
    )
    warnings: list[Notice] = list(activity.warnings)
    packages: list[PackageReport] = []
    # Download days are UTC days: a day is over, and can be counted, when it has ended in UTC.
    today = now.astimezone(UTC).date()
    options = PackageOptions(
        pypi_url=settings.endpoints.pypi,
        pypistats_url=settings.endpoints.pypistats,
        pepy_url=settings.endpoints.pepy,
        mirrors=settings.mirrors,
        include_prereleases=settings.include_prereleases,
        allow_partial=settings.allow_partial,
    )
    for baseline in settings.baselines:
        if history is not None:
            history.set_baseline(
                baseline.package,
                mirrors=baseline.mirrors,
                before=baseline.before,
                downloads=baseline.downloads,
                note=baseline.note,
            )
    for name in settings.packages:
        say(f"collecting PyPI figures of {name}")
        package, package_warnings = build_package_report(
            http,
            name,
            year=settings.year,
            tz=tz,
            today=today,
            options=options,
            history=history,
            pepy_api_key=pepy_api_key,
        )
        packages.append(package)
        warnings.extend(package_warnings)
    c = activity.contributions
    previous = None
    if settings.compare if with_previous is None else with_previous:
        say(f"collecting {settings.year - 1} for comparison")
        previous = build_report(
            dataclasses.replace(settings, year=settings.year - 1),
            http=http,
            now=now,
            history=history,
            pepy_api_key=pepy_api_key,
            progress=progress,
            with_previous=False,
        )
    projects = _projects(
        settings, http, classified, repositories, activity.releases, packages, warnings, say
    )
    languages = languages_of_year(classified, repositories)
    new = new_languages(languages, previous.languages) if previous is not None else ()
    return Report(
        user=activity.user,
        year=settings.year,
        timezone=settings.timezone,
        generated_at=now,
        contributions=ContributionTotals(
            total=c.total,
            commits=c.commits,
            pull_requests=c.pull_requests,
            issues=c.issues,
            reviews=c.reviews,
            restricted=c.restricted,
        ),
        calendar=c.calendar,
        automated_calendar=automated_calendar(classified),
        commits=commits,
        classified_commits=classified,
        external_pull_requests=external,
        packages=tuple(packages),
        warnings=tuple(warnings),
        previous=previous,
        projects=projects,
        languages=languages,
        new_languages=new,
    )


def _projects(
    settings: Settings,
    http: HttpClient,
    classified: tuple[ClassifiedCommit, ...],
    repositories: dict[str, Any],
    known_releases: Mapping[str, tuple[Release, ...]],
    packages: list[PackageReport],
    warnings: list[Notice],
    say: Progress,
) -> tuple[ProjectOfYear, ...]:
    """Rank first (stars and releases do not change the order), then read stars for the top N.

    Releases come with the history queries already; only a listed project whose history was
    not read (an external one) costs a releases request.
    """
    assert settings.user is not None
    tz = settings.tz
    common: dict[str, Any] = {
        "user": settings.user,
        "year": settings.year,
        "tz": tz,
        "top": settings.top_projects,
        "overrides": settings.projects,
        "packages": [p.name for p in packages],
        "include_prereleases": settings.include_prereleases,
    }
    ranked = projects_of_year(classified, repositories, stars_gained={}, releases={}, **common)
    gained: dict[str, int | None] = {}
    releases: dict[str, tuple[Release, ...]] = {}
    since = datetime(settings.year, 1, 1, tzinfo=tz)
    for project in ranked:
        say(f"reading stars and releases of {project.repository}")
        times, complete = fetch_star_times(
            http, settings.endpoints.github_graphql, project.repository, since=since
        )
        gained[project.repository] = stars_gained_in_year(times, year=settings.year, tz=tz)
        if not complete:
            warnings.append(
                notice("stars-lower-bound", repository=project.repository, year=str(settings.year))
            )
        if project.repository in known_releases:
            releases[project.repository] = known_releases[project.repository]
        else:
            releases[project.repository] = tuple(
                fetch_releases(http, settings.endpoints.github_graphql, project.repository)
            )
    return projects_of_year(
        classified, repositories, stars_gained=gained, releases=releases, **common
    )
