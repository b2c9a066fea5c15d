"""Stars of the listed projects: GitHub's stargazer walk against one query to the event history.

Builds the small constructed year of benchmarks/year.py (15 repositories, 1.7k commits,
5 packages) and gives its three busiest projects, the ones the year lists, 2,000 more stars in
the year, so that walking their stargazers newest first (100 a page, ten repositories a query)
takes many GraphQL rounds. The same world's public event history (tests/fakes/events_world.py:
a star event per star, every pull request and release) is served by the fake ClickHouse, which
runs devstats' SQL on an embedded ClickHouse (chDB). Every upstream answers after `--latency`
seconds (default 0.1), one loopback host each, as in benchmarks/year.py.

Then runs `devstats YEAR --format json` cold (empty cache and download store each) with
`--events-source github` (today's stargazer walk), `clickhouse` and `auto`, and prints per run
the requests to GitHub, the event queries, the other ClickHouse (ClickPy) queries, pypistats.org
and PyPI, the wall time, and the stars gained the report gives the three projects, then the
targets and whether they were met.

    python benchmarks/events.py [--latency 0.1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from year import Bounds, Upstream, bounds, devstats, run_child  # noqa: E402

from tests.fakes.events_world import fake_events  # noqa: E402
from tests.fakes.github_world import github_schema  # noqa: E402
from tests.fakes.year_world import LOGIN, SMALL, YearWorld, build_year  # noqa: E402

EXTRA_STARS = (1_000, 600, 400)  # given in the year to the three busiest projects


@dataclass(frozen=True)
class Run:
    label: str
    github: int
    events: int
    clickpy: int
    pypistats: int
    pypi: int
    seconds: float
    stars: dict[str, int]


def busiest(world: YearWorld, count: int = 3) -> list[str]:
    user = world.github.user(LOGIN)
    assert user is not None
    year = world.spec.year
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) - timedelta(seconds=1)
    commits = Counter(
        r.name_with_owner for r, _ in world.github.commit_contributions(user, start, end)
    )
    return [name for name, _ in commits.most_common(count)]


def add_stars(world: YearWorld, names: list[str]) -> None:
    rng = random.Random(22)
    start = datetime(world.spec.year, 1, 1, tzinfo=UTC)
    for name, extra in zip(names, EXTRA_STARS, strict=True):
        repository = world.github.repositories[name.lower()]
        given = [start + timedelta(seconds=rng.randrange(365 * 86_400)) for _ in range(extra)]
        repository.starred_at = sorted([*repository.starred_at, *given])
        repository.stars = len(repository.starred_at)


def stars_in_year(world: YearWorld, names: list[str]) -> dict[str, int]:
    year = world.spec.year
    return {
        name: sum(1 for t in world.github.repositories[name.lower()].starred_at if t.year == year)
        for name in names
    }


def measure(latency: float) -> tuple[list[Run], Bounds, dict[str, int]]:
    world = build_year(SMALL)
    names = busiest(world)
    add_stars(world, names)
    truth = stars_in_year(world, names)
    bound = bounds(world)
    upstream = Upstream(world, latency)
    history = fake_events(world.github)  # everything: the year is over and loaded
    history.load()  # chDB started and the rows in, before anything is timed
    upstream.world.events = history
    runs: list[Run] = []
    with upstream.serving():
        for source in ("github", "clickhouse", "auto"):
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch)
                now = datetime.combine(SMALL.today, clock_time(9), tzinfo=UTC)
                env = {
                    "PATH": os.environ.get("PATH", ""),
                    "HOME": str(folder),
                    "GITHUB_TOKEN": "benchmark-token-not-a-secret",
                    "DEVSTATS_CACHE_DIR": str(folder / "cache"),
                    "DEVSTATS_NOW": now.isoformat(),
                    **upstream.env(),
                }
                command = devstats(
                    SMALL.year, SMALL, folder, "--events-source", source, "--format", "json"
                )
                before = len(history.received)
                label = f"devstats, cold, --events-source {source}"
                measured = run_child(label, command, env, upstream)
                events = len(history.received) - before
                report = json.loads(measured.output)
                gained = {
                    p["repository"]: p["stars_gained"]
                    for p in report["projects"]
                    if p["repository"] in truth
                }
                runs.append(
                    Run(
                        label=label,
                        github=measured.requests["/github"],
                        events=events,
                        clickpy=measured.requests["/clickhouse"] - events,
                        pypistats=measured.requests["/pypistats"],
                        pypi=measured.requests["/pypi"],
                        seconds=measured.seconds,
                        stars=gained,
                    )
                )
    return runs, bound, truth


def report(runs: list[Run], bound: Bounds, truth: dict[str, int]) -> list[str]:
    total = sum(truth.values())
    lines = [
        f"{SMALL.label}; the 3 projects listed gained {total:,} stars in {SMALL.year} "
        f"({', '.join(f'{n}: {s:,}' for n, s in truth.items())})",
        f"GitHub lower bound {bound.github} requests, {bound.stars} more for the stargazer walk, "
        f"{bound.highlights} for highlights",
        f"{'run':<42} {'GitHub':>6} {'events':>6} {'ClickPy':>7} {'pypistats':>9} {'PyPI':>5}"
        f" {'wall s':>7}  stars gained (3 projects)",
    ]
    for r in runs:
        stars = sum(r.stars.values())
        lines.append(
            f"{r.label:<42} {r.github:>6} {r.events:>6} {r.clickpy:>7} {r.pypistats:>9} "
            f"{r.pypi:>5} {r.seconds:>7.2f}  {stars:,}"
        )
    github, clickhouse, auto = runs
    allowed = 1.2 * bound.github + bound.highlights
    verdicts = [
        ("--events-source clickhouse: at most 1 event query", clickhouse.events <= 1),
        ("auto, a past year: at most 1 event query", auto.events <= 1),
        (
            f"GitHub requests with the event history <= 1.2 x {bound.github} + "
            f"{bound.highlights} (highlights), no stargazer walk",
            clickhouse.github <= allowed and auto.github <= allowed,
        ),
        ("--events-source github asks no event query", github.events == 0),
        (
            "stars gained agree with the world (no star was removed in it), every source",
            all(r.stars == truth for r in runs),
        ),
        (
            "the event history is faster than the stargazer walk",
            clickhouse.seconds < github.seconds,
        ),
    ]
    lines += [f"  {'met ' if ok else 'MISSED'} {what}" for what, ok in verdicts]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    options = parser.parse_args()
    github_schema()  # built once, before anything is timed
    print(
        f"{datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {options.latency * 1000:g} ms per request"
    )
    runs, bound, truth = measure(options.latency)
    print()
    print("\n".join(report(runs, bound, truth)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
