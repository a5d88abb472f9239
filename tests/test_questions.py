"""Questionnaires: every question found with its whole text, in every format associations
send; suggestions right where a measure answers and empty where none does."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from letterkit.campaign.project import load_project
from letterkit.errors import LetterkitError
from letterkit.questionnaire.documents import read_document
from letterkit.questionnaire.draft import draft
from letterkit.questionnaire.questions import find_questions, suggest_measures

HERE = Path(__file__).parent
SAMPLES = HERE / "questionnaires"
BELLERIVE = HERE / "campaigns" / "bellerive"

ROUE_LIBRE = [
    "Vous engagez-vous à réaliser, pendant le mandat, un réseau cyclable continu et sécurisé "
    "reliant tous les quartiers de Bellerive ?",
    "Quel budget annuel, en euros par habitant, consacrerez-vous aux aménagements cyclables ?",
    "Comment comptez-vous sécuriser les abords des écoles pour que les enfants puissent y "
    "venir à pied ou à vélo ?",
    "Les trottoirs sont souvent encombrés. Que ferez-vous pour que piétons, poussettes et "
    "fauteuils puissent circuler sans obstacle ?",
    "Soutiendrez-vous l'ouverture d'une vélo-école associative ?",
    "La voie verte de la Loire à vélo s'interrompt au centre-ville : la prolongerez-vous ?",
    "Signerez-vous la charte « Ville cyclable » de la Fédération des cyclistes du quotidien ?",
]


def texts(text: str) -> list[tuple[int, str]]:
    return [(q.number, q.text) for q in find_questions(text)]


def test_plain_text_numbered_list_with_introduction_and_closing():
    found = find_questions(read_document(SAMPLES / "roue-libre.txt"))
    assert [(q.number, q.text) for q in found] == list(enumerate(ROUE_LIBRE, 1))
    assert [q.line for q in found] == [9, 12, 15, 18, 21, 23, 26]


def test_markdown_with_q1_question_n_headings_and_sub_bullets():
    found = texts(read_document(SAMPLES / "berges-vivantes.md"))
    assert found == [
        (1, "Que ferez-vous du projet immobilier de la Pointe aux Sables ?"),
        (2, "Ferez-vous dresser un inventaire de la faune et de la flore des berges avant "
            "tout aménagement ?"),
        (3, "Quelle part de logements sociaux imposerez-vous dans les programmes neufs ?"),
        (4, "Combien d'arbres planterez-vous chaque année ?"),
        (5, "Quelles suites donnerez-vous à notre pétition ? Précisez :\n- le calendrier ;\n"
            "- les moyens humains."),
    ]


@pytest.mark.parametrize("start", ["1)", "1 -", "1-", "1 :", "1 –", "1°", "Q1", "Q1 :", "Q.1",
                                   "q1.", "Question 1", "Question 1 –", "Question n°1 :",
                                   "QUESTION 1.", "**1.**", "### Question 1 :", "1/"])
def test_numbering_forms(start):
    second = start.replace("1", "2")
    text = (f"Introduction de l'association.\n\n{start} Première question ?\n"
            f"{second} Seconde question,\nsur deux lignes ?\n\nCordialement.")
    assert texts(text) == [(1, "Première question ?"), (2, "Seconde question, sur deux lignes ?")]


def test_question_number_alone_on_its_line():
    text = "Question 1\nVous engagez-vous à ceci ?\n\nQuestion 2\n\nEt à cela ?\n\nMerci."
    assert texts(text) == [(1, "Vous engagez-vous à ceci ?"), (2, "Et à cela ?")]


def test_section_headings_and_closing_do_not_join_a_question():
    text = ("I. MOBILITÉS\n\n1. Première ?\n\nII. LOGEMENT\n\n2. Deuxième ?\n\n"
            "Thème 3 : culture\n3. Troisième ?\nMerci de répondre avant le 1er mars.\n\n"
            "Nous publierons vos réponses.")
    # A closing line in the same paragraph as the last question stays with it: only a new
    # paragraph, a heading or another question ends a question.
    assert texts(text) == [(1, "Première ?"), (2, "Deuxième ?"),
                           (3, "Troisième ? Merci de répondre avant le 1er mars.")]


def test_numbers_that_are_not_questions():
    text = ("Créée en 1998, l'association compte 250 adhérents.\n"
            "2026. Une année d'élections.\n\n"
            "1. Quel budget pour :\n1) les pistes ;\n2) les arceaux ?\n"
            "2. Quel calendrier ?\n3. Quelle concertation ?")
    assert texts(text) == [(1, "Quel budget pour : 1) les pistes ; 2) les arceaux ?"),
                           (2, "Quel calendrier ?"), (3, "Quelle concertation ?")]


def test_numbering_that_changes_style_mid_list():
    """« 1. », then « 2) », then « Q3 : »: each is a question of its own."""
    text = ("Questionnaire aux candidates et candidats aux élections municipales de "
            "Bellerive-sur-Loire\n\nMadame, Monsieur,\nNotre association vous prie de bien "
            "vouloir répondre aux questions suivantes avant le 1er mars.\n\n"
            "1. Vous engagez-vous à réaliser un réseau cyclable continu reliant\n"
            "   tous les quartiers de la ville ?\n"
            "2) Quel budget annuel consacrerez-vous au vélo ?\n"
            "Q3 : Créerez-vous des rues scolaires devant les écoles ?\n\n"
            "Merci de vos réponses, que nous publierons.\n")
    assert texts(text) == [
        (1, "Vous engagez-vous à réaliser un réseau cyclable continu reliant tous les "
            "quartiers de la ville ?"),
        (2, "Quel budget annuel consacrerez-vous au vélo ?"),
        (3, "Créerez-vous des rues scolaires devant les écoles ?")]
    assert [q.line for q in find_questions(text)] == [6, 8, 9]


def test_markdown_numbering_that_changes_style_after_a_heading(tmp_path):
    text = ("# Questionnaire de Roue Libre\n\nMadame, Monsieur,\n\n## Mobilités\n\n"
            "1. Vous engagez-vous à ceci\n   pendant le mandat ?\n2. Et à cela ?\n\n"
            "## Écoles\n\n**Question 3 :** Créerez-vous des rues scolaires ?\n\n"
            "**Question 4 :** Précisez votre calendrier :\n\n- en 2027 ;\n- en 2028.\n"
            "5) Signerez-vous la charte ?\n\nMerci de vos réponses.")
    (tmp_path / "q.md").write_text(text, encoding="utf-8")
    assert texts(read_document(tmp_path / "q.md")) == [
        (1, "Vous engagez-vous à ceci pendant le mandat ?"), (2, "Et à cela ?"),
        (3, "Créerez-vous des rues scolaires ?"),
        (4, "Précisez votre calendrier :\n- en 2027 ;\n- en 2028."),
        (5, "Signerez-vous la charte ?")]


@pytest.mark.parametrize("text, expected", [
    # a number inside a sentence, at the start of a line
    ("1. Première ?\n2. Créerez-vous au moins\n3 - voire 4 - pistes ?",
     "Créerez-vous au moins 3 - voire 4 - pistes ?"),
    ("1. Première ?\n2. Relierez-vous la gare au quartier\n3 – Les Prés ?",
     "Relierez-vous la gare au quartier 3 – Les Prés ?"),
    # a sub-list that goes on counting
    ("1. Première ?\n2. Quel budget pour :\n3) les pistes ;\n4) les arceaux ?",
     "Quel budget pour : 3) les pistes ; 4) les arceaux ?"),
    # an amount, a date
    ("1. Première ?\n2. Quel budget au-delà des\n3 € par habitant ?",
     "Quel budget au-delà des 3 € par habitant ?"),
    ("1. Première ?\n2. Ouvrirez-vous la piste avant le\n3/04/2027 ?",
     "Ouvrirez-vous la piste avant le 3/04/2027 ?"),
])
def test_other_numbers_do_not_change_the_style(text, expected):
    assert texts(text) == [(1, "Première ?"), (2, expected)]


def test_a_sub_list_numbered_another_way_stays_in_its_question():
    text = ("1. Quel budget pour :\n1) Les pistes.\n2) Les arceaux.\n2. Quel calendrier ?\n"
            "3. Quelle concertation ?")
    assert texts(text) == [(1, "Quel budget pour : 1) Les pistes. 2) Les arceaux."),
                           (2, "Quel calendrier ?"), (3, "Quelle concertation ?")]


def test_a_numbered_closing_line_is_not_a_question():
    text = "1. Première ?\n2. Seconde ?\n\n3) Réponses avant le 1er mars, merci."
    assert texts(text) == [(1, "Première ?"), (2, "Seconde ?")]


def test_a_title_line_joins_the_question_after_it():
    assert texts("1. Vélo\n\nVous engagez-vous à ceci ?\n\n2. Bus\nEt cela ?") == [
        (1, "Vélo. Vous engagez-vous à ceci ?"), (2, "Bus. Et cela ?")]


def test_no_numbered_question():
    assert find_questions("Madame, Monsieur,\n\nNous défendons le vélo.\n\nCordialement.") == []


# --- PDF and DOCX, made here ------------------------------------------------------------

def test_pdf_made_with_a_word_processor_like_layout(tmp_path):
    """A PDF made in another process, with the system's fonts (DejaVu), as an association's
    word processor would: numbered list, sub-bullets, introduction and closing."""
    import subprocess
    import sys

    items = "".join(f"<li>{q}</li>" for q in ROUE_LIBRE[:3])
    html = (f"<html lang='fr'><meta charset='utf-8'><body><h1>Questionnaire Roue Libre</h1>"
            f"<p>Madame, Monsieur, merci de répondre à nos questions avant le 1er mars.</p>"
            f"<ol>{items}<li>"
            f"{ROUE_LIBRE[3]}<ul><li>sur les trottoirs ;</li><li>aux carrefours.</li></ul>"
            f"</li></ol><p>Nous publierons vos réponses le 6 mars. Le bureau.</p></body></html>")
    (tmp_path / "q.html").write_text(html, encoding="utf-8")
    subprocess.run([sys.executable, "-c", "import sys, weasyprint; weasyprint.HTML(sys.argv[1])"
                    ".write_pdf(sys.argv[2])", str(tmp_path / "q.html"), str(tmp_path / "q.pdf")],
                   check=True, env={k: v for k, v in __import__("os").environ.items()
                                    if k != "FONTCONFIG_FILE"})
    assert texts(read_document(tmp_path / "q.pdf")) == [
        *enumerate(ROUE_LIBRE[:3], 1),
        (4, ROUE_LIBRE[3] + "\n- sur les trottoirs ;\n- aux carrefours.")]


def test_letter_spaced_pdf_text_is_joined_again():
    """Some PDFs (fonts without width tables) come out of pypdf one letter at a time."""
    from letterkit.questionnaire.documents import unspace

    assert unspace(" 1 .   V o u s   e n g a g e z - v o u s   à   r é a l i s e r   ?") == \
        " 1. Vous engagez-vous à réaliser ?"
    assert unspace("  1. Une vraie ligne, à laisser telle quelle") == \
        "  1. Une vraie ligne, à laisser telle quelle"


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(path: Path, paragraphs: list[str], numbering: str | None = None,
              styles: str | None = None) -> None:
    """A minimal DOCX as Word writes it: document.xml, with numbering and styles parts."""
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'
        + "".join(paragraphs) + "</w:body></w:document>",
    }
    if numbering:
        files["word/numbering.xml"] = f"<w:numbering {W}>{numbering}</w:numbering>"
    if styles:
        files["word/styles.xml"] = f"<w:styles {W}>{styles}</w:styles>"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)


def para(text: str, num: tuple[int, int] | None = None, style: str | None = None) -> str:
    props = ""
    if num:
        props = (f"<w:pPr><w:numPr><w:ilvl w:val='{num[1]}'/><w:numId w:val='{num[0]}'/>"
                 "</w:numPr></w:pPr>")
    elif style:
        props = f"<w:pPr><w:pStyle w:val='{style}'/></w:pPr>"
    runs = "<w:br/>".join(f"<w:r><w:t xml:space='preserve'>{t}</w:t></w:r>"
                          for t in text.split("\n"))
    return f"<w:p>{props}{runs}</w:p>"


NUMBERING = ("<w:abstractNum w:abstractNumId='0'><w:lvl w:ilvl='0'><w:start w:val='1'/>"
             "<w:numFmt w:val='decimal'/></w:lvl><w:lvl w:ilvl='1'><w:numFmt w:val='bullet'/>"
             "</w:lvl></w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>")


def test_docx_with_automatic_numbering(tmp_path):
    """Word numbers the questions itself: the text holds no « 1. »."""
    make_docx(tmp_path / "q.docx", [
        para("Questionnaire de Roue Libre"),
        para("Madame, Monsieur, voici nos questions."),
        para(ROUE_LIBRE[0], (1, 0)),
        para("Quel budget annuel, en euros par habitant,\nconsacrerez-vous aux aménagements "
             "cyclables ?", (1, 0)),
        para("en investissement ;", (1, 1)),
        para("en fonctionnement.", (1, 1)),
        para(ROUE_LIBRE[2], (1, 0)),
        para("Merci de vos réponses."),
    ], NUMBERING)
    assert texts(read_document(tmp_path / "q.docx")) == [
        (1, ROUE_LIBRE[0]),
        (2, ROUE_LIBRE[1] + "\n- en investissement ;\n- en fonctionnement."),
        (3, ROUE_LIBRE[2])]


def test_docx_numbered_by_style_or_by_hand(tmp_path):
    styles = ("<w:style w:styleId='ListNumber'><w:pPr><w:numPr><w:numId w:val='1'/></w:numPr>"
              "</w:pPr></w:style>")
    make_docx(tmp_path / "style.docx", [para("Intro."), para("Première ?", style="ListNumber"),
                                        para("Seconde ?", style="ListNumber")],
              NUMBERING, styles)
    make_docx(tmp_path / "hand.docx", [para("Intro."), para("Q1 : Première ?"),
                                       para("Q2 : Seconde ?"), para("Cordialement.")])
    for name in ("style.docx", "hand.docx"):
        assert texts(read_document(tmp_path / name)) == [(1, "Première ?"), (2, "Seconde ?")]


# --- Documents that cannot be read ----------------------------------------------------------

def error(path: Path) -> str:
    with pytest.raises(LetterkitError) as caught:
        read_document(path)
    return str(caught.value)


def test_unreadable_documents(tmp_path):
    (tmp_path / "vide.txt").write_text(" \n\n")
    assert error(tmp_path / "vide.txt") == (
        f"{tmp_path}/vide.txt: the file is empty — give the document as the association "
        "sent it")
    (tmp_path / "faux.docx").write_text("Ceci n'est pas un document Word.")
    assert error(tmp_path / "faux.docx") == (
        f"{tmp_path}/faux.docx: not a DOCX document (File is not a zip file) — open it in a "
        "word processor and save it as .docx, or give its PDF or its text")
    with zipfile.ZipFile(tmp_path / "autre.docx", "w") as archive:
        archive.writestr("content.xml", "<office/>")
    assert "not a DOCX document (no word/document.xml)" in error(tmp_path / "autre.docx")
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)  # a scan is an image: no text to extract
    writer.write(tmp_path / "scan.pdf")
    assert error(tmp_path / "scan.pdf") == (
        f"{tmp_path}/scan.pdf: this PDF holds no text (a scanned image?) — ask the "
        "association for the text, or copy the questions into a .txt file")
    (tmp_path / "q.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert error(tmp_path / "q.doc") == (
        f"{tmp_path}/q.doc: letterkit does not read Word 97 files — save the document as "
        "DOCX or PDF, or copy its text into a .txt file")
    (tmp_path / "latin1.txt").write_bytes("Question 1 : écoles ?".encode("latin-1"))
    assert error(tmp_path / "latin1.txt") == (
        f"{tmp_path}/latin1.txt, line 1: not UTF-8 text (byte 0xe9) — save the document as "
        "UTF-8 text, or give its PDF")


def test_docx_refuses_xml_entities(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;">]>'
            f'<w:document {W}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body>'
            '</w:document>')
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w") as archive:
        archive.writestr("word/document.xml", bomb)
    assert "not a DOCX document (word/document.xml declares a DTD)" in error(
        tmp_path / "bomb.docx")


# --- Suggestions ----------------------------------------------------------------------------

# Questions of the fictional Bellerive program, each with the measures that answer it (none
# for a budget figure, a charter to sign, or a subject the program does not address).
LABELLED = [
    (ROUE_LIBRE[0], [26]), (ROUE_LIBRE[1], []), (ROUE_LIBRE[2], [21]), (ROUE_LIBRE[3], [22]),
    (ROUE_LIBRE[4], []), (ROUE_LIBRE[5], [30]), (ROUE_LIBRE[6], []),
    ("Encadrerez-vous les loyers ?", [50]),
    ("Quelle part de logements sociaux imposerez-vous dans les programmes neufs ?", [47]),
    ("Les cantines serviront-elles des repas bio ?", [58]),
    ("Mettrez-vous en place un budget participatif ?", [68]),
    ("Quel sera le tarif de la piscine ?", []),
    ("Combien de places en crèche créerez-vous ?", []),
    ("Que pensez-vous du projet immobilier de la Pointe aux Sables ?", [41]),
    ("Allez-vous rénover le gymnase ?", [12]),
    ("Comment soutiendrez-vous les associations sportives et leurs bénévoles ?", []),
    ("Quelle politique culturelle pour les jeunes ?", []),
    ("Augmenterez-vous le nombre d'arceaux de stationnement ?", []),
]


@pytest.fixture(scope="module")
def bellerive():
    return load_project(BELLERIVE)


@pytest.mark.parametrize(("question", "expected"), LABELLED)
def test_suggestions_per_question(bellerive, question, expected):
    confident, _ = suggest_measures(bellerive.program, question)
    assert [s.number for s in confident] == expected


# The clamart fixture campaign (the example program, 8 measures): suggestions only, no
# position is given for the real list.
EXAMPLE_LABELLED = [
    ("Que ferez-vous contre la fracture numérique ?", [89], []),
    ("Créerez-vous des maisons du numérique ?", [89], []),
    ("Combien de médiateurs de rue recruterez-vous ?", [65], []),
    ("Ouvrirez-vous une permanence juridique pour les victimes de discriminations ?", [95], []),
    ("Quelle place pour les personnes âgées ?", [81], [11]),
    ("Quel budget pour le vélo ?", [], []),
    ("Signerez-vous notre charte ?", [], []),
    # One word ties these to a measure: named in a comment, not suggested.
    ("Armerez-vous la police municipale ?", [], [61]),
    ("Installerez-vous des caméras de vidéosurveillance ?", [], [62]),
]


@pytest.mark.parametrize(("question", "expected", "maybe"), EXAMPLE_LABELLED)
def test_suggestions_on_the_example_program(clamart, question, expected, maybe):
    confident, weak = suggest_measures(clamart.program, question)
    assert ([s.number for s in confident], [s.number for s in weak]) == (expected, maybe)


def test_weak_matches_are_only_named(bellerive):
    """« budget » and « habitant » are not enough to suggest the participatory budget for a
    question about cycling money, but the draft names it for the team to judge."""
    confident, maybe = suggest_measures(bellerive.program, ROUE_LIBRE[1])
    assert confident == []
    assert [s.number for s in maybe] == [68, 26]
    assert maybe[0].words == ["budget", "habitant"]


def test_draft_reads_back_as_written(bellerive):
    questions = find_questions(read_document(SAMPLES / "roue-libre.txt"))
    for q in questions:
        q.suggested, q.maybe = suggest_measures(bellerive.program, q.text)
    text = draft(bellerive.program, "Bellerive en commun", "Roue Libre", "roue-libre.txt",
                 questions)
    data = yaml.safe_load(text)
    assert data["assoc"] == "Roue Libre"
    assert data["document"] == "roue-libre.txt"
    assert [(q["number"], q["question"]) for q in data["questions"]] == list(
        enumerate(ROUE_LIBRE, 1))
    assert [q["measures"] for q in data["questions"]] == [[26], [], [21], [22], [], [30], []]
    assert all(q["position"] is None and q["answer"] is None for q in data["questions"])
    assert "    # letterkit suggère (mots en commun) :\n    #   mesure 26, Un réseau cyclable " \
        "continu (réaliser, réseau, cyclable, continu)\n" in text
    assert "    # à voir peut-être :\n    #   mesure 68, Un budget participatif de 300 000 € " \
        "(budget, habitant)\n" in text
    assert text.startswith("# Réponses de la liste « Bellerive en commun » au questionnaire "
                           "de Roue Libre.\n")


# --- letterkit questions' core ------------------------------------------------------------

@pytest.fixture
def campaign_copy(new_campaign):
    return load_project(new_campaign("bellerive"))


def test_write_draft_into_the_answers_folder(campaign_copy):
    from letterkit.questionnaire.draft import write_draft

    drafted = write_draft(campaign_copy, SAMPLES / "roue-libre.txt", "roue libre")
    assert drafted.path == campaign_copy.root / "answers" / "roue-libre.yaml"
    assert drafted.warnings == []
    data = yaml.safe_load(drafted.path.read_text(encoding="utf-8"))
    assert data["assoc"] == "Roue Libre"  # as the registry spells it
    assert len(data["questions"]) == 7
    with pytest.raises(LetterkitError) as caught:
        write_draft(campaign_copy, SAMPLES / "berges-vivantes.md", "Roue Libre")
    assert str(caught.value) == (
        f"{drafted.path} already exists — pass --force to overwrite it (the team's answers in "
        "it are lost), or --out for another file")
    forced = write_draft(campaign_copy, SAMPLES / "berges-vivantes.md", "Roue Libre",
                         force=True)
    assert len(yaml.safe_load(forced.path.read_text(encoding="utf-8"))["questions"]) == 5


def test_write_draft_refuses_a_document_without_questions(campaign_copy, tmp_path):
    from letterkit.questionnaire.draft import write_draft

    letter = tmp_path / "lettre.txt"
    letter.write_text("Madame, Monsieur,\n\nNous défendons le vélo. Soutenez-nous !\n\n"
                      "Le bureau\n", encoding="utf-8")
    with pytest.raises(LetterkitError) as caught:
        write_draft(campaign_copy, letter, "Roue Libre", out=tmp_path / "r.yaml")
    assert str(caught.value) == (
        f"{letter}: no numbered question found — letterkit looks for questions numbered "
        "« 1. », « 1) », « Q1 : » or « Question 1 – » at the start of a line; number them "
        "so in a copy, or write the answers file by hand (docs/questionnaires.md)")
    assert not (tmp_path / "r.yaml").exists()


def test_write_draft_for_an_unregistered_association(campaign_copy, tmp_path):
    from letterkit.questionnaire.draft import write_draft

    drafted = write_draft(campaign_copy, SAMPLES / "roue-libre.txt", "Roue Livre",
                          out=tmp_path / "r.yaml")
    assert [str(w) for w in drafted.warnings] == [
        "associations.yaml: unknown association « Roue Livre » — did you mean Roue Libre? "
        "compose --answers will need its --salutation, or add it to associations.yaml"]
    assert yaml.safe_load(drafted.path.read_text(encoding="utf-8"))["assoc"] == "Roue Livre"


@given(st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl",
                                                                      "Zp")), min_size=1),
                         min_size=1, max_size=30).map(" ".join), min_size=1, max_size=3),
       st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and "\n" not in s))
@settings(max_examples=200, deadline=None)
def test_any_question_text_reads_back_from_the_draft(lines, assoc):
    """Whatever the association wrote (quotes, « # », « : », a leading « - »…), the draft is
    valid YAML holding the very same text."""
    from letterkit.campaign.models import Program
    from letterkit.questionnaire.questions import Question
    from letterkit.text import clean

    text = "\n".join(lines)
    assume(clean(text) == text and clean(assoc) == assoc and assoc)
    program = Program(themes={}, measures=[])
    data = yaml.safe_load(draft(program, "Liste", assoc, "q.txt", [Question(1, text, 1)]))
    assert data["assoc"] == assoc
    assert data["questions"][0]["question"] == text


def test_parts_numbered_from_1_again_are_all_kept(campaign_copy, tmp_path):
    """Many questionnaires number each part's questions from 1: every question is kept,
    numbered in order, and the draft says so."""
    from letterkit.questionnaire.draft import write_draft

    text = ("Questionnaire, créé en 2019.\n\nI. MOBILITÉS\n1. Première ?\n2. Deuxième ?\n"
            "3. Troisième ?\n\nII. LOGEMENT\n1. Quatrième ?\n2. Cinquième :\n1) a ;\n2) b ?\n\n"
            "III. CULTURE\n1. Sixième ?\n\nMerci.")
    found = find_questions(text)
    assert [(q.number, q.original, q.text) for q in found] == [
        (1, 1, "Première ?"), (2, 2, "Deuxième ?"), (3, 3, "Troisième ?"), (4, 1, "Quatrième ?"),
        (5, 2, "Cinquième : 1) a ; 2) b ?"), (6, 1, "Sixième ?")]
    document = tmp_path / "parties.txt"
    document.write_text(text, encoding="utf-8")
    drafted = write_draft(campaign_copy, document, "Roue Libre", out=tmp_path / "r.yaml")
    assert [str(w) for w in drafted.warnings] == [
        f"{document}, line 9: the questionnaire numbers its questions from 1 again in each "
        "part: the answers file numbers them 1 to 6, in order — the letter quotes them with "
        "these numbers; change them in the answers file if the association expects its own"]
    assert "    # numérotée 1 dans sa partie du questionnaire (ligne 9)\n" in \
        drafted.path.read_text(encoding="utf-8")
    # A lone « 1. » before the questions stays out of them.
    assert [q.text for q in find_questions("1. Contexte\n\nIntro.\n\n1. A ?\n2. B ?")] == [
        "A ?", "B ?"]


@given(st.lists(st.one_of(st.sampled_from(["", "1. Une ?", "2) Deux ?", "Q3 : Trois ?",
                                           "- puce", "## Titre", "MERCI BEAUCOUP", "Merci.",
                                           "Question 4", "(précisez)", "a) x", "1.1 sous"]),
                          st.text(max_size=40)), max_size=30).map("\n".join))
@example("1. Une ?\n\x1b")  # a control character alone on the line after a question
@settings(max_examples=300, deadline=None)
def test_any_document_gives_questions_in_order_with_text(text):
    found = find_questions(text)
    assert [q.line for q in found] == sorted({q.line for q in found})
    assert all(q.text and q.text == q.text.strip() for q in found)
    assert len({q.number for q in found}) == len(found)


def make_odt(path: Path, body: str, styles: str = "") -> None:
    """A minimal ODT as LibreOffice writes it: content.xml with its automatic list styles."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                         f"<office:document-content {ns}><office:automatic-styles>{styles}"
                         f"</office:automatic-styles><office:body><office:text>{body}"
                         "</office:text></office:body></office:document-content>")


