"""The cache of upstream answers: keys, freshness, what is kept, crashes, two processes at once,
its size bound, the caching transport behind the real HTTP client, its policy and `devstats cache`.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import platformdirs
import pytest

from devstats.http.cache.entries import (
    ENTRIES,
    CachedResponse,
    CachePolicy,
    ResponseCache,
    default_cache_folder,
)
from devstats.http.cache.keys import cache_key
from devstats.http.cache.policy import (
    DAY,
    HOUR,
    MaxAge,
    graphql_window_end,
    parse_max_age,
    upstream_policy,
)
from devstats.http.cache.transport import CachingTransport
from devstats.http.client import HttpClient
from devstats.http.limits import TokenBucket
from devstats.model.errors import UpstreamError, UsageError
from tests.fakes.clock import FakeClock
from tests.fakes.loopback import LoopbackServer, serve
from tests.fakes.paths import ROOT

TOKEN = "ghp_cachetestTOKEN0123456789abcdefABCD"
PYPI = "https://pypi.org/pypi/pytorch-optimizer/json"
GRAPHQL = "https://api.github.com/graphql"


def get(url: str = PYPI, **headers: str) -> httpx.Request:
    return httpx.Request("GET", url, headers=headers)


def answer(
    request: httpx.Request, body: bytes, status: int = 200, **headers: str
) -> httpx.Response:
    response = httpx.Response(status, headers=headers, content=body, request=request)
    response.read()
    return response


def entry_files(folder: Path) -> list[Path]:
    return sorted((folder / ENTRIES).glob("*/*.entry"))


def temp_files(folder: Path) -> list[Path]:
    return sorted((folder / ENTRIES).glob("*/*.tmp"))


# --- keys ----------------------------------------------------------------------------------------


def graphql(variables: dict[str, object], token: str | None = TOKEN) -> httpx.Request:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {
        "query": "query Q($login: String!) { user(login: $login) { id } }",
        "variables": variables,
    }
    return httpx.Request("POST", GRAPHQL, json=body, headers=headers)


def test_key_is_method_url_body_and_credential() -> None:
    a = graphql({"login": "kozistr", "from": "2022-01-01T00:00:00+00:00"})
    same = graphql({"from": "2022-01-01T00:00:00+00:00", "login": "kozistr"})
    assert cache_key(a) == cache_key(same)  # variables in another order are the same question
    assert cache_key(a) != cache_key(graphql({"login": "other"}))
    # A token's owner may see more than anyone else (private contributions): not shared.
    assert cache_key(a) != cache_key(
        graphql({"login": "kozistr", "from": "2022-01-01T00:00:00+00:00"}, token="ghp_other")
    )
    assert cache_key(get(f"{PYPI}?a=1&b=2")) == cache_key(get(f"{PYPI}?b=2&a=1"))
    assert cache_key(get(PYPI)) != cache_key(httpx.Request("HEAD", PYPI))


# --- storing and reading -------------------------------------------------------------------------


def test_a_stored_answer_comes_back_whole_and_without_secrets(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    request = graphql({"login": "kozistr"})
    body = json.dumps({"data": {"user": {"id": "U_1"}}}).encode()
    response = answer(
        request,
        body,
        **{
            "content-type": "application/json",
            "etag": '"abc"',
            "set-cookie": "session=s3cr3t",
            "x-api-token": "t0k3n",
            "x-ratelimit-remaining": "4999",
        },
    )
    assert cache.put(request, response) is not None
    back = cache.get(graphql({"login": "kozistr"}), max_age=60)
    assert back is not None
    assert back.status_code == 200 and back.content == body and back.json() == json.loads(body)
    assert back.headers["etag"] == '"abc"' and back.headers["x-ratelimit-remaining"] == "4999"
    assert back.extensions["devstats_cache"] == "hit"
    on_disk = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    for secret in (TOKEN, "s3cr3t", "t0k3n", "set-cookie", "authorization"):
        assert secret.encode() not in on_disk.lower() and secret.encode() not in on_disk


def test_an_answer_holding_the_credential_is_not_kept(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    request = graphql({"login": "kozistr"})
    assert cache.put(request, answer(request, f'{{"echo": "{TOKEN}"}}'.encode())) is None
    assert cache.put(request, answer(request, b"{}", **{"x-echo": TOKEN})) is None
    assert cache.info().entries == 0


def test_an_answer_is_fresh_until_max_age(tmp_path: Path) -> None:
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    cache.put(get(), answer(get(), b"{}"))
    clock.now += 59
    assert cache.get(get(), max_age=60) is not None
    clock.now += 1
    assert cache.get(get(), max_age=60) is None
    assert cache.get(get(), max_age=0) is None  # --refresh
    assert cache.lookup(get()) is not None  # still there, for revalidation


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache.put(get(), answer(get(), b'{"info": "%s"}' % (b"x" * 1000)))
    (path,) = entry_files(tmp_path)
    path.write_bytes(path.read_bytes()[:-10])  # a torn write, as a power cut could leave
    assert cache.get(get(), max_age=60) is None
    assert not path.exists()


def test_a_half_answer_is_never_kept(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    whole = b'{"info": {"version": "2.0.1"}}'
    json_type = {"content-type": "application/json"}
    assert cache.put(get(), answer(get(), whole[:12], **json_type)) is None  # JSON cut short
    assert cache.put(get(), answer(get(), whole[:12])) is None  # looks like JSON, untyped
    short = answer(get(), whole[:12], **{"content-type": "text/plain", "content-length": "99"})
    assert cache.put(get(), short) is None  # shorter than it said
    errors = b'{"data": null, "errors": [{"message": "timeout"}]}'
    assert cache.put(get(), answer(get(), errors, **json_type)) is None
    assert entry_files(tmp_path) == []
    assert cache.put(get(), answer(get(), whole, **json_type)) is not None
    assert cache.put(get(), answer(get(), b"plain text", **{"content-type": "text/plain"}))


def test_an_entry_from_before_answers_were_checked_is_replaced(tmp_path: Path) -> None:
    # A cache written by a version that kept half answers: the entry is whole on disk (its
    # length and hash match), but its body is not; it is dropped when read.
    cache = ResponseCache(tmp_path)
    whole = b'{"info": {"version": "2.0.1"}}'
    cache.put(get(), answer(get(), whole, **{"content-type": "application/json"}))
    (path,) = entry_files(tmp_path)
    head, _, _ = path.read_bytes().partition(b"\n")
    meta = json.loads(head)
    half = whole[:12]
    del meta["whole"]
    meta.update(size=len(half), sha256=hashlib.sha256(half).hexdigest())
    path.write_bytes(json.dumps(meta).encode() + b"\n" + half)
    assert cache.lookup(get()) is None
    assert not path.exists()


def test_a_run_dying_mid_write_leaves_no_entry_and_its_temporary_file_is_cleaned(
    tmp_path: Path,
) -> None:
    # The writer dies after writing the temporary file and before renaming it into place.
    script = (
        "import os, sys, httpx\n"
        "from pathlib import Path\n"
        "from devstats.http.cache.entries import ResponseCache\n"
        "os.replace = lambda *a: os._exit(3)\n"
        f"request = httpx.Request('GET', {PYPI!r})\n"
        "response = httpx.Response(200, content=b'x' * 5000, request=request)\n"
        "ResponseCache(Path(sys.argv[1])).put(request, response)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, check=False)
    assert done.returncode == 3
    (left,) = temp_files(tmp_path)
    assert left.stat().st_size > 5000  # the whole entry, never renamed into place
    clock = FakeClock(start=left.stat().st_mtime + 60)
    cache = ResponseCache(tmp_path, clock=clock.time)
    assert entry_files(tmp_path) == []
    assert cache.get(get(), max_age=60) is None
    assert cache.info().entries == 0
    cache.sweep()
    assert left.exists()  # young: it may belong to a run still writing
    clock.now += 3600
    cache.sweep()
    assert not left.exists()


def test_the_folder_stays_within_its_bound(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path, max_bytes=20_000)
    requests = [get(f"{PYPI}?n={n}") for n in range(30)]
    for request in requests:
        assert cache.put(request, answer(request, b"y" * 2000)) is not None
        assert cache.info().bytes <= 20_000
    # About 2.2 KB an entry: eight or nine fit.
    assert 7 <= cache.info().entries <= 9
    assert cache.lookup(requests[-1]) is not None
    assert cache.lookup(requests[0]) is None


def test_eviction_drops_the_least_recently_used_first(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path, max_bytes=20_000)
    requests = [get(f"{PYPI}?n={n}") for n in range(10)]
    for request in requests[:8]:
        cache.put(request, answer(request, b"y" * 2000))
    # Make the order of use explicit (file times can tie), then read the oldest again.
    for n, request in enumerate(requests[:8]):
        os.utime(cache.path_for(request), (1_000_000 + n, 1_000_000 + n))
    assert cache.lookup(requests[0]) is not None
    for request in requests[8:]:
        cache.put(request, answer(request, b"y" * 2000))
    kept = [cache.lookup(r) is not None for r in requests]
    assert kept[0] and kept[-1]
    assert not kept[1]  # the least recently used
    assert kept == [True] + [False] * kept[1:].index(True) + [True] * (9 - kept[1:].index(True))


def test_an_answer_larger_than_the_bound_is_not_kept(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path, max_bytes=1000)
    assert cache.put(get(), answer(get(), b"z" * 2000)) is None
    assert cache.info().entries == 0


def test_clear_removes_entries_and_leftovers_but_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("not the cache's")
    cache = ResponseCache(tmp_path)
    for n in range(3):
        cache.put(get(f"{PYPI}?n={n}"), answer(get(), b"{}"))
    shard = entry_files(tmp_path)[0].parent
    (shard / ".dead.tmp").write_bytes(b"half")
    info = cache.info()
    assert info.entries == 3 and info.folder == tmp_path
    removed = cache.clear()
    assert (removed.entries, removed.bytes) == (3, info.bytes)
    assert cache.info().entries == 0
    assert [p.name for p in tmp_path.rglob("*")] == ["mine.txt"]


def test_the_default_folder_is_the_users_cache_folder_unless_set() -> None:
    assert default_cache_folder({}) == Path(platformdirs.user_cache_dir("devstats"))
    assert default_cache_folder({"DEVSTATS_CACHE_DIR": "/x/y"}) == Path("/x/y")


# --- two processes at once -------------------------------------------------------------------


def _body_for(n: int) -> bytes:
    return (f"answer {n} " * (50 + n * 7)).encode()


def _worker(folder: str, seed: int, start: Any, results: Any) -> None:
    """Write and read the same keys as the other worker; report how many reads were wrong."""
    cache = ResponseCache(Path(folder), max_bytes=40_000)
    wrong = reads = 0
    start.wait(60)  # both begin together, so their writes, reads and evictions interleave
    for round_ in range(20):
        for i in range(40):
            n = (i * (seed + 3) + round_) % 40
            request = httpx.Request("GET", f"{PYPI}?n={n}")
            if (i + seed) % 2:
                response = httpx.Response(200, content=_body_for(n), request=request)
                response.read()
                cache.put(request, response)
            else:
                found = cache.get(request, max_age=3600)
                reads += found is not None
                wrong += found is not None and found.content != _body_for(n)
    results.put((seed, wrong, reads))


def test_two_processes_share_the_cache_without_half_entries(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(str(tmp_path), seed, start, results))
        for seed in (0, 1)
    ]
    for worker in workers:
        worker.start()
    reports = sorted(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert [(seed, wrong) for seed, wrong, _ in reports] == [(0, 0), (1, 0)]
    assert all(reads > 0 for _, _, reads in reports)  # reads met entries, not only misses
    assert temp_files(tmp_path) == []
    files = entry_files(tmp_path)
    assert files
    for path in files:
        entry = CachedResponse.decode(path.read_bytes())
        assert entry is not None
        n = int(entry.url.rsplit("=", 1)[1])
        assert entry.body == _body_for(n)


# --- the transport behind the real client, against a loopback fake --------------------------


class FakeUpstream:
    """GraphQL at /graphql (echoes its variables), PyPI JSON with ETags, and a 404."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.conditional: list[str] = []
        self.version = 1
        self.graphql_errors = False
        self.cut_next = 0  # how many GraphQL answers to cut in half, as a flaky proxy does

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.hits[path] += 1
        if path == "/graphql":
            body = json.loads(request.content)
            if self.graphql_errors:
                return httpx.Response(200, json={"data": None, "errors": [{"message": "boom"}]})
            whole = json.dumps({"data": {"echo": body["variables"]}}).encode()
            if self.cut_next:
                self.cut_next -= 1
                return httpx.Response(
                    200, headers={"content-type": "application/json"}, content=whole[:20]
                )
            return httpx.Response(200, headers={"content-type": "application/json"}, content=whole)
        if path == "/pypi/known/json":
            etag = f'"v{self.version}"'
            if request.headers.get("if-none-match") == etag:
                self.conditional.append(etag)
                return httpx.Response(304, headers={"etag": etag})
            return httpx.Response(
                200, json={"info": {"version": self.version}}, headers={"etag": etag}
            )
        return httpx.Response(404, text="Not Found")


