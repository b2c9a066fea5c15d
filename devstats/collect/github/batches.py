"""Batched GraphQL reads whose size follows what GitHub answers.

The collectors put several reads (windows, history pages, star pages) in one query under
generated aliases. How many fit is bounded by GitHub's 10-second timeout and resource limits,
which depend on the data and are not published, so a batch starts at a size GitHub is known to
answer and is halved whenever GitHub refuses it as too large or runs out of time on it; the
smaller size is kept for the rest of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from devstats.http.answers import QUERY_TOO_LARGE_SIGNS, QueryTooLargeError
from devstats.http.client import HttpClient
from devstats.model.errors import DevstatsError

Item = TypeVar("Item")

# GitHub answers a query it stopped after 10 seconds with HTTP 502 (or 504) and a body that says
# so; sending the same batch again would only time out again.
_TIMEOUT_STATUSES = (502, 504)


def timed_out(response: httpx.Response) -> DevstatsError | None:
    """A GitHub answer saying that the query ran out of time, as an error to raise at once."""
    if response.status_code not in _TIMEOUT_STATUSES:
        return None
    text = response.text.lower()
    if any(sign in text for sign in QUERY_TOO_LARGE_SIGNS):
        return QueryTooLargeError("GitHub ran out of time on a batched query")
    return None


@dataclass
class BatchSize:
    """The weight the next batch may carry: starts at `limit`, halves on each refusal."""

    limit: int
    current: int = 0

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError("a batch limit must be at least 1")
        if not self.current:
            self.current = self.limit

    def take(
        self, pending: Sequence[Item], weight: Callable[[Item], int] = lambda _: 1
    ) -> tuple[list[Item], list[Item]]:
        """(the next batch, the rest): items in order while their weight fits; at least one."""
        total = 0
        count = 0
        for item in pending:
            total += weight(item)
            if count and total > self.current:
                break
            count += 1
        return list(pending[:count]), list(pending[count:])

    def shrink(self, carried: int) -> bool:
        """Halve after a refused batch of weight `carried`; False when it cannot get smaller."""
        if carried <= 1:
            return False
        self.current = max(1, min(self.current, carried) // 2)
        return True


def ask_batch(
    http: HttpClient, url: str, query: str, variables: Mapping[str, Any], *, aliases: int
) -> dict[str, Any]:
    """Send one batched query. A batch of several aliases that times out fails at once with
    QueryTooLargeError (to be halved); a single read is retried like any request."""
    fail_fast = timed_out if aliases > 1 else None
    return http.graphql(url, query, variables, fail_fast=fail_fast)
