"""The cross-checks of `letterkit check` (campaign/rules/) and `letterkit init` in French under
a French interface, the real text as Problem prints it, with its file, « ligne » and « clé »:
a campaign folder holding a duplicate measure number, an undeclared theme, a sentence citing
a measure that does not exist, two associations named alike, a sender whose gender contradicts
its name, a missing image, a misspelt placeholder…; and the English unchanged otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from letterkit.campaign.project import read_project
from letterkit.campaign.scaffold import init
from letterkit.errors import LetterkitError
from letterkit.paths import TEMPLATES_DIR

from .conftest import edit

NB = "\u00a0"  # the no-break space French typography sets before « : » and inside « »
LETTERKIT = str(Path(sys.executable).parent / "letterkit")

SENDERS = """
  - short_name: arpe
    name: Autre ARPE
    salutation: Madame la Présidente
    themes: [mediation, velo]
    email: pas-une-adresse
    document: {kind: grimoire, title: Un grimoire}
  - short_name: Madame Dupont
    name: Madame Dupont
    salutation: Madame
    kind: personne
    gender: m
    article: la
    document: {kind: lettre, title: Une lettre}
  - short_name: Camille Martin
    name: Camille Martin
    salutation: Madame, Monsieur
    kind: personne
    document: {kind: lettre, title: Une lettre}
  - short_name: Le Cercle des voisins
    name: Le Cercle des voisins
    salutation: Madame, Monsieur
    gender: f
    document: {kind: lettre, title: Une lettre}
  - short_name: Collectif Vélo
    name: Collectif Vélo
    salutation: Madame, Monsieur
    kind: collectif
    gender: f
    document: {kind: lettre, title: Une lettre}
  - short_name: Amis du rail
    name: Amis du rail
    salutation: Madame, Monsieur
    kind: club
    article: la
    document: {kind: lettre, title: Une lettre}
"""

MEASURES = """  - number: 11
    themes: [mediation]
    text: Une autre (mesure 11).
  - number: 200
    themes: [mediatoin]
    text: Sans citation.
  - number: 201
    themes: []
    text: Rien (mesure 201).

