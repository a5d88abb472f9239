"""The PDF's rules of issue 20, measured on laid-out pages (tests/pdfpage.py): no page ends on
a hyphenated word; the list's name kept whole with or without its final « ! »; a compound name
broken only at a space; a title without a one-word last line. Each with the case that breaks
without the rule, so that the test can fail. Synthetic text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from letterkit.formats.pdf import PdfWriter, _hyphenated_at_page_ends
from letterkit.letter.blockhtml import block_html, keep_pattern, last_words_together

from .conftest import REPO
from .pdfpage import read
from .test_layout import full, full_layout, full_letter, occurrences  # noqa: F401

CSS = REPO / "templates" / "letters" / "letter.css"
WORDS = ("Nous développerons particulièrement les indispensables recommandations "
         "intercommunales, extraordinairement complémentaires des administrations "
         "départementales et des associations environnementales. ").split()


@pytest.fixture(scope="module")
def writer(tmp_path_factory) -> tuple[PdfWriter, Path]:
    folder = tmp_path_factory.mktemp("rules")
    return PdfWriter(CSS, [folder]), folder


def page(body: str, size: str = "90mm 60mm") -> str:
    return (f'<html lang="fr"><head><style>@page {{ size: {size}; margin: 8mm }}</style></head>'
            f'<body><section class="body">{body}</section></body></html>')


def test_no_page_ends_on_a_hyphenated_word(writer) -> None:
    pdf_writer, folder = writer
    ended = 0
    for shift in range(8):
        words = WORDS * 8
        html = page("<p>" + " ".join(words[shift:]) + "</p>")
        # Laid out once, as WeasyPrint does: some page ends on a hyphen…
        ended += bool(_hyphenated_at_page_ends(pdf_writer.render(html, folder).pages))
        # … which letterkit's layout never lets happen.
        pdf = folder / f"{shift}.pdf"
        pdf.write_bytes(pdf_writer.write(html, folder)[0])
        layout = read(pdf)
        assert layout.pages > 1
        for number in range(1, layout.pages):
            last = layout.on(number)[-1].text
            assert not re.search(r"[-\u2010\u00ad]$", last), (shift, number, last)
    assert ended, "without the rule, some page of the sweep ends on a hyphenated word"


def test_the_list_name_is_kept_whole_without_its_final_mark(writer) -> None:
    keep = keep_pattern(["Clamart à gauche !"])
    whole = frozenset({"Clamart à gauche !"})
    assert str(block_html("Les militants de Clamart à gauche sont là.", keep, whole)) == (
        '<p>Les militants de <span class="keep whole">Clamart à gauche</span> sont là.</p>\n')
    assert str(block_html("Votez Clamart à gauche\u202f!", keep, whole)) == (
        '<p>Votez <span class="keep whole">Clamart à gauche\u202f!</span></p>\n')
    pdf_writer, folder = writer
    text = " ".join(f"Nous écrivons{' à la' * (i % 7)} liste Clamart à gauche." for i in range(14))
    for guarded, broken in ((False, True), (True, False)):
        body = str(block_html(text, keep, whole)) if guarded else f"<p>{text}</p>"
        pdf = folder / "name.pdf"
        pdf.write_bytes(pdf_writer.write(page(body, "100mm 300mm"), folder)[0])
        on_a_line, printed = occurrences(read(pdf), "Clamart à gauche")
        assert (on_a_line < 14) is broken, (guarded, on_a_line)
        assert printed == 14 or not guarded  # unguarded, it may also be hyphenated


def test_a_compound_name_breaks_only_at_a_space(writer) -> None:
    keep = keep_pattern(["Maëlle Kergoat-Fontenelle"])
    assert str(block_html("le gymnase Jean-Bouin", keep)) == (
        '<p>le gymnase <span class="keep"><span class="compound">Jean-Bouin</span></span></p>\n')
    pdf_writer, folder = writer
    text = " ".join(f"Signé{' par' * (i % 6)} Maëlle Kergoat-Fontenelle au gymnase Jean-Bouin."
                    for i in range(14))
    for guarded in (False, True):
        body = str(block_html(text, keep)) if guarded else f"<p>{text}</p>"
        pdf = folder / "compound.pdf"
        pdf.write_bytes(pdf_writer.write(page(body, "62mm 300mm"), folder)[0])
        lines = [line.text for line in read(pdf).lines]
        split = [line for line in lines if re.search(r"(Kergoat|Jean)[-\u2010]?$", line)
                 or re.match(r"(Fontenelle|Bouin)", line)]
        assert bool(split) is not guarded, (guarded, split)


def test_a_title_never_ends_on_one_word() -> None:
    assert last_words_together("**Réponse de la liste au plaidoyer**") == \
        "**Réponse de la liste au\u00a0plaidoyer**"
    assert last_words_together("Réponse") == "Réponse"


def test_the_arpe_title_ends_with_two_words_at_least(full_layout) -> None:  # noqa: F811
    title = [line for line in full_layout.on(1) if line.top > 99][:7]
    lines = [line.text for line in title]
    end = next(i for i, text in enumerate(lines) if text.startswith("Objet"))
    assert end >= 2 and len(lines[end - 1].split()) >= 2, lines
