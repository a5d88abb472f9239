"""The letter as DOCX and ODT: opened with reader libraries (python-docx, odfpy), their text
compared with the Markdown letter, bold measure numbers, A4, the font, the head and the
signature. Synthetic data for the optional blocks (« Camille Exemple », « 10 avenue de Test »)."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from odf import teletype
from odf.opendocument import load
from odf.style import PageLayoutProperties, Style, TextProperties
from odf.table import TableCell
from odf.text import P, Span

from letterkit.campaign.project import load_project
from letterkit.errors import LetterkitError
from letterkit.formats import office, office_docx, office_odt
from letterkit.formats.registry import page_metadata
from letterkit.pipeline.build import Request, prepare

from .conftest import build_campaign

DATE = dt.date(2026, 3, 1)
DRAWING = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing"


def make_full(root: Path) -> Path:
    """The example campaign with a PNG logo, a sender, a recipient address, a subject,
    signatories, a signature image and enclosures."""
    from PIL import Image

    build_campaign("clamart", root)
    (root / "assets").mkdir()
    Image.new("RGB", (240, 80), "#c0392b").save(root / "assets" / "logo.png", dpi=(150, 150))
    Image.new("RGB", (300, 100), "#223366").save(root / "assets" / "signature.png",
                                                 dpi=(200, 200))
    with (root / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write(
            "letterhead:\n  logo: assets/logo.png\n"
            "sender:\n  - Liste d'exemple\n  - 1 rue de l'Exemple\n  - 92140 Clamart\n"
            "signatories:\n  - name: Camille Exemple\n    role: tête de liste\n"
            "signature_image: assets/signature.png\n"
            "enclosures: [programme complet]\n")
    text = (root / "associations.yaml").read_text(encoding="utf-8")
    (root / "associations.yaml").write_text(text.replace(
        "    local: true\n", "    local: true\n    subject: réponse à votre plaidoyer\n"
        "    address:\n      - 10 avenue de Test\n      - 92140 Clamart\n", 1), encoding="utf-8")
    return root


def documents(root: Path) -> tuple[str, office.Content]:
    """The Markdown letter and the document content of the ARPE letter of `root`."""
    project = load_project(root)
    prepared = prepare(project, Request("ARPE", ["mediation"], DATE))
    letter = prepared.letter
    metadata = page_metadata(project, letter, letter.context["measures"], DATE,
                             prepared.association.document)
    return letter.markdown, office.content(letter, root, metadata)


@pytest.fixture(scope="module")
def arpe(tmp_path_factory) -> tuple[str, bytes, bytes]:
    root = build_campaign("clamart", tmp_path_factory.mktemp("arpe"))
    markdown, content = documents(root)
    return markdown, office_docx.docx_bytes(content), office_odt.odt_bytes(content)


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> tuple[office.Content, bytes, bytes]:
    _, content = documents(make_full(tmp_path_factory.mktemp("full")))
    return content, office_docx.docx_bytes(content), office_odt.odt_bytes(content)


def plain(markdown: str) -> list[str]:
    """The Markdown letter's paragraphs as a reader shows them: no emphasis marks."""
    return [p.replace("**", "").replace("*", "") for p in markdown.strip().split("\n\n")]


def spaced(texts: list[str]) -> list[str]:
    """Texts with their no-break spaces as plain spaces, to compare with data."""
    return [" ".join(t.split()) for t in texts]


def unbroken(texts: list[str]) -> list[str]:
    """Texts as read, whatever no-break characters guard their names (U+2011, U+00A0)."""
    return [t.replace("\u2011", "-").replace("\u00a0", " ").replace("\u202f", " ")
            for t in texts]


def bold_pieces(markdown: str) -> list[str]:
    return re.findall(r"\*\*(.+?)\*\*", markdown)


def odt_paragraphs(document) -> list:
    return [p for p in document.text.getElementsByType(P)]


# --- DOCX ----------------------------------------------------------------------------------

def test_docx_has_the_letters_paragraphs(arpe) -> None:
    markdown, docx_data, _ = arpe
    document = Document(io.BytesIO(docx_data))
    assert unbroken([p.text for p in document.paragraphs if p.text]) == unbroken(plain(markdown))


