"""The printed letter: optional blocks, window envelope, line breaking, page numbers, PDF/A,
reproducible bytes. Synthetic campaign data only (« Camille Exemple », « 1 rue de l'Exemple »)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from letterkit.build import Request, compose
from letterkit.data import load_project

from .conftest import build_campaign, edit

MM = 72 / 25.4
PAGE_HEIGHT = 841.89
# A word hyphenated at a line's end: its second part starts the next line in lower case (other
# lines may follow in extraction order, such as the letterhead drawn after the body).
SPLIT = re.compile(r"(\S+)[-\u2010\u00ad]\n([a-zà-ÿ·]\S*)")

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" '
        'height="40" fill="#c0392b"/></svg>')
# A 1×1 transparent PNG.
SIGNATURE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b40000000049454e44ae426082")


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Path:
    """The example campaign with every optional block: letterhead, sender, recipient address,
    subject, signatories, signature image, enclosures."""
    root = build_campaign("clamart", tmp_path_factory.mktemp("full") / "c")
    (root / "assets").mkdir()
    (root / "assets" / "logo.svg").write_text(LOGO, encoding="utf-8")
    (root / "assets" / "signature.png").write_bytes(SIGNATURE)
    with (root / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write(
            "letterhead:\n  logo: assets/logo.svg\n"
            "sender:\n  - Liste d'exemple\n  - 1 rue de l'Exemple\n  - 92140 Clamart\n"
            "signatories:\n  - name: Camille Exemple\n    role: tête de liste\n"
            "  - name: Dominique Test\n    role: mandataire\n"
            "signature_image: assets/signature.png\n"
            "enclosures: [programme complet, calendrier]\n")
    edit(root / "associations.yaml", "    local: true\n",
         "    local: true\n    subject: réponse à votre plaidoyer\n"
         "    address:\n      - 10 avenue de Test\n      - 92140 Clamart\n")
    return root


def make(root: Path, themes: list[str], out: Path, **options) -> dict[str, Path]:
    result = compose(load_project(root), Request("ARPE", themes, dt.date(2026, 3, 1), out,
                                                 **options))
    return {p.suffix: p for p in result.paths}


def pages_text(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def positions(pdf: Path, page: int = 0) -> dict[str, tuple[float, float]]:
    """Each text run's (x from the left, baseline from the top), in millimetres."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.setdefault(text.strip(), (x / MM, (PAGE_HEIGHT - y) / MM))
            if x / MM > 100:  # the recipient's lines win over the same words elsewhere
                found[text.strip()] = (x / MM, (PAGE_HEIGHT - y) / MM)

    PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return found


@pytest.fixture(scope="module")
def full_letter(full, tmp_path_factory) -> dict[str, Path]:
    return make(full, ["mediation"], tmp_path_factory.mktemp("out"))


def test_optional_blocks_in_the_markdown(full_letter) -> None:
    text = full_letter[".md"].read_text(encoding="utf-8")
    blocks = text.strip().split("\n\n")
    assert blocks[1] == "Objet\u00a0: réponse à votre plaidoyer"
    assert blocks[2] == "Madame la Présidente,"
    assert blocks[-5:] == ["La liste Clamart à gauche\u202f!", "Camille Exemple, tête de liste",
                           "Dominique Test, mandataire", "Clamart, le 1er\u00a0mars\u00a02026",
                           "P.J.\u00a0: programme complet et calendrier"]


def test_optional_blocks_in_the_pdf(full_letter) -> None:
    first, *_, last = pages_text(full_letter[".pdf"])
    for line in ("Clamart à gauche\u202f!", "clamartagauche.fr", "Liste d’exemple",
                 "1\u00a0rue de l’Exemple", "ARPE", "10\u00a0avenue de Test",
                 "Objet\u00a0: réponse à votre plaidoyer"):
        assert line in first
    for line in ("Camille Exemple, tête de liste", "Dominique Test, mandataire",
                 "P.J.\u00a0: programme complet et calendrier"):
        assert line in last
    images = [name for page in PdfReader(full_letter[".pdf"]).pages
              for name in page.images]
    assert len(images) >= 1  # the signature (the SVG logo is drawn as vectors)


