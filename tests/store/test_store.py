"""The SQLite download history: upserts, baselines, mirror modes, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path

import platformdirs
import pytest

from devstats.classify.downloads import store_total
from devstats.model.downloads import StoredDownloads
from devstats.model.errors import UsageError
from devstats.store import SCHEMA_VERSION, DownloadHistory, default_history_path
from tests.fakes.paths import ROOT

D = date(2022, 6, 18)


def span(start: date, days: int, value: int = 10) -> dict[date, int]:
    return {start + timedelta(n): value + n for n in range(days)}


def coverage(store: DownloadHistory, package: str, mirrors: bool) -> tuple[date, date] | None:
    days = store.daily(package, mirrors, date.min, date.max)
    return (min(days), max(days)) if days else None


def missing_days(
    store: DownloadHistory, package: str, mirrors: bool, start: date, end: date
) -> list[date]:
    stored = store.daily(package, mirrors, start, end)
    every = [start + timedelta(n) for n in range((end - start).days + 1)]
    return [day for day in every if day not in stored]


def sum_days(
    store: DownloadHistory, package: str, mirrors: bool, start: date, end: date
) -> int | None:
    """The sum over [start, end], or None unless every one of those days is stored."""
    if missing_days(store, package, mirrors, start, end):
        return None
    return sum(store.daily(package, mirrors, start, end).values())


def total_through(store: DownloadHistory, package: str, mirrors: bool, end: date) -> int | None:
    """The all-time total through `end` exactly, as the package figures work it out."""
    stored = StoredDownloads(
        days=store.daily(package, mirrors, date.min, end),
        sources=frozenset(),
        baseline=store.baseline(package, mirrors),
    )
    total, _ = store_total(stored, package, date.min, end)
    return total.downloads if total is not None and total.window.end == end else None


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DownloadHistory]:
    with DownloadHistory(tmp_path / "nested" / "downloads.sqlite3") as history:
        yield history


def test_default_path_is_in_the_user_data_folder() -> None:
    path = default_history_path()
    assert path.parent == Path(platformdirs.user_data_dir("devstats"))
    assert path.name == "downloads.sqlite3"


def test_schema_is_versioned(store: DownloadHistory) -> None:
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(UsageError, match="schema version"):
        DownloadHistory(path)


def test_a_file_that_is_not_a_database_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not SQLite, just some text long enough to have a header" * 10)
    with pytest.raises(UsageError, match=str(path)):
        DownloadHistory(path)


def test_re_running_never_counts_a_day_twice(store: DownloadHistory) -> None:
    days = span(D, 30)
    assert store.add_days("pytorch_optimizer", False, days, "pypistats.org") == 30
    store.add_days("pytorch_optimizer", False, days, "pypistats.org")
    assert store.daily("pytorch_optimizer", False, D, D + timedelta(29)) == days
    assert sum_days(store, "pytorch-optimizer", False, D, D + timedelta(29)) == sum(days.values())


def test_a_later_value_replaces_the_stored_one(store: DownloadHistory) -> None:
    store.add_days("demo", False, {D: 5}, "pypistats.org")
    store.add_days("demo", False, {D: 6}, "bigquery")
    assert store.daily("demo", False, D, D) == {D: 6}
    assert store.sources("demo", False, D, D) == {"bigquery"}


def test_names_are_stored_normalised(store: DownloadHistory) -> None:
    store.add_days("Pytorch_Optimizer", False, {D: 3}, "pypistats.org")
    assert store.daily("pytorch.optimizer", False, D, D) == {D: 3}
    assert coverage(store, "PYTORCH-OPTIMIZER", False) == (D, D)


def test_the_two_mirror_modes_are_kept_apart(store: DownloadHistory) -> None:
    store.add_days("demo", False, {D: 3}, "pypistats.org")
    store.add_days("demo", True, {D: 5}, "pypistats.org")
    store.set_baseline("demo", False, D, 100)
    store.set_baseline("demo", True, D, 120)
    assert total_through(store, "demo", False, D) == 103
    assert total_through(store, "demo", True, D) == 125
    assert coverage(store, "other", False) is None


def test_coverage_missing_days_and_sums(store: DownloadHistory) -> None:
    store.add_days("demo", False, span(D, 3), "pypistats.org")
    store.add_days("demo", False, span(D + timedelta(5), 2), "pypistats.org")
    assert coverage(store, "demo", False) == (D, D + timedelta(6))
    assert missing_days(store, "demo", False, D, D + timedelta(6)) == [
        D + timedelta(3),
        D + timedelta(4),
    ]
    assert sum_days(store, "demo", False, D, D + timedelta(2)) == 10 + 11 + 12
    assert sum_days(store, "demo", False, D, D + timedelta(6)) is None  # a gap: unknown
    assert sum_days(store, "demo", False, D, D - timedelta(1)) == 0  # an empty span


def test_total_through_needs_a_baseline_and_every_day_since(store: DownloadHistory) -> None:
    days = span(D, 10)
    store.add_days("demo", False, days, "pypistats.org")
    # Without a baseline the store knows only sums over its days, never an all-time total.
    assert total_through(store, "demo", False, D + timedelta(9)) is None
    store.set_baseline("demo", False, D, 1_000, note="pepy.tech on 2022-06-18")
    baseline = store.baseline("demo", False)
    assert baseline is not None and baseline.note == "pepy.tech on 2022-06-18"
    assert total_through(store, "demo", False, D + timedelta(9)) == 1_000 + sum(days.values())
    assert total_through(store, "demo", False, D + timedelta(4)) == 1_000 + 10 + 11 + 12 + 13 + 14
    assert total_through(store, "demo", False, D - timedelta(1)) == 1_000  # the baseline alone
    assert total_through(store, "demo", False, D - timedelta(2)) is None  # before it: unknown
    assert total_through(store, "demo", False, D + timedelta(10)) is None  # a day not stored


def test_a_baseline_is_replaced_not_added(store: DownloadHistory) -> None:
    store.set_baseline("demo", False, D, 1_000)
    store.set_baseline("demo", False, D - timedelta(1), 990)
    store.add_days("demo", False, span(D - timedelta(1), 1), "pypistats.org")
    assert total_through(store, "demo", False, D - timedelta(1)) == 990 + 10


def test_a_negative_baseline_is_refused(store: DownloadHistory) -> None:
    with pytest.raises(UsageError):
        store.set_baseline("demo", False, D, -1)


def _corrupt_after_the_first_page(path: Path) -> None:
    """Keep the header page (so the file still opens) and overwrite the pages after it."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > page_size
    data[page_size:] = bytes((n * 7) & 0xFF for n in range(len(data) - page_size))
    path.write_bytes(bytes(data))