paragraphs:
"""


def wrong_campaign(campaign: Path) -> Path:
    """The clamart campaign with a mistake of each kind in each of its three files."""
    with (campaign / "associations.yaml").open("a", encoding="utf-8") as stream:
        stream.write(SENDERS)
    edit(campaign / "measures.yaml", "paragraphs:\n", MEASURES)
    edit(campaign / "measures.yaml", "      - measures: [65]\n", "      - measures: [65, 300]\n")
    edit(campaign / "campaign.yaml", "closing: Fraternellement,",
         "closing: Fraternellement, {Salutation}\nsignature_image: assets/absente.png\n"
         "smtp: {host: smtp.example.org, from: contact@example.org, username: moi}")
    return campaign


def shown(campaign: Path) -> dict[str, str]:
    """Each problem as `letterkit check` prints it, by its key (« W » before a warning)."""
    _project, problems = read_project(campaign)
    return {p.key or "": ("W " if p.warning else "") + str(p) for p in problems}


FRENCH = {
    "signature_image": f"campaign.yaml, ligne 38, clé signature_image{NB}: aucune image à "
    f"l’emplacement «{NB}assets/absente.png{NB}» — indiquez le chemin à partir du dossier de "
    "campagne, par exemple assets/logo.png",
    "closing": f"campaign.yaml, ligne 37, clé closing{NB}: le champ {{Salutation}} est inconnu — "
    "le seul champ possible ici est {salutation} (écrivez-le exactement ainsi, en minuscules)",
    "smtp": f"campaign.yaml, ligne 39, clé smtp{NB}: un nom d’utilisateur (username) nécessite "
    f"un mot de passe, et aucune clé password_env n’indique où le trouver — ajoutez «{NB}"
    f"password_env: LK_SMTP{NB}» et exportez la variable LK_SMTP avant de lancer letterkit send",
    "measures[8].number": f"measures.yaml, ligne 119, clé measures[8].number{NB}: le numéro de "
    "mesure 11 est utilisé deux fois (aussi à la ligne 64) — donnez à chaque mesure son propre "
    "numéro",
    "measures[9].text": f"measures.yaml, ligne 124, clé measures[9].text{NB}: le texte de la "
    f"mesure 200 doit citer «{NB}mesure 200{NB}» une fois et une seule — écrivez «{NB}mesure "
    f"N{NB}» là où la lettre nomme la mesure, par exemple «{NB}… (mesure 200){NB}»",
    "measures[10].themes": f"measures.yaml, ligne 126, clé measures[10].themes{NB}: la mesure "
    "201 n’est rattachée à aucun thème — donnez-lui au moins un identifiant de thème",
    "measures[10]": f"W measures.yaml, ligne 125, clé measures[10]{NB}: la mesure 201 n’est dans "
    f"aucun paragraphe{NB}: les lettres la citent dans un paragraphe à part, après les autres — "
    "ajoutez-la à une phrase sous paragraphs",
    "paragraphs[2].sentences[1].measures[1]": f"measures.yaml, ligne 153, clé "
    f"paragraphs[2].sentences[1].measures[1]{NB}: une phrase de paragraphs cite la mesure 300, "
    f"qui n’existe pas — vouliez-vous dire 201\u202f?",
    "paragraphs[2].sentences[1]": f"measures.yaml, ligne 153, clé paragraphs[2].sentences[1]{NB}: "
    "une phrase qui cite plusieurs mesures doit avoir une introduction (clé intro) — ajoutez "
    f"par exemple «{NB}intro: Nous{NB}» avant les mesures{NB}: leurs textes suivront cette "
    "introduction",
    "associations[1].short_name": f"associations.yaml, ligne 33, clé associations[1].short_name"
    f"{NB}: le nom court «{NB}arpe{NB}» est utilisé deux fois (aussi à la ligne 21) — deux "
    f"noms courts ne peuvent pas différer seulement par des majuscules{NB}: choisissez des noms "
    "vraiment différents",
    "associations[1].document": f"associations.yaml, ligne 38, clé associations[1].document{NB}: "
    f"letterkit ne sait pas si «{NB}grimoire{NB}» est masculin ou féminin — ajoutez «{NB}gender: "
    f"m{NB}» ou «{NB}gender: f{NB}» sous document",
    "associations[1].email": f"associations.yaml, ligne 37, clé associations[1].email{NB}: "
    f"«{NB}pas-une-adresse{NB}» n’est pas une adresse de courriel — écrivez une seule adresse, "
    "par exemple contact@association.fr",
    "associations[1].themes[1]": f"associations.yaml, ligne 36, clé associations[1].themes[1]"
    f"{NB}: le thème «{NB}velo{NB}» n’existe pas — les thèmes de measures.yaml{NB}: mediation, "
    "numerique, petite-enfance, environnement, intergenerationnel, antiracisme, tranquillite",
    "associations[2].gender": f"W associations.yaml, ligne 43, clé associations[2].gender{NB}: "
    f"«{NB}gender: m{NB}» contredit le nom «{NB}Madame Dupont{NB}», qui désigne une femme — "
    "supprimez la clé gender, ou corrigez la civilité du nom",
    "associations[2].article": f"W associations.yaml, ligne 44, clé associations[2].article{NB}: "
    f"le nom d’une personne ne prend pas d’article{NB}: la lettre écrit simplement «{NB}Madame "
    f"Dupont{NB}» — supprimez la clé article",
    "associations[3].kind": f"associations.yaml, ligne 49, clé associations[3].kind{NB}: "
    f"letterkit ne sait pas si «{NB}Camille Martin{NB}» est une femme ou un homme — ajoutez "
    f"«{NB}gender: f{NB}» ou «{NB}gender: m{NB}» à côté de kind, ou commencez le nom par la "
    "civilité (Madame, Monsieur)",
    "associations[4].gender": f"W associations.yaml, ligne 54, clé associations[4].gender{NB}: "
    f"«{NB}gender: f{NB}» contredit le nom «{NB}Le Cercle des voisins{NB}», qui commence par "
    f"«{NB}Le{NB}» — supprimez la clé gender",
    "associations[5].gender": f"W associations.yaml, ligne 60, clé associations[5].gender{NB}: "
    f"«{NB}gender: f{NB}» contredit le type «{NB}collectif{NB}», qui est masculin — supprimez "
    f"la clé gender, ou indiquez le type qui lui correspond («{NB}kind: collectif{NB}» est "
    f"masculin, «{NB}kind: association{NB}» féminin)",
    "associations[6].article": f"W associations.yaml, ligne 66, clé associations[6].article{NB}: "
    f"«{NB}article: la{NB}» contredit le genre du destinataire (masculin) — corrigez la clé "
    "article ou la clé gender",
}

ENGLISH = {
    "closing": "campaign.yaml, line 37, key closing: unknown placeholder {Salutation} — the only "
    "placeholder here is {salutation} (write it exactly, in lower case)",
    "measures[8].number": "measures.yaml, line 119, key measures[8].number: measure number 11 is "
    "used twice (also on line 64) — give each measure its own number",
    "paragraphs[2].sentences[1].measures[1]": "measures.yaml, line 153, key "
    "paragraphs[2].sentences[1].measures[1]: paragraphs refer to measure 300, which does not "
    "exist — did you mean 201?",
    "associations[1].short_name": "associations.yaml, line 33, key associations[1].short_name: "
    "short name « arpe » is used twice (also on line 21) — short names are compared ignoring "
    "case; make them distinct",
    "associations[2].gender": "W associations.yaml, line 43, key associations[2].gender: "
    "« gender: m » contradicts the name « Madame Dupont », which is feminine — remove gender, or "
    "correct the name's title",
    "associations[5].gender": "W associations.yaml, line 60, key associations[5].gender: "
    "« gender: f » contradicts the kind « collectif », which is masculine — remove gender, or "
    "give the kind it goes with (« kind: collectif » is masculine, « kind: association » "
    "feminine)",
    "associations[6].article": "W associations.yaml, line 66, key associations[6].article: "
    "« article: la » contradicts the sender's gender (masculine) — correct article or gender",
    "associations[1].themes[1]": "associations.yaml, line 36, key associations[1].themes[1]: "
    "unknown theme « velo » — the themes of measures.yaml: mediation, numerique, petite-enfance, "
    "environnement, intergenerationnel, antiracisme, tranquillite",
}


def test_the_cross_checks_in_french(french, campaign: Path) -> None:
    found = shown(wrong_campaign(campaign))
    assert {key: found.get(key) for key in FRENCH} == FRENCH


def test_the_cross_checks_in_english(campaign: Path) -> None:
    found = shown(wrong_campaign(campaign))
    assert {key: found.get(key) for key in ENGLISH} == ENGLISH


def test_an_undeclared_theme_in_french(french, campaign: Path) -> None:
    """The message, and the hint's own sentence after the themes it is close to (those are
    text.did_you_mean's words)."""
    _project, problems = read_project(wrong_campaign(campaign))
    [problem] = [p for p in problems if p.key == "measures[9].themes[0]"]
    assert problem.message == (f"la mesure 200 porte le thème «{NB}mediatoin{NB}», qui n’est pas "
                               "déclaré")
    assert problem.hint is not None and problem.hint.endswith(" Sinon, déclarez-le sous themes")
    assert "mediation" in problem.hint


