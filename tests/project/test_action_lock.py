"""The Action installs its dependencies from hash-pinned locks shipped beside it
(scripts/action_requirements*.txt, made by scripts/action_lock.sh). These tests keep the locks
honest against pyproject.toml: every dependency the Action's extras declare is pinned, to a
version the declaration allows, with hashes; and the PNG lock is the plain one plus the renderer.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.fakes.locks import parse_lock
from tests.fakes.paths import ROOT

LOCK = ROOT / "scripts" / "action_requirements.txt"
PNG_LOCK = ROOT / "scripts" / "action_requirements_png.txt"
BUILD_IN = ROOT / "scripts" / "action_build.in"


def declared(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    texts += [
        line for line in BUILD_IN.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]  # fmt: skip
    return [Requirement(text) for text in texts]


# The runners the Action supports: Linux and macOS, with the Pythons `python-version` may name.
RUNNERS = [
    {"sys_platform": platform, "platform_system": system, "python_version": python}
    for platform, system in (("linux", "Linux"), ("darwin", "Darwin"))
    for python in ("3.11", "3.12", "3.13")
]


@pytest.mark.parametrize(("lock", "extras"), [(LOCK, ("action",)), (PNG_LOCK, ("action", "png"))])
def test_every_declared_dependency_is_pinned_within_its_range_with_hashes(
    lock: Path, extras: tuple[str, ...]
) -> None:
    pins = parse_lock(lock.read_text(encoding="utf-8"))
    assert pins, lock
    for name, (_, hashes) in pins.items():
        assert hashes, f"{name} has no hash: pip --require-hashes would refuse the lock"
    for requirement in declared(*extras):
        wanted_somewhere = any(
            requirement.marker is None
            or requirement.marker.evaluate({**default_environment(), **runner})
            for runner in RUNNERS
        )
        if not wanted_somewhere:
            continue
        name = str(canonicalize_name(requirement.name))
        assert name in pins, f"{lock.name} does not pin {requirement}"
        version, _ = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {name}=={version}, outside {requirement}"
        )


def test_the_png_lock_is_the_plain_lock_and_the_renderer() -> None:
    plain = parse_lock(LOCK.read_text(encoding="utf-8"))
    png = parse_lock(PNG_LOCK.read_text(encoding="utf-8"))
    assert set(png) - set(plain) == {"resvg-py"}
    assert set(plain) <= set(png)
    for name, (version, hashes) in plain.items():
        assert png[name] == (version, hashes), name


def test_the_parser_rejects_what_pip_would_not_install_under_require_hashes() -> None:
    good = "httpx==0.28.1 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via devstats-year\n"
    assert parse_lock(good) == {"httpx": (Version("0.28.1"), ["a" * 64])}
    with pytest.raises(AssertionError, match="not a pin"):
        parse_lock("httpx>=0.28\n")
    with pytest.raises(AssertionError, match="pinned twice"):
        parse_lock(good + good)
