"""Several runs on one download store at once: none fails on a lock, no day is lost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from devstats.store import DownloadHistory
from tests.fakes.process import ROOT, run

RUN = ["2022", "--user", "kozistr", "--offline", "--compare", "--format", "json"]


def stored(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        days = db.execute(
            "SELECT package, mirrors, day, downloads, source FROM downloads ORDER BY 1, 2, 3"
        )
        baselines = db.execute("SELECT * FROM baselines ORDER BY 1, 2")
        return days.fetchall(), baselines.fetchall()


def start(store: Path, cwd: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEVSTATS_", "GITHUB_", "GH_"))}
    env["HOME"] = str(cwd)
    return subprocess.Popen(
        [sys.executable, "-m", "devstats", *RUN, "--history", str(store)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_runs_at_once_on_one_store_all_finish_and_lose_no_day(tmp_path: Path) -> None:
    alone = run([*RUN, "--history", str(tmp_path / "alone.sqlite3")], token=None)
    assert alone.returncode == 0, alone.stderr
    expected = stored(tmp_path / "alone.sqlite3")
    assert len(expected[0]) >= 180  # the 180-day window pypistats.org serves
    shared = tmp_path / "shared.sqlite3"
    for wave in range(2):  # on a new store (both create it), then on the existing one
        runs = [start(shared, tmp_path) for _ in range(3)]
        for child in runs:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, f"wave {wave}: {err}"
            assert "locked" not in err
            assert out == alone.stdout
        assert stored(shared) == expected


def test_a_client_reading_the_store_does_not_stop_a_run(tmp_path: Path) -> None:
    store = tmp_path / "downloads.sqlite3"
    assert run([*RUN, "--history", str(store)], token=None).returncode == 0
    before = stored(store)
    reader = sqlite3.connect(store, isolation_level=None)
    try:
        reader.execute("BEGIN")  # a long read, as a database browser left open holds one
        assert reader.execute("SELECT COUNT(*) FROM downloads").fetchone()[0] == len(before[0])
        started = time.monotonic()
        done = run([*RUN, "--history", str(store)], token=None)
        assert done.returncode == 0, done.stderr
        assert time.monotonic() - started < 30
    finally:
        reader.close()
    assert stored(store) == before


def test_a_writer_waits_for_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "downloads.sqlite3"
    DownloadHistory(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute(
        "INSERT INTO downloads VALUES ('other', '2022-01-01', 0, 5, 'pypistats.org', 'now')"
    )
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        with DownloadHistory(path) as store:
            assert store.add_days("demo", False, {date(2022, 1, 2): 7}, "pypistats.org") == 1
            assert store.daily("other", False, date(2022, 1, 1), date(2022, 1, 1)) == {
                date(2022, 1, 1): 5
            }
    finally:
        release.join()
        holder.close()
