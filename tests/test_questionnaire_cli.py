"""`letterkit questions`, `check --answers` and `compose --answers` end to end, on a copy of
the fictional Bellerive campaign."""

from __future__ import annotations

import json
import shutil
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


# --- compose --answers ---------------------------------------------------------------------

ANSWERS = SAMPLES / "roue-libre-answers.yaml"


def compose(bellerive: Path, *args: str):
    return run("compose", "--assoc", "Roue Libre", "--date", "2026-03-01", "--project",
               str(bellerive), *args)


def test_compose_answers_writes_the_letter_and_the_csv(bellerive):
    result = compose(bellerive, "--answers", str(ANSWERS), "--format", "md,pdf,csv")
    assert result.exit_code == 0, result.output
    stem = bellerive / "letters" / "2026-03-01-roue-libre-questionnaire"
    assert result.stdout == "".join(f"{stem}.{fmt}\n" for fmt in ("md", "pdf", "csv"))
    assert stem.with_suffix(".md").read_text(encoding="utf-8") == (
        HERE / "golden" / "questionnaire-roue-libre.md").read_text(encoding="utf-8")
    assert stem.with_suffix(".csv").read_bytes().startswith(b"\xef\xbb\xbfNum")
    listed = run("ledger", "--json", "--project", str(bellerive))
    entry = json.loads(listed.stdout)[0]
    assert entry["questions"] == [{"number": 1, "measures": [26]}, {"number": 2, "measures": []},
                                  {"number": 3, "measures": [21, 22]},
                                  {"number": 4, "measures": []}, {"number": 5, "measures": []},
                                  {"number": 6, "measures": [30]}]
    assert entry["measures"] == [21, 22, 26, 30]
    measures = bellerive / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    measures.write_text(text.replace("continu de 25 km", "continu de 20 km"), encoding="utf-8")
    stale = run("ledger", "--stale", "--json", "--project", str(bellerive))
    assert json.loads(stale.stdout)[0]["changes"] == [
        "measure 26 has changed: « 25 » became « 20 » (the answer to question 1)"]


def test_compose_answers_with_themes_adds_other_measures(bellerive):
    answers = bellerive / "reponses.yaml"
    shutil.copy(ANSWERS, answers)
    result = compose(bellerive, "--answers", str(answers), "--themes", "handicap",
                     "--format", "md")
    assert result.exit_code == 0, result.output
    letter = (bellerive / "letters" / "2026-03-01-roue-libre-questionnaire-handicap.md"
              ).read_text(encoding="utf-8")
    assert "(**mesure\u00a033**)" in letter.split("> **6.**")[1]
    # The ledger keeps the answers as they were: the letter composes again, the same, even
    # once the answers file is gone.
    answers.unlink()
    rebuilt = run("ledger", "--rebuild", "1", "--out", str(bellerive / "rebuilt"), "--project",
                  str(bellerive))
    assert rebuilt.exit_code == 0, rebuilt.output
    assert rebuilt.stdout.startswith("identical ")


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = ANSWERS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "reponses.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    measures: [21, 22]\n", "    measures: []\n",
     "{path}, line 19, key questions[2]: question 3 is unanswered: no position, no measure "
     "and no answer — fill in its position, measures or answer"),
    ("    position: oui\n    position_alone: true\n", "    position: oui\n",
     "{path}, line 36, key questions[4].position: question 5 has only a position (« oui ») — "
     "add the measures or an answer that back it, or write « position_alone: true » if the "
     "position is the whole answer"),
    ("assoc: Roue Libre", "assoc: ESB",
     "{path}, line 1, key assoc: this answers file is for « ESB », not « Roue Libre » — give "
     "the answers file of Roue Libre, or compose with --assoc \"ESB\""),
    ("measures: [30]", "measures: [31]",
     "{path}, line 42, key questions[5].measures[0]: measure 31 is not in the program — did "
     "you mean 30? letterkit measures lists the program's measures"),
])
def test_compose_refuses_incomplete_answers_and_writes_nothing(bellerive, tmp_path, old, new,
                                                              message):
    path = edited(tmp_path, old, new)
    result = compose(bellerive, "--answers", str(path))
    assert result.exit_code == 1
    assert result.stderr == "Error: " + message.format(path=path) + "\n"
    assert not (bellerive / "letters").exists()
    assert not (bellerive / "ledger.sqlite").exists()


def test_compose_answers_usage_errors(bellerive):
    no_answers = compose(bellerive, "--themes", "velo", "--format", "md,csv")
    assert no_answers.exit_code == 2
    assert "--format csv writes a questionnaire's answers: it goes with --answers FILE" in \
        no_answers.stderr
    both = compose(bellerive, "--answers", str(ANSWERS), "--from", str(SAMPLES / "roue-libre.txt"))
    assert both.exit_code == 2
    assert "--from chooses themes for a letter without questions: with --answers, give other " \
        "themes with --themes" in " ".join(both.stderr.replace("│", "").split())
    missing = compose(bellerive, "--answers", str(bellerive / "absent.yaml"))
    assert missing.exit_code == 1
    assert missing.stderr == (f"Error: {bellerive / 'absent.yaml'}: file not found — give the "
                              "answers file that letterkit questions wrote, e.g. "
                              "answers/<association>.yaml\n")


def test_batch_answers_column(bellerive):
    (bellerive / "answers").mkdir()
    shutil.copy(ANSWERS, bellerive / "answers" / "roue-libre.yaml")
    requests = bellerive / "demandes.csv"
    requests.write_text("assoc,themes,answers,date,format\n"
                        "Roue Libre,,answers/roue-libre.yaml,2026-03-01,\"md,csv\"\n"
                        "ESB,sport,,2026-03-01,csv\n", encoding="utf-8")
    result = run("batch", str(requests), "--jobs", "1", "--project", str(bellerive))
    assert result.exit_code == 1
    letters = bellerive / "letters"
    assert sorted(p.name for p in letters.iterdir()) == [
        "2026-03-01-roue-libre-questionnaire.csv", "2026-03-01-roue-libre-questionnaire.md"]
    flat = "".join(result.stdout.replace("│", "").split())  # the table wraps its cells
    assert "demandes.csv,line3:theformatcsvwritesaquestionnaire'sanswers:itgoeswithananswers" \
        "file(columnanswers)" in flat


def test_a_campaign_reply_without_the_blocks_is_refused(bellerive):
    own = bellerive / "templates" / "letters"
    own.mkdir(parents=True)
    (own / "reponse.md.j2").write_text("{% block title %}Réponse{% endblock %}"
                                       "{% block salutation %}Madame,{% endblock %}"
                                       "{% block body %}Corps.{% endblock %}", encoding="utf-8")
    result = compose(bellerive, "--answers", str(ANSWERS), "--format", "md")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: templates/letters/reponse.md.j2: the campaign's reply template has no "
        "reception or measures block, where the questionnaire's letter puts the answers — copy "
        "letterkit's reponse.md.j2 again (letterkit init in an empty folder gives one), or "
        "write your changes in a template that {% extends \"letterkit/reponse.md.j2\" %}\n")
