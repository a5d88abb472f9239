"""The ledger: what was promised to whom, the list's memory and the source of truth.

Every recorded letter is a row of ledger.sqlite in the campaign folder, with the measures as
sent (text and hash), hashes of the templates and data, of the files written, and the request
to compose it again. ledger.csv is regenerated from the database after each letter (written
whole, then renamed): readable in a spreadsheet, and a full copy (its `record` column) from
which a missing ledger.sqlite is rebuilt, keeping every id. A spreadsheet's re-save (`;`,
CRLF, no final newline, a BOM) reads back the same.

Rows are added only through `Ledger.transaction()`, which `pipeline.writer.commit` opens while
it puts a letter's files in place: a letter and its row are committed together. This module
does not import `build`. A letter's row and its hashes are in `letterkit.ledger.entry` (a new
field of a letter is one line there), ledger.csv in `letterkit.ledger.export`, the stale letters in
`letterkit.ledger.stale`; their public names are importable from here too.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letterkit.errors import LetterkitError
from letterkit.i18n import _
from letterkit.ledger import journal
from letterkit.ledger.entry import (
    COLUMNS,
    Entry,
    data_hash,
    from_row,
    measure_hash,
    nfc,
    sha256,
    templates_hash,
    to_row,
)
from letterkit.ledger.export import EXPORT_COLUMNS, EXPORT_FILE, read_export, write_export
from letterkit.ledger.stale import Stale, stale

if TYPE_CHECKING:
    from letterkit.ledger.entry import Record

__all__ = ["BUSY_TIMEOUT", "EXPORT_COLUMNS", "EXPORT_FILE", "LEDGER_FILE", "Entry", "Ledger",
           "LedgerLocked",
           "Rows", "Stale", "data_hash", "entries", "measure_hash", "nfc", "read_export",
           "sha256", "stale", "templates_hash"]

LEDGER_FILE = "ledger.sqlite"
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
"""  # the columns added since are in COLUMNS only


