"""`batch` reads the CSV files French spreadsheets write: one fixture file per dialect in
tests/spreadsheets/ (Excel in Windows-1252 with `;`, Excel « CSV UTF-8 » with its BOM,
LibreOffice with `,`, and rows that cannot be read)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letterkit.cli import app
from letterkit.errors import LetterkitError
from letterkit.pipeline.spreadsheet import decode, read_rows
from letterkit.pipeline.values import parse_date

FIXTURES = Path(__file__).parent / "spreadsheets"


def rows(name: str) -> list[tuple[int, dict[str, object]]]:
    path = FIXTURES / name
    return read_rows(path.read_bytes(), path)[0]


def test_excel_windows_1252_semicolons_french_dates_and_columns() -> None:
    path = FIXTURES / "excel-windows-1252.csv"
    read, warnings = read_rows(path.read_bytes(), path)
    assert read == [
        (2, {"assoc": "ARPE", "themes": "médiation", "date": dt.date(2026, 2, 24)}),
        (3, {"assoc": "ARPE", "themes": "numerique,tranquillite", "date": dt.date(2026, 2, 24)}),
        (4, {"assoc": "arpe", "themes": "petite-enfance", "date": dt.date(2026, 3, 1)})]
    assert [str(w) for w in warnings] == [
        f"{path}: not UTF-8 (byte 0xe8 on line 1): read as Windows-1252 — check its accents, "
        "or save it as « CSV UTF-8 »"]


def test_excel_utf8_with_bom() -> None:
    assert rows("excel-utf8-bom.csv") == [
        (2, {"assoc": "ARPE", "themes": "numerique", "date": dt.date(2026, 2, 24)}),
        (3, {"assoc": "ARPE", "themes": "antiracisme", "date": dt.date(2026, 2, 25)})]


def test_libreoffice_commas_quotes_and_iso_dates() -> None:
    assert rows("libreoffice-utf8.csv") == [
        (2, {"assoc": "ARPE", "themes": "numerique,mediation", "date": dt.date(2026, 2, 24),
             "format": "md"}),
        (3, {"assoc": "ARPE", "themes": "environnement", "date": dt.date(2026, 2, 24),
             "format": "md"})]


@pytest.mark.parametrize(("text", "date"), [
    ("24/02/2026", dt.date(2026, 2, 24)), ("1/3/2026", dt.date(2026, 3, 1)),
    ("24.02.2026", dt.date(2026, 2, 24)), ("24/02/26", dt.date(2026, 2, 24)),
    ("2026-02-24", dt.date(2026, 2, 24)), ("2026-02-24 00:00:00", dt.date(2026, 2, 24)),
    ("2 mars 2026", dt.date(2026, 3, 2)), ("1er mars 2026", dt.date(2026, 3, 1)),
    ("24 Février 2026", dt.date(2026, 2, 24)), ("15 aout 2026", dt.date(2026, 8, 15)),
    (" 02/03/2026 ", dt.date(2026, 3, 2))])
def test_dates(text, date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(("text", "message"), [
    ("31/02/2026", "« 31/02/2026 » is not a date that exists"),
    ("02/24/2026", "« 02/24/2026 » is not a date that exists"),
    ("30 février 2026", "« 30 février 2026 » is not a date that exists"),
    ("1er mars", "« 1er mars » is not a date: write it as 02/03/2026, 2 mars 2026 or 2026-03-02"),
    ("2 mardi 2026", "« 2 mardi 2026 » is not a date: write it as 02/03/2026, 2 mars 2026 or "
     "2026-03-02"),
    ("2026-02-24 13:00", "« 2026-02-24 13:00 » is not a date: write it as 02/03/2026, 2 mars "
     "2026 or 2026-03-02")])
def test_not_dates(text, message) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert str(caught.value) == message


def test_a_file_without_the_needed_columns(tmp_path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(b"nom;sujet\r\nARPE;numerique\r\n")
    with pytest.raises(LetterkitError) as caught:
        read_rows(path.read_bytes(), path)
    assert str(caught.value) == (
        f"{path}, line 1: the first line should name the columns, with at least assoc and "
        "themes (or measures, or answers) — e.g. « assoc,themes,date » or "
        "« association;thèmes;date »; optional: measures, exclude, answers, date, format, out")


def test_decoding() -> None:
    path = Path("x.csv")
    assert decode("é".encode("utf-16"), path) == ("é", [])
    assert decode(b"\xef\xbb\xbfassoc", path) == ("assoc", [])


# --- Through `letterkit batch` -------------------------------------------------------------

def batch(campaign: Path, tmp_path: Path, name: str) -> tuple[int, str, str, list[str]]:
    copy = tmp_path / name
    shutil.copy(FIXTURES / name, copy)
    result = CliRunner().invoke(app, ["batch", str(copy), "--jobs", "1", "--project",
                                      str(campaign), "--out", str(tmp_path / "out")])
    written = sorted(p.name for p in (tmp_path / "out").iterdir()) if (
        tmp_path / "out").exists() else []
    return result.exit_code, " ".join(result.stdout.replace("│", " ").split()), \
        " ".join(result.stderr.split()), written


def test_batch_reads_excel_windows_1252(campaign, tmp_path) -> None:
    code, stdout, stderr, written = batch(campaign, tmp_path, "excel-windows-1252.csv")
    assert code == 0, stdout  # « médiation », read with its accent, names the theme mediation
    assert "3 composed, 0 failed" in stdout
    assert "ARPE / médiation" in stdout
    assert "read as Windows-1252" in stderr
    assert written == [
        "2026-02-24-arpe-mediation.md", "2026-02-24-arpe-mediation.pdf",
        "2026-02-24-arpe-numerique-tranquillite.md", "2026-02-24-arpe-numerique-tranquillite.pdf",
        "2026-03-01-arpe-petite-enfance.md", "2026-03-01-arpe-petite-enfance.pdf"]


@pytest.mark.parametrize("name", ["excel-utf8-bom.csv", "libreoffice-utf8.csv"])
def test_batch_reads_utf8_exports(campaign, tmp_path, name) -> None:
    code, stdout, stderr, written = batch(campaign, tmp_path, name)
    assert code == 0, stdout
    assert "2 composed, 0 failed" in stdout
    assert "Warning" not in stderr
    assert written and all(n.startswith(("2026-02-24", "2026-02-25")) for n in written)


def test_batch_names_the_line_and_reason_of_bad_rows(campaign, tmp_path) -> None:
    code, stdout, _, written = batch(campaign, tmp_path, "bad-rows.csv")
    assert code == 1
    assert "1 composed, 3 failed" in stdout
    assert "bad-rows.csv, line 2: « 31/02/2026 » is not a date that exists" in stdout
    assert "bad-rows.csv, line 3: « 1er mars » is not a date: write it as 02/03/2026, 2 mars " \
        "2026 or 2026-03-02" in stdout
    assert "bad-rows.csv, line 4: assoc and themes (or measures, or answers) are required" \
        in stdout
    assert written == ["2026-02-24-arpe-environnement.md", "2026-02-24-arpe-environnement.pdf"]
