"""The year's contributions as a GitHub-like heatmap, as SVG text: cells coloured by real work,
a strip under each week shaded by its days with automated commits, the busiest day ringed, and a
legend that says what the colours and the strip count."""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from devstats.render.charts.svg_text import (
    PADDING,
    SMALL_SIZE,
    Theme,
    attrs,
    closing,
    coordinate,
    heading,
    opening,
    palette,
    text,
    text_width,
)
from devstats.render.words.charts import ChartLabels

# GitHub's proportions (10 px cells, 3 px apart).
CELL = 10
GAP = 3
PITCH = CELL + GAP
WEEKDAY_WIDTH = 30
GRID_TOP = 80
STRIP_GAP = 5
STRIP_HEIGHT = 5
LEFT = PADDING + WEEKDAY_WIDTH
# Shades of the strip, by the share of a week's days (in the year) with automated commits; read
# as days of a full week, the steps are 1-2, 3-4, 5-6 and all 7.
STRIP_STEPS = ("1–2", "3–4", "5–6", "7")


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


def strip_step(automated_days: int, days_in_week: int) -> int:
    if automated_days <= 0 or days_in_week <= 0:
        return 0
    sevenths = automated_days * 7 / days_in_week
    if sevenths >= 7:
        return 4
    return min(math.ceil(sevenths / 2), 3)


@dataclass(frozen=True)
class _Year:
    """The year's days in grid order, with their counts, and where the grid lies."""

    year: int
    days: tuple[date, ...]
    counts: Mapping[date, tuple[int, int]]
    offset: int  # the first day's row: Sunday = 0
    weeks: int

    def place(self, day: date) -> tuple[int, int]:
        column, row = divmod(self.offset + (day - self.days[0]).days, 7)
        return LEFT + column * PITCH, GRID_TOP + row * PITCH


