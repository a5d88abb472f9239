"""Questionnaires: find the numbered questions of a document, and the measures for each.

An association's questionnaire is an introduction, numbered questions (« 1. », « 1) »,
« Q1 : », « Question 1 – »…), each perhaps spread over several lines and followed by its own
bullets, and a closing line. `find_questions` keeps the questions with their whole text;
`suggest_measures` ranks the program's measures for one question; `draft.py` writes the
answers file the team completes, and `answers.py` reads it back.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from letterkit.campaign.models import Program
from letterkit.text import clean

# The start of a numbered question: « 1. », « 1) », « 1 - », « 1° », « Q1 : », « Q.1 »,
# « Question 1 – », « Question n° 1 : », possibly behind Markdown's « # », « > » or « ** ».
_DECORATION = re.compile(r"^(?:#{1,6}\s+|>\s*|[*_]{2}(?=\S))+")
_QUESTION = re.compile(
    r"""^(?:
          (?:question|q)\s*(?:n\s*[°ºo]\s*)?\.?\s*(?P<q>\d{1,3})
              (?:[*_]{2})?(?:\s*[.):\-–—/°](?!\d)|\s+(?=\S)|\s*$)
        | (?P<n>\d{1,3})(?:[*_]{2})?\s*(?P<sep>[.)°/:\-–—])(?!\d)
        )(?:[*_]{2})?\s*""", re.IGNORECASE | re.VERBOSE)
# A bullet or a lettered item: it belongs to the question above it.
_BULLET = re.compile(r"^(?:[-•*–—◦▪●○■□·o]|[a-h][.)]|\(?[a-h]\)|[ivx]{1,4}[.)])\s+")
# A section heading between questions: it ends the question above it.
_HEADING = re.compile(r"^(?:#{1,6}\s|[IVX]{1,4}\s*[.)\-–—]\s|[A-H]\s*[.)\-–—]\s|"
                      r"(?i:partie|thème|thematique|thématique|axe|chapitre|section)\b)")
# The closing lines of a questionnaire: they never continue a question.
_CLOSING = re.compile(
    r"^(?:merci|nous vous remercions|en vous remerciant|(?:bien |très )?cordialement|"
    r"salutations|veuillez|date limite|vos réponses|les réponses|nous publierons|"
    r"signé|signature|le bureau|la présidente|le président|contact\s*:|réponses? (?:à|avant))",
    re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.?!…»)]\s*$")


@dataclass
class Question:
    """A question found in a document: its number, its text, and where it starts."""

    number: int
    text: str
    line: int                      # the line of the document where it starts
    suggested: list[Suggested] = field(default_factory=list)
    maybe: list[Suggested] = field(default_factory=list)
    original: int | None = None    # its number in the document, when it numbers each part
                                   # from 1 again (`number` then counts them all, in order)


def _clean_line(line: str) -> str:
    """One line of the document without Markdown's emphasis and decorations."""
    line = _DECORATION.sub("", clean(line).strip())
    return " ".join(line.replace("**", "").replace("__", "").replace("`", "").split())


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if _HEADING.match(stripped):
        return True
    letters = [c for c in stripped if c.isalpha()]
    # A LINE IN CAPITALS
    return len(letters) >= 6 and "?" not in stripped and all(c.isupper() for c in letters)


