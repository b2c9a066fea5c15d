"""A package's downloads per month of a year, as SVG text: a bar per month on a labelled value
axis, the value over every bar, and unknown months drawn as hatched gaps, counted in a note."""

from __future__ import annotations

import math
from collections.abc import Sequence

from devstats.render.charts.svg_text import (
    PADDING,
    SMALL_SIZE,
    Theme,
    attrs,
    clean,
    closing,
    coordinate,
    esc,
    heading,
    opening,
    palette,
    text,
    text_width,
)
from devstats.render.numbers import compact
from devstats.render.words.charts import ChartLabels

CHART_WIDTH = 600
CHART_HEIGHT = 320
AXIS_WIDTH = 40  # room for the value labels left of the plot
PLOT_TOP = 84
PLOT_BOTTOM = 256
BAR_SHARE = 0.64  # of each month's slot
LEFT = PADDING + AXIS_WIDTH
RIGHT = CHART_WIDTH - PADDING
SLOT = (RIGHT - LEFT) / 12
BAR = round(SLOT * BAR_SHARE)


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
    colours = palette(theme)
    known = [(index, value) for index, value in enumerate(months) if value is not None]
    unknown = [index for index, value in enumerate(months) if value is None]
    peak = max((value for _, value in known), default=0)
    ticks = nice_ticks(peak)
    title = labels.downloads_title.format(package=clean(package), year=year)
    summary = _downloads_summary(known, unknown, labels, peak)
    key = f"devstats-downloads-{theme}"
    out = opening(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        title=title,
        desc=_downloads_desc(summary, year, months, labels),
        theme=colours,
        key=key,
    )
    hatch = f"devstats-unknown-{theme}"
    out.append(
        f"<defs><pattern {attrs(id=hatch, width=6, height=6, patternUnits='userSpaceOnUse')}"
        f' patternTransform="rotate(45)">'
        f"<rect {attrs(width=2, height=6, fill=colours.unknown, opacity=0.55)}/>"
        "</pattern></defs>"
    )
    out.extend(heading(title, summary, colours, room=CHART_WIDTH - 2 * PADDING))
    out.extend(_axis(ticks, colours))
    peak_index = max((i for i, value in known if value == peak), default=None) if peak else None
    out.append('<g class="months">')
    for index, value in enumerate(months):
        out.extend(_month(index, value, year, ticks[-1], peak_index, colours, labels, hatch))
    out.append("</g>")
    if unknown:
        out.extend(_unknown_note(len(unknown), colours, labels, hatch))
    out.extend(closing())
    return "\n".join(out) + "\n"


def _y_of(value: float, top: int) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top


def _axis(ticks: tuple[int, ...], colours: Theme) -> list[str]:
    out = ['<g class="axis">']
    for tick in ticks:
        y = _y_of(tick, ticks[-1])
        colour = colours.axis if tick == 0 else colours.grid
        line = {"x1": LEFT, "x2": RIGHT, "y1": coordinate(y), "y2": coordinate(y), "stroke": colour}
        out.append(f"<line {attrs(**line, stroke_width=1, data_value=tick)}/>")
        out.append(
            text(
                compact(tick),
                x=LEFT - 8,
                y=coordinate(y + 4),
                font_size=SMALL_SIZE,
                fill=colours.muted,
                text_anchor="end",
            )
        )
    out.append("</g>")
    return out


def _month(
    index: int,
    value: int | None,
    year: int,
    top: int,
    peak_index: int | None,
    colours: Theme,
    labels: ChartLabels,
    hatch: str,
) -> list[str]:
    """One month's bar (or hatched gap), its value and its name under the axis."""
    centre = LEFT + SLOT * index + SLOT / 2
    x = centre - BAR / 2
    month = f"{year}-{index + 1:02d}"
    name = labels.months[index]
    if value is None:
        out = [_gap(x, month, colours, hatch, labels.month_unknown.format(month=name, year=year))]
    else:
        tooltip = labels.month_value.format(month=name, year=year, value=f"{value:,}")
        out = _bar(x, centre, value, top, index == peak_index, month, colours, tooltip)
    out.append(
        text(
            name,
            x=coordinate(centre),
            y=PLOT_BOTTOM + 18,
            font_size=SMALL_SIZE,
            fill=colours.muted,
            text_anchor="middle",
            class_="month",
        )
    )
    return out


def _gap(x: float, month: str, colours: Theme, hatch: str, tooltip: str) -> str:
    gap = {
        "x": coordinate(x),
        "y": PLOT_TOP,
        "width": BAR,
        "height": PLOT_BOTTOM - PLOT_TOP,
        "fill": f"url(#{hatch})",
        "stroke": colours.unknown,
        "stroke_width": 1,
        "stroke_dasharray": "3 3",
        "rx": 2,
        "class_": "unknown",
        "data_month": month,
    }
    return f"<rect {attrs(**gap)}><title>{esc(tooltip)}</title></rect>"


def _bar(
    x: float,
    centre: float,
    value: int,
    top: int,
    is_peak: bool,
    month: str,
    colours: Theme,
    tooltip: str,
) -> list[str]:
    bar_height = (PLOT_BOTTOM - PLOT_TOP) * value / top
    if value and bar_height < 1:
        bar_height = 1  # a month with downloads never looks like a month without
    rect = {
        "x": coordinate(x),
        "y": coordinate(PLOT_BOTTOM - bar_height),
        "width": BAR,
        "height": coordinate(bar_height),
        "fill": colours.bar,
        "class_": "bar",
        "data_month": month,
        "data_value": value,
    }
    # The peak reads exactly where that fits its slot, the others compactly: the axis gives
    # their scale.
    shown = compact(value)
    if is_peak and text_width(f"{value:,}", SMALL_SIZE) <= SLOT - 4:
        shown = f"{value:,}"
    label = text(
        shown,
        x=coordinate(centre),
        y=coordinate(PLOT_BOTTOM - bar_height - 5),
        font_size=SMALL_SIZE,
        font_weight=700 if is_peak else 400,
        fill=colours.title if is_peak else colours.muted,
        text_anchor="middle",
        class_="value peak" if is_peak else "value",
    )
    return [f"<rect {attrs(**rect)}><title>{esc(tooltip)}</title></rect>", label]


def _unknown_note(count: int, colours: Theme, labels: ChartLabels, hatch: str) -> list[str]:
    note_y = PLOT_BOTTOM + 46
    swatch = {
        "x": PADDING,
        "y": note_y - 10,
        "width": 18,
        "height": 12,
        "fill": f"url(#{hatch})",
        "stroke": colours.unknown,
        "stroke_width": 1,
        "stroke_dasharray": "3 3",
        "rx": 2,
    }
    note = text(
        labels.unknown(count),
        x=PADDING + 26,
        y=note_y,
        font_size=SMALL_SIZE,
        fill=colours.muted,
        class_="note",
        data_unknown=count,
    )
    return [f"<rect {attrs(**swatch)}/>", note]


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