def _year_of(year: int, days: Mapping[date, tuple[int, int]]) -> _Year:
    first = date(year, 1, 1)
    length = 366 if calendar.isleap(year) else 365
    year_days = tuple(first + timedelta(days=i) for i in range(length))
    counts: dict[date, tuple[int, int]] = {}
    for day in year_days:
        real, automated = days.get(day, (0, 0))
        if real < 0 or automated < 0:
            raise ValueError(f"negative count on {day.isoformat()}")
        counts[day] = (real, automated)
    offset = (first.weekday() + 1) % 7  # Sunday = 0
    return _Year(year, year_days, counts, offset, (offset + length + 6) // 7)


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
    colours = palette(theme)
    if busiest is not None and busiest.year != year:
        raise ValueError(f"the busiest day {busiest.isoformat()} is not in {year}")
    grid = _year_of(year, days)
    bounds = colour_bounds([real for real, _ in grid.counts.values()])
    summary = _summary(grid, labels)
    busiest_text = None
    if busiest is not None:
        real = f"{grid.counts[busiest][0]:,}"
        busiest_text = labels.busiest_key.format(day=labels.day(busiest), real=real)
    title = labels.heatmap_title.format(year=year)
    desc = [summary, labels.colour_key, labels.strip_key, *([busiest_text] if busiest_text else [])]
    width = LEFT + grid.weeks * PITCH - GAP + PADDING
    strip_top = GRID_TOP + 7 * PITCH - GAP + STRIP_GAP
    legend_top = strip_top + STRIP_HEIGHT + 22
    out = opening(
        width=width,
        height=legend_top + 2 * 22 + 4,
        title=title,
        desc=labels.separator.join(desc),
        theme=colours,
        key=f"devstats-heatmap-{theme}",
    )
    out.extend(heading(title, summary, colours, room=width - 2 * PADDING))
    out.extend(_axis_labels(grid, colours, labels, strip_top))
    out.extend(_cells(grid, colours, bounds))
    out.extend(_strips(grid, colours, strip_top))
    if busiest is not None:
        x, y = grid.place(busiest)
        out.append(_ring(x, y, colours, class_="busiest", data_date=busiest.isoformat()))
    out.extend(_legend(colours, labels, bounds, x=LEFT, y=legend_top, busiest=busiest_text))
    out.extend(closing())
    return "\n".join(out) + "\n"


def _summary(grid: _Year, labels: ChartLabels) -> str:
    counts = grid.counts.values()
    real_total = sum(real for real, _ in counts)
    real_days = sum(1 for real, _ in counts if real)
    automated_total = sum(automated for _, automated in counts)
    automated_days = sum(1 for _, automated in counts if automated)
    summary = labels.heatmap_summary.format(real=f"{real_total:,}", days=real_days)
    if automated_total:
        summary += labels.separator + labels.heatmap_automated.format(
            automated=f"{automated_total:,}", days=automated_days
        )
    return summary


def _axis_labels(grid: _Year, colours: Theme, labels: ChartLabels, strip_top: int) -> list[str]:
    out = [f"<g {attrs(font_size=SMALL_SIZE - 1, fill=colours.muted)}>"]
    for month in range(1, 13):
        column = _month_column(grid.year, month, grid.offset)
        x = LEFT + column * PITCH
        out.append(text(labels.months[month - 1], x=x, y=GRID_TOP - 8, class_="month"))
    for row in (1, 3, 5):
        y = GRID_TOP + row * PITCH + CELL - 1
        out.append(text(labels.weekdays[row], x=PADDING, y=y, class_="weekday"))
    out.append(text(labels.strip_label, x=PADDING, y=strip_top + STRIP_HEIGHT + 1, font_size=8))
    out.append("</g>")
    return out


def _cells(grid: _Year, colours: Theme, bounds: tuple[int, int, int]) -> list[str]:
    out = ['<g class="days">']
    for day in grid.days:
        x, y = grid.place(day)
        real, automated = grid.counts[day]
        step = colour_step(real, bounds)
        cell = {
            "x": x,
            "y": y,
            "width": CELL,
            "height": CELL,
            "rx": 2,
            "fill": colours.levels[step],
            "class_": "day",
            "data_date": day.isoformat(),
            "data_real": real,
            "data_automated": automated,
            "data_level": step,
        }
        out.append(f"<rect {attrs(**cell)}/>")
    out.append("</g>")
    return out


def _strips(grid: _Year, colours: Theme, strip_top: int) -> list[str]:
    out = ['<g class="automated">']
    columns: dict[int, list[date]] = {}
    for index, day in enumerate(grid.days):
        columns.setdefault((grid.offset + index) // 7, []).append(day)
    for column, members in columns.items():
        with_automated = sum(1 for day in members if grid.counts[day][1])
        step = strip_step(with_automated, len(members))
        strip = {
            "x": LEFT + column * PITCH,
            "y": strip_top,
            "width": CELL,
            "height": STRIP_HEIGHT,
            "rx": 1,
            "fill": colours.automated[step],
            "class_": "week",
            "data_week": members[0].isoformat(),
            "data_automated_days": with_automated,
            "data_level": step,
        }
        out.append(f"<rect {attrs(**strip)}/>")
    out.append("</g>")
    return out


def _month_column(year: int, month: int, offset: int) -> int:
    """The first week column whose Sunday lies in `month` (January: the first column), as
    GitHub places its month labels: never over a week that mostly belongs to the month before."""
    start = date(year, month, 1)
    column = (offset + (start - date(year, 1, 1)).days) // 7
    if month > 1 and (start.weekday() + 1) % 7 != 0:
        column += 1
    return column


def _ring(x: float, y: float, colours: Theme, **extra: object) -> str:
    ring = {
        "x": x - 2,
        "y": y - 2,
        "width": CELL + 4,
        "height": CELL + 4,
        "rx": 3,
        "fill": "none",
        "stroke": colours.marker,
        "stroke_width": 2,
        **extra,
    }
    return f"<rect {attrs(**ring)}/>"


def _legend(
    colours: Theme,
    labels: ChartLabels,
    bounds: tuple[int, int, int],
    *,
    x: int,
    y: int,
    busiest: str | None,
) -> list[str]:
    """Two lines: the colour steps with their ranges and what they count; the strip's shades
    with what they count, and the busiest day's ring."""
    out = [f"<g {attrs(font_size=SMALL_SIZE, fill=colours.muted, class_='legend')}>"]
    baseline = y + CELL - 1
    at = float(x)
    for step, label in enumerate(_step_ranges(bounds)):
        swatch = {"x": coordinate(at), "y": y, "width": CELL, "height": CELL, "rx": 2}
        out.append(f"<rect {attrs(**swatch, fill=colours.levels[step], data_level=step)}/>")
        out.append(text(label, x=coordinate(at + CELL + 4), y=baseline, class_="step"))
        at += CELL + 4 + text_width(label, SMALL_SIZE) + 10
    out.append(text(labels.colour_key, x=coordinate(at + 6), y=baseline, class_="key"))
    y += 22
    baseline = y + CELL - 1
    at = float(x)
    strip_y = y + (CELL - STRIP_HEIGHT) / 2
    for step, label in enumerate(STRIP_STEPS, start=1):
        swatch = {"x": coordinate(at), "y": coordinate(strip_y), "width": CELL}
        shade = colours.automated[step]
        out.append(
            f"<rect {attrs(**swatch, height=STRIP_HEIGHT, rx=1, fill=shade, data_level=step)}/>"
        )
        out.append(text(label, x=coordinate(at + CELL + 4), y=baseline, class_="step"))
        at += CELL + 4 + text_width(label, SMALL_SIZE) + 10
    out.append(text(labels.strip_key, x=coordinate(at + 6), y=baseline, class_="key"))
    at += 6 + text_width(labels.strip_key, SMALL_SIZE) + 24
    if busiest is not None:
        out.append(
            f"<rect {attrs(x=coordinate(at), y=y, width=CELL, height=CELL, rx=2)} "
            f"{attrs(fill=colours.levels[4])}/>"
        )
        out.append(_ring(at, y, colours))
        out.append(text(busiest, x=coordinate(at + CELL + 8), y=baseline, class_="key busiest"))
    out.append("</g>")
    return out
