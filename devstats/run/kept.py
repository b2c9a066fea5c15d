"""A made report, kept in the cache of answers, so that a rerun within `--max-age` neither asks
upstream nor reads and classifies a year of commits again.

A kept report is reused only where a rerun from the cached answers would make the same report:

- it was made from answers that were all served from the cache or kept in it (none passed it
  by, none failed); it is reused only until the first of them stops being fresh, and only while
  each is still the answer the cache holds (a run with --refresh or a shorter --max-age may
  replace an answer before it goes stale);
- its key is the same: devstats' code, every setting that shapes the report (not those that
  only render or publish it: format, language, template, outputs, notes, verbosity), a one-way
  fingerprint of the token (GitHub answers its owner with more), the day of the run's "now" in
  UTC and in the report's time zone (the days counted as over), the UTC day of the cache's clock
  (pypistats.org answers keep for the UTC day they were fetched on), and a digest of the download
  store's content.

`generated_at` is set to the run's "now", as a rerun from the cached answers would set it.
Never reused: `--refresh`, `--explain` (it lists the commits, which are not kept), replays and
recordings (they bypass the cache), BigQuery (its answers do not go through the cache), and a run
with no token. Kept reports are entries of the cache folder like answers: `devstats cache info`
counts them, `devstats cache clear` removes them, and the cache's size bound evicts them.
"""

from __future__ import annotations

import functools
import hashlib
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec

import devstats
from devstats.http.cache.entries import (
    REPORT_PREFIX,
    CachedResponse,
    ResponseCache,
    default_cache_folder,
)
from devstats.model.report import Report
from devstats.settings.credentials import resolve_token
from devstats.settings.settings import Settings, history_engine_name
from devstats.store import DownloadHistory, default_history_path

KEY_VERSION = "report-v2"  # v2 keeps `fresh_until` in the entry's body
KIND = "devstats:report"  # the `url` of a kept report's entry: it answers no request
# Settings that change how a report is shown or where it goes, not what it holds.
_OUTPUT_ONLY = frozenset(
    {
        "format",
        "lang",
        "template",
        "output",
        "json_output",
        "inject",
        "marker",
        "assets",
        "assets_format",
        "notes",
        "detail",
        "verbose",
        "explain",
        "refresh",
        "retries",
        "backoff",
        "max_wait",
        "now",
        "offline",
        "record",
        "replay",
    }
)


@functools.cache
def code_fingerprint() -> str:
    """A digest of devstats' version and its modules' names, sizes and modification times: a
    changed or upgraded devstats does not reuse a report an older one made."""
    root = Path(devstats.__file__).parent
    stats = sorted(
        (str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*.py")
    )
    text = repr((devstats.__version__, sys.version_info[:2], stats))
    return hashlib.sha256(text.encode()).hexdigest()


def settings_fingerprint(settings: Settings) -> str:
    """A digest of every setting that shapes the report; a new setting is in it by default."""
    shaping = [(f.name, getattr(settings, f.name)) for f in fields(settings)]
    text = repr([(name, value) for name, value in shaping if name not in _OUTPUT_ONLY])
    return hashlib.sha256(text.encode()).hexdigest()


def reusable(settings: Settings) -> bool:
    """Whether a report made with these settings may be kept and reused at all."""
    if settings.offline or settings.replay or settings.record:
        return False
    if settings.refresh or settings.explain:
        return False
    return not (settings.packages and history_engine_name(settings) == "bigquery")


class _Entry(msgspec.Struct, frozen=True):
    """What a kept report's cache entry holds: the report, the answers it was made from, and
    when the first of them stops being fresh."""

    report: Report
    inputs: list[tuple[str, float]]  # (cache key, stored_at) of each answer
    fresh_until: float


@dataclass(frozen=True)
class Kept:
    report: Report
    made_at: float  # the cache clock when it was made
    fresh_until: float


@dataclass(frozen=True)
class ReportKeeper:
    """Finds and keeps the reports of one run's settings."""

    cache: ResponseCache
    settings: Settings
    token: str = field(repr=False)  # a secret: only its SHA-256 enters the key
    store_path: Path | None = None  # the download store, when the run has packages

    @classmethod
    def for_run(cls, settings: Settings, env: Mapping[str, str]) -> ReportKeeper | None:
        """The keeper of this run, or None when its report may not be kept (see `reusable`)."""
        if not reusable(settings):
            return None
        token = resolve_token(env)
        if not token:
            return None
        store = settings.history_path or default_history_path() if settings.packages else None
        return cls(ResponseCache(default_cache_folder(env)), settings, token, store)

    def key(self, now: datetime, store_digest: str) -> str:
        local = now.astimezone(self.settings.tz).date()
        clock_day = datetime.fromtimestamp(self.cache.now(), UTC).date()
        parts = (
            KEY_VERSION,
            code_fingerprint(),
            settings_fingerprint(self.settings),
            hashlib.sha256(self.token.encode()).hexdigest(),
            now.astimezone(UTC).date().isoformat(),
            local.isoformat(),
            clock_day.isoformat(),
            str(self.store_path),
            store_digest,
        )
        return REPORT_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def load(self, now: datetime) -> Kept | None:
        """The kept report for a run at `now`, still fresh, with `generated_at` set to `now`."""
        if self.store_path is None:
            digest = _store_digest(None)
        else:
            with DownloadHistory(self.store_path) as store:
                digest = _store_digest(store)
        entry = self.cache.lookup_path(self.cache.path_of(self.key(now, digest)))
        if entry is None or entry.url != KIND:
            return None
        try:
            kept = msgspec.json.decode(entry.body, type=_Entry)
        except msgspec.DecodeError:
            return None
        if self.cache.now() >= kept.fresh_until:
            return None
        if any(self.cache.stored_at(key) != stored for key, stored in kept.inputs):
            return None
        if _another_local_day(kept.report, now):
            return None
        report = msgspec.structs.replace(kept.report, generated_at=now)
        return Kept(report=report, made_at=entry.stored_at, fresh_until=kept.fresh_until)

    def save(
        self,
        report: Report,
        now: datetime,
        *,
        fresh_until: float,
        inputs: list[tuple[str, float]],
        store: DownloadHistory | None,
    ) -> bool:
        """Keep `report`, made from the answers `inputs` and the download store as it is now,
        until `fresh_until`; False when it was not kept."""
        if not math.isfinite(fresh_until) or fresh_until <= self.cache.now():
            return False
        entry = CachedResponse(
            url=KIND,
            status=200,
            headers=(),
            body=msgspec.json.encode(_Entry(report=report, inputs=inputs, fresh_until=fresh_until)),
            stored_at=self.cache.now(),
            etag=None,
        )
        path = self.cache.path_of(self.key(now, _store_digest(store)))
        return self.cache.store(path, entry)


def _another_local_day(report: Report, now: datetime) -> bool:
    """Whether `now` falls on another day than the report's making in the zone it inferred: the
    key holds the day in the zone given (UTC when none was), and the last day counted is the
    inferred zone's."""
    zone = report.time_zone
    if zone is None or zone.name == "UTC":
        return False
    tz = ZoneInfo(zone.name)
    return report.generated_at.astimezone(tz).date() != now.astimezone(tz).date()


def _store_digest(store: DownloadHistory | None) -> str:
    return store.fingerprint() if store is not None else "no store"
