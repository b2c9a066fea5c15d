"""The `devstats` process as the CLI tests run it: a child process with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fakes.loopback import LoopbackServer
from tests.fakes.paths import ROOT
from tests.fakes.world import env_for

TOKEN = "ghp_clitestTOKEN0123456789abcdefABCDEF"
HISTORY = ROOT / "tests" / "data" / "git-history" / "kozistr-2022"


def run(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    token: str | None = TOKEN,
    entry: tuple[str, ...] = ("-m", "devstats"),
) -> subprocess.CompletedProcess[str]:
    """devstats ARGS in a child process (`entry` replaces `-m devstats`, e.g. with `-c CODE`)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEVSTATS_", "GITHUB_", "GH_", "PEPY_"))
    }
    base.update(
        {
            "PATH": os.path.dirname(sys.executable),
            "DEVSTATS_RETRIES": "2",
            "DEVSTATS_BACKOFF": "0.01",
            "HOME": str(cwd or ROOT),
            # Live runs against the loopback fakes keep their cache in the test session's folder.
            "DEVSTATS_CACHE_DIR": os.environ.get("DEVSTATS_CACHE_DIR", str(ROOT / ".cache")),
        }
    )
    if token:
        base["GITHUB_TOKEN"] = token
    base.update(env or {})
    return subprocess.run(
        [sys.executable, *entry, *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=cwd or ROOT,
        timeout=120,
        check=False,
    )


def live_env(server: LoopbackServer, tmp_path: Path) -> dict[str, str]:
    return {
        **env_for(server.url),
        "DEVSTATS_NOW": "2022-12-15T09:00:00+00:00",
        "DEVSTATS_HISTORY_PATH": str(tmp_path / "history.sqlite3"),
        # Each test its own cache: an answer kept by another would keep its fault from showing.
        "DEVSTATS_CACHE_DIR": str(tmp_path / "cache"),
    }


def assert_clean_failure(done: subprocess.CompletedProcess[str], code: int, *phrases: str) -> None:
    assert done.returncode == code, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("devstats: error: "), done.stderr
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr
    for phrase in phrases:
        assert phrase in done.stderr
