"""One report, one way through: check the outputs → the kept report, or make it → render → publish.

`run` reads top to bottom like that list: it checks every output, decides the moment the run is
made as of, takes the report kept from an earlier run when one may be reused
(`devstats/run/kept.py`) or else makes it (`devstats/run/make.py`: the services, then collect →
classify → assemble), renders it (`devstats/render/post.py`) and publishes it. Render returns
text; publish is the only step that writes.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import UTC, datetime

from devstats.model.facts import Progress
from devstats.model.local_time import ZONE_GIVEN, ZONE_INFERRED
from devstats.model.report import Report
from devstats.publish.outputs import plan_outputs, publish
from devstats.render.charts.png import require_renderer
from devstats.render.post import RenderOptions, operator_lines, render_outputs
from devstats.run.kept import Kept, ReportKeeper
from devstats.settings.settings import Settings, default_cassettes, require_user


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
        notes_output=settings.notes_file if settings.format == "markdown" else None,
    )
    if plan.assets is not None and settings.assets_format != "svg":
        # before collecting: a missing extra or font should not cost a whole run
        require_renderer(hangul=settings.lang == "ko")
    report = kept_or_made(settings, env, progress)
    for line in operator_lines(report.notices, env):
        print(line, file=sys.stderr)
    rendered = render_outputs(
        report,
        render_options(settings),
        asset_link=plan.asset_link if plan.assets is not None else None,
    )
    told = publish(
        plan,
        main_text=rendered.main,
        json_text=rendered.json,
        assets=rendered.pictures,
        notes_text=rendered.notes_text,
    )
    for message in told:
        print(f"devstats: {message}", file=sys.stderr)
    told_zone = zone_line(report)
    if told_zone:
        print(told_zone, file=sys.stderr)
    return 0


def zone_line(report: Report) -> str | None:
    """What the operator is told of a zone devstats chose: which, and from how many commits."""
    zone = report.time_zone
    if zone is None or zone.decided_by == ZONE_GIVEN:
        return None
    if zone.decided_by == ZONE_INFERRED:
        return (
            f"devstats: days and hours in {zone.name}, the time zone of {zone.matched:,} of "
            f"{zone.commits:,} commits of the year (--timezone sets another)"
        )
    return (
        f"devstats: days and hours in {zone.name}: {zone.commits:,} commits of the year carry "
        "a time zone, too few to tell yours (--timezone sets it)"
    )


def render_options(settings: Settings) -> RenderOptions:
    """The settings that shape the outputs, not the report."""
    return RenderOptions(
        format=settings.format,
        lang=settings.lang,
        template=settings.template,
        notes=settings.notes,
        detail=settings.detail,
        assets_format=settings.assets_format,
        with_json=bool(settings.json_output),
    )


def moment_of_run(settings: Settings, env: Mapping[str, str]) -> datetime:
    """The moment the report is made as of: DEVSTATS_NOW, else the recording time of replayed
    cassettes, else the clock. Decided once a run; every step that asks is handed this one."""
    if settings.now is not None:
        return settings.now
    if settings.offline or settings.replay:
        from devstats.http.cassettes import recording_time  # a replay loads the HTTP stack anyway

        recorded = recording_time(settings.replay or default_cassettes(env))
        if recorded is not None:
            return recorded
    return datetime.now(UTC)


def kept_or_made(settings: Settings, env: Mapping[str, str], progress: Progress) -> Report:
    """The report kept from an earlier run when it may be reused, else a new one."""
    now = moment_of_run(settings, env)
    keeper = ReportKeeper.for_run(settings, env)
    kept = keeper.load(now) if keeper is not None else None
    if kept is not None:
        if settings.verbose:
            print(f"devstats: {_kept_summary(kept)}", file=sys.stderr)
        return kept.report
    # Imported here: the HTTP stack and the collectors load only when a report is made.
    from devstats.classify.explain import explain_automated
    from devstats.run.make import make_with_services

    made = make_with_services(settings, env, progress, keeper, now=now)
    if settings.verbose:
        print(f"devstats: {made.summary}", file=sys.stderr)
    if settings.explain:
        print(explain_automated(made.figures.classified, tz=settings.tz), file=sys.stderr)
    return made.report


def _kept_summary(kept: Kept) -> str:
    def moment(seconds: float) -> str:
        return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")

    return (
        f"0 requests: the report made at {moment(kept.made_at)} from the same answers, "
        f"kept in the cache until {moment(kept.fresh_until)} (--refresh asks again)"
    )
