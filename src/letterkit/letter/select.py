"""Themes → measures: which measures a letter cites, grouped and worded as the program does."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from letterkit.campaign.models import MEASURE_REF, Measure, Program
from letterkit.errors import LetterkitError
from letterkit.i18n import _, ngettext
from letterkit.letter import french
from letterkit.paths import MEASURES_FILE
from letterkit.text import clean, did_you_mean, find_theme


@dataclass(frozen=True)
class _Cited:
    """A sentence as the letter cites it; `predicates`, what follows its subject « Nous »
    (one for each sentence merged into it), when it may share that subject."""

    text: str
    predicates: tuple[str, ...] = ()


@dataclass(frozen=True)
class CitedParagraph:
    """One paragraph of a letter's measures: an optional lead, then full sentences."""

    lead: str | None
    sentences: list[str]
    measures: list[Measure]
    cited: tuple[_Cited, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(([self.lead] if self.lead else []) + self.sentences)


@dataclass(frozen=True)
class Selection:
    themes: list[str]
    paragraphs: list[CitedParagraph]

    @property
    def measures(self) -> list[Measure]:
        return [m for p in self.paragraphs for m in p.measures]


def resolve_themes(program: Program, requested: list[str], allow_none: bool = False
                   ) -> list[str]:
    """The requested themes (repeated options or comma-separated), each by its tag or its
    label, with or without accents, in any case (text.find_theme), as tags in
    program order; none is an error unless `allow_none` (measures are asked for by number)."""
    pieces = {piece.strip() for option in requested for piece in clean(option).split(",")}
    pieces -= {""}
    if not pieces and allow_none:
        return []
    if not pieces:
        raise LetterkitError(_("no theme given"), hint=_(
            "pass --themes TAG; letterkit themes lists them: {themes}").format(
                themes=", ".join(program.themes)))
    labels = {tag: theme.label for tag, theme in program.themes.items()}
    wanted = set()
    for piece in sorted(pieces):
        tag = find_theme(piece, labels)
        if tag is None:
            raise LetterkitError(_("unknown theme « {tag} »").format(tag=piece),
                                 file=MEASURES_FILE,
                                 hint=did_you_mean(piece, list(program.themes), "themes"))
        wanted.add(tag)
    return [tag for tag in program.themes if tag in wanted]


def parse_numbers(requested: Iterable[str | int]) -> list[int]:
    """Measure numbers from repeated options or comma-separated lists: « 41,42 » → [41, 42]."""
    numbers = []
    for option in requested:
        for piece in str(option).split(","):
            piece = piece.strip()
            if not piece:
                continue
            if not piece.isdigit():
                raise ValueError(_("« {value} » is not a measure number").format(value=piece))
            numbers.append(int(piece))
    return list(dict.fromkeys(numbers))


def check_numbers(program: Program, numbers: list[int], option: str) -> None:
    """Every number given to `option` is a measure of the program; else the message says
    which numbers the program has (« 1 to 96 », or its ranges when some are missing)."""
    known = {m.number for m in program.measures}
    for number in numbers:
        if number not in known:
            raise LetterkitError(
                _("{option} {number}: the program has no measure {number}").format(
                    option=option, number=number),
                file=MEASURES_FILE,
                hint=ngettext("the program has measure {numbers} only; letterkit measures "
                              "lists it",
                              "the program has measures {numbers}; letterkit measures lists "
                              "them", len(known)).format(numbers=number_ranges(known))
                if known else _("the program has no measures yet: add them to {file}").format(
                    file=MEASURES_FILE))


def number_ranges(numbers: Iterable[int]) -> str:
    """« 1 to 96 »; « 1 to 40, 42, 43 and 45 to 96 » when some are missing; « none » if
    there are none (in the interface's language: « 1 à 96 », « 1 à 40, 42, 43 et 45 à
    96 »)."""
    spans: list[list[int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    parts = [piece for a, b in spans
             for piece in ([_("{first} to {last}").format(first=a, last=b)] if b > a + 1
                           else map(str, range(a, b + 1)))]
    if not parts:
        return "none"  # not shown: check_numbers says that the program has no measures
    return parts[0] if len(parts) == 1 else _("{values} and {last}").format(
        values=", ".join(parts[:-1]), last=parts[-1])


def cite(measure: Measure) -> str:
    """The measure's text with its own reference in bold: « (**mesure 89**) »."""
    return _bold_reference(measure.text)


@cache
def _bold_reference(text: str) -> str:
    return MEASURE_REF.sub(r"**mesure \2**", text)


def select(program: Program, themes: list[str], numbers: Iterable[int] = (),
           exclude: Iterable[int] = (), leads: bool = True, own: Iterable[str] = ()
           ) -> Selection:
    """The measures tagged with any of `themes` or numbered in `numbers`, but none of
    `exclude`, each once, in paragraphs that read as a letter.

    A sentence that joins several measures keeps only the selected ones and joins them again;
    a paragraph's lead is printed when it speaks of the request (`_lead_printed`; never
    without `leads`, as in a questionnaire's answer; by measure numbers alone, for the
    sender's `own` themes only); a sentence's connective is dropped when
    what it refers to is not in the letter: the sentence before it, or the lead for the first.
    The paragraphs of the themes asked for come first; the measures met on the way (those of
    paragraphs printed without their lead) are gathered (`_gathered`) rather than left as
    one-sentence paragraphs. So every paragraph reads as self-standing French whatever the
    subset.
    """
    wanted, chosen_numbers, excluded = set(themes), set(numbers), set(exclude)
    spoken = wanted or set(own)  # the themes whose leads speak
    by_number = {m.number: m for m in program.measures}
    first: list[CitedParagraph] = []
    rest: list[CitedParagraph] = []
    for paragraph in _layout(program, by_number):
        chosen = [[m for m in sentence.measures if m.number not in excluded
                   and (m.number in chosen_numbers or wanted.intersection(m.themes))]
                  for sentence in paragraph.sentences]
        cited = [m for measures in chosen for m in measures]
        if not cited:
            continue
        lead = paragraph.lead if leads and paragraph.lead and _lead_printed(
            paragraph.themes, spoken) else None
        sentences = _sentences(paragraph, chosen, lead is not None)
        cited_paragraph = CitedParagraph(lead, [s.text for s in sentences], cited,
                                         tuple(sentences))
        themed = lead is not None and bool(spoken.intersection(paragraph.themes))
        (first if themed else rest).append(cited_paragraph)
    paragraphs = first + _gathered(rest)
    if not paragraphs:
        if chosen_numbers or excluded:
            raise LetterkitError(_("no measure is left to cite"), file=MEASURES_FILE,
                                 hint=_("--exclude leaves out every measure the themes and "
                                        "--measures select: exclude fewer"))
        # « theme(s) » in English, one theme or several; the French says which.
        raise LetterkitError(
            ngettext("no measure carries the theme(s) {themes}",
                     "no measure carries the theme(s) {themes}", len(themes)).format(
                themes=", ".join(themes)),
            file=MEASURES_FILE,
            hint=ngettext("tag measures with these themes, or choose other themes",
                          "tag measures with these themes, or choose other themes",
                          len(themes)))
    return Selection(themes, paragraphs)


def _sentences(paragraph: _Paragraph, chosen: list[list[Measure]],
               lead_printed: bool) -> list[_Cited]:
    """The paragraph's sentences that cite a chosen measure, as the letter words them."""
    texts = []
    before_present = lead_printed
    for sentence, measures in zip(paragraph.sentences, chosen, strict=True):
        if not measures:
            before_present = False
            continue
        drop = bool(sentence.connective) and not before_present
        if sentence.intro is None:
            text = " ".join(cite(m) for m in measures)
            if drop:
                text = french.remove_connective(text, sentence.connective or "")
            texts.append(_Cited(text))
        else:
            clauses = french.join_glued([cite(m) for m in measures], sentence.join)
            end = "" if clauses.endswith((".", "!", "?", "…")) else "."
            text = french.glue(sentence.intro, clauses) + end
            if drop:
                text = french.remove_connective(text, sentence.connective or "")
            texts.append(_Cited(text, _predicates(sentence, measures, text, drop)))
        before_present = True
    return texts


# The subject a sentence's intro may be reduced to, so that two sentences met on the way can
# share it: « Nous rénoverons A. Nous sécuriserons B. » → « Nous rénoverons A et sécuriserons B. »
_SUBJECT = "Nous "


def _predicates(sentence: _Sentence, measures: list[Measure], text: str,
                connective_dropped: bool) -> tuple[str, ...]:
    """What follows « Nous » in a cited sentence, member by member, when another sentence
    may share that subject: the measures of an intro « Nous » joined by « et », or the one
    measure of an intro « Nous » and words without punctuation (« Nous financerons »). Else
    nothing."""
    intro = sentence.intro or ""
    if connective_dropped and sentence.connective:
        intro = french.remove_connective(intro, sentence.connective)
    if not text.startswith(_SUBJECT) or not text.endswith(".") or text.endswith(".."):
        return ()
    if intro == _SUBJECT.strip() and sentence.join == "et":
        return tuple(cite(m) for m in measures)
    if len(measures) == 1 and intro.startswith(_SUBJECT) \
            and not re.search(r"[^\w\s’'-]", intro):
        return (text[len(_SUBJECT):-1],)
    return ()


# A paragraph gathered from measures met on the way holds at most this many sentences.
GATHERED_SENTENCES = 4


def _gathered(paragraphs: list[CitedParagraph]) -> list[CitedParagraph]:
    """Consecutive paragraphs printed without a lead, gathered into as few paragraphs as hold
    at most GATHERED_SENTENCES sentences each, as even as can be (a longer paragraph of the
    program stays whole), where consecutive sentences of the same subject share it
    (`_merge`)."""
    out: list[CitedParagraph] = []
    run: list[CitedParagraph] = []
    for paragraph in [*paragraphs, None]:
        if paragraph is not None and paragraph.lead is None:
            run.append(paragraph)
            continue
        out += [_joined(chunk) for chunk in _chunks(run)]
        run = []
        if paragraph is not None:
            out.append(paragraph)
    return out


def _chunks(run: list[CitedParagraph]) -> list[list[CitedParagraph]]:
    """`run` cut into the fewest chunks of at most GATHERED_SENTENCES sentences, the longest
    as short as can be: « 2, 2, 1, 1 » → « 2, 1 | 2, 1 », not « 2 | 2, 1 | 1 »."""
    # best[i]: (chunks, longest, cut points) for the first i paragraphs.
    best: list[tuple[int, int, list[int]]] = [(0, 0, [])]
    for i in range(1, len(run) + 1):
        options = []
        for j in range(i):
            size = len(_merge(tuple(c for p in run[j:i] for c in p.cited)))
            if size <= GATHERED_SENTENCES or i - j == 1:
                chunks, longest, cuts = best[j]
                options.append((chunks + 1, max(longest, size), [*cuts, j]))
        best.append(min(options, key=lambda option: option[:2]))
    cuts = [*best[-1][2], len(run)]
    return [run[a:b] for a, b in itertools.pairwise(cuts)] if run else []


def _joined(paragraphs: list[CitedParagraph]) -> CitedParagraph:
    """Paragraphs without a lead as one."""
    if len(paragraphs) == 1:
        return paragraphs[0]
    cited = _merge(tuple(c for p in paragraphs for c in p.cited))
    return CitedParagraph(None, [c.text for c in cited],
                          [m for p in paragraphs for m in p.measures], cited)


def _merge(sentences: tuple[_Cited, ...]) -> tuple[_Cited, ...]:
    """Consecutive sentences « Nous A. Nous B. » as one: « Nous A et B. »."""
    out: list[_Cited] = []
    for sentence in sentences:
        last = out[-1] if out else None
        if last is not None and last.predicates and sentence.predicates:
            predicates = last.predicates + sentence.predicates
            out[-1] = _Cited(_SUBJECT + french.join_glued(list(predicates)) + ".", predicates)
        else:
            out.append(sentence)
    return tuple(out)


def _lead_printed(paragraph_themes: list[str], wanted: set[str]) -> bool:
    """A lead without themes is always printed; one with themes when the request names one
    of them (a request by measure numbers alone: the sender's own themes, if any)."""
    if not paragraph_themes:
        return True
    return bool(wanted.intersection(paragraph_themes))


def program_order(program: Program) -> list[Measure]:
    """Every measure, in the order letters cite them."""
    by_number = {m.number: m for m in program.measures}
    return [m for p in _layout(program, by_number) for s in p.sentences for m in s.measures]


@dataclass(frozen=True)
class _Sentence:
    intro: str | None
    join: str
    measures: list[Measure]
    connective: str | None = None


@dataclass(frozen=True)
class _Paragraph:
    themes: list[str]
    lead: str | None
    sentences: list[_Sentence]


def _layout(program: Program, by_number: dict[int, Measure]) -> list[_Paragraph]:
    """The program's paragraphs in order; a measure placed in none forms its own, after."""
    layout = [_Paragraph(p.themes, p.lead, [
        _Sentence(s.intro, s.join, [by_number[n] for n in s.measures], s.connective)
        for s in p.sentences]) for p in program.paragraphs]
    placed = {n for p in program.paragraphs for s in p.sentences for n in s.measures}
    layout += [_Paragraph([], None, [_Sentence(None, "et", [m])])
               for m in program.measures if m.number not in placed]
    return layout
