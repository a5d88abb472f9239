"""The house's layering, read from the source: every import counted (at the top, inside
functions, for type checking only), none runs upward, and no module imports itself back
through others."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "letterkit"

BASE = {"errors", "paths", "text", "files", "processes", "version", "i18n"}
# Each room, and the rooms it may import (itself included). The subpackages' docstrings say
# the same in words.
ALLOWED = {
    "base": {"base"},
    "campaign": {"base", "campaign"},
    "letter": {"base", "campaign", "letter"},
    "questionnaire": {"base", "campaign", "letter", "questionnaire"},
    "formats": {"base", "campaign", "letter", "questionnaire", "formats"},
    "ledger": {"base", "campaign", "ledger"},
    "pipeline": {"base", "campaign", "letter", "questionnaire", "formats", "ledger", "pipeline"},
    "cli": {"base", "campaign", "letter", "questionnaire", "formats", "ledger", "pipeline", "cli"},
    "top": {"top", "base", "formats", "cli"},
}
WORDS = {"base": "the base modules", "pipeline": "every package but cli"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(path: Path, names: set[str]) -> set[str]:
    """The letterkit modules `path` imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(SRC).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base)
    return {name for name in found if name in names}


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "top"
    return "base" if parts[1] in BASE else parts[1]


GRAPH = {name: imports(path, set(modules())) - {name} for name, path in modules().items()}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_runs_upward(module: str) -> None:
    upward = sorted(other for other in GRAPH[module]
                    if room(other) not in ALLOWED[room(module)])
    assert upward == [], f"{module} ({room(module)}) may not import {upward}"


def test_no_import_circle() -> None:
    """Depth-first search over every module: no path leads back to where it started."""
    circles = []
    state: dict[str, int] = {}   # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for other in sorted(GRAPH[module]):
            if state.get(other) == 1:
                circles.append(path[path.index(other):] + [other])
            elif other not in state:
                visit(other)
        path.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert circles == []


@pytest.mark.parametrize("package", sorted(set(ALLOWED) - {"base", "top", "cli"}))
def test_each_room_says_what_it_may_import(package: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text()))
    assert doc is not None
    sentence = doc.split("May import:")[1].strip()
    for other in sorted(ALLOWED[package] - {package}):
        assert WORDS.get(other, other) in sentence or WORDS[package] == sentence.rstrip(".")


def test_the_graph_is_read() -> None:
    """The reading itself: a known arrow of each kind is there (at the top, inside a
    function, for type checking only)."""
    assert "letterkit.errors" in GRAPH["letterkit.paths"]
    assert "letterkit.formats.pdfworker" in GRAPH["letterkit"]          # inside main()
    assert "letterkit.campaign.project" in GRAPH["letterkit.formats.registry"]  # TYPE_CHECKING
