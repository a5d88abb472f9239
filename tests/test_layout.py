"""The printed letter, measured on the PDF itself (tests/pdfpage.py): optional blocks, the
window envelope, the sign-off with room to sign, page breaks, names kept whole, nothing past the
text width, page numbers, PDF/A, reproducible bytes. Synthetic campaign data only (« Camille
Exemple », « 1 rue de l'Exemple »); TYPOGRAPHY.md and docs/printed-letter.md give the rules."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from letterkit.campaign.project import load_project
from letterkit.pipeline.build import Request, compose

from .conftest import REPO, build_campaign, edit
from .pdfpage import LEFT, RIGHT, Layout, read

# A word hyphenated at a line's end: its second part starts the next line in lower case (other
# lines may follow in extraction order, such as the letterhead drawn after the body).
SPLIT = re.compile(r"(\S+)[-\u2010\u00ad]\n([a-zà-ÿ·]\S*)")

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" '
        'height="40" fill="#c0392b"/></svg>')
SIGNERS = (("Camille Exemple", "tête de liste"), ("Dominique Test", "mandataire"),
           ("Alix Modèle", "coordinatrice de la campagne"))
CLOSING = "Fraternellement,"
LONG_LIST = "Vivre Ensemble à Saint-Ouen-sur-Loire"


def scribble(path: Path) -> None:
    """A scanned signature: a blue stroke on a transparent 600 × 200 px PNG."""
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(20, 150), (120, 40), (160, 160), (260, 50), (420, 60),
                                (560, 120)], fill=(20, 30, 120, 255), width=8)
    image.save(path)


def variant(root: Path, *, signatories: int = 0, image: bool = False, letterhead: bool = True,
            sender: tuple[str, ...] = ("Liste d'exemple", "1 rue de l'Exemple", "92140 Clamart"),
            address: bool = True, list_name: str | None = None, presentation: str | None = None,
            extra: str = "") -> Path:
    """The clamart fixture campaign in `root`, with the optional blocks asked for."""
    build_campaign("clamart", root)
    (root / "assets").mkdir(exist_ok=True)
    (root / "assets" / "logo.svg").write_text(LOGO, encoding="utf-8")
    scribble(root / "assets" / "signature.png")
    campaign = root / "campaign.yaml"
    if list_name:
        edit(campaign, "list_name: Clamart à gauche !", f"list_name: {list_name}")
        edit(campaign, "signature: La liste Clamart à gauche !",
             f"signature: Pour la liste {list_name}")
    if presentation is not None:
        text = campaign.read_text(encoding="utf-8")
        start = text.index("presentation: >-\n")
        end = text.index("\n\n", start)
        campaign.write_text(f"{text[:start]}presentation: >-\n  {presentation}{text[end:]}",
                            encoding="utf-8")
    lines = [extra]
    if letterhead:
        lines.append("letterhead:\n  logo: assets/logo.svg\n")
    if sender:
        lines.append("sender:\n" + "".join(f"  - {line}\n" for line in sender))
    if signatories:
        lines.append("signatories:\n" + "".join(f"  - name: {name}\n    role: {role}\n"
                                                 for name, role in SIGNERS[:signatories]))
    if image:
        lines.append("signature_image: assets/signature.png\n")
    with campaign.open("a", encoding="utf-8") as stream:
        stream.write("".join(lines))
    if address:
        edit(root / "associations.yaml", "    local: true\n",
             "    local: true\n    subject: réponse à votre plaidoyer\n"
             "    address:\n      - 10 avenue de Test\n      - 92140 Clamart\n")
    return root


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Path:
    """The example campaign with every optional block: letterhead, sender, recipient address,
    subject, two signatories, signature image, enclosures."""
    return variant(tmp_path_factory.mktemp("full") / "c", signatories=2, image=True,
                   extra="enclosures: [programme complet, calendrier]\n")


def make(root: Path, themes: list[str], out: Path, **options) -> dict[str, Path]:
    result = compose(load_project(root), Request("ARPE", themes, dt.date(2026, 3, 1), out,
                                                 **options))
    return {p.suffix: p for p in result.paths}


def pdf_of(root: Path, themes: list[str], out: Path) -> Layout:
    return read(make(root, themes, out, formats=("pdf",))[".pdf"])


def pages_text(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def full_letter(full, tmp_path_factory) -> dict[str, Path]:
    return make(full, ["mediation"], tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def full_layout(full_letter) -> Layout:
    return read(full_letter[".pdf"])


def test_optional_blocks_in_the_markdown(full_letter) -> None:
    text = full_letter[".md"].read_text(encoding="utf-8")
    blocks = text.strip().split("\n\n")
    assert blocks[1] == "Objet\u00a0: réponse à votre plaidoyer"
    assert blocks[2] == "Madame la Présidente,"
    assert blocks[-5:] == ["La liste Clamart à gauche\u202f!", "Camille Exemple, tête de liste",
                           "Dominique Test, mandataire", "Clamart, le 1er\u00a0mars\u00a02026",
                           "P.J.\u00a0: programme complet et calendrier"]


def test_optional_blocks_in_the_pdf(full_layout) -> None:
    first, last = full_layout.on(1), full_layout.on(full_layout.pages)
    for text in ("Clamart à gauche !", "clamartagauche.fr", "Liste d’exemple",
                 "1 rue de l’Exemple", "ARPE", "10 avenue de Test",
                 "Objet : réponse à votre plaidoyer"):
        assert [line for line in first if line.text == text], text
    texts = [line.text for line in last]
    for text in ("La liste Clamart à gauche !", "Camille Exemple", "tête de liste",
                 "Dominique Test", "mandataire", "P.J. : programme complet et calendrier"):
        assert text in texts, text


# --- The window envelope -------------------------------------------------------------------

def test_recipient_sits_in_the_dl_window(full_layout) -> None:
    window = [line for line in full_layout.on(1) if line.x0 > 100 and line.top < 99]
    assert [line.text for line in window] == ["ARPE", "10 avenue de Test", "92140 Clamart"]
    name = window[0]
    assert 109 <= name.x0 <= 111, name           # about 110 mm from the sheet's left edge
    assert 50 <= name.top <= 55, name            # about 50–55 mm from its top
    for line in window:
        assert abs(line.x0 - name.x0) < 0.5 and line.x1 <= name.x0 + 85
    assert window[-1].bottom < 50 + 45           # within the window's height
    assert full_layout.one("1 rue de l’Exemple").x0 < 30


def test_objet_is_outside_the_window(full_layout) -> None:
    subject = full_layout.one("Objet : réponse à votre plaidoyer")
    assert subject.page == 1 and subject.top > 99  # below the first fold: never in the window


def test_fold_marks_at_a_third_and_two_thirds(full_layout) -> None:
    marks = [rule for rule in full_layout.rules if rule.x1 < LEFT]
    assert [(rule.page, round(rule.top)) for rule in marks] == [(1, 99), (1, 198)]


def test_fold_marks_only_with_a_postal_address(full, campaign, tmp_path) -> None:
    html = make(full, ["numerique"], tmp_path, formats=("html",))[".html"]
    assert html.read_text(encoding="utf-8").count('<div class="fold fold-') == 2
    bare = make(campaign, ["numerique"], tmp_path / "bare", formats=("html",))[".html"]
    assert 'class="fold' not in bare.read_text(encoding="utf-8")


# --- The header ----------------------------------------------------------------------------

def header(layout: Layout) -> list[str]:
    """The first page's lines above the title."""
    title = layout.find("Réponse de la liste")[0]
    return [line.text for line in layout.on(1) if line.top < title.top]


