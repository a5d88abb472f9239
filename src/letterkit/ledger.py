"""The ledger: what was promised to whom. Every composed letter is recorded in the campaign
folder (ledger.sqlite, exported as ledger.csv to stay readable), with hashes of the measures
as sent, of the templates and data, and of the files written."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import json
import sqlite3
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from letterkit.data import Project
from letterkit.errors import LetterkitError
from letterkit.models import Program
from letterkit.paths import ASSOCIATIONS_FILE, CAMPAIGN_FILE, MEASURES_FILE, template_dirs

LEDGER_FILE = "ledger.sqlite"
EXPORT_FILE = "ledger.csv"

SCHEMA = """
CREATE TABLE IF NOT EXISTS letters (
    id INTEGER PRIMARY KEY,
    composed TEXT NOT NULL,      -- when letterkit wrote it (UTC)
    date TEXT NOT NULL,          -- the letter's date
    assoc TEXT NOT NULL,
    themes TEXT NOT NULL,        -- JSON list of tags
    measures TEXT NOT NULL,      -- JSON object: number -> sha256 of the measure's text as sent
    texts TEXT NOT NULL,         -- JSON object: number -> the measure's text as sent
    templates TEXT NOT NULL,     -- sha256 of the templates used
    data TEXT NOT NULL,          -- sha256 of the campaign's three data files
    files TEXT NOT NULL,         -- JSON object: file name -> sha256
    request TEXT NOT NULL        -- JSON: what to compose it again
)
"""


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def measure_hash(text: str) -> str:
    return sha256(text)


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
    measures: dict[int, str]
    texts: dict[int, str]
    templates: str
    data: str
    files: dict[str, str]
    request: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date, "assoc": self.assoc, "themes": self.themes,
                "measures": sorted(self.measures), "composed": self.composed,
                "files": self.files, "templates_sha256": self.templates,
                "data_sha256": self.data, "measures_sha256": {str(n): h for n, h in
                                                                self.measures.items()}}


def _connect(root: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(root / LEDGER_FILE, timeout=30)
    # Two processes creating the ledger at once (batch workers) may find it locked while the
    # other switches it to WAL: SQLite's busy timeout does not cover that, so retry briefly.
    for attempt in range(100):
        try:
            # Write-ahead log: workers record side by side, without a disk flush per letter.
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(SCHEMA)
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                raise
            time.sleep(0.05)
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def record(root: Path, *, date: dt.date, assoc: str, themes: list[str],
           measures: dict[int, str], files: dict[Path, bytes], request: dict[str, Any]) -> int:
    """Add a letter to the ledger and to its CSV export; the letter's id."""
    entry = Entry(0, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), date.isoformat(),
                  assoc, themes, {n: measure_hash(t) for n, t in measures.items()},
                  dict(measures), templates_hash(root), data_hash(root),
                  {path.name: sha256(content) for path, content in files.items()}, request)
    with _connect(root) as connection:
        cursor = connection.execute(
            "INSERT INTO letters (composed, date, assoc, themes, measures, texts, templates, "
            "data, files, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.composed, entry.date, assoc, json.dumps(themes),
             json.dumps({str(n): h for n, h in entry.measures.items()}),
             json.dumps({str(n): t for n, t in measures.items()}, ensure_ascii=False),
             entry.templates, entry.data, json.dumps(entry.files),
             json.dumps(request, ensure_ascii=False)))
        assert cursor.lastrowid is not None
        entry.id = cursor.lastrowid
        # Still inside the transaction: letters written in parallel append one at a time.
        _append_export(root, entry)
    return entry.id


def entries(root: Path, assoc: str | None = None, measure: int | None = None) -> list[Entry]:
    """The ledger's letters, oldest first, filtered by association (any case) or measure."""
    if not (root / LEDGER_FILE).exists():
        return []
    with _connect(root) as connection:
        rows = connection.execute("SELECT id, composed, date, assoc, themes, measures, "
                                  "texts, templates, data, files, request FROM letters "
                                  "ORDER BY id")
        found = [Entry(row[0], row[1], row[2], row[3], json.loads(row[4]),
                       {int(n): h for n, h in json.loads(row[5]).items()},
                       {int(n): t for n, t in json.loads(row[6]).items()}, row[7], row[8],
                       json.loads(row[9]), json.loads(row[10])) for row in rows]
    return [e for e in found if (assoc is None or e.assoc.casefold() == assoc.casefold())
            and (measure is None or measure in e.measures)]


EXPORT_COLUMNS = ["id", "date", "assoc", "themes", "measures", "composed", "files"]


def _export_row(e: Entry) -> list[object]:
    return [e.id, e.date, e.assoc, ",".join(e.themes), ",".join(map(str, sorted(e.measures))),
            e.composed, " ".join(f"{name}:{digest[:12]}" for name, digest in e.files.items())]


def _append_export(root: Path, entry: Entry) -> None:
    """Add a letter to ledger.csv (the file, with the letters before it, if it is missing)."""
    path = root / EXPORT_FILE
    stream = io.StringIO()
    writer = csv.writer(stream)
    if not path.exists():
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(_export_row(e) for e in entries(root))
    writer.writerow(_export_row(entry))
    with path.open("a", encoding="utf-8", newline="") as csv_file:
        csv_file.write(stream.getvalue())


@dataclass
class Stale:
    entry: Entry
    changes: list[str]   # how the letter may now misstate the program


def stale(root: Path, program: Program, among: Iterable[Entry]) -> list[Stale]:
    """The letters whose cited measures changed in measures.yaml since they were sent."""
    now = {m.number: m.text for m in program.measures}
    found = []
    for entry in among:
        changes = [f"measure {n} no longer exists" if n not in now else
                   f"measure {n} has changed: {_difference(entry.texts[n], now[n])}"
                   for n, digest in sorted(entry.measures.items())
                   if n not in now or measure_hash(now[n]) != digest]
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


@dataclass
class Rebuilt:
    files: list[tuple[Path, bool]]       # each file composed again, and whether it is the same
    error: LetterkitError | None = None  # why not, when a file differs


def rebuild(project: Project, number: int, out: Path | None) -> Rebuilt:
    """Compose letter `number` again from its record (into `out`, else a temporary folder)
    and compare each file, byte for byte, with what was sent."""
    from letterkit.build import Request, compose

    entry = next((e for e in entries(project.root) if e.id == number), None)
    if entry is None:
        raise LetterkitError(f"no letter {number} in the ledger",
                             hint="letterkit ledger lists the letters and their ids")
    folder = out or Path(tempfile.mkdtemp(prefix="letterkit-rebuild-"))
    result = compose(project, Request.replay(entry.request, folder))
    files = [(path, (entry.files.get(path.name + "#unsigned") or entry.files.get(path.name))
              == sha256(path.read_bytes())) for path in result.paths]
    differ = [path.name for path, same in files if not same]
    if not differ:
        return Rebuilt(files)
    changed = [what for what, now, then in (
        ("the data files", data_hash(project.root), entry.data),
        ("the templates", templates_hash(project.root), entry.templates)) if now != then]
    return Rebuilt(files, LetterkitError(
        f"letter {number} no longer comes out the same: {', '.join(differ)}",
        hint=(" and ".join(changed) + " changed since it was sent") if changed
        else "letterkit or its fonts changed since it was sent"))
