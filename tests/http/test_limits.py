"""Per-host rate limits (TokenBucket) and the HTTP client's lanes: hosts side by side, one host
one request at a time."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence

import httpx
import pytest
import respx

from devstats.collect.pypi.pypistats import PYPISTATS_RATES, fetch_overall, pypistats_limiter
from devstats.http.client import HttpClient
from devstats.http.limits import TokenBucket
from tests.fakes.clock import FakeClock
from tests.fakes.loopback import serve

API = "https://pypistats.org/api"
OVERALL = {"package": "pip", "type": "overall_downloads", "data": []}


def most_in_any_window(times: Sequence[float], period: float) -> int:
    """The largest number of `times` inside any half-open interval of `period` seconds."""
    ordered = sorted(times)
    return max(sum(1 for t in ordered if start <= t < start + period - 1e-9) for start in ordered)


# --- the bucket on its own ---------------------------------------------------------------------


def test_a_bucket_needs_sensible_limits() -> None:
    with pytest.raises(ValueError):
        TokenBucket([])
    with pytest.raises(ValueError):
        TokenBucket([(0, 1.0)])
    with pytest.raises(ValueError):
        TokenBucket([(5, 0.0)])


def test_bucket_lets_a_burst_through_then_keeps_every_window() -> None:
    clock = FakeClock()
    bucket = TokenBucket([(5, 1.0), (30, 60.0)], clock=clock.time, sleep=clock.sleep)
    started = []
    for _ in range(40):
        bucket.acquire()
        started.append(clock.now)
    start = started[0]
    assert started[:5] == [start] * 5  # the first burst does not wait
    assert started[5] == start + 1.0
    assert most_in_any_window(started, 1.0) == 5
    assert most_in_any_window(started, 60.0) == 30
    # The 31st request waits for the first to leave the minute, not for a fixed gap.
    assert started[30] == start + 60.0
    assert started[-1] - start == 61.0


def test_a_slot_is_held_until_the_answer_arrives() -> None:
    clock = FakeClock()
    bucket = TokenBucket([(1, 2.0)], clock=clock.time, sleep=clock.sleep)
    with bucket.slot() as waited:
        assert waited == 0.0
        clock.now += 0.5  # the request takes half a second on the wire
    assert bucket.delay() == 2.0  # measured from the answer, not from the send


def test_defer_holds_back_the_next_request() -> None:
    clock = FakeClock()
    bucket = TokenBucket([(5, 1.0)], clock=clock.time, sleep=clock.sleep)
    bucket.defer(7.0)
    assert bucket.acquire() == 7.0
    assert clock.sleeps == [7.0]


def test_threads_sharing_a_bucket_keep_its_limit() -> None:
    bucket = TokenBucket([(3, 0.2)])
    times: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        bucket.acquire()
        with lock:
            times.append(time.monotonic())

    began = time.monotonic()
    threads = [threading.Thread(target=take) for _ in range(9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(times) == 9
    # Nine requests at three per 0.2 s need at least two full windows after the first burst.
    assert max(times) - began >= 0.4
    ordered = sorted(times)
    # Allow the instant between taking a slot and noting the time here.
    assert all(
        later - earlier >= 0.19 for earlier, later in zip(ordered, ordered[3:], strict=False)
    )


# --- the client keeping to pypistats.org's limits ----------------------------------------------


@respx.mock
def test_forty_requests_to_pypistats_take_a_minute_in_bursts_of_five() -> None:
    clock = FakeClock()
    sent: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(clock.now)
        return httpx.Response(200, json=OVERALL)

    respx.get(f"{API}/packages/pip/overall").mock(side_effect=answer)
    respx.get("https://pypi.org/pypi/pip/json").respond(200, json={})
    limiter = pypistats_limiter(clock=clock.time, sleep=clock.sleep)
    with HttpClient(
        sleep=clock.sleep, clock=clock.time, limiters={"pypistats.org": limiter}
    ) as http:
        for _ in range(40):
            fetch_overall(http, "pip", base_url=API)
        before_pypi = clock.now
        http.request("GET", "https://pypi.org/pypi/pip/json")  # another host is not held back
    assert clock.now == before_pypi
    assert len(sent) == 40
    assert sent[-1] - sent[0] >= 60.0
    assert sent[:5] == [sent[0]] * 5
    for count, period in PYPISTATS_RATES:
        assert most_in_any_window(sent, period) == count
    # A fixed two-second gap would need 78 s; the windows need only the one wait for the minute.
    assert sent[-1] - sent[0] == 61.0
    assert http.stats.requests == 41 and http.stats.by_host["pypistats.org"] == 40
    assert http.stats.retries == 0 and http.stats.waited_seconds == 61.0


@respx.mock
def test_retry_after_is_still_honoured_under_the_limits() -> None:
    clock = FakeClock()
    sent: list[float] = []
    replies = [httpx.Response(200, json=OVERALL)] * 3 + [
        httpx.Response(429, text="429 RATE LIMIT EXCEEDED", headers={"Retry-After": "7"}),
        httpx.Response(200, json=OVERALL),
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(clock.now)
        return replies[len(sent) - 1]

    respx.get(f"{API}/packages/pip/overall").mock(side_effect=answer)
    limiter = pypistats_limiter(clock=clock.time, sleep=clock.sleep)
    with HttpClient(
        sleep=clock.sleep, clock=clock.time, limiters={"pypistats.org": limiter}
    ) as http:
        for _ in range(4):
            fetch_overall(http, "pip", base_url=API)
    assert sent[4] - sent[3] == 7.0
    assert clock.sleeps == [7.0]
    assert http.stats.retries == 1


def test_min_interval_is_a_one_request_limit() -> None:
    clock = FakeClock()
    with HttpClient(
        sleep=clock.sleep, clock=clock.time, min_interval={"PyPIStats.org": 2.0}
    ) as http:
        assert {host: bucket.rates for host, bucket in http.limiters.items()} == {
            "pypistats.org": ((1, 2.0),)
        }


# --- lanes: real HTTP to a loopback server under two host names --------------------------------


class Upstream:
    """Counts requests in flight per host; `/a` and `/b` each wait until the other has begun."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.in_flight: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.a_began = threading.Event()
        self.b_began = threading.Event()

    def handle(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        with self.lock:
            self.in_flight[host] += 1
            self.peak[host] = max(self.peak[host], self.in_flight[host])
        try:
            met = True
            if request.url.path == "/a":
                self.a_began.set()
                met = self.b_began.wait(5)
            elif request.url.path == "/b":
                self.b_began.set()
                met = self.a_began.wait(5)
            else:
                time.sleep(0.02)
            return httpx.Response(200, json={"met": met})
        finally:
            with self.lock:
                self.in_flight[host] -= 1


def in_threads(*calls: tuple[HttpClient, str]) -> list[object]:
    results: list[object] = [None] * len(calls)

    def run(index: int, http: HttpClient, url: str) -> None:
        results[index] = http.request("GET", url).json()

    threads = [
        threading.Thread(target=run, args=(i, http, url)) for i, (http, url) in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return results


def test_requests_to_different_hosts_run_side_by_side() -> None:
    upstream = Upstream()
    with serve(upstream.handle) as server, HttpClient(max_retries=0) as http:
        other = server.url.replace("127.0.0.1", "localhost")
        results = in_threads((http, f"{server.url}/a"), (http, f"{other}/b"))
    # Each request waited for the other to begin: had the client sent them one after the
    # other, the first would have given up waiting.
    assert results == [{"met": True}, {"met": True}]


def test_requests_to_one_host_are_sent_one_at_a_time() -> None:
    upstream = Upstream()
    with serve(upstream.handle) as server, HttpClient(max_retries=0) as http:
        other = server.url.replace("127.0.0.1", "localhost")
        calls = [(http, f"{server.url}/slow")] * 6 + [(http, f"{other}/slow")] * 6
        results = in_threads(*calls)
    assert results == [{"met": True}] * 12
    assert upstream.peak == {"127.0.0.1": 1, "localhost": 1}
    assert http.stats.requests == 12
    assert http.stats.by_host == {"127.0.0.1": 6, "localhost": 6}
