"""The folders are the architecture: each part of devstats imports only what stands below it, the
imports make no cycle, and the pure steps do not load the HTTP layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.paths import ROOT

PACKAGE = ROOT / "devstats"

# Lowest first; a part may import its own layer and the layers before it, never one after it.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"devstats", "model"}),  # `devstats` itself holds only the version
    frozenset({"files"}),
    frozenset({"http", "store"}),
    frozenset({"settings"}),
    frozenset({"collect"}),
    frozenset({"classify"}),
    frozenset({"assemble"}),
    frozenset({"render"}),
    frozenset({"publish"}),
    frozenset({"run"}),
    frozenset({"cli", "__main__"}),
)


def layer_of(module: str) -> int:
    parts = module.split(".")
    part = parts[1] if len(parts) > 1 else parts[0]
    return next(n for n, names in enumerate(LAYERS) if part in names)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every devstats import in the file, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, n) for n in names if n.split(".")[0] == "devstats"]
    return found


def upward_imports(files: dict[str, list[tuple[int, str]]]) -> list[str]:
    wrong = []
    for module, found in sorted(files.items()):
        for line, target in found:
            if layer_of(target) > layer_of(module):
                wrong.append(f"{module}:{line} imports {target}")
    return wrong


def all_imports() -> dict[str, list[tuple[int, str]]]:
    return {module_name(path): imports(path) for path in PACKAGE.rglob("*.py")}


def test_every_part_of_devstats_has_a_layer() -> None:
    for module in all_imports():
        layer_of(module)  # StopIteration names a folder the order above does not know


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    assert upward_imports(all_imports()) == []


def test_the_check_sees_an_import_from_above() -> None:
    # A model module that reached for the HTTP client, from a function body: caught.
    files = {"devstats.model.report": [(7, "devstats.http.client")]}
    assert upward_imports(files) == ["devstats.model.report:7 imports devstats.http.client"]
    assert upward_imports({"devstats.run.make": [(3, "devstats.model.facts")]}) == []


def test_the_imports_make_no_cycle() -> None:
    files = all_imports()
    graph = {m: {t for _, t in found if t in files} for m, found in files.items()}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


@pytest.mark.parametrize(
    "module", ["devstats.classify.downloads", "devstats.model.report", "devstats.render.markdown"]
)
def test_the_pure_steps_do_not_load_the_http_layer(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in sys.modules if m == 'httpx' or m.startswith(('httpx.', "
        "'devstats.http', 'devstats.collect', 'devstats.store', 'devstats.settings'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
