"""The rules of measures.yaml that its model cannot express: measure by measure, then
across the program (its paragraphs and sentences)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from letterkit.campaign.models import MEASURE_REF, Program
from letterkit.campaign.rules.types import PartialSource
from letterkit.campaign.yamlfile import KeyPath, Source
from letterkit.errors import Problem
from letterkit.i18n import _
from letterkit.text import did_you_mean


def _first_index(program: Program) -> dict[int, int]:
    """Each measure number and the index of the first measure carrying it."""
    first: dict[int, int] = {}
    for index, measure in enumerate(program.measures):
        first.setdefault(measure.number, index)
    return first


def number_unique(program: Program, source: Source, index: int) -> list[Problem]:
    """Two measures never share a number."""
    number = program.measures[index].number
    first = _first_index(program)[number]
    if first == index:
        return []
    return [source.problem(
        _("measure number {number} is used twice (also on line {line})").format(
            number=number, line=source.line(("measures", first))), ("measures", index, "number"),
        _("give each measure its own number"))]


def measure_has_themes(program: Program, source: Source, index: int) -> list[Problem]:
    """Every measure has a theme, or no letter can cite it."""
    measure = program.measures[index]
    if measure.themes:
        return []
    return [source.problem(_("no theme reaches measure {number}").format(number=measure.number),
                           ("measures", index, "themes"), _("give it at least one theme tag"))]


def themes_declared(program: Program, source: Source, index: int) -> list[Problem]:
    """The theme tags of a measure are declared under themes."""
    measure = program.measures[index]
    return [source.problem(_("measure {number} has the undeclared theme « {tag} »").format(
        number=measure.number, tag=tag), ("measures", index, "themes", t),
        _undeclared_hint(program, tag))
            for t, tag in enumerate(measure.themes) if tag not in program.themes]


def _undeclared_hint(program: Program, tag: str) -> str:
    """What to do about an undeclared theme tag: the declared ones it is close to, or all."""
    return _("{suggestion} Otherwise declare it under themes").format(
        suggestion=did_you_mean(tag, list(program.themes), "themes"))


def measure_cites_itself(program: Program, source: Source, index: int) -> list[Problem]:
    """A measure's text says « mesure N » once, with its own number: the letter's citation."""
    measure = program.measures[index]
    cited = [int(m.group(2)) for m in MEASURE_REF.finditer(measure.text)]
    if cited == [measure.number]:
        return []
    return [source.problem(
        _("the text of measure {number} should cite « mesure {number} » exactly once").format(
            number=measure.number), ("measures", index, "text"),
        _("write « mesure N » where the letter names the measure, e.g. « … (mesure {number}) »"
          ).format(number=measure.number))]


def _fragments(program: Program) -> set[int]:
    """The measures cited after an intro: their text is part of a sentence."""
    return {n for p in program.paragraphs for s in p.sentences if s.intro is not None
            for n in s.measures}


def measure_punctuation(program: Program, source: Source, index: int) -> list[Problem]:
    """A measure cited after an intro is a part of a sentence, without a final period; one
    cited alone is a whole sentence, with its final punctuation."""
    measure = program.measures[index]
    text = measure.text.rstrip("*_ ")
    path: KeyPath = ("measures", index, "text")
    if measure.number in _fragments(program):
        if text.endswith(".") and not text.endswith("..."):
            return [source.problem(
                _("the text of measure {number} ends with a period, but a letter cites it "
                  "inside a sentence (after an intro)").format(number=measure.number), path,
                _("remove the final period: the letter ends the sentence itself"))]
        return []
    if measure.number in _first_placement(program) and not text.endswith((".", "!", "?", "…")):
        return [source.problem(
            _("the text of measure {number} is cited as a sentence of its own but has no final "
              "punctuation").format(number=measure.number), path,
            _("end it with a period, or cite it after an intro under paragraphs"), warning=True)]
    return []


MEASURE_RULES: tuple[Callable[[Program, Source, int], list[Problem]], ...] = (
    measure_has_themes, themes_declared, measure_cites_itself, measure_punctuation)


# --- Phase 2: measures.yaml, across the program --------------------------------------------

def themes_reach_measures(program: Program, source: Source) -> list[Problem]:
    """Warn about a theme that no measure carries."""
    left_out = _left_out(source, "measures")
    return [source.problem(_("theme « {tag} » selects no measure").format(tag=tag),
                           ("themes", tag), _("tag at least one measure with it, or remove it"),
                           warning=True)
            for tag in program.themes if not any(tag in m.themes for m in program.measures)
            and not any(tag in _tags(item) for item in left_out)]


def _tags(item: dict[str, object]) -> list[object]:
    """A left-out measure's theme tags, whatever its (wrong) `themes` holds: the types
    phase reports that value."""
    themes = item.get("themes")
    return themes if isinstance(themes, list) else []


def _first_placement(program: Program) -> dict[int, KeyPath]:
    """Each existing measure placed in paragraphs, and where it is placed first."""
    exists = {m.number for m in program.measures}
    placed: dict[int, KeyPath] = {}
    for p, paragraph in enumerate(program.paragraphs):
        for s, sentence in enumerate(paragraph.sentences):
            for m, number in enumerate(sentence.measures):
                if number in exists:
                    placed.setdefault(number, ("paragraphs", p, "sentences", s, "measures", m))
    return placed


def _left_out(source: Source, key: str) -> list[dict[str, Any]]:
    """The items of `key` left out for type errors (already reported)."""
    if not isinstance(source, PartialSource) or key not in source.kept:
        return []
    kept = set(source.kept[key])
    return [item for i, item in enumerate(source.raw.get(key, []))
            if i not in kept and isinstance(item, dict)]


def _left_out_numbers(source: Source) -> set[Any]:
    """The numbers of the measures left out: a sentence citing one is not wrong for that."""
    numbers = (item.get("number") for item in _left_out(source, "measures"))
    return {n for n in numbers if isinstance(n, int | str)}  # a list or a block is no number


def sentence_references(program: Program, source: Source, p: int, s: int) -> list[Problem]:
    """A sentence cites measures that exist, each placed in one sentence only."""
    problems = []
    numbers = list(_first_index(program))  # file order: the first of two as near wins
    placed = _first_placement(program)
    left_out = _left_out_numbers(source)
    for m, number in enumerate(program.paragraphs[p].sentences[s].measures):
        path: KeyPath = ("paragraphs", p, "sentences", s, "measures", m)
        if number in left_out:
            continue
        if number not in placed:
            nearest = min(numbers, key=lambda n: abs(n - number), default=None)
            problems.append(source.problem(
                _("paragraphs refer to measure {number}, which does not exist").format(
                    number=number), path,
                _("did you mean {number}?").format(number=nearest) if nearest
                else _("add the measure first")))
        elif placed[number] != path:
            problems.append(source.problem(
                _("measure {number} is placed twice in paragraphs (also on line {line})").format(
                    number=number, line=source.line(placed[number])), path,
                _("cite each measure in one sentence only")))
    return problems


def sentence_has_intro(program: Program, source: Source, p: int, s: int) -> list[Problem]:
    """A sentence joining several measures starts with an intro they follow."""
    sentence = program.paragraphs[p].sentences[s]
    if len(sentence.measures) <= 1 or sentence.intro is not None:
        return []
    return [source.problem(_("a sentence citing several measures needs an intro"),
                           ("paragraphs", p, "sentences", s),
                           _("add e.g. « intro: Nous » before the measures, whose texts follow "
                             "it"))]


def connective_in_sentence(program: Program, source: Source, p: int, s: int) -> list[Problem]:
    """A sentence's connective is words of its intro or of its measures' texts: letterkit
    removes them when the sentence before is not in the letter."""
    sentence = program.paragraphs[p].sentences[s]
    if not sentence.connective or _left_out_numbers(source) & set(sentence.measures):
        return []
    wanted = sentence.connective.strip().replace("'", "’").casefold()
    by_number = {m.number: m.text for m in program.measures}
    texts = [sentence.intro or "", *(by_number.get(n, "") for n in sentence.measures)]
    if any(wanted in text.replace("'", "’").casefold() for text in texts):
        return []
    return [source.problem(
        _("the connective « {connective} » is not in this sentence").format(
            connective=sentence.connective), ("paragraphs", p, "sentences", s, "connective"),
        _("write it exactly as it appears in the intro or in the measure's text"))]


SENTENCE_RULES: tuple[Callable[[Program, Source, int, int], list[Problem]], ...] = (
    sentence_references, sentence_has_intro, connective_in_sentence)


def paragraph_themes_declared(program: Program, source: Source) -> list[Problem]:
    """The themes of a paragraph's lead are declared under themes."""
    return [source.problem(_("paragraph {number} has the undeclared theme « {tag} »").format(
        number=p + 1, tag=tag), ("paragraphs", p, "themes", t), _undeclared_hint(program, tag))
            for p, paragraph in enumerate(program.paragraphs)
            for t, tag in enumerate(paragraph.themes) if tag not in program.themes]


def measures_in_paragraphs(program: Program, source: Source) -> list[Problem]:
    """When the program has paragraphs, warn about a measure placed in none."""
    if not program.paragraphs:
        return []
    placed = _first_placement(program)
    return [source.problem(_("measure {number} is in no paragraph: letters cite it in a "
                             "paragraph of its own, after the others").format(number=number),
                           ("measures", index), _("add it to a sentence under paragraphs"),
                           warning=True)
            for number, index in _first_index(program).items() if number not in placed]


def check_program(program: Program, source: Source) -> list[Problem]:
    """Every cross-reference rule of measures.yaml, in file order within each rule group."""
    problems: list[Problem] = []
    for index in range(len(program.measures)):
        duplicate = number_unique(program, source, index)
        problems += duplicate
        if not duplicate:
            for measure_rule in MEASURE_RULES:
                problems += measure_rule(program, source, index)
    problems += themes_reach_measures(program, source)
    problems += paragraph_themes_declared(program, source)
    for p, paragraph in enumerate(program.paragraphs):
        for s in range(len(paragraph.sentences)):
            for sentence_rule in SENTENCE_RULES:
                problems += sentence_rule(program, source, p, s)
    problems += measures_in_paragraphs(program, source)
    return problems
