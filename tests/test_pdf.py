"""The PDF: A4, French, fonts embedded, and every paragraph of the Markdown letter in its text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from letterkit.pipeline.build import Request, compose

from .conftest import words

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def arpe(clamart, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    result = compose(clamart, Request("ARPE", ["mediation"], dt.date(2026, 3, 1), out))
    return {path.suffix: path for path in result.paths}


def test_writes_markdown_and_pdf(arpe) -> None:
    assert sorted(p.name for p in arpe.values()) == [
        "2026-03-01-arpe-mediation.md", "2026-03-01-arpe-mediation.pdf"]


def test_pdf_holds_every_paragraph_of_the_letter(arpe) -> None:
    reader = PdfReader(arpe[".pdf"])
    # Pages joined, without their « 1/2 » numbers, so that a paragraph may cross a page break.
    text = words("".join(re.sub(r"\n\d+/\d+\s*$", "", page.extract_text())
                         for page in reader.pages))
    paragraphs = arpe[".md"].read_text(encoding="utf-8").strip().split("\n\n")
    assert len(paragraphs) == 14
    for paragraph in paragraphs:
        assert words(paragraph) in text, paragraph[:60]


def test_pdf_is_a4_french_with_embedded_fonts(arpe) -> None:
    reader = PdfReader(arpe[".pdf"])
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, "font not embedded"
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts == {"Charis-SIL", "Charis-SIL-Bold", "Charis-SIL-Italic"}


def test_pdf_metadata(arpe) -> None:
    info = PdfReader(arpe[".pdf"]).metadata
    assert info.title.startswith("Réponse de la liste « Clamart à gauche ! » au plaidoyer")
    assert info.author == "Clamart à gauche !"
    assert "mesure 89" in info["/Keywords"]
    assert info["/CreationDate"].startswith("D:20260301")
