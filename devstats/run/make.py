"""Making a report: each part's collect-then-classify, once, in one place; then assemble.

`make_report` reads top to bottom like that: the packages are read on a lane of their own (PyPI,
pypistats.org and the history engine are other hosts than GitHub), the GitHub lane reads the year,
the projects' stars and what only the highlights need, then each part is classified and the report
assembled. Collect functions are the only ones here that ask upstreams; classify and assemble are
pure. The steps take what they need (`Asked`: the year, the user, the time zone, the run's "now",
the few options a part reads), never the whole settings: `asked_of` is the one place that reads
them. `make_with_services` opens the services (HTTP, the download store, the history engine) for
`make_report`, and keeps the report for a rerun when it may be kept (`devstats/run/kept.py`). This
module loads the HTTP stack; `pipeline.run` imports it only when a report has to be made.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec

from devstats.assemble import assemble, previous_year
from devstats.classify.automation import classify_commits, summarize
from devstats.classify.contributions_to_others import external_repositories
from devstats.classify.highlights import highlights_of_year
from devstats.classify.packages import (
    package_report,
    total_at_previous_year_end,
    version_at_year_end,
)
from devstats.classify.projects import (
    languages_of_year,
    new_languages,
    projects_of_year,
    stars_after_year,
    stars_gained_in_year,
)
from devstats.classify.pulls import external_pull_requests
from devstats.classify.received import received_of_year
from devstats.classify.timezone import infer_zone
from devstats.collect.events.clickhouse import ClickHouseEvents
from devstats.collect.events.plan import EventSource, EventsRead, read_events
from devstats.collect.github.activity import collect_github_activity
from devstats.collect.github.first_pull_requests import (
    FirstPullRequests,
    fetch_contributions_to_others,
    fetch_first_pull_requests,
)
from devstats.collect.github.releases import fetch_releases
from devstats.collect.github.stars import ProjectStars, fetch_projects
from devstats.collect.pypi.engines.base import HistorySource
from devstats.collect.pypi.package import collect_package
from devstats.http.client import HttpClient, HttpStats
from devstats.model.events import Received
from devstats.model.facts import (
    ContributionsToOthers,
    GitHubActivity,
    Notice,
    PackageReport,
    Progress,
    ProjectOfYear,
    Release,
)
from devstats.model.highlights import Highlights
from devstats.model.local_time import ZONE_GIVEN, LocalZone
from devstats.model.notices import notice
from devstats.model.packages import PackageFacts
from devstats.model.report import PackageTotal, Report
from devstats.model.year import YearFigures
from devstats.run.asked import Asked, asked_of
from devstats.run.kept import ReportKeeper
from devstats.run.services import open_services
from devstats.settings.settings import Settings
from devstats.store import DownloadHistory

# Packages read at once: about one per host a package asks (PyPI, pypistats.org, the engine).
PACKAGE_WORKERS = 3

# --- the report: collect, classify, assemble ----------------------------------------------


@dataclasses.dataclass(frozen=True)
class Made:
    """The report, the classified commits behind it (for --explain), and what it cost."""

    report: Report
    figures: YearFigures
    summary: str = ""  # the requests it took, for --verbose


@dataclasses.dataclass(frozen=True)
class HighlightReads:
    """What only the highlights need from GitHub."""

    others: ContributionsToOthers
    firsts: FirstPullRequests


def make_report(
    asked: Asked,
    *,
    http: HttpClient,
    history: DownloadHistory | None,
    engine: HistorySource | None = None,
    say: Progress,
) -> Made:
    """Collect, classify and assemble one user's year (and the previous one with --compare)."""
    # Download days are UTC days: a day is over, and can be counted, when it has ended in UTC.
    today = asked.now.astimezone(UTC).date()
    # PyPI, pypistats.org and the history engine are other hosts than GitHub: they are asked
    # alongside the GitHub lane, which stays serial as GitHub asks.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="packages") as lane:
        packages_read = lane.submit(
            collect_packages, asked, http=http, history=history, engine=engine, today=today, say=say
        )
        figures = year_figures(asked, asked.year, http=http, say=say)
        # From here on the year's days and hours are the local zone's.
        zone = local_zone(asked, figures, say)
        local = dataclasses.replace(asked, timezone=zone.name)
        figures = in_zone(local, figures, asked)
        # The rest of the GitHub lane does not wait for the packages.
        events = ClickHouseEvents(http, asked.clickhouse_url)
        stars = read_projects(local, figures, http=http, events=events, say=say)
        firsts = read_highlights(local, figures, http=http, say=say)
        earlier = before = None  # last year's figures (and help given: where the work went)
        if asked.compare:
            earlier = in_zone(local, year_figures(asked, asked.year - 1, http=http, say=say), asked)
            before = (
                earlier,
                fetch_contributions_to_others(
                    http, asked.graphql_url, user=asked.user, year=earlier.year, tz=local.tz
                ),
            )
        facts = packages_read.result()
    packages, notices = classify_packages(local, facts, engine)
    projects = list_projects(local, figures, packages, stars, notices)
    found = highlights(local, figures, facts, packages, projects, firsts)
    given = received(local, figures, stars, projects, firsts.others, earlier=before)
    report = assemble(
        figures,
        timezone=local.timezone,
        time_zone=zone,
        generated_at=asked.now,
        packages=packages,
        projects=projects,
        new_languages=new_languages(figures.languages, earlier.languages) if earlier else (),
        notices=[*figures.activity.warnings, *notices],
        previous=previous_year(earlier, package_totals(asked, facts)) if earlier else None,
        highlights=found,
    )
    return Made(report=msgspec.structs.replace(report, received=given), figures=figures)


