"""polytypo's Markdown pass for plain French prose, as precompiled rules.

polytypo (`polytypo.markdown.transform(text, locale="fr", dialect="commonmark")`) is exact and
general, but it walks every character in Python, about 12 µs a character. Most of a letter is
plain prose: words, digits, « , . ; : ! ? ( ) … % € », medial apostrophes and hyphens, « »
quotes and `*`/`**` emphasis. On that prose only a few of polytypo's rules ever act, and they
act in the same few places: this module does what polytypo does there, with regular
expressions that visit only those places, a hundred times faster.

`transform(text)` returns polytypo's exact output for a paragraph of that prose, and None for
anything else (code, links, HTML, straight double quotes, dashes, nested quotes, unusual
emphasis…), which then goes to polytypo itself. tests/test_typography.py checks the two agree
on generated prose.

What polytypo does on that prose, rule by rule (its order): `spaces` deletes a space before
« , . ; : ! ? ) » and after « ( »; `ellipsis` makes « ... » one « … »; `apostrophe` curls a
medial « ' »; `nbsp` binds « : » with a no-break space and « ; ! ? » with a narrow one, the
inside of « », a number and its unit, « M. », « Mme » and initials to the next word. The other
rules (quotes, dashes, hyphen, symbols) change nothing on this prose. The Markdown emphasis
delimiters are span boundaries for polytypo: no space is inserted right beside one.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"
MARKER = "\x00"  # an emphasis delimiter run, as polytypo's span boundary

_LOWER = "a-zß-öø-ÿœ"
_UPPER = "A-ZÀ-ÖØ-ÞŒ"
_LETTER = _UPPER + _LOWER
_ALNUM = _LETTER + "0-9"
_SPACES = f" {NBSP}{NNBSP}"

# Only these characters, and only in these shapes, are the prose this module knows.
_ALPHABET = re.compile(rf"[{_ALNUM}{_SPACES},.;:!?()%€·'’«»*…-]*")
_OUTSIDE = re.compile(
    "|".join([
        rf"[{_SPACES}]{{2}}|^[{_SPACES}]|[{_SPACES}]$",  # runs of spaces, edge spaces
        r"^(?:[-+>#=]|\d+[.)]|\*+(?:[ \u00a0\u202f]|$))",  # a list, quote or heading
        r"(?<!\.)\.\.(?!\.)|\.{4}|\.…|…\.|……|[.…] \.",  # dot runs but « ... » and « … »
        rf"(?<![{_LETTER}])['’-]|['’-](?![{_LETTER}])",  # non-medial apostrophe or hyphen
        r"[:;][()DdPpOo]",  # emoticons
        r"\([cCrRtT]",  # (c), (r), (tm)
        r"\d[ \u00a0\u202f]*[xX]",  # 2 x 3
        r"p\.[ \u00a0\u202f]ex\.|(?:art|fig)\.",  # abbreviations before a space or a number
        r"\*{3}",  # strong emphasis inside emphasis
    ])
)
_STARS = re.compile(r"\*+")
_GUILLEMETS = re.compile("[«»]")
_OPEN_BEFORE = f" {NBSP}{NNBSP}(«\x00"
_CLOSE_AFTER = f" {NBSP}{NNBSP}),.;:!?»\x00"


def _emphasis(text: str) -> tuple[str, list[str], str, str] | None:
    """The text with each inner emphasis delimiter run replaced by MARKER and the outer ones
    removed (polytypo's spans), the runs in order, and the leading and trailing runs; None
    unless every run plainly opens or closes an emphasis, in strict alternation."""
    runs: list[tuple[str, int, int]] = []
    expect_open = True
    for match in _STARS.finditer(text):
        run = match.group(0)
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if expect_open:
            # (beside punctuation, only a plain space: the parser reads no other as one)
            if not ((before in _OPEN_BEFORE and after.isalnum())
                    or (before == " " and after == "«")):
                return None
        else:
            if run != runs[-1][0]:
                return None
            if not ((before.isalnum() and after in _CLOSE_AFTER)
                    or (before in ".!?)»…" and after == " ")):
                return None
        runs.append((run, start, end))
        expect_open = not expect_open
    if not expect_open:
        return None
    if not runs:
        return text, [], "", ""
    lead = runs[0][0] if runs[0][1] == 0 else ""
    tail = runs[-1][0] if runs[-1][2] == len(text) else ""
    inner = runs[1 if lead else 0:len(runs) - 1 if tail else len(runs)]
    body = text[len(lead):len(text) - len(tail)]
    offset = len(lead)
    pieces, position = [], 0
    for _, start, end in inner:
        pieces.append(body[position:start - offset])
        position = end - offset
    pieces.append(body[position:])
    return MARKER.join(pieces), [run for run, _, _ in inner], lead, tail


def _guillemets_plain(text: str) -> bool:
    """« » in strict alternation, each opening before a word and closing after one: the
    quotes rule keeps such pairs as they are."""
    expect_open = True
    for match in _GUILLEMETS.finditer(text):
        i = match.start()
        glyph = match.group(0)
        if (glyph == "«") != expect_open:
            return False
        if glyph == "«":
            before = text[i - 1] if i else " "
            inner = text[i + 1:i + 3]
            inner = inner[1:] if inner[:1] in _SPACES else inner
            if before not in _OPEN_BEFORE or not inner[:1] or not (
                    inner[0].isalnum() or inner[0] == MARKER):
                return False
        else:
            after = text[i + 1] if i + 1 < len(text) else " "
            inner = text[max(i - 2, 0):i]
            inner = inner[:-1] if inner[-1:] in _SPACES else inner
            if after not in _CLOSE_AFTER or not inner[-1:] or not (
                    inner[-1].isalnum() or inner[-1] in "\x00.!?)…"):
                return False
        expect_open = not expect_open
    return expect_open


# --- polytypo's rules, on the prose above ----------------------------------------------------

# spaces: a space goes before « , . ; : ! ? ) » (a lone « . » not starting a word) and after
# « ( », unless it touches a span boundary or the edge; « ( ) » keeps its space.
_SPACE_DELETED = re.compile(
    r"(?<=\() (?=[^\x00)])"
    rf"|(?<=[^\x00(]) (?=[),;:!?]|\.(?![.…{_ALNUM}]))"
)
_ELLIPSIS = re.compile(r"\.{3,}")
_APOSTROPHE = re.compile(rf"(?<=[{_LETTER}])'(?=[{_LETTER}])")

_UNITS = re.compile(rf"(?<![{_LETTER}\d])(\d+)[ \u00a0](kWh|km|cm|mm|kg|%|€)(?![{_ALNUM}])")
_WORD_TITLES = re.compile(
    r"(?:^|(?<=[ \u00a0\u202f(«–—]))(MM\.|Mmes|Mme|Mlles|Mlle)[ \u00a0]"
    rf"(?=[{_LETTER}])")
_INITIAL = re.compile(rf"(?:^|(?<=[ \u00a0\u202f(«]))[{_UPPER}]\.[ \u00a0](?=[{_UPPER}])")
_INITIALS_AFTER = re.compile(
    rf"(?<=[{_LETTER}])[ \u00a0](?=[{_UPPER}]\.[ \u00a0][{_UPPER}]\.)")
_PUNCTUATION = re.compile("[:;!?]")
_OPENISH = "([{«“"
_CLOSEISH_AFTER = f" \t{NBSP}{NNBSP}\x00)]}}»”…"


Edits = list[tuple[int, int, str]]


def _punctuation_edits(s: str) -> tuple[Edits, Edits]:
    """N1 « : » with a no-break space, N2 « ; ! ? » with a narrow one."""
    n = len(s)
    colons: Edits = []
    others: Edits = []
    for match in _PUNCTUATION.finditer(s):
        i = match.start()
        colon = s[i] == ":"
        prev = s[i - 1] if i else ""
        if prev and prev in ":;!?":
            continue
        after = s[i + 1] if i + 1 < n else ""
        if after and after not in _CLOSEISH_AFTER and after not in ":;!?":
            continue
        if prev in _OPENISH or (prev in _SPACES and i >= 2 and s[i - 2] in _OPENISH):
            continue
        target = NBSP if colon else NNBSP
        if not prev or prev == target:
            continue
        edits = colons if colon else others
        edits.append((i - 1, i, target) if prev in _SPACES else (i, i, target))
    return colons, others


def _unit_edits(s: str) -> Edits:
    """N5 a number and its unit."""
    return [(space, space + 1, NBSP) for space in (m.end(1) for m in _UNITS.finditer(s))
            if s[space] != NBSP]


def _initial_edits(s: str) -> Edits:
    """N7 an initial and the next capital (« M. Dupont », « J. R. R. Tolkien »)."""
    edits: Edits = []
    for match in _INITIAL.finditer(s):
        p = match.start()
        q = p + 2
        # not after an abbreviation « etc. »
        if p >= 3 and s[p - 1] in _SPACES and s[p - 2] == "." and s[p - 3].islower():
            continue
        if s[q] != NBSP:
            edits.append((q, q + 1, NBSP))
    edits += [(q, q + 1, NBSP) for q in (m.start() for m in _INITIALS_AFTER.finditer(s))
              if s[q] != NBSP]
    return edits


def _guillemet_edits(s: str) -> Edits:
    """N8 the inside of « »."""
    n = len(s)
    edits: Edits = []
    for match in _GUILLEMETS.finditer(s):
        i = match.start()
        if match.group(0) == "«":
            nxt = s[i + 1] if i + 1 < n else ""
            if nxt and nxt != NBSP:
                edits.append((i + 1, i + 2, NBSP) if nxt in _SPACES else (i + 1, i + 1, NBSP))
        else:
            prev = s[i - 1] if i else ""
            if prev and prev != NBSP:
                edits.append((i - 1, i, NBSP) if prev in _SPACES else (i, i, NBSP))
    return edits


def _title_edits(s: str) -> Edits:
    """N10 a title and the next word."""
    return [(sep, sep + 1, NBSP) for sep in (m.end(1) for m in _WORD_TITLES.finditer(s))
            if s[sep] != NBSP]


def _nbsp_edits(s: str) -> Edits:
    """polytypo's nbsp rule: its sub-rules' edits, first claim wins at each position."""
    by_rule = [*_punctuation_edits(s), _unit_edits(s), _initial_edits(s), _guillemet_edits(s),
               _title_edits(s)]
    claimed: set[int] = set()
    merged = []
    for edits in by_rule:
        for edit in edits:
            if edit[0] not in claimed:
                claimed.add(edit[0])
                merged.append(edit)
    merged.sort()
    return merged


def _apply(s: str, edits: Edits) -> str:
    """Apply edits, but no insertion beside a span boundary or at an edge (polytypo's
    boundary filter for Markdown)."""
    out = []
    cursor = 0
    for start, end, replacement in edits:
        if start == end and (start == 0 or start == len(s) or s[start - 1] == MARKER
                             or s[start] == MARKER):
            continue
        out.append(s[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(s[cursor:])
    return "".join(out)


def transform(text: str) -> str | None:
    """polytypo's Markdown pass over one paragraph of plain French prose; None for anything
    this module does not know (polytypo then does it)."""
    if not _ALPHABET.fullmatch(text) or _OUTSIDE.search(text):
        return None
    spans = _emphasis(text)
    if spans is None:
        return None
    s, runs, lead, tail = spans
    if not _guillemets_plain(s):
        return None
    s = _SPACE_DELETED.sub("", s)
    s = _ELLIPSIS.sub("…", s)
    s = _APOSTROPHE.sub("’", s)
    s = _apply(s, _nbsp_edits(s))
    if runs:
        pieces = s.split(MARKER)
        s = pieces[0] + "".join(run + piece for run, piece in zip(runs, pieces[1:], strict=True))
    return lead + s + tail
