"""A letter of the ledger as letterkit keeps it: `Entry`, its database columns, and the hashes
that say what it was made of (the measures as sent, the templates, the data files).

A new field of a letter (the questions a letter answered, when it was sent…) is a field of
`Entry` and one line in `COLUMNS` with the value older letters get: an older ledger.sqlite gets
the column when next opened (`letterkit.ledger.database`), ledger.csv's `record` carries it and an
older ledger.csv rebuilds with the default (`letterkit.ledger.export`). Imports nothing of the
ledger's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from letterkit.paths import ASSOCIATIONS_FILE, CAMPAIGN_FILE, MEASURES_FILE, template_dirs


@dataclass
class Record:
    """What the ledger keeps of a letter, before it has an id."""

    date: str                   # the letter's date, ISO
    assoc: str                  # the association's short name, NFC
    themes: list[str]
    measures: dict[int, str]    # number → the measure's text as sent
    request: dict[str, Any]     # what to compose it again (build.Request.replayable)
    # file name → bytes whose hash the ledger keeps: the files written, plus « NAME#unsigned »
    # for a signed PDF (a rebuild compares the unsigned bytes)
    files: dict[str, bytes] = field(default_factory=dict)



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
COLUMNS: dict[str, tuple[bool, str]] = {
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


def to_row(entry: Entry) -> tuple[Any, ...]:
    values = dataclasses.asdict(entry)
    return tuple(json.dumps(values[name], ensure_ascii=False) if as_json else values[name]
                 for name, (as_json, _) in COLUMNS.items())


def from_values(values: dict[str, Any]) -> Entry:
    """An Entry from decoded values; a value missing (an older record) gets its default."""
    for name, (as_json, default) in COLUMNS.items():
        if name not in values:
            values[name] = json.loads(default) if as_json else default
    for name in _NUMBERED:
        values[name] = {int(n): v for n, v in values[name].items()}
    return Entry(**{name: values[name] for name in COLUMNS})


def from_row(row: tuple[Any, ...]) -> Entry:
    return from_values({name: json.loads(value) if as_json else value
                         for (name, (as_json, _)), value in zip(COLUMNS.items(), row,
                                                                 strict=True)})

