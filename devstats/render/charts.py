"""Pictures that explain themselves, as SVG text: monthly downloads of a package, and the year's
contribution heatmap with automated commits drawn apart.

Pure functions on plain values: they return the SVG and write nothing. Every text that reaches
the picture (a package name comes from someone else) is XML-escaped, and the shapes that carry
data have `data-*` attributes, so tests read the picture the way a person would: by its labels
and its cells. Theme is "light" or "dark", for `<picture>` with `prefers-color-scheme`.
"""

from __future__ import annotations

import calendar
import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from devstats.render.chart_labels import CHART_LABELS, ChartLabels
from devstats.render.numbers import compact

__all__ = [
    "CHART_LABELS",
    "FONT_STACK",
    "THEMES",
    "ChartLabels",
    "colour_bounds",
    "colour_step",
    "downloads_chart",
    "heatmap",
    "nice_ticks",
    "strip_step",
    "text_width",
]

# Latin system faces first; then Korean faces (Linux, macOS, Windows, and Nanum, common on Korean
# Linux desktops) before any generic family, so Hangul does not depend on the viewer's fallback;
# then the faces a bare Linux box or a CI runner has, which PNG rendering resolves the stack to.
FONT_STACK = (
    "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK KR', "
    "'Apple SD Gothic Neo', 'Malgun Gothic', NanumGothic, Helvetica, Arial, 'Liberation Sans', "
    "'DejaVu Sans', sans-serif"
)


@dataclass(frozen=True)
class Theme:
    background: str
    title: str  # titles and values
    muted: str  # labels, notes
    grid: str
    axis: str  # the zero line
    bar: str
    unknown: str  # hatch and dashed outline of a month nobody knows
    levels: tuple[str, str, str, str, str]  # real contributions: none, then 4 steps
    automated: tuple[str, str, str, str, str]  # days a week with automated commits: 0, then 4
    marker: str  # the ring around the busiest day


# Greens are GitHub's own contribution colours, so the heatmap sits naturally next to a profile;
# the rest are GitHub's Primer neutrals, accent blue and attention amber.
THEMES: dict[str, Theme] = {
    "light": Theme(
        background="#ffffff",
        title="#1f2328",
        muted="#59636e",
        grid="#d1d9e0",
        axis="#818b98",
        bar="#0969da",
        unknown="#afb8c1",
        levels=("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"),
        automated=("#ebedf0", "#f5d77f", "#e0b43c", "#bf8700", "#875e00"),
        marker="#cf222e",
    ),
    "dark": Theme(
        background="#0d1117",
        title="#f0f6fc",
        muted="#9198a1",
        grid="#2f353d",
        axis="#656c76",
        bar="#4493f8",
        unknown="#545d68",
        levels=("#161b22", "#0e4429", "#006d32", "#26a641", "#39d353"),
        automated=("#161b22", "#5a3e00", "#8a6100", "#c69026", "#e3b341"),
        marker="#ff7b72",
    ),
}

PADDING = 16
TITLE_SIZE = 16
TEXT_SIZE = 12
SMALL_SIZE = 11

# Downloads chart.
CHART_WIDTH = 600
CHART_HEIGHT = 320
AXIS_WIDTH = 40  # room for the value labels left of the plot
PLOT_TOP = 84
PLOT_BOTTOM = 256
BAR_SHARE = 0.64  # of each month's slot

# Heatmap: GitHub's proportions (10 px cells, 3 px apart).
CELL = 10
GAP = 3
PITCH = CELL + GAP
WEEKDAY_WIDTH = 30
GRID_TOP = 80
STRIP_GAP = 5
STRIP_HEIGHT = 5


def _palette(theme: str) -> Theme:
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: light or dark")
    return THEMES[theme]


# ---------------------------------------------------------------------------------------------
# Text and XML

# Characters XML 1.0 does not allow at all, even escaped: one of them in a package name would
# leave the whole document unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"\s+")


def _clean(value: str) -> str:
    return _BREAKS.sub(" ", _NOT_XML.sub("", value)).strip()


def _esc(value: object) -> str:
    return html.escape(_clean(str(value)), quote=True)


