"""The project's own error types; each maps to one exit code of the CLI.

Library errors (httpx, sqlite3, jinja2) are translated into these at the edge, so the CLI can
print one clear line and exit with a code a script can act on.
"""

from __future__ import annotations


class DevstatsError(Exception):
    """Base class: a message for the user and the process exit code."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class UsageError(DevstatsError):
    """Bad usage or configuration: a bad year, a malformed login, an unknown config key."""

    exit_code = 2


class TemplateError(UsageError):
    """A template could not be found, parsed or rendered."""


class NotFoundError(DevstatsError):
    """The user or package asked for does not exist upstream."""

    exit_code = 3


class AuthenticationError(DevstatsError):
    """The token is missing or was rejected."""

    exit_code = 4


class UpstreamError(DevstatsError):
    """An upstream stayed unavailable after retries: network, 5xx, or a rate limit."""

    exit_code = 5


class RateLimitError(UpstreamError):
    """A rate limit whose reset lies beyond the longest wait devstats accepts."""

    def __init__(self, message: str, *, reset_at: float | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.reset_at = reset_at


class ReplayMissError(UpstreamError):
    """--replay/--offline was asked for a request that was never recorded."""


class PublishError(DevstatsError):
    """The output could not be written, or an injection target is malformed."""

    exit_code = 6
