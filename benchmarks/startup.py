"""How long `devstats --help` takes to start, beside a bare interpreter in the same run.

    python benchmarks/startup.py [--repeat 21]

Prints the median wall time of each command over `--repeat` runs, and which of the modules a
report run needs (httpx, Jinja2, the HTTP layer) `--help` loaded: none is the aim, since the
cost of importing httpx alone is shown beside it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "httpx",
    "jinja2",
    "sqlite3",
    "devstats.http.client",
    "devstats.http.cassettes",
    "devstats.model.report",
)
LOADED = (
    "import json, runpy, sys\n"
    "sys.argv = ['devstats', '--help']\n"
    "try:\n"
    "    runpy.run_module('devstats', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
)


def median_seconds(commands: list[list[str]], repeat: int) -> list[float]:
    """Median wall time of each command; the commands take turns, so a busy moment on the
    machine falls on all of them alike."""
    runs: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for times, command in zip(runs, commands, strict=True):
            began = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - began)
    return [statistics.median(times) for times in runs]


def heavy_modules_of_help() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", LOADED], check=True, capture_output=True, text=True, cwd=ROOT
    )
    loaded = set(json.loads(done.stderr))
    return sorted(loaded & set(HEAVY))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    repeat = parser.parse_args().repeat
    python = sys.executable
    cases = [
        ("baseline: python -c pass", [python, "-c", "pass"]),
        ("devstats --help", [python, "-m", "devstats", "--help"]),
        ("devstats --version", [python, "-m", "devstats", "--version"]),
        ("for scale: python -c 'import httpx'", [python, "-c", "import httpx"]),
    ]
    print(f"{'command':<38} {'median s':>9} {'over baseline':>14}   ({repeat} runs each)")
    medians = median_seconds([command for _, command in cases], repeat)
    for (label, _), seconds in zip(cases, medians, strict=True):
        print(f"{label:<38} {seconds:>9.3f} {seconds - medians[0]:>14.3f}")
    heavy = heavy_modules_of_help()
    print(f"modules a report run needs, loaded by --help: {', '.join(heavy) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
