"""Where the GitHub token comes from: the environment, else the gh CLI's login."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping


def resolve_token(env: Mapping[str, str]) -> str | None:
    """GITHUB_TOKEN, then GH_TOKEN, then `gh auth token` when the gh CLI is installed."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = env.get(name, "").strip()
        if value:
            return value
    gh = shutil.which("gh")
    if gh is None:
        return None
    try:
        done = subprocess.run(
            [gh, "auth", "token"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    token = done.stdout.strip()
    return token if done.returncode == 0 and token else None
