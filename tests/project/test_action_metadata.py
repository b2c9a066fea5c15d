"""action.yml and the workflows, checked for what actionlint does not check on an action's own
metadata: the inputs and outputs users rely on, no `${{ }}` inside `run:` (script injection),
pinned third-party actions, least-privilege permissions, and that action.yml hands the script
every input the script reads.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.paths import ROOT

ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "scripts" / "action_run.sh"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")

if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
    import yaml  # CI must have it (the test extra): a missing parser fails here, not skips.
else:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (part of the test extra)")


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return list(document["runs"].get("steps", []))
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def _on(workflow: dict[str, Any]) -> Any:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return _load(ACTION)


def test_action_is_composite_with_the_documented_interface(action: dict[str, Any]) -> None:
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    expected_inputs = {
        "user", "year", "packages", "lang", "template", "inject", "output", "assets",
        "assets-format", "marker", "timezone", "commit", "token", "python-version", "history-path", "remote-repository",
        "remote-path", "remote-branch",
    }  # fmt: skip
    assert set(action["inputs"]) == expected_inputs
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
        assert isinstance(spec.get("default", ""), str), f"{name}: defaults are strings"
    defaults = {name: spec.get("default") for name, spec in action["inputs"].items()}
    assert defaults["user"] == "${{ github.repository_owner }}"
    assert defaults["token"] == "${{ github.token }}"
    assert defaults["commit"] == "true"
    assert defaults["history-path"] == ".devstats/downloads.sqlite3"
    assert defaults["year"] == ""  # the script takes the current year
    assert defaults["assets-format"] == "svg"
    assert set(action["outputs"]) == {"paths", "json", "changed", "commit"}
    for name, spec in action["outputs"].items():
        assert spec["value"] == f"${{{{ steps.run.outputs.{name} }}}}"


@pytest.mark.parametrize("path", [ACTION, *WORKFLOWS], ids=lambda p: p.name)
def test_no_expression_is_spliced_into_a_shell_script(path: Path) -> None:
    """Inputs reach `run:` through `env:` only; `${{ }}` in a script is an injection hole."""
    document = _load(path)
    for step in _steps(document):
        if "run" in step:
            assert "${{" not in step["run"], f"{path.name}: {step.get('name')}"


@pytest.mark.parametrize("path", [ACTION, *WORKFLOWS], ids=lambda p: p.name)
def test_third_party_actions_are_pinned_to_a_full_sha_with_a_version_comment(path: Path) -> None:
    document = _load(path)
    uses = [step["uses"] for step in _steps(document) if "uses" in step]
    assert uses
    text = path.read_text(encoding="utf-8")
    for ref in uses:
        if ref.startswith("./"):
            continue
        assert PINNED.match(ref), f"{path.name}: {ref} is not pinned to a commit SHA"
        assert re.search(re.escape(ref) + r" # v\d+(\.\d+)*\s*$", text, re.M), (
            f"{path.name}: {ref} lacks its '# vX.Y.Z' comment"
        )


def test_composite_steps_name_their_shell(action: dict[str, Any]) -> None:
    for step in _steps(action):
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")


def test_install_takes_every_dependency_from_the_hashed_lock(action: dict[str, Any]) -> None:
    install = next(s for s in _steps(action) if "pip" in s.get("run", ""))
    script = install["run"]
    assert '"${pip[@]}" --require-hashes --no-deps -r "$lock"' in script
    # devstats itself: the action's own checkout, built offline with the locked setuptools
    assert '"${pip[@]}" --no-deps --no-build-isolation --no-index "${GITHUB_ACTION_PATH}"' in script
    assert "devstats==" not in script and "git+" not in script and "[action]" not in script
    for lock in re.findall(r"scripts/(action_requirements\w*\.txt)", script):
        assert (ROOT / "scripts" / lock).is_file(), lock
    assert install["env"]["DEVSTATS_ASSETS_FORMAT"] == "${{ inputs.assets-format }}"
    # PNG pictures get the png lock and a font that draws Hangul
    png = script[script.index("png | both)") : script.index(";;", script.index("png | both)"))]
    assert "action_requirements_png.txt" in png and "fonts-noto-cjk" in png
    setup = next(s for s in _steps(action) if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"


def test_every_input_reaches_the_script_and_the_token_only_where_needed(
    action: dict[str, Any],
) -> None:
    run = next(s for s in _steps(action) if s.get("id") == "run")
    assert run["run"] == 'bash "${GITHUB_ACTION_PATH}/scripts/action_run.sh"'
    env = run["env"]
    script = SCRIPT.read_text(encoding="utf-8")
    read_by_script = set(re.findall(r"\bINPUT_[A-Z_]+\b", script))
    given = {name for name in env if name.startswith("INPUT_")}
    assert read_by_script == given
    for name in given:
        input_name = name.removeprefix("INPUT_").lower().replace("_", "-")
        assert env[name] == f"${{{{ inputs.{input_name} }}}}", name
    assert env["GITHUB_TOKEN"] == "${{ inputs.token }}"
    # python-version and token are used elsewhere; every other input is handed to the script.
    assert {n.removeprefix("INPUT_").lower().replace("_", "-") for n in given} == set(
        action["inputs"]
    ) - {"python-version", "token"}
    # The token goes to that one step, as an environment variable; no other step sees it.
    holders = [s for s in _steps(action) if "inputs.token" in repr(s)]
    assert holders == [run]


def test_the_script_commits_as_the_bot_and_never_echoes_the_token() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    assert 'BOT_NAME="github-actions[bot]"' in script
    assert 'BOT_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"' in script
    for variable in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                     "GIT_COMMITTER_EMAIL"):  # fmt: skip
        assert f'{variable}="$BOT_' in script
    assert "set -x" not in script and "xtrace" not in script
    mentions = [line for line in script.splitlines() if "GITHUB_TOKEN" in line]
    for line in mentions:
        assert "echo" not in line and "printf" not in line, line
        assert "$GITHUB_TOKEN" not in line and "${GITHUB_TOKEN" not in line, line


def test_example_workflow_is_least_privilege_scheduled_and_serialised() -> None:
    workflow = _load(ROOT / ".github" / "workflows" / "devstats.yml")
    triggers = _on(workflow)
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    [cron] = [entry["cron"] for entry in triggers["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert minute.isdigit() and hour.isdigit(), "at one fixed time"
    assert (day, month) == ("*", "*") and weekday.isdigit(), "once a week"
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert "${{ github.ref }}" in workflow["concurrency"]["group"]
    for name, job in workflow["jobs"].items():
        uses_local_action = any(s.get("uses") == "./" for s in job.get("steps", []))
        expected = {"contents": "write"} if uses_local_action else None
        assert job.get("permissions") == expected, name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_starts_read_only(path: Path) -> None:
    workflow = _load(path)
    assert workflow.get("permissions") == {"contents": "read"}, path.name


def test_docs_list_every_input_and_output(action: dict[str, Any]) -> None:
    docs = (ROOT / "docs" / "action.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z-]+)` \|", docs, re.M))
    assert rows == set(action["inputs"]) | set(action["outputs"])


def test_the_example_workflow_targets_a_real_block() -> None:
    """The workflow injects into docs/action.md under its own marker, present exactly once."""
    workflow = _load(ROOT / ".github" / "workflows" / "devstats.yml")
    [step] = [s for job in workflow["jobs"].values() for s in job["steps"] if s.get("uses") == "./"]
    target = ROOT / step["with"]["inject"]
    marker = step["with"]["marker"]
    text = target.read_text(encoding="utf-8")
    assert text.count(f"<!-- {marker}:start -->") == 1
    assert text.count(f"<!-- {marker}:end -->") == 1
