"""The inbox: every request the list received (a questionnaire, a plaidoyer, a charte…), its
deadline, and the letter that answers it.

Requests are rows of the `requests` table of ledger.sqlite, beside the letters; `inbox.csv` is
their readable copy, written whole after each change (then renamed into place), from which a
lost table is rebuilt with every id. Ids are never reused: the table is AUTOINCREMENT, and a
rebuilt one starts after the highest id inbox.csv holds. A request's documents are copied
under `inbox/` through temporary files renamed into place inside the write transaction, and
removed if it fails: a request is all there or not at all. Everything that writes runs under
the lock of the campaign folder, the one letters are written under.

May import: the base modules (errors, files, text).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from letterkit.errors import LetterkitError, Problem
from letterkit.files import locked, write_atomic, write_error, write_temporary
from letterkit.i18n import _, reason
from letterkit.ledger.export import spreadsheet_rows
from letterkit.text import slug

if TYPE_CHECKING:
    from letterkit.ledger.database import Ledger

INBOX_FILE = "inbox.csv"
INBOX_FOLDER = "inbox"
STATUSES = ("received", "drafted", "sent", "done")
PENDING = ("received", "drafted")

SCHEMA = """
CREATE TABLE requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused
    added TEXT NOT NULL,         -- when letterkit recorded it (UTC)
    received TEXT NOT NULL,      -- YYYY-MM-DD
    due TEXT NOT NULL,           -- YYYY-MM-DD, or empty: no deadline
    assoc TEXT NOT NULL,         -- the association's short name
    kind TEXT NOT NULL,          -- questionnaire, plaidoyer, charte… (may be empty)
    note TEXT NOT NULL,
    subject TEXT NOT NULL,       -- an e-mail's subject
    sender TEXT NOT NULL,        -- an e-mail's From address
    documents TEXT NOT NULL,     -- JSON list: file names under inbox/
    hashes TEXT NOT NULL,        -- JSON list: sha256 of each file as received
    themes TEXT NOT NULL,        -- JSON list: the themes suggested from its documents
    status TEXT NOT NULL,        -- received, drafted, sent, done
    letter INTEGER,              -- the ledger id of the letter that answers it
    answered TEXT NOT NULL       -- YYYY-MM-DD it was sent or handed over, or empty
)
"""
JSON_COLUMNS = ("documents", "hashes", "themes")


@dataclass
class InboxRequest:
    """One request, as the table keeps it."""

    id: int
    added: str
    received: str
    due: str
    assoc: str
    kind: str = ""
    note: str = ""
    subject: str = ""
    sender: str = ""
    documents: list[str] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    status: str = "received"
    letter: int | None = None
    answered: str = ""

    @property
    def pending(self) -> bool:
        return self.status in PENDING


COLUMNS = tuple(f.name for f in fields(InboxRequest))
# inbox.csv: the readable columns first, in the order people read them.
CSV_COLUMNS = ("id", "assoc", "received", "due", "status", "letter", "answered", "kind",
               "documents", "themes", "note", "subject", "sender", "hashes", "added")


def _row(request: InboxRequest) -> tuple[object, ...]:
    return tuple(json.dumps(value, ensure_ascii=False) if name in JSON_COLUMNS else value
                 for name, value in ((n, getattr(request, n)) for n in COLUMNS))


def _from_row(row: tuple[object, ...]) -> InboxRequest:
    values = dict(zip(COLUMNS, row, strict=True))
    for name in JSON_COLUMNS:
        values[name] = json.loads(str(values[name]))
    return InboxRequest(**values)  # type: ignore[arg-type]


class Inbox:
    """The requests of the campaign whose ledger is `ledger`."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.root = ledger.root
        self.csv_path = ledger.root / INBOX_FILE
        self.folder = ledger.root / INBOX_FOLDER
        self.warnings: list[Problem] = []  # inbox.csv not written, say

    # --- reading ---------------------------------------------------------------------------

    def requests(self) -> list[InboxRequest]:
        """Every request, oldest first (the table rebuilt from inbox.csv if it was lost)."""
        if not self.ledger.path.exists() and not self.csv_path.exists():
            return []
        connection = self._connection()
        rows = self.ledger.execute(connection, f"SELECT {', '.join(COLUMNS)} FROM requests "
                                   "ORDER BY id").fetchall()
        return [_from_row(row) for row in rows]

    def request(self, number: int) -> InboxRequest:
        found = next((r for r in self.requests() if r.id == number), None)
        if found is None:
            raise LetterkitError(_("no request {number} in the inbox").format(number=number),
                                 hint=_("letterkit inbox --all lists the requests and their "
                                        "ids"))
        return found

    # --- writing ---------------------------------------------------------------------------

    def add(self, request: InboxRequest, files: list[tuple[str, bytes]]) -> InboxRequest:
        """Record `request` with its documents (`files`: each name as received and its bytes,
        copied under inbox/ as `<id>-<name>`); the same file twice is refused, naming the
        request that has it. Returns the request with its id and file names."""
        import hashlib

        hashes = [hashlib.sha256(data).hexdigest() for _name, data in files]
        try:
            self.folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise write_error(exc, self.folder) from exc
        with self._locked():
            temporaries: list[Path] = []
            placed: list[Path] = []
            try:
                for name, data in files:
                    temporaries.append(write_temporary(self.folder / name, data))
                with self._transaction() as connection:
                    self._refuse_known(connection, hashes, [name for name, _data in files])
                    number = self._next_id(connection)
                    names = [_stored_name(number, name, index, [n for n, _data in files])
                             for index, (name, _data) in enumerate(files)]
                    request.id, request.documents, request.hashes = number, names, hashes
                    columns = ", ".join(COLUMNS)
                    self.ledger.execute(connection, f"INSERT INTO requests ({columns}) VALUES "
                                        f"({', '.join('?' * len(COLUMNS))})", _row(request))
                    for temporary, name in zip(temporaries, names, strict=True):
                        os.replace(temporary, self.folder / name)
                        placed.append(self.folder / name)
            except BaseException as exc:
                for path in [*placed, *temporaries]:
                    path.unlink(missing_ok=True)
                if isinstance(exc, OSError):
                    raise write_error(exc, self.folder) from exc
                raise
            self._export()
        return request

    def update(self, number: int, **values: object) -> InboxRequest:
        """Change columns of request `number` (status, letter, answered), then inbox.csv."""
        self.request(number)
        with self._locked():
            with self._transaction() as connection:
                assignments = ", ".join(f"{name} = ?" for name in values)
                self.ledger.execute(connection, f"UPDATE requests SET {assignments} WHERE id = ?",
                                    (*values.values(), number))
            self._export()
        return self.request(number)

    def letter_sent(self, letter: int, date: str) -> None:
        """The letter `letter` was e-mailed: the requests it answers are sent."""
        if not any(r.letter == letter for r in self.requests()):
            return
        with self._locked():
            with self._transaction() as connection:
                self.ledger.execute(connection, "UPDATE requests SET status = 'sent', "
                                    "answered = ? WHERE letter = ?", (date, letter))
            self._export()

    # --- the table -------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with locked(self.root):
            yield

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self.ledger.transaction() as rows:
            self._ensure(rows.connection)
            yield rows.connection

    def _connection(self) -> sqlite3.Connection:
        with self.ledger.transaction() as rows:
            self._ensure(rows.connection)
            return rows.connection

    def _ensure(self, connection: sqlite3.Connection) -> None:
        """The requests table, created (and filled from inbox.csv) if missing; inside the
        caller's write transaction."""
        if self.ledger.execute(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                               "AND name = 'requests'").fetchone() is not None:
            return
        self.ledger.execute(connection, SCHEMA)
        if not self.csv_path.exists():
            return
        kept, highest = read_inbox(self.csv_path)
        for request in kept:
            self.ledger.execute(connection, f"INSERT INTO requests ({', '.join(COLUMNS)}) "
                                f"VALUES ({', '.join('?' * len(COLUMNS))})", _row(request))
        self._set_highest(connection, highest)

    def _set_highest(self, connection: sqlite3.Connection, highest: int) -> None:
        if not highest:
            return
        if self.ledger.execute(connection, "SELECT 1 FROM sqlite_sequence WHERE name = "
                               "'requests'").fetchone() is None:
            self.ledger.execute(connection, "INSERT INTO sqlite_sequence (name, seq) VALUES "
                                "('requests', ?)", (highest,))
        else:
            self.ledger.execute(connection, "UPDATE sqlite_sequence SET seq = max(seq, ?) "
                                "WHERE name = 'requests'", (highest,))

    def _next_id(self, connection: sqlite3.Connection) -> int:
        found = self.ledger.execute(connection, "SELECT seq FROM sqlite_sequence WHERE name = "
                                    "'requests'").fetchone()
        return (int(found[0]) if found else 0) + 1

    def _refuse_known(self, connection: sqlite3.Connection, hashes: list[str],
                      names: list[str]) -> None:
        rows = self.ledger.execute(connection, "SELECT id, hashes FROM requests ORDER BY id")
        for number, stored in rows.fetchall():
            for digest, name in zip(hashes, names, strict=True):
                if digest in json.loads(stored):
                    raise LetterkitError(
                        _("{name} is already in the inbox: request {number}").format(
                            name=name, number=number),
                        hint=_("letterkit inbox --all shows request {number}; nothing was "
                               "written").format(number=number))

    def _export(self) -> None:
        """inbox.csv, written whole from the table, then renamed into place. The change is
        committed already: a copy that cannot be written is a warning (the next change
        writes it whole again), never an error that would say nothing was recorded."""
        try:
            self._write_copy()
        except LetterkitError as exc:
            self.warnings.append(Problem(
                _("inbox.csv could not be updated ({problem})").format(problem=exc.problem),
                hint=_("ledger.sqlite holds the change; inbox.csv is written whole again "
                       "with the next one"), warning=True))

    def _write_copy(self) -> None:
        connection = self._connection()
        rows = [_from_row(r) for r in self.ledger.execute(
            connection, f"SELECT {', '.join(COLUMNS)} FROM requests ORDER BY id").fetchall()]
        found = self.ledger.execute(connection, "SELECT seq FROM sqlite_sequence WHERE name = "
                                    "'requests'").fetchone()
        write_inbox(self.csv_path, rows, int(found[0]) if found else 0)


