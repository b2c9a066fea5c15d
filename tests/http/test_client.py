"""The one HTTP layer: retries, rate-limit waits, pagination, GraphQL errors, error translation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from devstats.http.answers import QueryTooLargeError
from devstats.http.client import USER_AGENT, HttpClient
from devstats.model.errors import (
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    UpstreamError,
)
from tests.fakes.clock import FakeClock

API = "https://api.github.com"
TOKEN = "ghp_secretsecretsecret0123456789abcdef"


def get_json(http: HttpClient, url: str, **options: Any) -> Any:
    """A GET through the client, decoded: how the collectors read an answer."""
    return http.request("GET", url, **options).json()


def client(clock: FakeClock, **kwargs: object) -> HttpClient:
    return HttpClient(token=TOKEN, sleep=clock.sleep, clock=clock.time, **kwargs)  # type: ignore[arg-type]


@respx.mock
def test_sends_user_agent_and_token_only_to_github() -> None:
    gh = respx.get(f"{API}/users/kozistr").respond(200, json={"login": "kozistr"})
    pypi = respx.get("https://pypi.org/pypi/x/json").respond(200, json={})
    clock = FakeClock()
    with client(clock) as http:
        get_json(http, f"{API}/users/kozistr")
        get_json(http, "https://pypi.org/pypi/x/json")
    assert gh.calls.last.request.headers["authorization"] == f"Bearer {TOKEN}"
    assert gh.calls.last.request.headers["user-agent"] == USER_AGENT
    assert "authorization" not in pypi.calls.last.request.headers


@respx.mock
def test_retries_server_errors_with_exponential_backoff() -> None:
    route = respx.get(f"{API}/x").mock(
        side_effect=[httpx.Response(502), httpx.Response(500), httpx.Response(200, json=[1])]
    )
    clock = FakeClock()
    with client(clock, backoff=1.0) as http:
        assert get_json(http, f"{API}/x") == [1]
    assert route.call_count == 3
    assert clock.sleeps == [1.0, 2.0]
    assert http.stats.retries == 2 and http.stats.requests == 3


@respx.mock
def test_backoff_never_exceeds_the_longest_wait() -> None:
    respx.get(f"{API}/x").mock(
        side_effect=[httpx.Response(503)] * 6 + [httpx.Response(200, json=1)]
    )
    clock = FakeClock()
    with client(clock, backoff=1.0, max_retries=6, max_wait=5.0) as http:
        assert get_json(http, f"{API}/x") == 1
    assert clock.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


@respx.mock
def test_gives_up_after_max_retries_with_upstream_error() -> None:
    respx.get(f"{API}/x").respond(503)
    clock = FakeClock()
    with client(clock, max_retries=2) as http, pytest.raises(UpstreamError) as caught:
        get_json(http, f"{API}/x")
    assert caught.value.exit_code == 5
    assert "HTTP 503" in str(caught.value) and "3 attempts" in str(caught.value)


@respx.mock
def test_one_attempt_is_said_in_the_singular() -> None:
    respx.get(f"{API}/x").respond(503)
    with client(FakeClock(), max_retries=0) as http, pytest.raises(UpstreamError) as caught:
        get_json(http, f"{API}/x")
    assert "after 1 attempt" in str(caught.value)
    assert "1 attempts" not in str(caught.value)


@respx.mock
def test_network_errors_are_retried_then_translated() -> None:
    respx.get(f"{API}/x").mock(side_effect=httpx.ConnectError("refused"))
    clock = FakeClock()
    with client(clock, max_retries=1) as http, pytest.raises(UpstreamError) as caught:
        get_json(http, f"{API}/x")
    assert "could not be reached" in str(caught.value)
    assert len(clock.sleeps) == 1


@respx.mock
def test_primary_rate_limit_waits_until_reset() -> None:
    clock = FakeClock()
    reset = int(clock.now) + 120
    respx.get(f"{API}/x").mock(
        side_effect=[
            httpx.Response(
                403,
                headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
                json={"message": "API rate limit exceeded for user ID 1."},
            ),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    with client(clock) as http:
        assert get_json(http, f"{API}/x") == {"ok": True}
    assert clock.sleeps == [121.0]


@respx.mock
def test_retry_after_is_honoured_on_secondary_limits() -> None:
    # Shape of GitHub's recorded secondary-limit answer: 403, Retry-After: 60, no x-ratelimit.
    respx.get(f"{API}/x").mock(
        side_effect=[
            httpx.Response(
                403,
                headers={"Retry-After": "60"},
                json={
                    "message": "You have triggered an abuse detection mechanism. "
                    "Please wait a few minutes before you try again."
                },
            ),
            httpx.Response(429, headers={"Retry-After": "7"}, text="429 RATE LIMIT EXCEEDED"),
            httpx.Response(200, json=[]),
        ]
    )
    clock = FakeClock()
    with client(clock) as http:
        assert get_json(http, f"{API}/x") == []
    assert clock.sleeps == [60.0, 7.0]


@respx.mock
def test_rate_limit_beyond_max_wait_says_when_it_resets() -> None:
    clock = FakeClock()
    reset = int(clock.now) + 3600
    respx.get(f"{API}/x").respond(
        403, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}, json={}
    )
    with client(clock, max_wait=600) as http, pytest.raises(RateLimitError) as caught:
        get_json(http, f"{API}/x")
    assert clock.sleeps == []
    assert caught.value.exit_code == 5
    assert caught.value.reset_at == reset
    assert "resets at 2023-11-14 23:13:20 UTC" in str(caught.value)


@respx.mock
def test_401_is_authentication_error_without_the_token() -> None:
    respx.get(f"{API}/x").respond(401, json={"message": "Bad credentials"})
    clock = FakeClock()
    with client(clock) as http, pytest.raises(AuthenticationError) as caught:
        get_json(http, f"{API}/x")
    assert caught.value.exit_code == 4
    assert "Bad credentials" in str(caught.value)
    assert TOKEN not in str(caught.value)


@respx.mock
def test_404_is_not_found_unless_allowed() -> None:
    respx.get(f"{API}/users/nobody").respond(404, json={"message": "Not Found"})
    clock = FakeClock()
    with client(clock) as http:
        with pytest.raises(NotFoundError):
            get_json(http, f"{API}/users/nobody", what="GitHub user 'nobody'")
        response = http.request("GET", f"{API}/users/nobody", allow_status=(404,))
    assert response.status_code == 404


@respx.mock
def test_graphql_rate_limited_error_waits_for_reset_then_returns_data() -> None:
    clock = FakeClock()
    reset = int(clock.now) + 30
    respx.post(f"{API}/graphql").mock(
        side_effect=[
            httpx.Response(
                200,
                headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
                json={
                    "errors": [
                        {
                            "type": "RATE_LIMIT",
                            "code": "graphql_rate_limit",
                            "message": "API rate limit already exceeded for user ID 1.",
                        }
                    ]
                },
            ),
            httpx.Response(
                200,
                json={
                    "data": {"viewer": {"login": "k"}, "rateLimit": {"cost": 1, "remaining": 4999}}
                },
            ),
        ]
    )
    with client(clock) as http:
        data = http.graphql(f"{API}/graphql", "query { viewer { login } }")
    assert data["viewer"] == {"login": "k"}
    assert clock.sleeps == [30.0]
    assert http.stats.graphql_cost == 1 and http.stats.graphql_remaining == 4999


@respx.mock
def test_graphql_error_types_are_translated() -> None:
    route = respx.post(f"{API}/graphql")
    clock = FakeClock()
    with client(clock) as http:
        route.respond(
            200,
            json={
                "data": {"user": None},
                "errors": [
                    {
                        "type": "NOT_FOUND",
                        "path": ["user"],
                        "message": "Could not resolve to a User with the login of 'noname'.",
                    }
                ],
            },
        )
        with pytest.raises(NotFoundError, match="noname"):
            http.graphql(f"{API}/graphql", "query { x }")
        route.respond(
            200,
            json={
                "data": {"user": None},
                "errors": [
                    {
                        "type": "RESOURCE_LIMITS_EXCEEDED",
                        "message": "Resource limits for this query exceeded.",
                    }
                ],
            },
        )
        with pytest.raises(QueryTooLargeError):
            http.graphql(f"{API}/graphql", "query { x }")
        route.respond(200, json={"errors": [{"message": "Something went wrong"}]})
        with pytest.raises(UpstreamError, match="Something went wrong"):
            http.graphql(f"{API}/graphql", "query { x }")


@respx.mock
def test_pacing_spaces_requests_to_a_host() -> None:
    respx.get("https://pypistats.org/api/packages/x/recent").respond(200, json={})
    clock = FakeClock()
    with client(clock, min_interval={"pypistats.org": 2.0}) as http:
        for _ in range(3):
            get_json(http, "https://pypistats.org/api/packages/x/recent")
    assert clock.sleeps == [2.0, 2.0]


@respx.mock
def test_content_is_sent_as_the_body_unchanged() -> None:
    route = respx.post("https://db.example/").respond(200, text="ok")
    clock = FakeClock()
    with client(clock) as http:
        http.request("POST", "https://db.example/", content="SELECT 1\nFORMAT JSON")
        with pytest.raises(ValueError, match="not both"):
            http.request("POST", "https://db.example/", content="x", json_body={"x": 1})
    assert route.call_count == 1
    assert route.calls.last.request.content == b"SELECT 1\nFORMAT JSON"


@respx.mock
def test_fail_fast_raises_its_error_before_any_retry() -> None:
    route = respx.get("https://db.example/").mock(
        side_effect=[
            httpx.Response(500, text="Code: 202. busy"),
            httpx.Response(500, text="Code: 201. quota"),
            httpx.Response(200, text="never reached"),
        ]
    )

    def fail_fast(response: httpx.Response) -> UpstreamError | None:
        return UpstreamError("over quota") if "201" in response.text else None

    clock = FakeClock()
    with client(clock) as http, pytest.raises(UpstreamError, match="over quota"):
        http.request("GET", "https://db.example/", fail_fast=fail_fast)
    # The first 500 was retried as usual; the quota ended it at once.
    assert route.call_count == 2
    assert clock.sleeps == [1.0]
