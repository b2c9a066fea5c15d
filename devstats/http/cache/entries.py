"""A cache on disk of upstream answers, as an httpx transport, so a rerun asks only what may
have changed.

Each entry is one file named by a hash of the request (method, URL, body, and a one-way
fingerprint of the credential, since GitHub answers a token's owner with more than it answers
anyone else). A file holds one line of JSON (status, headers, URL, when stored, ETag, the body's
length and SHA-256) and then the body. Files are written to a temporary name and renamed into
place, so readers in this or another process see a whole entry or none; an entry whose body does
not match its length and hash is treated as absent and removed. Temporary files left by a run
that died are removed once they are an hour old. The folder is kept under `max_bytes` by removing
the least recently used entries. A report kept for a rerun (devstats/run/kept.py) is an
entry of the same format, named by a digest of its own that starts with `report-`.

What may be cached, and for how long, is not decided here: `CachingTransport` asks a policy
(`devstats.http.cache.policy`). Authorization, cookies and secret-looking headers never reach
the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devstats.model.errors import UsageError

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("devstats.http.cache.entries")

DEFAULT_MAX_BYTES = 200 * 2**20
ENTRIES = "responses-v1"  # a new layout gets a new folder; old entries are never misread
_ENTRY = ".entry"
# The key of a kept report starts with this, so that its file can be told from an answer's.
REPORT_PREFIX = "report-"
_TEMP = ".tmp"
# A temporary file this old belongs to a run that died before renaming it.
STALE_TEMP_SECONDS = 3600.0
# Evicting down to a little below the bound leaves room for the next few entries.
_LOW_WATER = 0.9
# httpx is imported only where a request is at hand: a run whose report is kept (report_cache.py)
# reads this cache without loading the HTTP stack.
CachePolicy = Callable[["httpx.Request"], float | None]
"""Seconds an answer to this request stays fresh, or None to pass it by the cache."""

__all__ = ["CachePolicy", "CachedResponse", "ResponseCache", "default_cache_folder", "is_whole"]


def is_whole(content_type: str, body: bytes, declared_length: int | None = None) -> bool:
    """Whether `body` is a whole answer worth keeping: as long as the upstream declared, complete
    JSON when it says or looks like JSON, and no GraphQL `errors`. A kept half answer would
    answer every retry, and every rerun within its max-age, the same way."""
    if declared_length is not None and len(body) < declared_length:
        return False
    start = body.lstrip()[:1]
    if "json" not in content_type.lower() and start not in (b"{", b"["):
        return True
    try:
        payload = json.loads(body)
    except ValueError:
        return False
    return not (isinstance(payload, dict) and payload.get("errors"))


def _declared_length(response: httpx.Response) -> int | None:
    """The body's size the upstream declared, when the body is kept as it was sent."""
    if response.headers.get("content-encoding", "identity").lower() not in ("", "identity"):
        return None
    try:
        return int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None


def default_cache_folder(env: Mapping[str, str] | None = None) -> Path:
    """``$DEVSTATS_CACHE_DIR``, else the user's cache folder (platformdirs)."""
    chosen = (env if env is not None else os.environ).get("DEVSTATS_CACHE_DIR")
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("devstats"))


@dataclass(frozen=True)
class CacheInfo:
    folder: Path
    entries: int
    bytes: int
    max_bytes: int
    reports: int = 0  # of the entries, reports kept for a rerun (devstats/run/kept.py)


def _content_type(headers: tuple[tuple[str, str], ...]) -> str:
    return next((value for name, value in headers if name.lower() == "content-type"), "")


