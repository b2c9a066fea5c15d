"""The one HTTP layer every upstream read goes through.

It owns: base URLs and the token header, the User-Agent, timeouts, retries with backoff,
rate-limit waits (``Retry-After``, ``x-ratelimit-remaining: 0`` + ``x-ratelimit-reset``) with a
maximum wait, per-host rate limits, GraphQL error handling, and translation
of failures into devstats' own errors.

One client may be used from several threads, one lane per host: requests to different hosts run
side by side, requests to one host are sent one at a time. GitHub asks integrators not to send
requests concurrently (docs: "Best practices for using the REST API"), and a rate-limit wait on
a host holds back every request to that host, not just the one that met it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from devstats import __version__
from devstats.http.answers import (
    SECONDARY_LIMIT_WAIT,
    answer_message,
    attempts,
    client_error,
    first_error_message,
    graphql_error,
    header_float,
    rate_limit_delay,
    rate_limit_error,
    transport_error,
)
from devstats.http.limits import TokenBucket
from devstats.model.errors import DevstatsError, UpstreamError

log = logging.getLogger("devstats.http.client")

USER_AGENT = f"devstats/{__version__} (+https://github.com/kozistr/devstats)"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# RFC 9110, section 9.2.2: repeating one of these has the same effect as sending it once.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
# Failures raised before a byte of the request left: repeating is safe whatever the method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MUTATION = re.compile(r"\A(?:\s|,|#[^\n]*\n?)*mutation\b")


@dataclass(frozen=True)
class _Ask:
    """One request as the retry loop sees it."""

    method: str
    url: str
    host: str
    label: str  # what the request asks for, in error messages
    send: dict[str, Any]  # params, json, content, headers for httpx
    repeatable: bool  # may be sent again after it reached the server
    allow: tuple[int, ...] = ()
    fail_fast: Callable[[httpx.Response], DevstatsError | None] | None = None
    expect_json: bool = False


@dataclass(frozen=True)
class _Retry:
    delay: float
    why: str


@dataclass
class HttpStats:
    requests: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    graphql_cost: int = 0
    graphql_remaining: int | None = None
    by_host: dict[str, int] = field(default_factory=dict)
    # Answers a caching transport served without asking the host (they are in `requests` too).
    cache_hits: int = 0


class HttpClient:
    """A small synchronous client on httpx; see the module docstring for what it owns."""

    def __init__(
        self,
        *,
        token: str | None = None,
        auth_hosts: tuple[str, ...] = ("api.github.com",),
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 4,
        backoff: float = 1.0,
        max_wait: float = 900.0,
        min_interval: Mapping[str, float] | None = None,
        limiters: Mapping[str, TokenBucket] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`limiters` maps a host name to the rate limits its requests keep to;
        `min_interval` (host -> seconds between requests) is the one-limit shorthand."""
        self._token = token
        self._transport = transport
        self.auth_hosts = tuple(h.lower() for h in auth_hosts)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self.limiters: dict[str, TokenBucket] = {
            host.lower(): TokenBucket([(1, interval)], clock=clock, sleep=sleep)
            for host, interval in (min_interval or {}).items()
            if interval > 0
        }
        self.limiters.update({host.lower(): bucket for host, bucket in (limiters or {}).items()})
        self._lanes: dict[str, threading.Lock] = {}
        self._lanes_lock = threading.Lock()
        self._stats_lock = threading.Lock()
        self.stats = HttpStats()
        self._holds_fresh = getattr(transport, "holds_fresh", None)  # a caching transport's
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None:
            # A recording of a run that failed is not a run: the recorder undoes its files.
            abandon = getattr(self._transport, "abandon", None)
            if callable(abandon):
                abandon()
        self.close()

    def close(self) -> None:
        self._client.close()

    # --- the core request loop ---------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        content: str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        allow_status: tuple[int, ...] = (),
        fail_fast: Callable[[httpx.Response], DevstatsError | None] | None = None,
        what: str | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one request with retries; return the response or raise a DevstatsError.

        The body is `json_body` (as JSON) or `content` (as is). `allow_status`: non-2xx statuses
        the caller handles (404 for "unknown package"). `fail_fast` reads any other non-2xx
        answer first; an error it returns is raised at once (a quota that will not lift, a query
        always refused). `what` names what is asked, for messages. `idempotent` (default: from
        the method): whether a request that reached the server may be repeated.
        """
        ask = self._ask(method, url, params, json_body, content, headers, what, idempotent)
        response, _payload = self._exchange(replace(ask, allow=allow_status, fail_fast=fail_fast))
        return response

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        allow_status: tuple[int, ...] = (),
        fail_fast: Callable[[httpx.Response], DevstatsError | None] | None = None,
        what: str | None = None,
        idempotent: bool | None = None,
    ) -> tuple[httpx.Response, Any]:
        """`request`, and the decoded JSON of a 2xx answer (None for an allowed non-2xx one).

        A 2xx answer whose body is not complete JSON (cut short by a proxy or the upstream) is
        as transient as a 502: it is retried like one when the request may be repeated.
        """
        ask = self._ask(method, url, params, json_body, None, headers, what, idempotent)
        return self._exchange(
            replace(ask, allow=allow_status, fail_fast=fail_fast, expect_json=True)
        )

    def _ask(
        self,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        json_body: Any,
        content: str | bytes | None,
        headers: Mapping[str, str] | None,
        what: str | None,
        idempotent: bool | None,
    ) -> _Ask:
        if json_body is not None and content is not None:
            raise ValueError("send either json_body or content, not both")
        host = (urlsplit(url).hostname or "").lower()
        send_headers = dict(headers or {})
        if self._token and host in self.auth_hosts:
            send_headers["Authorization"] = f"Bearer {self._token}"
        send = {"params": params, "json": json_body, "content": content, "headers": send_headers}
        return _Ask(
            method=method,
            url=url,
            host=host,
            label=what or f"{method} {self._safe(url)}",
            send=send,
            repeatable=method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent,
        )

    def _exchange(self, ask: _Ask) -> tuple[httpx.Response, Any]:
        """Try until an answer, a final failure, or the retries run out; one host at a time."""
        with self._lane(ask.host):
            attempt = 0
            while True:
                outcome = self._try_once(ask, attempt)
                if not isinstance(outcome, _Retry):
                    return outcome
                attempt += 1
                self._wait(outcome.delay, outcome.why)

    def _try_once(self, ask: _Ask, attempt: int) -> tuple[httpx.Response, Any] | _Retry:
        final = attempt >= self.max_retries
        try:
            response = self._send(ask.method, ask.url, ask.host, **ask.send)
        except httpx.TooManyRedirects:
            raise UpstreamError(f"{ask.host} redirected {ask.label} too many times") from None
        except httpx.TransportError as exc:
            never_sent = isinstance(exc, _NOT_SENT)
            if (not never_sent and not ask.repeatable) or final:
                raise transport_error(exc, ask.host, ask.label, attempt, never_sent) from None
            return _Retry(self._backoff(attempt + 1), f"{type(exc).__name__} from {ask.host}")
        status = response.status_code
        if 200 <= status < 300:
            return self._answer(ask, response, attempt)
        if status in ask.allow:
            return response, None
        refusal = ask.fail_fast(response) if ask.fail_fast else None
        if refusal is not None:
            raise refusal
        delay = rate_limit_delay(response, ask.host, now=self._clock(), max_wait=self.max_wait)
        if delay is not None:
            if final:
                raise rate_limit_error(response, ask.host, now=self._clock())
            limiter = self.limiters.get(ask.host)
            if limiter:
                # Other users of the same limits hold back too, not only this request.
                limiter.defer(delay)
            return _Retry(delay, f"rate limit on {ask.host}")
        if status >= 500 or status in (408, 429):
            if final:
                raise UpstreamError(
                    f"{ask.host} answered HTTP {status} to {ask.label} after "
                    f"{attempts(attempt + 1)}",
                    hint="the service may be down; try again later",
                )
            return _Retry(self._backoff(attempt + 1), f"HTTP {status} from {ask.host}")
        raise client_error(response, ask.host, ask.label, self._safe(answer_message(response)))

    def _answer(
        self, ask: _Ask, response: httpx.Response, attempt: int
    ) -> tuple[httpx.Response, Any] | _Retry:
        if not ask.expect_json:
            return response, None
        try:
            return response, response.json()
        except ValueError:
            if not ask.repeatable or attempt >= self.max_retries:
                start = self._safe(response.text.strip()[:80])
                raise UpstreamError(
                    f"{ask.host} answered {ask.label} with a body that is not complete JSON "
                    f"(HTTP {response.status_code}, {len(response.content)} bytes, starting "
                    f"{start!r}) after {attempts(attempt + 1)}",
                    hint="the service may be having trouble; try again later",
                ) from None
            return _Retry(self._backoff(attempt + 1), f"incomplete JSON from {ask.host}")

    def _send(self, method: str, url: str, host: str, **send: Any) -> httpx.Response:
        """One attempt, inside the host's rate limits, which a cached answer never meets."""
        request = self._client.build_request(method, url, **send)
        limiter = self.limiters.get(host)
        fresh = limiter is not None and self._holds_fresh is not None and self._holds_fresh(request)
        with limiter.slot() if limiter and not fresh else nullcontext(0.0) as waited:
            if waited:
                self._count_wait(waited, f"keeping to the rate limits of {host}")
            with self._stats_lock:
                self.stats.requests += 1
                self.stats.by_host[host] = self.stats.by_host.get(host, 0) + 1
            response = self._client.send(request)
        if response.extensions.get("devstats_cache") == "hit":
            with self._stats_lock:
                self.stats.cache_hits += 1
        return response

    def graphql(
        self,
        url: str,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        fail_fast: Callable[[httpx.Response], DevstatsError | None] | None = None,
    ) -> dict[str, Any]:
        """POST a GraphQL document; return `data`, raising on errors (after rate-limit waits).

        `fail_fast` reads a non-2xx answer before it is retried, as in `request`.
        """
        host = (urlsplit(url).hostname or "").lower()
        attempt = 0
        while True:
            # A query changes nothing upstream, so it is repeated like a GET; a mutation is not.
            response, payload = self.request_json(
                "POST",
                url,
                json_body={"query": query, "variables": dict(variables or {})},
                fail_fast=fail_fast,
                idempotent=not _MUTATION.match(query),
            )
            if not isinstance(payload, dict):
                raise UpstreamError(f"{host} returned a GraphQL answer that is not an object")
            errors = payload.get("errors") or []
            data = payload.get("data")
            if isinstance(data, dict):
                self._count_cost(data)
            if not errors:
                if not isinstance(data, dict):
                    raise UpstreamError(f"{host} returned a GraphQL answer without data")
                return data
            types = {str(e.get("type", "")) for e in errors if isinstance(e, dict)}
            if types & {"RATE_LIMITED", "RATE_LIMIT"}:
                if attempt >= self.max_retries:
                    raise rate_limit_error(response, host, now=self._clock())
                attempt += 1
                self._wait(
                    self._graphql_reset_wait(response, host), f"GraphQL rate limit on {host}"
                )
                continue
            raise graphql_error(self._safe(first_error_message(errors)), types)

    def _graphql_reset_wait(self, response: httpx.Response, host: str) -> float:
        reset = header_float(response, "x-ratelimit-reset")
        delay = max(0.0, reset - self._clock()) if reset else SECONDARY_LIMIT_WAIT
        if delay > self.max_wait:
            raise rate_limit_error(response, host, now=self._clock())
        return delay

    def _safe(self, text: str) -> str:
        return text.replace(self._token, "<redacted>") if self._token else text

    def _count_cost(self, data: Mapping[str, Any]) -> None:
        rate = data.get("rateLimit")
        if isinstance(rate, dict):
            cost = rate.get("cost")
            remaining = rate.get("remaining")
            with self._stats_lock:
                if isinstance(cost, int):
                    self.stats.graphql_cost += cost
                if isinstance(remaining, int):
                    self.stats.graphql_remaining = remaining

    def _lane(self, host: str) -> threading.Lock:
        with self._lanes_lock:
            return self._lanes.setdefault(host, threading.Lock())

    def _count_wait(self, seconds: float, why: str) -> None:
        with self._stats_lock:
            self.stats.waited_seconds += seconds
        log.info("waited %.1f s: %s", seconds, why)

    def _backoff(self, attempt: int) -> float:
        # Doubling without a ceiling would turn a generous retry count into hours of sleep.
        return float(min(self.max_wait, self.backoff * (2 ** (attempt - 1))))

    def _wait(self, seconds: float, why: str) -> None:
        """Sleep before a retry."""
        with self._stats_lock:
            self.stats.retries += 1
            self.stats.waited_seconds += seconds
        log.info("waiting %.1f s: %s", seconds, why)
        self._sleep(seconds)
