"""Shared fixtures: the example campaign at the repository root, and copies of it to edit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from letterkit.data import Project, load_project

REPO = Path(__file__).resolve().parents[1]
# The hand-written reply, copied from ../shared/reference/ so that any clone can run the tests;
# test_golden checks the copy against the original wherever shared/ is beside the checkout.
REFERENCE = REPO / "tests" / "golden" / "arpe-reply.md"
SHARED_REFERENCE = REPO.parent / "shared" / "reference" / "arpe-reply.md"
DATA_FILES = ("measures.yaml", "campaign.yaml", "associations.yaml")


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Project:
    """The example campaign, copied so that composing (and its ledger) stays out of the repo."""
    root = tmp_path_factory.mktemp("example")
    for name in DATA_FILES:
        shutil.copy(REPO / name, root / name)
    return load_project(root)


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    """A copy of the example campaign's data files, without templates of its own."""
    root = tmp_path / "campagne"
    root.mkdir()
    for name in DATA_FILES:
        shutil.copy(REPO / name, root / name)
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a data file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def words(text: str) -> str:
    """Letters and digits only, to find a paragraph in text extracted from a PDF."""
    return re.sub(r"[\W_]+", "", text.replace("**", "").replace("*", "")).lower()
