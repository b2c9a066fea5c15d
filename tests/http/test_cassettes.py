"""Record/replay: real HTTP to a loopback server, recorded, then replayed with the server gone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstats.http.cassettes import RecordingTransport, ReplayTransport, canonical_url
from devstats.http.client import HttpClient
from devstats.model.errors import PublishError, ReplayMissError, UpstreamError, UsageError
from tests.fakes.loopback import serve

TOKEN = "ghp_doNotLeakThis0123456789"


def get_json(http: HttpClient, url: str, **options: Any) -> Any:
    """A GET through the client, decoded: how the collectors read an answer."""
    return http.request("GET", url, **options).json()


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/graphql":
        body = json.loads(request.content)
        return httpx.Response(
            200,
            json={"data": {"echo": body["variables"], "note": f"token was {TOKEN}"}},
            headers={"Set-Cookie": "session=abc", "X-RateLimit-Remaining": "4999"},
        )
    if request.url.path == "/flaky":
        handler.calls = getattr(handler, "calls", 0) + 1  # type: ignore[attr-defined]
        if handler.calls == 1:  # type: ignore[attr-defined]
            return httpx.Response(502, text="bad gateway")
        return httpx.Response(200, json={"ok": True})
    return httpx.Response(200, json={"path": request.url.path, "x": request.url.params.get("x")})


def test_record_then_replay_round_trip(tmp_path: Path) -> None:
    folder = tmp_path / "cassettes"
    with serve(handler) as server:
        recorder = RecordingTransport(
            folder, secrets=[TOKEN], recorded_at="2022-12-15T00:00:00+00:00"
        )
        with HttpClient(
            token=TOKEN, auth_hosts=("127.0.0.1",), transport=recorder, sleep=lambda s: None
        ) as http:
            live_get = get_json(http, f"{server.url}/a", params={"x": 1, "access_token": TOKEN})
            live_gql = http.graphql(f"{server.url}/graphql", "query { x }", {"n": 1})
            live_flaky = get_json(http, f"{server.url}/flaky")
        assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"

    # The server is gone: replay must answer everything the same, from disk alone.
    replay = ReplayTransport(folder)
    assert replay.recorded_at == "2022-12-15T00:00:00+00:00"
    with HttpClient(token=None, transport=replay, sleep=lambda s: None) as http:
        assert get_json(http, f"{server.url}/a", params={"access_token": TOKEN, "x": 1}) == live_get
        replayed = http.graphql(f"{server.url}/graphql", "query { x }", {"n": 1})
        assert replayed["echo"] == live_gql["echo"] == {"n": 1}
        # A secret echoed by the upstream is scrubbed on the way to disk.
        assert replayed["note"] == "token was <redacted>" != live_gql["note"]
        assert get_json(http, f"{server.url}/flaky") == live_flaky
        assert http.stats.retries == 1  # the recorded 502 is replayed before the 200

    stored = "".join(p.read_text() for p in folder.rglob("*.json"))
    assert TOKEN not in stored
    assert "authorization" not in stored.lower()
    assert "session=abc" not in stored
    assert "<redacted>" in stored
    flaky = [json.loads(p.read_text()) for p in folder.glob("*flaky*.json")]
    assert [r["status"] for r in flaky[0]["responses"]] == [502, 200]


def test_replay_names_the_first_unrecorded_request(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    replay = ReplayTransport(tmp_path / "c")
    with HttpClient(transport=replay) as http, pytest.raises(ReplayMissError) as caught:
        get_json(http, "https://api.github.com/users/kozistr?b=2&a=1")
    assert "GET https://api.github.com/users/kozistr?a=1&b=2" in str(caught.value)
    assert caught.value.exit_code == 5


def test_replay_rejects_a_broken_cassette(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(Exception, match="not a cassette file"):
        ReplayTransport(tmp_path)


def test_replay_rejects_an_unreadable_cassette_or_manifest(tmp_path: Path) -> None:
    (tmp_path / "a-folder.json").mkdir()
    with pytest.raises(UsageError, match="not a cassette file"):
        ReplayTransport(tmp_path)
    (tmp_path / "a-folder.json").rmdir()
    (tmp_path / "cassette.json").write_text("{not json")
    with pytest.raises(UsageError, match="not a cassette manifest"):
        ReplayTransport(tmp_path)


def test_recording_where_nothing_can_be_written_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(PublishError, match="cannot record cassettes") as caught:
        RecordingTransport(blocker / "cassettes", recorded_at="2022-12-15T00:00:00+00:00")
    assert caught.value.exit_code == 6
    # A folder that becomes unwritable mid-run fails the same way, on the first exchange.
    folder = tmp_path / "cassettes"
    recorder = RecordingTransport(folder, inner=httpx.MockTransport(lambda r: httpx.Response(200)))
    folder.rmdir()
    folder.write_text("")
    with HttpClient(transport=recorder) as http, pytest.raises(PublishError):
        http.request("GET", "https://pypi.org/pypi/x/json")


def test_a_failed_recording_leaves_no_cassette_behind(tmp_path: Path) -> None:
    served: list[str] = []

    def answers(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/broken":
            raise httpx.ConnectError("refused", request=request)
        served.append(request.url.path)
        return httpx.Response(200, json={"path": request.url.path, "answer": len(served)})

    # A new folder: gone again after the run fails, though two exchanges were on disk.
    folder = tmp_path / "new"
    recorder = RecordingTransport(
        folder, inner=httpx.MockTransport(answers), recorded_at="2022-12-15T00:00:00+00:00"
    )
    with pytest.raises(UpstreamError), HttpClient(transport=recorder, max_retries=0) as http:
        get_json(http, "https://pypi.org/a")
        get_json(http, "https://pypi.org/b")
        assert len(list(folder.glob("*.json"))) == 3  # the manifest and two exchanges
        get_json(http, "https://pypi.org/broken")
    assert not folder.exists()

    # An earlier recording in the folder is put back as it was: the file the failed run
    # replaced gets its old answer, the file it added is removed, other files are untouched.
    kept = tmp_path / "kept"
    with HttpClient(transport=RecordingTransport(kept, inner=httpx.MockTransport(answers))) as http:
        get_json(http, "https://pypi.org/a")
    (kept / "notes.txt").write_text("mine")
    before = {p.name: p.read_bytes() for p in kept.iterdir()}
    recorder = RecordingTransport(kept, inner=httpx.MockTransport(answers))
    with pytest.raises(UpstreamError), HttpClient(transport=recorder, max_retries=0) as http:
        get_json(http, "https://pypi.org/a")
        get_json(http, "https://pypi.org/b")
        get_json(http, "https://pypi.org/broken")
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == before


def test_canonical_url_sorts_and_redacts() -> None:
    assert (
        canonical_url("https://x/p?b=2&token=s3cret&a=1")
        == "https://x/p?a=1&b=2&token=%3Credacted%3E"
    )