def year_figures(asked: Asked, year: int, *, http: HttpClient, say: Progress) -> YearFigures:
    """Collect one year of GitHub activity and classify it."""
    say(f"collecting GitHub activity of {asked.user} for {year}")
    activity = collect_github_activity(
        http,
        user=asked.user,
        year=year,
        tz=asked.tz,
        graphql_url=asked.graphql_url,
        progress=say,
        now=asked.now,
    )
    return classified_year(asked, year, activity)


def local_zone(asked: Asked, figures: YearFigures, say: Progress) -> LocalZone:
    """The zone the report places days and hours in: the one asked for, or the one the user's
    own commits (not the automated ones: a scheduled job's clock is not the author's) were
    written in."""
    if not asked.infer_zone:
        return LocalZone(name=asked.timezone, decided_by=ZONE_GIVEN)
    zone = infer_zone(c.commit.authored_at for c in figures.classified if not c.automated)
    say(f"time zone {zone.name} ({zone.decided_by}: {zone.matched} of {zone.commits} commits)")
    return zone


def in_zone(local: Asked, figures: YearFigures, collected: Asked) -> YearFigures:
    """The year classified again in the local zone, when it is not the one it was collected in:
    a schedule on the author's own clock is then told apart as it would be with --timezone."""
    if local.timezone == collected.timezone:
        return figures
    return classified_year(local, figures.year, figures.activity)


def classified_year(asked: Asked, year: int, activity: GitHubActivity) -> YearFigures:
    """One year's GitHub activity classified in `asked`'s zone. Pure."""
    classified = classify_commits(activity.commits, asked.rules, tz=asked.tz)
    repositories = {r.name_with_owner: r for r in activity.repositories}
    return YearFigures(
        year=year,
        activity=activity,
        classified=classified,
        commits=summarize(classified),
        external=external_pull_requests(
            activity.pull_requests,
            repositories,
            user=asked.user,
            own_organizations=asked.own_organizations,
        ),
        languages=languages_of_year(classified, repositories),
    )


# --- packages ---------------------------------------------------------------------------------