def test_recipient_sits_in_the_dl_window(full_letter) -> None:
    where = positions(full_letter[".pdf"])
    x, top = where["ARPE"]
    assert 109 <= x <= 111, x           # left edge about 110 mm from the sheet's left
    assert 50 <= top <= 57, top         # first baseline just under 50 mm from the top
    x2, below = where["10\u00a0avenue de Test"]
    assert abs(x2 - x) < 0.5 and 3 < below - top < 7
    sender_x, _ = where["1\u00a0rue de l’Exemple"]
    assert sender_x < 30


def test_objet_is_outside_the_window(full_letter) -> None:
    _, top = positions(full_letter[".pdf"])["Objet\u00a0: réponse à votre plaidoyer"]
    assert top > 100


def test_fold_marks_only_with_a_postal_address(full, campaign, tmp_path) -> None:
    html = make(full, ["numerique"], tmp_path, formats=("html",))[".html"]
    assert html.read_text(encoding="utf-8").count('<div class="fold fold-') == 2
    bare = make(campaign, ["numerique"], tmp_path / "bare", formats=("html",))[".html"]
    assert 'class="fold' not in bare.read_text(encoding="utf-8")


def test_closing_signature_and_date_share_a_page(full_letter) -> None:
    pages = pages_text(full_letter[".pdf"])
    together = [i for i, text in enumerate(pages)
                if "Fraternellement," in text and "Camille Exemple" in text
                and "Clamart, le 1er\u00a0mars\u00a02026" in text]
    assert together == [len(pages) - 1]


def test_page_numbers_only_when_there_are_several_pages(full_letter, campaign, tmp_path):
    pages = pages_text(full_letter[".pdf"])
    assert len(pages) == 2
    assert [text.rstrip().splitlines()[-1] for text in pages] == ["1/2", "2/2"]
    single = pages_text(make(campaign, ["numerique"], tmp_path)[".pdf"])
    assert len(single) == 1
    assert not re.search(r"\b1/1\b", single[0])


def split_words(pdf: Path) -> list[str]:
    """The words that line breaking hyphenated, joined again."""
    return [a + b for text in pages_text(pdf) for a, b in SPLIT.findall(text)]


PROTECTED = re.compile(r"Clamart|gauche|ARPE|Fédération|Camille|Exemple|Dominique|mesure|·|"
                       r"clamartagauche|Présidente|Fraternellement|\d")


@pytest.mark.parametrize("themes", [["mediation"], ["numerique", "tranquillite"]])
def test_hyphenation_never_splits_protected_words(full, tmp_path, themes) -> None:
    splits = split_words(make(full, themes, tmp_path)[".pdf"])
    assert splits, "the letter should hyphenate some words (French hyphenation is on)"
    assert [w for w in splits if PROTECTED.search(w)] == []


def test_a_proper_name_would_hyphenate_without_its_guard(tmp_path) -> None:
    """The guard is what protects names: the same long name, unguarded, is hyphenated."""
    from letterkit.pdf import PdfWriter

    css = tmp_path / "narrow.css"
    css.write_text("@page { size: 60mm 200mm; margin: 5mm } "
                   "p { hyphens: auto; text-align: justify } .keep { hyphens: manual }")
    writer = PdfWriter(css, [tmp_path])
    name = "Interassociativité"
    text = ("Nous écrivons à " + name + " ") * 6
    guarded = text.replace(name, f'<span class="keep">{name}</span>')
    for body, expect_split in ((text, True), (guarded, False)):
        pdf = tmp_path / "t.pdf"
        pdf.write_bytes(writer.write(f'<html lang="fr"><p>{body}</p></html>', tmp_path)[0])
        assert (name in split_words(pdf)) is expect_split


def test_same_bytes_from_two_processes(campaign, tmp_path) -> None:
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "letterkit", "compose", "--assoc", "ARPE",
                        "--themes", "mediation", "--date", "2026-03-01", "--out", str(out),
                        "--project", str(campaign)], check=True, capture_output=True)
        outputs.append((out / "2026-03-01-arpe-mediation.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def test_pdfa(full, tmp_path) -> None:
    reader = PdfReader(make(full, ["mediation"], tmp_path, pdfa=True)[".pdf"])
    root = reader.trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "<xmp:CreateDate>2026-03-01" in xmp
