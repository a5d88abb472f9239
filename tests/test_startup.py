"""Commands that write no PDF never load WeasyPrint (timings live in benchmarks/run.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import CAMPAIGNS

PROBE = """
import sys, letterkit
sys.argv = ["letterkit", *{args!r}]
try:
    letterkit.main()
except SystemExit:
    pass
print(sorted(name for name in ("weasyprint", "polytypo", "jinja2", "markdown_it", "babel",
                               "pygal") if name in sys.modules))
"""


def loaded(*args: str) -> list[str]:
    completed = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))],
                               capture_output=True, text=True, check=True,
                               cwd=CAMPAIGNS / "clamart")
    return eval(completed.stdout.splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["measures"], ["themes", "--json"],
                                  ["associations"], ["inbox", "--json"]])
def test_listing_commands_load_neither_weasyprint_nor_the_renderer(args) -> None:
    assert loaded(*args) == []


def test_check_loads_templates_but_neither_weasyprint_nor_markdown() -> None:
    assert loaded("check") == ["jinja2"]


def test_compose_markdown_only_loads_no_weasyprint(campaign, tmp_path) -> None:
    assert "weasyprint" not in loaded("compose", "--assoc", "ARPE", "--themes", "numerique",
                                      "--format", "md", "--out", str(tmp_path), "--project",
                                      str(campaign))