def test_the_header_names_the_list_once(tmp_path) -> None:
    sender = ("Clamart à gauche !", "1 rue de l'Exemple", "92140 Clamart")
    lettered = pdf_of(variant(tmp_path / "a", sender=sender, address=False), ["numerique"],
                      tmp_path / "a")
    assert header(lettered) == ["Clamart à gauche !", "clamartagauche.fr",
                                "1 rue de l’Exemple", "92140 Clamart"]
    plain = pdf_of(variant(tmp_path / "b", sender=sender, address=False, letterhead=False),
                   ["numerique"], tmp_path / "b")
    assert header(plain) == ["Clamart à gauche !", "1 rue de l’Exemple", "92140 Clamart"]


# --- The sign-off --------------------------------------------------------------------------

@pytest.mark.parametrize(("signatories", "image"), [(0, False), (0, True), (1, False), (1, True),
                                                    (2, False), (2, True), (3, True)])
def test_room_to_sign_above_each_name(tmp_path, signatories, image) -> None:
    layout = pdf_of(variant(tmp_path / "c", signatories=signatories, image=image), ["mediation"],
                    tmp_path)
    signature = layout.one("La liste Clamart à gauche !")
    date = layout.one("Clamart, le 1er mars 2026")
    names = [layout.one(name) for name, _ in SIGNERS[:signatories]]
    roles = [layout.one(role) for _, role in SIGNERS[:signatories]]
    sign_off = [layout.one(CLOSING), signature, *names, *roles, date]
    assert {line.page for line in sign_off} == {layout.pages}
    # About 25 mm free to sign between the signature line and each name (or the date).
    for below in names or [date]:
        assert 25 <= below.top - signature.bottom <= 31, below
    # Side by side, on one baseline, each over its role, inside the text width.
    assert len({round(name.top, 1) for name in names}) <= 1
    for name, role in zip(names, roles, strict=True):
        assert abs(role.x0 - name.x0) < 0.5 and 0 < role.top - name.bottom < 3
    columns = sorted(names + roles, key=lambda line: line.x0)
    for left, right in itertools.pairwise(names):
        assert max(line.x1 for line in columns if line.x0 <= left.x0 + 0.5) + 3 < right.x0
    assert all(line.x0 >= LEFT - 0.5 and line.x1 <= RIGHT + 0.5 for line in sign_off)
    # One signatory (or none) on the right half, with the signature line and the date.
    if signatories <= 1:
        assert all(abs(line.x0 - signature.x0) < 0.5 and line.x0 > 100
                   for line in [*names, *roles, date])
    # The scanned signature fills the first room, over the first name.
    scans = [box for box in layout.images if box.page == layout.pages]
    assert len(scans) == int(image)
    for scan in scans:
        first = names[0] if names else date
        assert signature.bottom < scan.top and scan.bottom < first.top, scan
        assert scan.bottom - scan.top > 15 and scan.x0 >= first.x0 - 0.5
        assert scan.x1 < (names[1].x0 if len(names) > 1 else RIGHT + 0.5)


