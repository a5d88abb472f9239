"""Reading the CSV files spreadsheets write, as French campaign teams export them.

Excel and LibreOffice in French write `;` between columns (`,` is the decimal comma), save in
UTF-8 with or without a byte-order mark, or in Windows-1252 (« CSV (séparateur : point-virgule)
» in Excel), end lines with CRLF, leave empty columns and rows at the end, write dates as
24/02/2026, and the team names its columns in French. This module turns such a file into rows
of `{column: text}` with their line numbers, the dates as datetime.date (read by
values.parse_date, as on the command line).
"""

from __future__ import annotations

import contextlib
import csv
import unicodedata
from pathlib import Path

from letterkit.errors import LetterkitError, Problem
from letterkit.i18n import _
from letterkit.pipeline.values import parse_date

# A column's name, lower case and without accents → letterkit's column.
ALIASES = {
    "assoc": "assoc", "association": "assoc", "associations": "assoc",
    "themes": "themes", "theme": "themes",
    "measures": "measures", "mesures": "measures", "numeros": "measures",
    "exclude": "exclude", "exclure": "exclude", "sauf": "exclude",
    "answers": "answers", "reponses": "answers", "questionnaire": "answers",
    "date": "date", "date de la lettre": "date",
    "format": "format", "formats": "format",
    "out": "out", "dossier": "out", "sortie": "out",
}
DELIMITERS = ";,\t"


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().replace("_", " ").split())


def decode(data: bytes, path: Path) -> tuple[str, list[Problem]]:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 with
    a warning naming it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strictly(data[3:], "utf-8", "UTF-8", path, 3), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strictly(data, "utf-16", "UTF-16", path, 0), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        byte = f"0x{data[exc.start]:02x}"
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise LetterkitError(
                _("not UTF-8 text (byte {byte}), nor Windows-1252").format(byte=byte),
                file=str(path), hint=_("save the file as « CSV UTF-8 »")) from None
        line = data[:exc.start].count(b"\n") + 1
        return text, [Problem(
            _("not UTF-8 (byte {byte} on line {line}): read as Windows-1252").format(
                byte=byte, line=line),
            file=str(path), hint=_("check its accents, or save it as « CSV UTF-8 »"),
            warning=True)]


def _strictly(data: bytes, encoding: str, name: str, path: Path, skipped: int) -> str:
    """The text of a file whose byte-order mark says `name`; where it is not, a located
    error (a BOM then Windows-1252 bytes, UTF-16 cut short)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        at = exc.start + skipped
        whole = data if not skipped else b"\xef\xbb\xbf" + data
        line = (whole[:at].count(b"\n") if name == "UTF-8" else
                whole[:at].decode(encoding, errors="replace").count("\n")) + 1
        raise LetterkitError(
            _("the file starts as {encoding} text (a byte-order mark) but is not {encoding} "
              "from byte {byte} ({reason})").format(encoding=name, byte=at, reason=exc.reason),
            file=str(path), line=line, hint=_("save it again as « CSV UTF-8 »")) from None


def dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The separator the file uses, `;` `,` or tab, as csv.Sniffer finds it on the first
    lines; when it cannot tell, the one the header line has most of."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        delimiter = max(DELIMITERS, key=header.count)

        class Found(csv.excel):
            pass

        Found.delimiter = delimiter
        return Found


def read_rows(data: bytes, path: Path) -> tuple[list[tuple[int, dict[str, object]]],
                                                 list[Problem]]:
    """The rows of a requests CSV, each with its line number, its columns named as letterkit
    names them (« association » → assoc, « thèmes » → themes), empty rows and empty columns
    left out; and the warnings (an encoding that is not UTF-8)."""
    text, warnings = decode(data, path)
    reader = csv.reader(text.splitlines(keepends=True), dialect(text))
    rows: list[tuple[int, dict[str, object]]] = []
    header: list[str] | None = None
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue  # an empty row, such as those a spreadsheet leaves at the end
        if header is None:
            header = [ALIASES.get(_key(name), _key(name)) for name in record]
            if "assoc" not in header or not {"themes", "measures", "answers"} & set(header):
                raise LetterkitError(
                    _("the first line should name the columns, with at least assoc and themes "
                      "(or measures, or answers)"), file=str(path), line=reader.line_num,
                    hint=_("e.g. « assoc,themes,date » or « association;thèmes;date »; "
                           "optional: measures, exclude, answers, date, format, out"))
            continue
        row: dict[str, object] = {}
        for name, cell in zip(header, record, strict=False):
            if name and cell.strip():
                row[name] = cell.strip()
        extra = [cell for cell in record[len(header):] if cell.strip()]
        if extra:
            row[""] = extra[0]  # a value beyond the named columns
        if isinstance(row.get("date"), str):
            # A date that cannot be read stays text: its request says what is wrong, on its line.
            with contextlib.suppress(ValueError):
                row["date"] = parse_date(str(row["date"]))
        rows.append((reader.line_num, row))
    if header is None:
        raise LetterkitError(_("the file is empty"), file=str(path),
                             hint=_("write a header line « association;thèmes;date », then one "
                                    "line per letter"))
    return rows, warnings