@dataclass(frozen=True)
class CachedResponse:
    """One stored answer."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    stored_at: float  # seconds since the epoch
    etag: str | None

    def age(self, now: float) -> float:
        return now - self.stored_at

    def to_response(self, request: httpx.Request, *, source: str) -> httpx.Response:
        """An httpx response for `request`; `extensions["devstats_cache"]` says `source`."""
        import httpx

        return httpx.Response(
            self.status,
            headers=list(self.headers),
            content=self.body,
            request=request,
            extensions={"devstats_cache": source},
        )

    def encode(self) -> bytes:
        meta = {
            "url": self.url,
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "stored_at": self.stored_at,
            "etag": self.etag,
            "size": len(self.body),
            "sha256": hashlib.sha256(self.body).hexdigest(),
            # Checked whole when stored: with the SHA-256 above, a read need not parse it again.
            "whole": True,
        }
        return json.dumps(meta, ensure_ascii=True).encode("ascii") + b"\n" + self.body

    @classmethod
    def decode(cls, data: bytes) -> CachedResponse | None:
        """The entry in `data`, or None when it is damaged or incomplete."""
        head, newline, body = data.partition(b"\n")
        if not newline:
            return None
        try:
            meta: dict[str, Any] = json.loads(head)
            if meta["size"] != len(body) or meta["sha256"] != hashlib.sha256(body).hexdigest():
                return None
            headers = tuple((str(k), str(v)) for k, v in meta["headers"])
            # An entry from before answers were checked may hold half an answer: never serve it.
            if meta.get("whole") is not True and not is_whole(_content_type(headers), body):
                return None
            return cls(
                url=str(meta["url"]),
                status=int(meta["status"]),
                headers=headers,
                body=body,
                stored_at=float(meta["stored_at"]),
                etag=str(meta["etag"]) if meta.get("etag") else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


@dataclass(frozen=True)
class _File:
    path: Path
    size: int
    used_at: float


class ResponseCache:
    """Stored answers in `folder`; safe to share between threads and between processes."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = folder if folder is not None else default_cache_folder()
        self.max_bytes = max_bytes
        self._clock = clock
        self._root = self.folder / ENTRIES
        self._lock = threading.Lock()
        self._bytes_estimate: int | None = None

    def now(self) -> float:
        return self._clock()

    def path_for(self, request: httpx.Request) -> Path:
        from devstats.http.cache.keys import cache_key

        return self.path_of(cache_key(request))

    def path_of(self, key: str) -> Path:
        """The entry file of a key (a hex digest: of a request, or of a kept report)."""
        return self._root / key[:2] / f"{key}{_ENTRY}"

    # --- reading -----------------------------------------------------------------------------

    def lookup(self, request: httpx.Request) -> CachedResponse | None:
        """The stored answer to `request`, however old, or None."""
        return self.lookup_path(self.path_for(request))

    def lookup_path(self, path: Path) -> CachedResponse | None:
        """The entry stored at `path`, however old, or None."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        entry = CachedResponse.decode(data)
        if entry is None:
            log.info("removing a damaged cache entry: %s", path.name)
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        # A read counts as a use: eviction removes the least recently used entries first.
        with contextlib.suppress(OSError):
            os.utime(path)
        return entry

    def stored_at(self, key: str) -> float | None:
        """When the entry of `key` was stored, from its first line alone; None when absent."""
        try:
            with self.path_of(key).open("rb") as handle:
                head = handle.readline()
            return float(json.loads(head)["stored_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def get(self, request: httpx.Request, max_age: float) -> httpx.Response | None:
        """The stored answer if it is younger than `max_age` seconds, else None."""
        entry = self.lookup(request)
        if entry is None or entry.age(self.now()) >= max_age:
            return None
        return entry.to_response(request, source="hit")

    # --- writing -----------------------------------------------------------------------------

    def put(self, request: httpx.Request, response: httpx.Response) -> CachedResponse | None:
        """Store `response` (read in full) as the answer to `request`; None if it was not stored.

        A cache that cannot be written only costs speed, so failures are logged, not raised.
        An answer that contains the request's credential is never stored.
        """
        from devstats.http.cache.keys import kept_headers
        from devstats.http.redaction import canonical_url

        credential = request.headers.get("authorization", "").partition(" ")[2].strip()
        if credential and (
            credential.encode("utf-8") in response.content
            or any(credential in value for _, value in response.headers.multi_items())
        ):
            log.info("not caching an answer that contains the credential")
            return None
        content_type = response.headers.get("content-type", "")
        if not is_whole(content_type, response.content, _declared_length(response)):
            log.info("not caching an answer that is not whole: %s", canonical_url(request.url))
            return None
        entry = CachedResponse(
            url=canonical_url(request.url),
            status=response.status_code,
            headers=kept_headers(response.headers),
            body=response.content,
            stored_at=self.now(),
            etag=response.headers.get("etag"),
        )
        return entry if self.store(self.path_for(request), entry) else None

    def refresh(
        self, request: httpx.Request, entry: CachedResponse, headers: httpx.Headers
    ) -> CachedResponse:
        """`entry` confirmed unchanged now (a 304), with the headers that came with it."""
        from devstats.http.cache.keys import kept_headers

        merged = dict(entry.headers)
        merged.update({k: v for k, v in kept_headers(headers)})
        fresh = CachedResponse(
            url=entry.url,
            status=entry.status,
            headers=tuple(merged.items()),
            body=entry.body,
            stored_at=self.now(),
            etag=headers.get("etag") or entry.etag,
        )
        self.store(self.path_for(request), fresh)
        return fresh

    def store(self, path: Path, entry: CachedResponse) -> bool:
        """Write `entry` to `path` whole or not at all; False when it could not be written."""
        data = entry.encode()
        if len(data) > self.max_bytes:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.stem[:16]}.", suffix=_TEMP
            )
        except OSError as error:
            log.info("cannot write the cache in %s: %s", self.folder, error)
            return False
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(error, OSError):
                log.info("cannot write the cache in %s: %s", self.folder, error)
                return False
            raise
        self._grew(len(data))
        return True

    def _grew(self, size: int) -> None:
        try:
            with self._lock:
                if self._bytes_estimate is None:
                    self._bytes_estimate = sum(f.size for f in self._files())
                else:
                    self._bytes_estimate += size
                over = self._bytes_estimate > self.max_bytes
            if over:
                self.evict()
        except UsageError as error:
            log.info("cannot keep the cache within its bound: %s", error)

    # --- keeping it bounded and clean --------------------------------------------------------

    def _files(self, *, sweep: bool = False) -> Iterator[_File]:
        """Every entry file; with `sweep`, also remove temporary files a dead run left."""
        try:
            shards = list(os.scandir(self._root))
        except FileNotFoundError:
            return
        except OSError as error:
            raise UsageError(f"cannot read the cache folder {self._root}: {error}") from None
        now = self.now()
        for shard in shards:
            if not shard.is_dir(follow_symlinks=False):
                continue
            try:
                items = list(os.scandir(shard.path))
            except OSError:
                continue  # removed by another process meanwhile
            for item in items:
                try:
                    stat = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if item.name.endswith(_ENTRY):
                    yield _File(Path(item.path), stat.st_size, stat.st_mtime)
                elif (
                    sweep and item.name.endswith(_TEMP) and now - stat.st_mtime > STALE_TEMP_SECONDS
                ):
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)

    def evict(self) -> None:
        """Remove the least recently used entries until the folder is below its bound."""
        files = sorted(self._files(sweep=True), key=lambda f: f.used_at)
        total = sum(f.size for f in files)
        if total > self.max_bytes:
            target = int(self.max_bytes * _LOW_WATER)
            for file in files:
                if total <= target:
                    break
                with contextlib.suppress(FileNotFoundError):
                    file.path.unlink()
                total -= file.size
        with self._lock:
            self._bytes_estimate = total

    def sweep(self) -> None:
        """Remove temporary files left by runs that died; entries stay."""
        for _ in self._files(sweep=True):
            pass

    def info(self) -> CacheInfo:
        files = list(self._files())
        return CacheInfo(
            folder=self.folder,
            entries=len(files),
            bytes=sum(f.size for f in files),
            max_bytes=self.max_bytes,
            reports=sum(1 for f in files if f.path.name.startswith(REPORT_PREFIX)),
        )

    def clear(self) -> CacheInfo:
        """Remove every entry and temporary file; return what was removed."""
        entries = size = 0
        for file in self._files():
            try:
                file.path.unlink()
            except FileNotFoundError:
                continue
            except OSError as error:
                raise UsageError(f"cannot clear the cache in {self.folder}: {error}") from None
            entries += 1
            size += file.size
        for shard in _listing(self._root):
            for item in _listing(Path(shard.path)):
                if item.name.endswith(_TEMP):
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)
            with contextlib.suppress(OSError):
                os.rmdir(shard.path)
        with contextlib.suppress(OSError):
            os.rmdir(self._root)
        with self._lock:
            self._bytes_estimate = 0
        return CacheInfo(self.folder, entries, size, self.max_bytes)


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(folder))
    except OSError:
        return []
