"""ledger.csv: the ledger's readable copy, written whole from the database after each letter,
and read back (as letterkit wrote it or as a spreadsheet saved it again) to rebuild a missing
ledger.sqlite, keeping every id. Its `record` column is the whole row as JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from letterkit.errors import LetterkitError
from letterkit.files import write_atomic
from letterkit.i18n import _
from letterkit.ledger.entry import COLUMNS, Entry, from_values
from letterkit.text import cell_text, inert_cell

EXPORT_FILE = "ledger.csv"
EXPORT_COLUMNS = ["id", "date", "assoc", "themes", "measures", "composed", "files", "sent",
                  "record"]


def write_export(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write ledger.csv whole from the database's rows (each a dict of its columns, as
    stored), then rename it into place."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(export_row(values) for values in rows)
    write_atomic(path, stream.getvalue().encode())


def export_row(values: dict[str, Any]) -> list[object]:
    """One line of ledger.csv from the database's columns: the readable ones, then `record`,
    the whole row as JSON (the JSON columns copied as stored, not decoded again)."""
    measures, files = json.loads(values["measures"]), json.loads(values["files"])
    record = ",".join(f'"{name}":{values[name] if as_json else json.dumps(values[name])}'
                      for name, (as_json, _default) in COLUMNS.items() if name != "id")
    cells = [values["date"], values["assoc"], ",".join(json.loads(values["themes"])),
             ",".join(map(str, sorted(map(int, measures)))), values["composed"],
             " ".join(f"{name}:{digest[:12]}" for name, digest in files.items()),
             values["sent"]]
    # Every cell inert in a spreadsheet (a name « =HYPERLINK(…) » is text); `record`, JSON,
    # starts with « { ».
    return [values["id"], *(inert_cell(str(cell)) for cell in cells), "{" + record + "}"]


def spreadsheet_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV letterkit wrote, as a spreadsheet may have saved it again: `;` or
    tabs, CRLF, a BOM, Windows-1252."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_export(path: Path) -> list[Entry]:
    """The letters in ledger.csv, as letterkit wrote it or as a spreadsheet saved it again
    (`;` or tabs, CRLF, no final newline, a BOM, Windows-1252). A row without the `record`
    column (a ledger.csv of an older letterkit) keeps what its columns say."""
    rows = spreadsheet_rows(path)
    if not rows:
        return []
    header = [name.strip().lower() for name in rows[0]]
    found: dict[int, Entry] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, (cell_text(cell.strip()) for cell in row), strict=False))
        if not cells.get("id"):
            continue
        try:
            entry = _entry_from_cells(cells)
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError,
                RecursionError) as exc:
            raise LetterkitError(_("cannot read the letter on this line ({why})").format(
                                     why=exc), file=str(path), line=line,
                                 hint=_("put back the line as letterkit wrote it, or remove "
                                        "it")) from None
        found[entry.id] = entry
    return [found[number] for number in sorted(found)]


def _entry_from_cells(cells: dict[str, str]) -> Entry:
    number = float(cells["id"])  # a spreadsheet may write 1 as 1.0
    if not number.is_integer() or not 0 < number < 2**63:
        raise ValueError(_("the id {id} is not a letter's number").format(id=cells["id"]))
    if cells.get("record"):
        values = json.loads(cells["record"])
        if not isinstance(values, dict):
            raise ValueError(_("the record is not a JSON object"))
        _check_shape(values)
        values["id"] = int(number)
        return from_values(values)
    measures = [int(n) for n in cells.get("measures", "").replace(";", ",").split(",")
                if n.strip()]
    files = dict(part.split(":", 1) for part in cells.get("files", "").split() if ":" in part)
    return Entry(int(number), cells.get("composed", ""), cells.get("date", ""),
                 cells.get("assoc", ""), [t for t in cells.get("themes", "").split(",") if t],
                 {n: "" for n in measures}, {}, "", "", files, {})



def _check_shape(values: dict[str, Any]) -> None:
    """Each value of a record has the type letterkit writes: text, a list or an object (a
    hand-edited `"measures": [1, 2]` is refused, not read as something else)."""
    for name, (as_json, default) in COLUMNS.items():
        if name == "id" or name not in values:
            continue
        expected: type = type(json.loads(default)) if as_json else str
        if not isinstance(values[name], expected):
            wrong = _("« {name} » should be a text") if expected is str \
                else _("« {name} » should be a list") if expected is list \
                else _("« {name} » should be an object")
            raise ValueError(wrong.format(name=name))
