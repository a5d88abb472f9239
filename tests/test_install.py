"""An installed letterkit works outside the repository: a wheel in a fresh virtual environment
scaffolds a campaign with `letterkit init` and composes its letter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow


def sh(*args: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LETTERKIT_PROJECT", "PYTHONPATH")}
    completed = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                               text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def test_wheel_in_a_fresh_venv_inits_and_composes(tmp_path) -> None:
    sh(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
       tmp_path / "dist", REPO, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("letterkit-*.whl"))
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    sh(venv / "bin" / "pip", "install", "--quiet", wheel, cwd=tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()
    letterkit = venv / "bin" / "letterkit"
    sh(letterkit, "init", "campagne", cwd=work)
    assert "OK: 8 measures" in sh(letterkit, "check", cwd=work / "campagne")
    printed = sh(letterkit, "compose", "--assoc", "ARPE", "--themes", "mediation",
                 "--date", "2026-03-01", cwd=work / "campagne")
    pdf = work / "campagne" / "letters" / "2026-03-01-arpe-mediation.pdf"
    assert printed.splitlines()[-1] == str(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    # The packaged templates serve a campaign without templates of its own.
    (work / "bare").mkdir()
    for name in ("measures.yaml", "campaign.yaml", "associations.yaml"):
        (work / "bare" / name).write_bytes((work / "campagne" / name).read_bytes())
    sh(letterkit, "compose", "--assoc", "ARPE", "--themes", "numerique", cwd=work / "bare")