@pytest.fixture
def upstream() -> Iterator[tuple[FakeUpstream, LoopbackServer]]:
    fake = FakeUpstream()
    with serve(fake.handle) as server:
        yield fake, server


def run_policy(
    server: LoopbackServer, *, now: datetime, clock: FakeClock, refresh: bool = False
) -> CachePolicy:
    """The policy of a run reporting 2022, with the fake serving every upstream."""
    return upstream_policy(
        now=now,
        year_end=datetime(2023, 1, 1, tzinfo=UTC),
        github_graphql=f"{server.url}/graphql",
        pypistats=f"{server.url}/pypistats/api",
        pypi=server.url,
        clock=clock.time,
        refresh=refresh,
    )


def client(cache: ResponseCache, policy: CachePolicy, token: str | None = TOKEN) -> HttpClient:
    transport = CachingTransport(httpx.HTTPTransport(), cache, policy)
    return HttpClient(token=token, auth_hosts=("127.0.0.1",), transport=transport, max_retries=0)


NOW = datetime(2025, 6, 1, tzinfo=UTC)
YEAR_2022 = {
    "login": "kozistr",
    "from": "2022-01-01T00:00:00+00:00",
    "to": "2022-12-31T23:59:59+00:00",
}
YEAR_2025 = {
    "login": "kozistr",
    "from": "2025-01-01T00:00:00+00:00",
    "to": "2025-12-31T23:59:59+00:00",
}


