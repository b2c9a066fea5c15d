"""The notes on the figures, apart from the post: the time zone, why two years compare as they
do, where each package's downloads come from and what they cover, and the report's notices.

The post carries what a reader cares about; what a careful reader may want to check goes here,
each a plain sentence in the post's language, in one short block at the end of the section (or
in the file `--notes` names). The JSON keeps all of it as data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated

from devstats.model.local_time import ZONE_DEFAULT, ZONE_GIVEN, LocalZone
from devstats.model.report import Report
from devstats.render.escape import SafeMarkdown, escape_markdown
from devstats.render.figures import figure
from devstats.render.views.base import View, about
from devstats.render.views.compare import ComparisonView
from devstats.render.views.packages import PackageView
from devstats.render.words.labels import Language
from devstats.render.words.post import BY_CODE as POST_WORDS
from devstats.render.words.zones import zone_words

# An inferred zone that at least this share of the commits carry is "the time zone my commits
# were written in"; below it, "the one most of them were".
NEARLY_ALL = 0.9


@dataclass(frozen=True)
class ZoneView(View):
    """The time zone the post's days and hours are in, and how it was decided."""

    name: Annotated[SafeMarkdown, about("the IANA name, `Asia/Seoul`", json="timezone")]
    words: Annotated[
        SafeMarkdown,
        about('the reader\'s name for it: "KST", "Berlin time" / "한국 시간"', json="timezone"),
    ]
    decided_by: Annotated[
        str,
        about(
            "`given` (--timezone), `inferred` (from the offsets of the user's own commits) or "
            "`default` (UTC: too few commits carry an offset)",
            json="time_zone.decided_by",
        ),
    ]
    commits: Annotated[
        int, about("commits whose offsets were weighed (0 when given)", json="time_zone.commits")
    ]
    matched: Annotated[
        int, about("those written in the zone's own offset", json="time_zone.matched")
    ]


def zone_context(report: Report, language: Language) -> ZoneView:
    zone = report.time_zone or LocalZone(name=report.timezone, decided_by=ZONE_GIVEN)
    return ZoneView(
        name=escape_markdown(zone.name),
        words=escape_markdown(zone_words(zone.name, language.code, report.year)),
        decided_by=zone.decided_by,
        commits=zone.commits,
        matched=zone.matched,
    )


def zone_note(zone: ZoneView, language: Language) -> SafeMarkdown:
    """Which zone the days and hours are in, and why that one."""
    forms = POST_WORDS[language.code].zone
    gap = " " if language.code == "en" else ""
    words = zone.words if zone.words == zone.name else f"{zone.words}{gap}({zone.name})"
    if zone.decided_by == ZONE_GIVEN:
        form = forms["given"]
    elif zone.decided_by == ZONE_DEFAULT:
        form = forms["default"]
    else:
        nearly_all = zone.commits and zone.matched >= NEARLY_ALL * zone.commits
        form = forms["inferred" if nearly_all else "most"]
    return SafeMarkdown(form.format(words=words))


def notes_context(
    report: Report,
    language: Language,
    zone: ZoneView,
    compare: ComparisonView | None,
    packages: Sequence[PackageView],
    warnings: Iterable[SafeMarkdown],
    detail: str = "brief",
) -> tuple[SafeMarkdown, ...]:
    """The notes block's sentences, in the order a reader checks them."""
    lines = [zone_note(zone, language)]
    rhythm = report.highlights.rhythm if report.highlights else None
    odd = (rhythm.unplaced + rhythm.zero_offset) if rhythm else 0
    if odd and zone.name != "UTC":
        n = figure(odd, language).exact
        lines.append(SafeMarkdown(POST_WORDS[language.code].offsets.format(n=n)))
    if compare is not None and compare.retrieval_text:
        lines.append(compare.retrieval_text)
    for package in packages:
        lines.extend(_downloads_notes(package, language, detail))
    lines.extend(warnings)
    return tuple(lines)


def _downloads_notes(package: PackageView, language: Language, detail: str) -> list[SafeMarkdown]:
    """What a package's downloads leave out, the days the total counts and where the figures
    come from (month by month with `--detail full`), then the months without a figure."""
    downloads = package.downloads
    if downloads is None:
        return []
    words = POST_WORDS[language.code]
    notes: list[SafeMarkdown] = []
    if downloads.total_span:
        full = detail == "full" or not downloads.sources_named
        notes.append(
            SafeMarkdown(
                (words.downloads_span if full else words.downloads_note).format(
                    package=package.name,
                    mirrors=words.mirrors[int(downloads.mirrors)],
                    span=downloads.total_span,
                    sources=downloads.sources_named,
                )
            )
        )
    if downloads.source_text and (detail == "full" or not downloads.total_span):
        notes.append(downloads.source_text)
    if downloads.missing_text:
        notes.append(downloads.missing_text)
    return notes