def collect_packages(
    asked: Asked,
    *,
    http: HttpClient,
    history: DownloadHistory | None,
    engine: HistorySource | None,
    today: date,
    say: Progress,
) -> list[PackageFacts]:
    """Read every package asked for; configured baselines are remembered in the store."""
    wanted = asked.packages
    if history is not None:
        for baseline in wanted.baselines:
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
            year=asked.year,
            today=today,
            mirrors=wanted.mirrors,
            endpoints=wanted.endpoints,
            history=history,
            pepy_api_key=wanted.pepy_api_key,
            allow_partial=wanted.allow_partial,
            engine=engine,
            fill_only=wanted.fill_only,
            with_previous=asked.compare,
        )

    # Each package asks PyPI, pypistats.org and the history engine in turn; a few packages at
    # once keep each of those hosts busy (every host still sees one request at a time).
    workers = max(1, min(PACKAGE_WORKERS, len(wanted.names)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="package") as pool:
        reads = [pool.submit(one, name) for name in wanted.names]
        try:
            return [read.result() for read in reads]
        except BaseException:
            for read in reads:  # the first failure ends the run: start no other package
                read.cancel()
            raise


def classify_packages(
    asked: Asked, facts: list[PackageFacts], engine: HistorySource | None
) -> tuple[list[PackageReport], list[Notice]]:
    reports: list[PackageReport] = []
    notices: list[Notice] = []
    for one in facts:
        report, more = package_report(
            one,
            year=asked.year,
            tz=asked.tz,
            include_prereleases=asked.include_prereleases,
            fill_only=asked.packages.fill_only,
            rule=engine.comparison if engine else "",
        )
        reports.append(report)
        notices.extend(more)
    return reports, notices


def package_totals(asked: Asked, facts: list[PackageFacts]) -> list[PackageTotal]:
    """Each package's version and all-time downloads as of the previous year's end."""
    year = asked.year - 1
    totals = []
    for one in facts:
        totals.append(
            PackageTotal(
                name=one.project.name or one.name,
                version=version_at_year_end(one.project, year, asked.tz, asked.include_prereleases),
                downloads_total=total_at_previous_year_end(one, asked.year),
            )
        )
    return totals


# --- projects ---------------------------------------------------------------------------------


def _ranking(asked: Asked, packages: list[str]) -> dict[str, Any]:
    return {
        "user": asked.user,
        "year": asked.year,
        "tz": asked.tz,
        "top": asked.top_projects,
        "overrides": asked.project_overrides,
        "packages": packages,
        "include_prereleases": asked.include_prereleases,
    }


@dataclasses.dataclass(frozen=True)
class ProjectReads:
    """The listed projects' stars (and releases) from GitHub, and what the event history said."""

    stars: dict[str, ProjectStars]
    events: EventsRead
    from_history: bool  # the stars come from the event history


def read_projects(
    asked: Asked,
    figures: YearFigures,
    *,
    http: HttpClient,
    events: EventSource | None,
    say: Progress,
) -> ProjectReads:
    """The stars (and releases) of the projects the year lists, by repository.

    The projects are ranked by real commits, so they are known before the packages are read.
    The event history is asked once for all of them (devstats/collect/events/plan.py); where
    it does not answer for the stars, GitHub's stargazer walks go side by side, ten to a query.
    Only a listed project whose history was not read has its releases asked for.
    """
    repositories = {r.name_with_owner: r for r in figures.activity.repositories}
    ranked = projects_of_year(
        figures.classified, repositories, stars_gained={}, releases={}, **_ranking(asked, [])
    )
    names = [project.repository for project in ranked]
    unknown = [name for name in names if name not in figures.activity.releases]
    if asked.events_source != "github" and names:
        say(f"reading GitHub's event history of {', '.join(names)}")
    read = read_events(events, asked.events_source, names, year=asked.year, tz=asked.tz)
    if not read.stars_from_github:
        ask = asked.graphql_url
        alone = {n: ProjectStars(n, (), True, fetch_releases(http, ask, n)) for n in unknown}
        return ProjectReads(alone, read, from_history=read.events is not None)
    say(f"reading stars and releases of {', '.join(names) or 'no project'}")
    stars = fetch_projects(
        http,
        asked.graphql_url,
        names,
        since=datetime(asked.year, 1, 1, tzinfo=asked.tz),
        releases_of=unknown,
    )
    return ProjectReads(stars, read, from_history=False)


def list_projects(
    asked: Asked,
    figures: YearFigures,
    packages: list[PackageReport],
    read: ProjectReads,
    notices: list[Notice],
) -> tuple[ProjectOfYear, ...]:
    """The projects of the year, with what `read_projects` read. Pure."""
    gained: dict[str, int | None] = {}
    after: dict[str, int | None] = {}
    releases: dict[str, tuple[Release, ...]] = {}
    known = figures.activity.releases
    year, tz = asked.year, asked.tz
    notices.extend(read.events.notices)
    if (history := read.events.events) is not None and read.from_history:
        star_people = {s.repository: (s.people, s.later_people) for s in history.stars}
        for name in history.repositories:
            gained[name], after[name] = star_people.get(name, (0, 0))
            releases[name] = known.get(name, ())
    for name, one in read.stars.items():
        releases[name] = known.get(name, one.releases or ())
        if read.from_history:
            continue
        gained[name] = stars_gained_in_year(one.star_times, year=year, tz=tz)
        after[name] = stars_after_year(one.star_times, year=year, tz=tz, complete=one.complete)
        if not one.complete:
            notices.append(notice("stars-lower-bound", repository=name, year=str(year)))
    repositories = {r.name_with_owner: r for r in figures.activity.repositories}
    return projects_of_year(
        figures.classified,
        repositories,
        stars_gained=gained,
        releases=releases,
        stars_after=after,
        **_ranking(asked, [p.name for p in packages]),
    )


# --- highlights -------------------------------------------------------------------------------


def read_highlights(
    asked: Asked, figures: YearFigures, *, http: HttpClient, say: Progress
) -> HighlightReads:
    """Collect what only the highlights need (two GitHub requests for most years)."""
    say("reading first contributions and help given to other projects")
    others = fetch_contributions_to_others(
        http, asked.graphql_url, user=asked.user, year=asked.year, tz=asked.tz
    )
    candidates = external_repositories(
        [
            *(p.repository for p in figures.activity.pull_requests),
            *others.merged_pull_request_repositories,
        ],
        user=asked.user,
        own_organizations=asked.own_organizations,
    )
    firsts = fetch_first_pull_requests(
        http, asked.graphql_url, user=asked.user, repositories=candidates
    )
    return HighlightReads(others, firsts)


def highlights(
    asked: Asked,
    figures: YearFigures,
    facts: list[PackageFacts],
    packages: list[PackageReport],
    projects: tuple[ProjectOfYear, ...],
    read: HighlightReads,
) -> Highlights:
    """Classify the highlights: streaks, rhythm, first contributions, help given, releases,
    downloads. Pure."""
    activity = figures.activity
    others, firsts = read.others, read.firsts
    wanted, year, tz = asked.include_prereleases, asked.year, asked.tz
    return highlights_of_year(
        year=year,
        tz=tz,
        through=min(date(year, 12, 31), asked.now.astimezone(tz).date() - timedelta(1)),
        user=asked.user,
        own_organizations=asked.own_organizations,
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


# --- what others did with the projects, and where the work went -------------------------------


def received(
    asked: Asked,
    figures: YearFigures,
    read: ProjectReads,
    projects: tuple[ProjectOfYear, ...],
    others: ContributionsToOthers,
    *,
    earlier: tuple[YearFigures, ContributionsToOthers] | None,
) -> Received:
    """What others did with the listed projects, and where the user's work went. Pure."""
    walks = {name: (one.star_times, one.complete) for name, one in read.stars.items()}
    read_releases = {name: one.releases or () for name, one in read.stars.items()}
    known = figures.activity.releases
    return received_of_year(
        year=asked.year,
        tz=asked.tz,
        user=asked.user,
        own_organizations=asked.own_organizations,
        bot_accounts=asked.rules.bot_accounts,
        events=read.events.events,
        stargazers=None if read.from_history else walks,
        complete_through=read.events.complete_through,
        releases={
            p.repository: known.get(p.repository) or read_releases.get(p.repository, ())
            for p in projects
        },
        work=(figures.activity.pull_requests, others),
        work_last_year=(
            (earlier[0].year, earlier[0].activity.pull_requests, earlier[1]) if earlier else None
        ),
    )


# --- the services around it -------------------------------------------------------------------


@contextmanager
def _few_collections() -> Iterator[None]:
    """A run keeps nearly everything it reads until it ends (a year's commits, their answers):
    the cycle collector's passes over them free nothing and cost a tenth of a rerun's time, so
    they are made a hundred times rarer while the report is made."""
    before = gc.get_threshold()
    gc.set_threshold(before[0] * 100, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def make_with_services(
    settings: Settings,
    env: Mapping[str, str],
    say: Progress,
    keeper: ReportKeeper | None,
    *,
    now: datetime,
) -> Made:
    """Open the services, make the report as of `now`, and keep it for a rerun when `keeper`
    may."""
    token = keeper.token if keeper is not None else None  # `gh auth token` is asked once
    with open_services(settings, env, now=now, token=token) as services, _few_collections():
        made = make_report(
            asked_of(settings, now),
            http=services.http,
            history=services.history,
            engine=services.engine,
            say=say,
        )
        answers = services.answers
        if keeper is not None and answers is not None and answers.stats.all_kept:
            keeper.save(
                made.report,
                now,
                fresh_until=answers.stats.fresh_until,
                inputs=answers.stats.inputs,
                store=services.history,
            )
        summary = _request_summary(services.http.stats, made.report)
    return dataclasses.replace(made, summary=summary)


def _request_summary(stats: HttpStats, report: Report) -> str:
    hosts = ", ".join(f"{h}: {n}" for h, n in sorted(stats.by_host.items()))
    billed = sum(p.downloads.bytes_billed or 0 for p in report.packages if p.downloads)
    return (
        f"{stats.requests} requests ({hosts}), {stats.cache_hits} from the cache, "
        f"GraphQL cost {stats.graphql_cost}, {stats.retries} retries"
        + (f", BigQuery billed {billed:,} bytes" if billed else "")
    )
