"""An installed letterkit works outside the repository: the wheel, built once, scaffolds a
campaign with `letterkit init` and composes its letter.

The quick test installs the wheel alone in a bare virtual environment that borrows this
environment's dependencies (seconds); the slow one installs it with its dependencies in a
fresh one, as a user would (a minute: `make test` runs it beside the rest of the suite)."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA_FILES, REPO


def sh(*args: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LETTERKIT_PROJECT", "PYTHONPATH")}
    completed = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                               text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    sh(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", dist, REPO,
       cwd=dist)
    return next(dist.glob("letterkit-*.whl"))


def test_the_wheel_inits_and_composes_outside_the_repository(wheel, tmp_path) -> None:
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    sh(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet",
       "--no-deps", "--no-index", wheel, cwd=tmp_path)
    # The dependencies, from this environment (a path in a .pth file: its own .pth files, such
    # as the editable letterkit's, are not read, so the wheel's letterkit is the one imported).
    packages = Path(sh(venv / "bin" / "python", "-c", "import sysconfig; "
                       "print(sysconfig.get_path('purelib'))", cwd=tmp_path).strip())
    (packages / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    imported = sh(venv / "bin" / "python", "-c", "import letterkit; print(letterkit.__file__)",
                  cwd=tmp_path)
    assert imported.startswith(str(venv))
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
    for name in DATA_FILES:
        (work / "bare" / name).write_bytes((work / "campagne" / name).read_bytes())
    sh(letterkit, "compose", "--assoc", "ARPE", "--themes", "numerique", "--format", "md",
       cwd=work / "bare")


@pytest.mark.slow
def test_the_wheel_installs_with_its_dependencies_in_a_fresh_venv(wheel, tmp_path) -> None:
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    sh(venv / "bin" / "pip", "install", "--quiet", wheel, cwd=tmp_path)
    sh(venv / "bin" / "letterkit", "init", "campagne", cwd=tmp_path)
    assert "OK: 8 measures" in sh(venv / "bin" / "letterkit", "check",
                                  cwd=tmp_path / "campagne")
    printed = sh(venv / "bin" / "letterkit", "compose", "--assoc", "ARPE", "--themes",
                 "mediation", "--date", "2026-03-01", cwd=tmp_path / "campagne")
    assert printed.splitlines()[-1].endswith("2026-03-01-arpe-mediation.pdf")