def _longest_run(starts: list[tuple[int, int, str]], fresh: Collection[int] = (),
                 from_one: bool = False) -> list[tuple[int, int, str]]:
    """The longest chain of question starts numbered n, n+1, n+2… in document order:
    numbers that are not questions (a date, the « 1) » of a sub-list) fall outside it. A
    chain keeps one way of numbering (« 1. », « 2. » or « Q1 », « Q2 »), or changes it only
    at a start in `fresh` (the line indexes where a new question may begin: after a finished
    sentence, its text capitalised); of equally long chains, the one that changes least.
    With `from_one`, n is 1.

    Each start gets the best chain ending at it, from the best chain ending at a start
    numbered one less (kept per number and way of numbering): linear in the starts."""
    # The best chain ending at each start: (length, changes, first number, previous start).
    chains: list[tuple[int, int, int, int]] = []
    # (number, style) → the position in `starts` of the best chain ending so (the longest,
    # changing least, ending nearest)
    ends: dict[tuple[int, str], int] = {}
    by_number: dict[int, set[str]] = {}
    best = -1
    for position, (index, number, style) in enumerate(starts):
        candidates = [(style_before, ends[(number - 1, style_before)])
                      for style_before in by_number.get(number - 1, ())
                      if style_before == style or index in fresh]
        chain = (1, 0, number, -1)
        if candidates:
            # Of equally long chains, the one that changes its numbering least, then the one
            # whose last question is nearest: « 1. Contexte » early in the document does not
            # take the place of the « 1. » just before « 2. ».
            before, at = max(candidates, key=lambda c: (
                chains[c[1]][0], -chains[c[1]][1] - (c[0] != style), c[1]))
            length, changes, first, _ = chains[at]
            chain = (length + 1, changes + (before != style), first, at)
        chains.append(chain)
        key = (number, style)
        if key not in ends or (chain[0], -chain[1]) >= (chains[ends[key]][0],
                                                         -chains[ends[key]][1]):
            ends[key] = position
        by_number.setdefault(number, set()).add(style)
        if (not from_one or chain[2] == 1) and (
                best < 0 or (chain[0], -chain[1]) > (chains[best][0], -chains[best][1])):
            best = position
    run = []
    while best >= 0:
        run.append(starts[best])
        best = chains[best][3]
    return run[::-1]


def _fresh(text: str, above: str, heading: bool) -> bool:
    """Whether a numbered line whose text is `text` may start a question numbered another way
    than the one before it: its text starts with a capital (or comes on the next line), and
    the line `above` is blank, a heading, a bullet, or ends a sentence — not « … au moins »
    then « 3 - voire 4 – pistes », nor « 1) les pistes ; » then « 2) les arceaux », nor a
    closing line (« 3) Réponses avant le 1er mars »)."""
    if text[:1].islower() or _CLOSING.match(text):
        return False
    return (not above or heading or bool(_BULLET.match(above))
            or bool(_ENDS_SENTENCE.search(above)))


def find_questions(text: str) -> list[Question]:
    """The numbered questions of a document, in order, each with its whole text."""
    raw_lines = text.split("\n")
    lines = [_clean_line(line) for line in raw_lines]
    indents = [len(line) - len(line.lstrip()) for line in raw_lines]
    headings = [bool(line) and (raw.lstrip().startswith("#") or _is_heading(line))
                for raw, line in zip(raw_lines, lines, strict=True)]
    starts = []
    fresh = set()
    for index, line in enumerate(lines):
        match = _QUESTION.match(line)
        if match:
            style = "q" if match.group("q") else match.group("sep")
            starts.append((index, int(match.group("q") or match.group("n")), style))
            if index == 0 or _fresh(line[match.end():], lines[index - 1], headings[index - 1]):
                fresh.add(index)
    run = _runs(starts, fresh)
    begins = {index for index, _, _ in run}
    questions = []
    for index, number, _ in run:
        match = _QUESTION.match(lines[index])
        assert match is not None
        parts = [match.string[match.end():]]
        blank = False
        for later in range(index + 1, len(lines)):
            line = lines[later]
            if later in begins or headings[later]:
                break
            if not line:
                blank = True
                continue
            if blank:
                so_far = " ".join(parts).strip()
                continues = (not so_far or _BULLET.match(line) or so_far.endswith(":")
                             or line.startswith("(")
                             or indents[later] > indents[index]
                             or (so_far and "?" not in so_far
                                 and not _ENDS_SENTENCE.search(so_far)))
                if not continues or _CLOSING.match(line):
                    break
                blank = False
            parts.append(line)
        questions.append(Question(number, _join(parts), index + 1, original=number))
    found = [q for q in questions if q.text]
    if len({q.number for q in found}) < len(found):  # numbered again from 1 in each part
        for position, question in enumerate(found, 1):
            question.number = position
    return found


