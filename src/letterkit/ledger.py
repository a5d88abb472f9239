"""The ledger: what was promised to whom, the list's memory and the source of truth.

Every recorded letter is a row of ledger.sqlite in the campaign folder, with the measures as
sent (text and hash), hashes of the templates and data, of the files written, and the request
to compose it again. ledger.csv is regenerated from the database after each letter (written
whole, then renamed): readable in a spreadsheet, and a full copy (its `record` column) from
which a missing ledger.sqlite is rebuilt, keeping every id. A spreadsheet's re-save (`;`,
CRLF, no final newline, a BOM) reads back the same.

Rows are added only through `Ledger.transaction()`, which `letterkit.writer.commit` opens while
it puts a letter's files in place: a letter and its row are committed together. This module
does not import `build`. A new field of a letter (the questions a letter answered, when it was
sent…) is a field of `Entry` and one line in `_COLUMNS` with the value older letters get: an
older ledger.sqlite gets the column when next opened, ledger.csv's `record` carries it, and an
older ledger.csv rebuilds with the default.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import hashlib
import io
import json
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letterkit.errors import LetterkitError
from letterkit.paths import ASSOCIATIONS_FILE, CAMPAIGN_FILE, MEASURES_FILE, template_dirs
from letterkit.writer import write_atomic

if TYPE_CHECKING:
    from letterkit.models import Program
    from letterkit.writer import Record

LEDGER_FILE = "ledger.sqlite"
EXPORT_FILE = "ledger.csv"
BUSY_TIMEOUT = 30.0  # seconds to wait for another program holding ledger.sqlite

SCHEMA = """
CREATE TABLE letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused
    composed TEXT NOT NULL,      -- when letterkit wrote it (UTC)
    date TEXT NOT NULL,          -- the letter's date
    assoc TEXT NOT NULL,         -- NFC
    themes TEXT NOT NULL,        -- JSON list of tags
    measures TEXT NOT NULL,      -- JSON object: number -> sha256 of the measure's text as sent
    texts TEXT NOT NULL,         -- JSON object: number -> the measure's text as sent
    templates TEXT NOT NULL,     -- sha256 of the templates used
    data TEXT NOT NULL,          -- sha256 of the campaign's three data files
    files TEXT NOT NULL,         -- JSON object: file name -> sha256
    request TEXT NOT NULL        -- JSON: what to compose it again
)
"""  # the columns added since are in _COLUMNS only


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def measure_hash(text: str) -> str:
    return sha256(text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def data_hash(root: Path) -> str:
    """One hash of the campaign's data files."""
    return _files_hash(_stamped([root / name for name in
                                 (CAMPAIGN_FILE, MEASURES_FILE, ASSOCIATIONS_FILE)]))


def templates_hash(root: Path) -> str:
    """One hash of every template file letterkit would use for this campaign (the campaign's
    own copy of a file hides letterkit's)."""
    used: dict[str, Path] = {}
    for folder in template_dirs(root):
        for path in sorted(folder.iterdir()):
            if path.is_file():
                used.setdefault(path.name, path)
    return _files_hash(_stamped([used[name] for name in sorted(used)]))


def _stamped(paths: list[Path]) -> tuple[tuple[Path, int, int], ...]:
    stats = [path.stat() for path in paths]
    return tuple((path, st.st_mtime_ns, st.st_size) for path, st in zip(paths, stats, strict=True))


@cache
def _files_hash(files: tuple[tuple[Path, int, int], ...]) -> str:
    # Read once per process while the files are unchanged: a batch hashes them once.
    return sha256("".join(f"{path.name}:{sha256(path.read_bytes())}\n"
                          for path, _, _ in files))


