"""The release workflow, and what every workflow (and every workflow the docs show) keeps to:
a time limit on each job, no credential left in a checkout, publishing to PyPI by trusted
publishing only on a version tag, after the build and its checks. actionlint checks the syntax
(tests/test_workflows_lint.py); these check the choices.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from tests.fakes.locks import parse_lock
from tests.fakes.paths import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
RELEASE = ROOT / ".github" / "workflows" / "release.yml"

if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
    import yaml
else:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (part of the test extra)")


def load(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def documented_workflows() -> list[dict[str, Any]]:
    """The complete workflows shown in docs/action.md (YAML blocks with jobs)."""
    docs = (ROOT / "docs" / "action.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", docs, re.S)
    return [load(block) for block in blocks if block.lstrip().startswith("name:")]


def all_workflows() -> list[tuple[str, dict[str, Any]]]:
    found = [(path.name, load(path.read_text(encoding="utf-8"))) for path in WORKFLOWS]
    found += [(f"docs/action.md #{n}", w) for n, w in enumerate(documented_workflows(), 1)]
    return found


def test_the_docs_show_workflows_to_check() -> None:
    assert len(documented_workflows()) >= 2
    assert "release.yml" in {path.name for path in WORKFLOWS}


@pytest.mark.parametrize(("name", "workflow"), all_workflows(), ids=lambda x: str(x)[:30])
def test_every_job_has_a_time_limit_and_no_checkout_keeps_credentials(
    name: str, workflow: dict[str, Any]
) -> None:
    for job_name, job in workflow["jobs"].items():
        limit = job.get("timeout-minutes")
        assert isinstance(limit, int) and 0 < limit <= 60, f"{name}: {job_name}"
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, (
                    f"{name}: {job_name} checks out with its credentials kept"
                )


@pytest.fixture(scope="module")
def release() -> dict[str, Any]:
    return load(RELEASE.read_text(encoding="utf-8"))


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def test_it_runs_as_a_dry_run_on_every_push_and_publishes_on_version_tags(
    release: dict[str, Any],
) -> None:
    triggers = release.get("on", release.get(True))
    assert triggers["push"]["branches"] == ["**"]
    assert "pull_request" in triggers
    [pattern] = triggers["push"]["tags"]
    # GitHub's filter: `+` repeats the character class before it, `*` matches the rest
    as_regex = "^" + pattern.replace(".", r"\.").replace("*", ".*") + "$"
    assert re.match(as_regex, "v1.2.3") and re.match(as_regex, "v10.0.1rc1")
    assert not re.match(as_regex, "v1"), "the moving major tag must not publish"
    assert release["permissions"] == {"contents": "read"}


def test_the_build_job_builds_checks_and_keeps_the_files(release: dict[str, Any]) -> None:
    build = release["jobs"]["build"]
    assert "if" not in build  # every push: the dry run
    assert "permissions" not in build  # the workflow's read-only default
    script = "\n".join(step.get("run", "") for step in _steps(build))
    assert "python -m build" in script
    assert "twine check --strict dist/*" in script
    assert "check-wheel-contents dist/*.whl" in script
    assert "--require-hashes" in script and ".github/release-requirements.txt" in script
    upload = next(s for s in _steps(build) if s.get("uses", "").startswith("actions/upload-art"))
    assert upload["with"]["path"] == "dist/"


def test_publishing_is_trusted_publishing_after_the_build_on_a_tag_only(
    release: dict[str, Any],
) -> None:
    publish = release["jobs"]["publish"]
    assert publish["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}  # nothing else
    [pypi] = [s for s in _steps(publish) if "gh-action-pypi-publish" in s.get("uses", "")]
    assert set(pypi.get("with", {})) <= {"packages-dir"}  # no password, no token: OIDC
    text = RELEASE.read_text(encoding="utf-8")
    assert "secrets." not in text and "password" not in text.lower()

    attach = release["jobs"]["github-release"]
    assert attach["if"] == publish["if"] and attach["needs"] == "publish"
    assert attach["permissions"] == {"contents": "write"}
    [create] = [s for s in _steps(attach) if "run" in s]
    assert create["run"].startswith('gh release create "$TAG" dist/*')


def test_the_release_tools_are_pinned_with_hashes() -> None:
    lock = parse_lock((ROOT / ".github" / "release-requirements.txt").read_text("utf-8"))
    assert {"build", "twine", "check-wheel-contents"} <= set(lock)
    assert all(hashes for _, hashes in lock.values())