def _runs(starts: list[tuple[int, int, str]],
          fresh: set[int]) -> list[tuple[int, int, str]]:
    """The questions' starts: the longest run, and the other runs numbered again from 1, in
    the ways the longest run numbers, in the gaps around it (a questionnaire that numbers
    each part from 1)."""
    import bisect

    best = _longest_run(starts, fresh)
    if not best:
        return []
    chosen = [best]
    styles = {style for _, _, style in best}
    lines = [index for index, _, _ in starts]
    known: dict[tuple[int, int], list[tuple[int, int, str]]] = {}  # a gap → its longest run

    def in_gap(low: int, high: int) -> list[tuple[int, int, str]]:
        if (low, high) not in known:
            gap = [s for s in starts[bisect.bisect_right(lines, low):
                                     bisect.bisect_left(lines, high)] if s[2] in styles]
            known[(low, high)] = _longest_run(gap, fresh, from_one=True)
        return known[(low, high)]

    while True:
        spans = sorted((run[0][0], run[-1][0]) for run in chosen)
        edges = [-1, *(i for span in spans for i in span), len(starts) and starts[-1][0] + 1]
        found: list[tuple[int, int, str]] = []
        for low, high in zip(edges[::2], edges[1::2], strict=True):
            run = in_gap(low, high)
            # A lone « 1. » before the questions is more likely a heading than a part.
            enough = 2 if low < 0 else 1
            if len(run) >= enough and len(run) > len(found):
                found = run
        if not found:
            break
        chosen.append(found)
    return sorted(start for run in chosen for start in run)


def _join(parts: list[str]) -> str:
    """The question's lines as its text: one paragraph, its bullets on lines of their own."""
    text = ""
    for part in (p for p in parts if p):
        bullet = _BULLET.match(part)
        if bullet:
            text += "\n- " + part[bullet.end():]
        elif not text:
            text = part
        elif text.endswith("-") and not text.endswith(" -") and part[:1].islower():
            text += part  # a word hyphenated at the end of a line: « vélo-\nécole »
        elif not _ENDS_SENTENCE.search(text) and "\n" not in text and part[:1].isupper() \
                and len(text) < 60 and "?" not in text and not text.endswith(":"):
            text += ". " + part  # « 1. Mobilités » then « Vous engagez-vous … ? »
        else:
            text += " " + part
    cleaned: str = clean(text.strip())
    return cleaned


# --- Suggestions -----------------------------------------------------------------------------

# How confident a suggestion is: its BM25 score divided by the weight of one word found in a
# single measure (BM25's highest idf for this program), so that the same threshold holds for a
# program of 8 measures or of 104. A measure is suggested (written in `measures`) when
#   - its confidence reaches CONFIDENT, from at least MIN_WORDS different words,
#   - those words are at least COVERAGE of the question's words (a long question about a
#     budget does not match a measure because it says « budget » and « habitant »),
#   - and its score is at least SHARE of the best one's; at most MAX_SUGGESTED a question.
# A weaker match (confidence from MAYBE) is only named in a comment, for the team to judge.
# tests/test_questions.py measures these on labelled questions of two fictional programs.
CONFIDENT = 1.8
MAYBE = 1.0
MIN_WORDS = 2
COVERAGE = 1 / 3
SHARE = 0.5
MAX_SUGGESTED = 3


@dataclass(frozen=True)
class Suggested:
    number: int
    confidence: float
    words: list[str]      # the question's words that matched


def suggest_measures(program: Program, text: str) -> tuple[list[Suggested], list[Suggested]]:
    """The measures letterkit is confident answer the question `text`, and the weaker
    matches worth a look, each best first."""
    from letterkit.questionnaire.suggest import suggest, words

    _, ranked = suggest(program, text)
    if not ranked:
        return [], []
    unit = math.log(1 + (len(program.measures) - 0.5) / 1.5) or 1.0
    asked = len({stem for stem, _ in words(text)}) or 1
    best = ranked[0].score
    confident: list[Suggested] = []
    maybe: list[Suggested] = []
    for measure in ranked:
        found = Suggested(int(measure.key), round(measure.score / unit, 2), measure.words)
        if (found.confidence >= CONFIDENT and len(found.words) >= MIN_WORDS
                and len(found.words) / asked >= COVERAGE and measure.score >= SHARE * best
                and len(confident) < MAX_SUGGESTED):
            confident.append(found)
        elif found.confidence >= MAYBE and len(maybe) < MAX_SUGGESTED:
            maybe.append(found)
    return confident, maybe