def test_a_store_corrupted_inside_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "downloads.sqlite3"
    with DownloadHistory(path) as store:
        store.add_days("demo", False, {D + timedelta(n): n for n in range(400)}, "pypistats.org")
    _corrupt_after_the_first_page(path)
    with DownloadHistory(path) as store:
        with pytest.raises(UsageError, match=f"{path}.*malformed"):
            store.daily("demo", False, D, D + timedelta(400))
        with pytest.raises(UsageError, match=str(path)):
            store.add_days("demo", False, {D: 1}, "pypistats.org")


def test_a_store_locked_by_another_writer_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "downloads.sqlite3"
    DownloadHistory(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing: readers pass, writers wait
    try:
        with DownloadHistory(path) as store:
            store._db.execute("PRAGMA busy_timeout = 0")  # fail at once instead of waiting
            with pytest.raises(UsageError, match="database is locked"):
                store.set_baseline("demo", False, D, 10)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


class Exploding(Mapping[date, int]):
    """Days whose iteration fails part-way, as a crash inside the write would."""

    def __init__(self, good: int) -> None:
        self.good = good

    def __getitem__(self, key: date) -> int:
        return 1

    def __len__(self) -> int:
        return self.good + 1

    def __iter__(self) -> Iterator[date]:
        for n in range(self.good):
            yield D + timedelta(n)
        raise RuntimeError("crash in the middle of the write")


def test_an_exception_mid_write_leaves_nothing_half_written(store: DownloadHistory) -> None:
    store.add_days("demo", False, {D - timedelta(1): 7}, "pypistats.org")
    with pytest.raises(RuntimeError):
        store.add_days("demo", False, Exploding(good=50), "pypistats.org")
    assert coverage(store, "demo", False) == (D - timedelta(1), D - timedelta(1))
    store.add_days("demo", False, {D: 1}, "pypistats.org")  # still usable afterwards
    assert sum_days(store, "demo", False, D - timedelta(1), D) == 8


WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import date, timedelta
    from devstats.store import DownloadHistory

    def days():
        for n in range(5000):
            if n == 2500:
                print("inside", flush=True)
                time.sleep(600)  # killed here, half-way through the transaction
            yield date(2022, 1, 1) + timedelta(n), n

    class Days(dict):
        def items(self):
            return days()

    store = DownloadHistory(sys.argv[1])
    store._db.execute("PRAGMA cache_size = 1")  # spill uncommitted pages into the file
    store.add_days("demo", False, Days(), "pypistats.org")
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_mid_write_leaves_the_store_consistent(tmp_path: Path) -> None:
    path = tmp_path / "downloads.sqlite3"
    with DownloadHistory(path) as store:
        store.add_days("demo", False, {date(2021, 12, 31): 42}, "pypistats.org")
    root = ROOT
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "inside"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    # The killed transaction left uncommitted pages in the write-ahead log; opening the store
    # ignores them.
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with DownloadHistory(path) as store:
        assert coverage(store, "demo", False) == (date(2021, 12, 31), date(2021, 12, 31))
        assert store.daily("demo", False, date(2021, 1, 1), date(2030, 1, 1)) == {
            date(2021, 12, 31): 42
        }


def test_packages_read_in_threads_share_one_store(tmp_path: Path) -> None:
    # A run reads several packages at once; each thread writes its days and reads them back.
    from concurrent.futures import ThreadPoolExecutor

    first = date(2025, 1, 1)
    days = {first + timedelta(days=n): n + 1 for n in range(365)}

    with DownloadHistory(tmp_path / "store.sqlite3") as store:

        def one(index: int) -> dict[date, int]:
            name = f"package-{index}"
            for month in range(12):
                chunk = {d: n * index for d, n in days.items() if d.month == month + 1}
                store.add_days(name, False, chunk, source="pypistats.org")
            return store.daily(name, False, first, date(2025, 12, 31))

        with ThreadPoolExecutor(max_workers=4) as pool:
            read = list(pool.map(one, range(1, 9)))
    assert read == [{d: n * index for d, n in days.items()} for index in range(1, 9)]