def test_check_prints_the_cross_checks_in_french(campaign: Path) -> None:
    wrong_campaign(campaign)
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    result = subprocess.run([LETTERKIT, "check", "--project", str(campaign)], capture_output=True,
                            text=True, env=env | {"LANG": "fr_FR.UTF-8", "COLUMNS": "400"},
                            check=False)
    assert result.returncode == 1
    assert ("Erreur\u00a0: " + FRENCH["measures[8].number"]) in result.stdout, result.stdout
    assert ("Avertissement\u00a0: " + FRENCH["associations[2].gender"][2:]) in result.stdout


def test_an_envelope_window_and_a_line_break_in_french(french, campaign: Path) -> None:
    edit(campaign / "associations.yaml", "    local: true\n",
         "    local: true\n    subject: \"Objet\\nBcc: x@y.fr\"\n"
         "    address: [1 rue de la Longue Adresse Qui Ne Tient Pas Dans La Fenêtre]\n")
    found = shown(campaign)
    assert found["associations[0].address"] == (
        f"W associations.yaml, ligne 26, clé associations[0].address{NB}: l’adresse ne tient pas "
        "dans la fenêtre de l’enveloppe (6 lignes de 38 caractères, nom compris) — "
        f"raccourcissez-la, à commencer par cette ligne{NB}: «{NB}1 rue de la Longue Adresse Qui "
        f"Ne Tient Pas Dans La Fenêtre{NB}»")
    assert found["associations[0].subject"] == (
        f"associations.yaml, ligne 25, clé associations[0].subject{NB}: subject contient un "
        f"retour à la ligne{NB}: cette valeur doit tenir sur une seule ligne (elle figure dans le "
        "titre de la lettre et dans les en-têtes du courriel) — écrivez-la sur une seule ligne, "
        f"sans «{NB}\\n{NB}» ni bloc «{NB}|{NB}»")


def test_init_refuses_in_french(french, campaign: Path, tmp_path: Path) -> None:
    with pytest.raises(LetterkitError) as caught:
        init(campaign)
    assert str(caught.value) == (f"{campaign / 'measures.yaml'} existe déjà — letterkit init "
                                 f"crée une nouvelle campagne{NB}: choisissez un dossier vide")
    folder = tmp_path / "lien"
    folder.mkdir()
    (folder / "templates").symlink_to(tmp_path)
    with pytest.raises(LetterkitError) as caught:
        init(folder)
    assert str(caught.value) == (f"{folder / 'templates'} est un lien symbolique — letterkit "
                                 f"init n’écrit que dans le nouveau dossier{NB}: supprimez le "
                                 "lien, ou choisissez un dossier vide")


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", "impossible de créer {path}\u00a0: une partie du chemin n’est pas un dossier — "
           "choisissez un dossier dans lequel vous pouvez écrire"),
    ("en", "cannot create {path}: a part of the path is not a folder — choose a folder you can "
           "write to")])
def test_init_cannot_create(tmp_path: Path, lang: str, expected: str) -> None:
    from letterkit import i18n

    (tmp_path / "fichier").write_text("", encoding="utf-8")
    folder = tmp_path / "fichier" / "campagne"
    i18n.use(lang)
    try:
        with pytest.raises(LetterkitError) as caught:
            init(folder)
    finally:
        i18n.use("en")
    assert str(caught.value) == expected.format(path=folder / TEMPLATES_DIR)
