"""The demo package's whole download history, as ClickPy would hold it (constructed).

PyPI's log has every day since the package's first upload; pypistats.org keeps only the last 180
of them. Here:
- the days pypistats.org serves (tests/fakes/pypi_world.py) are the same days in ClickPy, with
  the with-mirrors surplus recorded as downloads by bandersnatch, so the two sources agree where
  they overlap (as they should, up to the Python-version filter, which this data leaves out);
- the days before them, from the first upload (2021-09-22) to 2022-06-17, are constructed: a
  seeded series with a launch spike that settles to a steady level, a weekend dip and noise,
  scaled so that the days before 2022-06-18 add up to exactly BASELINE_DOWNLOADS (29,120 without
  mirrors, 29,980 with), the same all-time figure the constructed baseline gave: 41,604 on
  2022-12-14.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from tests.fakes.clickhouse import DownloadRow, FakeClickHouse
from tests.fakes.pypi_world import BASELINE_DOWNLOADS, NORMALIZED, SERIES_START, PyPIWorld

HISTORY_SEED = 20210922


def _scaled(weights: list[float], total: int) -> list[int]:
    """Whole numbers proportional to `weights` adding up to exactly `total` (largest remainder)."""
    whole = sum(weights)
    exact = [w * total / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def earlier_days(
    first_day: date, seed: int = HISTORY_SEED
) -> tuple[dict[date, int], dict[date, int]]:
    """(without mirrors, mirror surplus) for first_day .. the day before pypistats.org's series."""
    days = [first_day + timedelta(n) for n in range((SERIES_START - first_day).days)]
    rng = random.Random(seed)
    weights = []
    for index, day in enumerate(days):
        trend = 75 + 260 * math.exp(-index / 45)
        weekend = 0.65 if day.weekday() >= 5 else 1.0
        weights.append(trend * weekend * rng.uniform(0.8, 1.2))
    without = _scaled(weights, BASELINE_DOWNLOADS[False])
    surplus = _scaled(
        [rng.uniform(0.5, 1.5) for _ in days], BASELINE_DOWNLOADS[True] - sum(without)
    )
    return dict(zip(days, without, strict=True)), dict(zip(days, surplus, strict=True))


def clickpy_rows(world: PyPIWorld) -> list[DownloadRow]:
    """Every day of the demo package's downloads, by installer, as ClickPy stores them."""
    first_day = world.releases[0].uploaded_at.date()
    without, surplus = earlier_days(first_day)
    for day, count in world.daily(False).items():
        without[day] = count
        surplus[day] = world.daily(True)[day] - count
    rows = []
    for day in sorted(without):
        rows.append(DownloadRow(day, NORMALIZED, "pip", without[day]))
        if surplus.get(day):
            rows.append(DownloadRow(day, NORMALIZED, "bandersnatch", surplus[day]))
    return rows


def demo_clickhouse(world: PyPIWorld) -> FakeClickHouse:
    return FakeClickHouse(rows=clickpy_rows(world))
