"""What an upstream's answer means when it is not the answer asked for: a rate limit and how long
to wait, a refused token, a missing thing, a connection that failed, a GraphQL error. Each is
turned into one of devstats' own errors, with a message that names the host and what was asked.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from typing import Any

import httpx

from devstats.model.errors import (
    AuthenticationError,
    DevstatsError,
    NotFoundError,
    RateLimitError,
    UpstreamError,
)

# GitHub's docs: after a secondary rate limit without retry-after, wait at least one minute.
SECONDARY_LIMIT_WAIT = 60.0
_SECONDARY_MESSAGES = (
    "secondary rate limit",
    "abuse detection",
    "please wait a few minutes",
    "please retry your request again later",
)


class QueryTooLargeError(UpstreamError):
    """GitHub refused a GraphQL query as too expensive, or ran out of time on it; the caller may
    split it."""


# How GitHub words a query that was too large or ran out of time: the node limit, and the
# 10-second timeout ("We couldn't respond to your request in time", GitHub GraphQL docs,
# "Timeouts"; the 502 body says "This may be the result of a timeout").
QUERY_TOO_LARGE_SIGNS = (
    "exceeds the maximum limit",
    "couldn't respond to your request in time",
    "may be the result of a timeout",
)


def retry_after_seconds(value: str | None, now: float) -> float | None:
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


def format_reset(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def header_float(response: httpx.Response, name: str) -> float | None:
    value = response.headers.get(name)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def rate_limit_delay(
    response: httpx.Response, host: str, *, now: float, max_wait: float
) -> float | None:
    """Seconds to wait before retrying, if this response is a rate limit; else None."""
    status = response.status_code
    if status not in (403, 429):
        return None
    retry_after = retry_after_seconds(response.headers.get("retry-after"), now)
    remaining = response.headers.get("x-ratelimit-remaining")
    reset = header_float(response, "x-ratelimit-reset")
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
    if delay > max_wait:
        raise rate_limit_error(response, host, now=now)
    return delay


def rate_limit_error(response: httpx.Response, host: str, *, now: float) -> RateLimitError:
    reset = header_float(response, "x-ratelimit-reset")
    retry_after = retry_after_seconds(response.headers.get("retry-after"), now)
    if reset is None and retry_after is not None:
        reset = now + retry_after
    when = f"; it resets at {format_reset(reset)}" if reset else ""
    return RateLimitError(
        f"rate limit reached on {host}{when}",
        reset_at=reset,
        hint="try again after the reset, or use a token for a higher limit",
    )


def client_error(response: httpx.Response, host: str, label: str, message: str) -> DevstatsError:
    """A 4xx that no retry mends; `message` is the answer's own, already scrubbed of secrets."""
    status = response.status_code
    said = f": {message}" if message else ""
    if status == 401:
        return AuthenticationError(
            f"{host} rejected the token (HTTP 401{said})",
            hint="set GITHUB_TOKEN to a valid token (or run `gh auth login`)",
        )
    if status == 403:
        return AuthenticationError(
            f"{host} refused {label} (HTTP 403{said})", hint="the token may lack a needed scope"
        )
    if status == 404:
        return NotFoundError(f"{label}: not found on {host}")
    return UpstreamError(f"{host} answered HTTP {status} to {label}{said}")


def answer_message(response: httpx.Response) -> str:
    """The `message` of a JSON error answer (GitHub's form), or nothing."""
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def attempts(count: int) -> str:
    """ "1 attempt", "5 attempts": how many times a request was sent, in an error message."""
    return f"{count} attempt" if count == 1 else f"{count} attempts"


def transport_error(
    exc: httpx.TransportError, host: str, label: str, attempt: int, never_sent: bool
) -> UpstreamError:
    name = type(exc).__name__
    if never_sent:
        return UpstreamError(
            f"{host} could not be reached after {attempts(attempt + 1)} ({name})",
            hint="check the network connection or the base URL settings",
        )
    if attempt:
        return UpstreamError(
            f"{host} did not answer {label} completely after {attempts(attempt + 1)} ({name})",
            hint="check the network connection, or try again later",
        )
    return UpstreamError(
        f"{host} did not answer {label} completely ({name}); it was not repeated, "
        "as it may have taken effect",
    )


def graphql_error(message: str, types: set[str]) -> DevstatsError:
    """The error a GraphQL answer's first error stands for; `message` is already scrubbed."""
    if "NOT_FOUND" in types:
        return NotFoundError(message)
    if types & {"RESOURCE_LIMITS_EXCEEDED", "MAX_NODE_LIMIT_EXCEEDED"} or any(
        sign in message.lower() for sign in QUERY_TOO_LARGE_SIGNS
    ):
        return QueryTooLargeError(f"GitHub refused a query as too large: {message}")
    if types & {"FORBIDDEN", "INSUFFICIENT_SCOPES"}:
        return AuthenticationError(
            f"GitHub refused the query: {message}",
            hint="the token may lack the read:user scope",
        )
    return UpstreamError(f"GitHub GraphQL error: {message}")


def first_error_message(errors: list[Any]) -> str:
    first = errors[0] if isinstance(errors[0], dict) else {"message": str(errors[0])}
    return str(first.get("message", "unknown error"))