@dataclass
class Entry:
    id: int
    composed: str
    date: str
    assoc: str
    themes: list[str]
    measures: dict[int, str]     # number → sha256 of the text as sent ("" if unknown)
    texts: dict[int, str]
    templates: str
    data: str
    files: dict[str, str]
    request: dict[str, Any]
    sent: str = ""               # when it was e-mailed (UTC), "" while only drafted
    message_id: str = ""

    @property
    def questions(self) -> list[dict[str, Any]] | None:
        """A questionnaire's letter: each question's number and the measures it cites."""
        answers = self.request.get("answers") if isinstance(self.request, dict) else None
        if not isinstance(answers, dict):
            return None
        return [{"number": q.get("number"), "measures": list(q.get("measures") or [])}
                for q in answers.get("questions") or [] if isinstance(q, dict)]

    def as_json(self) -> dict[str, Any]:
        shown = {"id": self.id, "date": self.date, "assoc": self.assoc, "themes": self.themes,
                 "measures": sorted(self.measures), "composed": self.composed,
                 "sent": self.sent or None, "message_id": self.message_id or None,
                 "files": self.files, "templates_sha256": self.templates,
                 "data_sha256": self.data, "measures_sha256": {str(n): h for n, h in
                                                                 self.measures.items()}}
        if self.questions is not None:
            shown["questions"] = self.questions
        return shown


# The database columns, in order: whether each is stored as JSON, and the value (as stored)
# a letter recorded before the column existed gets. A new field of a letter is a field of
# Entry and one line here: an older ledger gets the column when next opened (_add_columns),
# an older ledger.csv's `record` the default.
_COLUMNS: dict[str, tuple[bool, str]] = {
    "id": (False, "0"),
    "composed": (False, ""),
    "date": (False, ""),
    "assoc": (False, ""),
    "themes": (True, "[]"),
    "measures": (True, "{}"),
    "texts": (True, "{}"),
    "templates": (False, ""),
    "data": (False, ""),
    "files": (True, "{}"),
    "request": (True, "{}"),
    "sent": (False, ""),         # when `letterkit send` e-mailed it (UTC); "" while a draft
    "message_id": (False, ""),   # the Message-ID of that e-mail
}
_NUMBERED = ("measures", "texts")  # JSON objects keyed by measure number


def _to_row(entry: Entry) -> tuple[Any, ...]:
    values = dataclasses.asdict(entry)
    return tuple(json.dumps(values[name], ensure_ascii=False) if as_json else values[name]
                 for name, (as_json, _) in _COLUMNS.items())


def _from_values(values: dict[str, Any]) -> Entry:
    """An Entry from decoded values; a value missing (an older record) gets its default."""
    for name, (as_json, default) in _COLUMNS.items():
        if name not in values:
            values[name] = json.loads(default) if as_json else default
    for name in _NUMBERED:
        values[name] = {int(n): v for n, v in values[name].items()}
    return Entry(**{name: values[name] for name in _COLUMNS})


def _from_row(row: tuple[Any, ...]) -> Entry:
    return _from_values({name: json.loads(value) if as_json else value
                         for (name, (as_json, _)), value in zip(_COLUMNS.items(), row,
                                                                 strict=True)})


