"""The messages of src/letterkit/questionnaire/ in French under a French interface, the real
text: documents that cannot be read (text, PDF, DOCX, ODT, limits), answers files with their
mistakes, the draft `letterkit questions` cannot write, e-mails that are none; in the process
and through the command line; and the English unchanged otherwise."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from letterkit.campaign.project import Project, load_project
from letterkit.errors import LetterkitError
from letterkit.questionnaire import answers as answers_module
from letterkit.questionnaire import documents
from letterkit.questionnaire.answers import campaign_answers, load_answers, read_answers
from letterkit.questionnaire.documents import read_document
from letterkit.questionnaire.draft import write_draft
from letterkit.questionnaire.mailbox import read_mail

from .test_answers import GOOD
from .test_questions import make_odt

NB = "\u00a0"   # the no-break space French typography sets before « : » and inside « »
NNB = "\u202f"  # the narrow one, before « ? » and « ; »
LETTERKIT = str(Path(sys.executable).parent / "letterkit")
SAMPLES = Path(__file__).parent / "questionnaires"


def error(call: Callable[[], object]) -> str:
    with pytest.raises(LetterkitError) as caught:
        call()
    return str(caught.value)


# --- Documents that cannot be read -----------------------------------------------------------

def _docx(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def _scan(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)  # a scan is an image: no text to extract
    writer.write(path)
    return path


def _odt(path: Path, body: str) -> Path:
    make_odt(path, body)
    return path


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name
    return make


NESTED = "<text:p>1. " + "<text:span>" * 201 + "Question ?" + "</text:span>" * 201 + "</text:p>"

# name → (how to make the document in a folder, its message in French, in English)
DOCUMENTS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "missing": (
        lambda folder: folder / "absent.pdf",
        f"absent.pdf{NB}: fichier introuvable — indiquez le chemin du document de l’association",
        "absent.pdf: file not found — give the path of the association's document"),
    "folder": (
        lambda folder: folder,
        f"{NB}: c’est un dossier, pas un document — indiquez le chemin du document de "
        "l’association",
        ": this is a folder, not a document — give the path of the association's document"),
    "empty": (
        _write("vide.txt", b" \n\n"),
        f"vide.txt{NB}: le fichier est vide — indiquez le document tel que l’association l’a "
        "envoyé",
        "vide.txt: the file is empty — give the document as the association sent it"),
    "latin-1": (
        _write("latin1.txt", "Intro.\nQuestion 1 : écoles ?".encode("latin-1")),
        f"latin1.txt, ligne 2{NB}: ce n’est pas du texte UTF-8 (octet 0xe9) — enregistrez le "
        "document en texte UTF-8, ou indiquez plutôt sa version PDF",
        "latin1.txt, line 2: not UTF-8 text (byte 0xe9) — save the document as UTF-8 text, or "
        "give its PDF"),
    "word 97": (
        _write("q.doc", b"\xd0\xcf\x11\xe0"),
        f"q.doc{NB}: letterkit ne lit pas les fichiers Word 97 — enregistrez le document au "
        "format DOCX ou PDF, ou copiez son texte dans un fichier .txt",
        "q.doc: letterkit does not read Word 97 files — save the document as DOCX or PDF, or "
        "copy its text into a .txt file"),
    "scanned": (
        lambda folder: _scan(folder / "scan.pdf"),
        f"scan.pdf{NB}: ce PDF ne contient aucun texte (s’agit-il d’un document "
        f"numérisé{NNB}?) — demandez le texte à l’association, ou copiez les questions dans un "
        "fichier .txt",
        "scan.pdf: this PDF holds no text (a scanned image?) — ask the association for the "
        "text, or copy the questions into a .txt file"),
    "docx without its text": (
        lambda folder: _docx(folder / "autre.docx", {"content.xml": "<office/>"}),
        f"autre.docx{NB}: ce n’est pas un document DOCX (il manque word/document.xml) — "
        "ouvrez-le dans un traitement de texte et enregistrez-le au format .docx, ou indiquez "
        "plutôt sa version PDF ou son texte",
        "autre.docx: not a DOCX document (no word/document.xml) — open it in a word processor "
        "and save it as .docx, or give its PDF or its text"),
    "docx with a DTD": (
        lambda folder: _docx(folder / "bomb.docx", {
            "word/document.xml": '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "a">]><w/>'}),
        f"bomb.docx{NB}: ce n’est pas un document DOCX (word/document.xml déclare une DTD) — "
        "ouvrez-le dans un traitement de texte et enregistrez-le au format .docx, ou indiquez "
        "plutôt sa version PDF ou son texte",
        "bomb.docx: not a DOCX document (word/document.xml declares a DTD) — open it in a word "
        "processor and save it as .docx, or give its PDF or its text"),
    "odt without its text": (
        lambda folder: _docx(folder / "vide.odt", {"mimetype": "x"}),
        f"vide.odt{NB}: ce n’est pas un document ODT (il manque content.xml) — ouvrez-le dans "
        "un traitement de texte et enregistrez-le au format .odt ou .docx, ou indiquez plutôt "
        "sa version PDF ou son texte",
        "vide.odt: not an ODT document (no content.xml) — open it in a word processor and save "
        "it as .odt or .docx, or give its PDF or its text"),
    "odt nested too deep": (
        lambda folder: _odt(folder / "q.odt", NESTED),
        f"q.odt{NB}: letterkit ne lit pas ce document{NB}: ses éléments sont imbriqués sur plus "
        "de 200 niveaux — enregistrez-le de nouveau depuis un traitement de texte, ou indiquez "
        "plutôt sa version PDF, ou encore un fichier .txt contenant le texte de ses questions",
        "q.odt: letterkit does not read this document: its elements are nested more than 200 "
        "deep — save it again from a word processor, or give its PDF or the text of its "
        "questions in a .txt file"),
}


def _document_error(folder: Path, name: str) -> str:
    path = DOCUMENTS[name][0](folder)
    return error(lambda: read_document(path)).replace(f"{folder}/", "").replace(
        str(folder), "")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_document_that_cannot_be_read_in_french(french, tmp_path: Path, name: str) -> None:
    assert _document_error(tmp_path, name) == DOCUMENTS[name][1]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_document_that_cannot_be_read_in_english(tmp_path: Path, name: str) -> None:
    assert _document_error(tmp_path, name) == DOCUMENTS[name][2]


def test_a_document_past_the_limits_in_french(french, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = _odt(tmp_path / "long.odt", "<text:p>1. Une question assez longue ?</text:p>")
    monkeypatch.setattr(documents, "MAX_TEXT_CHARS", 12)
    assert error(lambda: read_document(path)) == (
        f"{path}{NB}: letterkit ne lit pas ce document{NB}: son texte dépasse 12 caractères — "
        "enregistrez-le de nouveau depuis un traitement de texte, ou indiquez plutôt sa version "
        "PDF, ou encore un fichier .txt contenant le texte de ses questions")
    monkeypatch.setattr(documents, "MAX_XML_BYTES", 10)
    assert error(lambda: read_document(path)).startswith(
        f"{path}{NB}: ce n’est pas un document ODT (content.xml est trop volumineux) — ")


def test_a_document_that_may_not_be_read(french, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions cannot refuse a file to root (the tests' user in CI): the system's refusal
    as Python raises it."""
    def refuse(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert error(lambda: read_document(tmp_path / "q.txt")) == (
        f"{tmp_path / 'q.txt'}{NB}: impossible de lire le fichier (accès refusé) — "
        "vérifiez ses droits d’accès")
    assert error(lambda: read_mail(tmp_path / "m.eml")) == (
        f"{tmp_path / 'm.eml'}{NB}: impossible de lire le fichier (accès refusé) — "
        "vérifiez ses droits d’accès")


# --- Answers files ---------------------------------------------------------------------------

BELLERIVE = Path(__file__).parent / "campaigns" / "bellerive"
MISTAKES = (GOOD.replace("position: oui", "position: peut-être")
            .replace("measures: [26]", "measures: [26, 27]")
            .replace("  - number: 3", "  - number: 2")
            .replace("question: Vous engagez-vous à réaliser un réseau cyclable continu ?",
                     "question:"))
UNANSWERED = GOOD.replace("    answer: >-\n      Nous y consacrerons **30 €** par habitant et "
                          "par an.\n", "    answer:\n").replace("    position_alone: true\n", "")


@pytest.fixture(scope="module")
def program():
    return load_project(BELLERIVE).program


def _problems(tmp_path: Path, text: str, program, assoc: str | None) -> list[str]:
    path = tmp_path / "roue-libre.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in read_answers(path, "answers/roue-libre.yaml", program, assoc)[1]]


ANSWERS_FRENCH = [
    f"answers/roue-libre.yaml, ligne 1, clé assoc{NB}: ce fichier de réponses concerne "
    f"«{NB}Roue Libre{NB}», pas «{NB}ESB{NB}» — indiquez le fichier de réponses pour ESB, ou "
    'composez la lettre avec --assoc "Roue Libre"',
    f"answers/roue-libre.yaml, ligne 5, clé questions[0].question{NB}: la question 1 n’a pas "
    "de texte — écrivez la question telle que l’association l’a posée",
    f"answers/roue-libre.yaml, ligne 6, clé questions[0].position{NB}: position inconnue{NB}: "
    f"«{NB}peut-être{NB}» — écrivez oui, non ou en partie, ou laissez-la vide",
    f"answers/roue-libre.yaml, ligne 7, clé questions[0].measures[1]{NB}: la mesure 27 n’est "
    f"pas dans le programme — vouliez-vous dire 26{NNB}? letterkit measures liste les mesures "
    "du programme",
    f"answers/roue-libre.yaml, ligne 15, clé questions[2].number{NB}: le numéro de question 2 "
    "est utilisé deux fois (aussi à la ligne 9) — donnez à chaque question un numéro différent",
]
ANSWERS_ENGLISH = [
    "answers/roue-libre.yaml, line 1, key assoc: this answers file is for « Roue Libre », not "
    "« ESB » — give the answers file of ESB, or compose with --assoc \"Roue Libre\"",
    "answers/roue-libre.yaml, line 5, key questions[0].question: question 1 has no text — "
    "write the question as the association asked it",
    "answers/roue-libre.yaml, line 6, key questions[0].position: unknown position "
    "« peut-être » — write oui, non or en partie, or leave it empty",
    "answers/roue-libre.yaml, line 7, key questions[0].measures[1]: measure 27 is not in the "
    "program — did you mean 26? letterkit measures lists the program's measures",
    "answers/roue-libre.yaml, line 15, key questions[2].number: question number 2 is used "
    "twice (also on line 9) — give each question its own number",
]
UNANSWERED_FRENCH = [
    f"answers/roue-libre.yaml, ligne 9, clé questions[1]{NB}: la question 2 est sans "
    f"réponse{NB}: ni position, ni mesure, ni réponse — remplissez sa position, ses mesures ou "
    "sa réponse",
    f"answers/roue-libre.yaml, ligne 16, clé questions[2].position{NB}: la question 3 n’a "
    f"qu’une position («{NB}Oui{NB}»), sans mesure ni réponse — ajoutez les mesures ou une "
    f"réponse qui l’étayent, ou écrivez «{NB}position_alone: true{NB}» si la position suffit "
    "à répondre",
]
UNANSWERED_ENGLISH = [
    "answers/roue-libre.yaml, line 9, key questions[1]: question 2 is unanswered: no position, "
    "no measure and no answer — fill in its position, measures or answer",
    "answers/roue-libre.yaml, line 16, key questions[2].position: question 3 has only a "
    "position (« Oui ») — add the measures or an answer that back it, or write "
    "« position_alone: true » if the position is the whole answer",
]


def test_an_answers_file_s_mistakes_in_french(french, tmp_path: Path, program) -> None:
    assert _problems(tmp_path, MISTAKES, program, "ESB") == ANSWERS_FRENCH
    assert _problems(tmp_path, UNANSWERED, program, "Roue Libre") == UNANSWERED_FRENCH


def test_an_answers_file_s_mistakes_in_english(tmp_path: Path, program) -> None:
    assert _problems(tmp_path, MISTAKES, program, "ESB") == ANSWERS_ENGLISH
    assert _problems(tmp_path, UNANSWERED, program, "Roue Libre") == UNANSWERED_ENGLISH


def test_a_measure_far_from_any_in_french(french, tmp_path: Path) -> None:
    """No measure to suggest in an empty program: only where to find them."""
    from letterkit.campaign.models import Program

    assert _problems(tmp_path, GOOD, Program.model_construct(measures=[]), None)[0].endswith(
        f"{NB}: la mesure 26 n’est pas dans le programme — letterkit measures liste les mesures "
        "du programme")


def test_answers_files_not_found_or_unknown_in_french(french, tmp_path: Path, program) -> None:
    assert error(lambda: load_answers(tmp_path / "absent.yaml", program, "Roue Libre")) == (
        f"{tmp_path / 'absent.yaml'}{NB}: fichier introuvable — indiquez le fichier de réponses "
        "écrit par letterkit questions, par exemple answers/<association>.yaml")
    assert error(lambda: load_answers(tmp_path, program, "Roue Libre")) == (
        f"{tmp_path}{NB}: ce n’est pas un fichier — indiquez le fichier de réponses écrit par "
        "letterkit questions, par exemple answers/<association>.yaml")
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "velo.yaml").write_text(GOOD.replace("Roue Libre", "Roue Lible"),
                                                    encoding="utf-8")
    found = campaign_answers(tmp_path, program, ["Roue Libre"], [tmp_path / "absent.yaml"])
    assert [str(p) for p in found][1] == (
        f"{tmp_path / 'absent.yaml'}{NB}: fichier introuvable — indiquez le fichier de réponses "
        "écrit par letterkit questions")
    assert str(found[0]) == (
        f"answers/velo.yaml, ligne 1, clé assoc{NB}: l’association «{NB}Roue Lible{NB}» est "
        "inconnue — vouliez-vous dire Roue Libre\u202f? Sinon, il faudra donner sa formule "
        "d’appel à compose avec --salutation")
    assert found[0].warning


