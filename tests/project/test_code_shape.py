"""The code stays readable in pieces: no module of devstats/ over 600 lines (one idea may need that much), no function over 60.

The one exception is the command's option list (devstats.cli.devstats), which is declarations,
one per flag, each with the --help text that defines it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.fakes.paths import ROOT

PACKAGE = ROOT / "devstats"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
DECLARATIVE = {("cli.py", "devstats")}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_longer_than_600_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_longer_than_60_lines() -> None:
    long = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                where = (str(path.relative_to(PACKAGE)), node.name)
                if length > MAX_FUNCTION_LINES and where not in DECLARATIVE:
                    long[f"{where[0]}:{where[1]}"] = length
    assert long == {}


def test_no_test_module_imports_another() -> None:
    # Shared helpers live in tests/fakes or conftest.py: a test module is only ever run.
    tests = PACKAGE.parent / "tests"
    found = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [
                f"{path.relative_to(tests)} imports {name}"
                for name in names
                if name.startswith("tests.") and name.rpartition(".")[2].startswith("test_")
            ]
    assert found == []
