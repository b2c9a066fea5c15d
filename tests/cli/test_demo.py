"""The offline demo: reads the current folder's settings like any run, and keeps no state."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from devstats.store import DownloadHistory
from tests.fakes.files import snapshot
from tests.fakes.process import run

DEMO = ["2022", "--user", "kozistr", "--offline"]


def test_offline_reads_the_config_file_of_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "devstats.toml").write_text('lang = "ko"\ntop_projects = 1\n')
    done = run([*DEMO, "--format", "json"], token=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report["projects"]) == 1  # from ./devstats.toml
    # ... over the demo's own settings: its package and its baseline (the all-time total)
    (package,) = report["packages"]
    assert package["name"] == "pytorch_optimizer" and package["downloads"]["total"] == 41604
    markdown = run(DEMO, token=None, cwd=tmp_path)
    assert markdown.stdout.startswith("## 개발")


def test_the_settings_of_the_current_folder_win_over_the_demo(tmp_path: Path) -> None:
    (tmp_path / "devstats.toml").write_text('packages = ["no-such-package"]\n')
    done = run(DEMO, token=None, cwd=tmp_path)
    assert done.returncode == 5
    assert "request not in the cassettes" in done.stderr and "no-such-package" in done.stderr


def test_the_demo_neither_reads_nor_writes_a_real_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = data / "devstats" / "downloads.sqlite3"
    with DownloadHistory(store) as real:
        real.set_baseline("pytorch_optimizer", False, date(2022, 1, 1), 7)
    # What an older devstats left for its demo: a store this version cannot even open.
    leftover = data / "devstats" / "downloads-demo.sqlite3"
    with sqlite3.connect(leftover) as db:
        db.execute("PRAGMA user_version = 99")
    before = snapshot(tmp_path)
    home = {"XDG_DATA_HOME": str(data)}
    first = run([*DEMO, "--format", "json"], token=None, cwd=tmp_path, env=home)
    second = run([*DEMO, "--format", "json"], token=None, cwd=tmp_path, env=home)
    assert first.returncode == 0, first.stderr
    assert second.stdout == first.stdout  # the first run left nothing the second one reads
    assert snapshot(tmp_path) == before  # nothing written, nowhere (HOME is tmp_path too)
    assert json.loads(first.stdout)["packages"][0]["downloads"]["total"] == 41604
