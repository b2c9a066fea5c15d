"""The view of the `received` block for the templates (templates/received.*.md.j2): its title
and its sentences, each one Markdown ready to print."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from devstats.model.events import Received
from devstats.render.escape import SafeMarkdown
from devstats.render.views.base import View, about
from devstats.render.words.labels import Language
from devstats.render.words.received import received_lines


@dataclass(frozen=True)
class ReceivedView(View):
    """What other people did with the listed projects, and where the user's work went; the
    built-in templates include `received.en.md.j2` / `received.ko.md.j2` for it, which print
    nothing when `lines` is empty."""

    title: Annotated[
        SafeMarkdown,
        about('"My projects and other people in 2022" / "2022년, 내 프로젝트와 다른 사람들"'),
    ]
    lines: Annotated[
        tuple[SafeMarkdown, ...],
        about(
            "one sentence each thanking by name the people who sent pull requests to a listed "
            "project (and who came for the first time), the major version raised in the year, "
            "and the share of the user's pull requests, reviews and issues that went to other "
            "people's projects (with `--compare`, how it moved)",
            json='received.* (docs/definitions.md, "What others did with my work")',
        ),
    ]
    raw: Annotated[Received, about("the report's block", json="received")]


def received_view(
    received: Received | None, *, year: int, language: Language
) -> ReceivedView | None:
    """The block's title and sentences, or None when the report has no `received` block."""
    if received is None:
        return None
    title = "내 프로젝트와 다른 사람들" if language.code == "ko" else "My projects and other people"
    return ReceivedView(
        title=SafeMarkdown(title),
        lines=tuple(received_lines(received, language)),
        raw=received,
    )
