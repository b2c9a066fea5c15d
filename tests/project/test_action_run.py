"""The Action's own steps (scripts/action_run.sh, the file action.yml runs) in a temporary git
repository, against loopback fakes of GitHub, PyPI and pypistats.org.

What a user relies on: the marked block is updated, the commit is made (and pushed) as
github-actions[bot] for author and committer, a run with nothing new makes no commit, a failing
upstream leaves the file and the repository as they were, and the token shows up nowhere.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.fakes.contents_api import ContentsApi
from tests.fakes.loopback import LoopbackServer, serve
from tests.fakes.paths import ROOT

SCRIPT = ROOT / "scripts" / "action_run.sh"
TOKEN = "ghp_FAKEtokenNEVERprinted0123456789abcd"
BOT = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
NOW = "2022-12-15T09:00:00Z"
README = (
    "# Hi there\n\nSome words the Action must not touch.\n\n"
    "<!-- devstats:start -->\nplaceholder\n<!-- devstats:end -->\n\nBye.\n"
)
HISTORY = ".devstats/downloads.sqlite3"

pytestmark = pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("git") is None, reason="needs bash and git"
)


def _world() -> Any:
    """The lead's demo world (GitHub + PyPI + pypistats for kozistr 2022), when it exists."""
    try:
        from tests.fakes import world
    except ImportError:
        pytest.skip("tests/fakes/world.py (the demo world) is not available")
    return world


def _endpoints(base_url: str) -> dict[str, str]:
    """Point every upstream at the loopback server (the names devstats.settings.settings reads)."""
    return {
        "GITHUB_API_URL": base_url,
        "GITHUB_GRAPHQL_URL": f"{base_url}/graphql",
        "DEVSTATS_PYPISTATS_URL": f"{base_url}/pypistats/api",
        "DEVSTATS_PYPI_URL": f"{base_url}/pypi",
        "DEVSTATS_PEPY_URL": f"{base_url}/pepy",
    }


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=_git_env(repo)
    )
    return done.stdout.strip()


