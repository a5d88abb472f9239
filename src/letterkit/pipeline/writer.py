"""The one writer: every file of a letter and its ledger row are committed together, or nothing.

`build` prepares a `Draft` in memory (the bytes of every format, and the `Record` the
ledger keeps); `commit` then, under a lock on the output folder (and on the campaign folder
when the letter is recorded):

1. refuses a file that already exists, unless `force`;
2. writes each file to a hidden temporary file beside it (a full disk fails here: nothing is
   left);
3. opens the ledger's write transaction and inserts the row (a locked, read-only or damaged
   ledger fails here: nothing is left);
4. renames the temporary files into place, keeping a link to any file it replaces, and
   commits the transaction; any failure puts the old files back and rolls the row back.

Catchable signals (Ctrl-C, SIGTERM, SIGHUP) are held back while a letter is committed and act
just after: a letter and its record are never half there. Files follow the umask.

This module imports neither `build` nor `ledger`: the ledger is given as an object with a
`transaction()` (see `letterkit.ledger.database.Ledger`). A new output format is one entry in
`letterkit.pipeline.build.FORMATS`; nothing here changes.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from letterkit.errors import LetterkitError, Problem
from letterkit.files import locked, write_error, write_temporary
from letterkit.i18n import _
from letterkit.ledger.entry import Record


@dataclass
class Draft:
    """A letter ready to be written: every file's bytes, and its record."""

    files: dict[Path, bytes]
    record: Record


class Transaction(Protocol):
    def add(self, record: Record) -> int: ...


class Ledger(Protocol):
    root: Path

    def transaction(self) -> AbstractContextManager[Transaction]: ...

    def export(self) -> None: ...


HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM} | (
    {signal.SIGHUP} if hasattr(signal, "SIGHUP") else set())


class AlreadyWritten(LetterkitError):
    """A file of the letter is already there (and --force was not given)."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(_("{path} already exists").format(path=paths[0]),
                         hint=_("pass --force to overwrite it, or --date/--out for another"))
        self.paths = paths


@dataclass
class Committed:
    id: int | None              # the letter's id in the ledger, if recorded
    warnings: list[Problem]


def commit(files: dict[Path, bytes], *, force: bool = False, ledger: Ledger | None = None,
           record: Record | None = None, export: bool = True) -> Committed:
    """Write `files` and add `record` to `ledger`, all or nothing.

    `export=False` leaves ledger.csv to the caller (a batch regenerates it once, at the end).
    """
    folders = sorted({path.parent for path in files})
    try:
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, folders[0]) from exc
    locks = {*(f.resolve() for f in folders), *([ledger.root.resolve()] if ledger else [])}
    with ExitStack() as stack:
        for folder in sorted(locks):  # always in the same order: two writers cannot deadlock
            stack.enter_context(locked(folder))
        if not force:
            existing = [path for path in files if path.exists() or path.is_symlink()]
            if existing:
                raise AlreadyWritten(existing)
        with held_signals():
            letter_id = _commit_locked(files, ledger, record)
            warnings = []
            if ledger is not None and export:
                try:
                    ledger.export()
                except (OSError, LetterkitError) as exc:
                    warnings.append(Problem(
                        _("ledger.csv could not be updated ({error}); ledger.sqlite holds the "
                          "letter").format(error=exc),
                        hint=_("ledger.csv is rewritten in full with the next letter"),
                        warning=True))
    return Committed(letter_id, warnings)


def _commit_locked(files: dict[Path, bytes], ledger: Ledger | None,
                   record: Record | None) -> int | None:
    temporaries: dict[Path, Path] = {}
    backups: dict[Path, Path | None] = {}   # target → a link to the file it replaced
    try:
        for path, data in files.items():
            temporaries[path] = write_temporary(path, data)
        transaction: AbstractContextManager[Transaction | None] = (
            ledger.transaction() if ledger is not None else nullcontext())
        with transaction as rows:
            letter_id = rows.add(record) if rows is not None and record is not None else None
            for path, temporary in temporaries.items():
                backups[path] = _backup(path)
                os.replace(temporary, path)
        return letter_id
    except BaseException as exc:
        for path, backup in backups.items():   # put back what was there
            if backup is not None:
                os.replace(backup, path)
            else:
                path.unlink(missing_ok=True)
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_error(exc, next(iter(files), Path("."))) from exc
        raise
    finally:
        for backup in backups.values():
            if backup is not None:
                backup.unlink(missing_ok=True)


def _backup(path: Path) -> Path | None:
    """A hard link to the file at `path`, if any, to put it back if the commit fails."""
    if not path.exists():
        return None
    backup = path.with_name(f".{path.name}.{os.urandom(4).hex()}.old")
    try:
        os.link(path, backup)
    except OSError:
        return None  # a file system without hard links: the old file cannot be put back
    return backup


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back until the block ends (main thread only)."""
    import threading

    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


