"""The cache as an httpx transport: a request the policy lets the cache answer is answered from
it when fresh enough, revalidated with If-None-Match when stale and it has an ETag, and otherwise
sent on and its answer kept (`entries.py` holds the entries, `policy.py` decides).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import httpx

from devstats.http.cache.entries import CachedResponse, CachePolicy, ResponseCache
from devstats.http.cache.keys import cache_key
from devstats.http.redaction import decoded


@dataclass
class CacheStats:
    hits: int = 0  # answered from the cache, no request sent
    revalidated: int = 0  # a stale entry confirmed by a 304
    misses: int = 0  # cacheable, but asked upstream
    stored: int = 0  # answers written to the cache
    passed: int = 0  # not cacheable by the policy
    # Whether every answer of the run was served from the cache or kept in it, and the moment
    # the first of them stops being fresh: a report made from them may be reused until then.
    all_kept: bool = True
    fresh_until: float = math.inf
    # (cache key, stored_at) of every answer used: a report made from them is reused only while
    # each is still the one in the cache (a run with --refresh or a shorter --max-age replaces
    # answers before they go stale).
    inputs: list[tuple[str, float]] = field(default_factory=list)


# A 200, or a permanent redirect (PyPI sends one from a name that is not the project's own to
# the one that is): both are cacheable by default (RFC 9110, section 15.1).
_KEPT_STATUSES = frozenset({200, 301, 308})


def _worth_keeping(response: httpx.Response) -> bool:
    """Only successes and permanent redirects, not marked no-store. Whether the body is whole is
    the cache's own check (`ResponseCache.put`)."""
    if response.status_code not in _KEPT_STATUSES:
        return False
    return "no-store" not in response.headers.get("cache-control", "").lower()


class CachingTransport(httpx.BaseTransport):
    """Answers from `cache` what `policy` allows, and asks `inner` for the rest.

    A stale entry with an ETag is revalidated with ``If-None-Match``; a 304 answers from the
    entry and makes it fresh again. A request that is already conditional passes through.
    """

    def __init__(
        self, inner: httpx.BaseTransport, cache: ResponseCache, policy: CachePolicy
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.policy = policy
        self.stats = CacheStats()
        self._lock = threading.Lock()

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)

    def _used(self, request: httpx.Request, entry: CachedResponse | None, max_age: float) -> None:
        """Note an answer the run used: `entry` is it as the cache holds it, None if not kept."""
        with self._lock:
            if entry is None:
                self.stats.all_kept = False
                return
            self.stats.fresh_until = min(self.stats.fresh_until, entry.stored_at + max_age)
            self.stats.inputs.append((cache_key(request), entry.stored_at))

    def holds_fresh(self, request: httpx.Request) -> bool:
        """Whether a fresh answer to `request` is stored, so that it will not reach the host."""
        max_age = self.policy(request)
        if max_age is None or "if-none-match" in request.headers:
            return False
        if "if-modified-since" in request.headers:
            return False
        request.read()
        entry = self.cache.lookup(request)
        return entry is not None and entry.age(self.cache.now()) < max_age

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        max_age = self.policy(request)
        if (
            max_age is None
            or "if-none-match" in request.headers
            or "if-modified-since" in request.headers
        ):
            self._count("passed")
            self._used(request, None, 0.0)
            return self._send(request)
        request.read()
        entry = self.cache.lookup(request)
        if entry is not None and entry.age(self.cache.now()) < max_age:
            self._count("hits")
            self._used(request, entry, max_age)
            return entry.to_response(request, source="hit")
        if entry is not None and entry.etag:
            # The key was taken from the request before this header: it stays the same entry.
            request.headers["If-None-Match"] = entry.etag
        response = self._send(request)
        if entry is not None and response.status_code == 304:
            response.close()
            fresh = self.cache.refresh(request, entry, response.headers)
            self._count("revalidated")
            self._used(request, fresh, max_age)
            return fresh.to_response(request, source="revalidated")
        response.read()
        kept = self.cache.put(request, response) if _worth_keeping(response) else None
        self._count("misses")
        if kept is not None:
            self._count("stored")
        self._used(request, kept, max_age)
        return decoded(response, request, extensions={"devstats_cache": "miss"})

    def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            return self.inner.handle_request(request)
        except BaseException:
            # A run that goes on without this answer (--allow-partial) made a report that
            # a rerun could make better.
            with self._lock:
                self.stats.all_kept = False
            raise

    def close(self) -> None:
        self.inner.close()
