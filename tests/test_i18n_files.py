"""The messages about the campaign's files in French under a French interface, the real text:
broken YAML (campaign/yamlfile.py), the campaign folder not found (paths.py), an unknown
association (campaign/project.py), unknown themes and measures (letter/select.py), a template
a volunteer edited wrongly (letter/render.py); and the English unchanged otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from letterkit import paths
from letterkit.campaign.models import Program
from letterkit.campaign.project import Project, document_from_title, load_project
from letterkit.errors import DataError, LetterkitError
from letterkit.letter.render import jinja_message, make_environment, render_letter
from letterkit.letter.select import (
    check_numbers,
    number_ranges,
    parse_numbers,
    resolve_themes,
    select,
)
from letterkit.paths import find_project
from letterkit.pipeline.check import check_templates
from letterkit.text import did_you_mean

NB = "\u00a0"  # the no-break space French typography sets before « : » and inside « »

# A broken file, where it goes, and what letterkit says of it in French and in English.
BROKEN_YAML = [
    ("campaign.yaml", "theme: a: b\n",
     f"campaign.yaml, ligne 1{NB}: YAML invalide{NB}: une clé suivie de deux-points n’est pas "
     f"permise à cet endroit, colonne 9 — vérifiez l’indentation et les guillemets à cet endroit",
     "campaign.yaml, line 1: invalid YAML: mapping values are not allowed in this context, "
     "column 9 — check the indentation and the quoting around this place"),
    ("campaign.yaml", "list:\n  name: x\n  dates: [2026-03-15, 2026-03-22\n",
     f"campaign.yaml, ligne 4{NB}: YAML invalide{NB}: il manque une virgule, ou le crochet "
     f"«{NB}]{NB}» qui ferme la liste, colonne 1 — vérifiez l’indentation et les guillemets à "
     "cet endroit",
     "campaign.yaml, line 4: invalid YAML: did not find expected ',' or ']', column 1 — check "
     "the indentation and the quoting around this place"),
    ("associations.yaml", "associations:\n  - short_name: ARPE\n\tname: x\n",
     f"associations.yaml, ligne 3{NB}: YAML invalide{NB}: une tabulation dans l’indentation, "
     "colonne 1 — vérifiez l’indentation et les guillemets à cet endroit",
     "associations.yaml, line 3: invalid YAML: found a tab character that violates "
     "indentation, column 1 — check the indentation and the quoting around this place"),
    ("campaign.yaml", "list:\n  name: @liste\n",
     f"campaign.yaml, ligne 2{NB}: YAML invalide{NB}: un caractère qui ne peut pas commencer une "
     "valeur, colonne 9 — vérifiez l’indentation et les guillemets à cet endroit",
     "campaign.yaml, line 2: invalid YAML: found character that cannot start any token, "
     "column 9 — check the indentation and the quoting around this place"),
    ("campaign.yaml", "list:\n  name: x\nlist:\n  name: y\n",
     f"campaign.yaml, ligne 3, clé list{NB}: cette clé apparaît deux fois dans le même bloc — "
     "n’en gardez qu’une",
     "campaign.yaml, line 3, key list: this key appears twice in the same block — keep only "
     "one of them"),
    ("campaign.yaml", "list:\n  since: 2025-02-30\n",
     f"campaign.yaml, ligne 2, clé list.since{NB}: «{NB}2025-02-30{NB}» n’est pas une date qui "
     "existe — écrivez une date qui existe, sous la forme AAAA-MM-JJ",
     "campaign.yaml, line 2, key list.since: « 2025-02-30 » is not a date that exists — write "
     "a real date, as YYYY-MM-DD"),
    ("measures.yaml", "",
     f"measures.yaml{NB}: le fichier est vide — consultez la campagne d’exemple pour savoir ce "
     "qu’il doit contenir",
     "measures.yaml: the file is empty — see the example campaign for what it should hold"),
    ("campaign.yaml", "a: &a [*a]\n",
     f"campaign.yaml, ligne 1, clé a{NB}: les alias (*nom) à cet endroit renvoient à eux-mêmes "
     "— écrivez les valeurs en entier au lieu de répéter des blocs avec & et *",
     "campaign.yaml, line 1, key a: the aliases (*name) here refer to themselves — write the "
     "values out instead of repeating blocks with & and *"),
    ("campaign.yaml", "signature: \"C:\\lettres\"\n",
     f"campaign.yaml, ligne 1{NB}: YAML invalide{NB}: un caractère inconnu après une barre "
     "oblique inverse (\\) entre guillemets, colonne 15 — vérifiez l’indentation et les "
     "guillemets à cet endroit",
     "campaign.yaml, line 1: invalid YAML: found unknown escape character, column 15 — check "
     "the indentation and the quoting around this place"),
]


def first_error(campaign: Path, name: str, text: str | bytes) -> str:
    path = campaign / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_project(campaign)
    return str(caught.value.problems[0])


IDS = [f"{name}:{text[:14]!r}" for name, text, _fr, _en in BROKEN_YAML]


@pytest.mark.parametrize(("name", "text", "in_french", "_in_english"), BROKEN_YAML, ids=IDS)
def test_broken_yaml_in_french(french, campaign: Path, name: str, text: str, in_french: str,
                               _in_english: str) -> None:
    assert first_error(campaign, name, text) == in_french


@pytest.mark.parametrize(("name", "text", "_in_french", "in_english"), BROKEN_YAML, ids=IDS)
def test_broken_yaml_in_english(campaign: Path, name: str, text: str, _in_french: str,
                                in_english: str) -> None:
    assert first_error(campaign, name, text) == in_english


def test_a_file_that_is_not_utf8_or_missing_in_french(french, campaign: Path) -> None:
    assert first_error(campaign, "associations.yaml", "associations:\n  - short_name: é\n"
                       .encode("latin-1")) == (
        f"associations.yaml, ligne 2{NB}: ce n’est pas du texte UTF-8 (octet 0xe9) — "
        "enregistrez le fichier avec l’encodage UTF-8")
    (campaign / "associations.yaml").unlink()
    with pytest.raises(DataError) as caught:
        load_project(campaign)
    assert [str(p) for p in caught.value.problems] == [
        f"associations.yaml{NB}: fichier introuvable — créez-le, ou lancez letterkit init pour "
        "commencer une campagne"]
    (campaign / "associations.yaml").mkdir()
    with pytest.raises(DataError) as caught:
        load_project(campaign)
    assert [str(p) for p in caught.value.problems] == [
        f"associations.yaml{NB}: impossible de lire le fichier (c’est un dossier)"]


def test_an_unknown_association_in_french(french, clamart: Project) -> None:
    """The did-you-mean hint is text.did_you_mean's, in the interface's language."""
    with pytest.raises(LetterkitError) as caught:
        clamart.association("ARP")
    assert str(caught.value) == (
        f"associations.yaml{NB}: l’association «{NB}ARP{NB}» est inconnue — "
        f"{did_you_mean('ARP', ['ARPE'], 'associations')} Sinon, ajoutez-la à "
        "associations.yaml, ou donnez sa formule d’appel avec --salutation")


def test_an_unknown_association_in_english(clamart: Project) -> None:
    with pytest.raises(LetterkitError) as caught:
        clamart.association("ARP")
    assert str(caught.value) == (
        "associations.yaml: unknown association « ARP » — did you mean ARPE? Otherwise add it "
        "to associations.yaml, or give its --salutation")


def test_a_sender_of_unknown_kind_or_a_document_of_unknown_kind_in_french(
        french, clamart: Project) -> None:
    with pytest.raises(LetterkitError) as caught:
        clamart.association("Les Voisins", salutation="Chers voisins", kind="bande")
    assert str(caught.value).startswith(
        f"letterkit ne sait pas si «{NB}bande{NB}» est masculin ou féminin — ajoutez --gender f "
        f"ou --gender m (types connus{NB}: académie, alliance, ")
    assert str(caught.value).endswith(", union, et personne pour une personne)")
    with pytest.raises(LetterkitError) as caught:
        document_from_title("Pour que vive la culture")
    assert str(caught.value).startswith(
        "letterkit ne reconnaît pas de quel type de document il s’agit dans "
        f"«{NB}Pour que vive la culture{NB}» — "
        f"commencez --document par le type du document, par exemple «{NB}manifeste “Pour que "
        f"vive la culture”{NB}»\u202f; types connus{NB}: appel, cahier, ")
    # the example it gives is a --document that letterkit reads
    assert document_from_title("manifeste “Pour que vive la culture”").title == (
        "Pour que vive la culture")


def test_no_campaign_folder_in_french(french, tmp_path: Path) -> None:
    with pytest.raises(LetterkitError) as caught:
        find_project(None, None, tmp_path)
    assert str(caught.value) == (
        f"pas de dossier de campagne ici{NB}: aucun fichier measures.yaml dans {tmp_path} ni "
        "dans ses dossiers parents — lancez letterkit dans un dossier de campagne, indiquez-le "
        "avec --project DOSSIER, ou créez-en un avec letterkit init DOSSIER")
    with pytest.raises(LetterkitError) as caught:
        find_project(None, str(tmp_path), Path("/"))
    assert str(caught.value) == (
        f"LETTERKIT_PROJECT désigne {tmp_path.resolve()}, qui ne contient pas de fichier "
        "measures.yaml — indiquez un dossier de campagne, ou créez-en un avec letterkit init "
        "DOSSIER")


def test_no_campaign_folder_in_english(tmp_path: Path) -> None:
    with pytest.raises(LetterkitError) as caught:
        find_project(tmp_path, None, Path("/"))
    assert str(caught.value) == (
        f"--project names {tmp_path.resolve()}, which holds no measures.yaml — point it at a "
        "campaign folder, or create one with letterkit init DIR")


def test_no_stylesheet_in_french(french, monkeypatch, campaign: Path) -> None:
    monkeypatch.setattr(paths, "packaged", lambda relative: campaign / "absent" / relative)
    with pytest.raises(LetterkitError) as caught:
        paths.stylesheet(campaign)
    assert str(caught.value) == (
        f"templates/letters{NB}: aucun fichier letter.css dans les dossiers de modèles — lancez "
        "letterkit init pour en obtenir une copie neuve")


def with_empty_themes(project: Project, *tags: str) -> Program:
    """The program, with themes that no measure carries."""
    data = project.program.model_dump()
    data["themes"] |= {tag: {"label": tag.capitalize()} for tag in tags}
    return Program.model_validate(data)


def error_of(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises((LetterkitError, ValueError)) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_themes_and_measures_in_french(french, clamart: Project) -> None:
    program = clamart.program
    assert error_of(resolve_themes, program, [" , "]) == (
        "aucun thème indiqué — indiquez les thèmes avec --themes IDENTIFIANT\u202f; letterkit "
        f"themes en donne la liste{NB}: mediation, numerique, petite-enfance, environnement, "
        "intergenerationnel, antiracisme, tranquillite")
    assert error_of(resolve_themes, program, ["mediaton"]) == (
        f"measures.yaml{NB}: le thème «{NB}mediaton{NB}» n’existe pas — "
        + did_you_mean("mediaton", list(program.themes), "themes"))
    assert error_of(parse_numbers, ["41", "4x"]) == f"«{NB}4x{NB}» n’est pas un numéro de mesure"
    assert error_of(check_numbers, program, [41, 99], "--measures") == (
        f"measures.yaml{NB}: --measures 41{NB}: le programme n’a pas de mesure 41 — le programme "
        "a les mesures 11, 17, 61, 62, 65, 81, 89 et 95\u202f; letterkit measures en donne la "
        "liste")
    one = program.model_copy(update={"measures": program.measures[:1]})
    assert error_of(check_numbers, one, [99], "--exclude") == (
        f"measures.yaml{NB}: --exclude 99{NB}: le programme n’a pas de mesure 99 — le programme "
        "n’a que la mesure 11\u202f; letterkit measures l’affiche")
    assert number_ranges([*range(1, 41), 42, 43, *range(45, 97)]) == "1 à 40, 42, 43 et 45 à 96"


def test_nothing_to_cite_in_french(french, clamart: Project) -> None:
    program = with_empty_themes(clamart, "vide", "rien")
    assert error_of(select, program, ["vide"]) == (
        f"measures.yaml{NB}: aucune mesure n’est rattachée au thème vide — rattachez des mesures "
        "à ce thème, ou choisissez-en un autre")
    assert error_of(select, program, ["vide", "rien"]) == (
        f"measures.yaml{NB}: aucune mesure n’est rattachée aux thèmes vide, rien — rattachez des "
        "mesures à ces thèmes, ou choisissez-en d’autres")
    every = [m.number for m in program.measures]
    assert error_of(select, program, ["numerique"], exclude=every) == (
        f"measures.yaml{NB}: il ne reste aucune mesure à citer — --exclude écarte toutes les "
        f"mesures que retiennent les thèmes et --measures{NB}: excluez-en moins")


def test_themes_and_measures_in_english(clamart: Project) -> None:
    program = with_empty_themes(clamart, "vide", "rien")
    assert error_of(select, program, ["vide", "rien"]) == (
        "measures.yaml: no measure carries the theme(s) vide, rien — tag measures with these "
        "themes, or choose other themes")
    assert error_of(parse_numbers, ["4x"]) == "« 4x » is not a measure number"
    assert number_ranges([*range(1, 41), 42, 43, *range(45, 97)]) == (
        "1 to 40, 42, 43 and 45 to 96")
    one = program.model_copy(update={"measures": program.measures[:1]})
    assert error_of(check_numbers, one, [99], "--exclude") == (
        "measures.yaml: --exclude 99: the program has no measure 99 — the program has measure "
        "11 only; letterkit measures lists it")
    assert error_of(check_numbers, one.model_copy(update={"measures": []}), [99],
                    "--measures") == (
        "measures.yaml: --measures 99: the program has no measure 99 — the program has no "
        "measures yet: add them to measures.yaml")


BODY = "{% block salutation %}x{% endblock %}{% block body %}y{% endblock %}"
# A template as a volunteer may break it, and what letterkit check says of it.
BROKEN_TEMPLATES = {
    "a-nesting": ("{% block title %}\nRéponse\n{% if campaign.list_name %}\n"
                  "{{ campaign.list_name }}\n{% endblock %}\n",
                  f"templates/letters/a-nesting.md.j2, ligne 5{NB}: erreur de syntaxe dans le "
                  f"modèle{NB}: la balise «{NB}endblock{NB}» n’est pas reconnue ici. Les blocs "
                  f"sont sans doute mal imbriqués{NB}: Jinja attend bien cette balise, mais "
                  f"d’abord «{NB}elif{NB}» ou «{NB}else{NB}» ou «{NB}endif{NB}». Le premier bloc à "
                  f"fermer est «{NB}if{NB}» — corrigez la balise {{{{ }}}} ou {{% %}} de cette "
                  "ligne",
                  "templates/letters/a-nesting.md.j2, line 5: template syntax error: encountered "
                  "unknown tag 'endblock'. You probably made a nesting mistake. Jinja is "
                  "expecting this tag, but currently looking for 'elif' or 'else' or 'endif'. "
                  "The innermost block that needs to be closed is 'if' — fix the {{ }} or "
                  "{% %} tag on this line"),
    "b-eof": ("{% block title %}\n{{ campaign.list_name\n",
              f"templates/letters/b-eof.md.j2, ligne 2{NB}: erreur de syntaxe dans le modèle{NB}: "
              f"le modèle se termine trop tôt{NB}: «{NB}}}}}{NB}» était attendu — corrigez la "
              "balise {{ }} ou {% %} de cette ligne",
              "templates/letters/b-eof.md.j2, line 2: template syntax error: unexpected end of "
              "template, expected 'end of print statement' — fix the {{ }} or {% %} tag on "
              "this line"),
    "c-typo": ("{% block title %}x{% endblok %}",
               f"templates/letters/c-typo.md.j2, ligne 1{NB}: erreur de syntaxe dans le "
               f"modèle{NB}: la balise «{NB}endblok{NB}» n’est pas reconnue ici. Jinja "
               f"attendait ici{NB}: «{NB}endblock{NB}». Le premier bloc à fermer est "
               f"«{NB}block{NB}» — corrigez la balise {{{{ }}}} ou {{% %}} de cette ligne",
               "templates/letters/c-typo.md.j2, line 1: template syntax error: encountered "
               "unknown tag 'endblok'. Jinja was looking for the following tags: 'endblock'. "
               "The innermost block that needs to be closed is 'block' — fix the {{ }} or "
               "{% %} tag on this line"),
    "d-token": ("{% block title %}{{ campaign.list_name x }}{% endblock %}",
                f"templates/letters/d-token.md.j2, ligne 1{NB}: erreur de syntaxe dans le "
                f"modèle{NB}: «{NB}}}}}{NB}» était attendu à cet endroit, et non «{NB}x{NB}» — "
                "corrigez la balise {{ }} ou {% %} de cette ligne",
                "templates/letters/d-token.md.j2, line 1: template syntax error: expected token "
                "'end of print statement', got 'x' — fix the {{ }} or {% %} tag on this line"),
    "e-hyphen": ("{% block place-date %}x{% endblock %}",
                 f"templates/letters/e-hyphen.md.j2, ligne 1{NB}: erreur de syntaxe dans le "
                 f"modèle{NB}: un nom de bloc ne peut pas contenir de trait d’union{NB}: écrivez "
                 "un tiret bas (_) à la place — corrigez la balise {{ }} ou {% %} de cette "
                 "ligne",
                 "templates/letters/e-hyphen.md.j2, line 1: template syntax error: block names "
                 "in Jinja have to be valid Python identifiers and may not contain hyphens, use "
                 "an underscore instead — fix the {{ }} or {% %} tag on this line"),
    "f-undefined": ("{% block title %}{{ campagne }}{% endblock %}" + BODY,
                    f"templates/letters/f-undefined.md.j2{NB}: le modèle emploie une variable "
                    f"inconnue{NB}: «{NB}campagne{NB}» n’est pas défini — docs/templates.md donne "
                    "la liste des variables utilisables dans un modèle de lettre",
                    "templates/letters/f-undefined.md.j2: template uses an undefined variable: "
                    "'campagne' is undefined — docs/templates.md lists the variables a letter "
                    "may use"),
    "g-attribute": ("{% block title %}{{ campaign.nom_de_liste }}{% endblock %}" + BODY,
                    f"templates/letters/g-attribute.md.j2{NB}: le modèle emploie une variable "
                    f"inconnue{NB}: un objet «{NB}dict{NB}» n’a pas d’attribut "
                    f"«{NB}nom_de_liste{NB}» — docs/templates.md donne la liste des variables "
                    "utilisables dans un modèle de lettre",
                    "templates/letters/g-attribute.md.j2: template uses an undefined variable: "
                    "'dict object' has no attribute 'nom_de_liste' — docs/templates.md lists "
                    "the variables a letter may use"),
    "h-blocks": ("{% block title %}x{% endblock %}",
                 f"templates/letters/h-blocks.md.j2{NB}: le modèle de lettre n’a pas de blocs "
                 "salutation, body — un modèle de lettre doit définir {% block title %}, "
                 "{% block salutation %} et {% block body %}",
                 "templates/letters/h-blocks.md.j2: the letter template has no salutation, body "
                 "blocks — a letter template defines {% block title %}, {% block salutation %} "
                 "and {% block body %}"),
    "i-self": ('{% extends "i-self.md.j2" %}',
               f"templates/letters/i-self.md.j2{NB}: le modèle hérite de lui-même — pour partir "
               'de celui de letterkit, écrivez {% extends "letterkit/i-self.md.j2" %}',
               "templates/letters/i-self.md.j2: the template extends itself — to build on "
               'letterkit\'s own, write {% extends "letterkit/i-self.md.j2" %}'),
}


def template_problems(campaign: Path) -> list[str]:
    letters = campaign / "templates" / "letters"
    letters.mkdir(parents=True)
    for name, (text, _french, _english) in BROKEN_TEMPLATES.items():
        (letters / f"{name}.md.j2").write_text(text, encoding="utf-8")
    return [str(p) for p in check_templates(load_project(campaign), campaign)]


def test_broken_templates_in_french(french, campaign: Path) -> None:
    assert template_problems(campaign) == [fr for _t, fr, _en in BROKEN_TEMPLATES.values()]


def test_broken_templates_in_english(campaign: Path) -> None:
    assert template_problems(campaign) == [en for _t, _fr, en in BROKEN_TEMPLATES.values()]


def test_a_jinja_message_letterkit_does_not_know_stays_whole(french) -> None:
    """Every sentence known, or the message as Jinja words it: never half French."""
    assert jinja_message("'x' is undefined") == f"«{NB}x{NB}» n’est pas défini"
    unknown = "Encountered unknown tag 'x'. Jinja has never said this."
    assert jinja_message(unknown) == "encountered unknown tag 'x'. Jinja has never said this"
    assert jinja_message("expected token 'name', got '.'") == (
        f"«{NB}nom{NB}» était attendu à cet endroit, et non «{NB}.{NB}»")


def test_a_template_not_found_in_french(french, campaign: Path) -> None:
    assert error_of(render_letter, make_environment(campaign), "longue", {}) == (
        f"templates/letters{NB}: modèle introuvable{NB}: longue.md.j2 — les modèles de lettre "
        "s’appellent NOM.md.j2, dans templates/letters")
