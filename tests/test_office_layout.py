"""The DOCX and the ODT as LibreOffice lays them out (soffice --headless --convert-to pdf, on
this machine, where Charis SIL is not installed), read with pdfplumber and held to the PDF's
rules (tests/test_layout.py): the font travels inside the file, the sign-off keeps its page and
two body lines, names stay whole, no page ends on a hyphen, the header names the list once.
A one-, a two- and a three-page letter, converted by one soffice call. Synthetic data."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from letterkit.campaign.project import load_project
from letterkit.pipeline.build import Request, compose

from .conftest import build_campaign, edit
from .pdfpage import LEFT, MM, RIGHT, Layout, read
from .test_layout import FILLER, LONG_LIST, make, occurrences, variant

HERE = Path(__file__).parent
SIGNER = "Maëlle Kergoat-Fontenelle"
LETTERS = {  # name → (variant options, themes)
    "one": ({"signatories": 1, "address": False, "letterhead": False,
             "presentation": "Les Insoumis·e·s engagé·e·s dans la campagne sont tous·tes "
             "chez Clamart à gauche."},
            ["numerique"]),
    "two": ({"signatories": 2, "image": True, "extra": "enclosures: [programme complet]\n"},
            ["mediation"]),
    "three": ({"signatories": 3, "image": True, "list_name": LONG_LIST,
               "presentation": " ".join(FILLER[:330]) + "."},
              ["mediation", "numerique", "tranquillite"]),
}


def machine() -> dict[str, str]:
    """The environment without letterkit's own font configuration (which pdf.py sets for
    WeasyPrint and which would show LibreOffice the bundled Charis SIL): the machine's fonts."""
    return {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}


def soffice() -> str:
    found = shutil.which("soffice")
    assert found, "LibreOffice is a test dependency: make test-system installs it"
    return found


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Each letter's DOCX and ODT, laid out by LibreOffice into PDFs."""
    root = tmp_path_factory.mktemp("office-layout")
    sources = []
    for name, (options, themes) in LETTERS.items():
        sender = (options.get("list_name", "Clamart à gauche !"), "1 rue de l'Exemple",
                  "92140 Clamart")  # the list named again: the header says it once
        campaign = variant(root / name, sender=sender if options.get("letterhead", True)
                           else (), **options)
        edit(campaign / "campaign.yaml", "  - name: Camille Exemple\n", f"  - name: {SIGNER}\n")
        made = make(campaign, themes, root / name / "out", formats=("docx", "odt", "pdf"))
        for suffix in (".docx", ".odt"):
            target = root / f"{name}-{suffix[1:]}{suffix}"
            shutil.copy(made[suffix], target)
            sources.append(target)
        shutil.copy(made[".pdf"], root / f"{name}-weasyprint.pdf")
    # A questionnaire's answers (Bellerive, fictional): questions quoted before each answer.
    bellerive = build_campaign("bellerive", root / "questions")
    answered = compose(load_project(bellerive), Request(
        "Roue Libre", [], dt.date(2026, 3, 1), bellerive / "out", ("docx", "odt"),
        answers=HERE / "questionnaires" / "roue-libre-answers.yaml")).paths
    for path in answered:
        target = root / f"questions-{path.suffix[1:]}{path.suffix}"
        shutil.copy(path, target)
        sources.append(target)
    profile = (root / "profile").as_uri()
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(root / "pdf"), *map(str, sources)],
                   check=True, capture_output=True, timeout=240, env=machine())
    return {(name, fmt): root / "pdf" / f"{name}-{fmt}.pdf"
            for name in (*LETTERS, "questions") for fmt in ("docx", "odt")}


@pytest.fixture(scope="module")
def layouts(converted) -> dict[tuple[str, str], Layout]:
    return {key: read(pdf) for key, pdf in converted.items()}


CASES = [(name, fmt) for name in LETTERS for fmt in ("docx", "odt")]


def test_the_letters_run_to_one_two_and_three_pages(layouts) -> None:
    pages = {key: layout.pages for key, layout in layouts.items() if key[0] != "questions"}
    assert pages == {(name, fmt): n for (name, fmt), n in zip(
        CASES, (1, 1, 2, 2, 3, 3), strict=True)}, pages