class Rows:
    """The ledger's write transaction, as `letterkit.writer.commit` uses it."""

    def __init__(self, ledger: Ledger, connection: sqlite3.Connection) -> None:
        self.ledger, self.connection = ledger, connection

    def add(self, record: Record) -> int:
        """Insert the letter's row; its id (committed with the transaction)."""
        root = self.ledger.root
        entry = Entry(0, _now(), record.date, nfc(record.assoc), record.themes,
                      {n: measure_hash(t) for n, t in record.measures.items()},
                      dict(record.measures), templates_hash(root), data_hash(root),
                      {name: sha256(content) for name, content in record.files.items()},
                      record.request)
        names = [name for name in _COLUMNS if name != "id"]
        cursor = self.ledger.execute(
            self.connection, f"INSERT INTO letters ({', '.join(names)}) VALUES "
            f"({', '.join('?' * len(names))})", _to_row(entry)[1:])
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Ledger:
    """The ledger of the campaign folder `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / LEDGER_FILE
        self.export_path = root / EXPORT_FILE
        # The open connection and the stamp of ledger.sqlite when it was last used: kept
        # while this object lives (a batch worker records many letters with one).
        self._open_connection: tuple[sqlite3.Connection, tuple[int, int, int] | None] | None \
            = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (the last one to close checkpoints the database)."""
        if self._open_connection is not None:
            connection, self._open_connection = self._open_connection[0], None
            connection.close()

    # --- reading ---------------------------------------------------------------------------

    def entries(self, assoc: str | None = None, measure: int | None = None) -> list[Entry]:
        """The letters, oldest first, filtered by association (any case, any Unicode
        spelling) or by measure. A missing ledger.sqlite is first rebuilt from ledger.csv."""
        if not self.path.exists():
            if not self.export_path.exists():
                return []
            try:
                self._connection()  # rebuilds it from ledger.csv
            except LetterkitError:  # a read-only folder: read the copy as it is
                return _filtered(read_export(self.export_path), assoc, measure)
        try:
            connection = self._connection()
        except LetterkitError as exc:  # a folder this user cannot write: read it as it is
            if "cannot be written" not in str(exc):
                raise
            return _filtered(self._read_only(), assoc, measure)
        rows = self.execute(connection, f"SELECT {', '.join(_COLUMNS)} FROM letters "
                            "ORDER BY id").fetchall()
        return _filtered([_from_row(row) for row in rows], assoc, measure)

    def _read_only(self) -> list[Entry]:
        """The letters of a ledger this user may read but not write (SQLite cannot even
        read a WAL database it cannot write to, so it is read as an unchanging file)."""
        try:
            connection = sqlite3.connect(f"{self.path.absolute().as_uri()}?immutable=1",
                                         uri=True)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            rows = self.execute(connection, f"SELECT {', '.join(_COLUMNS)} FROM letters "
                                "ORDER BY id").fetchall()
        finally:
            connection.close()
        return [_from_row(row) for row in rows]

    def entry(self, number: int) -> Entry:
        found = next((e for e in self.entries() if e.id == number), None)
        if found is None:
            raise LetterkitError(f"no letter {number} in the ledger",
                                 hint="letterkit ledger lists the letters and their ids")
        return found

    # --- writing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Rows]:
        """One write transaction, committed when the block ends, rolled back if it fails."""
        connection = self._connection()
        try:
            self.execute(connection, "BEGIN IMMEDIATE")
            try:
                yield Rows(self, connection)
                self.execute(connection, "COMMIT")
            except BaseException:
                connection.rollback()
                raise
        except BaseException:
            self._forget()  # start afresh next time, whatever went wrong
            raise
        self._open_connection = (connection, _stamp(self.path))

    def mark_sent(self, number: int, sent: str, message_id: str) -> None:
        """Record that letter `number` was e-mailed, when and with which Message-ID; then
        write ledger.csv again."""
        with self.transaction() as rows:
            cursor = self.execute(rows.connection, "UPDATE letters SET sent = ?, message_id = ? "
                                  "WHERE id = ?", (sent, message_id, number))
            if cursor.rowcount != 1:
                raise LetterkitError(f"no letter {number} in the ledger",
                                     hint="letterkit ledger lists the letters and their ids")
        self.export()

    def export(self) -> None:
        """Write ledger.csv again, whole, from the database (then rename it into place)."""
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        rows = self.execute(self._connection(), f"SELECT {', '.join(_COLUMNS)} FROM letters "
                            "ORDER BY id")
        writer.writerows(_export_row(dict(zip(_COLUMNS, row, strict=True))) for row in rows)
        write_atomic(self.export_path, stream.getvalue().encode())

    # --- the database ----------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """The connection to ledger.sqlite, kept open while this object lives: closing the
        last connection to a WAL database checkpoints it with a disk flush, 20 to 30 ms a
        letter in a batch. It is opened again when the file changed under it (deleted,
        replaced, written over)."""
        stamp = _stamp(self.path)
        if self._open_connection is not None:
            if stamp is not None and self._open_connection[1] == stamp:
                return self._open_connection[0]
            if stamp is not None and not _is_sqlite(self.path):
                # Written over: closing would checkpoint the old pages into it. Let it be.
                _abandoned.append(self._open_connection[0])
                self._open_connection = None
            else:
                self.close()
        connection = self._open()
        self._open_connection = (connection, _stamp(self.path))
        return connection

    def _forget(self) -> None:
        self.close()

    def _open(self) -> sqlite3.Connection:
        """A connection to ledger.sqlite, created (and filled from ledger.csv) if missing."""
        try:
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT,
                                         isolation_level=None)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            self._prepare(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        # Two processes creating the ledger at once (batch workers) may find it locked while
        # the other switches it to WAL: SQLite's busy timeout does not cover that, so retry.
        for attempt in range(100):
            try:
                # Write-ahead log: letters are recorded without a disk flush each.
                if self.execute(connection, "PRAGMA journal_mode").fetchone()[0] != "wal":
                    self.execute(connection, "PRAGMA journal_mode=WAL")
                break
            except LetterkitError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
                time.sleep(0.05)
        self.execute(connection, "PRAGMA synchronous=NORMAL")
        if self._has_table(connection):
            self._add_columns(connection)
            return
        self.execute(connection, "BEGIN IMMEDIATE")
        try:
            if not self._has_table(connection):  # a new ledger: keep what ledger.csv knows
                self.execute(connection, SCHEMA)
                self._add_columns(connection, begin=False)
                if self.export_path.exists():
                    names = list(_COLUMNS)
                    for kept in read_export(self.export_path):
                        self.execute(connection, f"INSERT INTO letters ({', '.join(names)}) "
                                     f"VALUES ({', '.join('?' * len(names))})", _to_row(kept))
            self.execute(connection, "COMMIT")
        except BaseException:
            connection.rollback()
            raise

    def _missing(self, connection: sqlite3.Connection) -> list[str]:
        present = {row[1] for row in self.execute(connection, "PRAGMA table_info(letters)")}
        return [name for name in _COLUMNS if name not in present]

    def _add_columns(self, connection: sqlite3.Connection, begin: bool = True) -> None:
        """Give a ledger made by an older letterkit the columns added since (those of
        _COLUMNS that SCHEMA lacks), with their defaults."""
        if not self._missing(connection):
            return
        if begin:
            self.execute(connection, "BEGIN IMMEDIATE")
        try:
            for name in self._missing(connection):
                default = _COLUMNS[name][1].replace("'", "''")
                self.execute(connection, f"ALTER TABLE letters ADD COLUMN {name} TEXT NOT NULL "
                             f"DEFAULT '{default}'")
            if begin:
                self.execute(connection, "COMMIT")
        except BaseException:
            if begin:
                connection.rollback()
            raise

    def _has_table(self, connection: sqlite3.Connection) -> bool:
        return self.execute(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'letters'").fetchone() is not None

    def execute(self, connection: sqlite3.Connection, sql: str,
                parameters: Iterable[Any] = ()) -> sqlite3.Cursor:
        try:
            return connection.execute(sql, tuple(parameters))
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _error(self, exc: sqlite3.Error) -> LetterkitError:
        """What went wrong with ledger.sqlite, where, and what to do; nothing was written."""
        text = str(exc)
        where = str(self.path)
        if "locked" in text or "busy" in text:
            return LetterkitError("the ledger is locked by another program", file=where,
                                  hint="close the program that has it open, then run the "
                                  "command again; nothing was written")
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return LetterkitError(f"the ledger cannot be written ({text})", file=where,
                                  hint="make it and the campaign folder writable, then run "
                                  "the command again; nothing was written")
        if "full" in text or "disk I/O" in text:
            return LetterkitError(f"the ledger cannot be written ({text})", file=where,
                                  hint="free some space, then run the command again; nothing "
                                  "was written")
        if isinstance(exc, sqlite3.DatabaseError):
            return LetterkitError(f"the ledger is damaged ({text})", file=where,
                                  hint=f"move it aside (rename it {LEDGER_FILE}.damaged): the "
                                  f"next command rebuilds it from {EXPORT_FILE}; nothing was "
                                  "written")
        return LetterkitError(f"the ledger failed: {text}", file=where,
                              hint="run the command again; nothing was written")


_abandoned: list[sqlite3.Connection] = []  # to a file written over: never closed


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _filtered(found: list[Entry], assoc: str | None, measure: int | None) -> list[Entry]:
    wanted = nfc(assoc).casefold() if assoc is not None else None
    return [e for e in found if (wanted is None or nfc(e.assoc).casefold() == wanted)
            and (measure is None or measure in e.measures)]


def entries(root: Path, assoc: str | None = None, measure: int | None = None) -> list[Entry]:
    """The ledger's letters, oldest first (see Ledger.entries)."""
    with Ledger(root) as ledger:
        return ledger.entries(assoc, measure)


