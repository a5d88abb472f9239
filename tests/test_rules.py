"""Each validation rule alone, on a few lines of YAML: the rule, the problem, its place."""

from __future__ import annotations

from letterkit.campaign.models import Associations, Program
from letterkit.campaign.rules.associations import (
    address_fits_envelope,
    short_name_unique,
    themes_known,
)
from letterkit.campaign.rules.program import (
    measure_cites_itself,
    number_unique,
    sentence_has_intro,
    themes_reach_measures,
)
from letterkit.campaign.yamlfile import Source, parse_yaml

PROGRAM = """\
themes:
  velo: {label: Vélo}
  vide: {label: Vide}
measures:
  - number: 1
    themes: [velo]
    text: Des pistes (mesure 1).
  - number: 1
    themes: [velo]
    text: Des arceaux (mesure 2).
paragraphs:
  - sentences:
      - measures: [1, 2]
"""


def source(text: str, name: str) -> Source:
    problems: list = []
    parsed = parse_yaml(text, name, problems)
    assert parsed is not None and problems == []
    return parsed


def program() -> tuple[Program, Source]:
    parsed = source(PROGRAM, "measures.yaml")
    return Program.model_validate(parsed.data), parsed


def test_number_unique() -> None:
    assert [str(p) for p in number_unique(*program(), 1)] == [
        "measures.yaml, line 8, key measures[1].number: measure number 1 is used twice (also "
        "on line 5) — give each measure its own number"]
    assert number_unique(*program(), 0) == []


def test_measure_cites_itself() -> None:
    assert measure_cites_itself(*program(), 0) == []
    assert [p.key for p in measure_cites_itself(*program(), 1)] == ["measures[1].text"]


def test_themes_reach_measures_is_a_warning() -> None:
    found = themes_reach_measures(*program())
    assert [(p.key, p.warning) for p in found] == [("themes.vide", True)]


def test_sentence_has_intro() -> None:
    assert [str(p) for p in sentence_has_intro(*program(), 0, 0)] == [
        "measures.yaml, line 13, key paragraphs[0].sentences[0]: a sentence citing several "
        "measures needs an intro — add e.g. « intro: Nous » before the measures, whose texts "
        "follow it"]


ASSOCIATIONS = """\
associations:
  - short_name: Vélo
    salutation: Madame,
    document: {kind: lettre}
    address: [1 rue de la Longue Adresse Qui Ne Tient Pas Dans La Fenêtre]
  - short_name: vélo
    salutation: Monsieur,
    document: {kind: lettre}
"""


def test_short_name_unique_and_address_fits_envelope() -> None:
    parsed = source(ASSOCIATIONS, "associations.yaml")
    registry = Associations.model_validate(parsed.data).associations
    assert [p.line for p in short_name_unique(registry, parsed, 1)] == [6]
    assert short_name_unique(registry, parsed, 0) == []
    assert [(p.key, p.warning) for p in address_fits_envelope(registry, parsed, 0)] == [
        ("associations[0].address", True)]


def test_themes_known() -> None:
    text = ("associations:\n  - short_name: Vélo 26\n    salutation: Madame, Monsieur\n"
            "    themes: [velo, velos]\n    document: {kind: questionnaire}\n")
    parsed = source(text, "associations.yaml")
    registry = Associations.model_validate(parsed.data).associations
    assert [str(p) for p in themes_known(registry, ["velo", "vide"], parsed)] == [
        "associations.yaml, line 4, key associations[0].themes[1]: unknown theme « velos » — "
        "the themes of measures.yaml: velo, vide"]
    assert themes_known(registry, ["velo", "velos"], parsed) == []
