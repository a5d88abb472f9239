"""The sending journal: letters a server accepted while ledger.sqlite could not be written.

`letterkit send` records a letter as sent in the ledger as soon as the server has taken it. If
the ledger cannot be written then (another program holds it locked, a full disk), the letter's
id, when it was sent and its Message-ID are appended to `ledger.sending.jsonl` beside it, with
a disk flush: the letter counts as sent from that moment (`Ledger.entries` reads the journal
too), and the next command that opens the ledger writes the journal into it, then removes it.
Imports nothing of the ledger's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

JOURNAL_FILE = "ledger.sending.jsonl"


def append(root: Path, number: int, sent: str, message_id: str) -> Path:
    """Add one sent letter to the journal, flushed to disk; the journal's path."""
    path = root / JOURNAL_FILE
    line = json.dumps({"id": number, "sent": sent, "message_id": message_id}) + "\n"
    with _locked(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND) as handle:
        os.write(handle, line.encode())
        os.fsync(handle)
    return path


@contextmanager
def _locked(path: Path, flags: int) -> Iterator[int]:
    handle = os.open(path, flags, 0o666)
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield handle
    finally:
        os.close(handle)


def read(root: Path) -> dict[int, tuple[str, str]]:
    """The journal's letters: id → (when sent, Message-ID); the last line of an id wins. A
    line cut short (the machine stopped while writing it) is left out."""
    try:
        text = (root / JOURNAL_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    found: dict[int, tuple[str, str]] = {}
    for line in text.splitlines():
        try:
            values = json.loads(line)
            found[int(values["id"])] = (str(values["sent"]), str(values["message_id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return found


def pending(root: Path) -> bool:
    """Whether the journal holds anything."""
    try:
        return (root / JOURNAL_FILE).stat().st_size > 0
    except OSError:
        return False


def replay(root: Path, write: Callable[[dict[int, tuple[str, str]]], None]) -> bool:
    """Give the journal's letters to `write` (which records them in the ledger), then empty
    the journal, holding it locked so that no letter added meanwhile is lost; whether there
    was anything to replay. If `write` fails, the journal stays as it was."""
    path = root / JOURNAL_FILE
    if not pending(root):
        return False
    try:
        with _locked(path, os.O_RDWR) as handle:
            found = read(root)
            if found:
                write(found)
            os.ftruncate(handle, 0)
            os.fsync(handle)
    except FileNotFoundError:
        return False
    return bool(found)