def test_signature_line_wraps_without_breaking_the_list_name(tmp_path) -> None:
    layout = pdf_of(variant(tmp_path / "c", signatories=1, list_name=LONG_LIST), ["mediation"],
                    tmp_path)
    closing = layout.one(CLOSING)
    name = layout.one("Camille Exemple")
    signature = [line.text for line in layout.on(name.page)
                 if closing.bottom < line.top < name.top]
    assert signature == ["Pour la liste", LONG_LIST]


# --- Page breaks ---------------------------------------------------------------------------

FILLER = ("Nous tenons aussi à vous dire combien le travail associatif compte pour nous tous. "
          * 40).split()


@pytest.fixture(scope="module")
def lengths(tmp_path_factory) -> list[Layout]:
    """The same letter with a presentation of 0 to 330 words: its sign-off lands at every
    height of the page, and past its end."""
    root = tmp_path_factory.mktemp("lengths")
    layouts = []
    for words in range(0, 331, 30):
        campaign = variant(root / str(words), signatories=1, letterhead=False, sender=(),
                           address=False, presentation=" ".join(FILLER[:words]) + ".")
        layouts.append(pdf_of(campaign, ["numerique"], root / str(words)))
    return layouts


def test_the_sign_off_is_never_split_nor_opens_a_page(lengths) -> None:
    for layout in lengths:
        closing = layout.one(CLOSING)
        sign_off = [closing, layout.one("La liste Clamart à gauche !"),
                    layout.one("Camille Exemple"), layout.one("tête de liste"),
                    layout.one("Clamart, le 1er mars 2026")]
        assert {line.page for line in sign_off} == {layout.pages}
        before = [line for line in layout.on(closing.page) if line.top < closing.top]
        assert len(before) >= 2, [line.text for line in before]
    assert {layout.pages for layout in lengths} == {1, 2}, "the sweep crosses a page break"
    carried = [layout for layout in lengths if layout.pages == 2
               and layout.on(2)[0].top < layout.one(CLOSING).top]
    assert carried, "some letter carries lines of the body over with its sign-off"


@pytest.fixture(scope="module")
def breaks(tmp_path_factory) -> list[Layout]:
    """A two-page letter with a presentation of 0 to 96 words, by steps shorter than a line:
    the page break falls at every line of a paragraph."""
    root = tmp_path_factory.mktemp("breaks")
    layouts = []
    for words in range(0, 97, 8):
        campaign = variant(root / str(words), letterhead=False, sender=(), address=False,
                           presentation=" ".join(FILLER[:words]) + ".")
        layouts.append(pdf_of(campaign, ["mediation"], root / str(words)))
    return layouts


def blocks(lines: list) -> list[list]:
    """A page's lines grouped in paragraphs: a gap wider than a line's starts another."""
    groups: list[list] = []
    for line in lines:
        if groups and line.top - groups[-1][-1].top < 1.2 * (line.bottom - line.top) + 2.5:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def test_no_widow_nor_orphan(breaks) -> None:
    splits = 0
    for layout in breaks:
        for page in range(1, layout.pages):
            body = [line for line in layout.on(page) if not re.fullmatch(r"\d+/\d+", line.text)]
            last = body[-1]
            if last.x1 < RIGHT - 1:
                continue  # a short last line: the paragraph ends on this page
            splits += 1
            assert len(blocks(body)[-1]) >= 2, last          # no orphan
            assert len(blocks(layout.on(page + 1))[0]) >= 2  # no widow
    assert splits, "some paragraph runs across a page break"


