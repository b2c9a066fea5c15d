"""One report, one way through: collect → classify → assemble → render → publish.

`make_report` reads top to bottom like that list; `run` adds the services (HTTP, the download
store) around it and the two ends, rendering and publishing. Collect functions are the only ones
that ask upstreams; classify and assemble are pure; render returns text; publish writes.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

import msgspec

from devstats.assemble import YearFigures, assemble, previous_year
from devstats.classify.automation import classify_commits, summarize
from devstats.classify.explain import explain_automated
from devstats.classify.projects import (
    languages_of_year,
    new_languages,
)
from devstats.classify.pulls import external_pull_requests
from devstats.collect.github import collect_github_activity
from devstats.collect.history_source import HistorySource
from devstats.config import Settings, automation_rules, require_user
from devstats.history import DownloadHistory
from devstats.http import HttpClient, HttpStats
from devstats.models import Notice
from devstats.notices import english_value
from devstats.publish.outputs import OutputPlan, plan_outputs, publish
from devstats.render.assets import asset_files, linked_extension
from devstats.render.labels import BY_CODE, Language
from devstats.render.markdown import render_markdown
from devstats.render.pictures import pictures
from devstats.render.png import require_renderer
from devstats.report import Report, to_json
from devstats.services import open_services
from devstats.steps import (
    classify_packages,
    collect_packages,
    highlights,
    list_projects,
    package_totals,
    read_highlights,
    read_projects,
)

Progress = Callable[[str], None]


@dataclasses.dataclass(frozen=True)
class Made:
    """The report, and the classified commits behind it (for --explain)."""

    report: Report
    figures: YearFigures


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
        figures = year_figures(settings, settings.year, http=http, say=say)
        # The rest of the GitHub lane does not wait for the packages.
        stars = read_projects(settings, figures, http=http, say=say)
        firsts = read_highlights(settings, figures, http=http, say=say)
        earlier = None
        if settings.compare:
            earlier = year_figures(settings, settings.year - 1, http=http, say=say)
        facts = packages_read.result()
    packages, notices = classify_packages(settings, facts, engine)
    projects = list_projects(settings, figures, packages, stars, notices)
    found = highlights(settings, figures, facts, packages, projects, firsts, now=now)
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
    return Made(report=report, figures=figures)


def year_figures(settings: Settings, year: int, *, http: HttpClient, say: Progress) -> YearFigures:
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


# --- the whole run: services, then the steps, then render and publish ------------------------


@dataclasses.dataclass(frozen=True)
class Rendered:
    """Everything a run writes, as text: the main output, the JSON copy, the pictures."""

    main: str
    json: str | None
    pictures: dict[str, bytes]  # file name inside --assets ("heatmap-light.svg") -> content


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


def run(settings: Settings, env: Mapping[str, str], progress: Progress) -> int:
    """Collect, classify, assemble, render and publish one report; return the exit code."""
    require_user(settings)  # before the token: it is the first thing to fix, and needs no network
    # Every output is checked before the first request: a bad target fails in a second.
    plan = plan_outputs(
        output=settings.output,
        json_output=settings.json_output,
        inject=settings.inject,
        marker=settings.marker,
        assets=settings.assets,
        format=settings.format,
    )
    if plan.assets is not None and settings.assets_format != "svg":
        require_renderer()  # before collecting: a missing extra should not cost a whole run
    with open_services(settings, env) as services, _few_collections():
        made = make_report(
            settings,
            http=services.http,
            history=services.history,
            engine=services.engine,
            now=services.now,
            say=progress,
        )
        stats = services.http.stats
    if settings.verbose:
        print(f"devstats: {_request_summary(stats, made.report)}", file=sys.stderr)
    if settings.explain:
        print(explain_automated(made.figures.classified, tz=settings.tz), file=sys.stderr)
    for line in operator_lines(made.report, env):
        print(line, file=sys.stderr)
    rendered = render(made.report, settings, plan)
    told = publish(plan, main_text=rendered.main, json_text=rendered.json, assets=rendered.pictures)
    for message in told:
        print(f"devstats: {message}", file=sys.stderr)
    return 0


def _request_summary(stats: HttpStats, report: Report) -> str:
    hosts = ", ".join(f"{h}: {n}" for h, n in sorted(stats.by_host.items()))
    billed = sum(p.downloads.bytes_billed or 0 for p in report.packages if p.downloads)
    return (
        f"{stats.requests} requests ({hosts}), {stats.cache_hits} from the cache, "
        f"GraphQL cost {stats.graphql_cost}, {stats.retries} retries"
        + (f", BigQuery billed {billed:,} bytes" if billed else "")
    )


def render(report: Report, settings: Settings, plan: OutputPlan) -> Rendered:
    """The run's outputs as text and bytes. Pure."""
    drawn = pictures(report, lang=settings.lang) if plan.assets is not None else {}
    if settings.format == "json":
        main = to_json(report)
    else:
        extension = linked_extension(settings.assets_format)
        links = {name: plan.asset_link(f"{name}.{extension}") for name in drawn}
        post = for_the_post(report, settings.notes)
        main = render_markdown(post, lang=settings.lang, template=settings.template, assets=links)
    return Rendered(
        main=main,
        json=to_json(report) if settings.json_output else None,
        pictures=asset_files(drawn, assets_format=settings.assets_format),
    )


def for_the_post(report: Report, notes: str) -> Report:
    """The report with only the notices `--notes` lets into the post (the JSON keeps them all)."""
    kept = tuple(
        n
        for n in report.notices
        if notes == "all" or (notes == "reader" and n.audience == "reader")
    )
    return msgspec.structs.replace(report, notices=kept, warnings=tuple(n.message for n in kept))


def operator_lines(report: Report, env: Mapping[str, str]) -> list[str]:
    """The notices for the person running devstats, one stderr line each, in their language
    (from LC_ALL / LC_MESSAGES / LANG: Korean for ko_*, else English)."""
    locale = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    language = BY_CODE["ko" if locale.lower().startswith("ko") else "en"]
    return [
        f"devstats: note: {_plain(n, language)}" for n in report.notices if n.audience == "operator"
    ]


def _plain(notice: Notice, language: Language) -> str:
    """The notice as plain text (a terminal is not Markdown) in `language`."""
    wording = language.notices.get(notice.code)
    if language.code == "en" or wording is None:
        return notice.message
    shown = {name: english_value(value) for name, value in notice.params.items()}
    try:
        return wording.format(notice.params, shown)
    except (KeyError, IndexError, ValueError):
        return notice.message