def _git_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_"))}
    env.update(HOME=str(home.parent), GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    return env


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    summary: str
    outputs: dict[str, str]


@dataclass
class Checkout:
    """A user's repository as actions/checkout leaves it: on a branch, with an origin."""

    root: Path
    repo: Path
    origin: Path
    runner_temp: Path

    def head(self) -> str:
        return git(self.repo, "rev-parse", "HEAD")

    def origin_head(self) -> str:
        return git(self.origin, "rev-parse", "refs/heads/main")

    def readme(self) -> str:
        return (self.repo / "README.md").read_text(encoding="utf-8")

    def run(self, server_env: Mapping[str, str], **inputs: str) -> Run:
        bin_dir = self.root / "bin"
        bin_dir.mkdir(exist_ok=True)
        wrapper = bin_dir / "devstats"
        wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m devstats "$@"\n')
        wrapper.chmod(0o755)
        summary = self.runner_temp / "summary.md"
        outputs = self.runner_temp / "outputs.txt"
        for file in (summary, outputs):
            file.write_text("")
        env = _git_env(self.repo)
        env = {k: v for k, v in env.items() if not k.startswith(("DEVSTATS_", "INPUT_"))}
        env.pop("GH_TOKEN", None)
        env.update(
            PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            PYTHONPATH=str(ROOT),
            DEVSTATS_PYTHON=sys.executable,
            DEVSTATS_NOW=NOW,
            GITHUB_TOKEN=TOKEN,
            RUNNER_TEMP=str(self.runner_temp),
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_OUTPUT=str(outputs),
            INPUT_USER="kozistr",
            INPUT_YEAR="2022",
            INPUT_INJECT="README.md",
            INPUT_COMMIT="true",
            INPUT_HISTORY_PATH=HISTORY,
        )
        env.update(server_env)
        env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
        done = subprocess.run(
            ["bash", str(SCRIPT)],
            cwd=self.repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )
        return Run(
            done.returncode,
            done.stdout,
            done.stderr,
            summary.read_text(),
            _parse_outputs(outputs.read_text()),
        )


def _parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's format: name=value lines and name<<DELIMITER blocks."""
    result: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for inner in lines:
                if inner == delimiter:
                    break
                value.append(inner)
            result[name] = "\n".join(value)
        elif "=" in line:
            name, value_text = line.split("=", 1)
            result[name] = value_text
    return result


@pytest.fixture
def checkout(tmp_path: Path) -> Checkout:
    repo, origin, runner_temp = tmp_path / "repo", tmp_path / "origin.git", tmp_path / "runner"
    runner_temp.mkdir()
    subprocess.run(
        ["git", "init", "--quiet", "--bare", "-b", "main", str(origin)],
        check=True,
        env=_git_env(tmp_path / "x"),
    )
    repo.mkdir()
    git(repo, "init", "--quiet", "-b", "main")
    git(repo, "config", "user.name", "Someone Else")
    git(repo, "config", "user.email", "someone@example.com")
    git(repo, "remote", "add", "origin", str(origin))
    (repo / "README.md").write_text(README, encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "--quiet", "-m", "Initial commit")
    git(repo, "push", "--quiet", "origin", "main")
    return Checkout(tmp_path, repo, origin, runner_temp)


@pytest.fixture
def demo() -> Iterator[tuple[Any, LoopbackServer, dict[str, str]]]:
    world_module = _world()
    fake = world_module.demo_world()
    with serve(fake.handle) as server:
        yield fake, server, _fast(world_module.env_for(server.url))


def _fast(env: Mapping[str, str]) -> dict[str, str]:
    """pypistats.org under its own host name (localhost), so that devstats' pacing of it (one
    request every 2 s) does not also slow down the fake GitHub on 127.0.0.1."""
    result = dict(env)
    result["DEVSTATS_PYPISTATS_URL"] = env["DEVSTATS_PYPISTATS_URL"].replace(
        "//127.0.0.1:", "//localhost:"
    )
    return result


def _assert_no_token(checkout: Checkout, *runs: Run) -> None:
    for run in runs:
        for text in (run.stdout, run.stderr, run.summary, *run.outputs.values()):
            assert TOKEN not in text
    for path in (checkout.root).rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    assert TOKEN not in git(checkout.repo, "log", "--all", "-p", "--format=%an %ae %cn %ce %B")


def _block(text: str) -> str:
    start, end = "<!-- devstats:start -->\n", "<!-- devstats:end -->"
    return text.split(start, 1)[1].split(end, 1)[0]


def _history_rows(path: Path) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(path)
    try:
        return sorted(db.execute("SELECT package, day, mirrors, downloads FROM downloads"))
    finally:
        db.close()


# --- the whole job against the demo world ------------------------------------------------------


def test_updates_the_block_and_commits_as_the_bot_then_stays_quiet(
    checkout: Checkout, demo: tuple[Any, LoopbackServer, dict[str, str]]
) -> None:
    _, server, server_env = demo
    start = checkout.head()

    first = checkout.run(server_env, packages="pytorch_optimizer", assets="img")
    assert first.code == 0, first.stderr

    # The block and pictures: exactly what one plain `devstats` run makes of the same data.
    plain = checkout.root / "plain"
    plain.mkdir()
    direct = subprocess.run(
        [sys.executable, "-m", "devstats", "2022", "--user", "kozistr",
         "--package", "pytorch_optimizer", "--assets", "img", "--history", "h.sqlite3"],
        env={**_git_env(checkout.repo), "PYTHONPATH": str(ROOT), "DEVSTATS_NOW": NOW,
             "GITHUB_TOKEN": TOKEN, **server_env},
        capture_output=True, text=True, check=True, cwd=plain,
    )  # fmt: skip
    readme = checkout.readme()
    assert _block(readme).strip() == direct.stdout.strip()
    for picture in (plain / "img").iterdir():
        assert (checkout.repo / "img" / picture.name).read_bytes() == picture.read_bytes()
    assert "placeholder" not in readme
    head, tail = README.split("placeholder\n")
    assert readme.startswith(head) and readme.endswith(tail)

    # One new commit, by the bot as author and committer, pushed to the branch.
    assert git(checkout.repo, "rev-list", "--count", f"{start}..HEAD") == "1"
    who = git(checkout.repo, "log", "-1", "--format=%an|%ae|%cn|%ce")
    assert who == f"{BOT}|{BOT_EMAIL}|{BOT}|{BOT_EMAIL}"
    assert checkout.origin_head() == checkout.head() == first.outputs["commit"]
    message = git(checkout.repo, "log", "-1", "--format=%B")
    assert "kozistr" in message and "2022" in message and "README.md" in message
    committed = git(checkout.repo, "show", "--name-only", "--format=", "HEAD").splitlines()
    pictures = sorted(f"img/{p.name}" for p in (checkout.repo / "img").iterdir())
    assert pictures and all(p.endswith(".svg") for p in pictures)
    assert sorted(committed) == sorted(["README.md", HISTORY, *pictures])
    assert git(checkout.repo, "status", "--porcelain") == ""

    # The history store holds the downloads it was told; the JSON report is the same data.
    assert _history_rows(checkout.repo / HISTORY)
    assert Path(first.outputs["json"]) == checkout.runner_temp / "devstats.json"
    report = json.loads(Path(first.outputs["json"]).read_text(encoding="utf-8"))
    assert (report["user"], report["year"]) == ("kozistr", 2022)
    generated = datetime.fromisoformat(report["generated_at"].replace("Z", "+00:00"))
    assert generated == datetime(2022, 12, 15, 9, tzinfo=UTC)
    assert first.outputs["changed"] == "true"
    assert first.outputs["paths"].splitlines() == ["README.md", "img"]
    assert _block(readme).strip() in first.summary

    # Nothing new upstream: no commit, no push, no change.
    second = checkout.run(server_env, packages="pytorch_optimizer", assets="img")
    assert second.code == 0, second.stderr
    assert checkout.head() == first.outputs["commit"] == checkout.origin_head()
    assert second.outputs["changed"] == "false"
    assert second.outputs["commit"] == ""
    assert "no change to commit" in second.stderr
    assert checkout.readme() == readme

    _assert_no_token(checkout, first, second)
    assert server.requests  # the runs really went to the fake


def test_commit_off_writes_the_file_but_commits_nothing(
    checkout: Checkout, demo: tuple[Any, LoopbackServer, dict[str, str]]
) -> None:
    _, _, server_env = demo
    start = checkout.head()
    run = checkout.run(server_env, commit="false")
    assert run.code == 0, run.stderr
    assert checkout.head() == start
    assert checkout.readme() != README
    assert run.outputs["changed"] == "true" and run.outputs["commit"] == ""


def test_output_file_and_a_history_store_kept_outside_the_repository(
    checkout: Checkout, demo: tuple[Any, LoopbackServer, dict[str, str]]
) -> None:
    """The cache-action setup: the store lives outside the workspace and is never committed."""
    _, _, server_env = demo
    store = checkout.root / "cache" / "downloads.sqlite3"
    run = checkout.run(
        server_env, inject="", output="stats.md", history_path=str(store),
        packages="pytorch_optimizer",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    committed = git(checkout.repo, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert committed == ["stats.md"]
    assert _history_rows(store)
    assert f"not committing {store}" in run.stderr
    text = (checkout.repo / "stats.md").read_text(encoding="utf-8")
    assert text.strip() and text in run.summary
    assert run.outputs["history-changed"] == "true"


def test_remote_repository_is_updated_through_the_contents_api(
    checkout: Checkout, demo: tuple[Any, LoopbackServer, dict[str, str]]
) -> None:
    fake, _, _ = demo
    contents = ContentsApi(token=TOKEN)
    contents.add("kozistr/kozistr", {"README.md": README})

    def handle(request: httpx.Request) -> httpx.Response | None:
        # The contents endpoints go to the contents fake, under the world's GitHub prefix.
        path = request.url.path
        prefix = urlsplit(dict(_world().env_for(""))["GITHUB_API_URL"]).path
        if re.match(rf"{re.escape(prefix)}/repos/[^/]+/[^/]+/contents/", path):
            url = request.url.copy_with(path=path[len(prefix) :])
            return contents.handle(
                httpx.Request(request.method, url, headers=request.headers, content=request.content)
            )
        response: httpx.Response | None = fake.handle(request)
        return response

    with serve(handle) as both:
        env = _fast(_world().env_for(both.url))
        start = checkout.head()
        run = checkout.run(
            env, inject="", remote_repository="kozistr/kozistr", remote_path="README.md"
        )
        assert run.code == 0, run.stderr
        again = checkout.run(
            env, inject="", remote_repository="kozistr/kozistr", remote_path="README.md"
        )
        assert again.code == 0, again.stderr
    assert "placeholder" not in contents.text("kozistr/kozistr", "README.md")
    [put] = contents.commits  # the second run changed nothing
    assert put["author"] == put["committer"] == {"name": BOT, "email": BOT_EMAIL}
    assert checkout.readme() == README and checkout.head() == start
    assert run.outputs["remote-changed"] == "true" and again.outputs["remote-changed"] == "false"
    _assert_no_token(checkout, run, again)


# --- failures: nothing changes -----------------------------------------------------------------


def _always(status: int, body: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    return handle


@pytest.mark.parametrize(
    ("status", "body", "exit_code", "words"),
    [
        (401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
         4, "token"),
        (502, {"message": "Server Error"}, 5, "502"),
    ],
    ids=["401", "502-forever"],
)  # fmt: skip
def test_a_failing_upstream_leaves_everything_untouched(
    checkout: Checkout, status: int, body: dict[str, Any], exit_code: int, words: str
) -> None:
    start = checkout.head()
    with serve(_always(status, body)) as server:
        run = checkout.run(_endpoints(server.url), packages="pytorch_optimizer")
        assert server.requests
    assert run.code == exit_code, run.stderr
    assert words in run.stderr.lower()
    assert "nothing was changed" in run.stderr
    assert checkout.readme() == README
    assert checkout.head() == start == checkout.origin_head()
    assert git(checkout.repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (checkout.runner_temp / "devstats.json").exists()
    assert run.summary == ""
    # The recording of the failed run is gone too: only the runner's own files remain.
    assert {p.name for p in checkout.runner_temp.iterdir()} == {"outputs.txt", "summary.md"}
    _assert_no_token(checkout, run)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"output": "stats.md"}, "either 'inject' or 'output'"),
        ({"remote_repository": "kozistr/kozistr"}, "'remote-repository' needs 'remote-path'"),
        ({"year": "22"}, "four-digit year"),
        ({"commit": "maybe"}, "not true or false"),
        ({"history_path": ""}, "'history-path' must not be empty"),
    ],
)
def test_bad_inputs_are_usage_errors(
    checkout: Checkout, inputs: dict[str, str], message: str
) -> None:
    with serve(_always(500, {})) as server:
        run = checkout.run(_endpoints(server.url), **inputs)
        assert server.requests == []
    assert run.code == 2
    assert message in run.stderr
    assert checkout.readme() == README


def test_the_push_header_is_private_masked_and_only_made_with_a_token(tmp_path: Path) -> None:
    """With `persist-credentials: false` the Action pushes with its token, handed to git as the
    header actions/checkout would have stored: in a file only the runner's user reads, and
    masked in the log, since GitHub masks the token but not its base64 form."""
    support = ROOT / "scripts" / "action_support.py"
    header = tmp_path / "push-header"
    made = subprocess.run(
        [sys.executable, str(support), "push-header", str(header)],
        env={"PATH": os.environ["PATH"], "GITHUB_TOKEN": TOKEN, "GITHUB_ACTIONS": "true"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    encoded = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert made.stdout == f"::add-mask::{encoded}\n"
    assert header.read_text() == f"AUTHORIZATION: basic {encoded}"
    assert stat.S_IMODE(header.stat().st_mode) == 0o600
    assert TOKEN not in made.stdout + made.stderr

    without = subprocess.run(
        [sys.executable, str(support), "push-header", str(header)],
        env={"PATH": os.environ["PATH"]}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert without.stdout == "" and header.read_text() == ""


def test_the_script_pushes_with_the_header_only_where_the_checkout_kept_no_credential() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    check = 'git config --get-all "http.${server_url}/.extraheader"'
    assert f"if [[ -v GITHUB_TOKEN ]] && ! {check} >/dev/null; then" in script
    assert 'GIT_CONFIG_KEY_0="http.${server_url}/.extraheader"' in script
    # every command that talks to the remote goes through the one function that may add it
    assert re.findall(r"\bgit (?:push|pull|fetch)\b", script) == []  # none called directly
    assert script.count("remote_git push") == 2 and script.count("remote_git pull") == 1
