"""The code itself, read with ast: short functions, and every library it imports declared in
pyproject.toml (issue 21)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from .conftest import REPO

PACKAGE = REPO / "src" / "letterkit"
LONGEST = 80  # lines a function may hold, its docstring and nested functions included

def sources() -> dict[str, ast.Module]:
    return {path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def long_functions(trees: dict[str, ast.Module]) -> list[str]:
    return [f"{name}: {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for name, tree in trees.items()
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > LONGEST]


def test_no_function_passes_80_lines() -> None:
    assert long_functions(sources()) == []


def test_the_length_rule_sees_a_long_function() -> None:
    """The rule counts what it should: 80 lines pass, 81 (in a method too) do not."""
    def lines(n: int) -> str:
        return "\n".join(f"        x{i} = {i}" for i in range(n - 1))
    tree = ast.parse(f"class C:\n    def ok(self):\n{lines(80)}\n"
                     f"    def long(self):\n{lines(81)}\n")
    assert long_functions({"x.py": tree}) == ["x.py: long (81 lines)"]


def normal(name: str) -> str:
    """A distribution's name as the packaging standards compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    """The distributions letterkit depends on: its dependencies and its `office` extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["office"]
    return {normal(re.match(r"[A-Za-z0-9._-]+", r)[0]) for r in requirements}  # type: ignore[index]


def imported() -> dict[str, set[str]]:
    """Every top-level module letterkit imports (inside functions too) that is not Python's
    own nor letterkit: the files that import it."""
    found: dict[str, set[str]] = {}
    for name, tree in sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top != "letterkit":
                    found.setdefault(top, set()).add(name)
    return found


def test_every_imported_library_is_declared() -> None:
    """An import name is mapped to the distribution that installs it (PIL → pillow, yaml →
    PyYAML, docx → python-docx) by the installed distributions' own records."""
    providers = packages_distributions()
    wanted = declared()
    found = imported()
    assert {"PIL", "fontTools", "cryptography", "markupsafe", "slugify"} <= set(found)
    undeclared = {module: sorted(files) for module, files in found.items()
                  if not {normal(d) for d in providers.get(module, [])} & wanted}
    assert undeclared == {}
