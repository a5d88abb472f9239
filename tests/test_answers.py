"""The answers file: every mistake located by file, line and key; blank questions named."""

from __future__ import annotations

from pathlib import Path

import pytest

from letterkit.campaign.project import load_project
from letterkit.errors import DataError
from letterkit.questionnaire.answers import campaign_answers, load_answers, read_answers

BELLERIVE = Path(__file__).parent / "campaigns" / "bellerive"

GOOD = """\
assoc: Roue Libre
document: roue-libre.txt
questions:
  - number: 1
    question: Vous engagez-vous à réaliser un réseau cyclable continu ?
    position: oui
    measures: [26]
    answer:
  - number: 2
    question: Quel budget annuel consacrerez-vous aux aménagements cyclables ?
    position:
    measures: []
    answer: >-
      Nous y consacrerons **30 €** par habitant et par an.
  - number: 3
    question: Signerez-vous la charte « Ville cyclable » ?
    position: Oui
    position_alone: true
"""


@pytest.fixture(scope="module")
def program():
    return load_project(BELLERIVE).program


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roue-libre.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, program, assoc="Roue Libre", complete=True) -> list[str]:
    _, found = read_answers(path, "answers/roue-libre.yaml", program, assoc, complete)
    return [("Warning: " if p.warning else "") + str(p) for p in found]


def test_a_complete_file(tmp_path, program):
    answers, warnings = load_answers(write(tmp_path, GOOD), program, "roue libre")
    assert warnings == []
    first, second, third = answers.answers.questions
    assert (first.position_text, first.measures, first.answer) == ("Oui.", [26], None)
    assert (second.position_text, second.answer) == (None, "Nous y consacrerons **30 €** par "
                                                     "habitant et par an.")
    assert (third.position_text, third.position_alone) == ("Oui.", True)
    assert answers.line(1) == 9


def test_every_mistake_located(tmp_path, program):
    text = (GOOD.replace("position: oui", "position: peut-être")
            .replace("measures: [26]", "measures: [26, 27]")
            .replace("  - number: 3", "  - number: 2"))
    assert problems(write(tmp_path, text), program) == [
        "answers/roue-libre.yaml, line 6, key questions[0].position: unknown position "
        "« peut-être » — write oui, non or en partie, or leave it empty",
        "answers/roue-libre.yaml, line 7, key questions[0].measures[1]: measure 27 is not in "
        "the program — did you mean 26? letterkit measures lists the program's measures",
        "answers/roue-libre.yaml, line 15, key questions[2].number: question number 2 is used "
        "twice (also on line 9) — give each question its own number",
    ]


def test_for_another_association(tmp_path, program):
    assert problems(write(tmp_path, GOOD), program, assoc="ESB") == [
        "answers/roue-libre.yaml, line 1, key assoc: this answers file is for « Roue Libre », "
        "not « ESB » — give the answers file of ESB, or compose with --assoc \"Roue Libre\""]


def test_blank_and_position_alone(tmp_path, program):
    text = GOOD.replace("    answer: >-\n      Nous y consacrerons **30 €** par habitant et "
                        "par an.\n", "    answer:\n").replace("    position_alone: true\n", "")
    expected = [
        "answers/roue-libre.yaml, line 9, key questions[1]: question 2 is unanswered: no "
        "position, no measure and no answer — fill in its position, measures or answer",
        "answers/roue-libre.yaml, line 16, key questions[2].position: question 3 has only a "
        "position (« Oui ») — add the measures or an answer that back it, or write "
        "« position_alone: true » if the position is the whole answer",
    ]
    assert problems(write(tmp_path, text), program) == expected
    # `check` reads answers files as drafts: the same, as warnings.
    assert problems(write(tmp_path, text), program, complete=False) == [
        "Warning: " + e for e in expected]
    with pytest.raises(DataError) as caught:
        load_answers(tmp_path / "roue-libre.yaml", program, "Roue Libre")
    assert str(caught.value) == "\n".join(expected).replace(
        "answers/roue-libre.yaml", str(tmp_path / "roue-libre.yaml"))


def test_wrong_types_and_unknown_keys(tmp_path, program):
    text = GOOD.replace("number: 2", "number: deux").replace("answer:\n", "anwser: x\n", 1)
    assert problems(write(tmp_path, text), program) == [
        "answers/roue-libre.yaml, line 9, key questions[1].number: input should be a valid "
        "integer, unable to parse string as an integer — write a whole number"]
    text = GOOD.replace("answer:\n", "anwser: x\n", 1)
    assert problems(write(tmp_path, text), program) == [
        "Warning: answers/roue-libre.yaml, line 8, key questions[0].anwser: unknown key, "
        "ignored — did you mean answer or number?"]


def test_not_an_answers_file(tmp_path, program):
    assert problems(write(tmp_path, ""), program) == [
        "answers/roue-libre.yaml: the file is empty — see the example campaign for what it "
        "should hold"]
    assert problems(write(tmp_path, "assoc: Roue Libre\nquestions: []\n"), program) == [
        "answers/roue-libre.yaml, line 2, key questions: list should have at least 1 item, "
        "not 0"]


def test_check_reads_the_answers_folder(tmp_path, program):
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "velo.yaml").write_text(
        GOOD.replace("Roue Libre", "Roue Lible").replace("[26]", "[99]"), encoding="utf-8")
    found = campaign_answers(tmp_path, program, ["Roue Libre", "ESB"])
    assert [("Warning: " if p.warning else "") + str(p) for p in found] == [
        "answers/velo.yaml, line 7, key questions[0].measures[0]: measure 99 is not in the "
        "program — did you mean 68? letterkit measures lists the program's measures"]
    (tmp_path / "answers" / "velo.yaml").write_text(GOOD.replace("Roue Libre", "Roue Lible"),
                                                    encoding="utf-8")
    found = campaign_answers(tmp_path, program, ["Roue Libre", "ESB"])
    assert [str(p) for p in found] == [
        "answers/velo.yaml, line 1, key assoc: unknown association « Roue Lible » — did you "
        "mean Roue Libre? compose will need its --salutation"]


def test_answers_csv_opens_in_a_french_spreadsheet():
    """UTF-8 with a BOM, « ; » between cells, CRLF: Excel and LibreOffice open it directly."""
    from letterkit.letter.render import Prose
    from letterkit.questionnaire.answers import answers_csv

    context = {"questions": [
        {"number": 1, "question": "Vous engagez-vous à ceci ; et à cela ?",
         "position": Prose("Oui."), "measures": [26],
         "paragraphs": [{"text": Prose("Nous réaliserons un réseau cyclable (**mesure 26**)."),
                         "measures": [26]}],
         "answer": Prose("Dès *2027*.\n\nEt au-delà.")},
        {"number": 2, "question": "=HYPERLINK(\"http://x\") ?", "position": None,
         "measures": [], "paragraphs": [], "answer": Prose("30 € par habitant.")},
    ]}
    data = answers_csv(context)
    assert data.startswith(b"\xef\xbb\xbfNum\xc3\xa9ro;Question;Position;R\xc3\xa9ponse\r\n")
    text = data.decode("utf-8-sig")
    assert text.split("\r\n") == [
        "Numéro;Question;Position;Réponse",
        "1;\"Vous engagez-vous à ceci\u202f; et à cela\u202f?\";Oui;\"Oui. Nous réaliserons un "
        "réseau cyclable (mesure\u00a026). Dès 2027.\nEt au-delà.\"",
        "2;'=HYPERLINK(«\u00a0http://x\u00a0»)\u202f?;;30\u00a0€ par habitant.",
        "",
    ]