def test_a_closed_years_answers_are_reused_for_thirty_days(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    policy = run_policy(server, now=NOW, clock=clock)
    with client(cache, policy) as http:
        first = http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2022)
    clock.now += 29 * DAY
    with client(cache, policy) as http:
        again = http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2022)
        assert http.stats.cache_hits == 1 and http.stats.requests == 1
    assert first == again == {"echo": YEAR_2022}
    assert fake.hits["/graphql"] == 1
    clock.now += 1 * DAY
    with client(cache, policy) as http:
        http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2022)
    assert fake.hits["/graphql"] == 2


def test_the_current_years_answers_are_reused_for_an_hour(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    policy = run_policy(server, now=NOW, clock=clock)
    with client(cache, policy) as http:
        for minutes in (0, 30, 61):
            clock.now += minutes * 60
            http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2025)
    assert fake.hits["/graphql"] == 2


def test_graphql_errors_and_failures_are_never_kept(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    transport = CachingTransport(
        httpx.HTTPTransport(), cache, run_policy(server, now=NOW, clock=clock)
    )
    fake.graphql_errors = True
    with HttpClient(transport=transport, max_retries=0) as http:
        for _ in range(2):
            with pytest.raises(UpstreamError, match="boom"):
                http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2022)
        for _ in range(2):
            gone = http.request("GET", f"{server.url}/pypi/unknown/json", allow_status=(404,))
            assert gone.status_code == 404
    assert fake.hits == {"/graphql": 2, "/pypi/unknown/json": 2}
    assert cache.info().entries == 0
    assert (transport.stats.misses, transport.stats.stored) == (4, 0)


