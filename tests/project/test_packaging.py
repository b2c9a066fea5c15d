"""The distributions carry what an installed devstats needs: templates, the JSON schema, py.typed
and the offline demo; the sdist builds the same wheel; an installed wheel runs the demo anywhere."""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

import devstats
from tests.fakes.paths import ROOT

DISTRIBUTION = "devstats_year"  # the file-name form of the PyPI name devstats-year
PIP = [sys.executable, "-m", "pip"]
DEMO = ["2022", "--user", "kozistr", "--package", "pytorch_optimizer", "--offline"]


# What a checkout holds that is not source: setuptools' own leftovers, caches, local folders.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", ".venv", ".*cache", ".benchmarks",
    "artifacts",
)  # fmt: skip


def copy_of_the_checkout(into: Path) -> Path:
    """The checkout's sources, copied: setuptools writes build/ and *.egg-info beside the sources
    it builds, and the tests write only to temporary folders."""
    copy = into / "checkout"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    return copy


def build(source: Path, out: Path, *, sdist: bool) -> tuple[Path, Path | None]:
    """Build a wheel (and an sdist) through the PEP 517 hooks, as `python -m build
    --no-isolation` does, without fetching a build environment."""
    hooks = (
        "import sys; from setuptools import build_meta as b; out, kind = sys.argv[1:]; "
        "print(b.build_wheel(out)); print(b.build_sdist(out) if kind == 'sdist' else '')"
    )
    done = subprocess.run(
        [sys.executable, "-c", hooks, str(out), "sdist" if sdist else "-"],
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = out.glob(f"{DISTRIBUTION}-*.whl")
    sdists = list(out.glob(f"{DISTRIBUTION}-*.tar.gz"))
    return wheel, (sdists[0] if sdists else None)


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    # A fresh copy has no build/ from an earlier build, whose stale files (a re-recorded
    # cassette) would ship in this wheel but not in the sdist's; and the checkout stays as it was.
    source = copy_of_the_checkout(tmp_path_factory.mktemp("source"))
    wheel, sdist = build(source, tmp_path_factory.mktemp("dist"), sdist=True)
    assert sdist is not None
    return wheel, sdist


def test_wheel_ships_templates_schema_and_the_demo(dists: tuple[Path, Path]) -> None:
    wheel, _ = dists
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in sorted((ROOT / "templates").glob("*.j2")):
        assert f"devstats/templates/{template.name}" in names
    for cassette in sorted((ROOT / "cassettes").glob("*.json")):
        assert f"devstats/demo/{cassette.name}" in names
    assert "devstats/demo/devstats.toml" in names
    assert "devstats/schema/report.schema.json" in names
    assert "devstats/py.typed" in names
    assert not any(name.startswith(("tests/", "cassettes/")) for name in names)
    metadata = zipfile.ZipFile(wheel).read(f"{wheel.name.split('-')[0]}-0.1.0.dist-info/METADATA")
    assert b"\nName: devstats-year\n" in metadata
    entry_points = zipfile.ZipFile(wheel).read(
        f"{wheel.name.split('-')[0]}-0.1.0.dist-info/entry_points.txt"
    )
    assert b"devstats = devstats.cli:main" in entry_points


def test_the_metadata_pypi_shows(dists: tuple[Path, Path]) -> None:
    wheel, _ = dists
    archive = zipfile.ZipFile(wheel)
    [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    # the one version, written in devstats/__init__.py
    assert metadata["Version"] == devstats.__version__
    assert name == f"{DISTRIBUTION}-{devstats.__version__}.dist-info/METADATA"
    # an SPDX expression, and the licence file itself (no deprecated licence table)
    assert metadata["License-Expression"] == "MIT" and metadata["License-File"] == "LICENSE"
    assert f"{DISTRIBUTION}-{devstats.__version__}.dist-info/licenses/LICENSE" in archive.namelist()
    assert not any(c.startswith("License ::") for c in metadata.get_all("Classifier") or [])
    assert "Programming Language :: Python :: 3.11" in metadata.get_all("Classifier")
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL"))
    assert urls["Source"] == devstats.REPOSITORY_URL
    assert all(url.startswith("https://") for url in urls.values())
    assert metadata["Author"] or metadata["Author-email"]
    assert metadata["Requires-Python"] == ">=3.11"


def test_building_needs_only_setuptools() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["build-system"]["requires"] == ["setuptools>=77"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert "version" not in pyproject["project"]


def test_the_sdist_is_complete_and_builds_the_same_wheel(
    dists: tuple[Path, Path], tmp_path: Path
) -> None:
    wheel, sdist = dists
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    (unpacked,) = tmp_path.glob(f"{DISTRIBUTION}-*")
    for needed in ("pyproject.toml", "README.md", "LICENSE", "cassettes/devstats.toml", "docs"):
        assert (unpacked / needed).exists(), needed
    assert (unpacked / "tests" / "project" / "test_packaging.py").is_file()
    rebuilt, _ = build(unpacked, tmp_path / "out", sdist=False)
    assert sorted(zipfile.ZipFile(rebuilt).namelist()) == sorted(zipfile.ZipFile(wheel).namelist())


def test_an_installed_wheel_runs_the_offline_demo_from_any_folder(
    dists: tuple[Path, Path], tmp_path: Path
) -> None:
    wheel, _ = dists
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [*PIP, "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    # The dependencies come from this environment (tests reach no package index): a .pth line
    # adds its site-packages after the fresh one, without running this environment's own .pth
    # files, so the editable install of the checkout stays out of sight.
    fresh = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    # (every site folder this environment reads: a venv made with system site packages finds
    # some dependencies outside its own)
    folders = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    folders += [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    (fresh / "dependencies.pth").write_text("".join(f"{p}\n" for p in dict.fromkeys(folders)))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEVSTATS_", "GITHUB_", "GH_", "PYTHON"))
    }
    env.update({"HOME": str(elsewhere), "XDG_DATA_HOME": str(elsewhere / "data")})
    done = subprocess.run(
        [str(venv / "bin" / "devstats"), *DEMO],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("## Programming")
    assert "downloaded **41.6k** times" in done.stdout
    where = subprocess.check_output(
        [
            str(python),
            "-c",
            "import devstats.settings.settings as c; print(c.default_cassettes({}))",
        ],
        cwd=elsewhere,
        env=env,
        text=True,
    ).strip()
    assert Path(where) == fresh / "devstats" / "demo"  # the installed copy, not the checkout
    assert sorted(p.name for p in elsewhere.iterdir()) == []  # no store, no stray file