@pytest.mark.parametrize(("blocks", "french", "english"), [
    ("{% block reception %}{% endblock %}", "n’a pas de bloc measures", "has no measures block"),
    ("Corps.", "n’a ni bloc reception ni bloc measures", "has no reception or measures block"),
])
def test_a_reply_template_without_the_answers_blocks(blocks: str, french: str,
                                                      english: str) -> None:
    from jinja2 import DictLoader, Environment

    from letterkit import i18n

    env = Environment(loader=DictLoader({"reponse.md.j2": blocks}))
    assert error(lambda: answers_module.template(env, "reponse")) == (
        f"templates/letters/reponse.md.j2: the campaign's reply template {english}, where the "
        "questionnaire's letter puts the answers — copy letterkit's reponse.md.j2 again "
        "(letterkit init in an empty folder gives one), or write your changes in a template "
        'that {% extends "letterkit/reponse.md.j2" %}')
    i18n.use("fr")
    try:
        assert error(lambda: answers_module.template(env, "reponse")) == (
            f"templates/letters/reponse.md.j2{NB}: le modèle de réponse de la campagne {french}, "
            "où se placent les réponses à un questionnaire — recopiez le fichier reponse.md.j2 "
            "fourni par letterkit (letterkit init NOUVEAU-DOSSIER en crée un "
            "exemplaire), ou "
            "écrivez vos modifications dans un modèle qui commence par "
            '{% extends "letterkit/reponse.md.j2" %}')
    finally:
        i18n.use("en")


