"""A bug of ours is reported as a bug, never as the user's mistake, with its traceback kept
wherever it was raised (in the template engine, in the PDF process), and the reporter itself
never fails nor leaves an empty file (issue 21)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letterkit.cli import app
from letterkit.errors import Bug, bug_problem, traceback_written

runner = CliRunner()
PREFIX = ("Error: unexpected problem: RuntimeError: injected — please report it, with the "
          "command you ran and the traceback written to ")


def compose(campaign: Path, fmt: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["compose", "--assoc", "ARPE", "--themes", "numerique", "--date",
                               "2026-03-01", "--format", fmt, "--project", str(campaign)],
                         env={"LETTERKIT_DEBUG": ""})


def broken(*_: object) -> None:
    raise RuntimeError("injected")


def report_of(result) -> str:  # type: ignore[no-untyped-def]
    """The one line of a bug, and the text of the report it names (removed)."""
    assert result.exit_code == 1, result.output
    line, = result.stderr.splitlines()
    assert line.startswith(PREFIX), line
    written = Path(line.removeprefix(PREFIX))
    try:
        return written.read_text(encoding="utf-8")
    finally:
        written.unlink()


def test_a_bug_inside_the_template_engine_is_a_bug(campaign, monkeypatch) -> None:
    """A filter that raises (here the French date) is not « template not found » nor any
    other template problem of the user's: it is a bug, with its traceback."""
    from letterkit.letter import french

    monkeypatch.setattr(french, "long_date", broken)
    report = report_of(compose(campaign, "md"))
    assert "Traceback" in report and "in broken" in report and "render_letter" in report
    assert not (campaign / "letters").exists()


def test_a_template_not_found_that_is_there_is_a_bug(campaign, monkeypatch) -> None:
    """Jinja's TemplateNotFound raised by a bug under a template that exists is not told to
    the user as « template not found: reponse.md.j2 »."""
    from jinja2 import TemplateNotFound

    from letterkit.letter import french

    def lost(*_: object) -> None:
        raise TemplateNotFound("reponse.md.j2")

    monkeypatch.setattr(french, "long_date", lost)
    result = compose(campaign, "md")
    assert result.exit_code == 1
    line, = result.stderr.splitlines()
    assert line.startswith("Error: unexpected problem: TemplateNotFound: reponse.md.j2 — please "
                           "report it, with the command you ran and the traceback written to ")
    Path(line.split("written to ")[1]).unlink()


def test_a_bug_in_the_pdf_process_comes_back_with_its_traceback(campaign, monkeypatch) -> None:
    from letterkit.formats import pdf

    monkeypatch.setattr(pdf, "writer", broken)  # the PDF process is forked: it has it too
    report = report_of(compose(campaign, "md,pdf"))
    child, parent = report.split("received in the main process:")
    assert "in _serve" in child and "in broken" in child  # the PDF process's own frames
    assert "pdfworker.py" in parent and "Bug: injected" in parent
    assert not (campaign / "letters").exists()


def test_a_bug_crosses_processes_whole() -> None:
    import pickle

    try:
        broken()
    except RuntimeError as exc:
        caught = Bug.caught(exc)
    back = pickle.loads(pickle.dumps(caught))
    assert (back.kind, str(back)) == ("RuntimeError", "injected")
    assert "in broken" in back.traceback_text
    assert str(bug_problem(back)).startswith("unexpected problem: RuntimeError: injected — ")


@pytest.fixture
def reports(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("LETTERKIT_DEBUG", raising=False)
    return tmp_path


def test_the_reporter_escapes_what_is_not_utf8(reports, monkeypatch) -> None:
    """A file name in argv that is not UTF-8 (surrogates, as Python decodes it), a message
    holding one, an exception whose __str__ fails: the report is written, whole."""
    monkeypatch.setattr(sys, "argv", ["letterkit", "compose", "--from", "caf\udce9.txt"])

    class Unprintable(Exception):
        def __str__(self) -> str:
            raise ValueError("no")

    for raised in (RuntimeError("bad \udcff byte"), Unprintable()):
        try:
            raise raised
        except Exception as exc:
            where = traceback_written(exc)
        path = Path(where.removeprefix("the traceback written to "))
        text = path.read_text(encoding="utf-8")
        assert "command: letterkit compose --from caf\\udce9.txt" in text
        assert "Traceback" in text
        path.unlink()
    assert str(bug_problem(Unprintable())).startswith(
        "unexpected problem: Unprintable: (its message could not be read) — ")
    assert "bad \\udcff byte" in Path(str(bug_problem(RuntimeError("bad \udcff byte")))
                                      .split("written to ")[1]).read_text(encoding="utf-8")


def test_the_reporter_leaves_no_empty_file(reports, monkeypatch) -> None:
    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    assert traceback_written(RuntimeError("x")) == "the traceback that LETTERKIT_DEBUG=1 shows"
    assert list(reports.iterdir()) == []
