"""The base URL of every upstream a report is read from, and the environment variables that move
it (to a proxy, GitHub Enterprise, or a loopback fake in tests). The collectors and the services
are handed these; none of them writes a base URL of its own.

Two kinds of URL are written elsewhere, on purpose: the public pages the post links to
(https://pypi.org/project/<name>/ and https://github.com/<repository>, in render/, which
must not depend on settings), and the GitHub API the Action's remote writer commits through
(publish/remote.py, a command of its own that reads GITHUB_API_URL itself)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoints:
    github_rest: str = "https://api.github.com"
    github_graphql: str = "https://api.github.com/graphql"
    pypistats: str = "https://pypistats.org/api"
    pypi: str = "https://pypi.org"
    pepy: str = "https://api.pepy.tech"
    # ClickPy, ClickHouse's public copy of PyPI's download log (ClickHouse/clickpy README)
    clickhouse: str = "https://sql-clickhouse.clickhouse.com"


def endpoints_from_env(env: Mapping[str, str]) -> Endpoints:
    # GITHUB_API_URL and GITHUB_GRAPHQL_URL are the names GitHub Actions already sets.
    return Endpoints(
        github_rest=env.get("GITHUB_API_URL", Endpoints.github_rest).rstrip("/"),
        github_graphql=env.get("GITHUB_GRAPHQL_URL", Endpoints.github_graphql),
        pypistats=env.get("DEVSTATS_PYPISTATS_URL", Endpoints.pypistats).rstrip("/"),
        pypi=env.get("DEVSTATS_PYPI_URL", Endpoints.pypi).rstrip("/"),
        pepy=env.get("DEVSTATS_PEPY_URL", Endpoints.pepy).rstrip("/"),
        clickhouse=env.get("DEVSTATS_CLICKHOUSE_URL", Endpoints.clickhouse).rstrip("/"),
    )
