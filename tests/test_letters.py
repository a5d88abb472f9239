"""Every listed theme composes a letter a French reader would sign; the grammar follows the data."""

from __future__ import annotations

import datetime as dt

import pytest

from letterkit.campaign.project import load_project
from letterkit.pipeline.build import Request, compose

from .conftest import edit

MARCH_1 = dt.date(2026, 3, 1)
NB = "\u00a0"


def letter(project, themes: list[str], out, date: dt.date = MARCH_1, assoc: str = "ARPE") -> str:
    result = compose(project, Request(assoc, themes, date, out, ("md",), force=True))
    return result.paths[0].read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return text.strip().split("\n\n")


@pytest.mark.parametrize(("theme", "measures", "announce"), [
    ("numerique", [89], "une mesure qui vous convaincra"),
    ("petite-enfance", [11], "une mesure qui vous convaincra"),
    ("environnement", [17], "une mesure qui vous convaincra"),
    ("intergenerationnel", [81], "une mesure qui vous convaincra"),
    ("antiracisme", [95], "une mesure qui vous convaincra"),
    ("tranquillite", [61, 62, 65], "des mesures qui vous convaincront"),
    ("mediation", [89, 11, 17, 81, 95, 61, 62, 65], "de nombreuses mesures qui vous convaincront"),
])
def test_each_theme_composes_a_complete_letter(clamart, tmp_path, theme, measures, announce):
    text = letter(clamart, [theme], tmp_path)
    blocks = paragraphs(text)
    assert blocks[0].startswith("Réponse de la liste «" + NB + "Clamart à gauche\u202f!")
    assert blocks[1] == "Madame la Présidente,"
    assert blocks[-3:] == ["Fraternellement,", "La liste Clamart à gauche\u202f!",
                           f"Clamart, le 1er{NB}mars{NB}2026"]
    assert f"Vous trouverez dans notre programme {announce} de la sincérité" in text
    cited = [int(n) for n in __import__("re").findall(r"\*\*mesure\u00a0(\d+)\*\*", text)]
    assert cited == measures
    assert blocks[-4].endswith(f"les 15 et 22{NB}mars prochains\u202f!")
    for block in blocks:
        assert "  " not in block and not block.startswith((" ", ",", "."))
        assert block[0].isupper() or block[0] in "«("


def test_the_last_of_several_paragraphs_opens_with_enfin(clamart, tmp_path) -> None:
    text = letter(clamart, ["numerique", "tranquillite"], tmp_path)
    assert "\n\nEnfin, concernant la tranquillité publique, nous portons" in text
    alone = letter(clamart, ["tranquillite"], tmp_path)
    assert "Enfin" not in alone
    assert "\n\nConcernant la tranquillité publique, nous portons" in alone


def test_shared_vision_and_beyond_only_for_themes_that_have_them(clamart, tmp_path) -> None:
    text = letter(clamart, ["numerique"], tmp_path)
    assert "vision commune" not in text and "Au-delà" not in text
    assert ("Nous avons pris connaissance de votre plaidoyer et nous y sommes particulièrement "
            "sensibles.\n\n") in text
    both = letter(clamart, ["mediation", "numerique"], tmp_path)
    assert both.count("vision commune") == 1 and both.count("Au-delà") == 1


@pytest.mark.parametrize(("date", "call"), [
    (dt.date(2026, 3, 14), f"Faisons pour cela basculer Clamart à gauche les 15 et 22{NB}mars "
                           "prochains\u202f!"),
    (dt.date(2026, 3, 16), f"Faisons pour cela basculer Clamart à gauche le 22{NB}mars "
                           "prochain\u202f!"),
])
def test_the_call_to_vote_follows_the_letter_date(clamart, tmp_path, date, call) -> None:
    assert call in letter(clamart, ["numerique"], tmp_path, date)


def test_after_the_second_round_no_call_and_a_warning(clamart, tmp_path) -> None:
    result = compose(clamart, Request("ARPE", ["numerique"], dt.date(2026, 3, 23), tmp_path,
                                      ("md",)))
    text = result.paths[0].read_text(encoding="utf-8")
    assert "Faisons" not in text
    assert "**ne laisser personne de côté**.\n\nFraternellement," in text
    assert [str(w) for w in result.warnings] == [
        "the letter is dated 2026-03-23, after the last election round: it carries no call "
        "to vote — the rest still speaks as a list in campaign (« afin que nous nous "
        "positionnions », « des mesures qui vous convaincront »): reread it before sending, "
        "or date it on or before the last round"]


def test_a_feminine_document_without_partner_from_outside_the_commune(campaign, tmp_path):
    edit(campaign / "associations.yaml", "    local: true\n", "")
    edit(campaign / "associations.yaml", "      kind: plaidoyer\n      title: plaidoyer pour",
         "      kind: lettre\n      title: lettre ouverte pour")
    edit(campaign / "associations.yaml",
         "    partner:\n      name: la Fédération des associations de médiation sociale et "
         "culturelle\n      gender: f\n", "")
    text = letter(load_project(campaign), ["numerique"], tmp_path)
    assert text.startswith("Réponse de la liste «" + NB + "Clamart à gauche\u202f!" + NB + "» à "
                           "la lettre ouverte pour le développement de la médiation sociale dans "
                           "les politiques municipales transmise par l’association ARPE\n")
    assert ("sur la «" + NB + "*lettre ouverte pour le développement de la médiation sociale "
            "dans les politiques municipales*" + NB + "» que vous avez élaborée.\n") in text
    assert "votre lettre et nous y sommes" in text


def test_a_masculine_partner_and_an_elided_title(campaign, tmp_path) -> None:
    edit(campaign / "associations.yaml", "kind: plaidoyer", "kind: appel")
    edit(campaign / "associations.yaml", "title: plaidoyer pour", "title: appel pour")
    edit(campaign / "associations.yaml",
         "name: la Fédération des associations de médiation sociale et culturelle\n      gender: f",
         "name: le Réseau des médiateurs\n      gender: m")
    text = letter(load_project(campaign), ["numerique"], tmp_path)
    assert "» à l’appel pour le développement" in text
    assert "sur l’«" + NB + "*appel pour" in text
    assert "avec le Réseau des médiateurs, duquel ARPE est adhérente." in text


def test_a_long_closing_repeats_the_salutation(campaign, tmp_path) -> None:
    edit(campaign / "campaign.yaml", "closing: Fraternellement,",
         "closing: Nous vous prions d'agréer, {salutation}, l'expression de nos salutations "
         "distinguées.")
    text = letter(load_project(campaign), ["numerique"], tmp_path)
    assert ("\n\nNous vous prions d’agréer, Madame la Présidente, l’expression de nos "
            "salutations distinguées.\n\n") in text


def test_third_party_text_is_never_markup(campaign, tmp_path) -> None:
    edit(campaign / "associations.yaml", "title: plaidoyer pour le développement de la "
         "médiation sociale dans les politiques municipales",
         "title: '**plaidoyer** [lien](http://x) <b>{{ 7*7 }}</b> pour'")
    text = letter(load_project(campaign), ["numerique"], tmp_path)
    # Escaped for Markdown, never evaluated (typography may still tighten the braces).
    assert "au plaidoyer «" + NB + "\\*\\*plaidoyer\\*\\* \\[lien\\](http://x) \\<b\\>{{" in text
    assert "7\\*7}}\\</b\\> pour" in text
    assert "49" not in text
