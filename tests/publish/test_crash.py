"""A run killed with SIGKILL at any point leaves every output old or new, never half, and a download
store that opens and holds a whole write or none of it; the next run then succeeds."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from devstats.store import DownloadHistory
from tests.fakes.files import README
from tests.fakes.process import ROOT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

HARNESS = ROOT / "tests" / "fakes" / "crash_harness.py"
PICTURES = [
    "img/heatmap-light.svg",
    "img/heatmap-dark.svg",
    "img/downloads-pytorch-optimizer-light.svg",
    "img/downloads-pytorch-optimizer-dark.svg",
]
MAIN = {"inject": ["--inject", "README.md"], "output": ["--output", "year.md"]}


def arguments(layout: str) -> list[str]:
    return [
        *["2022", "--user", "kozistr", "--offline", *MAIN[layout]],
        *["--json-output", "data/year.json", "--assets", "img", "--history", "store.sqlite3"],
    ]


def lay_out(folder: Path) -> dict[str, bytes | None]:
    """Last year's outputs and an empty store; return every target's content (None: absent)."""
    (folder / "img").mkdir(parents=True)
    (folder / "README.md").write_text(README)
    (folder / "year.md").write_text("last year's Markdown\n")
    (folder / "img" / "heatmap-light.svg").write_text("<svg>last year</svg>")
    DownloadHistory(folder / "store.sqlite3").close()
    return contents(folder)


def contents(folder: Path) -> dict[str, bytes | None]:
    names = ["README.md", "year.md", "data/year.json", *PICTURES]
    return {n: (folder / n).read_bytes() if (folder / n).exists() else None for n in names}


def store_state(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with DownloadHistory(path):  # opens (and recovers) like a run would
        pass
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        days = db.execute("SELECT package, mirrors, day, downloads FROM downloads ORDER BY 1, 2, 3")
        baselines = db.execute("SELECT package, mirrors, before_date, downloads FROM baselines")
        return days.fetchall(), baselines.fetchall()


def devstats(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEVSTATS_", "GITHUB_"))}
    env["HOME"] = str(folder)
    return subprocess.run(
        [sys.executable, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, ...]]:
    """Per layout: the outputs and store of a run that was not interrupted."""
    results: dict[str, tuple[object, ...]] = {}
    for layout in MAIN:
        folder = tmp_path_factory.mktemp(layout)
        lay_out(folder)
        done = devstats(folder, "-m", "devstats", *arguments(layout))
        assert done.returncode == 0, done.stderr
        results[layout] = (contents(folder), store_state(folder / "store.sqlite3"))
    return results


@pytest.mark.parametrize(
    ("layout", "point", "n"),
    [
        ("inject", "request", 1),  # the first request: nothing collected yet
        ("inject", "request", 5),  # half-way through the 9 requests of the collection
        ("inject", "insert", 1),  # the store's first write (the baseline) has begun
        ("inject", "insert", 90),  # half-way through writing the downloads of 180 days
        ("inject", "stage", 1),  # one output on disk under a temporary name
        ("inject", "stage", 6),  # all six staged, none renamed
        ("inject", "rename", 1),  # about to rename the first
        ("inject", "rename", 4),  # three renamed, three not
        ("output", "stage", 3),
        ("output", "rename", 2),
        ("output", "rename", 6),  # the last rename
    ],
)
def test_a_killed_run_leaves_each_output_old_or_new_and_the_store_whole(
    tmp_path: Path, finished: dict[str, tuple[object, ...]], layout: str, point: str, n: int
) -> None:
    old = lay_out(tmp_path)
    old_store = store_state(tmp_path / "store.sqlite3")
    new, new_store = finished[layout]
    assert isinstance(new, dict)
    killed = devstats(tmp_path, str(HARNESS), point, str(n), *arguments(layout))
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # the point was reached

    now = contents(tmp_path)
    for name, content in now.items():
        assert content in (old[name], new[name]), f"{name} is neither last year's nor this year's"
    # A half-written store write is rolled back when the store is next opened: the baseline and
    # the 180 days are two writes, each there whole or not at all.
    days, baselines = store_state(tmp_path / "store.sqlite3")
    assert days in (old_store[0], new_store[0])
    assert baselines in (old_store[1], new_store[1])
    # What a kill may leave besides: temporary files (hidden, beside their targets) only.
    expected = {n for n, c in now.items() if c is not None} | {"data", "img", "store.sqlite3"}
    leftovers = {
        p.relative_to(tmp_path).as_posix()
        for p in tmp_path.rglob("*")
        if p.relative_to(tmp_path).as_posix() not in expected
    }
    assert all(
        (Path(p).name.startswith(".") and p.endswith(".tmp")) or p.startswith("store.sqlite3-")
        for p in leftovers
    ), leftovers

    again = devstats(tmp_path, "-m", "devstats", *arguments(layout))
    assert again.returncode == 0, again.stderr
    assert contents(tmp_path) == new
    assert store_state(tmp_path / "store.sqlite3") == new_store
