"""`letterkit questions`, `check --answers` and `compose --answers` end to end, on a copy of
the fictional Bellerive campaign."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from letterkit.cli import app

HERE = Path(__file__).parent
SAMPLES = HERE / "questionnaires"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def bellerive(new_campaign) -> Path:
    return new_campaign("bellerive")


def test_questions_writes_the_draft_and_prints_its_path(bellerive):
    result = run("questions", str(SAMPLES / "roue-libre.txt"), "--assoc", "roue libre",
                 "--project", str(bellerive))
    assert result.exit_code == 0, result.output
    draft = bellerive / "answers" / "roue-libre.yaml"
    assert result.stdout == f"{draft}\n"
    assert result.stderr.endswith(
        "7 questions found in roue-libre.txt; measures suggested for 4 of them. Fill in "
        "position, measures and answer for each, then compose the letter with --answers.\n")
    assert len(yaml.safe_load(draft.read_text(encoding="utf-8"))["questions"]) == 7
    again = run("questions", str(SAMPLES / "roue-libre.txt"), "--assoc", "Roue Libre",
                "--project", str(bellerive))
    assert again.exit_code == 1
    assert again.stderr == (f"Error: {draft} already exists — pass --force to overwrite it "
                            "(the team's answers in it are lost), or --out for another file\n")


def bad_documents(folder: Path) -> dict[str, tuple[Path, str]]:
    from pypdf import PdfWriter

    (folder / "vide.md").write_text("\n  \n", encoding="utf-8")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(folder / "scan.pdf")
    (folder / "faux.docx").write_bytes(b"%PDF-1.7 renamed")
    (folder / "lettre.txt").write_text("Madame, Monsieur,\n\nSoutenez le vélo !\n",
                                       encoding="utf-8")
    return {
        "empty": (folder / "vide.md", "the file is empty — give the document as the "
                  "association sent it"),
        "scanned": (folder / "scan.pdf", "this PDF holds no text (a scanned image?) — ask the "
                    "association for the text, or copy the questions into a .txt file"),
        "not docx": (folder / "faux.docx", "not a DOCX document (File is not a zip file) — "
                     "open it in a word processor and save it as .docx, or give its PDF or "
                     "its text"),
        "no question": (folder / "lettre.txt", "no numbered question found — letterkit looks "
                        "for questions numbered « 1. », « 1) », « Q1 : » or « Question 1 – » at "
                        "the start of a line; number them so in a copy, or write the answers "
                        "file by hand (docs/questionnaires.md)"),
        "missing": (folder / "absent.pdf", "file not found — give the path of the "
                    "association's document"),
    }


@pytest.mark.parametrize("case", ["empty", "scanned", "not docx", "no question", "missing"])
def test_questions_refuses_bad_documents_and_writes_nothing(bellerive, tmp_path, case):
    path, message = bad_documents(tmp_path)[case]
    result = run("questions", str(path), "--assoc", "Roue Libre", "--project", str(bellerive))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: {message}\n"
    assert not (bellerive / "answers").exists()


def test_check_reads_the_answers_folder_as_drafts_and_given_files_as_ready(bellerive):
    assert run("questions", str(SAMPLES / "roue-libre.txt"), "--assoc", "Roue Libre",
               "--project", str(bellerive)).exit_code == 0
    drafted = run("check", "--project", str(bellerive))
    assert drafted.exit_code == 0, drafted.output
    assert ("Warning: answers/roue-libre.yaml, line 33, key questions[1]: question 2 is "
            "unanswered: no position, no measure and no answer — fill in its position, "
            "measures or answer\n") in drafted.stdout
    draft = bellerive / "answers" / "roue-libre.yaml"
    ready = run("check", "--answers", str(draft), "--project", str(bellerive))
    assert ready.exit_code == 1
    assert (f"Error: {draft}, line 33, key questions[1]: question 2 is unanswered: no "
            "position, no measure and no answer — fill in its position, measures or answer\n"
            ) in ready.stdout