def test_charis_sil_travels_inside_the_file(converted) -> None:
    installed = subprocess.run(["fc-list"], capture_output=True, text=True, check=True,
                               env=machine()).stdout
    assert "charis" not in installed.lower(), "Charis SIL must not be installed for this test"
    for key, pdf in converted.items():
        with pdfplumber.open(pdf) as document:
            fonts = {char["fontname"].partition("+")[2] for page in document.pages
                     for char in page.chars}
        assert fonts and all(font.startswith("CharisSIL") for font in fonts), (key, fonts)
        assert {"CharisSIL", "CharisSIL-Bold"} <= fonts, (key, fonts)


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_the_sign_off_keeps_its_page_and_two_body_lines(layouts, name, fmt) -> None:
    layout = layouts[(name, fmt)]
    closing = layout.one("Fraternellement,")
    signers = [SIGNER, "Dominique Test", "Alix Modèle"][:LETTERS[name][0]["signatories"]]
    sign_off = [closing, layout.find("Clamart à gauche !" if name != "three"
                                     else "Pour la liste")[-1],
                *(layout.one(signer) for signer in signers),
                layout.one("Clamart, le 1er mars 2026")]
    assert {line.page for line in sign_off} == {layout.pages}
    before = [line for line in layout.on(closing.page) if line.top < closing.top]
    assert len(before) >= 2, [line.text for line in before]
    for line in layout.lines:
        assert line.x0 >= LEFT - 0.5 and line.x1 <= RIGHT + 0.5, line
    if name == "two":  # the enclosures never sit alone on a page
        assert layout.one("P.J. : programme complet").page == layout.pages


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_names_stay_whole_and_no_page_ends_on_a_hyphen(layouts, name, fmt) -> None:
    layout = layouts[(name, fmt)]
    list_name = LONG_LIST if name == "three" else "Clamart à gauche"
    for kept in (list_name, SIGNER, "clamartagauche.fr"):
        whole, printed = occurrences(layout, kept)
        assert whole == printed >= 1, (kept, whole, printed)
    for text in ("Insoumis·e·s",) if name != "three" else ():
        assert layout.find(text), text
    for page in range(1, layout.pages):
        last = [line for line in layout.on(page) if not re.fullmatch(r"\d+/\d+", line.text)]
        assert not re.search(r"[-\u2010\u00ad]$", last[-1].text), last[-1]


@pytest.mark.parametrize(("name", "fmt"), CASES[2:])
def test_the_header_names_the_list_once(layouts, name, fmt) -> None:
    layout = layouts[(name, fmt)]
    title = layout.find("Réponse de la liste")[0]
    header = [line.text for line in layout.on(1) if line.top < title.top and line.x0 < 100]
    list_name = LONG_LIST if name == "three" else "Clamart à gauche !"
    assert [line for line in header if "Clamart à gauche" in line or LONG_LIST in line] == [
        list_name], header
    assert "1 rue de l’Exemple" in header


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_each_question_is_kept_with_its_answer_in_italics_with_a_rule(converted, layouts,
                                                                       fmt) -> None:
    layout = layouts[("questions", fmt)]
    assert layout.pages >= 2
    questions = [line for line in layout.lines if re.match(r"\d\. ", line.text)]
    assert [line.text[:2] for line in questions] == ["1.", "2.", "3.", "4.", "5.", "6."]
    with pdfplumber.open(converted[("questions", fmt)]) as document:
        for question in questions:
            page = document.pages[question.page - 1]
            # The question's last line, then its answer's first line, on one page.
            below = [line for line in layout.on(question.page) if line.top > question.top]
            assert below, question
            words = [c for c in page.chars if abs(c["top"] / MM - question.top) < 1.5
                     and c["x0"] / MM > question.x0 + 8]
            assert words and all("Italic" in c["fontname"] for c in words), question
            rules = [r for r in page.rects + page.lines if r["x0"] / MM < question.x0 - 1
                     and r["top"] / MM <= question.top + 1 and r["bottom"] / MM >= question.top]
            assert rules, ("no rule beside the question", question)
