"""The whole fake upstream of the offline demo: GitHub (GraphQL, and the REST endpoints of
tests/fakes/github_rest.py), PyPI, pypistats.org, pepy.tech and ClickHouse (ClickPy, and GitHub's
public event history made from the GitHub world: tests/fakes/events_world.py).

`demo_world()` serves kozistr's 2021/2022 (constructed parts documented in cassettes/README.md)
either in-process (`transport()`) or behind one loopback server: there every upstream lives under
a path prefix of the server (`/github`, `/pypi`, `/pypistats`, `/pepy`, `/clickhouse`) and `env_for(url)` gives
the environment variables that point devstats at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.fakes import mock_transport
from tests.fakes.clickhouse import FakeClickHouse
from tests.fakes.clickpy_world import demo_clickhouse
from tests.fakes.events_world import fake_events
from tests.fakes.github_events import FakeGitHubEvents
from tests.fakes.github_world import FakeGitHub
from tests.fakes.kozistr_2022 import fake_github
from tests.fakes.packages_world import PackagesWorld
from tests.fakes.pypi_world import PyPIWorld

PREFIXES = {
    "/github": "api.github.com",
    "/pypistats": "pypistats.org",
    "/pypi": "pypi.org",
    "/pepy": "api.pepy.tech",
    "/clickhouse": "sql-clickhouse.clickhouse.com",
}
HOST_PREFIX = {host: prefix for prefix, host in PREFIXES.items()}


def env_for(base_url: str) -> dict[str, str]:
    """Environment variables pointing devstats at a loopback server running `handle`."""
    # pypistats.org is paced per host; serving it as "localhost" keeps that pacing off the others.
    stats_url = base_url.replace("://127.0.0.1:", "://localhost:")
    return {
        "GITHUB_GRAPHQL_URL": f"{base_url}/github/graphql",
        "GITHUB_API_URL": f"{base_url}/github",
        "DEVSTATS_PYPI_URL": f"{base_url}/pypi",
        "DEVSTATS_PYPISTATS_URL": f"{stats_url}/pypistats/api",
        "DEVSTATS_PEPY_URL": f"{base_url}/pepy",
        "DEVSTATS_CLICKHOUSE_URL": f"{base_url}/clickhouse",
    }


@dataclass
class DemoWorld:
    github: FakeGitHub = field(default_factory=fake_github)
    # the demo's one package, or packages made up whole (tests/fakes/packages_world.py)
    pypi: PyPIWorld | PackagesWorld = field(default_factory=PyPIWorld)
    clickhouse: FakeClickHouse | None = None
    # GitHub's event history on the ClickHouse host; by default the GitHub world's events up to
    # the fake GitHub's "now", as a history loaded until then
    events: FakeGitHubEvents | None = None
    requests: list[httpx.Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.clickhouse is None:
            assert isinstance(self.pypi, PyPIWorld), "made-up packages bring their own ClickHouse"
            self.clickhouse = demo_clickhouse(self.pypi)
        if self.events is None:
            now = datetime.fromtimestamp(self.github.clock(), UTC)
            self.events = fake_events(self.github.world, until=now)

    def handle(self, request: httpx.Request) -> httpx.Response | None:
        """Answer a request addressed to a real upstream host, or to a loopback prefix."""
        self.requests.append(request)
        loopback_origin = None
        if request.url.host == "localhost" or request.url.host.startswith("127."):
            loopback_origin = f"{request.url.scheme}://{request.url.netloc.decode()}"
            request = self._unprefix(request)
            if request is None:
                return None
        assert self.clickhouse is not None and self.events is not None
        response = (
            self.github.handle(request)
            or self.pypi.handle(request)
            or self.events.handle(request)  # only the SQL that names the `github` database
            or self.clickhouse.handle(request)
        )
        if response is not None and loopback_origin is not None:
            response = self._reprefix(response, loopback_origin, request)
        return response

    def transport(self) -> httpx.MockTransport:
        return mock_transport(self.handle)

    @staticmethod
    def _unprefix(request: httpx.Request) -> httpx.Request | None:
        path = request.url.path
        for prefix, host in PREFIXES.items():
            if path == prefix or path.startswith(prefix + "/"):
                url = request.url.copy_with(
                    scheme="https", host=host, port=None, path=path[len(prefix) :] or "/"
                )
                headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "host"]
                return httpx.Request(request.method, url, headers=headers, content=request.content)
        return None

    @staticmethod
    def _reprefix(response: httpx.Response, origin: str, request: httpx.Request) -> httpx.Response:
        if request.url.host == PREFIXES["/github"] and request.url.path != "/graphql":
            return DemoWorld._reprefix_rest(response, origin)
        location = response.headers.get("location")
        if not location:
            return response
        target = httpx.URL(request.url).join(location)
        prefix = HOST_PREFIX.get(target.host or "")
        if prefix is None:
            return response
        new_location = f"{origin}{prefix}{target.raw_path.decode()}"
        headers: list[tuple[str, Any]] = [
            (k, new_location if k.lower() == "location" else v)
            for k, v in response.headers.multi_items()
        ]
        return httpx.Response(response.status_code, headers=headers, content=response.read())

    @staticmethod
    def _reprefix_rest(response: httpx.Response, origin: str) -> httpx.Response:
        """GitHub's REST answers name URLs of the API (links to follow, `Link` pages): on the
        loopback server those are under its /github prefix."""
        api = "https://" + PREFIXES["/github"]
        local = f"{origin}/github"
        headers = [
            (k, v.replace(api, local) if k.lower() == "link" else v)
            for k, v in response.headers.multi_items()
            if k.lower() != "content-length"
        ]
        body = response.read().replace(api.encode() + b"/", local.encode() + b"/")
        return httpx.Response(response.status_code, headers=headers, content=body)


def demo_world() -> DemoWorld:
    return DemoWorld()