class Rows:
    """The ledger's write transaction, as `letterkit.pipeline.writer.commit` uses it."""

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
        names = [name for name in COLUMNS if name != "id"]
        cursor = self.ledger.execute(
            self.connection, f"INSERT INTO letters ({', '.join(names)}) VALUES "
            f"({', '.join('?' * len(names))})", to_row(entry)[1:])
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
                return _filtered(self._journaled(read_export(self.export_path)), assoc,
                                 measure)
        try:
            connection = self._connection()
        except LedgerUnwritable:  # a folder this user cannot write: read it as it is
            return _filtered(self._journaled(self._read_only()), assoc, measure)
        if self.replay_journal():
            connection = self._connection()
        rows = self.execute(connection, f"SELECT {', '.join(COLUMNS)} FROM letters "
                            "ORDER BY id").fetchall()
        return _filtered(self._journaled([from_row(row) for row in rows]), assoc, measure)

    def _journaled(self, found: list[Entry]) -> list[Entry]:
        """The letters, those of the sending journal marked sent (letterkit.ledger.journal)."""
        sent = journal.read(self.root)
        return [dataclasses.replace(e, sent=sent[e.id][0], message_id=sent[e.id][1])
                if e.id in sent else e for e in found]

    def replay_journal(self) -> bool:
        """Write the sending journal's letters into the ledger, then empty the journal; if
        the ledger is still locked, the journal waits for the next command."""
        def write(found: dict[int, tuple[str, str]]) -> None:
            with self.transaction() as rows:
                for number, (sent, message_id) in found.items():
                    self.execute(rows.connection, "UPDATE letters SET sent = ?, "
                                 "message_id = ? WHERE id = ?", (sent, message_id, number))

        if not journal.pending(self.root):
            return False
        try:
            if journal.replay(self.root, write):
                self._export_quietly()
        except (LetterkitError, OSError):
            pass
        return True

    def _read_only(self) -> list[Entry]:
        """The letters of a ledger this user may read but not write (SQLite cannot even
        read a WAL database it cannot write to, so it is read as an unchanging file)."""
        try:
            connection = sqlite3.connect(f"{self.path.absolute().as_uri()}?immutable=1",
                                         uri=True)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            rows = self.execute(connection, f"SELECT {', '.join(COLUMNS)} FROM letters "
                                "ORDER BY id").fetchall()
        finally:
            connection.close()
        return [from_row(row) for row in rows]

    def entry(self, number: int) -> Entry:
        found = next((e for e in self.entries() if e.id == number), None)
        if found is None:
            raise LetterkitError(_("no letter {number} in the ledger").format(number=number),
                                 hint=_("letterkit ledger lists the letters and their ids"))
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
                raise LetterkitError(_("no letter {number} in the ledger").format(
                                         number=number),
                                     hint=_("letterkit ledger lists the letters and their ids"))
        self._export_quietly()

    def _export_quietly(self) -> None:
        """ledger.csv written again, if it can be: the row is committed, and ledger.csv is
        rewritten whole by the next command that records anything."""
        with suppress(LetterkitError, OSError):
            self.export()

    def export(self) -> None:
        """Write ledger.csv again, whole, from the database (then rename it into place)."""
        rows = self.execute(self._connection(), f"SELECT {', '.join(COLUMNS)} FROM letters "
                            "ORDER BY id")
        write_export(self.export_path, (dict(zip(COLUMNS, row, strict=True)) for row in rows))

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
            except LedgerLocked:
                if attempt == 99:
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
                    names = list(COLUMNS)
                    for kept in read_export(self.export_path):
                        self.execute(connection, f"INSERT INTO letters ({', '.join(names)}) "
                                     f"VALUES ({', '.join('?' * len(names))})", to_row(kept))
            self.execute(connection, "COMMIT")
        except BaseException:
            connection.rollback()
            raise

    def _missing(self, connection: sqlite3.Connection) -> list[str]:
        present = {row[1] for row in self.execute(connection, "PRAGMA table_info(letters)")}
        return [name for name in COLUMNS if name not in present]

    def _add_columns(self, connection: sqlite3.Connection, begin: bool = True) -> None:
        """Give a ledger made by an older letterkit the columns added since (those of
        COLUMNS that SCHEMA lacks), with their defaults."""
        if not self._missing(connection):
            return
        if begin:
            self.execute(connection, "BEGIN IMMEDIATE")
        try:
            for name in self._missing(connection):
                default = COLUMNS[name][1].replace("'", "''")
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
        """What went wrong with ledger.sqlite, where, and what to do; nothing was written.
        Told apart by SQLite's result code, never by the message's words."""
        text = str(exc)
        where = str(self.path)
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None  # extended codes: low byte
        if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return LedgerLocked(_("the ledger is locked by another program"), file=where,
                                hint=_("close the program that has it open, then run the "
                                       "command again; nothing was written"))
        # SQLite's own words ({text}) are English: they say which error it was.
        if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM,
                       sqlite3.SQLITE_AUTH):
            return LedgerUnwritable(_("the ledger cannot be written ({text})").format(
                                        text=text), file=where,
                                    hint=_("make it and the campaign folder writable, then "
                                           "run the command again; nothing was written"))
        if primary in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
            return LedgerUnwritable(_("the ledger cannot be written ({text})").format(
                                        text=text), file=where,
                                    hint=_("free some space, then run the command again; "
                                           "nothing was written"))
        if isinstance(exc, sqlite3.DatabaseError):  # SQLITE_CORRUPT, SQLITE_NOTADB, others
            return LetterkitError(_("the ledger is damaged ({text})").format(text=text),
                                  file=where,
                                  hint=_("move it aside (rename it {ledger}.damaged): the next "
                                         "command rebuilds it from {export}; nothing was "
                                         "written").format(ledger=LEDGER_FILE,
                                                           export=EXPORT_FILE))
        return LetterkitError(_("the ledger failed: {text}").format(text=text), file=where,
                              hint=_("run the command again; nothing was written"))


class LedgerLocked(LetterkitError):
    """Another program holds ledger.sqlite (SQLITE_BUSY, SQLITE_LOCKED)."""


class LedgerUnwritable(LetterkitError):
    """ledger.sqlite cannot be written: a read-only file or folder, a full disk. Told apart
    by its class, not by its words, which are in the interface's language."""


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
