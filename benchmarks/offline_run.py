"""Wall time of whole `devstats` processes, side by side with a bare interpreter as the baseline.

    python benchmarks/offline_run.py [--repeat 5]

Prints the median of several runs of: the interpreter starting and exiting (the floor every
command pays), `devstats --help` (import cost of the CLI), and the offline demo in Markdown and
JSON (the whole pipeline on the bundled cassettes).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as scratch:
        history = str(Path(scratch) / "h.sqlite3")
        offline = [
            sys.executable,
            "-m",
            "devstats",
            "2022",
            "--user",
            "kozistr",
            "--offline",
            "--history",
            history,
        ]
        cases = [
            ("baseline: python -c pass", [sys.executable, "-c", "pass"]),
            ("devstats --help", [sys.executable, "-m", "devstats", "--help"]),
            ("offline demo, markdown", offline),
            ("offline demo, json", [*offline, "--format", "json"]),
            ("offline demo, ko --compare", [*offline, "--lang", "ko", "--compare"]),
        ]
        floor = None
        print(f"{'command':<32} {'median s':>9} {'over baseline':>14}")
        for label, command in cases:
            seconds = timed(command, repeat)
            floor = seconds if floor is None else floor
            print(f"{label:<32} {seconds:>9.3f} {seconds - floor:>14.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