# --- ledger.csv ----------------------------------------------------------------------------

EXPORT_COLUMNS = ["id", "date", "assoc", "themes", "measures", "composed", "files", "sent",
                  "record"]


def _export_row(values: dict[str, Any]) -> list[object]:
    """One line of ledger.csv from the database's columns: the readable ones, then `record`,
    the whole row as JSON (the JSON columns copied as stored, not decoded again)."""
    measures, files = json.loads(values["measures"]), json.loads(values["files"])
    record = ",".join(f'"{name}":{values[name] if as_json else json.dumps(values[name])}'
                      for name, (as_json, _) in _COLUMNS.items() if name != "id")
    return [values["id"], values["date"], values["assoc"], ",".join(json.loads(values["themes"])),
            ",".join(map(str, sorted(map(int, measures)))), values["composed"],
            " ".join(f"{name}:{digest[:12]}" for name, digest in files.items()),
            values["sent"], "{" + record + "}"]


def read_export(path: Path) -> list[Entry]:
    """The letters in ledger.csv, as letterkit wrote it or as a spreadsheet saved it again
    (`;` or tabs, CRLF, no final newline, a BOM, Windows-1252). A row without the `record`
    column (a ledger.csv of an older letterkit) keeps what its columns say."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return []
    header = [name.strip().lower() for name in rows[0]]
    found: dict[int, Entry] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        if not cells.get("id"):
            continue
        try:
            entry = _entry_from_cells(cells)
        except (ValueError, KeyError, TypeError) as exc:
            raise LetterkitError(f"cannot read the letter on this line ({exc})",
                                 file=str(path), line=line,
                                 hint="put back the line as letterkit wrote it, or remove it"
                                 ) from None
        found[entry.id] = entry
    return [found[number] for number in sorted(found)]


def _entry_from_cells(cells: dict[str, str]) -> Entry:
    number = int(float(cells["id"]))  # a spreadsheet may write 1 as 1.0
    if cells.get("record"):
        values = json.loads(cells["record"])
        values["id"] = number
        return _from_values(values)
    measures = [int(n) for n in cells.get("measures", "").replace(";", ",").split(",")
                if n.strip()]
    files = dict(part.split(":", 1) for part in cells.get("files", "").split() if ":" in part)
    return Entry(number, cells.get("composed", ""), cells.get("date", ""),
                 cells.get("assoc", ""), [t for t in cells.get("themes", "").split(",") if t],
                 {n: "" for n in measures}, {}, "", "", files, {})


@dataclass
class Stale:
    entry: Entry
    changes: list[str]   # how the letter may now misstate the program


def stale(root: Path, program: Program, among: Iterable[Entry]) -> list[Stale]:
    """The letters whose cited measures changed in measures.yaml since they were sent."""
    now = {m.number: m.text for m in program.measures}
    found = []
    for entry in among:
        # In a questionnaire's letter, say which answers cite the measure.
        answering: dict[int, list[int]] = {}
        for question in entry.questions or []:
            for number in question["measures"]:
                answering.setdefault(number, []).append(question["number"])
        changes = [(f"measure {n} no longer exists" if n not in now else
                    f"measure {n} has changed: {_difference(entry.texts[n], now[n])}"
                    if n in entry.texts else f"measure {n} has changed")
                   + (f" (the answer to question {', '.join(map(str, answering[n]))})"
                      if n in answering else "")
                   for n, digest in sorted(entry.measures.items())
                   # no digest: a row rebuilt from an old ledger.csv, its text unknown
                   if n not in now or (digest and measure_hash(now[n]) != digest)]
        if changes:
            found.append(Stale(entry, changes))
    return found


def _difference(sent: str, now: str) -> str:
    """What changed between the text a letter cited and the program's text now, in words."""
    before, after = sent.split(), now.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
        old, new = " ".join(before[i1:i2]), " ".join(after[j1:j2])
        if tag == "replace":
            parts.append(f"« {old} » became « {new} »")
        elif tag == "delete":
            parts.append(f"« {old} » was removed")
        elif tag == "insert":
            parts.append(f"« {new} » was added")
    return "; ".join(parts[:3]) + ("…" if len(parts) > 3 else "") or "spacing only"
