"""Pictures as plain SVG text: the contribution heatmap and a monthly downloads bar chart.

No plotting library: the shapes are few and a string is easy to test (every day's cell carries
`data-date`, `data-count` and `data-automated`). Every attribute and text node is XML-escaped.
Pure: the pictures are returned as text; devstats/publish writes them.
"""

from __future__ import annotations

import calendar as calendar_module
import html
import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from devstats.package_names import normalize
from devstats.render.labels import BY_CODE
from devstats.report import CalendarEntry, Report

Theme = Literal["light", "dark"]
THEMES: tuple[Theme, ...] = ("light", "dark")

CELL = 10
GAP = 3
PITCH = CELL + GAP
LEFT = 28  # room for the weekday labels
TOP = 20  # room for the month labels
_UNSAFE = re.compile(r"[^a-z0-9]+")
FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif"


@dataclass(frozen=True)
class Palette:
    background: str
    text: str
    levels: tuple[str, str, str, str, str]  # no contributions, then quartiles 1-4
    automated: str  # outline of a day with automated commits


# GitHub's own contribution colours, so the picture sits naturally next to a profile.
PALETTES: dict[str, Palette] = {
    "light": Palette(
        background="#ffffff",
        text="#57606a",
        levels=("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"),
        automated="#bf8700",
    ),
    "dark": Palette(
        background="#0d1117",
        text="#8b949e",
        levels=("#161b22", "#0e4429", "#006d32", "#26a641", "#39d353"),
        automated="#d29922",
    ),
}

_WEEKDAYS = {"en": ("Mon", "Wed", "Fri"), "ko": ("월", "수", "금")}


