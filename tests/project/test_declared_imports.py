"""Every third-party module devstats imports is a declared dependency of the part that needs it:
the core dependencies for any module, or the extra a module belongs to (its imports are made only
when that feature is asked for). A module that arrives only through another package (requests
through PyGithub, say) is undeclared: a new release of that package may stop bringing it.

Each import is traced to the distribution that installed its file, through importlib.metadata:
so `google.auth` is google-auth and `google.cloud.bigquery` is google-cloud-bigquery, though
both live under `google`.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import sys
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.fakes.paths import ROOT

PACKAGE = ROOT / "devstats"

# The modules that belong to an extra: they may import what that extra declares.
EXTRA_OF = {
    "devstats/publish/remote.py": "action",
    "devstats/collect/pypi/engines/bigquery.py": "bigquery",
    "devstats/render/charts/png.py": "png",
}


def imported_modules(source: str) -> Iterator[str]:
    """Every absolute name an import in `source` names (`from a.b import c` -> a.b.c, which may
    be a module, as in `from google.cloud import bigquery`, or a name inside a.b)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def is_own_or_standard(module: str) -> bool:
    top = module.split(".")[0]
    return top in ("devstats", "__future__") or top in sys.stdlib_module_names


@cache
def _owners() -> dict[Path, str]:
    """Installed file -> the (normalised) name of the distribution that installed it."""
    owners: dict[Path, str] = {}
    for dist in importlib.metadata.distributions():
        name = str(canonicalize_name(dist.metadata["Name"]))
        for file in dist.files or ():
            if file.suffix == ".py":
                owners[Path(str(dist.locate_file(file))).resolve()] = name
    return owners


def distribution_of(module: str) -> str | None:
    """The distribution whose files hold `module` (its nearest importable parent if a name inside
    a module was imported), or None when it is not installed here."""
    parts = module.split(".")
    while parts:
        try:
            spec = importlib.util.find_spec(".".join(parts))
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin and spec.origin not in ("built-in", "frozen"):
            return _owners().get(Path(spec.origin).resolve())
        parts.pop()
    return None


def declared() -> dict[str, set[str]]:
    """ "" (the core) and each extra -> the distribution names it declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"": project["dependencies"], **project["optional-dependencies"]}
    return {
        group: {str(canonicalize_name(Requirement(text).name)) for text in texts}
        for group, texts in groups.items()
    }


def undeclared(
    sources: Mapping[str, str], declared: Mapping[str, set[str]], owner: dict[str, str | None]
) -> list[str]:
    """ "file: module (distribution)" for every import whose distribution the file's part of
    the project does not declare. `owner` maps a module name to its distribution."""
    problems = []
    for path, source in sources.items():
        allowed = set(declared[""]) | set(declared.get(EXTRA_OF.get(path, ""), ()))
        for module in sorted(set(imported_modules(source))):
            if is_own_or_standard(module):
                continue
            dist = owner.get(module)
            if dist is None or dist not in allowed:
                problems.append(f"{path}: {module} ({dist or 'not installed'})")
    return problems


def package_sources() -> dict[str, str]:
    return {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_every_third_party_import_is_declared_where_it_is_used() -> None:
    sources = package_sources()
    assert set(EXTRA_OF) <= set(sources), "a module named in EXTRA_OF has moved"
    modules = {m for source in sources.values() for m in imported_modules(source)}
    owner = {m: distribution_of(m) for m in modules if not is_own_or_standard(m)}
    assert owner, "no third-party import found: the scan is broken"
    assert undeclared(sources, declared(), owner) == []


def test_the_check_catches_an_import_that_arrives_only_through_another_package() -> None:
    groups = {"": {"httpx"}, "action": {"pygithub"}}
    owner: dict[str, str | None] = {
        "httpx": "httpx", "github.Github": "pygithub", "github.Auth": "pygithub",
        "requests": "requests", "urllib3.util.Retry": "urllib3",
    }  # fmt: skip
    sources = {
        "devstats/publish/remote.py": "import requests\nfrom github import Github\n",
        "devstats/cli.py": "import httpx\nfrom urllib3.util import Retry\n",
        "devstats/x.py": "import os\nfrom devstats import cli\nfrom github import Auth\n",
    }
    assert undeclared(sources, groups, owner) == [
        "devstats/publish/remote.py: requests (requests)",
        "devstats/cli.py: urllib3.util.Retry (urllib3)",
        "devstats/x.py: github.Auth (pygithub)",  # the action extra's, outside the action's module
    ]


@pytest.mark.parametrize(
    ("module", "distribution"),
    [("google.auth", "google-auth"), ("google.cloud.bigquery", "google-cloud-bigquery"),
     ("github", "pygithub"), ("yaml", "pyyaml")],
)  # fmt: skip
def test_a_module_is_traced_to_the_distribution_that_installed_it(
    module: str, distribution: str
) -> None:
    assert distribution_of(module) == distribution