def _attrs(**values: object) -> str:
    """XML attributes; a trailing underscore is dropped and other underscores become dashes."""
    return " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{_esc(value)}"' for key, value in values.items()
    )


def _text(content: str, **attributes: object) -> str:
    return f"<text {_attrs(**attributes)}>{_esc(content)}</text>"


def _number(value: float) -> str:
    """A coordinate: whole numbers without ".0", others to two decimals."""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded}"


def _is_wide(char: str) -> bool:
    code = ord(char)
    return (
        0x1100 <= code <= 0x11FF  # Hangul jamo
        or 0x2E80 <= code <= 0x9FFF  # CJK radicals, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFF60
    )


def text_width(text: str, size: float) -> float:
    """A generous estimate of how wide `text` is drawn at `size`, for laying out legends.

    SVG has no text measurement, and the font is the viewer's; these are average advances of
    the sans-serif faces in FONT_STACK, rounded up.
    """
    width = 0.0
    for char in text:
        if _is_wide(char):
            width += 1.0
        elif char in " .,:;'|!il()[]":
            width += 0.32
        elif char.isupper() or char in "mwMW%@":
            width += 0.72
        else:
            width += 0.58
    return width * size


def _fit(text: str, size: float, room: float) -> str:
    """`text`, shortened with an ellipsis when it would not fit in `room` pixels."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _opening(
    *, width: int, height: int, title: str, desc: str, palette: Theme, key: str
) -> list[str]:
    """The <svg> element with its accessible name and description, and the background."""
    title_id, desc_id = f"{key}-title", f"{key}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f"{_attrs(width=width, height=height, viewBox=f'0 0 {width} {height}')} "
        f'role="img" {_attrs(aria_labelledby=title_id, aria_describedby=desc_id)}>',
        f"<title {_attrs(id=title_id)}>{_esc(title)}</title>",
        f"<desc {_attrs(id=desc_id)}>{_esc(desc)}</desc>",
        f"<rect {_attrs(width=width, height=height, fill=palette.background)}/>",
        f"<g {_attrs(font_family=FONT_STACK)}>",
    ]


def _closing() -> list[str]:
    return ["</g>", "</svg>"]


# ---------------------------------------------------------------------------------------------
# Downloads per month


def nice_ticks(peak: int) -> tuple[int, ...]:
    """Gridline values from 0 to a round top at or above `peak`: 3 to 5 lines, steps of
    1, 2, 2.5 or 5 times a power of ten (2.5 only from 25 up, so every value is whole and
    reads exactly in compact form: "2.5k", "7.5k")."""
    if peak <= 0:
        return (0, 1, 2)
    best: tuple[int, int] | None = None  # (top, intervals)
    for wanted in (4, 3, 2):
        step = _nice_step(peak / wanted)
        intervals = max(math.ceil(peak / step), 2)
        top = step * intervals
        # The tightest top wins; on a tie, more gridlines.
        if best is None or top < best[0] or (top == best[0] and intervals > best[1]):
            best = (top, intervals)
    assert best is not None
    top, intervals = best
    return tuple(top * i // intervals for i in range(intervals + 1))


def _nice_step(raw: float) -> int:
    base = 1
    while True:
        multiples = (base, 2 * base, 5 * base // 2, 5 * base) if base >= 10 else (1, 2, 5)
        for step in multiples:
            if step >= raw:
                return step
        base *= 10


def downloads_chart(
    *, package: str, year: int, months: Sequence[int | None], theme: str, labels: ChartLabels
) -> str:
    """A bar per calendar month of `year` (January first), with a value axis and the value over
    every bar; a month given as None is unknown and drawn as a hatched gap, counted in a note.
    """
    if len(months) != 12:
        raise ValueError(f"a year has 12 months, not {len(months)}")
    if any(value is not None and value < 0 for value in months):
        raise ValueError("downloads cannot be negative")
    palette = _palette(theme)
    known = [(index, value) for index, value in enumerate(months) if value is not None]
    unknown = [index for index, value in enumerate(months) if value is None]
    peak = max((value for _, value in known), default=0)
    ticks = nice_ticks(peak)
    top = ticks[-1]
    title = labels.downloads_title.format(package=_clean(package), year=year)
    summary = _downloads_summary(known, unknown, labels, peak)
    desc = _downloads_desc(summary, year, months, labels)

    out = _opening(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        title=title,
        desc=desc,
        palette=palette,
        key=f"devstats-downloads-{theme}",
    )
    hatch = f"devstats-unknown-{theme}"
    out.append(
        f"<defs><pattern {_attrs(id=hatch, width=6, height=6, patternUnits='userSpaceOnUse')}"
        f' patternTransform="rotate(45)">'
        f"<rect {_attrs(width=2, height=6, fill=palette.unknown, opacity=0.55)}/>"
        "</pattern></defs>"
    )
    room = CHART_WIDTH - 2 * PADDING
    out.append(
        _text(
            _fit(title, TITLE_SIZE, room),
            x=PADDING,
            y=30,
            font_size=TITLE_SIZE,
            font_weight=600,
            fill=palette.title,
        )
    )
    out.append(
        _text(
            _fit(summary, TEXT_SIZE, room),
            x=PADDING,
            y=52,
            font_size=TEXT_SIZE,
            fill=palette.muted,
        )
    )

    left = PADDING + AXIS_WIDTH
    right = CHART_WIDTH - PADDING
    height = PLOT_BOTTOM - PLOT_TOP

    def y_of(value: float) -> float:
        return PLOT_BOTTOM - height * value / top

    out.append('<g class="axis">')
    for tick in ticks:
        y = y_of(tick)
        colour = palette.axis if tick == 0 else palette.grid
        line = {"x1": left, "x2": right, "y1": _number(y), "y2": _number(y), "stroke": colour}
        out.append(f"<line {_attrs(**line, stroke_width=1, data_value=tick)}/>")
        out.append(
            _text(
                compact(tick),
                x=left - 8,
                y=_number(y + 4),
                font_size=SMALL_SIZE,
                fill=palette.muted,
                text_anchor="end",
            )
        )
    out.append("</g>")

    slot = (right - left) / 12
    bar = round(slot * BAR_SHARE)
    peak_index = max((i for i, value in known if value == peak), default=None) if peak else None
    out.append('<g class="months">')
    for index, value in enumerate(months):
        centre = left + slot * index + slot / 2
        x = centre - bar / 2
        month = f"{year}-{index + 1:02d}"
        name = labels.months[index]
        if value is None:
            gap = {
                "x": _number(x),
                "y": PLOT_TOP,
                "width": bar,
                "height": height,
                "fill": f"url(#{hatch})",
                "stroke": palette.unknown,
                "stroke_width": 1,
                "stroke_dasharray": "3 3",
                "rx": 2,
                "class_": "unknown",
                "data_month": month,
            }
            tooltip = labels.month_unknown.format(month=name, year=year)
            out.append(f"<rect {_attrs(**gap)}><title>{_esc(tooltip)}</title></rect>")
        else:
            bar_height = height * value / top
            is_peak = index == peak_index
            if value and bar_height < 1:
                bar_height = 1  # a month with downloads never looks like a month without
            rect = {
                "x": _number(x),
                "y": _number(PLOT_BOTTOM - bar_height),
                "width": bar,
                "height": _number(bar_height),
                "fill": palette.bar,
                "class_": "bar",
                "data_month": month,
                "data_value": value,
            }
            tooltip = labels.month_value.format(month=name, year=year, value=f"{value:,}")
            out.append(f"<rect {_attrs(**rect)}><title>{_esc(tooltip)}</title></rect>")
            # The peak reads exactly where that fits its slot, the others compactly: the axis
            # gives their scale.
            shown = compact(value)
            if is_peak and text_width(f"{value:,}", SMALL_SIZE) <= slot - 4:
                shown = f"{value:,}"
            out.append(
                _text(
                    shown,
                    x=_number(centre),
                    y=_number(PLOT_BOTTOM - bar_height - 5),
                    font_size=SMALL_SIZE,
                    font_weight=700 if is_peak else 400,
                    fill=palette.title if is_peak else palette.muted,
                    text_anchor="middle",
                    class_="value peak" if is_peak else "value",
                )
            )
        out.append(
            _text(
                name,
                x=_number(centre),
                y=PLOT_BOTTOM + 18,
                font_size=SMALL_SIZE,
                fill=palette.muted,
                text_anchor="middle",
                class_="month",
            )
        )
    out.append("</g>")

    if unknown:
        note_y = PLOT_BOTTOM + 46
        swatch = {
            "x": PADDING,
            "y": note_y - 10,
            "width": 18,
            "height": 12,
            "fill": f"url(#{hatch})",
            "stroke": palette.unknown,
            "stroke_width": 1,
            "stroke_dasharray": "3 3",
            "rx": 2,
        }
        out.append(f"<rect {_attrs(**swatch)}/>")
        out.append(
            _text(
                labels.unknown(len(unknown)),
                x=PADDING + 26,
                y=note_y,
                font_size=SMALL_SIZE,
                fill=palette.muted,
                class_="note",
                data_unknown=len(unknown),
            )
        )
    out.extend(_closing())
    return "\n".join(out) + "\n"


def _downloads_summary(
    known: Sequence[tuple[int, int]], unknown: Sequence[int], labels: ChartLabels, peak: int
) -> str:
    if not known or peak == 0:
        return labels.downloads_none
    peak_index = max(index for index, value in known if value == peak)
    form = labels.downloads_summary_partial if unknown else labels.downloads_summary
    return form.format(
        total=compact(sum(value for _, value in known)),
        months=len(known),
        peak=f"{peak:,}",
        peak_month=labels.months[peak_index],
    )


def _downloads_desc(
    summary: str, year: int, months: Sequence[int | None], labels: ChartLabels
) -> str:
    """The whole chart as one sentence for a screen reader: the summary, then every month."""
    parts = [
        labels.month_unknown.format(month=labels.months[index], year=year)
        if value is None
        else labels.month_value.format(month=labels.months[index], year=year, value=f"{value:,}")
        for index, value in enumerate(months)
    ]
    return summary + labels.separator + labels.separator.join(parts)


# ---------------------------------------------------------------------------------------------
# Contribution heatmap


def colour_bounds(counts: Sequence[int]) -> tuple[int, int, int]:
    """Upper bounds of colour steps 1-3 (step 4 is everything above): the nearest-rank quartiles
    of the days with real work, pushed apart where they tie so every step names its own range."""
    values = sorted(count for count in counts if count > 0)
    if not values:
        return (1, 2, 3)
    n = len(values)
    # Nearest rank: the smallest value with at least k/4 of the values at or below it.
    q1, q2, q3 = (values[-(-k * n // 4) - 1] for k in (1, 2, 3))
    first = q1
    second = max(q2, first + 1)
    third = max(q3, second + 1)
    return (first, second, third)


def colour_step(count: int, bounds: tuple[int, int, int]) -> int:
    """0 for no real work, else 1-4: the first step whose upper bound holds the count."""
    if count <= 0:
        return 0
    for step, bound in enumerate(bounds, start=1):
        if count <= bound:
            return step
    return 4


def _step_ranges(bounds: tuple[int, int, int]) -> tuple[str, ...]:
    lows = (1, bounds[0] + 1, bounds[1] + 1)
    ranges = ["0"]
    for low, high in zip(lows, bounds, strict=True):
        ranges.append(str(low) if low == high else f"{low}–{high}")
    ranges.append(f"{bounds[2] + 1}+")
    return tuple(ranges)


# Shades of the strip, by the share of a week's days (in the year) with automated commits; read
# as days of a full week, the steps are 1-2, 3-4, 5-6 and all 7.
STRIP_STEPS = ("1–2", "3–4", "5–6", "7")


def strip_step(automated_days: int, days_in_week: int) -> int:
    if automated_days <= 0 or days_in_week <= 0:
        return 0
    sevenths = automated_days * 7 / days_in_week
    if sevenths >= 7:
        return 4
    return min(math.ceil(sevenths / 2), 3)


def heatmap(
    *,
    year: int,
    days: Mapping[date, tuple[int, int]],
    theme: str,
    labels: ChartLabels,
    busiest: date | None = None,
) -> str:
    """A GitHub-like year grid (weeks as columns, Sunday on top) coloured by real contributions,
    with a thin strip under each week shaded by how many of its days had automated commits.

    `days` maps a date to (real contributions, automated commits); dates of other years are
    ignored and a missing date is (0, 0). `busiest`, a day of `year`, gets a ring and a key entry.
    """
    palette = _palette(theme)
    first = date(year, 1, 1)
    length = 366 if calendar.isleap(year) else 365
    year_days = [first + timedelta(days=i) for i in range(length)]
    if busiest is not None and busiest.year != year:
        raise ValueError(f"the busiest day {busiest.isoformat()} is not in {year}")
    counts: dict[date, tuple[int, int]] = {}
    for day in year_days:
        real, automated = days.get(day, (0, 0))
        if real < 0 or automated < 0:
            raise ValueError(f"negative count on {day.isoformat()}")
        counts[day] = (real, automated)
    offset = (first.weekday() + 1) % 7  # Sunday = 0
    weeks = (offset + length + 6) // 7
    bounds = colour_bounds([real for real, _ in counts.values()])

    real_total = sum(real for real, _ in counts.values())
    real_days = sum(1 for real, _ in counts.values() if real)
    automated_total = sum(automated for _, automated in counts.values())
    automated_days = sum(1 for _, automated in counts.values() if automated)
    summary = labels.heatmap_summary.format(real=f"{real_total:,}", days=real_days)
    if automated_total:
        summary += labels.separator + labels.heatmap_automated.format(
            automated=f"{automated_total:,}", days=automated_days
        )
    busiest_text = None
    if busiest is not None:
        busiest_text = labels.busiest_key.format(
            day=labels.day(busiest), real=f"{counts[busiest][0]:,}"
        )
    title = labels.heatmap_title.format(year=year)
    desc_parts = [summary, labels.colour_key, labels.strip_key]
    if busiest_text is not None:
        desc_parts.append(busiest_text)

    left = PADDING + WEEKDAY_WIDTH
    grid_right = left + weeks * PITCH - GAP
    width = grid_right + PADDING
    grid_bottom = GRID_TOP + 7 * PITCH - GAP
    strip_top = grid_bottom + STRIP_GAP
    legend_top = strip_top + STRIP_HEIGHT + 22
    height = legend_top + 2 * 22 + 4

    out = _opening(
        width=width,
        height=height,
        title=title,
        desc=labels.separator.join(desc_parts),
        palette=palette,
        key=f"devstats-heatmap-{theme}",
    )
    room = width - 2 * PADDING
    out.append(
        _text(title, x=PADDING, y=30, font_size=TITLE_SIZE, font_weight=600, fill=palette.title)
    )
    out.append(
        _text(
            _fit(summary, TEXT_SIZE, room),
            x=PADDING,
            y=52,
            font_size=TEXT_SIZE,
            fill=palette.muted,
        )
    )

    out.append(f"<g {_attrs(font_size=SMALL_SIZE - 1, fill=palette.muted)}>")
    for month in range(1, 13):
        column = _month_column(year, month, offset)
        out.append(
            _text(labels.months[month - 1], x=left + column * PITCH, y=GRID_TOP - 8, class_="month")
        )
    for row in (1, 3, 5):
        out.append(
            _text(
                labels.weekdays[row],
                x=PADDING,
                y=GRID_TOP + row * PITCH + CELL - 1,
                class_="weekday",
            )
        )
    out.append(_text(labels.strip_label, x=PADDING, y=strip_top + STRIP_HEIGHT + 1, font_size=8))
    out.append("</g>")

    out.append('<g class="days">')
    for index, day in enumerate(year_days):
        column, row = divmod(offset + index, 7)
        real, automated = counts[day]
        step = colour_step(real, bounds)
        cell = {
            "x": left + column * PITCH,
            "y": GRID_TOP + row * PITCH,
            "width": CELL,
            "height": CELL,
            "rx": 2,
            "fill": palette.levels[step],
            "class_": "day",
            "data_date": day.isoformat(),
            "data_real": real,
            "data_automated": automated,
            "data_level": step,
        }
        out.append(f"<rect {_attrs(**cell)}/>")
    out.append("</g>")

    out.append('<g class="automated">')
    columns: dict[int, list[date]] = {}
    for index, day in enumerate(year_days):
        columns.setdefault((offset + index) // 7, []).append(day)
    for column, members in columns.items():
        with_automated = sum(1 for day in members if counts[day][1])
        step = strip_step(with_automated, len(members))
        strip = {
            "x": left + column * PITCH,
            "y": strip_top,
            "width": CELL,
            "height": STRIP_HEIGHT,
            "rx": 1,
            "fill": palette.automated[step],
            "class_": "week",
            "data_week": members[0].isoformat(),
            "data_automated_days": with_automated,
            "data_level": step,
        }
        out.append(f"<rect {_attrs(**strip)}/>")
    out.append("</g>")

    if busiest is not None:
        column, row = divmod(offset + (busiest - first).days, 7)
        out.append(
            _ring(
                left + column * PITCH,
                GRID_TOP + row * PITCH,
                palette,
                class_="busiest",
                data_date=busiest.isoformat(),
            )
        )

    out.extend(_heatmap_legend(palette, labels, bounds, x=left, y=legend_top, busiest=busiest_text))
    out.extend(_closing())
    return "\n".join(out) + "\n"


def _month_column(year: int, month: int, offset: int) -> int:
    """The first week column whose Sunday lies in `month` (January: the first column), as
    GitHub places its month labels: never over a week that mostly belongs to the month before."""
    start = date(year, month, 1)
    column = (offset + (start - date(year, 1, 1)).days) // 7
    if month > 1 and (start.weekday() + 1) % 7 != 0:
        column += 1
    return column


def _ring(x: float, y: float, palette: Theme, **extra: object) -> str:
    ring = {
        "x": x - 2,
        "y": y - 2,
        "width": CELL + 4,
        "height": CELL + 4,
        "rx": 3,
        "fill": "none",
        "stroke": palette.marker,
        "stroke_width": 2,
        **extra,
    }
    return f"<rect {_attrs(**ring)}/>"


def _heatmap_legend(
    palette: Theme,
    labels: ChartLabels,
    bounds: tuple[int, int, int],
    *,
    x: int,
    y: int,
    busiest: str | None,
) -> list[str]:
    """Two lines: the colour steps with their ranges and what they count; the strip's shades
    with what they count, and the busiest day's ring."""
    out = [f"<g {_attrs(font_size=SMALL_SIZE, fill=palette.muted, class_='legend')}>"]
    baseline = y + CELL - 1
    at = float(x)
    for step, label in enumerate(_step_ranges(bounds)):
        swatch = {"x": _number(at), "y": y, "width": CELL, "height": CELL, "rx": 2}
        out.append(f"<rect {_attrs(**swatch, fill=palette.levels[step], data_level=step)}/>")
        out.append(_text(label, x=_number(at + CELL + 4), y=baseline, class_="step"))
        at += CELL + 4 + text_width(label, SMALL_SIZE) + 10
    out.append(_text(labels.colour_key, x=_number(at + 6), y=baseline, class_="key"))

    y += 22
    baseline = y + CELL - 1
    at = float(x)
    strip_y = y + (CELL - STRIP_HEIGHT) / 2
    for step, label in enumerate(STRIP_STEPS, start=1):
        swatch = {"x": _number(at), "y": _number(strip_y), "width": CELL, "height": STRIP_HEIGHT}
        out.append(
            f"<rect {_attrs(**swatch, rx=1, fill=palette.automated[step], data_level=step)}/>"
        )
        out.append(_text(label, x=_number(at + CELL + 4), y=baseline, class_="step"))
        at += CELL + 4 + text_width(label, SMALL_SIZE) + 10
    out.append(_text(labels.strip_key, x=_number(at + 6), y=baseline, class_="key"))
    at += 6 + text_width(labels.strip_key, SMALL_SIZE) + 24
    if busiest is not None:
        out.append(
            f"<rect {_attrs(x=_number(at), y=y, width=CELL, height=CELL, rx=2)} "
            f"{_attrs(fill=palette.levels[4])}/>"
        )
        out.append(_ring(at, y, palette))
        out.append(_text(busiest, x=_number(at + CELL + 8), y=baseline, class_="key busiest"))
    out.append("</g>")
    return out
