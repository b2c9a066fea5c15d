"""The run's pictures, from the report: which ones there are, what each is drawn from, and the
names their files go by. `devstats/render/charts/__init__.py` draws them; nothing here writes.

Pictures are named without an extension ("heatmap-light", "downloads-pytorch-optimizer-dark");
`devstats/render/assets.py` turns them into `.svg` and `.png` files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from devstats.model.facts import Downloads
from devstats.model.package_names import normalize
from devstats.model.report import CalendarEntry, Report
from devstats.render.charts import THEMES, downloads_chart, heatmap
from devstats.render.words.charts import CHART_LABELS

_UNSAFE = re.compile(r"[^a-z0-9]+")


def package_slug(name: str) -> str:
    """The PEP 503 name, safe as a file name: "pytorch_optimizer" -> "pytorch-optimizer"."""
    return _UNSAFE.sub("-", normalize(name)).strip("-") or "package"


def real_and_automated(calendar: Sequence[CalendarEntry], year: int) -> dict[date, tuple[int, int]]:
    """Each day of the year: (real contributions, automated commits). Real is the calendar's
    count less the automated commits of that day, as `contributions.human` is for the year."""
    days: dict[date, tuple[int, int]] = {}
    for entry in calendar:
        if entry.day.year == year:
            days[entry.day] = (max(entry.count - entry.automated, 0), max(entry.automated, 0))
    return days


def busiest_day(days: dict[date, tuple[int, int]]) -> date | None:
    """The day with the most real contributions (the earliest of equal days); None when the
    year has no real contribution at all."""
    best: tuple[int, date] | None = None
    for day, (real, _) in sorted(days.items()):
        if real > 0 and (best is None or real > best[0]):
            best = (real, day)
    return best[1] if best else None


def months_of(downloads: Downloads, year: int) -> list[int | None]:
    """The year's twelve months, January first: the month's downloads, or None if unknown."""
    return [downloads.monthly.get(f"{year}-{month:02d}") for month in range(1, 13)]


def pictures(report: Report, *, lang: str) -> dict[str, str]:
    """heatmap-light and heatmap-dark and, for each package with a known month in the year,
    downloads-<package>-light and downloads-<package>-dark: picture name -> SVG text."""
    labels = CHART_LABELS[lang]
    days = real_and_automated(report.calendar, report.year)
    # The day the highlights name, so the picture and the text agree (in the report's zone).
    rhythm = report.highlights.rhythm if report.highlights else None
    named = rhythm.busiest_day.day if rhythm and rhythm.busiest_day else None
    busiest = named if named is not None and named.year == report.year else busiest_day(days)
    drawn: dict[str, str] = {}
    for theme in THEMES:
        drawn[f"heatmap-{theme}"] = heatmap(
            year=report.year, days=days, theme=theme, labels=labels, busiest=busiest
        )
    for package in report.packages:
        if package.downloads is None or not package.downloads.monthly:
            continue
        months = months_of(package.downloads, report.year)
        for theme in THEMES:
            drawn[f"downloads-{package_slug(package.name)}-{theme}"] = downloads_chart(
                package=package.name, year=report.year, months=months, theme=theme, labels=labels
            )
    return drawn