def test_odt_with_automatic_numbering(tmp_path):
    """LibreOffice numbers the list itself; a list interrupted by a paragraph and continued
    keeps counting; sub-lists are bullets; text:s and line breaks are text."""
    styles = ('<text:list-style style:name="L1" xmlns:style="urn:oasis:names:tc:opendocument:'
              'xmlns:style:1.0"><text:list-level-style-number text:level="1"/>'
              '<text:list-level-style-bullet text:level="2"/></text:list-style>')

    def item(text: str, sub: str = "") -> str:
        return f"<text:list-item><text:p>{text}</text:p>{sub}</text:list-item>"

    body = (
        "<text:h>Questionnaire de Roue Libre</text:h><text:p>Madame, Monsieur,</text:p>"
        f'<text:list text:style-name="L1">{item(ROUE_LIBRE[0])}'
        + item("Quel budget annuel, en euros par habitant,<text:line-break/>consacrerez-vous"
               "<text:s/>aux aménagements cyclables ?",
               '<text:list><text:list-item><text:p>en investissement ;</text:p>'
               "</text:list-item><text:list-item><text:p>en fonctionnement.</text:p>"
               "</text:list-item></text:list>")
        + "</text:list><text:p>Sur les écoles :</text:p>"
        f'<text:list text:style-name="L1" text:continue-numbering="true">{item(ROUE_LIBRE[2])}'
        "</text:list><text:p>Merci de vos réponses.</text:p>")
    make_odt(tmp_path / "q.odt", body, styles)
    assert texts(read_document(tmp_path / "q.odt")) == [
        (1, ROUE_LIBRE[0]),
        (2, ROUE_LIBRE[1] + "\n- en investissement ;\n- en fonctionnement."),
        (3, ROUE_LIBRE[2])]
    (tmp_path / "faux.odt").write_text("pas un zip")
    assert error(tmp_path / "faux.odt") == (
        f"{tmp_path}/faux.odt: not an ODT document (File is not a zip file) — open it in a "
        "word processor and save it as .odt or .docx, or give its PDF or its text")


def test_a_byte_swapped_bom_in_the_questionnaire_leaves_a_readable_draft():
    """U+FFFE (a byte-order mark read the wrong way round) is no character YAML can hold:
    found by the property test above, it is cleaned like the control characters."""
    from letterkit.campaign.models import Program

    questions = find_questions("\ufeffIntro.\n\n1. Quel budget\ufffe pour le vélo ?\n")
    drafted = draft(Program(themes={}, measures=[]), "Liste", "Roue Libre", "q.txt", questions)
    assert yaml.safe_load(drafted)["questions"][0]["question"] == "Quel budget pour le vélo ?"