def test_a_letter_that_nearly_fits_one_page_holds_on_one(lengths) -> None:
    """A letter is on two pages only when its second page holds clearly more than what the
    first has left free: closer than that, it is set tighter, on one page."""
    for layout in (layout for layout in lengths if layout.pages == 2):
        free = 275 - layout.on(1)[-2].bottom  # the last line is the page number « 1/2 »
        second = [line for line in layout.on(2) if line.text != "2/2"]
        assert second[-1].bottom - second[0].top > free + 15
    # Some one-page letter of the sweep is set tighter (line spacing 1.3 instead of 1.4).
    def pitch(layout: Layout) -> float:
        lines = layout.on(1)
        return min(b.top - a.top for a, b in itertools.pairwise(lines) if b.top - a.top > 3)

    assert [pitch(layout) < 5.2 for layout in lengths if layout.pages == 1].count(True) >= 1


# --- Names kept whole, nothing past the text width -----------------------------------------

def occurrences(layout: Layout, name: str) -> tuple[int, int]:
    """How often `name` is printed whole on a line, and how often at all (across lines)."""
    text = "\n".join(line.text.replace("\u00a0", " ") for line in layout.lines)
    joined = re.sub(r"-\n", "-", text).replace("\n", " ")
    return text.count(name), joined.count(name)


def test_names_are_never_broken_across_lines(tmp_path) -> None:
    layout = pdf_of(variant(tmp_path / "c", signatories=3, list_name=LONG_LIST), ["mediation"],
                    tmp_path)
    whole, printed = occurrences(layout, LONG_LIST)
    assert whole == printed >= 4


def test_which_names_are_kept_whole() -> None:
    """The list, the commune and the association are kept whole; a partner's long name or a
    signatory's is only never hyphenated (it may wrap at its spaces, in a narrow column)."""
    from letterkit.letter.blockhtml import block_html, keep_pattern

    names = ["Clamart à gauche !", "Clamart", "ARPE", "l'Union des syndicats du Loiret",
             "Camille Exemple", LONG_LIST]
    whole = frozenset({"Clamart à gauche !", "Clamart", "ARPE", LONG_LIST})
    html = block_html("La liste Clamart à gauche\u202f! de Clamart écrit à ARPE, adhérente de "
                      f"l’Union des syndicats du Loiret. Camille Exemple, {LONG_LIST}",
                      keep_pattern(names), whole)
    assert html == (
        '<p>La liste <span class="keep whole">Clamart à gauche\u202f!</span> de '
        '<span class="keep whole">Clamart</span> écrit à <span class="keep whole">ARPE</span>, '
        'adhérente de <span class="keep">l’Union des syndicats du Loiret</span>. '
        '<span class="keep">Camille Exemple</span>, '
        f'<span class="keep whole long">{LONG_LIST}</span></p>\n')


def test_a_name_is_kept_whole_by_its_guard(tmp_path) -> None:
    """The guard is what keeps a name whole: the same name, unguarded, breaks at its spaces
    or hyphens; guarded, it never does, and one longer than the line still stays inside it."""
    from letterkit.formats.pdf import PdfWriter

    writer = PdfWriter(REPO / "templates" / "letters" / "letter.css", [tmp_path])
    long_name = "Association des habitantes et habitants de Saint-Ouen-sur-Loire-les-Bains"
    for name, guard, breaks in (("Bellerive-sur-Loire en commun", "", True),
                                ("Bellerive-sur-Loire en commun", "keep whole", False),
                                (LONG_LIST, "", True), (LONG_LIST, "keep whole long", False),
                                (long_name, "keep whole long", True)):
        shown = f'<span class="{guard}">{name}</span>' if guard else name
        text = " ".join(f"Nous écrivons{' à la' * i} liste {shown}." for i in range(12))
        pdf = tmp_path / "t.pdf"
        pdf.write_bytes(writer.write(
            '<html lang="fr"><style>@page { size: 100mm 300mm; margin: 10mm }</style>'
            f"<p>{text}</p></html>", tmp_path)[0])
        layout = read(pdf)
        whole, printed = occurrences(layout, name)
        assert (whole < 12) is breaks, (name, guard)
        assert printed == 12 or not guard  # unguarded, a name may also be hyphenated
        assert max(line.x1 for line in layout.lines) <= 90.5


