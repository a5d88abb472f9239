"""The campaign's files read quickly, for what is typed at the keyboard: Tab completion and the
listings. The YAML loader only, no models (pydantic and the rules cost more than the listing).

- Completion reads the names, themes and numbers as the files hold them, and offers nothing
  where a file cannot be read: `letterkit check` says why.
- A listing (`letterkit measures`, `themes`) builds its rows from the YAML only when these exact
  data files were loaded without error before (`remember_valid`, after a full load): a stamp in
  the user's cache folder holds a hash of the three files' bytes and letterkit's version, one
  stamp per campaign folder. Any edit changes the hash, and the next listing loads and checks
  the campaign in full again, reporting its problems as before.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from letterkit.paths import ASSOCIATIONS_FILE, CAMPAIGN_FILE, MEASURES_FILE
from letterkit.text import clean, find_theme
from letterkit.version import __version__

DATA_FILES = (CAMPAIGN_FILE, MEASURES_FILE, ASSOCIATIONS_FILE)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Row = dict[str, Any]


def read(root: Path, name: str) -> Any:
    """The data of one YAML file of the campaign, cleaned as the full reader cleans it; None
    if it cannot be read or parsed."""
    try:
        return clean(yaml.load((root / name).read_bytes().decode("utf-8"), Loader=_Loader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError):
        return None


# --- The stamp of a campaign loaded without error -------------------------------------------

def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "letterkit" / "valid"


def data_key(root: Path) -> str:
    """A hash of letterkit's version and the bytes of the campaign's three data files."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=20)
    for name in DATA_FILES:
        try:
            data = (root / name).read_bytes()
        except OSError:
            data = b"\0missing"
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _stamp(root: Path) -> Path:
    folder = hashlib.blake2b(str(root.resolve()).encode(), digest_size=16).hexdigest()
    return _cache_dir() / folder


def remember_valid(root: Path, key: str) -> None:
    """Note that the data files hashing to `key` (read before the load) loaded without
    error. A cache folder that cannot be written only means no quick listing."""
    stamp = _stamp(root)
    try:
        if stamp.is_file() and stamp.read_text(encoding="ascii") == key:
            return
        stamp.parent.mkdir(parents=True, exist_ok=True)
        partial = stamp.with_name(f"{stamp.name}.{os.getpid()}")
        partial.write_text(key, encoding="ascii")
        partial.replace(stamp)
    except (OSError, ValueError):
        pass


def known_valid(root: Path) -> bool:
    """Whether the data files, as they are now, loaded without error before."""
    try:
        return _stamp(root).read_text(encoding="ascii") == data_key(root)
    except (OSError, ValueError):
        return False


# --- Listings from the YAML -----------------------------------------------------------------

def program_numbers(program: Mapping[str, Any]) -> list[int]:
    """The measure numbers in the order letters cite them (letter.select.program_order): the
    paragraphs' sentences in order, then each measure placed in none."""
    placed = [n for p in program.get("paragraphs") or [] for s in p["sentences"]
              for n in s["measures"]]
    return placed + [m["number"] for m in program["measures"] if m["number"] not in placed]


def measure_rows(root: Path, theme: str | None = None) -> list[Row] | None:
    """The rows of `letterkit measures` (as pipeline.listings.measure_rows), or None when they
    cannot be given without the full load: data not known valid, or a theme it does not
    name (the full load's message says so)."""
    if not known_valid(root) or (program := read(root, MEASURES_FILE)) is None:
        return None
    tags: set[str | None] = set()
    if theme is not None:
        labels = {t: v["label"] for t, v in program["themes"].items()}
        tags = {find_theme(piece, labels) for piece in theme.split(",") if piece.strip()}
        if not tags or None in tags:
            return None
    by_number = {m["number"]: m for m in program["measures"]}
    rows = []
    for number in program_numbers(program):
        measure = by_number[number]
        if theme is None or tags & set(measure["themes"]):
            rows.append({"number": number, "title": measure.get("title"),
                         "themes": measure["themes"], "text": measure["text"]})
    return rows


def theme_rows(root: Path) -> list[Row] | None:
    """The rows of `letterkit themes` (as pipeline.listings.theme_rows), or None when the
    data is not known valid."""
    if not known_valid(root) or (program := read(root, MEASURES_FILE)) is None:
        return None
    return [{"tag": tag, "label": theme["label"], "description": theme.get("description", ""),
             "count": len(numbers), "measures": numbers}
            for tag, theme in program["themes"].items()
            for numbers in [[m["number"] for m in program["measures"] if tag in m["themes"]]]]


# --- What Tab completes ---------------------------------------------------------------------

def associations(root: Path) -> list[tuple[str, str]]:
    """(short name, full name) of each association of associations.yaml that has one."""
    data = read(root, ASSOCIATIONS_FILE)
    items = data.get("associations") if isinstance(data, dict) else None
    return [(str(a["short_name"]), str(a.get("name") or a["short_name"]))
            for a in items or [] if isinstance(a, dict) and a.get("short_name")]


def themes(root: Path) -> list[tuple[str, str]]:
    """(tag, label) of each theme of measures.yaml."""
    data = read(root, MEASURES_FILE)
    items = data.get("themes") if isinstance(data, dict) else None
    return [(str(tag), str(theme.get("label") or tag) if isinstance(theme, dict) else str(tag))
            for tag, theme in (items.items() if isinstance(items, dict) else [])]


def measures(root: Path) -> list[tuple[int, str]]:
    """(number, title or the start of the text) of each measure of measures.yaml."""
    data = read(root, MEASURES_FILE)
    items = data.get("measures") if isinstance(data, dict) else None
    return [(m["number"], str(m.get("title") or m.get("text") or ""))
            for m in items or [] if isinstance(m, dict) and isinstance(m.get("number"), int)]
