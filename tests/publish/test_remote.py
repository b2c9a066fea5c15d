"""The checkout-free update of a file in another repository, against a loopback contents API."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from github import GithubRetry

from devstats.model.errors import (
    AuthenticationError,
    DevstatsError,
    NotFoundError,
    PublishError,
    UpstreamError,
)
from devstats.publish.remote import BOT_EMAIL, BOT_NAME, main, update_remote_file
from tests.fakes.contents_api import ContentsApi
from tests.fakes.loopback import LoopbackServer, serve

TOKEN = "ghs_fakeTokenForTests0123456789"
REPO = "kozistr/kozistr"
README = (
    "# Hi, I'm kozistr\n\n"
    "<!-- devstats:start -->\nlast year's numbers\n<!-- devstats:end -->\n\n"
    "Thanks for visiting.\n"
)
BLOCK = "- about 1.7k contributions\n- PRs to 5 projects\n"
NO_RETRY = GithubRetry(total=0, backoff_factor=0)


@pytest.fixture
def api() -> ContentsApi:
    fake = ContentsApi(token=TOKEN)
    fake.add(REPO, {"README.md": README, "docs/index.md": "no markers here\n"})
    return fake


@pytest.fixture
def server(api: ContentsApi) -> Iterator[LoopbackServer]:
    with serve(api.handle) as running:
        yield running


def _puts(api: ContentsApi) -> list[str]:
    return [path for method, path in api.seen if method == "PUT"]


def test_replaces_the_block_and_commits_as_the_bot(
    api: ContentsApi, server: LoopbackServer
) -> None:
    assert update_remote_file(REPO, "README.md", BLOCK, token=TOKEN, base_url=server.url)

    expected = README.replace("last year's numbers\n", BLOCK)
    assert api.text(REPO, "README.md") == expected
    [put] = api.commits
    assert put["author"] == {"name": "github-actions[bot]", "email": BOT_EMAIL}
    assert put["committer"] == {"name": BOT_NAME, "email": BOT_EMAIL}
    assert BOT_EMAIL == "41898282+github-actions[bot]@users.noreply.github.com"
    # The write names the blob it replaces, computed here as git does, so a concurrent edit fails.
    old = README.encode()
    assert put["sha"] == hashlib.sha1(b"blob %d\0" % len(old) + old).hexdigest()
    assert base64.b64decode(put["content"]).decode() == expected
    assert "branch" not in put
    assert "devstats" in put["message"] and "README.md" in put["message"]


def test_an_unchanged_block_makes_no_commit(api: ContentsApi, server: LoopbackServer) -> None:
    assert update_remote_file(REPO, "README.md", BLOCK, token=TOKEN, base_url=server.url)
    assert not update_remote_file(REPO, "README.md", BLOCK, token=TOKEN, base_url=server.url)
    assert len(_puts(api)) == 1


def test_branch_is_read_and_written(api: ContentsApi, server: LoopbackServer) -> None:
    api.add(REPO, {"README.md": README}, branch="stats")
    message = "Update yearly stats"
    assert update_remote_file(
        REPO, "README.md", BLOCK, token=TOKEN, base_url=server.url, branch="stats", message=message
    )
    assert api.text(REPO, "README.md", branch="stats").count(BLOCK) == 1
    assert api.text(REPO, "README.md") == README  # the default branch is untouched
    assert api.commits[0]["branch"] == "stats"
    assert api.commits[0]["message"] == message


def test_crlf_files_keep_their_line_endings(api: ContentsApi, server: LoopbackServer) -> None:
    api.add(REPO, {"README.md": README.replace("\n", "\r\n")})
    update_remote_file(REPO, "README.md", BLOCK, token=TOKEN, base_url=server.url)
    text = api.text(REPO, "README.md")
    assert text == README.replace("last year's numbers\n", BLOCK).replace("\n", "\r\n")


def test_custom_marker(api: ContentsApi, server: LoopbackServer) -> None:
    api.add(REPO, {"post.md": "a\n<!-- stats2022:start -->\n<!-- stats2022:end -->\nb\n"})
    update_remote_file(REPO, "post.md", "x\n", token=TOKEN, marker="stats2022", base_url=server.url)
    assert (
        api.text(REPO, "post.md") == "a\n<!-- stats2022:start -->\nx\n<!-- stats2022:end -->\nb\n"
    )


def test_missing_markers_write_nothing(api: ContentsApi, server: LoopbackServer) -> None:
    with pytest.raises(PublishError, match="marker"):
        update_remote_file(REPO, "docs/index.md", BLOCK, token=TOKEN, base_url=server.url)
    assert _puts(api) == []


def test_a_folder_is_not_a_file(api: ContentsApi, server: LoopbackServer) -> None:
    with pytest.raises(PublishError, match="not a file"):
        update_remote_file(REPO, "docs", BLOCK, token=TOKEN, base_url=server.url)


def test_rejected_token(api: ContentsApi, server: LoopbackServer) -> None:
    with pytest.raises(AuthenticationError) as caught:
        update_remote_file(REPO, "README.md", BLOCK, token="wrong-token", base_url=server.url)
    assert caught.value.exit_code == 4
    assert "wrong-token" not in str(caught.value)
    assert api.text(REPO, "README.md") == README


def test_missing_repository_or_file(server: LoopbackServer) -> None:
    with pytest.raises(NotFoundError, match="kozistr/nope"):
        update_remote_file("kozistr/nope", "README.md", BLOCK, token=TOKEN, base_url=server.url)
    with pytest.raises(NotFoundError, match=r"MISSING\.md"):
        update_remote_file(REPO, "MISSING.md", BLOCK, token=TOKEN, base_url=server.url)


def test_upstream_5xx_is_retried_then_reported(api: ContentsApi, server: LoopbackServer) -> None:
    api.fail_with = 502
    retry = GithubRetry(total=2, backoff_factor=0)
    with pytest.raises(UpstreamError) as caught:
        update_remote_file(REPO, "README.md", BLOCK, token=TOKEN, base_url=server.url, retry=retry)
    assert caught.value.exit_code == 5
    assert api.seen == [("GET", f"/repos/{REPO}/contents/README.md")] * 3  # 1 try + 2 retries
    api.fail_with = None
    assert api.text(REPO, "README.md") == README


def test_a_concurrent_edit_is_not_overwritten(api: ContentsApi, server: LoopbackServer) -> None:
    api.race_on_put = True
    with pytest.raises(PublishError, match="changed while"):
        update_remote_file(
            REPO, "README.md", BLOCK, token=TOKEN, base_url=server.url, retry=NO_RETRY
        )
    assert api.text(REPO, "README.md").endswith("<!-- edited elsewhere -->\n")


def test_bad_arguments_fail_before_any_request(api: ContentsApi, server: LoopbackServer) -> None:
    with pytest.raises(DevstatsError):
        update_remote_file("not a repo", "README.md", BLOCK, token=TOKEN, base_url=server.url)
    with pytest.raises(AuthenticationError):
        update_remote_file(REPO, "README.md", BLOCK, token="", base_url=server.url)
    assert api.seen == []


def test_command_line(
    api: ContentsApi,
    server: LoopbackServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    block = tmp_path / "block.md"
    block.write_text(BLOCK, encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", server.url)
    args = ["--repository", REPO, "--path", "README.md", "--block-file", str(block)]

    assert main(args) == 0
    assert main(args) == 0
    err = capsys.readouterr().err
    assert f"updated the 'devstats' block in {REPO}:README.md" in err
    assert f"no change to the 'devstats' block in {REPO}:README.md" in err
    assert len(api.commits) == 1

    monkeypatch.setenv("GITHUB_TOKEN", "revoked-token")
    assert main(args) == 4
    err = capsys.readouterr().err
    assert err.startswith("devstats: error: GitHub rejected the token")
    assert "revoked-token" not in err and TOKEN not in err

    assert main([*args[:-1], str(tmp_path / "missing.md")]) == 2
