"""Themes → measures: which measures a letter cites, grouped and worded as the program does."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from letterkit import french
from letterkit.errors import LetterkitError
from letterkit.models import MEASURE_REF, Measure, Program
from letterkit.paths import MEASURES_FILE
from letterkit.text import clean, did_you_mean


@dataclass(frozen=True)
class CitedParagraph:
    """One paragraph of a letter's measures: an optional lead, then full sentences."""

    lead: str | None
    sentences: list[str]
    measures: list[Measure]

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


def resolve_themes(program: Program, requested: list[str]) -> list[str]:
    """The requested theme tags (repeated options or comma-separated), in program order."""
    wanted = {tag.strip().lower() for option in requested for tag in clean(option).split(",")}
    wanted -= {""}
    if not wanted:
        raise LetterkitError("no theme given", hint="pass --themes TAG; letterkit themes "
                             "lists them: " + ", ".join(program.themes))
    for tag in sorted(wanted):
        if tag not in program.themes:
            raise LetterkitError(f"unknown theme « {tag} »", file=MEASURES_FILE,
                                 hint=did_you_mean(tag, list(program.themes), "themes"))
    return [tag for tag in program.themes if tag in wanted]


def cite(measure: Measure) -> str:
    """The measure's text with its own reference in bold: « (**mesure 89**) »."""
    return _bold_reference(measure.text)


@cache
def _bold_reference(text: str) -> str:
    return MEASURE_REF.sub(r"**mesure \2**", text)


def select(program: Program, themes: list[str]) -> Selection:
    """The measures tagged with any of `themes`, each once, in program order and paragraphs.

    A sentence that joins several measures keeps only the selected ones and joins them again,
    so that every paragraph reads as self-standing French whatever the subset.
    """
    wanted = set(themes)
    by_number = {m.number: m for m in program.measures}
    paragraphs = []
    for lead, sentences in _layout(program, by_number):
        cited: list[Measure] = []
        texts = []
        for intro, conjunction, measures in sentences:
            chosen = [m for m in measures if wanted.intersection(m.themes)]
            if not chosen:
                continue
            cited += chosen
            if intro is None:
                texts += [cite(m) for m in chosen]
            else:
                clauses = french.join([cite(m) for m in chosen], conjunction)
                end = "" if clauses.endswith((".", "!", "?", "…")) else "."
                texts.append(f"{intro} {clauses}{end}")
        if cited:
            paragraphs.append(CitedParagraph(lead, texts, cited))
    if not paragraphs:
        raise LetterkitError("no measure carries the theme(s) " + ", ".join(themes),
                             file=MEASURES_FILE,
                             hint="tag measures with these themes, or choose other themes")
    return Selection(themes, paragraphs)


def program_order(program: Program) -> list[Measure]:
    """Every measure, in the order letters cite them."""
    by_number = {m.number: m for m in program.measures}
    return [m for _, sentences in _layout(program, by_number) for _, _, ms in sentences
            for m in ms]


_Sentence = tuple[str | None, str, list[Measure]]


def _layout(program: Program, by_number: dict[int, Measure]
            ) -> list[tuple[str | None, list[_Sentence]]]:
    """The program's paragraphs in order; a measure placed in none forms its own, after."""
    layout: list[tuple[str | None, list[_Sentence]]] = [
        (p.lead, [(s.intro, s.join, [by_number[n] for n in s.measures]) for s in p.sentences])
        for p in program.paragraphs
    ]
    placed = {n for p in program.paragraphs for s in p.sentences for n in s.measures}
    layout += [(None, [(None, "et", [m])]) for m in program.measures if m.number not in placed]
    return layout
