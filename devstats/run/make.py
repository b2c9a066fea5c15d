"""Making a report: collect → classify → assemble, with the services around them.

`make_report` reads top to bottom like that list. Collect functions are the only ones that ask
upstreams; classify and assemble are pure. `make_with_services` opens the services (HTTP, the
download store, the history engine) for it, and keeps the report for a rerun when it may be kept
(`devstats/run/kept.py`). This module loads the HTTP stack; `pipeline.run` imports it only
when a report has to be made.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

import msgspec

from devstats.assemble import YearFigures, assemble, previous_year
from devstats.classify.automation import classify_commits, summarize
from devstats.classify.projects import (
    languages_of_year,
    new_languages,
)
from devstats.classify.pulls import external_pull_requests
from devstats.collect.events.clickhouse import ClickHouseEvents
from devstats.collect.github.activity import collect_github_activity
from devstats.collect.pypi.engines.base import HistorySource
from devstats.http.client import HttpClient, HttpStats
from devstats.model.facts import Progress
from devstats.model.report import Report
from devstats.run.kept import ReportKeeper
from devstats.run.services import open_services
from devstats.run.steps import (
    classify_packages,
    collect_packages,
    highlights,
    list_projects,
    package_totals,
    read_help_given,
    read_highlights,
    read_projects,
    received,
)
from devstats.settings.settings import Settings, automation_rules, require_user
from devstats.store import DownloadHistory


@dataclasses.dataclass(frozen=True)
class Made:
    """The report, the classified commits behind it (for --explain), and what it cost."""

    report: Report
    figures: YearFigures
    summary: str = ""  # the requests it took, for --verbose


def make_report(
    settings: Settings,
    *,
    http: HttpClient,
    history: DownloadHistory | None,
    engine: HistorySource | None = None,
    now: datetime,
    say: Progress,
) -> Made:
    """Collect, classify and assemble one user's year (and the previous one with --compare)."""
    require_user(settings)
    # Download days are UTC days: a day is over, and can be counted, when it has ended in UTC.
    today = now.astimezone(UTC).date()
    # PyPI, pypistats.org and the history engine are other hosts than GitHub: they are asked
    # alongside the GitHub lane, which stays serial as GitHub asks.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="packages") as lane:
        packages_read = lane.submit(
            collect_packages,
            settings,
            http=http,
            history=history,
            engine=engine,
            today=today,
            say=say,
        )
        figures = year_figures(settings, settings.year, http=http, now=now, say=say)
        # The rest of the GitHub lane does not wait for the packages.
        events = ClickHouseEvents(http, settings.endpoints.clickhouse)
        stars = read_projects(settings, figures, http=http, events=events, say=say)
        firsts = read_highlights(settings, figures, http=http, say=say)
        earlier = before = None  # last year's figures (and help given: where the work went)
        if settings.compare:
            earlier = year_figures(settings, settings.year - 1, http=http, now=now, say=say)
            before = earlier, read_help_given(settings, earlier, http=http)
        facts = packages_read.result()
    packages, notices = classify_packages(settings, facts, engine)
    projects = list_projects(settings, figures, packages, stars, notices)
    found = highlights(settings, figures, facts, packages, projects, firsts, now=now)
    given = received(settings, figures, stars, projects, firsts, earlier=before)
    report = assemble(
        figures,
        timezone=settings.timezone,
        generated_at=now,
        packages=packages,
        projects=projects,
        new_languages=new_languages(figures.languages, earlier.languages) if earlier else (),
        notices=[*figures.activity.warnings, *notices],
        previous=previous_year(earlier, package_totals(settings, facts)) if earlier else None,
        highlights=found,
    )
    report = msgspec.structs.replace(report, received=given)
    return Made(report=report, figures=figures)


def year_figures(
    settings: Settings, year: int, *, http: HttpClient, now: datetime, say: Progress
) -> YearFigures:
    """Collect one year of GitHub activity and classify it."""
    user = require_user(settings)
    rules = automation_rules(settings)  # checked before any request
    say(f"collecting GitHub activity of {user} for {year}")
    activity = collect_github_activity(
        http,
        user=user,
        year=year,
        tz=settings.tz,
        graphql_url=settings.endpoints.github_graphql,
        progress=say,
        now=now,
    )
    classified = classify_commits(activity.commits, rules, tz=settings.tz)
    repositories = {r.name_with_owner: r for r in activity.repositories}
    return YearFigures(
        year=year,
        activity=activity,
        classified=classified,
        commits=summarize(classified),
        external=external_pull_requests(
            activity.pull_requests,
            repositories,
            user=user,
            own_organizations=settings.own_organizations,
        ),
        languages=languages_of_year(classified, repositories),
    )


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
    settings: Settings, env: Mapping[str, str], say: Progress, keeper: ReportKeeper | None
) -> Made:
    """Open the services, make the report, and keep it for a rerun when `keeper` may."""
    token = keeper.token if keeper is not None else None  # `gh auth token` is asked once
    with open_services(settings, env, token=token) as services, _few_collections():
        made = make_report(
            settings,
            http=services.http,
            history=services.history,
            engine=services.engine,
            now=services.now,
            say=say,
        )
        answers = services.answers
        if keeper is not None and answers is not None and answers.stats.all_kept:
            keeper.save(
                made.report,
                services.now,
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
