"""Whole `devstats` runs against a fake upstream with a delay per request, beside a naive script.

Builds constructed years (tests/fakes/year_world.py): small (15 repositories, 1.7k commits,
5 packages) and large (300 repositories, 15k commits, 20 packages). Serves each behind loopback
servers, one per upstream host (GitHub on 127.0.0.2, PyPI on 127.0.0.3, pypistats.org on
127.0.0.4, ClickHouse on 127.0.0.5), where every answer waits `--latency` seconds (default 0.1)
before the fake computes it. Then runs, as child processes:

1. the naive script (benchmarks/naive_year.py: PyGithub, no pauses, REST);
2. `devstats YEAR` with an empty cache and download store (cold);
3. the same again (warm: the report the cold run kept, devstats/run/kept.py);
4. the same with a setting that shapes the report (`--exclude-repo nobody/nothing`): no kept
   report fits it, so it is made again, from the cold run's cached answers;
5. `devstats YEAR-1`, last year's report, which leaves the previous year in the cache;
6. `devstats YEAR --compare` on that cache, made from the cached answers;
7. the same again, which takes the report 6 kept.

A run that takes a kept report changes nothing, so it is run three times and the median is shown.

and prints, per run, the requests each host received, the wall time and the child's peak
memory (ru_maxrss, taken by benchmarks/child_usage.py so that it is the child's own and not the
benchmark's), then the targets and whether this run met them.

    python benchmarks/year.py [--latency 0.1] [--only small|large]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.github_world import FakeGitHub, github_schema  # noqa: E402
from tests.fakes.loopback import LoopbackServer  # noqa: E402
from tests.fakes.world import DemoWorld  # noqa: E402
from tests.fakes.year_world import LARGE, LOGIN, SMALL, YearSpec, YearWorld, build_year  # noqa: E402

# Each upstream on a loopback address of its own, so each is a host of its own to the client.
HOSTS = {
    "/github": "127.0.0.2",
    "/pypi": "127.0.0.3",
    "/pypistats": "127.0.0.4",
    "/clickhouse": "127.0.0.5",
}
COLUMNS = ("/github", "/pypistats", "/pypi", "/clickhouse")
NAIVE = ROOT / "benchmarks" / "naive_year.py"
CHILD_USAGE = ROOT / "benchmarks" / "child_usage.py"
WARM_RUNS = 3


class Upstream:
    """The fake upstream of one constructed year, behind one loopback server per host."""

    def __init__(self, world: YearWorld, latency: float) -> None:
        github = FakeGitHub(world.github)
        self.world = DemoWorld(
            github=github, pypi=world.packages, clickhouse=world.packages.clickhouse()
        )
        self.latency = latency
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.servers = {prefix: LoopbackServer(self.handle, host) for prefix, host in HOSTS.items()}

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        time.sleep(self.latency)
        with self._lock:
            self.counts["/" + request.url.path.split("/")[1]] += 1
        # The fakes keep every request; a benchmark needs only the counts.
        self.world.requests.clear()
        self.world.github.log.clear()
        return self.world.handle(request)

    def env(self) -> dict[str, str]:
        url = {prefix: server.url + prefix for prefix, server in self.servers.items()}
        return {
            "GITHUB_GRAPHQL_URL": f"{url['/github']}/graphql",
            "GITHUB_API_URL": url["/github"],
            "DEVSTATS_PYPI_URL": url["/pypi"],
            "DEVSTATS_PYPISTATS_URL": f"{url['/pypistats']}/api",
            "DEVSTATS_CLICKHOUSE_URL": url["/clickhouse"],
        }

    @contextmanager
    def serving(self) -> Iterator[Upstream]:
        for server in self.servers.values():
            server.start()
        try:
            yield self
        finally:
            for server in self.servers.values():
                server.stop()


@dataclass(frozen=True)
class Measured:
    label: str
    requests: dict[str, int]
    seconds: float
    peak_mb: float
    output: str


def run_child(label: str, command: list[str], env: dict[str, str], upstream: Upstream) -> Measured:
    """Run one child process; its requests, wall time and peak resident memory, both measured
    by benchmarks/child_usage.py around it."""
    before = Counter(upstream.counts)
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        usage_file = Path(scratch) / "usage.json"
        launched = [sys.executable, str(CHILD_USAGE), str(usage_file), *command]
        child = subprocess.run(launched, env=env, stdout=out, stderr=err, cwd=env["HOME"])
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{label} failed ({child.returncode}):\n{err.read().decode()[-3000:]}")
        output = out.read().decode()
        usage = json.loads(usage_file.read_text())
    requests = {k: upstream.counts[k] - before[k] for k in COLUMNS}
    return Measured(label, requests, usage["seconds"], usage["peak_kb"] / 1024, output)


def devstats(year: int, spec: YearSpec, folder: Path, *more: str) -> list[str]:
    packages = [arg for i in range(spec.packages) for arg in ("--package", f"tool-{i:03d}")]
    history = ["--history", str(folder / "downloads.sqlite3")]
    return [
        sys.executable,
        "-m",
        "devstats",
        str(year),
        "--user",
        LOGIN,
        *packages,
        *history,
        *more,
    ]


@dataclass(frozen=True)
class Bounds:
    github: int  # 1 request for the calendar and the first window, 1 per 10 pages of commits
    stars: int  # 1 request per 10 listed projects per page round of stargazers
    # the highlights' reviews and issues given (1), first pull requests (1 per 10 projects)
    highlights: int

    @property
    def allowed(self) -> float:
        """The GitHub requests a cold run may make: 1.2 times the lower bound, and the rest."""
        return 1.2 * self.github + self.stars + self.highlights


def bounds(world: YearWorld, projects: int = 3) -> Bounds:
    """The request counts the targets are measured against, from the world's own data."""
    user = world.github.user(LOGIN)
    assert user is not None
    year = world.spec.year
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) - timedelta(seconds=1)
    per_repository = Counter(
        r.name_with_owner for r, _ in world.github.commit_contributions(user, start, end)
    )
    pages = sum(math.ceil(n / 100) for n in per_repository.values())
    # The listed projects are the busiest; a newest-first walk of their stargazers reads pages
    # until one holds a star older than the year (or the list ends).
    star_pages = []
    for name, _ in per_repository.most_common(projects):
        times = world.github.repositories[name.lower()].starred_at
        newer = sum(1 for t in times if t >= start)
        star_pages.append(newer // 100 + 1 if newer < len(times) else max(1, -(-newer // 100)))
    rounds = [sum(1 for p in star_pages if p > r) for r in range(max(star_pages, default=0))]
    external = {
        p.repository
        for p in world.github.pull_requests
        if not p.repository.lower().startswith(f"{LOGIN}/")
        and any(m is not None and start <= m <= end for m in (p.created_at, p.merged_at))
    }
    return Bounds(
        github=1 + math.ceil(pages / 10),
        stars=sum(math.ceil(n / 10) for n in rounds),
        highlights=1 + math.ceil(len(external) / 10),
    )


def measure(spec: YearSpec, latency: float) -> tuple[list[Measured], Bounds]:
    world = build_year(spec)
    bound = bounds(world)
    upstream = Upstream(world, latency)
    with upstream.serving(), tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        now = datetime.combine(spec.today, clock_time(9), tzinfo=UTC)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(folder),
            "GITHUB_TOKEN": "benchmark-token-not-a-secret",
            "DEVSTATS_CACHE_DIR": str(folder / "cache"),
            "DEVSTATS_NOW": now.isoformat(),
            **upstream.env(),
        }
        names = [f"tool-{i:03d}" for i in range(spec.packages)]
        year = spec.year
        remade = (year, spec, folder, "--exclude-repo", "nobody/nothing")
        runs = [
            (
                "naive script (PyGithub, REST)",
                [sys.executable, str(NAIVE), LOGIN, str(year), *names],
                1,
            ),
            ("devstats, cold", devstats(year, spec, folder), 1),
            (f"devstats, warm (median of {WARM_RUNS})", devstats(year, spec, folder), WARM_RUNS),
            # Another setting that shapes the report: it is made again, from the cached answers.
            ("warm, made again from the cached answers", devstats(*remade), 1),
            (f"devstats {year - 1} (last year's run)", devstats(year - 1, spec, folder), 1),
            ("devstats --compare, warm, first", devstats(year, spec, folder, "--compare"), 1),
            (
                f"devstats --compare, warm again (median of {WARM_RUNS})",
                devstats(year, spec, folder, "--compare"),
                WARM_RUNS,
            ),
        ]
        return [median(label, command, env, upstream, n) for label, command, n in runs], bound


