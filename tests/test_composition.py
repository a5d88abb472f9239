"""How a letter composes its measures, on generated programs (every measure clearly fictional:
« la maison fictive Alpha-12 »): the themes asked for first, the measures met on the way
gathered, leads only for a theme the request names, counts that agree, no lead in an answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
import re
from typing import Any

import pytest

from letterkit.campaign.models import Program
from letterkit.campaign.project import Project, load_project
from letterkit.letter import render
from letterkit.letter.select import GATHERED_SENTENCES, CitedParagraph, select
from letterkit.questionnaire.answers import Answers, letter_context

from .conftest import build_campaign

THEMES = ["alpha", "beta", "gamma", "delta", "epsilon"]
MARCH_1 = dt.date(2026, 3, 1)


def synthetic_program(seed: int) -> Program:
    """A program of fictional measures: theme paragraphs (a lead, a « Nous » sentence of
    fragments, a full sentence with a connective), paragraphs without a lead or themes, and
    measures placed in none. Measures carry one to three themes."""
    rng = random.Random(seed)
    number = 0
    measures: list[dict[str, Any]] = []

    def measure(full: bool) -> int:
        nonlocal number
        number += rng.randint(1, 3)
        tags = rng.sample(THEMES, rng.randint(1, 3))
        text = (f"La place fictive Bêta-{number} sera rénovée (mesure {number})." if full
                else f"ouvrirons la maison fictive Alpha-{number} (mesure {number})")
        measures.append({"number": number, "themes": tags, "text": text})
        return number

    paragraphs: list[dict[str, Any]] = []
    for theme in THEMES:
        fragments = [measure(False) for _ in range(rng.randint(1, 3))]
        full = measure(True)
        measures[-1]["text"] = measures[-1]["text"].replace("La place", "D'ailleurs, la place")
        paragraphs.append({"themes": [theme], "lead": f"Le thème fictif {theme} nous tient à "
                           "cœur.", "sentences": [
                               {"intro": "Nous", "measures": fragments},
                               {"measures": [full], "connective": "D'ailleurs,"}]})
        if rng.random() < 0.6:
            paragraphs.append({"sentences": [{"measures": [measure(True)]}
                                             for _ in range(rng.randint(1, 2))]})
    for _ in range(rng.randint(0, 3)):
        measure(True)  # in no paragraph
    return Program.model_validate({
        "themes": {t: {"label": t.capitalize()} for t in THEMES},
        "measures": measures, "paragraphs": paragraphs})


@pytest.fixture(scope="module")
def bellerive(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return load_project(build_campaign("bellerive", tmp_path_factory.mktemp("s") / "b"))


def requests(seed: int, program: Program) -> list[tuple[list[str], list[int]]]:
    rng = random.Random(seed)
    numbers = [m.number for m in program.measures]
    return [(sorted(rng.sample(THEMES, rng.randint(1, 2))), []) for _ in range(4)] + [
        ([], rng.sample(numbers, rng.randint(1, 5))),
        ([rng.choice(THEMES)], rng.sample(numbers, 2))]


def _sentences(paragraph: CitedParagraph) -> int:
    return len(paragraph.sentences)


@pytest.mark.parametrize("seed", range(12))
def test_generated_programs_compose_as_a_reader_expects(seed: int, bellerive: Project) -> None:
    program = synthetic_program(seed)
    by_number = {m.number: m for m in program.measures}
    for themes, numbers in requests(seed, program):
        wanted = set(themes)
        selection = select(program, themes, numbers)
        paragraphs = selection.paragraphs
        cited = [m.number for m in selection.measures]
        expected = {m.number for m in program.measures
                    if wanted.intersection(m.themes) or m.number in numbers}
        # Every measure asked for, once.
        assert sorted(cited) == sorted(expected), (themes, numbers)
        text = " ".join(p.text for p in paragraphs)
        for n in expected:
            assert text.count(f"(**mesure {n}**)") == 1, (n, text)
        # A lead only for a theme the request names; those paragraphs first.
        leads = [p.lead for p in paragraphs if p.lead]
        assert all(any(f"fictif {t} " in lead for t in themes) for lead in leads), leads
        led = [p.lead is not None for p in paragraphs]
        assert led == sorted(led, reverse=True), (themes, numbers, led)
        # The measures met on the way are gathered: no two paragraphs without a lead follow
        # each other when they would fit in one.
        for before, after in itertools.pairwise(paragraphs):
            if before.lead is None and after.lead is None:
                assert _sentences(before) + _sentences(after) > GATHERED_SENTENCES, (
                    themes, numbers)
        # Two « Nous » sentences never follow each other where one can say both.
        for paragraph in paragraphs:
            assert not re.search(r"^Nous ouvrirons [^.]*\(\*\*mesure \d+\*\*\)\. Nous ouvrirons",
                                 " ".join(paragraph.sentences), re.M), paragraph.text
            for first, second in itertools.pairwise(paragraph.sentences):
                assert not (first.startswith("Nous ouvrirons")
                            and second.startswith("Nous ouvrirons")), paragraph.text
        # A connective only after what it refers to.
        for paragraph in paragraphs:
            if paragraph.sentences[0].startswith("D'ailleurs") and paragraph.lead is None:
                pytest.fail(f"dangling connective: {paragraph.text}")
        # The announce counts what follows.
        project = dataclasses.replace(bellerive, program=program)
        context = render.letter_context(project, project.association("ESB"), selection,
                                        MARCH_1)
        body = render.render_letter(render.environment(project.root), "reponse",
                                    context).blocks["body"]
        announce = {1: "une mesure qui vous convaincra"}.get(
            len(cited), "des mesures qui vous convaincront" if len(cited) < 5
            else "de nombreuses mesures qui vous convaincront")
        assert f"Vous trouverez dans notre programme {announce} de la sincérité" in body
        assert all(by_number[n] for n in cited)


@pytest.mark.parametrize("seed", range(6))
def test_generated_answers_hold_no_lead_and_the_others_are_counted(
        seed: int, bellerive: Project) -> None:
    program = synthetic_program(seed)
    project = dataclasses.replace(bellerive, program=program)
    rng = random.Random(seed)
    numbers = [m.number for m in program.measures]
    answered = rng.sample(numbers, 3)
    answers = Answers.model_validate({"assoc": "ESB", "questions": [
        {"number": 1, "question": "Question fictive ?", "position": "oui",
         "measures": answered[:2]},
        {"number": 2, "question": "Autre question fictive ?", "measures": answered[2:]}]})
    theme = rng.choice(THEMES)
    context = letter_context(project, project.association("ESB"), answers, [theme], MARCH_1)
    for question in context["questions"]:
        for paragraph in question["paragraphs"]:
            assert "fictif" not in paragraph["text"], paragraph["text"]
    body = render.render_letter(render.environment(project.root), "questionnaire",
                                context).blocks["body"]
    others = [n for n in context["measures"] if n not in context["answered"]]
    if not others:
        assert "Vous trouverez" not in body
    elif len(others) == 1:
        assert "programme une autre mesure qui vous convaincra" in body
    else:
        assert "programme d’autres mesures qui vous convaincront" in body


def test_the_synthetic_programs_are_valid() -> None:
    """They are programs `check` accepts: fragments after an intro, full sentences alone,
    each measure placed once, every connective in its sentence."""
    import yaml

    from letterkit.campaign.rules import check_program
    from letterkit.campaign.yamlfile import parse_yaml

    for seed in range(3):
        program = synthetic_program(seed)
        problems: list = []
        text = yaml.safe_dump(program.model_dump(exclude_defaults=True), allow_unicode=True)
        source = parse_yaml(text, "measures.yaml", problems)
        assert source is not None and problems == []
        assert [str(p) for p in check_program(program, source) if not p.warning] == []
