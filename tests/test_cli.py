"""The command line end to end, on temporary campaign folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letterkit import __version__
from letterkit.cli import app

from .conftest import REPO

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def test_compose_writes_and_prints_the_paths(campaign, tmp_path) -> None:
    out = tmp_path / "sortie"
    result = run("compose", "--assoc", "arpe", "--themes", "numerique", "--date", "2026-03-01",
                 "--project", str(campaign), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n")[:2] == [str(out / "2026-03-01-arpe-numerique.md"),
                                              str(out / "2026-03-01-arpe-numerique.pdf")]
    assert (out / "2026-03-01-arpe-numerique.pdf").read_bytes().startswith(b"%PDF-")


def test_compose_defaults_to_the_campaign_letters_folder(campaign, monkeypatch) -> None:
    monkeypatch.chdir(campaign)
    result = run("compose", "--assoc", "ARPE", "--themes", "tranquillite,numerique",
                 "--date", "2026-03-01", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{campaign}/letters/2026-03-01-arpe-numerique-tranquillite.md\n"


def test_an_existing_letter_is_not_overwritten_without_force(campaign) -> None:
    args = ["compose", "--assoc", "ARPE", "--themes", "numerique", "--date", "2026-03-01",
            "--format", "md", "--project", str(campaign)]
    assert run(*args).exit_code == 0
    letter = campaign / "letters" / "2026-03-01-arpe-numerique.md"
    letter.write_text("déjà relue et corrigée", encoding="utf-8")
    refused = run(*args)
    assert refused.exit_code == 1
    assert refused.stderr == (f"Error: {letter} already exists — pass --force to overwrite it, "
                              "or --date/--out for another\n")
    assert letter.read_text(encoding="utf-8") == "déjà relue et corrigée"
    assert run(*args, "--force").exit_code == 0
    assert letter.read_text(encoding="utf-8").startswith("Réponse de la liste")


@pytest.mark.parametrize(("args", "message"), [
    (["--assoc", "ARP", "--themes", "mediation"],
     "Error: associations.yaml: unknown association « ARP » — did you mean ARPE? Otherwise add "
     "it to associations.yaml, or give its --salutation\n"),
    (["--assoc", "ARPE", "--themes", "numerik"],
     "Error: measures.yaml: unknown theme « numerik » — did you mean numerique?\n"),
    (["--assoc", "ARPE", "--themes", "zzz"],
     "Error: measures.yaml: unknown theme « zzz » — known themes: mediation, numerique, "
     "petite-enfance, environnement, intergenerationnel, antiracisme, tranquillite.\n"),
])
def test_unknown_names_get_one_line_with_the_closest(campaign, args, message) -> None:
    result = run("compose", *args, "--project", str(campaign))
    assert result.exit_code == 1
    assert result.stderr == message
    assert not (campaign / "letters").exists()


@pytest.mark.parametrize(("args", "fragment"), [
    (["--date", "1er mars"], "« 1er mars » is not a date: write it as 02/03/2026, 2 mars 2026 "
     "or 2026-03-02"),
    (["--date", "2026-02-30"], "« 2026-02-30 » is not a date that exists"),
    (["--format", "rtf"], "« rtf »: choose among md, pdf, html, docx, odt, eml, csv, "
     "comma-separated"),
])
def test_usage_errors_exit_2(campaign, args, fragment) -> None:
    result = run("compose", "--assoc", "ARPE", "--themes", "mediation", *args,
                 "--project", str(campaign))
    assert result.exit_code == 2
    assert fragment in " ".join(result.stderr.replace("│", "").split())


def test_project_from_the_environment_and_a_missing_one(campaign, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--format", "md",
                 "--date", "2026-03-01", env={"LETTERKIT_PROJECT": str(campaign)})
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path)
    missing = run("compose", "--assoc", "ARPE", "--themes", "numerique", env={})
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"Error: no campaign folder here: no measures.yaml in "
                                     f"{tmp_path} or above it — run letterkit inside")


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"letterkit {__version__}\n"


def test_python_m_letterkit_runs_the_cli() -> None:
    completed = subprocess.run([sys.executable, "-m", "letterkit", "--version"], cwd=REPO,
                               capture_output=True, text=True, check=True)
    assert completed.stdout == f"letterkit {__version__}\n"


def test_a_newline_in_a_name_keeps_the_message_on_one_line(campaign) -> None:
    result = run("compose", "--assoc", "\n", "--themes", "mediation", "--format", "md",
                 "--project", str(campaign))
    assert result.exit_code == 1
    assert result.stderr == ("Error: associations.yaml: unknown association «   » — known "
                             "associations: ARPE. Otherwise add it to associations.yaml, or give "
                             "its --salutation\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--sign-password-env", "PW"], "--sign-password-env goes with --sign CERT.p12"),
    (["--yes"], "--yes goes with --from DOCUMENT"),
    (["--document", "questionnaire"], "--document goes with --salutation"),
    (["--preview", "--out", "/tmp/x"], "--out does nothing with --preview, which writes no file"),
    (["--preview", "--format", "md"], "--format does nothing with --preview"),
])
def test_an_option_that_would_do_nothing_is_a_usage_error(campaign, args, message) -> None:
    result = run("compose", "--assoc", "ARPE", "--themes", "mediation", *args,
                 "--project", str(campaign))
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr and message in " ".join(result.stderr.replace("│", "")
                                                             .split())
    assert not (campaign / "letters").exists()


def test_from_without_an_answer_to_the_confirmation_is_a_usage_error(campaign, tmp_path) -> None:
    document = tmp_path / "plaidoyer.txt"
    document.write_text("Les médiateurs de rue et la médiation dans les quartiers.\n",
                        encoding="utf-8")
    result = run("compose", "--assoc", "ARPE", "--from", str(document), "--project",
                 str(campaign))
    assert result.exit_code == 2, result.output
    assert "answer on the terminal, or pass --yes" in " ".join(result.stderr.replace("│", "")
                                                               .split())


def test_a_bug_is_one_line_and_its_traceback_is_in_a_file(campaign, monkeypatch) -> None:
    import letterkit.campaign.quick
    import letterkit.pipeline.listings

    def broken(*_: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(letterkit.pipeline.listings, "theme_rows", broken)
    # never the quick listing from the YAML alone (campaign/quick.py): the full path breaks
    monkeypatch.setattr(letterkit.campaign.quick, "known_valid", lambda root: False)
    result = run("themes", "--project", str(campaign), env={"LETTERKIT_DEBUG": ""})
    assert result.exit_code == 1
    line, = result.stderr.splitlines()
    prefix = ("Error: unexpected problem: ZeroDivisionError: division by zero — please report "
              "it, with the command you ran and the traceback written to ")
    assert line.startswith(prefix)
    written = Path(line.removeprefix(prefix))
    try:
        assert "Traceback" in written.read_text(encoding="utf-8")
        assert "in broken" in written.read_text(encoding="utf-8")
    finally:
        written.unlink()
    shown = run("themes", "--project", str(campaign), env={"LETTERKIT_DEBUG": "1"})
    assert shown.stderr.startswith("Traceback")
    assert shown.stderr.endswith("please report it, with the command you ran and the "
                                 "traceback above\n")
