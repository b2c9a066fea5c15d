"""Pictures that explain themselves, as SVG text: monthly downloads of a package
(devstats/render/charts/downloads.py), and the year's contribution heatmap with automated commits
drawn apart (devstats/render/charts/heatmap.py).

Pure functions on plain values: they return the SVG and write nothing. Every text that reaches
the picture (a package name comes from someone else) is XML-escaped, and the shapes that carry
data have `data-*` attributes, so tests read the picture the way a person would: by its labels
and its cells. Theme is "light" or "dark", for `<picture>` with `prefers-color-scheme`.
"""

from __future__ import annotations

from devstats.render.charts.downloads import downloads_chart, nice_ticks
from devstats.render.charts.heatmap import (
    STRIP_STEPS,
    colour_bounds,
    colour_step,
    heatmap,
    strip_step,
)
from devstats.render.charts.svg_text import FONT_STACK, THEMES, Theme, text_width
from devstats.render.words.charts import CHART_LABELS, ChartLabels

__all__ = [
    "CHART_LABELS",
    "FONT_STACK",
    "STRIP_STEPS",
    "THEMES",
    "ChartLabels",
    "Theme",
    "colour_bounds",
    "colour_step",
    "downloads_chart",
    "heatmap",
    "nice_ticks",
    "strip_step",
    "text_width",
]