def median(
    label: str, command: list[str], env: dict[str, str], upstream: Upstream, times: int
) -> Measured:
    """The run of median wall time among `times` runs (a warm run can be repeated as it is)."""
    runs = sorted((run_child(label, command, env, upstream) for _ in range(times)), key=_seconds)
    return runs[len(runs) // 2]


def _seconds(measured: Measured) -> float:
    return measured.seconds


def table(spec: YearSpec, results: list[Measured], bound: Bounds) -> list[str]:
    lines = [
        f"{spec.label}: GitHub lower bound {bound.github} requests, and "
        f"{bound.stars} for the stars of the 3 projects listed, {bound.highlights} for highlights",
        f"{'run':<44} {'GitHub':>6} {'pypistats':>9} {'PyPI':>5} {'ClickHouse':>10}"
        f" {'wall s':>7} {'peak MB':>8}",
    ]
    for m in results:
        counts = " ".join(
            f"{m.requests[k]:>{w}}" for k, w in zip(COLUMNS, (6, 9, 5, 10), strict=True)
        )
        lines.append(f"{m.label:<44} {counts} {m.seconds:>7.2f} {m.peak_mb:>8.1f}")
    return lines


def checks(spec: YearSpec, results: list[Measured], bound: Bounds) -> list[str]:
    naive, cold, warm, remade, _, compare, _ = results
    limit = 3.0 if spec is SMALL else 12.0
    verdicts = [
        (f"cold under {limit:g} s", cold.seconds < limit),
        ("cold faster than the naive script", cold.seconds < naive.seconds),
        (
            f"GitHub requests cold <= 1.2 x {bound.github} + {bound.stars} (stars) "
            f"+ {bound.highlights} (highlights)",
            cold.requests["/github"] <= bound.allowed,
        ),
        (
            "warm: 0 requests to GitHub and pypistats.org",
            warm.requests["/github"] == warm.requests["/pypistats"] == 0,
        ),
        ("warm under 0.5 s", warm.seconds < 0.5),
        (
            "made again from the cached answers: 0 requests to GitHub and pypistats.org",
            remade.requests["/github"] == remade.requests["/pypistats"] == 0,
        ),
        (
            "--compare on a warm cache: 0 requests to GitHub and pypistats.org",
            compare.requests["/github"] == compare.requests["/pypistats"] == 0,
        ),
        ("peak memory under 150 MB", max(m.peak_mb for m in results[1:]) < 150),
    ]
    return [f"  {'met ' if ok else 'MISSED'} {what}" for what, ok in verdicts]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument("--only", choices=("small", "large"))
    options = parser.parse_args()
    github_schema()  # built once, before anything is timed
    print(
        f"{datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {options.latency * 1000:g} ms per request"
    )
    for spec in (SMALL, LARGE):
        if options.only and not spec.label.startswith(options.only):
            continue
        results, bound = measure(spec, options.latency)
        print()
        print("\n".join(table(spec, results, bound)))
        print("\n".join(checks(spec, results, bound)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