def test_a_cut_short_answer_costs_one_retry_and_never_reaches_a_later_run(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    policy = run_policy(server, now=NOW, clock=clock)
    fake.cut_next = 1
    transport = CachingTransport(httpx.HTTPTransport(), cache, policy)
    with HttpClient(
        token=TOKEN, auth_hosts=("127.0.0.1",), transport=transport, sleep=clock.sleep
    ) as http:
        first = http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2022)
        assert http.stats.retries == 1
    assert first == {"echo": YEAR_2022}
    assert fake.hits["/graphql"] == 2 and transport.stats.stored == 1
    with client(cache, policy) as http:  # the next run: answered whole from the cache
        assert http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2022) == first
        assert http.stats.cache_hits == 1
    assert fake.hits["/graphql"] == 2


def test_a_stale_answer_with_an_etag_is_revalidated(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    transport = CachingTransport(
        httpx.HTTPTransport(), cache, run_policy(server, now=NOW, clock=clock)
    )
    url = f"{server.url}/pypi/known/json"
    with HttpClient(transport=transport, max_retries=0) as http:
        assert http.request("GET", url).json() == {"info": {"version": 1}}
        clock.now += 2 * HOUR
        assert http.request("GET", url).json() == {
            "info": {"version": 1}
        }  # a 304, answered from the entry
        assert fake.conditional == ['"v1"']
        clock.now += 0.5 * HOUR
        assert http.request("GET", url).json() == {
            "info": {"version": 1}
        }  # the 304 made it fresh again
        assert fake.hits["/pypi/known/json"] == 2
        fake.version = 2
        clock.now += 2 * HOUR
        assert http.request("GET", url).json() == {
            "info": {"version": 2}
        }  # changed: a 200 replaces it
    assert (transport.stats.hits, transport.stats.revalidated, transport.stats.misses) == (1, 1, 2)
    entry = cache.lookup(httpx.Request("GET", url))
    assert entry is not None and entry.etag == '"v2"'


def test_refresh_asks_again_but_still_revalidates_and_stores(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    url = f"{server.url}/pypi/known/json"
    graphql_url = f"{server.url}/graphql"
    with client(cache, run_policy(server, now=NOW, clock=clock)) as http:
        http.request("GET", url).json()
        http.graphql(graphql_url, "query Q { x }", YEAR_2022)
    with client(cache, run_policy(server, now=NOW, clock=clock, refresh=True)) as http:
        http.request("GET", url).json()
        http.graphql(graphql_url, "query Q { x }", YEAR_2022)
        assert http.stats.cache_hits == 0
    assert fake.hits["/graphql"] == 2 and fake.hits["/pypi/known/json"] == 2
    assert fake.conditional == ['"v1"']


def test_another_token_does_not_see_the_first_ones_answers_and_none_is_stored(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    policy = run_policy(server, now=NOW, clock=clock)
    for token in (TOKEN, "ghp_secondTOKEN0123456789abcdefABCDEFG", TOKEN):
        with client(cache, policy, token=token) as http:
            http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2022)
    assert fake.hits["/graphql"] == 2
    on_disk = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"ghp_" not in on_disk and b"Bearer" not in on_disk


def test_requests_the_policy_refuses_pass_by_the_cache(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    transport = CachingTransport(httpx.HTTPTransport(), cache, lambda request: None)
    with HttpClient(transport=transport, max_retries=0) as http:
        for _ in range(2):
            http.request("GET", f"{server.url}/pypi/known/json").json()
    assert fake.hits["/pypi/known/json"] == 2
    assert transport.stats.passed == 2 and cache.info().entries == 0


# --- the policy ----------------------------------------------------------------------------------


def request_to(method: str, url: str, variables: dict[str, object] | None = None) -> httpx.Request:
    if variables is None:
        return httpx.Request(method, url)
    return httpx.Request(method, url, json={"query": "query Q { x }", "variables": variables})


def test_policy_decides_by_host_and_by_window() -> None:
    clock = FakeClock(start=datetime(2025, 6, 1, 5, 30, tzinfo=UTC).timestamp())
    closed_run = upstream_policy(
        now=NOW,
        year_end=datetime(2023, 1, 1, tzinfo=UTC),
        github_graphql="https://api.github.com/graphql",
        pypistats="https://pypistats.org/api",
        pypi="https://pypi.org",
        clock=clock.time,
    )
    assert closed_run(request_to("POST", GRAPHQL, YEAR_2022)) == 30 * DAY
    assert closed_run(request_to("POST", GRAPHQL, YEAR_2025)) == HOUR  # --compare's other year
    history = {"since": "2022-01-01T00:00:00+00:00", "until": "2022-12-31T23:59:59+00:00"}
    assert closed_run(request_to("POST", GRAPHQL, history)) == 30 * DAY
    assert closed_run(request_to("POST", GRAPHQL, {"owner": "o", "name": "n"})) == 30 * DAY
    # pypistats.org changes once a day: fresh only if stored since the last UTC midnight.
    assert (
        closed_run(request_to("GET", "https://pypistats.org/api/packages/x/overall")) == 5.5 * HOUR
    )
    assert closed_run(request_to("GET", PYPI)) == HOUR
    assert closed_run(request_to("GET", "https://api.github.com/repos/o/n/contents/x")) is None
    assert closed_run(request_to("PUT", PYPI)) is None
    assert closed_run(request_to("GET", "https://example.org/pypi")) is None

    open_run = upstream_policy(
        now=NOW,
        year_end=datetime(2026, 1, 1, tzinfo=UTC),
        github_graphql=GRAPHQL,
        pypistats="https://pypistats.org/api",
        pypi="https://pypi.org",
        max_age=MaxAge().overridden(600),
        clock=clock.time,
    )
    assert open_run(request_to("POST", GRAPHQL, {"owner": "o", "name": "n"})) == 600
    assert open_run(request_to("POST", GRAPHQL, YEAR_2022)) == 600
    refreshing = upstream_policy(
        now=NOW,
        year_end=datetime(2023, 1, 1, tzinfo=UTC),
        github_graphql=GRAPHQL,
        pypistats="https://pypistats.org/api",
        pypi="https://pypi.org",
        refresh=True,
    )
    assert refreshing(request_to("POST", GRAPHQL, YEAR_2022)) == 0
    assert refreshing(request_to("GET", "https://api.github.com/rate_limit")) is None


def test_window_end_reads_to_and_until() -> None:
    assert graphql_window_end(request_to("POST", GRAPHQL, YEAR_2022)) == datetime(
        2022, 12, 31, 23, 59, 59, tzinfo=UTC
    )
    assert graphql_window_end(request_to("POST", GRAPHQL, {"to": "2022-06-01T00:00:00"})) == (
        datetime(2022, 6, 1, tzinfo=UTC)
    )
    assert graphql_window_end(request_to("POST", GRAPHQL, {"login": "x"})) is None
    assert graphql_window_end(request_to("GET", PYPI)) is None


def test_window_end_of_a_batch_is_its_latest_window() -> None:
    # The windows and history spans of a batched query are numbered: to0, to1, until3, ...
    batch = {
        "to0": "2022-01-31T23:59:59+00:00",
        "to11": "2022-12-31T23:59:59+00:00",
        "until2": "2023-01-02T00:00:00+00:00",
        "tolerance": "2030-01-01T00:00:00+00:00",  # not a window end
    }
    assert graphql_window_end(request_to("POST", GRAPHQL, batch)) == datetime(
        2023, 1, 2, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3600", 3600.0),
        ("90s", 90.0),
        ("15m", 900.0),
        ("1h", 3600.0),
        ("30d", 30 * DAY),
        ("0", 0.0),
    ],
)
def test_max_age_durations(text: str, seconds: float) -> None:
    assert parse_max_age(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-1h", "1w", "1h30m"])
def test_a_bad_max_age_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--max-age"):
        parse_max_age(text)


# --- devstats cache info | clear -----------------------------------------------------------------


def filled(folder: Path, count: int) -> int:
    cache = ResponseCache(folder)
    for n in range(count):
        request = get(f"{PYPI}?n={n}")
        cache.put(request, answer(request, b"w" * 3000))
    return cache.info().bytes


def test_cache_info_and_clear_in_a_process_of_their_own(tmp_path: Path) -> None:
    size = filled(tmp_path, 4)
    env = {**os.environ, "DEVSTATS_CACHE_DIR": str(tmp_path)}

    def cache(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "devstats", "cache", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    shown = cache("info")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        f"cache folder: {tmp_path}",
        "entries: 4 (0 of them reports kept for a rerun)",
        f"size: {size / 1024:.1f} KiB (at most 200.0 MiB)",
    ]
    cleared = cache("clear")
    assert cleared.returncode == 0
    assert cleared.stdout == f"removed 4 entries ({size / 1024:.1f} KiB) from {tmp_path}\n"
    assert entry_files(tmp_path) == []
    assert "entries: 0" in cache("info").stdout


def test_cache_command_usage(tmp_path: Path) -> None:
    env = {**os.environ, "DEVSTATS_CACHE_DIR": str(tmp_path)}

    def cache(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "devstats", "cache", *argv],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip

    shown = cache("--help")
    assert shown.returncode == 0
    assert "info" in shown.stdout and "clear" in shown.stdout
    for wrong in ([], ["purge"], ["info", "extra"]):
        done = cache(*wrong)
        assert done.returncode == 2, wrong
        assert done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith("devstats: error: "), done.stderr
        assert done.stderr.rstrip().endswith("(see devstats cache --help)"), done.stderr
    assert "takes info or clear" in cache().stderr
    assert "'purge'" in cache("purge").stderr
    assert entry_files(tmp_path) == []  # nothing was made by a wrong command


def test_an_answer_from_the_cache_takes_no_place_in_the_hosts_rate_limits(
    upstream: tuple[FakeUpstream, LoopbackServer], tmp_path: Path
) -> None:
    # One request a minute (pypistats.org allows 30): what the cache answers never waits.
    fake, server = upstream
    clock = FakeClock()
    cache = ResponseCache(tmp_path, clock=clock.time)
    transport = CachingTransport(
        httpx.HTTPTransport(), cache, run_policy(server, now=NOW, clock=clock)
    )
    limits = FakeClock()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        limits.now += seconds

    bucket = TokenBucket([(1, 60.0)], clock=limits.time, sleep=sleep)
    with HttpClient(transport=transport, limiters={"127.0.0.1": bucket}, max_retries=0) as http:
        for _ in range(5):
            http.graphql(f"{server.url}/graphql", "query Q { x }", YEAR_2022)
        assert http.stats.cache_hits == 4
        assert waits == []  # only the first reached the host
        for _ in range(2):  # a 404 is not kept: each one reaches the host, a minute apart
            http.request("GET", f"{server.url}/pypi/unknown/json", allow_status=(404,))
    assert len(waits) == 2 and fake.hits == {"/graphql": 1, "/pypi/unknown/json": 2}
