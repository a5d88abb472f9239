"""The tests stand on their fixture campaigns: the example at the repository root can be edited
by volunteers (a comment line at the top of each file moves every line number) without
breaking any test but the golden one."""

from __future__ import annotations

import re

from letterkit.campaign.project import load_project

from .conftest import CAMPAIGNS, REPO

# The golden test composes the example itself; init and the wheel copy it into a new folder.
READ_THE_EXAMPLE = {"conftest.py", "test_golden.py", "test_install.py", "test_fixtures.py"}
EXAMPLE_FILE = re.compile(r"REPO\s*/\s*(name\b|\"(measures|campaign|associations)\.yaml\")")


def test_no_other_test_reads_the_repository_example() -> None:
    for path in sorted((REPO / "tests").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name not in READ_THE_EXAMPLE:
            assert not EXAMPLE_FILE.search(text), f"{path.name} reads the repository's example"
            assert "repository_example" not in text, path.name


def test_every_fixture_campaign_loads() -> None:
    for folder in sorted(p for p in CAMPAIGNS.iterdir() if p.is_dir()):
        assert load_project(folder).program.measures, folder.name