def _attrs(**values: object) -> str:
    """XML attributes; a trailing underscore is dropped and other underscores become dashes."""
    parts = []
    for key, value in values.items():
        name = key.rstrip("_").replace("_", "-")
        parts.append(f'{name}="{html.escape(str(value), quote=True)}"')
    return " ".join(parts)


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _opening(width: int, height: int, summary: str, palette: Palette) -> list[str]:
    """The <svg> element, its accessible title, the background, and an open group for labels."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f"{_attrs(width=width, height=height, viewBox=f'0 0 {width} {height}')} "
        f'role="img" aria-labelledby="title">',
        f'<title id="title">{_text(summary)}</title>',
        f"<rect {_attrs(width=width, height=height, fill=palette.background)}/>",
        f"<g {_attrs(font_family=FONT, font_size=9, fill=palette.text)}>",
    ]


def _palette(theme: str) -> Palette:
    if theme not in PALETTES:
        raise ValueError(f"unknown theme {theme!r}: light or dark")
    return PALETTES[theme]


def _per_day(days: Sequence[CalendarEntry], year: int, automated: bool) -> dict[date, int]:
    counts: dict[date, int] = {}
    for day in days:
        if day.day.year == year:
            value = day.automated if automated else day.count
            counts[day.day] = counts.get(day.day, 0) + max(value, 0)
    return counts


def quartile_thresholds(counts: Sequence[int]) -> tuple[int, ...]:
    """Upper bounds of levels 1-3: the nearest-rank quartiles of the non-zero counts."""
    values = sorted(count for count in counts if count > 0)
    if not values:
        return ()
    n = len(values)
    # Nearest rank: the smallest value with at least k/4 of the values at or below it.
    return tuple(values[-(-k * n // 4) - 1] for k in (1, 2, 3))


def level(count: int, thresholds: Sequence[int]) -> int:
    """0 for no contributions, else 1-4 by quartile (a count equal to a bound takes the lower)."""
    if count <= 0 or not thresholds:
        return 0
    return bisect_left(list(thresholds), count) + 1


def heatmap_svg(
    calendar: Sequence[CalendarEntry],
    *,
    year: int,
    theme: Theme,
    split_automated: bool = True,
    title: str,
    lang: str = "en",
) -> str:
    """A GitHub-like year grid: weeks as columns, Sunday-first weekday rows, one cell per day.

    With `split_automated`, a day's colour comes from its human count (contributions minus
    automated commits) and a day with automated commits gets an outline of its own colour.
    """
    palette = _palette(theme)
    language = BY_CODE.get(lang, BY_CODE["en"])
    counts = _per_day(calendar, year, automated=False)
    automated_counts = _per_day(calendar, year, automated=True)
    first = date(year, 1, 1)
    days = [first + timedelta(days=i) for i in range(366 if calendar_module.isleap(year) else 365)]
    offset = (first.weekday() + 1) % 7  # Sunday = 0
    weeks = (offset + len(days) + 6) // 7

    def shown(day: date) -> int:
        count = counts.get(day, 0)
        if split_automated:
            return max(count - automated_counts.get(day, 0), 0)
        return count

    thresholds = quartile_thresholds([shown(day) for day in days])
    total = sum(counts.get(day, 0) for day in days)
    automated_total = sum(automated_counts.get(day, 0) for day in days)
    width = LEFT + weeks * PITCH + 8
    height = TOP + 7 * PITCH + 28
    summary = _heatmap_summary(title, total, automated_total, year, split_automated, lang)

    out = _opening(width, height, summary, palette)
    for month in range(1, 13):
        start = date(year, month, 1)
        column = (offset + start.timetuple().tm_yday - 1) // 7
        label = language.months[month - 1]
        out.append(f"<text {_attrs(x=LEFT + column * PITCH, y=TOP - 7)}>{_text(label)}</text>")
    for row, label in zip((1, 3, 5), _WEEKDAYS.get(lang, _WEEKDAYS["en"]), strict=True):
        out.append(f"<text {_attrs(x=0, y=TOP + row * PITCH + CELL - 1)}>{_text(label)}</text>")
    out.append("</g>")

    out.append("<g>")
    for index, day in enumerate(days):
        column, row = divmod(offset + index, 7)
        automated_count = automated_counts.get(day, 0)
        cell = {
            "x": LEFT + column * PITCH,
            "y": TOP + row * PITCH,
            "width": CELL,
            "height": CELL,
            "rx": 2,
            "fill": palette.levels[level(shown(day), thresholds)],
            "data_date": day.isoformat(),
            "data_count": counts.get(day, 0),
            "data_automated": automated_count,
            "data_level": level(shown(day), thresholds),
        }
        if split_automated and automated_count > 0:
            cell.update(stroke=palette.automated, stroke_width=1.5, class_="automated")
        out.append(f"<rect {_attrs(**cell)}/>")
    out.append("</g>")
    out.extend(_legend(palette, height, split_automated and automated_total > 0, lang))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _heatmap_summary(
    title: str, total: int, automated: int, year: int, split: bool, lang: str
) -> str:
    if lang == "ko":
        text = f"{title}: {year}년 contributions {total:,}개"
        if split and automated:
            text += f", 자동 commit {automated:,}개는 따로 표시"
        return text
    text = f"{title}: {total:,} contributions in {year}"
    if split and automated:
        text += f", {automated:,} automated shown apart"
    return text


def _legend(palette: Palette, height: int, automated: bool, lang: str) -> list[str]:
    y = height - 18
    less, more, apart = ("적음", "많음", "자동") if lang == "ko" else ("Less", "More", "automated")
    out = [f"<g {_attrs(font_family=FONT, font_size=9, fill=palette.text)}>"]
    x = LEFT
    out.append(f"<text {_attrs(x=x, y=y + CELL - 1)}>{_text(less)}</text>")
    x += 28
    for colour in palette.levels:
        out.append(f"<rect {_attrs(x=x, y=y, width=CELL, height=CELL, rx=2, fill=colour)}/>")
        x += PITCH
    out.append(f"<text {_attrs(x=x + 2, y=y + CELL - 1)}>{_text(more)}</text>")
    if automated:
        x += 44
        outlined = {
            "x": x,
            "y": y,
            "width": CELL,
            "height": CELL,
            "rx": 2,
            "fill": palette.levels[0],
            "stroke": palette.automated,
            "stroke_width": 1.5,
        }
        out.append(f"<rect {_attrs(**outlined)}/>")
        out.append(f"<text {_attrs(x=x + PITCH + 2, y=y + CELL - 1)}>{_text(apart)}</text>")
    out.append("</g>")
    return out


def downloads_svg(monthly: Mapping[str, int], *, title: str, theme: Theme, lang: str = "en") -> str:
    """A small bar chart of downloads per month ("YYYY-MM" keys, drawn in calendar order)."""
    palette = _palette(theme)
    language = BY_CODE.get(lang, BY_CODE["en"])
    months = sorted(monthly.items())
    bar, gap, chart = 18, 6, 60
    top, left, bottom = 16, 4, 16
    width = max(left * 2 + len(months) * (bar + gap), 160)
    height = top + chart + bottom
    peak = max((count for _, count in months), default=0)
    total = sum(count for _, count in months)
    if months:
        peak_month = max(months, key=lambda item: (item[1], item[0]))[0]
        if lang == "ko":
            summary = f"{title}: {len(months)}개월 동안 {total:,}회, 최고 {peak_month} {peak:,}회"
        else:
            summary = (
                f"{title}: {total:,} downloads over {len(months)} months, "
                f"peak {peak:,} in {peak_month}"
            )
    else:
        summary = f"{title}: " + ("데이터 없음" if lang == "ko" else "no data")
    out = _opening(width, height, summary, palette)
    if not months:
        out.append(f"<text {_attrs(x=left, y=top + chart // 2)}>{_text(summary)}</text>")
    for index, (month, count) in enumerate(months):
        x = left + index * (bar + gap)
        bar_height = 0 if peak == 0 else max(round(chart * count / peak), 1 if count else 0)
        rect = {
            "x": x,
            "y": top + chart - bar_height,
            "width": bar,
            "height": bar_height,
            "rx": 2,
            "fill": palette.levels[3],
            "data_month": month,
            "data_count": count,
        }
        out.append(f"<rect {_attrs(**rect)}/>")
        label = _month_name(month, language.months)
        text_at = {"x": x + bar / 2, "y": height - 4, "text_anchor": "middle"}
        out.append(f"<text {_attrs(**text_at)}>{_text(label)}</text>")
    if peak:
        out.append(_peak_label(months, peak, left=left, pitch=bar + gap, bar=bar, y=top - 5))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _month_name(month: str, names: Sequence[str]) -> str:
    # The same short names as the Markdown's "Per month" line ("Jul", "7월"): a lone "J" could
    # be January, June or July.
    number = month[-2:]
    if number.isdigit() and 1 <= int(number) <= 12:
        return names[int(number) - 1]
    return month


def _peak_label(
    months: Sequence[tuple[str, int]], peak: int, *, left: int, pitch: int, bar: int, y: int
) -> str:
    """The peak count written above its own bar (the last such bar on a tie), kept inside the
    picture: over the first bar it starts at the bar's left edge, over the last it ends at the
    right one."""
    index = max(i for i, (_, count) in enumerate(months) if count == peak)
    x: float = left + index * pitch
    anchor = "start"
    if index == len(months) - 1 and index > 0:
        x, anchor = x + bar, "end"
    elif index > 0:
        x, anchor = x + bar / 2, "middle"
    return f"<text {_attrs(x=x, y=y, text_anchor=anchor)}>{_text(f'{peak:,}')}</text>"


def package_slug(name: str) -> str:
    """The PEP 503 name, safe as a file name: "pytorch_optimizer" -> "pytorch-optimizer"."""
    return _UNSAFE.sub("-", normalize(name)).strip("-") or "package"


def pictures(report: Report, *, split_automated: bool = True, lang: str = "en") -> dict[str, str]:
    """heatmap-light, heatmap-dark and, per package with monthly downloads,
    downloads-<package>-light and downloads-<package>-dark: picture name -> SVG text."""
    language = BY_CODE.get(lang, BY_CODE["en"])
    drawn: dict[str, str] = {}
    title = language.picture_alt.format(user=report.user, year=report.year)
    for theme in THEMES:
        drawn[f"heatmap-{theme}"] = heatmap_svg(
            report.calendar,
            year=report.year,
            theme=theme,
            split_automated=split_automated,
            title=title,
            lang=lang,
        )
    for package in report.packages:
        if package.downloads is None or not package.downloads.monthly:
            continue
        chart_title = language.chart_title.format(package=package.name, year=report.year)
        for theme in THEMES:
            drawn[f"downloads-{package_slug(package.name)}-{theme}"] = downloads_svg(
                package.downloads.monthly, title=chart_title, theme=theme, lang=lang
            )
    return drawn
