"""Which upstream answers the cache may reuse, and for how long.

- GitHub GraphQL answers about a time window that has ended (the ``to``/``until`` variables) keep
  for 30 days; answers without a window (stars, releases) follow the year of the run; those about
  a window still open keep for an hour. `--max-age` replaces both.
- pypistats.org answers keep until the end of the UTC day they were fetched on: its data change
  once a day, and its own etiquette asks for no more than one fetch of an endpoint a day.
- PyPI project answers keep for an hour and are then revalidated with their ETag, which PyPI
  sends for its JSON API (docs.pypi.org, "API reference").
- Everything else (REST writes, other hosts) passes by the cache.

`--refresh` asks everything again (every max-age is 0); the answers are still stored.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx

from devstats.http.cache.entries import CachePolicy
from devstats.model.errors import UsageError

HOUR = 3600.0
DAY = 86400.0
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": HOUR, "d": DAY}
# `to`/`until` of one window, or `to3`/`until3` of one of the windows a batched query asks for.
_WINDOW_END = re.compile(r"^(?:to|until)\d*$")


@dataclass(frozen=True)
class MaxAge:
    """How long answers stay fresh: about a window still open, and about one that has ended."""

    open: float = HOUR
    closed: float = 30 * DAY

    def overridden(self, seconds: float | None) -> MaxAge:
        """Both ages replaced by `seconds` (`--max-age`); unchanged when it is None."""
        return self if seconds is None else replace(self, open=seconds, closed=seconds)


def parse_max_age(text: str) -> float:
    """``3600``, ``90s``, ``15m``, ``1h`` or ``30d`` -> seconds."""
    found = _DURATION.match(text)
    if not found:
        raise UsageError(f"--max-age must be a duration such as 3600, 90m, 1h or 30d, not {text!r}")
    return float(found.group(1)) * _UNITS[found.group(2).lower()]


def graphql_window_end(request: httpx.Request) -> datetime | None:
    """The latest ``to``/``until`` variable (or numbered ``to<i>``/``until<i>``, of a batched
    query) of a GraphQL request, or None when it has none."""
    try:
        body = json.loads(request.content or b"null")
    except ValueError:
        return None
    variables = body.get("variables") if isinstance(body, dict) else None
    if not isinstance(variables, dict):
        return None
    ends = []
    for name, value in variables.items():
        if _WINDOW_END.match(name) and isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            ends.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return max(ends) if ends else None


def _under(url: httpx.URL, base: str) -> bool:
    base = base.rstrip("/")
    text = str(url)
    return text == base or text.startswith(base + "/") or text.startswith(base + "?")


def upstream_policy(
    *,
    now: datetime,
    year_end: datetime,
    github_graphql: str,
    pypistats: str,
    pypi: str,
    clickhouse: str | None = None,
    max_age: MaxAge | None = None,
    refresh: bool = False,
    clock: Callable[[], float] = time.time,
) -> CachePolicy:
    """The policy for one run; `year_end` is the first instant after the year reported.

    `now` decides which windows have ended (the run's "now", which a replay or DEVSTATS_NOW
    may set); `clock` is the cache's clock, by which the UTC day of a pypistats.org answer ends.
    """
    ages = max_age or MaxAge()
    run_year_closed = year_end <= now

    def policy(request: httpx.Request) -> float | None:
        method = request.method.upper()
        if method == "POST" and _under(request.url, github_graphql):
            end = graphql_window_end(request)
            closed = run_year_closed if end is None else end < now
            seconds = ages.closed if closed else ages.open
        elif method == "GET" and _under(request.url, pypistats):
            # Fresh only if stored since the last UTC midnight.
            seconds = min(ages.closed, clock() % DAY)
        elif method == "GET" and _under(request.url, pypi):
            seconds = ages.open
        elif method == "POST" and clickhouse and _under(request.url, clickhouse):
            # Months already over are kept in the download store; what is asked again is the
            # total, which moves with the year only while the year is open.
            seconds = ages.closed if run_year_closed else ages.open
        else:
            return None
        return 0.0 if refresh else seconds

    return policy
