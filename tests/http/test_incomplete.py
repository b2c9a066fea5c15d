"""Answers cut short: a 200 whose body is not complete JSON, and a connection dropped mid-body,
are retried like a 5xx when the request may be repeated (GET, GraphQL queries), never otherwise."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import respx

from devstats.collect.pypi.pypistats import fetch_overall
from devstats.http.client import HttpClient
from devstats.model.errors import UpstreamError
from tests.fakes.clock import FakeClock
from tests.fakes.loopback import serve

API = "https://api.github.com"
GRAPHQL = f"{API}/graphql"
VIEWER = b'{"data": {"viewer": {"login": "kozistr"}}}'


def client(clock: FakeClock, **kwargs: object) -> HttpClient:
    return HttpClient(
        token="ghp_incompleteTESTtoken0123456789", sleep=clock.sleep, clock=clock.time, **kwargs
    )  # type: ignore[arg-type]


def cut(body: bytes, keep: int) -> httpx.Response:
    """A 200 that declares JSON and carries only the first `keep` bytes of `body`."""
    return httpx.Response(200, headers={"content-type": "application/json"}, content=body[:keep])


@respx.mock
def test_a_graphql_answer_cut_short_is_asked_again() -> None:
    route = respx.post(GRAPHQL).mock(side_effect=[cut(VIEWER, 25), cut(VIEWER, len(VIEWER))])
    clock = FakeClock()
    with client(clock) as http:
        data = http.graphql(GRAPHQL, "query { viewer { login } }")
    assert data == {"viewer": {"login": "kozistr"}}
    assert route.call_count == 2
    assert clock.sleeps == [1.0] and http.stats.retries == 1


@respx.mock
def test_a_get_answer_cut_short_is_asked_again() -> None:
    body = b"[1, 2, 3]"
    route = respx.get(f"{API}/x").mock(side_effect=[cut(body, 5), cut(body, 0), cut(body, 9)])
    clock = FakeClock()
    with client(clock) as http:
        assert http.request_json("GET", f"{API}/x")[1] == [1, 2, 3]
    assert route.call_count == 3 and clock.sleeps == [1.0, 2.0]


@respx.mock
def test_the_collectors_own_requests_are_checked_too() -> None:
    # pypistats.org's collector asks through `request_json` like every collector.
    body = b'{"data": [], "package": "pip", "type": "overall_downloads"}'
    route = respx.get("https://pypistats.org/api/packages/pip/overall").mock(
        side_effect=[cut(body, 30), cut(body, len(body))]
    )
    with client(FakeClock()) as http:
        fetch_overall(http, "pip", base_url="https://pypistats.org/api")
    assert route.call_count == 2


@respx.mock
def test_an_answer_cut_short_every_time_ends_as_one_upstream_error() -> None:
    route = respx.post(GRAPHQL).mock(return_value=cut(VIEWER, 20))
    clock = FakeClock()
    with client(clock, max_retries=2) as http, pytest.raises(UpstreamError) as caught:
        http.graphql(GRAPHQL, "query { viewer { login } }")
    assert route.call_count == 3 and clock.sleeps == [1.0, 2.0]
    assert caught.value.exit_code == 5
    message = str(caught.value)
    assert "not complete JSON" in message and "after 3 attempts" in message
    assert repr(VIEWER[:20].decode().strip()) in message  # what came, for the log


@pytest.mark.parametrize(
    "drop",
    [
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
        httpx.ReadError("connection reset by peer"),
    ],
)
@respx.mock
def test_a_connection_dropped_mid_answer_is_retried_for_queries(drop: Exception) -> None:
    get = respx.get(f"{API}/x").mock(side_effect=[drop, httpx.Response(200, json=[1])])
    post = respx.post(GRAPHQL).mock(side_effect=[drop, drop, httpx.Response(200, content=VIEWER)])
    clock = FakeClock()
    with client(clock) as http:
        assert http.request_json("GET", f"{API}/x")[1] == [1]
        assert http.graphql(GRAPHQL, "# who\nquery Who { viewer { login } }") == {
            "viewer": {"login": "kozistr"}
        }
    assert get.call_count == 2 and post.call_count == 3
    assert clock.sleeps == [1.0, 1.0, 2.0]


@respx.mock
def test_a_mutation_or_a_plain_post_is_not_repeated_once_it_may_have_arrived() -> None:
    route = respx.post(GRAPHQL).mock(side_effect=httpx.ReadError("reset"))
    issues = respx.post(f"{API}/repos/a/b/issues").mock(side_effect=httpx.ReadError("reset"))
    clock = FakeClock()
    with client(clock) as http:
        with pytest.raises(UpstreamError, match="not repeated") as caught:
            http.graphql(
                GRAPHQL, "mutation { addStar(input: {starrableId: 1}) { clientMutationId } }"
            )
        assert caught.value.exit_code == 5
        assert route.call_count == 1
        with pytest.raises(UpstreamError, match="not repeated"):
            http.request("POST", f"{API}/repos/a/b/issues", json_body={"title": "x"})
        assert issues.call_count == 1
    assert clock.sleeps == []


@respx.mock
def test_a_post_whose_connection_was_refused_is_retried() -> None:
    # Refused before a byte was sent: repeating it cannot do anything twice.
    route = respx.post(f"{API}/repos/a/b/issues").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(201, json={})]
    )
    with client(FakeClock()) as http:
        assert http.request("POST", f"{API}/repos/a/b/issues").status_code == 201
    assert route.call_count == 2


@contextmanager
def dropping_server(full: bytes, *, drops: int) -> Iterator[tuple[str, list[int]]]:
    """A raw HTTP server: its first `drops` answers promise `full` but close halfway through."""
    listener = socket.create_server(("127.0.0.1", 0))
    # Closing a listener does not wake a thread blocked in accept(); such a thread outlives the
    # test and can take a connection meant for a later test's server that reuses the descriptor.
    # So the thread polls a stop flag, and the listener is closed only after the thread ended.
    listener.settimeout(0.05)
    stop = threading.Event()
    connections: list[int] = []

    def answer() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(10)
                conn.recv(65536)
                connections.append(1)
                head = (
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(full)}\r\nConnection: close\r\n\r\n"
                ).encode()
                body = full[: len(full) // 2] if len(connections) <= drops else full
                conn.sendall(head + body)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", connections
    finally:
        stop.set()
        thread.join(10)
        listener.close()
        assert not thread.is_alive(), "the dropping server's thread did not stop"


def test_a_real_connection_closed_mid_body_is_retried() -> None:
    with dropping_server(VIEWER, drops=2) as (url, connections):
        clock = FakeClock()
        with HttpClient(auth_hosts=(), sleep=clock.sleep, clock=clock.time) as http:
            data = http.graphql(f"{url}/graphql", "query { viewer { login } }")
    assert data == {"viewer": {"login": "kozistr"}}
    assert len(connections) == 3 and clock.sleeps == [1.0, 2.0]


def test_a_real_200_whose_body_is_cut_short_is_retried() -> None:
    # Content-Length agrees with the bytes sent: only the JSON itself shows the cut.
    answers = [VIEWER[:17], VIEWER]

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "application/json"}, content=answers.pop(0)
        )

    with serve(handle) as server:
        clock = FakeClock()
        with HttpClient(auth_hosts=(), sleep=clock.sleep, clock=clock.time) as http:
            data = http.graphql(f"{server.url}/graphql", "query { viewer { login } }")
    assert data == {"viewer": {"login": "kozistr"}}
    assert len(server.requests) == 2
