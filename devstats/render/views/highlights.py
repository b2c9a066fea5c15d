"""The highlights of the year as sentences, in English and Korean: one line each for streaks,
rhythm, first contributions, help given, releases shipped and downloads in the year.

The figures are the report's (devstats/classify/rhythm.py, contributions_to_others.py and
highlights.py compute them); here they are only worded. A part with nothing to say is left out,
so a template prints `highlights.lines` one by one, or leaves the block out altogether.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from devstats.classify.contributions_to_others import FirstContributions, GivenToOthers
from devstats.classify.highlights import DownloadsInYear, Highlights, ReleasesShipped
from devstats.classify.rhythm import Rhythm, Streaks
from devstats.render import numbers
from devstats.render.escape import SafeMarkdown, escape_markdown, markdown_link
from devstats.render.views.base import View, about
from devstats.render.words.labels import Language

WEEKDAY_NAMES = {
    "en": ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}
MONTH_NAMES_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class HighlightsView(View):
    """The highlights of the year, one sentence each; a part with nothing to say is left out, and
    a template that prints nothing of it leaves the block out."""

    title: Annotated[SafeMarkdown, about('"Highlights of 2022" / "2022년 하이라이트"')]
    lines: Annotated[
        tuple[SafeMarkdown, ...],
        about(
            "one sentence each for the streaks, the busiest day and month with the weekday and "
            "hour of real commits, commits without a usable time-zone offset, first contributions "
            "merged, reviews and issues given to others, versions shipped and downloads in the "
            "year",
            json='highlights.* (docs/definitions.md, "Highlights")',
        ),
    ]
    raw: Annotated[Highlights, about("the report's highlights, unescaped", json="highlights")]


def _day(value: date, language: Language) -> str:
    if language.code == "ko":
        return f"{value.month}월 {value.day}일"
    return f"{language.months[value.month - 1]} {value.day}"


def _span(start: date, end: date, language: Language) -> str:
    if language.code == "ko":
        return f"{start:%Y.%m.%d} ~ {end:%Y.%m.%d}"
    return f"{_day(start, language)} – {_day(end, language)}"


def _streaks(streaks: Streaks, year: int, language: Language) -> str | None:
    longest = streaks.longest
    if longest is None:
        return None
    weeks = streaks.longest_weeks.weeks if streaks.longest_weeks else 0
    running = streaks.at_end.days if streaks.at_end else 0
    on = _day(streaks.through, language)
    over = streaks.through == date(year, 12, 31)
    span = _span(longest.start, longest.end, language)
    if language.code == "ko":
        text = f"가장 길게 이어진 기록은 **{longest.days}일** 연속({span})이고, "
        text += f"주 단위로는 {weeks}주 연속으로 매주 뭔가를 했다."
        if running:
            text += (
                f" {on}에는 {running}일째 이어지고 있었다."
                if over
                else (f" {on} 기준으로 {running}일째 이어지는 중이다.")
            )
        return text
    text = f"Longest streak of real work: **{longest.days} days** in a row ({span}), "
    text += f"and {weeks} weeks in a row with some."
    if running:
        text += f" On {on} a {running}-day streak was {'still going' if over else 'running'}."
    return text


def _rhythm(rhythm: Rhythm, timezone: str, language: Language) -> str | None:
    if rhythm.busiest_day is None or rhythm.busiest_month is None:
        return None
    day = rhythm.busiest_day
    month_number = int(rhythm.busiest_month.month[5:])
    weekday = max(range(7), key=lambda i: (rhythm.by_weekday[i], -i))
    hour = max(range(24), key=lambda h: (rhythm.by_hour[h], -h))
    zone = escape_markdown(timezone)
    if language.code == "ko":
        text = f"가장 바빴던 날은 {_day(day.day, language)}(기여 {day.count:,}건), "
        text += f"가장 바빴던 달은 {month_number}월(기여 {rhythm.busiest_month.count:,}건)이다."
        if rhythm.commits:
            text += f" 커밋은 {WEEKDAY_NAMES['ko'][weekday]}에 제일 많이 했고, "
            text += f"시간으로는 {hour}시대가 제일 많았다({zone} 기준)."
        return text
    text = f"Busiest day: {_day(day.day, language)} ({day.count:,} contributions); "
    text += f"busiest month: {MONTH_NAMES_EN[month_number - 1]} "
    text += f"({rhythm.busiest_month.count:,})."
    if rhythm.commits:
        text += f" Most real commits on {WEEKDAY_NAMES['en'][weekday]}, "
        text += f"most often between {hour:02d}:00 and {(hour + 1) % 24:02d}:00 ({zone})."
    return text


def _offsets(rhythm: Rhythm, language: Language) -> str | None:
    odd = rhythm.unplaced + rhythm.zero_offset
    if not odd:
        return None
    if language.code == "ko":
        return (
            f"커밋 {odd:,}개는 시간대 정보가 없거나 +00:00으로 적혀 있어서 "
            "시간 분포가 틀릴 수 있다."
        )
    return f"{odd:,} commits carry no usable time-zone offset, so their hours may be off."


def _links(repositories: tuple[str, ...] | list[str]) -> list[str]:
    return [markdown_link(r, f"https://github.com/{r}") for r in repositories]


def _first(firsts: FirstContributions, language: Language) -> str | None:
    merged = firsts.projects
    if not merged:
        return None
    names = language.join(_links(merged))
    if language.code == "ko":
        return f"처음으로 PR이 머지된 프로젝트가 {len(merged)}곳이다: {names}."
    noun = "project" if len(merged) == 1 else "projects"
    return f"First contribution merged in {len(merged)} {noun}: {names}."


def _given(given: GivenToOthers, language: Language) -> str | None:
    if not given.reviews and not given.issues:
        return None
    top = language.join(
        [f"{markdown_link(p.repository, 'https://github.com/' + p.repository)}" for p in given.top]
    )
    if language.code == "ko":
        return (
            f"다른 사람 프로젝트 {given.projects}곳에 리뷰 {given.reviews:,}개, "
            f"이슈 {given.issues:,}개를 남겼다(많은 순: {top})."
        )
    return (
        f"Help given to other people's projects: {given.reviews:,} reviews and "
        f"{given.issues:,} issues in {given.projects} projects (most in {top})."
    )


def _releases(releases: ReleasesShipped, language: Language) -> str | None:
    if not releases.total:
        return None
    if language.code == "ko":
        return (
            f"릴리스한 버전은 {releases.total}개다(GitHub 릴리스 {releases.github}개, "
            f"PyPI {releases.pypi}개, 양쪽에 다 낸 버전은 한 번만 셈)."
        )
    return (
        f"Versions shipped: {releases.total} ({releases.github} as GitHub releases, "
        f"{releases.pypi} on PyPI, a version on both counted once)."
    )


def _downloads(downloads: DownloadsInYear, year: int, language: Language) -> str | None:
    if downloads.total is None:
        return None
    known = [p for p in downloads.packages if p.downloads is not None]
    months = sorted({m for p in known for m in p.months})
    first, last = int(months[0][5:]), int(months[-1][5:])
    total = numbers.compact(downloads.total)
    if language.code == "ko":
        span = f"{first}~{last}월" if first != last else f"{first}월"
        return f"{year}년 한 해 패키지 {len(known)}개의 다운로드는 {span} 합쳐 **{total}회**다."
    span = f"{language.months[first - 1]}–{language.months[last - 1]}"
    noun = "package" if len(known) == 1 else "packages"
    return f"Downloads in {year}: **{total}** across {len(known)} {noun} ({span})."


def highlights_context(
    highlights: Highlights | None, *, year: int, timezone: str, language: Language
) -> HighlightsView | None:
    """The highlights' sentences, or None when the report has none."""
    if highlights is None:
        return None
    parts: list[Callable[[], str | None]] = [
        lambda: _streaks(highlights.streaks, year, language) if highlights.streaks else None,
        lambda: _rhythm(highlights.rhythm, timezone, language) if highlights.rhythm else None,
        lambda: _offsets(highlights.rhythm, language) if highlights.rhythm else None,
        lambda: (
            _first(highlights.first_contributions, language)
            if highlights.first_contributions
            else None
        ),
        lambda: (
            _given(highlights.given_to_others, language) if highlights.given_to_others else None
        ),
        lambda: _releases(highlights.releases, language) if highlights.releases else None,
        lambda: _downloads(highlights.downloads, year, language) if highlights.downloads else None,
    ]
    items = tuple(SafeMarkdown(text) for part in parts if (text := part()))
    title = f"{year}년 하이라이트" if language.code == "ko" else f"Highlights of {year}"
    return HighlightsView(title=SafeMarkdown(title), lines=items, raw=highlights)
