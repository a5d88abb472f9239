"""Letters from the second test campaign (tests/campaigns/bellerive, fictional) read as French
for every kind of sender, document, selection and date."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from letterkit.build import Request, compose
from letterkit.data import Project, load_project

BELLERIVE = Path(__file__).parent / "campaigns" / "bellerive"
MARCH_1 = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def bellerive(tmp_path_factory) -> Project:
    """The Bellerive campaign, copied so that composing (and its ledger) stays out of tests/."""
    root = tmp_path_factory.mktemp("bellerive") / "bellerive"
    shutil.copytree(BELLERIVE, root)
    return load_project(root)


def letter(project: Project, assoc: str, themes: list[str], out: Path,
           date: dt.date = MARCH_1) -> str:
    result = compose(project, Request(assoc, themes, date, out, ("md",), force=True))
    return result.paths[0].read_text(encoding="utf-8")


def test_every_sender_gets_a_letter(bellerive, tmp_path) -> None:
    assert len(bellerive.associations) >= 6
    assert 15 <= len(bellerive.program.measures) <= 25
    for association in bellerive.associations:
        text = letter(bellerive, association.short_name, list(bellerive.program.themes),
                      tmp_path)
        assert text.startswith("Réponse de la liste «\u00a0Bellerive en commun\u00a0»")
        assert f"\n\n{association.salutation},\n\n" in text