def _stored_name(number: int, name: str, index: int, names: list[str]) -> str:
    """`<id>-<name>` as a safe file name, its suffix kept; a second file of the same name
    gets its position too."""
    path = Path(name)
    stem = slug(path.stem, limit=80)
    same = stem + path.suffix.lower()
    if [slug(Path(n).stem, limit=80) + Path(n).suffix.lower() for n in names].count(same) > 1:
        stem = f"{stem}-{index + 1}"
    return f"{number:03d}-{stem}{path.suffix.lower()}"


# --- inbox.csv -----------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def inert(value: object) -> str:
    """A cell a spreadsheet shows as written: one beginning like a formula (= + - @) gets a
    leading apostrophe (as does one beginning with an apostrophe, so that it reads back)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _unquote(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def write_inbox(path: Path, requests: list[InboxRequest], highest: int) -> None:
    """inbox.csv whole: a header, one line per request, lists joined by « ; » (no list item
    holds one: file names are slugs, themes are tags). The last column of the header line is
    also where the highest id ever given is kept (« highest:7 »), for a rebuilt table."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, f"highest:{highest}"])
    for request in requests:
        cells = []
        for name in CSV_COLUMNS:
            value = getattr(request, name)
            if name in JSON_COLUMNS:
                value = "; ".join(value)
            cells.append(inert(value))
        writer.writerow(cells)
    try:
        write_atomic(path, stream.getvalue().encode())
    except OSError as exc:
        raise LetterkitError(_("cannot write {path}: {reason}").format(
            path=path, reason=reason(exc))) from exc