def test_docx_sets_measure_numbers_in_bold_and_titles_in_italics(arpe) -> None:
    markdown, docx_data, _ = arpe
    document = Document(io.BytesIO(docx_data))
    body = [p for p in document.paragraphs if p.text][2:]  # after the title and salutation
    bold = [run.text for p in body for run in p.runs if run.bold]
    assert bold == bold_pieces(markdown)
    signature = next(p for p in document.paragraphs if p.style.name == "Letter signature")
    assert unbroken([signature.text]) == ["La liste Clamart à gauche !"]
    assert signature.style.font.bold  # as the PDF
    assert "mesure\u00a089" in bold and "mesure\u00a065" in bold
    italic = [run.text for p in body for run in p.runs if run.italic]
    assert italic[0] == "plaidoyer pour le développement de la médiation sociale dans les " \
        "politiques municipales"
    title = document.paragraphs[0]
    assert title.style.name == "Letter title" and title.style.font.bold
    date = next(p for p in document.paragraphs if p.text.startswith("Clamart, le"))
    assert [(r.text, bool(r.font.superscript)) for r in date.runs] == [
        ("Clamart", False), (", le 1", False), ("er", True), ("\u00a0mars\u00a02026", False)]
    assert date.runs[0].style.name == "No hyphenation"  # the commune, never hyphenated


def test_docx_is_a4_in_charis_sil_and_in_french(arpe) -> None:
    markdown, docx_data, _ = arpe
    document = Document(io.BytesIO(docx_data))
    section = document.sections[0]
    assert [round(length.mm, 1) for length in (
        section.page_width, section.page_height, section.top_margin, section.right_margin,
        section.bottom_margin, section.left_margin)] == [210, 297, 25, 20, 22, 25]
    assert document.styles["Normal"].font.name == "Charis SIL"
    properties = document.core_properties
    assert properties.language == "fr-FR"
    assert properties.title == spaced(plain(markdown))[0]
    assert properties.author == "Clamart à gauche !"
    assert properties.keywords.startswith("mesure 89, mesure 11")
    styles = zipfile.ZipFile(io.BytesIO(docx_data)).read("word/styles.xml").decode()
    assert '<w:lang w:val="fr-FR"' in styles and 'w:val="en-US"' not in styles


def test_docx_head_window_and_signature(full) -> None:
    content, docx_data, _ = full
    document = Document(io.BytesIO(docx_data))
    head, window = document.tables[0].rows[0].cells
    assert spaced([p.text for p in head.paragraphs if p.text]) == [
        "Clamart à gauche !", "clamartagauche.fr", "Liste d’exemple", "1 rue de l’Exemple",
        "92140 Clamart"]
    assert spaced([p.text for p in window.paragraphs]) == [
        "ARPE", "10 avenue de Test", "92140 Clamart"]
    # The window starts 110 mm from the sheet's left edge (25 mm margin + an 85 mm column)
    # and 50 mm from its top (25 mm margin + 25 mm before the first line).
    assert round(document.tables[0].columns[0].width.mm) == 85
    assert round(window.paragraphs[0].paragraph_format.space_before.mm) == 25
    # One signatory signs on the right half of the page, with room to sign above the name.
    texts = unbroken([p.text for p in document.paragraphs])
    name = texts.index("Camille Exemple")
    assert texts[name + 1] == "tête de liste"
    assert texts[name - 2] == "La liste Clamart à gauche !"
    room = document.paragraphs[name - 1]
    assert room.text == "" and len(room._element.findall(".//" + DRAWING)) == 1  # signature
    for paragraph in document.paragraphs[name - 2:name + 3]:  # and the date
        assert paragraph.style.name in ("Letter signature", "Room with signature", "Signatory",
                                        "Signatory role", "Letter date"), paragraph.style.name
    indents = {round(document.styles[name].paragraph_format.left_indent.mm, 1) for name in (
        "Letter signature", "Room with signature", "Signatory", "Letter date")}
    assert indents == {office.SIGNATURE_INDENT}
    assert len(document.inline_shapes) == 2  # the logo and the signature
    assert spaced([p.text for p in document.paragraphs if p.text.startswith("Objet")]) == [
        "Objet : réponse à votre plaidoyer"]
    assert content.left_out == []


