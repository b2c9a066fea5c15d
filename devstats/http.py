"""The one HTTP layer every upstream read goes through.

It owns: base URLs and the token header, the User-Agent, timeouts, retries with backoff,
rate-limit waits (``Retry-After``, ``x-ratelimit-remaining: 0`` + ``x-ratelimit-reset``) with a
maximum wait, per-host pacing, ``Link`` pagination, GraphQL error handling, and translation of
failures into devstats' own errors. Requests are sent one at a time: GitHub asks integrators
not to send requests concurrently (docs: "Best practices for using the REST API").
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from devstats import __version__
from devstats.errors import (
    AuthenticationError,
    DevstatsError,
    NotFoundError,
    RateLimitError,
    UpstreamError,
)

log = logging.getLogger("devstats.http")

USER_AGENT = f"devstats/{__version__} (+https://github.com/kozistr/devstats)"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# GitHub's docs: after a secondary rate limit without retry-after, wait at least one minute.
SECONDARY_LIMIT_WAIT = 60.0
_SECONDARY_MESSAGES = (
    "secondary rate limit",
    "abuse detection",
    "please wait a few minutes",
    "please retry your request again later",
)
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="([^"]+)"')
# RFC 9110, section 9.2.2: repeating one of these has the same effect as sending it once.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
# Failures raised before a byte of the request left: repeating is safe whatever the method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MUTATION = re.compile(r"\A(?:\s|,|#[^\n]*\n?)*mutation\b")


class QueryTooLargeError(UpstreamError):
    """GitHub refused a GraphQL query as too expensive; the caller may split it."""


@dataclass
class HttpStats:
    requests: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    graphql_cost: int = 0
    graphql_remaining: int | None = None
    by_host: dict[str, int] = field(default_factory=dict)


def parse_link_header(value: str | None) -> dict[str, str]:
    """``Link: <url>; rel="next", <url>; rel="last"`` -> {"next": url, "last": url}."""
    if not value:
        return {}
    return {rel: url for url, rel in _LINK.findall(value)}


def _retry_after_seconds(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _format_reset(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


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
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._token = token
        self.auth_hosts = tuple(h.lower() for h in auth_hosts)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.min_interval = dict(min_interval or {})
        self._sleep = sleep
        self._clock = clock
        self._last_request_at: dict[str, float] = {}
        self.stats = HttpStats()
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    @property
    def has_token(self) -> bool:
        return bool(self._token)

    # --- the core request loop ---------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        allow_status: tuple[int, ...] = (),
        what: str | None = None,
        expect_json: bool = False,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one request with retries; return the response or raise a DevstatsError.

        `allow_status` lists non-2xx statuses the caller handles itself (e.g. 404 for
        "unknown package"). `what` names the thing asked for, for error messages.
        `expect_json`: a 2xx answer whose body is not complete JSON is retried like a 5xx.
        `idempotent` (default: from the method) says whether the request may be repeated after
        it reached the server: only then are a connection dropped mid-answer and an incomplete
        body retried.
        """
        response, _payload = self._send(
            method,
            url,
            params=params,
            json_body=json_body,
            headers=headers,
            allow_status=allow_status,
            what=what,
            expect_json=expect_json,
            idempotent=idempotent,
        )
        return response

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        allow_status: tuple[int, ...] = (),
        what: str | None = None,
        expect_json: bool = False,
        idempotent: bool | None = None,
    ) -> tuple[httpx.Response, Any]:
        """`request`, also returning the decoded JSON of a 2xx answer when `expect_json`."""
        host = (urlsplit(url).hostname or "").lower()
        send_headers = dict(headers or {})
        if self._token and host in self.auth_hosts:
            send_headers["Authorization"] = f"Bearer {self._token}"
        label = what or f"{method} {self._safe(url)}"
        repeatable = method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent
        attempt = 0
        while True:
            self._pace(host)
            self.stats.requests += 1
            self.stats.by_host[host] = self.stats.by_host.get(host, 0) + 1
            try:
                response = self._client.request(
                    method, url, params=params, json=json_body, headers=send_headers
                )
            except httpx.TooManyRedirects:
                raise UpstreamError(f"{host} redirected {label} too many times") from None
            except httpx.TransportError as exc:
                never_sent = isinstance(exc, _NOT_SENT)
                if (not never_sent and not repeatable) or attempt >= self.max_retries:
                    raise self._transport_error(exc, host, label, attempt, never_sent) from None
                attempt += 1
                self._wait(self._backoff(attempt), f"{type(exc).__name__} from {host}")
                continue
            finally:
                self._last_request_at[host] = self._clock()

            status = response.status_code
            if 200 <= status < 300 and expect_json:
                try:
                    return response, response.json()
                except ValueError:
                    # A 200 cut short (a proxy or the upstream gave up mid-body) is as
                    # transient as a 502; the same request asked again usually succeeds.
                    if not repeatable or attempt >= self.max_retries:
                        start = self._safe(response.text.strip()[:80])
                        raise UpstreamError(
                            f"{host} answered {label} with a body that is not complete JSON "
                            f"(HTTP {status}, {len(response.content)} bytes, starting "
                            f"{start!r}) after {attempt + 1} attempt{'s' if attempt else ''}",
                            hint="the service may be having trouble; try again later",
                        ) from None
                    attempt += 1
                    self._wait(self._backoff(attempt), f"incomplete JSON from {host}")
                    continue
            if 200 <= status < 300 or status in allow_status:
                return response, None
            delay = self._rate_limit_delay(response, host)
            if delay is not None:
                if attempt >= self.max_retries:
                    raise self._rate_limit_error(response, host)
                attempt += 1
                self._wait(delay, f"rate limit on {host}")
                continue
            if status >= 500 or status in (408, 429):
                if attempt >= self.max_retries:
                    raise UpstreamError(
                        f"{host} answered HTTP {status} to {label} after {attempt + 1} attempts",
                        hint="the service may be down; try again later",
                    )
                attempt += 1
                self._wait(self._backoff(attempt), f"HTTP {status} from {host}")
                continue
            raise self._client_error(response, host, label)

    def get_json(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        what: str | None = None,
    ) -> Any:
        _response, payload = self._send("GET", url, params=params, what=what, expect_json=True)
        return payload

    def paginate(
        self, url: str, *, params: Mapping[str, str | int] | None = None, what: str | None = None
    ) -> Iterator[Any]:
        """Yield each page's JSON, following ``Link: rel="next"`` until there is none."""
        next_url: str | None = url
        next_params = params
        while next_url:
            response, payload = self._send(
                "GET", next_url, params=next_params, what=what, expect_json=True
            )
            yield payload
            next_url = parse_link_header(response.headers.get("link")).get("next")
            next_params = None  # the next link carries the query already

    def graphql(
        self, url: str, query: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """POST a GraphQL document; return `data`, raising on errors (after rate-limit waits)."""
        host = (urlsplit(url).hostname or "").lower()
        attempt = 0
        while True:
            # A query changes nothing upstream, so it is repeated like a GET; a mutation is not.
            response, payload = self._send(
                "POST",
                url,
                json_body={"query": query, "variables": dict(variables or {})},
                expect_json=True,
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
                    raise self._rate_limit_error(response, host)
                attempt += 1
                reset = self._header_float(response, "x-ratelimit-reset")
                delay = max(0.0, reset - self._clock()) if reset else SECONDARY_LIMIT_WAIT
                if delay > self.max_wait:
                    raise self._rate_limit_error(response, host)
                self._wait(delay, f"GraphQL rate limit on {host}")
                continue
            first = errors[0] if isinstance(errors[0], dict) else {"message": str(errors[0])}
            message = self._safe(str(first.get("message", "unknown error")))
            if "NOT_FOUND" in types:
                raise NotFoundError(message)
            if types & {"RESOURCE_LIMITS_EXCEEDED", "MAX_NODE_LIMIT_EXCEEDED"} or (
                "exceeds the maximum limit" in message
            ):
                raise QueryTooLargeError(f"GitHub refused a query as too large: {message}")
            if types & {"FORBIDDEN", "INSUFFICIENT_SCOPES"}:
                raise AuthenticationError(
                    f"GitHub refused the query: {message}",
                    hint="the token may lack the read:user scope",
                )
            raise UpstreamError(f"GitHub GraphQL error: {message}")

    # --- helpers --------------------------------------------------------------------------------

    def _safe(self, text: str) -> str:
        return text.replace(self._token, "<redacted>") if self._token else text

    def _transport_error(
        self, exc: httpx.TransportError, host: str, label: str, attempt: int, never_sent: bool
    ) -> UpstreamError:
        name = type(exc).__name__
        if never_sent:
            return UpstreamError(
                f"{host} could not be reached after {attempt + 1} attempts ({name})",
                hint="check the network connection or the base URL settings",
            )
        if attempt:
            return UpstreamError(
                f"{host} did not answer {label} completely after {attempt + 1} attempts ({name})",
                hint="check the network connection, or try again later",
            )
        return UpstreamError(
            f"{host} did not answer {label} completely ({name}); it was not repeated, "
            "as it may have taken effect",
        )

    def _count_cost(self, data: Mapping[str, Any]) -> None:
        rate = data.get("rateLimit")
        if isinstance(rate, dict):
            cost = rate.get("cost")
            if isinstance(cost, int):
                self.stats.graphql_cost += cost
            remaining = rate.get("remaining")
            if isinstance(remaining, int):
                self.stats.graphql_remaining = remaining

    def _pace(self, host: str) -> None:
        interval = self.min_interval.get(host)
        last = self._last_request_at.get(host)
        if interval and last is not None:
            gap = interval - (self._clock() - last)
            if gap > 0:
                self._wait(gap, f"pacing requests to {host}", count_retry=False)

    def _backoff(self, attempt: int) -> float:
        # Doubling without a ceiling would turn a generous retry count into hours of sleep.
        return float(min(self.max_wait, self.backoff * (2 ** (attempt - 1))))

    def _wait(self, seconds: float, why: str, *, count_retry: bool = True) -> None:
        if count_retry:
            self.stats.retries += 1
        self.stats.waited_seconds += seconds
        log.info("waiting %.1f s: %s", seconds, why)
        self._sleep(seconds)

    @staticmethod
    def _header_float(response: httpx.Response, name: str) -> float | None:
        value = response.headers.get(name)
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None

    def _rate_limit_delay(self, response: httpx.Response, host: str) -> float | None:
        """Seconds to wait before retrying, if this response is a rate limit; else None."""
        status = response.status_code
        if status not in (403, 429):
            return None
        now = self._clock()
        retry_after = _retry_after_seconds(response.headers.get("retry-after"), now)
        remaining = response.headers.get("x-ratelimit-remaining")
        reset = self._header_float(response, "x-ratelimit-reset")
        if retry_after is not None:
            delay = retry_after
        elif remaining == "0" and reset is not None:
            delay = max(0.0, reset - now) + 1.0
        elif (
            status == 429
            or "rate limit" in response.text.lower()
            or any(m in response.text.lower() for m in _SECONDARY_MESSAGES)
        ):
            delay = SECONDARY_LIMIT_WAIT
        else:
            return None
        if delay > self.max_wait:
            raise self._rate_limit_error(response, host)
        return delay

    def _rate_limit_error(self, response: httpx.Response, host: str) -> RateLimitError:
        reset = self._header_float(response, "x-ratelimit-reset")
        retry_after = _retry_after_seconds(response.headers.get("retry-after"), self._clock())
        if reset is None and retry_after is not None:
            reset = self._clock() + retry_after
        when = f"; it resets at {_format_reset(reset)}" if reset else ""
        return RateLimitError(
            f"rate limit reached on {host}{when}",
            reset_at=reset,
            hint="try again after the reset, or use a token for a higher limit",
        )

    def _client_error(self, response: httpx.Response, host: str, label: str) -> DevstatsError:
        status = response.status_code
        message = ""
        try:
            body = response.json()
            if isinstance(body, dict):
                message = str(body.get("message", ""))
        except ValueError:
            message = ""
        message = self._safe(message)
        if status == 401:
            return AuthenticationError(
                f"{host} rejected the token (HTTP 401{': ' + message if message else ''})",
                hint="set GITHUB_TOKEN to a valid token (or run `gh auth login`)",
            )
        if status == 403:
            return AuthenticationError(
                f"{host} refused {label} (HTTP 403{': ' + message if message else ''})",
                hint="the token may lack a needed scope",
            )
        if status == 404:
            return NotFoundError(f"{label}: not found on {host}")
        return UpstreamError(
            f"{host} answered HTTP {status} to {label}{': ' + message if message else ''}"
        )
