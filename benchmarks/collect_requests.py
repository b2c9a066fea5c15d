"""Requests, GraphQL cost and time of a collection, batched history vs one repository per query.

Runs the real collector against the fake GitHub (tests/fakes/github_world.py, which executes the
queries against GitHub's schema and charges GitHub's published costs) for worlds of several
sizes, once with devstats' batching (HISTORY_BATCH_SIZE repositories per history query) and once
with the baseline of one repository per query, and prints both side by side.

    python benchmarks/collect_requests.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devstats.collect.github import queries as github_queries  # noqa: E402
from devstats.collect.github.activity import collect_github_activity  # noqa: E402
from devstats.http.client import HttpClient  # noqa: E402
from tests.fakes.github_world import (  # noqa: E402
    FakeCommit,
    FakeGitHub,
    GitHubWorld,
    fake_sha,
)
from tests.fakes.kozistr_2022 import fake_github  # noqa: E402


def synthetic_world(repositories: int, commits_each: int) -> GitHubWorld:
    world = GitHubWorld()
    world.add_user("alice", emails=["alice@example.com"])
    start = datetime(2022, 1, 3, tzinfo=UTC)
    for r in range(repositories):
        name = f"repo{r}"
        world.add_repository("alice", name)
        for i in range(commits_each):
            when = start + timedelta(hours=7 * i + r)
            world.add_commit(
                f"alice/{name}",
                FakeCommit(
                    fake_sha(name, i),
                    "alice",
                    "alice@example.com",
                    when,
                    "alice",
                    "alice@example.com",
                    when,
                    f"change {i}",
                ),
            )
    return world


@contextmanager
def batch_size(size: int) -> Iterator[None]:
    saved = github_queries.HISTORY_BATCH_SIZE
    github_queries.HISTORY_BATCH_SIZE = size
    try:
        yield
    finally:
        github_queries.HISTORY_BATCH_SIZE = saved


def measure(make: Callable[[], FakeGitHub], user: str, size: int) -> tuple[int, int, int, float]:
    fake = make()
    with batch_size(size), HttpClient(token="x", transport=fake.transport()) as http:
        began = time.perf_counter()
        activity = collect_github_activity(
            http,
            user=user,
            year=2022,
            tz=UTC,
            graphql_url="https://api.github.com/graphql",
        )
        elapsed = time.perf_counter() - began
    return http.stats.requests, http.stats.graphql_cost, len(activity.commits), elapsed


def main() -> int:
    cases: list[tuple[str, Callable[[], FakeGitHub], str]] = [
        ("kozistr 2022 demo (5 repos)", fake_github, "kozistr"),
        ("30 repos x 20 commits", lambda: FakeGitHub(synthetic_world(30, 20)), "alice"),
        ("80 repos x 150 commits", lambda: FakeGitHub(synthetic_world(80, 150)), "alice"),
    ]
    batched = github_queries.HISTORY_BATCH_SIZE
    print(f"{'world':<30} {'commits':>7}  {'requests':>17}  {'GraphQL cost':>17}  {'time (s)':>15}")
    pair = f"{'base':>8} {'devstats':>8}"
    print(f"{'':<30} {'':>7}  {pair}  {pair}  {'base':>7} {'devstats':>7}")
    for label, make, user in cases:
        base = measure(make, user, 1)
        ours = measure(make, user, batched)
        assert base[2] == ours[2], "both strategies must see the same commits"
        print(
            f"{label:<30} {ours[2]:>7}  {base[0]:>8} {ours[0]:>8}  {base[1]:>8} {ours[1]:>8}"
            f"  {base[3]:>7.2f} {ours[3]:>7.2f}"
        )
    print(f"\nbase: one repository per history query; devstats: {batched} per query")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