def read_inbox(path: Path) -> tuple[list[InboxRequest], int]:
    """The requests of inbox.csv (as letterkit wrote it, or as a spreadsheet saved it again:
    `;` or tabs, CRLF, a BOM), and the highest id ever given."""
    rows = spreadsheet_rows(path)
    if not rows:
        return [], 0
    header = [name.strip().lower() for name in rows[0]]
    highest = max((int(n.split(":", 1)[1]) for n in header
                   if n.startswith("highest:") and n.split(":", 1)[1].isdigit()), default=0)
    found: dict[int, InboxRequest] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = {name: _unquote(cell.strip()) for name, cell in zip(header, row, strict=False)}
        if not cells.get("id"):
            continue
        try:
            request = _from_cells(cells)
        except (ValueError, KeyError) as exc:
            raise LetterkitError(_("cannot read the request on this line ({why})").format(
                                     why=exc), file=str(path), line=line,
                                 hint=_("put back the line as letterkit wrote it, or remove "
                                        "it")) from None
        found[request.id] = request
    return [found[n] for n in sorted(found)], max([highest, *found])


def _from_cells(cells: dict[str, str]) -> InboxRequest:
    values: dict[str, object] = {}
    for name in COLUMNS:
        value = cells.get(name, "")
        if name in JSON_COLUMNS:
            values[name] = [part.strip() for part in value.split(";") if part.strip()]
        elif name in ("id", "letter"):
            values[name] = int(float(value)) if value else None
        else:
            values[name] = value
    if values["id"] is None:
        raise KeyError("id")
    if values["status"] not in STATUSES:
        raise ValueError(_("status « {status} »: one of {statuses}").format(
            status=values["status"], statuses=", ".join(STATUSES)))
    return InboxRequest(**values)  # type: ignore[arg-type]