def test_docx_takes_png_only_and_says_what_it_leaves_out(tmp_path) -> None:
    root = make_full(tmp_path)
    (root / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"/>', encoding="utf-8")
    text = (root / "campaign.yaml").read_text(encoding="utf-8")
    (root / "campaign.yaml").write_text(text.replace("logo.png", "logo.svg"), encoding="utf-8")
    _, content = documents(root)
    document = Document(io.BytesIO(office_docx.docx_bytes(content)))
    assert len(document.inline_shapes) == 1
    assert content.left_out == [
        "the image logo.svg (a Word document takes PNG or JPEG images)"]
    # The ODT shows the SVG logo, at its own size (120 × 40 px).
    odt = load(io.BytesIO(office_odt.odt_bytes(content)))
    assert "Pictures/" in "".join(odt.Pictures) and any(
        name.endswith(".svg") for name in odt.Pictures)


# --- ODT -----------------------------------------------------------------------------------

def test_odt_has_the_letters_paragraphs(arpe) -> None:
    markdown, _, odt_data = arpe
    document = load(io.BytesIO(odt_data))
    texts = [teletype.extractText(p) for p in odt_paragraphs(document)]
    assert unbroken([t for t in texts if t]) == unbroken(plain(markdown))


def test_odt_sets_measure_numbers_in_bold(arpe) -> None:
    markdown, _, odt_data = arpe
    document = load(io.BytesIO(odt_data))
    bold_styles = {s.getAttribute("name") for s in document.automaticstyles.getElementsByType(
        Style) for t in s.getElementsByType(TextProperties) if t.getAttribute("fontweight")
        == "bold"}
    bold = [teletype.extractText(span) for p in odt_paragraphs(document)[2:]
            for span in p.getElementsByType(Span) if span.getAttribute("stylename")
            in bold_styles]
    assert bold == bold_pieces(markdown)


def test_odt_is_a4_in_charis_sil_and_in_french(arpe) -> None:
    markdown, _, odt_data = arpe
    document = load(io.BytesIO(odt_data))
    layout = document.automaticstyles.getElementsByType(PageLayoutProperties)[0]
    assert (layout.getAttribute("pagewidth"), layout.getAttribute("pageheight")) == (
        "210mm", "297mm")
    standard = next(s for s in document.styles.getElementsByType(Style)
                if s.getAttribute("name") == "Standard")
    text = standard.getElementsByType(TextProperties)[0]
    assert (text.getAttribute("fontname"), text.getAttribute("language"),
            text.getAttribute("country"), text.getAttribute("hyphenate")) == (
        "Charis SIL", "fr", "FR", "false")  # no page may end on a hyphen: none at all
    xml = zipfile.ZipFile(io.BytesIO(odt_data)).read("meta.xml").decode()
    assert f"<dc:title>{spaced(plain(markdown))[0]}</dc:title>" in xml
    assert "<dc:language>fr-FR</dc:language>" in xml
    assert "<meta:creation-date>2026-03-01T12:00:00</meta:creation-date>" in xml


def test_odt_head_window_and_signature(full) -> None:
    _, _, odt_data = full
    document = load(io.BytesIO(odt_data))
    head, window = document.text.getElementsByType(TableCell)
    assert spaced([teletype.extractText(p) for p in window.getElementsByType(P)]) == [
        "ARPE", "10 avenue de Test", "92140 Clamart"]
    assert "Liste d’exemple" in spaced([teletype.extractText(p)
                                        for p in head.getElementsByType(P)])
    assert len(document.Pictures) == 2
    texts = spaced([teletype.extractText(p) for p in odt_paragraphs(document)])
    assert texts[texts.index("Camille Exemple") + 1] == "tête de liste"
    assert "P.J. : programme complet" in texts


# --- Both ----------------------------------------------------------------------------------

def test_two_signatories_sign_side_by_side(tmp_path) -> None:
    root = make_full(tmp_path)
    text = (root / "campaign.yaml").read_text(encoding="utf-8")
    (root / "campaign.yaml").write_text(text.replace(
        "    role: tête de liste\n", "    role: tête de liste\n  - name: Dominique Test\n"
        "    role: mandataire\n"), encoding="utf-8")
    _, content = documents(root)
    docx = Document(io.BytesIO(office_docx.docx_bytes(content)))
    signers = docx.tables[-1]
    assert [[c.text for c in row.cells] for row in signers.rows] == [
        ["", ""], ["Camille Exemple\ntête de liste", "Dominique Test\nmandataire"]]
    assert len(signers.rows[0].cells[0]._element.findall(".//" + DRAWING)) == 1
    odt = load(io.BytesIO(office_odt.odt_bytes(content)))
    cells = odt.text.getElementsByType(TableCell)[-2:]
    assert [[teletype.extractText(p) for p in c.getElementsByType(P)] for c in cells] == [
        ["Camille Exemple", "tête de liste"], ["Dominique Test", "mandataire"]]


def test_same_letter_same_bytes(tmp_path) -> None:
    root = make_full(tmp_path)
    _, first = documents(root)
    _, second = documents(root)
    assert office_docx.docx_bytes(first) == office_docx.docx_bytes(second)
    assert office_odt.odt_bytes(first) == office_odt.odt_bytes(second)
    odt = zipfile.ZipFile(io.BytesIO(office_odt.odt_bytes(first)))
    assert odt.infolist()[0].filename == "mimetype"
    assert odt.infolist()[0].compress_type == zipfile.ZIP_STORED


def test_odt_bytes_do_not_depend_on_what_the_process_made_before(tmp_path) -> None:
    """odfpy shares one namespace table between every document of a process: a letter's ODT
    made first in a fresh process is the same bytes as one made after others."""
    import subprocess

    root = make_full(tmp_path)
    _, content = documents(root)
    office_odt.odt_bytes(content)
    made_after = office_odt.odt_bytes(content)
    script = ("import sys; from pathlib import Path; from letterkit.formats import office_odt; "
              "from tests.test_office import documents; "
              "sys.stdout.buffer.write(office_odt.odt_bytes(documents(Path(sys.argv[1]))[1]))")
    fresh = subprocess.run([sys.executable, "-c", script, str(root)], cwd=Path(__file__).parents[1],
                           capture_output=True, check=True).stdout
    assert fresh == made_after
    styles = zipfile.ZipFile(io.BytesIO(fresh)).read("styles.xml").decode()
    declared = re.findall(r' xmlns:(\w+)=', styles.split(">", 2)[1])
    assert declared == sorted(declared) and {"office", "style", "fo", "svg"} <= set(declared)


@pytest.mark.parametrize(("module", "convert"), [("docx", office_docx.docx_bytes),
                                                 ("odf.opendocument", office_odt.odt_bytes)])
def test_missing_extra_says_how_to_install_it(arpe, monkeypatch, module, convert) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    package = "python-docx" if module == "docx" else "odfpy"
    with pytest.raises(LetterkitError) as caught:
        convert(office.Content([], None, [], [], {}, None, {}, DATE))
    assert str(caught.value.problem) == (
        f"the DOCX and ODT formats need the Python package {package}, which is not "
        "installed — install letterkit with this extra: pip install 'letterkit[office]'")


def test_long_titles_are_shortened_to_what_a_core_property_holds(tmp_path) -> None:
    """A realistic 173-character document title gives a title property longer than 255
    characters: the DOCX and the ODT are still written, each property cut at a word's end."""
    root = build_campaign("clamart", tmp_path / "c")
    title = ("Plaidoyer pour le développement de la médiation sociale, de l’accès aux droits et "
             "de l’accompagnement des habitantes et habitants des quartiers prioritaires de "
             "Clamart, 2026")
    assert len(title) == 173
    text = (root / "associations.yaml").read_text(encoding="utf-8")
    (root / "associations.yaml").write_text(text.replace(
        "      title: plaidoyer pour le développement de la médiation sociale dans les politiques "
        "municipales\n", f"      title: {title}\n", 1), encoding="utf-8")
    _, content = documents(root)
    assert len(content.metadata["title"]) > 255
    document = Document(io.BytesIO(office_docx.docx_bytes(content)))
    shortened = document.core_properties.title
    assert len(shortened) <= 255 and shortened.endswith("…")
    assert content.metadata["title"].startswith(shortened[:-1])
    assert not shortened[:-1].endswith(" ")
    odt = zipfile.ZipFile(io.BytesIO(office_odt.odt_bytes(content))).read("meta.xml").decode()
    assert f"<dc:title>{shortened}</dc:title>" in odt