# --- The draft answers file ------------------------------------------------------------------

@pytest.fixture
def bellerive(new_campaign) -> Project:
    return load_project(new_campaign("bellerive"))


PARTS = ("Questionnaire.\n\nI. MOBILITÉS\n1. Première ?\n2. Deuxième ?\n\nII. LOGEMENT\n"
         "1. Troisième ?\n\nMerci.")


def test_the_draft_s_messages_in_french(french, tmp_path: Path, bellerive: Project,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    letter = tmp_path / "lettre.txt"
    letter.write_text("Madame, Monsieur,\n\nSoutenez le vélo !\n", encoding="utf-8")
    assert error(lambda: write_draft(bellerive, letter, "Roue Libre")) == (
        f"{letter}{NB}: aucune question numérotée n’a été trouvée — letterkit cherche les "
        f"questions numérotées «{NB}1.{NB}», «{NB}1){NB}», «{NB}Q1 :{NB}» ou «{NB}Question 1 "
        f"–{NB}» en début de ligne{NB}: numérotez-les ainsi dans une copie du document, ou "
        "écrivez le fichier de réponses à la main (docs/questionnaires.md)")
    parts = tmp_path / "parties.txt"
    parts.write_text(PARTS, encoding="utf-8")
    drafted = write_draft(bellerive, parts, "Vélo Club", out=tmp_path / "r.yaml")
    unknown, again = drafted.warnings
    assert str(unknown).startswith(f"associations.yaml{NB}: l’association «{NB}Vélo Club{NB}» "
                                   "est inconnue — associations connues\u00a0: Les Fileuses, ")
    assert str(unknown).endswith(
        " Sinon, il faudra donner sa formule d’appel à compose --answers avec --salutation, ou "
        "l’ajouter à associations.yaml")
    assert str(again) == (
        f"{parts}, ligne 8{NB}: le questionnaire recommence sa numérotation à 1 dans chaque "
        f"partie{NB}: le fichier de réponses numérote les questions de 1 à 3, dans l’ordre — la "
        f"lettre cite les questions avec ces numéros{NNB}; modifiez-les dans le fichier de "
        "réponses si l’association utilise sa propre numérotation")
    assert error(lambda: write_draft(bellerive, parts, "Roue Libre", out=tmp_path / "r.yaml")
                 ) == (
        f"{tmp_path / 'r.yaml'} existe déjà — ajoutez --force pour le remplacer (les réponses "
        "que l’équipe y a écrites seront perdues), ou --out pour écrire un autre fichier")

    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("letterkit.files.write_atomic", refuse)
    assert error(lambda: write_draft(bellerive, parts, "Roue Libre", out=tmp_path / "s.yaml")
                 ) == (
        f"impossible d’écrire {tmp_path / 's.yaml'}{NB}: accès refusé — vérifiez que le "
        "dossier existe et que l’on peut y écrire, ou choisissez un autre fichier avec --out")


def test_the_draft_s_comments_stay_french_in_english(tmp_path: Path, bellerive: Project) -> None:
    """The draft is the team's file, as the letter is: French whatever the interface's."""
    drafted = write_draft(bellerive, SAMPLES / "roue-libre.txt", "Roue Libre",
                          out=tmp_path / "r.yaml")
    text = drafted.path.read_text(encoding="utf-8")
    assert text.startswith("# Réponses de la liste")
    assert "    # letterkit suggère (mots en commun) :\n" in text


# --- E-mails ---------------------------------------------------------------------------------

def test_an_e_mail_that_is_none_in_french(french, tmp_path: Path) -> None:
    assert error(lambda: read_mail(tmp_path / "absent.eml")) == (
        f"{tmp_path / 'absent.eml'}{NB}: fichier introuvable — indiquez le chemin du courriel "
        "enregistré en .eml")
    (tmp_path / "note.eml").write_text("Bonjour,\n\nvoici notre questionnaire.\n",
                                       encoding="utf-8")
    assert error(lambda: read_mail(tmp_path / "note.eml")) == (
        f"{tmp_path / 'note.eml'}{NB}: ce n’est pas un courriel{NB}: il n’a aucun en-tête From, "
        "To, Date ou Subject — enregistrez le message depuis votre logiciel de messagerie au "
        f"format .eml («{NB}Enregistrer sous{NB}», «{NB}Télécharger le message{NB}»)")
    assert error(lambda: read_mail(tmp_path)) == (
        f"{tmp_path}{NB}: impossible de lire le fichier (c’est un dossier) — vérifiez ses droits "
        "d’accès")


def test_an_e_mail_that_is_none_in_english(tmp_path: Path) -> None:
    (tmp_path / "note.eml").write_text("Bonjour,\n", encoding="utf-8")
    assert error(lambda: read_mail(tmp_path / "note.eml")) == (
        f"{tmp_path / 'note.eml'}: not an e-mail: no From, To, Date or Subject header — save the "
        "message from the mail program as .eml (« Save as », « Download message »)")
    assert error(lambda: read_mail(tmp_path)) == (
        f"{tmp_path}: cannot read the file (it is a folder) — check its permissions")


# --- Through the command line ----------------------------------------------------------------

def run(*args: str, lang: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env |= {"LANG": lang, "COLUMNS": "400"}
    return subprocess.run([LETTERKIT, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, check=False)


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr_FR.UTF-8", f"Erreur{NB}: answers/roue-libre.yaml, ligne 1, clé assoc{NB}: ce fichier "
     f"de réponses concerne «{NB}Roue Libre{NB}», pas «{NB}ESB{NB}» — indiquez le fichier de "
     'réponses pour ESB, ou composez la lettre avec --assoc "Roue Libre"\n'),
    ("C.UTF-8", "Error: answers/roue-libre.yaml, line 1, key assoc: this answers file is for "
     "« Roue Libre », not « ESB » — give the answers file of ESB, or compose with --assoc "
     '"Roue Libre"\n'),
])
def test_compose_answers_through_the_command_line(new_campaign, lang: str,
                                                  expected: str) -> None:
    campaign = new_campaign("bellerive")
    (campaign / "answers").mkdir(exist_ok=True)
    (campaign / "answers" / "roue-libre.yaml").write_text(GOOD, encoding="utf-8")
    shown = run("compose", "--assoc", "ESB", "--answers", "answers/roue-libre.yaml",
                "--format", "md", lang=lang, cwd=campaign)
    assert shown.returncode == 1, shown.stderr
    assert shown.stderr == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr_FR.UTF-8", f"Erreur{NB}: scan.pdf{NB}: ce PDF ne contient aucun texte (s’agit-il "
     f"d’un document numérisé{NNB}?) — demandez le texte à l’association, ou copiez les "
     "questions dans un fichier .txt\n"),
    ("C.UTF-8", "Error: scan.pdf: this PDF holds no text (a scanned image?) — ask the "
     "association for the text, or copy the questions into a .txt file\n"),
])
def test_questions_through_the_command_line(new_campaign, lang: str,
                                            expected: str) -> None:
    campaign = new_campaign("bellerive")
    _scan(campaign / "scan.pdf")
    shown = run("questions", "scan.pdf", "--assoc", "Roue Libre", lang=lang, cwd=campaign)
    assert shown.returncode == 1, shown.stderr
    assert shown.stderr.endswith(expected), shown.stderr
