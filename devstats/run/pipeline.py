"""One report, one way through: collect → classify → assemble → render → publish.

`run` reads top to bottom like that list: it checks every output, takes the report kept from an
earlier run when one may be reused (`devstats/run/kept.py`) or else makes it
(`devstats/run/make.py`: the services, then collect → classify → assemble), renders it and publishes
it. Render returns text; publish is the only step that writes.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import msgspec

from devstats.model.facts import Notice, Progress
from devstats.model.notices import english_value
from devstats.model.report import Report, to_json
from devstats.publish.outputs import OutputPlan, plan_outputs, publish
from devstats.render.assets import asset_files, linked_extension
from devstats.render.charts.png import require_renderer
from devstats.render.markdown import render_markdown
from devstats.render.pictures import pictures
from devstats.render.words.labels import BY_CODE, Language
from devstats.run.kept import Kept, ReportKeeper
from devstats.settings.settings import Settings, require_user, run_now

# --- the whole run: services, then the steps, then render and publish ------------------------


@dataclasses.dataclass(frozen=True)
class Rendered:
    """Everything a run writes, as text: the main output, the JSON copy, the pictures."""

    main: str
    json: str | None
    pictures: dict[str, bytes]  # file name inside --assets ("heatmap-light.svg") -> content
    notes: tuple[Notice, ...] = ()  # for the operator, about what was rendered


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
        # before collecting: a missing extra or font should not cost a whole run
        require_renderer(hangul=settings.lang == "ko")
    keeper = ReportKeeper.for_run(settings, env)
    now = run_now(settings)
    kept = keeper.load(now) if keeper is not None else None
    if kept is not None:
        report = kept.report
        if settings.verbose:
            print(f"devstats: {_kept_summary(kept)}", file=sys.stderr)
    else:
        # Imported here: the HTTP stack and the collectors load only when a report is made.
        from devstats.classify.explain import explain_automated
        from devstats.run.make import make_with_services

        made = make_with_services(settings, env, progress, keeper)
        report = made.report
        if settings.verbose:
            print(f"devstats: {made.summary}", file=sys.stderr)
        if settings.explain:
            print(explain_automated(made.figures.classified, tz=settings.tz), file=sys.stderr)
    for line in operator_lines(report.notices, env):
        print(line, file=sys.stderr)
    rendered = render(report, settings, plan)
    for line in operator_lines(rendered.notes, env):
        print(line, file=sys.stderr)
    told = publish(plan, main_text=rendered.main, json_text=rendered.json, assets=rendered.pictures)
    for message in told:
        print(f"devstats: {message}", file=sys.stderr)
    return 0


def _kept_summary(kept: Kept) -> str:
    def moment(seconds: float) -> str:
        return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")

    return (
        f"0 requests: the report made at {moment(kept.made_at)} from the same answers, "
        f"kept in the cache until {moment(kept.fresh_until)} (--refresh asks again)"
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
    files = asset_files(drawn, assets_format=settings.assets_format)
    return Rendered(
        main=main,
        json=to_json(report) if settings.json_output else None,
        pictures=files,
    )


def for_the_post(report: Report, notes: str) -> Report:
    """The report with only the notices `--notes` lets into the post (the JSON keeps them all)."""
    kept = tuple(
        n
        for n in report.notices
        if notes == "all" or (notes == "reader" and n.audience == "reader")
    )
    return msgspec.structs.replace(report, notices=kept, warnings=tuple(n.message for n in kept))


def operator_lines(notices: Iterable[Notice], env: Mapping[str, str]) -> list[str]:
    """The notices for the person running devstats, one stderr line each, in their language
    (from LC_ALL / LC_MESSAGES / LANG: Korean for ko_*, else English)."""
    locale = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    language = BY_CODE["ko" if locale.lower().startswith("ko") else "en"]
    return [f"devstats: note: {_plain(n, language)}" for n in notices if n.audience == "operator"]


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
