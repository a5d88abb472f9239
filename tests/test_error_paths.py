"""An error path for every command: a broken campaign file gives the exact one-line message,
exit status 1, and nothing written (issue 21)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from letterkit.cli import app

runner = CliRunner()
BROKEN = "associations:\n  - short_name: ARPE\n   name: x\n"  # one space too many
MESSAGE = ("Error: associations.yaml, line 3: invalid YAML: did not find expected '-' indicator, "
           "column 4 — check the indentation and the quoting around this place\n")


# Each command as a user would run it; {in} is a folder holding its input files.
ARGUMENTS = {
    "compose": ["compose", "--assoc", "ARPE", "--themes", "numerique"],
    "measures": ["measures"],
    "themes": ["themes"],
    "associations": ["associations"],
    "check": ["check"],
    "batch": ["batch", "{in}/demandes.csv"],
    "suggest": ["suggest", "{in}/document.txt"],
    "questions": ["questions", "{in}/questionnaire.txt", "--assoc", "ARPE"],
    "send": ["send", "1"],
    "ledger": ["ledger"],
    "inbox": ["inbox"],
}


def arguments(name: str, folder: Path) -> list[str]:
    """The command `name`, its input files written in `folder`."""
    (folder / "document.txt").write_text("La médiation sociale dans les quartiers.\n",
                                         encoding="utf-8")
    (folder / "questionnaire.txt").write_text("1. Soutiendrez-vous la médiation ?\n",
                                              encoding="utf-8")
    (folder / "demandes.csv").write_text("assoc,themes,date,format\n"
                                         "ARPE,numerique,2026-03-01,md\n", encoding="utf-8")
    return [a.replace("{in}", str(folder)) for a in ARGUMENTS[name]]


COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [c for c in COMMANDS if c != "init"])
def test_a_broken_campaign_file_is_one_line_and_exit_1(name, campaign, tmp_path) -> None:
    (campaign / "associations.yaml").write_text(BROKEN, encoding="utf-8")
    before = sorted(p.relative_to(campaign) for p in campaign.rglob("*"))
    result = runner.invoke(app, [*arguments(name, tmp_path), "--project", str(campaign)])
    assert result.exit_code == 1, result.output
    if name == "check":  # its report, on standard output
        assert result.stdout == MESSAGE + f"1 error, 0 warnings in {campaign}\n"
    else:
        assert result.stderr == MESSAGE
    assert sorted(p.relative_to(campaign) for p in campaign.rglob("*")) == before


def test_init_into_a_campaign_folder_is_one_line_and_exit_1(campaign) -> None:
    before = (campaign / "measures.yaml").read_bytes()
    result = runner.invoke(app, ["init", str(campaign)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {campaign / 'measures.yaml'} already exists — letterkit "
                             "init creates a new campaign: choose an empty folder\n")
    assert (campaign / "measures.yaml").read_bytes() == before


def test_every_command_has_its_error_path() -> None:
    """A new command gets its case here."""
    assert {*ARGUMENTS, "init"} == set(COMMANDS)