def test_nothing_passes_the_right_margin(tmp_path) -> None:
    long_sender = ("Association de soutien à la liste Vivre Ensemble à Saint-Ouen-sur-Loire et "
                   "à ses candidates et candidats aux élections municipales")
    root = variant(tmp_path / "c", signatories=3, image=True, list_name=LONG_LIST,
                   sender=(long_sender, "Bâtiment B, escalier 4, 1 rue de l'Exemple-Très-Long",
                           "92140 Clamart"),
                   extra="enclosures: [programme complet]\n")
    edit(root / "campaign.yaml", "website: clamartagauche.fr",
         "website: vivre-ensemble-a-saint-ouen-sur-loire.example/programme-municipal-2026")
    edit(root / "campaign.yaml", "  - name: Alix Modèle\n",
         "  - name: Marie-Dominique de La Tour-Exemple-Fictive\n")
    edit(root / "associations.yaml", "    name: ARPE\n",
         "    name: Association pour le rayonnement des politiques éducatives et sociales\n")
    layout = pdf_of(root, ["mediation"], tmp_path)
    for line in layout.lines:
        assert line.x0 >= LEFT - 0.5 and line.x1 <= RIGHT + 0.5, line
    assert layout.find("programme-municipal-2026")
    assert occurrences(layout, LONG_LIST)[0] >= 3


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
    from letterkit.formats.pdf import PdfWriter

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


# --- The second test campaign: Bellerive en commun (fictional) -----------------------------

BELLERIVE_NAMES = ("Bellerive en commun", "Bellerive-sur-Loire")


@pytest.fixture(scope="module")
def bellerive(tmp_path_factory) -> dict[str, Layout]:
    """Every sender's letter, on every theme or on two of them (two or three pages), as laid
    out."""
    root = build_campaign("bellerive", tmp_path_factory.mktemp("bellerive") / "bellerive")
    project = load_project(root)
    themes = list(project.program.themes)
    return {association.short_name: read(compose(project, Request(
        association.short_name, themes if i % 2 else themes[i % len(themes):][:2],
        dt.date(2026, 3, 1), root / "out", ("pdf",))).paths[0])
        for i, association in enumerate(project.associations)}


def test_bellerive_header_and_window(bellerive) -> None:
    layout = bellerive["Les Fileuses"]
    left = [line.text for line in layout.on(1) if line.top < 99 and line.x0 < 100]
    assert left == ["Bellerive en commun", "bellerive-en-commun.fr", "12, quai des Mariniers",
                    "45999 Bellerive-sur-Loire"]
    window = [line for line in layout.on(1) if line.top < 99 and line.x0 >= 100]
    assert [line.text for line in window] == ["Compagnie Les Fileuses", "Maison des associations",
                                              "3, rue des Tanneurs", "45999 Bellerive-sur-Loire"]
    assert 109 <= window[0].x0 <= 111 and 50 <= window[0].top <= 55
    assert window[-1].bottom < 95
    assert [(rule.page, round(rule.top)) for rule in layout.rules if rule.x1 < LEFT] == [
        (1, 99), (1, 198)]


def test_bellerive_sign_off(bellerive) -> None:
    for short_name, layout in bellerive.items():
        closing = layout.find("Restant à votre disposition")[0]
        signature = layout.one("Pour la liste Bellerive en commun")
        names = [layout.one("Solène Vautrin-Ledru"), layout.one("Mathis Orsoni")]
        roles = [layout.one("tête de liste"), layout.one("coordinateur de la campagne")]
        date = layout.one("Bellerive-sur-Loire, le 1er mars 2026")
        assert {line.page for line in [closing, signature, *names, *roles, date]} == {
            layout.pages}, short_name
        assert len([line for line in layout.on(closing.page) if line.top < closing.top]) >= 2
        for name, role in zip(names, roles, strict=True):
            assert 25 <= name.top - signature.bottom <= 31
            assert abs(role.x0 - name.x0) < 0.5
        assert abs(names[0].top - names[1].top) < 0.3 and names[0].x1 + 3 < names[1].x0


def test_bellerive_stays_inside_the_page_and_keeps_its_names_whole(bellerive) -> None:
    assert {layout.pages for layout in bellerive.values()} >= {2, 3}
    for short_name, layout in bellerive.items():
        for line in layout.lines:
            assert line.x0 >= LEFT - 0.5 and line.x1 <= RIGHT + 0.5, (short_name, line)
            assert line.top >= 24.5 and line.bottom <= 289, (short_name, line)
        for name in (*BELLERIVE_NAMES, short_name):
            whole, printed = occurrences(layout, name)
            assert whole == printed, (short_name, name)
