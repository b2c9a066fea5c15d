"""The view of the `received` block for the templates (templates/received.*.md.j2): its title
and its sentences, each one Markdown ready to print."""

from __future__ import annotations

from dataclasses import dataclass

from devstats.model.events import Received
from devstats.render.escape import SafeMarkdown
from devstats.render.words.labels import Language
from devstats.render.words.received import received_lines


@dataclass(frozen=True)
class ReceivedView:
    title: SafeMarkdown
    lines: tuple[SafeMarkdown, ...]  # thanks, major releases, the share of work on others'
    raw: Received


def received_view(
    received: Received | None, *, year: int, language: Language
) -> ReceivedView | None:
    """The block's title and sentences, or None when the report has no `received` block."""
    if received is None:
        return None
    if language.code == "ko":
        title = f"{year}년, 내 프로젝트와 다른 사람들"
    else:
        title = f"My projects and other people in {year}"
    return ReceivedView(
        title=SafeMarkdown(title),
        lines=tuple(received_lines(received, language)),
        raw=received,
    )
