"""README, --help and the commands stay in step (as sqlite-utils' test_docs does)."""

from __future__ import annotations

import re

import pytest
import typer
from typer.core import TyperOption
from typer.testing import CliRunner

from letterkit.cli import app

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
# The commands the product contract (SPEC.md) names; scripts rely on them.
CONTRACT = {"compose", "measures", "themes", "associations", "check", "init", "batch"}


def section(name: str) -> str:
    match = re.search(rf"^### `letterkit {name}`\n(.*?)(?=^##)", README, re.S | re.M)
    assert match, f"README has no section for letterkit {name}"
    return match.group(1)


def options(command) -> list[str]:
    return [opt for param in command.params if isinstance(param, TyperOption)
            for opt in param.opts if opt.startswith("--") and opt != "--help"]


def test_the_commands_are_the_contract() -> None:
    assert set(COMMANDS) >= CONTRACT


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_readme_documents_every_option(name: str) -> None:
    text = section(name)
    for option in options(COMMANDS[name]):
        assert f"`{option}" in text or f"[{option}" in text, f"{name} {option} not in README"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_every_option_and_an_example(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"], terminal_width=100)
    assert result.exit_code == 0
    for option in options(COMMANDS[name]):
        assert option in result.stdout
    assert re.search(rf"^ +letterkit {name}\b", result.stdout, re.M), "no example in --help"


def test_the_readme_names_no_command_that_does_not_exist() -> None:
    named = set(re.findall(r"^### `letterkit ([a-z]+)`", README, re.M))
    assert named <= set(COMMANDS)
    assert "--version" in README and "--install-completion" in README


def test_the_readme_messages_are_the_real_ones() -> None:
    """Every error in the README's table is pinned by a case of tests/bad/ (… elides)."""
    table = README.split("## Exit codes and messages")[1].split("## Safety")[0]
    quoted = re.findall(r"^\| [^|]+ \| `(Error: .*)` \|$", table, re.M)
    assert len(quoted) >= 15
    pinned = [line.replace("{root}", "/x") for path in (REPO / "tests" / "bad").glob(
        "*/expected.txt") for line in path.read_text(encoding="utf-8").splitlines()]
    for message in quoted:
        pattern = ".*".join(re.escape(part) for part in message.split("…"))
        assert any(re.fullmatch(pattern, line) for line in pinned), message
