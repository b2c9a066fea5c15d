"""The README as PyPI shows it: every link absolute (PyPI has no docs/ folder to resolve a relative
one against) and pointing at a file this checkout has; and its config example working as pasted
on a machine without the png extra."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from devstats import REPOSITORY_URL
from devstats.cli import app
from tests.fakes.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
IN_REPOSITORY = re.compile(rf"^{re.escape(REPOSITORY_URL)}/(?:blob|tree)/main/(.+?)(?:#.*)?$")


def links(markdown: str) -> list[str]:
    """Inline links and images, reference definitions, and HTML href/src attributes."""
    found = re.findall(r"\]\(\s*<?([^)\s>]+)", markdown)
    found += re.findall(r"^\s*\[[^\]]+\]:\s*(\S+)", markdown, re.M)
    found += re.findall(r"""(?:href|src)=["']([^"']+)""", markdown)
    return found


def test_the_link_finder_sees_every_kind_of_link() -> None:
    sample = '[a](docs/a.md) ![b](img/b.svg "t") [c]: c.md <img src="d.png"> [e](#top)'
    assert links(sample + "\n[f]: https://x.org/f\n") == [
        "docs/a.md", "img/b.svg", "#top", "https://x.org/f", "d.png",
    ]  # fmt: skip


def test_every_link_in_the_readme_is_absolute_and_names_a_file_that_exists() -> None:
    found = links(README)
    assert len(found) >= 10
    for link in found:
        if link.startswith("#"):
            continue  # an anchor of the page itself
        assert link.startswith("https://"), f"{link} is relative: it breaks on PyPI"
        inside = IN_REPOSITORY.match(link)
        if inside:
            assert (ROOT / inside.group(1)).exists(), f"{link}: no such file in the repository"


def test_the_packaged_readme_is_the_one_checked() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^readme = "README.md"$', pyproject, re.M)


def test_the_config_example_works_as_pasted_without_the_png_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [example] = re.findall(r"```toml\n(# devstats\.toml\n.*?)```", README, re.S)
    (tmp_path / "devstats.toml").write_text(example, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "resvg_py", None)  # the png extra is not installed
    for key in ("DEVSTATS_NOW", "DEVSTATS_CASSETTES", "GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    result = CliRunner().invoke(app, ["2022", "--offline", "--assets", "img", "-o", "post.md"])
    assert result.exit_code == 0, result.stderr
    pictures = sorted(p.name for p in (tmp_path / "img").iterdir())
    assert pictures and all(name.endswith(".svg") for name in pictures)
    assert (tmp_path / "post.md").read_text(encoding="utf-8").startswith("## 개발")  # lang = "ko"
