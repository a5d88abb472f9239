"""Shared fixtures. Tests run on the fixture campaigns of tests/campaigns/ (stable, clearly
fictional or a frozen copy), never on the repository-root example, which volunteers edit
freely: only the golden test and the init and wheel tests read that one."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The interface in English unless a test asks for French (tests/test_i18n.py): set before
# letterkit is imported, since the language is chosen then, and inherited by every letterkit
# process a test starts.
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"
# The stamps of campaigns loaded without error (campaign/quick.py) in a folder of the run's own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="letterkit-tests-cache-")

from letterkit.campaign.project import Project, load_project  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CAMPAIGNS = REPO / "tests" / "campaigns"
# The hand-written reply, copied from ../shared/reference/ so that any clone can run the tests;
# test_golden checks the copy against the original wherever shared/ is beside the checkout.
REFERENCE = REPO / "tests" / "golden" / "arpe-reply.md"
SHARED_REFERENCE = REPO.parent / "shared" / "reference" / "arpe-reply.md"
DATA_FILES = ("measures.yaml", "campaign.yaml", "associations.yaml")


def build_campaign(name: str, root: Path) -> Path:
    """A campaign folder at `root` (new, or empty), made from the fixture campaign
    tests/campaigns/NAME (its data files and assets; never a ledger or letters it may have
    left behind)."""
    shutil.copytree(CAMPAIGNS / name, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
        "ledger.*", "letters", "__pycache__", "README.md"))
    return root


@pytest.fixture
def new_campaign(tmp_path: Path) -> Callable[..., Path]:
    """Build a campaign folder from a named fixture campaign: new_campaign("bellerive")."""
    def build(name: str = "clamart", folder: str = "campagne") -> Path:
        return build_campaign(name, tmp_path / folder)
    return build


@pytest.fixture
def campaign(new_campaign: Callable[..., Path]) -> Path:
    """A fresh copy of the clamart fixture campaign (data files, no templates of its own)."""
    return new_campaign("clamart")


@pytest.fixture(scope="session")
def clamart(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The clamart fixture campaign, loaded once; composing writes into a copy."""
    return load_project(build_campaign("clamart", tmp_path_factory.mktemp("clamart") / "c"))


@pytest.fixture(scope="session")
def repository_example(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example campaign at the repository root (for the golden test only), copied so that
    composing (and its ledger) stays out of the repository."""
    root = tmp_path_factory.mktemp("example")
    for name in DATA_FILES:
        shutil.copy(REPO / name, root / name)
    return load_project(root)


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a data file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def words(text: str) -> str:
    """Letters and digits only, to find a paragraph in text extracted from a PDF."""
    return re.sub(r"[\W_]+", "", text.replace("**", "").replace("*", "")).lower()


@pytest.fixture
def french() -> Iterator[None]:
    """The interface in French for this test, in this process (letterkit.i18n.use)."""
    from letterkit import i18n

    i18n.use("fr")
    try:
        yield
    finally:
        i18n.use("en")
