"""The documentation, --help and the code stay in step (as sqlite-utils' test_docs does): the
README is the front door, docs/ holds the reference, one page per topic."""

from __future__ import annotations

import re

import pytest
import typer
from typer.core import TyperOption
from typer.testing import CliRunner

from letterkit.cli import app

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = REPO / "docs"
COMMANDS_PAGE = (DOCS / "commands.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
# The commands the product contract (SPEC.md) names; scripts rely on them.
CONTRACT = {"compose", "measures", "themes", "associations", "check", "init", "batch"}


def section(name: str) -> str:
    match = re.search(rf"^## `letterkit {name}`\n(.*?)(?=^## |\Z)", COMMANDS_PAGE, re.S | re.M)
    assert match, f"docs/commands.md has no section for letterkit {name}"
    return match.group(1)


def options(command) -> list[str]:
    return [opt for param in command.params if isinstance(param, TyperOption)
            for opt in param.opts if opt.startswith("--") and opt != "--help"]


def test_the_commands_are_the_contract() -> None:
    assert set(COMMANDS) >= CONTRACT


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_docs_document_every_option(name: str) -> None:
    text = section(name)
    for option in options(COMMANDS[name]):
        assert f"`{option}" in text or f"[{option}" in text, f"{name} {option} not in docs"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_readme_tour_names_every_command(name: str) -> None:
    assert re.search(rf"^letterkit {name}\b", README, re.M), f"letterkit {name} not in README"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_every_option_and_an_example(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"], terminal_width=100)
    assert result.exit_code == 0
    for option in options(COMMANDS[name]):
        assert option in result.stdout
    assert re.search(rf"^ +letterkit {name}\b", result.stdout, re.M), "no example in --help"


def test_the_docs_name_no_command_that_does_not_exist() -> None:
    named = set(re.findall(r"^## `letterkit ([a-z]+)`", COMMANDS_PAGE, re.M))
    assert named <= set(COMMANDS)
    assert "--version" in COMMANDS_PAGE and "--install-completion" in COMMANDS_PAGE


def test_every_docs_page_is_linked_from_the_readme_and_every_link_resolves() -> None:
    pages = {path.name for path in DOCS.glob("*.md")}
    linked = set(re.findall(r"\]\(docs/([\w.-]+\.md)\)", README))
    assert linked == pages
    for path in [REPO / "README.md", *DOCS.glob("*.md")]:
        prose = re.sub(r"```.*?```|`[^`]*`", "", path.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\((?!https?://)([^)#]+)", prose):
            assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


def test_the_architecture_names_every_module() -> None:
    """The README's ARCHITECTURE names every module, in the paragraph of its room: a new
    module is described where it lives."""
    block = README.split("## Architecture")[1].split("Where to add")[0]
    rooms = dict(re.findall(r"^  (\w+)/ +(.*?)(?=^  \S|\Z)", block, re.M | re.S))
    package = REPO / "src" / "letterkit"
    for path in sorted(package.rglob("*.py")):
        if path.name.startswith("_") or path.parent.name == "cli":
            continue
        room = path.relative_to(package).parts[0]
        text = rooms.get(room, "") if room != path.name else block
        assert re.search(rf"(?<![\w/]){re.escape(path.name)}", text), f"{path} not in README"


def test_the_readme_stays_a_front_door() -> None:
    assert len(README.splitlines()) <= 250


def test_the_messages_page_quotes_the_real_messages() -> None:
    """Every error in docs/messages.md's table is pinned by a case of tests/bad/ (… elides)."""
    table = (DOCS / "messages.md").read_text(encoding="utf-8")
    quoted = re.findall(r"^\| [^|]+ \| `(Error: .*)` \|$", table, re.M)
    assert len(quoted) >= 15
    pinned = [line.replace("{root}", "/x") for path in (REPO / "tests" / "bad").glob(
        "*/expected.txt") for line in path.read_text(encoding="utf-8").splitlines()]
    for message in quoted:
        pattern = ".*".join(re.escape(part) for part in message.split("…"))
        assert any(re.fullmatch(pattern, line) for line in pinned), message


def test_the_typography_rules_live_in_the_repository() -> None:
    """The code and tests point at docs/typography.md, never outside the repository."""
    assert "## The rules" in (DOCS / "typography.md").read_text(encoding="utf-8")
    for path in [*(REPO / "src").rglob("*.py"), *(REPO / "tests").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "shared/" + "TYPOGRAPHY" not in text, path
