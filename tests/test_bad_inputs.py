"""The catalogue of bad inputs: tests/bad/CASE holds the files that differ from the example
campaign (FILE.append is added to the end of FILE), the command (check by default) and the
exact output expected. Each case is one failure, answered by one clear message and exit 1."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letterkit.cli import app

from .conftest import build_campaign

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
META = {"expected.txt", "expected.fr.txt", "command.txt"}
EXPECTED = {"en": "expected.txt", "fr": "expected.fr.txt"}


def campaign_for(case: Path, root: Path) -> None:
    build_campaign("clamart", root)
    for file in case.rglob("*"):
        if file.is_dir() or file.name in META:
            continue
        target = root / file.relative_to(case)
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.suffix == ".append":
            target = target.with_suffix("")
            target.write_bytes(target.read_bytes() + b"\n" + file.read_bytes())
        else:
            shutil.copy(file, target)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, lang: str, tmp_path: Path) -> None:
    """The same failure in the interface's two languages, each its exact text."""
    from letterkit import i18n

    case, root = BAD / name, tmp_path / "campagne"
    campaign_for(case, root)
    command = case / "command.txt"
    args = shlex.split(command.read_text().replace("{root}", str(root))) if command.exists() \
        else ["check"]
    before = sorted(p for p in root.rglob("*"))
    i18n.use(lang)
    try:
        result = CliRunner().invoke(app, [*args, "--project", str(root)])
    finally:
        i18n.use("en")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    expected = (case / EXPECTED[lang]).read_text(encoding="utf-8").replace("{root}", str(root))
    assert result.stdout + result.stderr == expected
    assert sorted(p for p in root.rglob("*")) == before, "a failure wrote something"


def test_every_case_has_its_expected_message() -> None:
    for name in CASES:
        assert all((BAD / name / e).is_file() for e in EXPECTED.values()), name
