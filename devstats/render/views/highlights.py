"""The highlights of the year as sentences, in English and Korean: one line each for the
streaks, the busiest day and when I commit, first contributions merged, help given, versions
shipped (when the projects have not said it), downloads in the year and, with --compare, the
languages new since the year before.

The figures are the report's (devstats/classify/rhythm.py, contributions_to_others.py and
highlights.py compute them); here they are only worded (devstats/render/words/post.py). A part
with nothing to say, or nothing the post has not said already, is left out, so a template prints
`highlights.lines` one by one, or leaves the block out altogether.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from devstats.model.highlights import (
    DownloadsInYear,
    FirstContributions,
    GivenToOthers,
    Highlights,
    ReleasesShipped,
    Rhythm,
    Streaks,
)
from devstats.model.report import Report
from devstats.render import numbers
from devstats.render.escape import SafeMarkdown, escape_markdown, markdown_link
from devstats.render.views.base import View, about
from devstats.render.words import dates
from devstats.render.words.korean import particle
from devstats.render.words.labels import Language
from devstats.render.words.post import BY_CODE as POST_WORDS

WEEKDAY_NAMES = {
    "en": ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}


@dataclass(frozen=True)
class HighlightsView(View):
    """The highlights of the year, one sentence each; a part with nothing to say is left out, and
    a template that prints nothing of it leaves the block out."""

    title: Annotated[SafeMarkdown, about('"Highlights" / "하이라이트"')]
    lines: Annotated[
        tuple[SafeMarkdown, ...],
        about(
            "one sentence each for the streaks (saying what they count), the busiest day and "
            "month with the weekday and hours of my own commits (in the reader's name for the "
            "time zone), first contributions merged, reviews and issues given to others, "
            "versions shipped (only when the projects have not stated them), downloads in the "
            "year and, with `--compare`, the languages new since the year before",
            json='highlights.* (docs/definitions.md, "Highlights")',
        ),
    ]
    raw: Annotated[Highlights, about("the report's highlights, unescaped", json="highlights")]


def _streaks(streaks: Streaks, year: int, language: Language) -> str | None:
    """The longest run of days with contributions of my own, and of weeks; what they count is
    said. A streak still running on the last day counted is not a highlight."""
    longest = streaks.longest
    if longest is None:
        return None
    words = POST_WORDS[language.code]
    span = dates.span(longest.start, longest.end, language.code, year)
    text = words.streak.format(days=longest.days, span=span)
    weeks = streaks.longest_weeks.weeks if streaks.longest_weeks else 0
    if weeks > 1:
        text += words.streak_weeks.format(weeks=weeks)
    return text + words.streak_rule


def _hours(hour: int, language: Language) -> str:
    """An hour of the day and the next: "15:00 and 16:00" / "오후 3시에서 4시 사이"."""
    after = (hour + 1) % 24
    if language.code != "ko":
        return f"{hour:02d}:00 and {after:02d}:00"

    def said(value: int, half: bool = True) -> str:
        if value == 0:
            return "자정"
        twelve = value - 12 if value > 12 else value
        return f"{'오전' if value < 12 else '오후'} {twelve}시" if half else f"{twelve}시"

    same_half = after != 0 and (hour < 12) == (after < 12) and hour != 0
    return f"{said(hour)}에서 {said(after, half=not same_half)} 사이"


def _rhythm(rhythm: Rhythm, year: int, zone: str, language: Language) -> str | None:
    if rhythm.busiest_day is None or rhythm.busiest_month is None:
        return None
    words = POST_WORDS[language.code]
    day = rhythm.busiest_day
    month = dates.month(int(rhythm.busiest_month.month[5:]), language.code)
    text = words.busiest.format(
        day=dates.day(day.day, language.code, year),
        count=f"{day.count:,}",
        month=month,
        month_count=f"{rhythm.busiest_month.count:,}",
    )
    if rhythm.commits:
        weekday = max(range(7), key=lambda i: (rhythm.by_weekday[i], -i))
        hour = max(range(24), key=lambda h: (rhythm.by_hour[h], -h))
        text += words.habits.format(
            weekday=WEEKDAY_NAMES[language.code][weekday],
            hours=_hours(hour, language),
            zone=escape_markdown(zone),
        )
    return text


def _links(repositories: tuple[str, ...] | list[str]) -> list[str]:
    return [markdown_link(r, f"https://github.com/{r}") for r in repositories]


def _first(firsts: FirstContributions, language: Language) -> str | None:
    merged = firsts.projects
    if not merged:
        return None
    names = language.join(_links(merged))
    return POST_WORDS[language.code].first_merged.format(projects=names)


def _given(given: GivenToOthers, language: Language) -> str | None:
    if not given.reviews and not given.issues:
        return None
    top = language.join(_links([p.repository for p in given.top]))
    return POST_WORDS[language.code].given.format(
        reviews=f"{given.reviews:,}", issues=f"{given.issues:,}", projects=given.projects, top=top
    )


def _releases(releases: ReleasesShipped, shown: int, language: Language) -> str | None:
    """The versions shipped, when they add to the releases each project already states."""
    if not releases.total or releases.total == shown:
        return None
    versions = "version" if releases.total == 1 else "versions"
    return POST_WORDS[language.code].shipped.format(total=releases.total, versions=versions)


def _downloads(downloads: DownloadsInYear, language: Language) -> str | None:
    if downloads.total is None:
        return None
    known = [p for p in downloads.packages if p.downloads is not None]
    months = sorted({m for p in known for m in p.months})
    span = dates.months_span(int(months[0][5:]), int(months[-1][5:]), language.code)
    total = numbers.compact(downloads.total)
    words = POST_WORDS[language.code]
    if len(known) == 1:
        package = escape_markdown(known[0].package)
        return words.downloads_one.format(
            package=package,
            topic=package + particle(known[0].package, "은/는"),
            total=total,
            months=span,
        )
    return words.downloads_many.format(packages=len(known), total=total, months=span)


def _new_languages(report: Report, language: Language) -> str | None:
    if not report.new_languages or report.previous is None:
        return None
    names: list[str] = [escape_markdown(name) for name in report.new_languages]
    named = language.join(names, word=language.disjunction)
    if language.code == "ko":
        named += particle(report.new_languages[-1], "으로/로")
    return POST_WORDS[language.code].new_languages.format(
        languages=named, year=report.previous.year
    )


def highlights_context(report: Report, language: Language, zone: str) -> HighlightsView | None:
    """The highlights' sentences, or None when the report has none. `zone` is the time zone
    in the reader's words; each line adds a fact the post has not stated."""
    highlights = report.highlights
    if highlights is None:
        return None
    year = report.year
    shown_releases = sum(p.releases_in_year or 0 for p in report.projects)
    parts: list[Callable[[], str | None]] = [
        lambda: _streaks(highlights.streaks, year, language) if highlights.streaks else None,
        lambda: _rhythm(highlights.rhythm, year, zone, language) if highlights.rhythm else None,
        lambda: (
            _first(highlights.first_contributions, language)
            if highlights.first_contributions
            else None
        ),
        lambda: (
            _given(highlights.given_to_others, language) if highlights.given_to_others else None
        ),
        lambda: (
            _releases(highlights.releases, shown_releases, language)
            if highlights.releases
            else None
        ),
        lambda: _downloads(highlights.downloads, language) if highlights.downloads else None,
        lambda: _new_languages(report, language),
    ]
    items = tuple(SafeMarkdown(text) for part in parts if (text := part()))
    title = POST_WORDS[language.code].highlights_title
    return HighlightsView(title=SafeMarkdown(title), lines=items, raw=highlights)
