"""The download history store: daily counts kept in SQLite, beyond pypistats.org's 180 days.

One row per (package, UTC day, mirrors mode); and, from the engines that hold PyPI's whole
history (ClickHouse, BigQuery), one row per complete past month and source, which cannot change
and so is never asked again. Writing a day again replaces it (upsert), so
re-running never counts a day twice. A baseline records "N downloads before day D" from some
other source (pepy.tech, a BigQuery query, a badge seen on a given day); with a baseline and
every day from D onward stored, the store knows an all-time total.

The store only keeps and returns days and baselines; what they add up to is worked out in
devstats/classify/downloads.py (`store_total`: a baseline plus every stored day after it; a sum
since the first stored day is never an all-time total).

Every write is one transaction: a crash or an exception mid-write leaves the file as it was.
Several runs may share one store at once: the journal is a write-ahead log, so readers and the one
writer do not block each other, and a writer waits for another (up to `BUSY_TIMEOUT`).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import platformdirs

from devstats.model.downloads import Baseline
from devstats.model.errors import UsageError
from devstats.model.package_names import normalize

SCHEMA_VERSION = 2  # 2 added `months`
_SCHEMA = """
CREATE TABLE IF NOT EXISTS downloads (
    package    TEXT    NOT NULL,
    day        TEXT    NOT NULL,
    mirrors    INTEGER NOT NULL CHECK (mirrors IN (0, 1)),
    downloads  INTEGER NOT NULL CHECK (downloads >= 0),
    source     TEXT    NOT NULL,
    fetched_at TEXT    NOT NULL,
    PRIMARY KEY (package, mirrors, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS baselines (
    package     TEXT    NOT NULL,
    mirrors     INTEGER NOT NULL CHECK (mirrors IN (0, 1)),
    before_date TEXT    NOT NULL,
    downloads   INTEGER NOT NULL CHECK (downloads >= 0),
    note        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (package, mirrors)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS months (
    package    TEXT    NOT NULL,
    month      TEXT    NOT NULL,
    mirrors    INTEGER NOT NULL CHECK (mirrors IN (0, 1)),
    source     TEXT    NOT NULL,
    downloads  INTEGER NOT NULL CHECK (downloads >= 0),
    fetched_at TEXT    NOT NULL,
    PRIMARY KEY (package, mirrors, source, month)
) WITHOUT ROWID;
"""


# Seconds a run waits for another one (or any SQLite client) holding the store's write lock;
# a write takes milliseconds, so only a stuck process makes a run give up ("database is locked").
BUSY_TIMEOUT = 60.0
# SQLite's name for a store that lives and dies with its connection: replayed runs use it, so
# they neither read nor write a real store.
IN_MEMORY = Path(":memory:")


def default_history_path() -> Path:
    """Where the store lives unless configured."""
    return Path(platformdirs.user_data_dir("devstats")) / "downloads.sqlite3"


class DownloadHistory:
    """Daily download counts and baselines in one SQLite file."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_history_path()
        try:
            if self.path != IN_MEMORY:
                self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._unusable(exc) from None
        with self._translated():
            # Autocommit mode: transactions are opened explicitly in `_transaction`.
            # A run reads several packages at once, each in a thread of its own: they share the
            # connection one statement or transaction at a time (`_lock`).
            self._db = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT, check_same_thread=False
            )
        self._lock = threading.RLock()
        try:
            with self._translated():
                if self.path != IN_MEMORY:
                    # Write-ahead logging: a run reading the store never blocks another one
                    # writing it, and a writer waits for the other instead of failing.
                    self._db.execute("PRAGMA journal_mode = WAL")
                self._migrate()
        except UsageError:
            self._db.close()
            raise

    def __enter__(self) -> DownloadHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _unusable(self, exc: BaseException) -> UsageError:
        return UsageError(
            f"the download history at {self.path} cannot be used: {exc}",
            hint="point the history path setting at a writable SQLite file, or move this one away",
        )

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """sqlite3 errors (locked, read-only, corrupt) become one UsageError naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._translated():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                # A failed COMMIT may have ended the transaction already; a ROLLBACK then would
                # raise and hide the error that got us here.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        with self._lock, self._translated():
            return self._db.execute(sql, params).fetchall()

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise UsageError(
                f"the download history at {self.path} has schema version {version}; "
                f"this devstats understands up to {SCHEMA_VERSION}",
                hint="upgrade devstats",
            )
        if version < SCHEMA_VERSION:
            with self._transaction() as db:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- writing ---------------------------------------------------------------------------

    def add_days(self, package: str, mirrors: bool, days: Mapping[date, int], source: str) -> int:
        """Store (or replace) the count of each given day; return how many days were written."""
        key = normalize(package)
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        rows = (
            (key, day.isoformat(), int(mirrors), int(count), source, fetched_at)
            for day, count in days.items()
        )
        with self._transaction() as db:
            cursor = db.executemany(
                "INSERT INTO downloads (package, day, mirrors, downloads, source, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (package, mirrors, day) DO UPDATE SET "
                "downloads = excluded.downloads, source = excluded.source, "
                "fetched_at = excluded.fetched_at "
                # An unchanged day is left alone, so a re-run does not touch the file's content.
                "WHERE downloads.downloads != excluded.downloads "
                "OR downloads.source != excluded.source",
                rows,
            )
            return cursor.rowcount

    def add_months(
        self, package: str, mirrors: bool, months: Mapping[date, int], source: str
    ) -> None:
        """Keep complete past months of a history engine; a month's first day is its key."""
        key = normalize(package)
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            (key, f"{month:%Y-%m}", int(mirrors), source, int(count), fetched_at)
            for month, count in months.items()
        ]
        with self._transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO months (package, month, mirrors, source, downloads, "
                "fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def months(self, package: str, mirrors: bool, source: str) -> dict[date, int]:
        """The months of `source` kept for the package, by their first day."""
        rows = self._rows(
            "SELECT month, downloads FROM months "
            "WHERE package = ? AND mirrors = ? AND source = ? ORDER BY month",
            (normalize(package), int(mirrors), source),
        )
        return {date.fromisoformat(f"{month}-01"): count for month, count in rows}

    def set_baseline(
        self, package: str, mirrors: bool, before: date, downloads: int, note: str = ""
    ) -> None:
        """Record that `downloads` happened on the days before `before` (replaces any)."""
        if downloads < 0:
            raise UsageError(f"a download baseline cannot be negative ({downloads})")
        with self._transaction() as db:
            db.execute(
                "INSERT INTO baselines (package, mirrors, before_date, downloads, note) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (package, mirrors) DO UPDATE SET "
                "before_date = excluded.before_date, downloads = excluded.downloads, "
                "note = excluded.note",
                (normalize(package), int(mirrors), before.isoformat(), downloads, note),
            )

    # --- reading ---------------------------------------------------------------------------

    def baseline(self, package: str, mirrors: bool) -> Baseline | None:
        rows = self._rows(
            "SELECT before_date, downloads, note FROM baselines WHERE package = ? AND mirrors = ?",
            (normalize(package), int(mirrors)),
        )
        if not rows:
            return None
        row = rows[0]
        return Baseline(normalize(package), date.fromisoformat(row[0]), row[1], mirrors, row[2])

    def daily(self, package: str, mirrors: bool, start: date, end: date) -> dict[date, int]:
        """The stored days in [start, end]; days not stored are absent (unknown, not zero)."""
        rows = self._rows(
            "SELECT day, downloads FROM downloads "
            "WHERE package = ? AND mirrors = ? AND day BETWEEN ? AND ? ORDER BY day",
            (normalize(package), int(mirrors), start.isoformat(), end.isoformat()),
        )
        return {date.fromisoformat(day): count for day, count in rows}

    def fingerprint(self) -> str:
        """A digest of what the store holds, which changes with any row added or changed (a
        changed row gets a new `fetched_at`): a report made from the store is reused only while
        this is the same."""
        parts = [
            self._rows(f"SELECT count(*), total(downloads), max(fetched_at) FROM {table}", ())
            for table in ("downloads", "months")
        ]
        parts.append(self._rows("SELECT * FROM baselines ORDER BY package, mirrors", ()))
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def sources(self, package: str, mirrors: bool, start: date, end: date) -> set[str]:
        rows = self._rows(
            "SELECT DISTINCT source FROM downloads "
            "WHERE package = ? AND mirrors = ? AND day BETWEEN ? AND ?",
            (normalize(package), int(mirrors), start.isoformat(), end.isoformat()),
        )
        return {source for (source,) in rows}
