"""Loading the campaign: every problem found at once, each located by file, line and key."""

from __future__ import annotations

import pytest

from letterkit.campaign.project import load_project
from letterkit.errors import DataError

from .conftest import edit


def problems(root) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def test_the_example_campaign_is_clean(clamart) -> None:
    assert clamart.warnings == []
    assert [m.number for m in clamart.program.measures] == [11, 17, 61, 62, 65, 81, 89, 95]
    assert clamart.association("arpe").salutation == "Madame la Présidente"


def test_yaml_syntax_error_keeps_line_and_column(campaign) -> None:
    edit(campaign / "campaign.yaml", "  size: 104", "  size: [104")
    assert problems(campaign) == [
        "campaign.yaml, line 13: invalid YAML: did not find expected ',' or ']', column 3 — "
        "check the indentation and the quoting around this place"]


def test_all_problems_are_collected_across_files(campaign) -> None:
    edit(campaign / "campaign.yaml", "  size: 104", "  size: cent quatre")
    edit(campaign / "associations.yaml", "    salutation: Madame la Présidente\n", "")
    edit(campaign / "measures.yaml", "  - number: 17", "  - number: 11")
    assert problems(campaign) == [
        "campaign.yaml, line 12, key program.size: input should be a valid integer, unable to "
        "parse string as an integer — write a whole number",
        "measures.yaml, line 69, key measures[1].number: measure number 11 is used twice (also "
        "on line 64) — give each measure its own number",
        "measures.yaml, line 132, key paragraphs[1].sentences[0].measures[1]: paragraphs refer "
        "to measure 17, which does not exist — did you mean 11?",
        "associations.yaml, line 21, key associations[0].salutation: required key is missing — "
        "add this key",
    ]


def test_cross_references_in_the_program(campaign) -> None:
    edit(campaign / "measures.yaml", "themes: [mediation, petite-enfance]",
         "themes: [mediaton, petite-enfance]")
    edit(campaign / "measures.yaml", "measures: [11, 17, 81]", "measures: [11, 18, 81]")
    edit(campaign / "measures.yaml", "text: pour l'attribution des places en crèche (mesure 11)",
         "text: pour l'attribution des places en crèche (mesure 12)")
    assert problems(campaign) == [
        "measures.yaml, line 66, key measures[0].themes[0]: measure 11 has the undeclared theme "
        "« mediaton » — did you mean mediation? Otherwise declare it under themes",
        "measures.yaml, line 67, key measures[0].text: the text of measure 11 should cite "
        "« mesure 11 » exactly once — write « mesure N » where the letter names the measure, "
        "e.g. « … (mesure 11) »",
        "measures.yaml, line 132, key paragraphs[1].sentences[0].measures[1]: paragraphs refer "
        "to measure 18, which does not exist — did you mean 17?",
        "measures.yaml, line 69, key measures[1]: measure 17 is in no paragraph: letters cite "
        "it in a paragraph of its own, after the others — add it to a sentence under paragraphs",
    ]


def test_unknown_keys_and_unreached_themes_are_warnings(campaign) -> None:
    edit(campaign / "associations.yaml", "    salutation:", "    salutaton: x\n    salutation:")
    edit(campaign / "measures.yaml", "  tranquillite:\n", "  vide:\n    label: Vide\n"
         "  tranquillite:\n")
    project = load_project(campaign)
    assert [str(w) for w in project.warnings] == [
        "measures.yaml, line 57, key themes.vide: theme « vide » selects no measure — tag at "
        "least one measure with it, or remove it",
        "associations.yaml, line 23, key associations[0].salutaton: unknown key, ignored — did "
        "you mean salutation?",
    ]


def test_a_document_kind_of_unknown_gender(campaign) -> None:
    edit(campaign / "associations.yaml", "kind: plaidoyer", "kind: mémorandum")
    assert problems(campaign) == [
        "associations.yaml, line 26, key associations[0].document: letterkit does not know "
        "whether « mémorandum » is masculine or feminine — add « gender: m » or « gender: f » "
        "under document"]


def test_files_that_cannot_be_read(campaign) -> None:
    (campaign / "associations.yaml").write_bytes(b"associations:\n  - short_name: caf\xe9\n")
    (campaign / "campaign.yaml").write_text("", encoding="utf-8")
    (campaign / "measures.yaml").unlink()
    assert problems(campaign) == [
        "campaign.yaml: the file is empty — see the example campaign for what it should hold",
        "measures.yaml: file not found — create it, or run letterkit init to start a campaign",
        "associations.yaml, line 2: not UTF-8 text (byte 0xe9) — save the file with the UTF-8 "
        "encoding",
    ]


def test_an_impossible_date_is_located(campaign) -> None:
    edit(campaign / "campaign.yaml", "  published: 2025-12-01", "  published: 2025-02-30")
    assert problems(campaign) == [
        "campaign.yaml, line 13, key program.published: « 2025-02-30 » is not a date that "
        "exists — write a real date, as YYYY-MM-DD"]


# Ten lines that stand for 9⁹ (387 million) strings: the « billion laughs ».
ALIAS_BOMB = "".join(
    [f"bomb_a: &a {['lol'] * 9}\n".replace("'", '"')]
    + [f"bomb_{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
       for a, b in zip("abcdefgh", "bcdefghi", strict=True)])


def test_an_alias_bomb_is_refused_without_eating_memory(campaign) -> None:
    """In a process that may use 1 GB and 30 s at most: a located error, not an exhaustion,
    at the first key that expands beyond the budget (bomb_f: 9⁶ values)."""
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    with (campaign / "measures.yaml").open("a", encoding="utf-8") as stream:
        stream.write(ALIAS_BOMB)
    lines = (campaign / "measures.yaml").read_text(encoding="utf-8").count("\n")
    completed = subprocess.run(
        [sys.executable, "-m", "letterkit", "check", "--project", str(campaign)],
        capture_output=True, text=True, timeout=30, preexec_fn=limit)
    assert completed.returncode == 1
    assert completed.stdout.splitlines()[0] == (
        f"Error: measures.yaml, line {lines - 3}, key bomb_f: the aliases (*name) here expand "
        "to more than 100 000 values — write the values out instead of repeating blocks with & "
        "and *")


def test_an_alias_that_contains_itself_is_refused(campaign) -> None:
    with (campaign / "measures.yaml").open("a", encoding="utf-8") as stream:
        stream.write("loop: &loop [1, *loop]\n")
    lines = (campaign / "measures.yaml").read_text(encoding="utf-8").count("\n")
    assert problems(campaign) == [
        f"measures.yaml, line {lines}, key loop: the aliases (*name) here refer to themselves "
        "— write the values out instead of repeating blocks with & and *"]


def test_a_few_aliases_are_still_read(campaign) -> None:
    edit(campaign / "associations.yaml", "    salutation: Madame la Présidente\n",
         "    salutation: &madame Madame la Présidente\n")
    with (campaign / "associations.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  - short_name: Autre\n    salutation: *madame\n"
                     "    document: {kind: lettre}\n")
    project = load_project(campaign)
    assert project.association("autre").salutation == "Madame la Présidente"


def test_a_list_for_a_measure_number_is_a_wrong_number(campaign) -> None:
    """Found by Hypothesis: the rules looked up a left-out measure's number as a set member,
    and a list is none (TypeError)."""
    edit(campaign / "measures.yaml", "  - number: 11", "  - number: []")
    assert problems(campaign)[0].endswith(
        "key measures[0].number: input should be a valid integer — write a whole number")
