"""The acceptance test: the ARPE letter composed from data reproduces the hand-written reply."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from letterkit.pipeline.build import Request, compose

from .conftest import REFERENCE, SHARED_REFERENCE


def normalise(text: str) -> list[list[str]]:
    """Paragraphs as word lists, ignoring only the differences SPEC.md allows.

    Typographic corrections (apostrophes, kinds of spaces, the superscript notation, « … »,
    « À » for the capital preposition) and the page-break artifact « me- / sure 81 ».
    """
    text = re.sub(r"\(\*\*me-\*\*\s+sure 81\)", "(**mesure 81**)", text)
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("^{er}", "er").replace("…", "...")
    text = re.sub(r"\s+\.\.\.", "...", text)
    text = re.sub(r"(^|\. )A (?=[a-z])", r"\1À ", text, flags=re.MULTILINE)
    return [p.split() for p in re.split(r"\n\s*\n", text.strip())]


@pytest.fixture(scope="module")
def arpe_letter(repository_example, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("letters")
    result = compose(repository_example, Request("ARPE", ["mediation"], dt.date(2026, 3, 1), out,
                                      ("md",)))
    assert [p.name for p in result.paths] == ["2026-03-01-arpe-mediation.md"]
    return result.paths[0].read_text(encoding="utf-8")


def test_reproduces_the_reference_reply(arpe_letter: str) -> None:
    expected = normalise(REFERENCE.read_text(encoding="utf-8"))
    assert normalise(arpe_letter) == expected


def test_differs_from_the_reference_only_by_typographic_corrections(arpe_letter: str) -> None:
    # The letter is typeset: it is not the raw reference text.
    assert "l’association clamartoise ARPE" in arpe_letter
    assert "«\u00a0Clamart à gauche\u202f!\u00a0»" in arpe_letter
    assert "À vous lire" in arpe_letter
    assert "(**mesure\u00a081**)" in arpe_letter
    assert "104\u00a0mesures" in arpe_letter
    assert "de santé… Autant" in arpe_letter
    assert arpe_letter.endswith("Clamart, le 1er\u00a0mars\u00a02026\n")


def test_normalise_sees_a_changed_word(arpe_letter: str) -> None:
    changed = arpe_letter.replace("médiatrices", "médiateurs", 1)
    assert normalise(changed) != normalise(REFERENCE.read_text(encoding="utf-8"))


@pytest.mark.skipif(not SHARED_REFERENCE.exists(), reason="no ../shared beside this checkout")
def test_the_golden_copy_is_the_shared_reference() -> None:
    assert REFERENCE.read_bytes() == SHARED_REFERENCE.read_bytes()
