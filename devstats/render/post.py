"""The run's outputs as text: the post (Markdown, or the JSON report with --format json), its JSON
copy, its pictures, and the notices for the person running devstats. Pure: `run/pipeline.py`
hands the report and the few render options in, and publish writes what comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import msgspec

from devstats.model.facts import Notice
from devstats.model.notices import english_value
from devstats.model.report import Report, to_json
from devstats.render.assets import asset_files, linked_extension
from devstats.render.markdown import render_markdown, render_notes
from devstats.render.pictures import pictures
from devstats.render.words.labels import BY_CODE, Language

# The --notes values that put the notes at the end of the post.
FOOTNOTES = ("footnote", "reader", "all")


@dataclass(frozen=True)
class Rendered:
    """Everything a run writes, as text: the main output, the JSON copy, the pictures."""

    main: str
    json: str | None
    pictures: dict[str, bytes]  # file name inside --assets ("heatmap-light.svg") -> content
    notes_text: str | None = None  # the notes on the figures, when --notes names a file


@dataclass(frozen=True)
class RenderOptions:
    """The settings that shape the outputs and not the report (`run/kept.py` leaves them out of
    a kept report's key for that reason)."""

    format: str = "markdown"  # markdown or json
    lang: str = "en"
    template: Path | None = None
    # where the notes on the figures go: footnote ("reader" is its earlier name), all (the
    # footnote with setup hints), none, or a file's path
    notes: str = "footnote"
    detail: str = "brief"  # brief, or full: the monthly figures and each source too
    assets_format: str = "svg"  # svg, png or both
    with_json: bool = False  # a JSON copy beside the main output


def render_outputs(
    report: Report, options: RenderOptions, *, asset_link: Callable[[str], str] | None = None
) -> Rendered:
    """The outputs of `report`; with `asset_link` (a picture's file name -> its link from the
    post) the pictures are drawn too."""
    drawn = pictures(report, lang=options.lang) if asset_link is not None else {}
    if options.format == "json":
        main = to_json(report)
    else:
        extension = linked_extension(options.assets_format)
        links = {name: asset_link(f"{name}.{extension}") for name in drawn} if asset_link else {}
        in_post = options.notes in FOOTNOTES
        post = for_the_post(report, options.notes if in_post else "none")
        main = render_markdown(
            post,
            lang=options.lang,
            template=options.template,
            assets=links,
            detail=options.detail,
            notes=in_post,
        )
    notes_text = None
    if options.notes not in (*FOOTNOTES, "none"):
        notes_text = render_notes(
            for_the_post(report, "reader"), lang=options.lang, detail=options.detail
        )
    files = asset_files(drawn, assets_format=options.assets_format)
    return Rendered(
        main=main,
        json=to_json(report) if options.with_json else None,
        pictures=files,
        notes_text=notes_text,
    )


def for_the_post(report: Report, notes: str) -> Report:
    """The report with only the notices `--notes` lets into the post (the JSON keeps them all):
    every one for "all", none for "none", those for the reader otherwise."""
    kept = tuple(
        n for n in report.notices if notes == "all" or (notes != "none" and n.audience == "reader")
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
