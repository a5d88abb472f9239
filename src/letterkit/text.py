"""Text helpers shared by the data, the letters and the messages: cleaning third-party text,
and the « did you mean » hint."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from letterkit.i18n import N_, _

# Control characters (but tab and newline), Unicode line separators, bidirectional
# overrides, and the noncharacters U+FFFE and U+FFFF (a byte-swapped BOM, which YAML and XML
# cannot hold): never part of a letter, nor of a message.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff]")


def clean(value: Any) -> Any:
    """Strings without control or bidirectional characters, in NFC; lists and maps walked."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", _INVISIBLE.sub("", value))
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


def one_line(text: str) -> str:
    """Text for one line of the terminal: control characters removed, and line breaks and tabs
    (a newline in a name given on the command line) made spaces."""
    cleaned: str = clean(text)
    return cleaned.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def fold(text: str) -> str:
    """A name as people may type it, for comparing: without accents, in lower case, with
    hyphens and underscores as spaces and ’ as ': « Théâtre de l’Écluse » → « theatre de
    l'ecluse », « Petite-enfance » → « petite enfance »."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe")
                                       .replace("æ", "ae").replace("Æ", "Ae"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").casefold().replace("-", " ").replace("_", " ").split())


def find_theme(value: str, labels: Mapping[str, str]) -> str | None:
    """The tag of the theme `value` names, by its tag or its label (`labels`: tag → label),
    with or without accents, in any case: « démocratie » → democratie, « Services publics »
    → services-publics; None if it names none."""
    wanted = fold(value)
    for tag in labels:
        if fold(tag) == wanted:
            return tag
    for tag, label in labels.items():
        if fold(label) == wanted:
            return tag
    return None


# What a did-you-mean hint names when no known value is close: the known values, or that there
# are none.
_KNOWN = {
    "associations": (N_("there are no associations yet."), N_("known associations: {names}.")),
    "themes": (N_("there are no themes yet."), N_("known themes: {names}.")),
    "keys here": (N_("there are no keys here yet."), N_("known keys here: {names}.")),
}


def did_you_mean(value: str, known: list[str],
                 what: Literal["associations", "themes", "keys here"]) -> str:
    """A hint naming the known values closest to a mistyped one."""
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(value.casefold(), list(by_fold), n=3, cutoff=0.5)
    if close:
        return _("did you mean {names}?").format(names=either(by_fold[c] for c in close))
    none, some = _KNOWN[what]
    return _(some).format(names=", ".join(known)) if known else _(none)


def either(values: Iterable[str]) -> str:
    """« a or b or c », in the interface's language."""
    items = list(values)
    if not items:
        return ""
    return functools.reduce(lambda first, then: _("{first} or {then}").format(
        first=first, then=then), items)


# --- Markdown -----------------------------------------------------------------------------

class Prose(str):
    """The campaign's own text: Markdown by design, rendered as written.

    Any other string reaching a template (an association's name, a document title, text from
    the command line) is escaped, so that it always reads literally.
    """


# « ! » only opens an image before « [ »: elsewhere (« Loire ! ») it stays bare, so that
# typography gives it its thin no-break space.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&]|!(?=\[))")


# What would start a list, a heading, a rule or a quote at the start of a line: « - », « + »,
# « = », « 1. », « 1) » (« # », « > », « * » and « _ » are escaped everywhere).
_MD_BLOCK_START = re.compile(r"^([-+=]|\d{1,9}(?=[.)]))")


def md_escape(text: str) -> str:
    """Make third-party text read literally in Markdown: one line, no markup, no controls,
    and no block marker at its start (« 1. Madame » is not a list)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(clean(str(text)).split()))
    return _MD_BLOCK_START.sub(lambda m: m[0] + "\\" if m[0][0].isdigit() else "\\" + m[0],
                               escaped)


def slug(text: str, limit: int = 60) -> str:
    """A safe file-name piece: ASCII letters, digits and single hyphens, never empty. Letters
    are transliterated by python-slugify (« Sœurs » → soeurs, « Straße » → strasse)."""
    from slugify import slugify  # loaded when a file is named, not by every command

    cleaned = slugify(text)
    return cleaned[:limit].rstrip("-") or "lettre"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula: one starting with
    = + - @, a tab or a carriage return gets a leading apostrophe (and one starting with an
    apostrophe another, so that `cell_text` gives back exactly what was written)."""
    return "'" + text if text[:1] in FORMULA_STARTS or text[:1] == "'" else text


def cell_text(cell: str) -> str:
    """The text `inert_cell` was given."""
    return cell[1:] if cell[:1] == "'" and (cell[1:2] in FORMULA_STARTS or cell[1:2] == "'") \
        else cell
