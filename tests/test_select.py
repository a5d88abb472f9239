"""Theme selection: which measures, in which order, and paragraphs that read as French."""

from __future__ import annotations

import pytest

from letterkit.campaign.models import Program
from letterkit.errors import LetterkitError
from letterkit.letter.select import check_numbers, number_ranges, resolve_themes, select


def numbers(program: Program, themes: list[str]) -> list[int]:
    return [m.number for m in select(program, themes).measures]


@pytest.mark.parametrize(("themes", "expected"), [
    (["mediation"], [89, 11, 17, 81, 95, 61, 62, 65]),
    (["numerique"], [89]),
    (["petite-enfance"], [11]),
    (["environnement"], [17]),
    (["intergenerationnel"], [81]),
    (["antiracisme"], [95]),
    (["tranquillite"], [61, 62, 65]),
    (["tranquillite", "numerique"], [89, 61, 62, 65]),
    (["petite-enfance", "intergenerationnel"], [11, 81]),
    (["mediation", "numerique"], [89, 11, 17, 81, 95, 61, 62, 65]),
])
def test_selects_tagged_measures_once_in_program_order(clamart, themes, expected) -> None:
    assert numbers(clamart.program, themes) == expected


def test_themes_by_repeated_option_or_commas_in_program_order(clamart) -> None:
    program = clamart.program
    assert resolve_themes(program, ["tranquillite,numerique"]) == ["numerique", "tranquillite"]
    assert resolve_themes(program, ["Tranquillite", " numerique ", "numerique"]) == [
        "numerique", "tranquillite"]


def test_unknown_theme_names_the_closest(clamart) -> None:
    with pytest.raises(LetterkitError) as caught:
        resolve_themes(clamart.program, ["mediaton"])
    assert str(caught.value) == ("measures.yaml: unknown theme « mediaton » — "
                                 "did you mean mediation?")


def test_no_theme_at_all(clamart) -> None:
    with pytest.raises(LetterkitError) as caught:
        resolve_themes(clamart.program, [" , "])
    assert str(caught.value).startswith("no theme given — pass --themes TAG")


def test_paragraphs_follow_the_program(clamart) -> None:
    paragraphs = select(clamart.program, ["mediation"]).paragraphs
    assert [[m.number for m in p.measures] for p in paragraphs] == [
        [89], [11, 17, 81, 95], [61, 62, 65]]
    assert paragraphs[1].sentences[0] == (
        "Nous nous inscrivons ainsi pleinement dans une démarche d'ouverture ou de maintien des "
        "guichets uniques : pour l'attribution des places en crèche (**mesure 11**), pour la "
        "mutualisation de tous les services environnementaux communaux (**mesure 17**) ou "
        "encore pour accompagner le co-logement entre des personnes âgées et des jeunes "
        "(**mesure 81**).")


def program_with(extra_themes: dict[int, list[str]], clamart) -> Program:
    """The example program, with more theme tags on some measures (a synthetic `test` tag)."""
    data = clamart.program.model_dump()
    data["themes"]["test"] = {"label": "Test"}
    for measure in data["measures"]:
        measure["themes"] += extra_themes.get(measure["number"], [])
    return Program.model_validate(data)


def test_a_clause_left_out_leaves_no_dangling_connector(clamart) -> None:
    program = program_with({62: ["test"], 65: ["test"]}, clamart)
    paragraph = select(program, ["test"]).paragraphs[0]
    assert paragraph.sentences == [
        "Nous ne miserons pas sur la vidéosurveillance (**mesure 62**) à laquelle nous "
        "préférons la présence humaine, sur le terrain.",
        "D'ailleurs, nous consacrons notre **mesure 65** au développement de l'emploi de "
        "médiatrices et médiateurs (scolaires et de rue, de jour et de nuit) ainsi que "
        "d'éducatrices et éducateurs de rue. En corollaire, nous soutiendrons les clubs de "
        "prévention.",
    ]
    assert paragraph.lead == ("Concernant la tranquillité publique, nous portons une vision "
                              "basée sur la présence humaine.")


def test_two_of_three_joined_the_french_way(clamart) -> None:
    program = program_with({11: ["test"], 81: ["test"]}, clamart)
    sentence = select(program, ["test"]).paragraphs[0].sentences[0]
    assert sentence.endswith("crèche (**mesure 11**) ou encore pour accompagner le co-logement "
                             "entre des personnes âgées et des jeunes (**mesure 81**).")
    assert "," not in sentence.split("crèche")[1]


def test_a_measure_in_no_paragraph_comes_after_the_others(clamart) -> None:
    data = clamart.program.model_dump()
    data["measures"].append({"number": 200, "themes": ["numerique", "tranquillite"],
                             "text": "Mesure de test (mesure 200)."})
    program = Program.model_validate(data)
    # After a paragraph with a lead, it stands alone …
    paragraphs = select(program, ["tranquillite"]).paragraphs
    assert [p.text for p in paragraphs][-1] == "Mesure de test (**mesure 200**)."
    assert [[m.number for m in p.measures] for p in paragraphs] == [[61, 62, 65], [200]]
    # … after one without, it joins it rather than standing as a one-sentence paragraph.
    paragraphs = select(program, ["numerique"]).paragraphs
    assert len(paragraphs) == 1
    assert paragraphs[0].sentences[-1] == "Mesure de test (**mesure 200**)."
    assert [m.number for m in paragraphs[0].measures] == [89, 200]


def test_a_theme_without_measures_is_refused(clamart) -> None:
    program = program_with({}, clamart)
    with pytest.raises(LetterkitError) as caught:
        select(program, ["test"])
    assert str(caught.value) == ("measures.yaml: no measure carries the theme(s) test — "
                                 "tag measures with these themes, or choose other themes")


def test_themes_as_people_write_them(clamart) -> None:
    """A theme by its tag or its label, with or without accents, in any case."""
    program = clamart.program
    assert resolve_themes(program, ["médiation"]) == ["mediation"]
    assert resolve_themes(program, ["Tranquillité publique, NUMÉRIQUE"]) == [
        "numerique", "tranquillite"]
    assert resolve_themes(program, ["petite enfance", "Médiation sociale"]) == [
        "mediation", "petite-enfance"]
    with pytest.raises(LetterkitError) as caught:
        resolve_themes(program, ["Tranquillité privée"])
    assert str(caught.value).startswith("measures.yaml: unknown theme « Tranquillité privée »")


@pytest.mark.parametrize(("numbers", "said"), [
    (range(1, 97), "1 to 96"), ([*range(1, 41), 42, 43, *range(45, 97)],
                                "1 to 40, 42, 43 and 45 to 96"),
    ([7], "7"), ([3, 1, 2, 9], "1 to 3 and 9"), ([], "none")])
def test_an_unknown_number_is_told_the_numbers_that_exist(numbers, said) -> None:
    assert number_ranges(numbers) == said


def test_check_numbers_says_which_exist(clamart) -> None:
    with pytest.raises(LetterkitError) as caught:
        check_numbers(clamart.program, [99], "--measures")
    assert str(caught.value) == ("measures.yaml: --measures 99: the program has no measure 99 "
                                 "— the program has measures 11, 17, 61, 62, 65, 81, 89 and 95; "
                                 "letterkit measures lists them")
