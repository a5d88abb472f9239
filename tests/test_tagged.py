"""Tagged PDF: every letter carries a structure tree (paragraphs in reading order, images with
their alternative text), its language and title, with --pdfa too (still PDF/A-3b)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from letterkit.campaign.project import load_project
from letterkit.pipeline.build import Request, compose

from .test_office import make_full


def structure(node: object, found: list[DictionaryObject]) -> list[DictionaryObject]:
    """Every structure element under `node`, depth first (reading order)."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, DictionaryObject) and "/S" in node:
        found.append(node)
    kids = node.get("/K") if isinstance(node, DictionaryObject) else None
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, DictionaryObject):
            structure(kid, found)
    return found


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> dict[bool, Path]:
    root = make_full(tmp_path_factory.mktemp("full"))
    out = tmp_path_factory.mktemp("out")
    made = {}
    for pdfa in (False, True):
        result = compose(load_project(root), Request(
            "ARPE", ["mediation"], dt.date(2026, 3, 1), out / str(pdfa), ("pdf",), pdfa=pdfa))
        assert result.warnings == []  # no image without its alternative text
        made[pdfa] = result.paths[0]
    return made


@pytest.mark.parametrize("pdfa", [False, True])
def test_the_pdf_has_a_structure_tree(letters, pdfa) -> None:
    reader = PdfReader(letters[pdfa])
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "fr"
    assert reader.metadata.title.startswith("Réponse de la liste « Clamart à gauche ! »")
    elements = structure(catalog["/StructTreeRoot"], [])
    kinds = Counter(element["/S"] for element in elements)
    assert kinds["/Document"] == 1
    # The letter's paragraphs: title, subject, salutation, 9 of body, closing, 2 of signature,
    # date, enclosures, and the head's lines.
    assert kinds["/P"] >= 17
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert [f["/Alt"] for f in figures] == ["Clamart à gauche !", "Signature"]
    assert catalog["/StructTreeRoot"]["/ParentTree"]  # marked content points back to the tree


def test_pdfa_stays_pdfa(letters) -> None:
    reader = PdfReader(letters[True])
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3" pdfaid:conformance="B"' in xmp
    assert reader.trailer["/Root"]["/OutputIntents"]
