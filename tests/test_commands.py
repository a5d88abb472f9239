"""The everyday commands end to end: listing, check, init, batch, preview, ad-hoc associations,
template overrides."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letterkit.cli import app
from letterkit.paths import template_dirs

from .conftest import REPO, edit

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


# --- listing -------------------------------------------------------------------------------

def test_measures_json_in_program_order(campaign) -> None:
    result = run("measures", "--json", "--project", str(campaign))
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["number"] for r in rows] == [89, 11, 17, 81, 95, 61, 62, 65]
    assert rows[1] == {"number": 11, "title": "Guichet unique pour l'attribution des places en "
                       "crèche", "themes": ["mediation", "petite-enfance"],
                       "text": "pour l'attribution des places en crèche (mesure 11)"}


def test_measures_of_one_theme_as_a_table(campaign) -> None:
    result = run("measures", "--theme", "tranquillite", "--project", str(campaign))
    assert result.exit_code == 0
    assert "3 measures" in result.stdout
    for number in ("61", "62", "65"):
        assert f"│ {number} │" in result.stdout
    assert "│ 89 │" not in result.stdout
    unknown = run("measures", "--theme", "tranquilite", "--project", str(campaign))
    assert unknown.exit_code == 1
    assert unknown.stderr == ("Error: measures.yaml: unknown theme « tranquilite » — did you "
                              "mean tranquillite?\n")


def test_themes_count_their_measures(campaign) -> None:
    rows = json.loads(run("themes", "--json", "--project", str(campaign)).stdout)
    assert {r["tag"]: r["count"] for r in rows} == {
        "mediation": 8, "numerique": 1, "petite-enfance": 1, "environnement": 1,
        "intergenerationnel": 1, "antiracisme": 1, "tranquillite": 3}
    assert rows[-1]["measures"] == [61, 62, 65]
    table = run("themes", "--project", str(campaign)).stdout
    assert "7 themes" in table and "Tranquillité publique" in table


def test_associations(campaign) -> None:
    rows = json.loads(run("associations", "--json", "--project", str(campaign)).stdout)
    assert [(r["short_name"], r["salutation"]) for r in rows] == [
        ("ARPE", "Madame la Présidente")]
    assert "1 association" in run("associations", "--project", str(campaign)).stdout


# --- check ---------------------------------------------------------------------------------

def test_check_passes_on_the_fixture_campaign(campaign) -> None:
    result = run("check", "--project", str(campaign))
    assert result.exit_code == 0
    assert result.stdout == (f"OK: 8 measures, 7 themes, 1 association in {campaign}\n")


def test_check_reports_every_problem_and_fails(campaign) -> None:
    edit(campaign / "measures.yaml", "  - number: 17", "  - number: 11")
    edit(campaign / "associations.yaml", "    salutation:", "    salutaton:")
    letters = campaign / "templates" / "letters"
    letters.mkdir(parents=True)
    (letters / "broken.md.j2").write_text("{% block title %}\n{{ campaign.list_name\n")
    (letters / "undefined.md.j2").write_text(
        "{% block title %}{{ campagne }}{% endblock %}{% block salutation %}x{% endblock %}"
        "{% block body %}y{% endblock %}")
    result = run("check", "--project", str(campaign))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "Error: measures.yaml, line 69, key measures[1].number: measure number 11 is used "
        "twice (also on line 64) — give each measure its own number",
        "Error: measures.yaml, line 132, key paragraphs[1].sentences[0].measures[1]: "
        "paragraphs refer to measure 17, which does not exist — did you mean 11?",
        "Error: associations.yaml, line 21, key associations[0].salutation: required key is "
        "missing — add this key",
        "Error: templates/letters/broken.md.j2, line 2: template syntax error: unexpected end "
        "of template, expected 'end of print statement' — fix the {{ }} or {% %} tag on this "
        "line",
        f"4 errors, 0 warnings in {campaign}",
    ]


def test_check_finds_undefined_template_variables(campaign) -> None:
    letters = campaign / "templates" / "letters"
    letters.mkdir(parents=True)
    (letters / "undefined.md.j2").write_text(
        "{% block title %}{{ campagne }}{% endblock %}{% block salutation %}x{% endblock %}"
        "{% block body %}y{% endblock %}")
    result = run("check", "--project", str(campaign))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "Error: templates/letters/undefined.md.j2: template uses an undefined variable: "
        "'campagne' is undefined — docs/templates.md lists the variables a letter may use")


def test_compose_refuses_invalid_data_with_the_same_messages(campaign) -> None:
    edit(campaign / "measures.yaml", "  - number: 17", "  - number: 11")
    result = run("compose", "--assoc", "ARPE", "--themes", "numerique",
                 "--project", str(campaign))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: measures.yaml, line 69, key measures[1].number: measure number 11 is used "
        "twice (also on line 64) — give each measure its own number")
    assert not (campaign / "letters").exists()


# --- init ----------------------------------------------------------------------------------

def test_init_makes_a_campaign_that_composes_right_away(tmp_path) -> None:
    folder = tmp_path / "ma-campagne"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "associations.yaml", "campaign.yaml", "measures.yaml", "templates/letters/letter.css",
        "templates/letters/page.html.j2", "templates/letters/questionnaire.md.j2",
        "templates/letters/reponse.md.j2"]
    composed = run("compose", "--assoc", "ARPE", "--themes", "mediation", "--date",
                   "2026-03-01", "--project", str(folder))
    assert composed.exit_code == 0, composed.output
    assert (folder / "letters" / "2026-03-01-arpe-mediation.pdf").is_file()
    again = run("init", str(folder))
    assert again.exit_code == 1
    assert again.stderr == (f"Error: {folder / 'measures.yaml'} already exists — letterkit "
                            "init creates a new campaign: choose an empty folder\n")


@pytest.mark.parametrize("link", ["measures.yaml", "templates", "templates/letters"])
def test_init_never_writes_through_a_symbolic_link(tmp_path, link) -> None:
    folder, outside = tmp_path / "ma-campagne", tmp_path / "ailleurs"
    outside.mkdir()
    (folder / link).parent.mkdir(parents=True, exist_ok=True)
    (folder / link).symlink_to(outside / ("cible.yaml" if link.endswith(".yaml") else "dossier"))
    if not link.endswith(".yaml"):
        (outside / "dossier").mkdir()
    result = run("init", str(folder))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {folder / link} is a symbolic link — letterkit init "
                             "writes only inside the new folder: remove the link, or choose an "
                             "empty folder\n")
    assert [p.name for p in outside.rglob("*")] == ([] if link.endswith(".yaml")
                                                    else ["dossier"])


# --- compose, completed --------------------------------------------------------------------

def test_preview_prints_the_letter_and_writes_nothing(campaign) -> None:
    result = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--preview",
                 "--date", "2026-03-01", "--project", str(campaign))
    assert result.exit_code == 0
    assert "Madame la Présidente," in result.stdout
    assert "Nous lutterons contre la fracture numérique" in result.stdout
    assert not (campaign / "letters").exists()


def test_an_association_missing_from_the_registry(campaign) -> None:
    result = run("compose", "--assoc", "Vélo Clamart", "--salutation", "Monsieur le Président",
                 "--document", "questionnaire aux candidats", "--themes", "environnement",
                 "--date", "2026-03-01", "--format", "md", "--project", str(campaign))
    assert result.exit_code == 0, result.output
    letter = campaign / "letters" / "2026-03-01-velo-clamart-environnement.md"
    text = letter.read_text(encoding="utf-8")
    assert "» au questionnaire aux candidats transmis par l’association Vélo Clamart\n" in text
    assert "\n\nMonsieur le Président,\n\n" in text
    assert "votre questionnaire aux candidats et nous y sommes" in text
    assert "«" not in text.split("positionnions sur")[1].split("\n")[0]  # named, not quoted


def test_a_document_given_only_by_kind_is_named_plainly(campaign) -> None:
    result = run("compose", "--assoc", "Voisins", "--salutation", "Madame, Monsieur",
                 "--document", "cahier de doléances", "--themes", "numerique",
                 "--date", "2026-03-01", "--format", "md", "--project", str(campaign))
    assert result.exit_code == 0, result.output
    text = (campaign / "letters" / "2026-03-01-voisins-numerique.md").read_text()
    assert "» au cahier de doléances transmis par l’association Voisins\n" in text
    assert "positionnions sur le cahier de doléances que vous nous avez adressé.\n" in text
    assert "votre cahier de doléances et nous y sommes" in text


def test_an_unregistered_association_without_document(campaign) -> None:
    result = run("compose", "--assoc", "Collectif", "--salutation", "Madame, Monsieur",
                 "--themes", "numerique", "--date", "2026-03-01", "--format", "md",
                 "--project", str(campaign))
    assert result.exit_code == 0, result.output
    text = (campaign / "letters" / "2026-03-01-collectif-numerique.md").read_text()
    # The name is a kind (« Collectif »): it is not said twice (« l’association Collectif »).
    assert "» au courrier transmis par le Collectif\n" in text
    assert "positionnions sur le courrier que vous nous avez adressé.\n" in text


def test_several_themes_merge_without_repeating(campaign) -> None:
    result = run("compose", "--assoc", "ARPE", "--themes", "mediation", "--themes",
                 "tranquillite,numerique", "--date", "2026-03-01", "--format", "md",
                 "--project", str(campaign))
    assert result.exit_code == 0, result.output
    text = (campaign / "letters" /
            "2026-03-01-arpe-mediation-numerique-tranquillite.md").read_text()
    assert text.count("vision commune") == 1 and text.count("Au-delà") == 1
    assert text.count("ne laisser personne de côté") == 1
    for number in (89, 11, 17, 81, 95, 61, 62, 65):
        assert text.count(f"mesure\u00a0{number}**") == 1


# --- templates -----------------------------------------------------------------------------

def test_template_lookup_order_campaign_first(campaign) -> None:
    assert template_dirs(campaign) == [REPO / "templates" / "letters"]
    own = campaign / "templates" / "letters"
    own.mkdir(parents=True)
    assert template_dirs(campaign) == [own, REPO / "templates" / "letters"]


def test_a_campaign_template_overrides_one_block(campaign) -> None:
    own = campaign / "templates" / "letters"
    own.mkdir(parents=True)
    (own / "reponse.md.j2").write_text(
        '{% extends "letterkit/reponse.md.j2" %}{% block closing %}Bien à vous,{% endblock %}')
    result = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--format", "md",
                 "--date", "2026-03-01", "--project", str(campaign))
    assert result.exit_code == 0, result.output
    text = (campaign / "letters" / "2026-03-01-arpe-numerique.md").read_text()
    assert "\n\nBien à vous,\n\nLa liste Clamart à gauche\u202f!\n" in text
    assert text.startswith("Réponse de la liste")
    (own / "reponse.md.j2").write_text('{% extends "reponse.md.j2" %}')
    itself = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--format", "md",
                 "--force", "--project", str(campaign))
    assert itself.exit_code == 1
    assert itself.stderr == ("Error: templates/letters/reponse.md.j2: the template extends "
                             "itself — to build on letterkit's own, write {% extends "
                             '"letterkit/reponse.md.j2" %}\n')


def test_template_option_chooses_among_letter_templates(campaign) -> None:
    own = campaign / "templates" / "letters"
    own.mkdir(parents=True)
    shutil.copy(REPO / "templates" / "letters" / "reponse.md.j2", own / "courte.md.j2")
    edit(own / "courte.md.j2", "Permettez-nous, avant de répondre,", "Permettez-nous d’abord,")
    result = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--format", "md",
                 "--template", "courte", "--date", "2026-03-01", "--project", str(campaign))
    assert result.exit_code == 0, result.output
    text = (campaign / "letters" / "2026-03-01-arpe-numerique.md").read_text()
    assert "Permettez-nous d’abord, de vous dire qui nous sommes." in text
    missing = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--template", "longue",
                  "--project", str(campaign))
    assert missing.exit_code == 1
    assert missing.stderr == ("Error: templates/letters: template not found: longue.md.j2 — "
                              "letter templates are named NAME.md.j2 in templates/letters\n")


# --- batch ---------------------------------------------------------------------------------

def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_from_csv(campaign, tmp_path, jobs) -> None:
    requests = write(tmp_path / "demandes.csv", "assoc,themes,date,format\n"
                     'ARPE,"tranquillite,numerique",2026-03-01,md\n'
                     "arpe,numerique,2026-03-01,md\n"
                     "ARPE,numerique,2026-03-01,\"md,pdf\"\n"
                     "ARP,numerique,2026-03-01,md\n"
                     "ARPE,numerique,1er mars,md\n")
    result = run("batch", str(requests), "--jobs", jobs, "--project", str(campaign))
    assert result.exit_code == 1
    letters = campaign / "letters"
    assert sorted(p.name for p in letters.iterdir()) == [
        "2026-03-01-arpe-numerique-2.md", "2026-03-01-arpe-numerique-2.pdf",
        "2026-03-01-arpe-numerique-tranquillite.md", "2026-03-01-arpe-numerique.md"]
    assert "3 composed, 2 failed" in result.stdout
    flat = " ".join(result.stdout.replace("│", " ").split())
    assert "unknown association « ARP » — did you mean ARPE?" in flat
    assert "demandes.csv, line 6: « 1er mars » is not a date: write it as 02/03/2026, 2 mars " \
        "2026 or 2026-03-02" in flat


@pytest.mark.parametrize("jobs", [1, 2])  # in this process, and in worker processes
def test_a_bug_in_a_batch_letter_is_one_line_and_its_traceback_is_in_a_file(
        campaign, tmp_path, monkeypatch, capsys, jobs) -> None:
    from letterkit.campaign.project import load_project
    from letterkit.pipeline import batch as batches
    from letterkit.pipeline.build import Request

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(batches, "compose", broken)  # the workers are forked: they have it too
    monkeypatch.delenv("LETTERKIT_DEBUG", raising=False)
    requests = write(tmp_path / "demandes.csv", "assoc,themes,date,format\n"
                     "ARPE,numerique,2026-03-01,md\nARPE,mediation,2026-03-01,md\n")
    items = batches.read_requests(requests, Request("", []))
    project = load_project(campaign)
    outcomes = list(batches.run(project, items, jobs))
    prefix = ("unexpected problem: ZeroDivisionError: division by zero — please report it, "
              "with the command you ran and the traceback written to ")
    assert len(outcomes) == 2
    for outcome in outcomes:
        assert outcome.error.startswith(prefix) and outcome.paths == []
        written = Path(outcome.error.removeprefix(prefix))
        try:
            assert "Traceback" in written.read_text(encoding="utf-8")
            assert "in broken" in written.read_text(encoding="utf-8")
        finally:
            written.unlink()
    if jobs == 1:
        monkeypatch.setenv("LETTERKIT_DEBUG", "1")
        capsys.readouterr()
        shown = list(batches.run(project, items[:1], jobs))
        assert shown[0].error.endswith("please report it, with the command you ran and the "
                                       "traceback above")
        assert capsys.readouterr().err.startswith("Traceback")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_gives_each_rows_warnings_naming_the_row(campaign, tmp_path, jobs) -> None:
    # The example campaign's rounds: 15 and 22 March 2026.
    requests = write(tmp_path / "demandes.csv", "assoc,themes,date,format\n"
                     "ARPE,numerique,2026-03-14,md\n"
                     "ARPE,antiracisme,2026-03-15,md\n"
                     "ARPE,tranquillite,2026-03-01,md\n"
                     "ARPE,petite-enfance,2026-03-23,md\n")
    result = run("batch", str(requests), "--jobs", jobs, "--project", str(campaign))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert [line.split(": ")[1] for line in lines] == [
        "demandes.csv, line 2", "demandes.csv, line 3", "demandes.csv, line 5"]
    assert lines[0].startswith("Warning: demandes.csv, line 2: ARPE / numerique: the letter is "
                               "dated 2026-03-14, the eve of an election round: the Code "
                               "électoral (art. L49) forbids")
    assert "line 3: ARPE / antiracisme: the letter is dated 2026-03-15, an election day" \
        in lines[1]
    assert "line 5: ARPE / petite-enfance: the letter is dated 2026-03-23, after the last " \
        "election round" in lines[2]


def test_batch_from_yaml_all_good(campaign, tmp_path) -> None:
    requests = write(tmp_path / "demandes.yaml",
                     "- assoc: ARPE\n  themes: [numerique, antiracisme]\n  date: 2026-03-01\n"
                     f"  format: md\n  out: {tmp_path / 'sortie'}\n"
                     "- assoc: ARPE\n  themes: petite-enfance\n  date: 2026-03-16\n")
    result = run("batch", str(requests), "--project", str(campaign), "--out",
                 str(tmp_path / "ailleurs"))
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "sortie").iterdir()] == [
        "2026-03-01-arpe-numerique-antiracisme.md"]
    assert sorted(p.name for p in (tmp_path / "ailleurs").iterdir()) == [
        "2026-03-16-arpe-petite-enfance.md", "2026-03-16-arpe-petite-enfance.pdf"]


@pytest.mark.parametrize(("content", "message"), [
    ("themes\nmediation\n", "Error: {path}, line 1: the first line should name the columns, "
     "with at least assoc and themes (or measures, or answers) — e.g. « assoc,themes,date » "
     "or « association;thèmes;date »; optional: measures, exclude, answers, date, format, "
     "out\n"),
])
def test_batch_refuses_a_file_without_header(campaign, tmp_path, content, message) -> None:
    path = write(tmp_path / "demandes.csv", content)
    result = run("batch", str(path), "--project", str(campaign))
    assert result.exit_code == 1
    assert result.stderr == message.format(path=path)


def test_an_alias_bomb_in_a_batch_file_is_refused(campaign, tmp_path) -> None:
    """In a process that may use 1 GB and 30 s at most: one located error."""
    import resource
    import subprocess
    import sys

    from .test_data import ALIAS_BOMB

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    requests = write(tmp_path / "demandes.yaml",
                     "- assoc: ARPE\n  themes: &t\n" + "".join(
                         "    " + line + "\n" for line in ALIAS_BOMB.splitlines()))
    requests.write_text(requests.read_text(encoding="utf-8").replace("    bomb_", "    - bomb_"),
                        encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "letterkit", "batch", str(requests), "--project", str(campaign)],
        capture_output=True, text=True, timeout=30, preexec_fn=limit)
    assert completed.returncode == 1
    assert completed.stderr == (
        f"Error: {requests}, line 1, key [0]: the aliases (*name) here expand to more than "
        "100 000 values — write the values out instead of repeating blocks with & and *\n")


def test_control_sequences_in_a_batch_file_never_reach_the_terminal(campaign, tmp_path) -> None:
    requests = write(tmp_path / "demandes.csv", "assoc,themes\n"
                     "\"ARPE\x1b[2J\x1b]0;titre\x07\",\"mediation\x1b[31m\"\n")
    result = run("batch", str(requests), "--jobs", "1", "--project", str(campaign))
    assert result.exit_code == 1
    printed = result.stdout + result.stderr
    assert not any(c in printed for c in "\x1b\x07\x9b"), repr(printed)
    assert "ARPE[2J]0;titre / mediation[31m" in " ".join(printed.replace("│", "").split())
