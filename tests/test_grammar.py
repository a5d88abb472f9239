"""Letters from the second test campaign (tests/campaigns/bellerive, fictional) read as French
for every kind of sender, document, selection and date: one test per class of fault of
issue 10, over letters composed for varied senders, selections and dates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from letterkit.campaign.project import Project, load_project, read_project
from letterkit.errors import LetterkitError
from letterkit.letter import french
from letterkit.pipeline.build import Request, compose

from .conftest import build_campaign, edit

MARCH_1 = dt.date(2026, 3, 1)
NB, NNB = "\u00a0", "\u202f"

# The connectives the program marks: a paragraph never opens on one.
CONNECTIVES = ("D’ailleurs", "En corollaire", "Pour cela", "également", "Également", "ainsi")


def copy_campaign(root: Path) -> Path:
    return build_campaign("bellerive", root)


@pytest.fixture(scope="module")
def bellerive(tmp_path_factory) -> Project:
    """The Bellerive campaign, copied so that composing (and its ledger) stays out of tests/."""
    return load_project(copy_campaign(tmp_path_factory.mktemp("b") / "bellerive"))


@pytest.fixture
def editable(tmp_path) -> Path:
    return copy_campaign(tmp_path / "bellerive")


def compose_md(project: Project, assoc: str, themes: list[str], out: Path,
               date: dt.date = MARCH_1, measures: list[int] | None = None,
               exclude: list[int] | None = None) -> tuple[str, list[str]]:
    """The Markdown letter and its warnings."""
    result = compose(project, Request(assoc, themes, date, out, ("md",), force=True,
                                      measures=measures or [], exclude=exclude or []))
    return result.paths[0].read_text(encoding="utf-8"), [w.message for w in result.warnings]


def letter(project: Project, assoc: str, themes: list[str], out: Path, **kwargs) -> str:
    return compose_md(project, assoc, themes, out, **kwargs)[0]


def body(text: str) -> list[str]:
    """The measure paragraphs: between « Vous trouverez… » and the widening or the end."""
    blocks = text.split("\n\n")
    start = next(i for i, b in enumerate(blocks) if b.startswith("Vous trouverez")) + 1
    end = next(i for i, b in enumerate(blocks) if b.startswith(
        ("Au-delà", "Notre ambition", "Plusieurs de nos")))
    return blocks[start:end]


# --- A dozen letters and more, each read for every fault class at once ------------------

LETTERS = [
    ("Les Fileuses", ["culture"], {}),
    ("Les Fileuses", ["culture", "sport"], {}),
    ("ESB", ["sport"], {"date": dt.date(2026, 3, 15)}),
    ("ESB", ["sport", "handicap"], {"exclude": [12]}),
    ("Roue Libre", ["velo"], {"date": dt.date(2026, 1, 10)}),
    ("Roue Libre", [], {"measures": [26, 30, 66]}),
    ("Berges vivantes", ["loire"], {}),
    ("Berges vivantes", ["loire"], {"exclude": [41, 42], "date": dt.date(2026, 3, 22)}),
    ("Accès Loiret", ["handicap"], {}),
    ("Accès Loiret", ["handicap", "ecole", "democratie"], {"date": dt.date(2026, 3, 14)}),
    ("SUPE 45", ["ecole", "jeunesse"], {}),
    ("SUPE 45", ["ecole"], {"measures": [17], "exclude": [21]}),
    ("ULB", ["logement"], {"measures": [68]}),
    ("ULB", ["logement", "democratie"], {"date": dt.date(2026, 3, 16)}),
    ("ULB", [], {"measures": [8, 44, 17]}),
]


@pytest.mark.parametrize(("assoc", "themes", "options"), LETTERS)
def test_every_letter_reads_as_french(bellerive, tmp_path, assoc, themes, options) -> None:
    text = letter(bellerive, assoc, themes, tmp_path, **options)
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0].startswith(f"Réponse de la liste «{NB}Bellerive en commun{NB}» ")
    for block in blocks:
        assert block[0].isupper() or block[0] in "«(", block
        assert "  " not in block and " ." not in block and " ," not in block, block
        assert "\\" not in block, block  # nothing escaped that should read plainly
        # Elision and contraction where text is assembled.
        assert not re.search(r"\b(?:que|de|le|la) [aeiouéèêàâ]", block.replace("« ", "")
                             .replace(f"«{NB}", "")), block
        assert not re.search(r"\bà le\b|\bde le\b", block), block
        # Numbers: grouped with a narrow no-break space, never an ordinary one.
        assert not re.search(r"\d \d{3}\b", block), block
        # « ! » and « ? » always have their thin no-break space.
        assert not re.search(r"[^\u202f\n][!?](?:\s|$)", block), block
    # No title stands where its kind should: « au Pour que vive ».
    assert not re.search(r"\b(?:au|à la|à l’|sur le|sur la) «?\s*(?:Pour|Non|Logement|Le "
                         r"sport|Municipales|Une école|Bellerive,)", text)
    paragraphs = body(text)
    for paragraph in paragraphs:
        assert not paragraph.startswith(CONNECTIVES), paragraph
    if len(paragraphs) > 1:
        assert paragraphs[-1].startswith("Enfin, "), paragraphs[-1]
        assert not any(p.startswith("Enfin") for p in paragraphs[:-1])
    else:
        assert not paragraphs[0].startswith("Enfin")


# --- Documents: kind and title agree -------------------------------------------------------

@pytest.mark.parametrize(("assoc", "title_line", "interpellation"), [
    ("Les Fileuses",
     f"au manifeste «{NB}Pour que vive la culture en ville{NB}» transmis par la compagnie "
     "bellerivoise Les Fileuses",
     f"sur le manifeste «{NB}*Pour que vive la culture en ville*{NB}» que vous avez élaboré "
     "avec le Réseau des arts vivants en Val de Loire.\n"),
    ("ESB",
     f"à la lettre «{NB}Le sport pour toutes et tous, partout{NB}» transmise par le club "
     "bellerivois ESB",
     f"sur la lettre «{NB}*Le sport pour toutes et tous, partout*{NB}» que vous avez élaborée "
     "avec le Comité départemental olympique et sportif du Loiret, duquel ESB est adhérent.\n"),
    ("Roue Libre",
     f"au questionnaire «{NB}Municipales 2026{NB}: quelle place pour le vélo à Bellerive{NNB}?"
     f"{NB}» transmis par l’association Roue Libre",
     "que vous avez élaboré avec la Fédération des cyclistes du quotidien, de laquelle Roue "
     "Libre est adhérente.\n"),
    ("Berges vivantes",
     f"à la pétition «{NB}Non à la bétonisation des bords de Loire{NNB}!{NB}» transmise par "
     "le collectif bellerivois Berges vivantes",
     f"sur la pétition «{NB}*Non à la bétonisation des bords de Loire{NNB}!*{NB}» que vous avez "
     "élaborée.\n"),
    ("Accès Loiret",
     f"à la charte «{NB}Bellerive, ville accessible{NB}» transmise par le comité Accès Loiret",
     "avec la Fédération Accès pour tous, de laquelle Accès Loiret est adhérent.\n"),
    ("SUPE 45",
     f"à l’appel «{NB}Une école qui ne laisse personne au bord du chemin{NB}» transmis par le "
     f"syndicat SUPE{NB}45",
     f"avec l’Union syndicale des services publics, de laquelle SUPE{NB}45 est adhérent.\n"),
    ("ULB",
     f"à la tribune «{NB}Logement, l’urgence oubliée{NB}» transmise par l’union bellerivoise "
     "ULB",
     f"sur la tribune «{NB}*Logement, l’urgence oubliée*{NB}» que vous avez élaborée.\n"),
])
def test_the_document_and_the_sender_are_named_by_their_kind(
        bellerive, tmp_path, assoc, title_line, interpellation) -> None:
    text = letter(bellerive, assoc, ["democratie"], tmp_path)
    assert text.split("\n\n")[0] == f"Réponse de la liste «{NB}Bellerive en commun{NB}» " \
        + title_line
    assert interpellation in text


def test_the_list_says_it_signs_only_what_it_signs(bellerive, tmp_path) -> None:
    signed = letter(bellerive, "Berges vivantes", ["loire"], tmp_path)
    assert "particulièrement sensibles. C’est pourquoi nous la signons. À vous lire" in signed
    charter = letter(bellerive, "Accès Loiret", ["handicap"], tmp_path)
    assert "C’est pourquoi nous la signons." in charter
    assert "signons" not in letter(bellerive, "SUPE 45", ["ecole"], tmp_path)


def test_an_unknown_kind_of_document_is_refused_not_renamed(bellerive, tmp_path) -> None:
    request = Request("Théâtre du Pont", ["culture"], MARCH_1, tmp_path, ("md",),
                      salutation="Madame, Monsieur", document="Pour que vive la culture")
    with pytest.raises(LetterkitError) as caught:
        compose(bellerive, request)
    assert str(caught.value).startswith(
        "letterkit cannot tell what kind of document « Pour que vive la culture » is — start "
        "--document with its kind")
    request.document = "manifeste « Pour que vive la culture »"
    text = compose(bellerive, request).paths[0].read_text(encoding="utf-8")
    # The name says its kind (« Théâtre »): « le Théâtre du Pont », not « l’association … ».
    assert f"» au manifeste «{NB}Pour que vive la culture{NB}» transmis par le Théâtre du " \
        "Pont\n" in text


# --- Selections: leads, connectives, « Enfin », names ------------------------------------

def test_a_lead_speaks_only_when_its_theme_is_asked(bellerive, tmp_path) -> None:
    # Measure 22 carries velo and handicap: the cycling lead stays out of a disability letter.
    text = letter(bellerive, "Accès Loiret", ["handicap"], tmp_path)
    assert "Se déplacer à pied ou à vélo" not in text
    # The measures met on the way are gathered, not strung as one-sentence paragraphs.
    assert ("\n\nNous rendrons accessibles aux personnes en situation de handicap tous les "
            "équipements sportifs municipaux (**mesure\u00a014**), et élargirons les trottoirs "
            "et supprimerons") in text
    cycling = letter(bellerive, "Roue Libre", ["velo"], tmp_path)
    assert ("\n\nSe déplacer à pied ou à vélo en sécurité doit devenir une évidence à "
            "Bellerive, à tout âge. Pour cela, nous sécuriserons") in cycling
    # By number only: no lead of a theme (a cited measure's themes are not the request's) …
    by_number = letter(bellerive, "Roue Libre", [], tmp_path, measures=[26])
    assert "Se déplacer à pied ou à vélo" not in by_number
    assert "\n\nNous réaliserons un réseau cyclable continu" in by_number
    # … but the sender's own (associations.yaml `themes`): Berges vivantes is about the Loire.
    banks = letter(bellerive, "Berges vivantes", [], tmp_path, measures=[41, 22])
    assert "\n\nLe fleuve et ses rives ne sont pas une réserve foncière. Nous annulerons" in banks
    assert "\n\nEnfin, nous élargirons les trottoirs" in banks


def test_the_theme_asked_for_comes_first(bellerive, tmp_path) -> None:
    # Measures 14 (sport) and 33, 35 (no theme paragraph) carry handicap too: they follow the
    # cycling paragraph, gathered in one, instead of coming before it.
    text = letter(bellerive, "Roue Libre", ["velo", "handicap"], tmp_path)
    body = text.split("propos.\n\n")[1].split("\n\nAu-delà")[0].split("\n\n")
    assert body[0].startswith("Se déplacer à pied ou à vélo en sécurité"), body
    assert body[1].startswith("Enfin, nous rendrons accessibles aux personnes en situation de "
                              "handicap tous les équipements sportifs municipaux"), body
    assert len(body) == 2


def test_a_connective_goes_with_what_it_refers_to(bellerive, tmp_path) -> None:
    kept = letter(bellerive, "Les Fileuses", ["culture"], tmp_path)
    assert "(**mesure\u00a03**). D’ailleurs, la salle des fêtes" in kept
    alone = letter(bellerive, "Les Fileuses", ["culture"], tmp_path, exclude=[3, 5])
    assert "juste. La salle des fêtes du Vieux-Bourg deviendra" in alone
    fund = letter(bellerive, "ESB", [], tmp_path, measures=[17])
    assert "Nous créerons un fonds de 5\u202f000\u00a0€ par an" in fund
    assert "également" not in fund
    banks = letter(bellerive, "Berges vivantes", [], tmp_path, measures=[44])
    assert "réserve foncière. La gestion des berges sera confiée" in banks


def test_enfin_opens_the_last_paragraph_whatever_its_form(bellerive, tmp_path) -> None:
    with_lead = letter(bellerive, "Les Fileuses", ["culture", "sport"], tmp_path)
    assert "\n\nEnfin, le sport est une école de la vie" in with_lead
    without_lead = letter(bellerive, "SUPE 45", ["ecole", "jeunesse"], tmp_path)
    assert "\n\nEnfin, chaque école disposera" in without_lead
    # « Les » opens the sender's name « Les Fileuses », not « Les cantines ».
    theatre = letter(bellerive, "Les Fileuses", ["culture"], tmp_path, measures=[58])
    assert "\n\nEnfin, les cantines serviront" in theatre
    # A name stays capitalised: the data writes it so in mid-sentence elsewhere.
    name = letter(bellerive, "ULB", ["logement"], tmp_path, measures=[66])
    assert "\n\nEnfin, Val de Loire Métropole devra consulter" in name
    budget = letter(bellerive, "ULB", ["logement"], tmp_path, measures=[68])
    assert "\n\nEnfin, un budget participatif de 300\u202f000\u00a0€ par an" in budget


def test_joins_elide(bellerive, tmp_path) -> None:
    text = letter(bellerive, "Les Fileuses", ["culture"], tmp_path)
    assert "(**mesure\u00a05**) ainsi qu’un «\u00a0pass culture\u00a0» municipal" in text


def test_a_join_after_a_member_that_holds_et_takes_a_comma(bellerive, tmp_path) -> None:
    # Measure 41 joins two actions with « et »: the « et » that adds measure 42 must not read
    # as a third (« annulerons … et classerons … et ferons … »).
    banks = letter(bellerive, "Berges vivantes", ["loire"], tmp_path)
    assert ("en zone naturelle (**mesure\u00a041**), et ferons dresser un inventaire"
            in banks)
    cycling = letter(bellerive, "Roue Libre", ["velo"], tmp_path)
    assert ("poussettes et fauteuils (**mesure\u00a022**), et réaliserons un réseau cyclable"
            in cycling)
    # A member without « et » before the conjunction: no comma.
    assert "(**mesure\u00a021**), élargirons" in cycling
    housing = letter(bellerive, "ULB", ["logement"], tmp_path)
    assert "(**mesure\u00a050**) et ouvrirons une maison du logement" in housing


def test_several_visions_are_sentences(bellerive, tmp_path) -> None:
    two = letter(bellerive, "Les Fileuses", ["culture", "sport"], tmp_path)
    assert ("vision commune\u00a0: **la culture est un droit** et non un luxe réservé à "
            "quelques-uns. Comme vous, nous pensons que **le sport est d’abord une "
            "affaire de lien social**, bien avant") in two
    three = letter(bellerive, "Accès Loiret", ["velo", "handicap", "loire"], tmp_path)
    assert ". Comme vous, nous pensons que **l’accessibilité" in three
    assert ". Nous sommes convaincus, enfin, que **les bords de Loire" in three
    assert three.count("vision commune") == 1
    # « Comme vous » and « aussi » would say « too » twice.
    assert not re.search(r"Comme vous, [^.]*\baussi\b", two + three)


# --- The sender's own paragraph and enclosures --------------------------------------------

def test_enclosures_and_paragraph_follow_the_association(bellerive, tmp_path) -> None:
    cycling = letter(bellerive, "Roue Libre", ["velo", "handicap"], tmp_path)
    assert cycling.endswith(f"P.J.{NB}: programme complet et plan vélo 2026-2032\n")
    assert "accessibilité et handicap »" not in cycling
    disability = letter(bellerive, "Accès Loiret", ["handicap"], tmp_path)
    assert disability.endswith(f"P.J.{NB}: programme complet et fiche «{NB}accessibilité et "
                               f"handicap{NB}»\n")
    club = letter(bellerive, "ESB", ["sport"], tmp_path)
    assert club.endswith(f"P.J.{NB}: programme complet\n")
    collective = letter(bellerive, "Berges vivantes", ["loire"], tmp_path)
    assert ("(**mesure\u00a066**).\n\nPlusieurs de nos colistières et colistiers seront "
            "présents au rassemblement du 7\u00a0mars") in collective
    assert "rassemblement" not in club


# --- The closing formula ------------------------------------------------------------------

@pytest.mark.parametrize(("assoc", "repeated"), [
    ("Les Fileuses", "chère Madame"),
    ("ULB", "cher Monsieur"),
    ("Accès Loiret", "Madame la Présidente"),
    ("Roue Libre", "Madame, Monsieur"),
    ("Berges vivantes", "Mesdames, Messieurs"),
])
def test_the_closing_repeats_the_salutation_in_mid_sentence(bellerive, tmp_path, assoc,
                                                             repeated) -> None:
    text = letter(bellerive, assoc, ["democratie"], tmp_path)
    assert (f"nous vous prions d’agréer, {repeated}, l’expression de nos salutations les plus "
            "cordiales.\n") in text


# --- Dates: the program, the rounds, the law ---------------------------------------------

def test_no_depuis_before_the_program_is_published(bellerive, editable, tmp_path) -> None:
    before = letter(bellerive, "ESB", ["sport"], tmp_path, date=dt.date(2026, 1, 10))
    assert ("Programme qui sera disponible en ligne à partir du 17\u00a0janvier\u00a02026 sur "
            "le site bellerive-en-commun.fr.") in before
    assert "depuis" not in before
    edit(editable / "campaign.yaml", "website: bellerive-en-commun.fr\n", "")
    offline = load_project(editable)
    after = letter(offline, "ESB", ["sport"], tmp_path, date=MARCH_1)
    assert "Programme qui a été rendu public le 17\u00a0janvier\u00a02026." in after
    assert "en ligne" not in after
    early = letter(offline, "ESB", ["sport"], tmp_path, date=dt.date(2026, 1, 10))
    assert "Programme qui sera rendu public le 17\u00a0janvier\u00a02026." in early


@pytest.mark.parametrize(("day", "call", "warning"), [
    (13, f"les 15 et 22{NB}mars prochains{NNB}!", None),
    (14, f"les 15 et 22{NB}mars prochains{NNB}!", "the eve of an election round"),
    (15, f"aujourd’hui et le 22{NB}mars prochain{NNB}!", "an election day"),
    (16, f"le 22{NB}mars prochain{NNB}!", None),
    (21, f"le 22{NB}mars prochain{NNB}!", "the eve of an election round"),
    (22, f"aujourd’hui{NNB}!", "an election day"),
    (23, None, "after the last election round"),
])
def test_the_rounds_to_come_include_the_day_itself(bellerive, tmp_path, day, call,
                                                   warning) -> None:
    text, warnings = compose_md(bellerive, "ESB", ["sport"], tmp_path,
                                date=dt.date(2026, 3, day))
    if call:
        assert f"Rendez-vous dans les urnes pour faire gagner Bellerive en commun {call}" in text
    else:
        assert "Rendez-vous" not in text
    law = [w for w in warnings if "L49" in w or "after the last" in w]
    if warning is None:
        assert law == []
    else:
        assert len(law) == 1 and warning in law[0]
    if warning and "L49" in law[0]:
        assert "Code électoral (art. L49)" in law[0]


# --- check -------------------------------------------------------------------------------

def test_check_reports_every_problem_at_once(editable) -> None:
    edit(editable / "campaign.yaml", "d'agréer,\n  {salutation}", "d'agréer,\n  {Salutation}")
    edit(editable / "measures.yaml", "themes: [sport, jeunesse]", "themes: sport et jeunesse")
    edit(editable / "measures.yaml", "en zone naturelle (mesure 41)",
         "en zone naturelle (mesure 41).")
    edit(editable / "measures.yaml", "dès le premier conseil\n      métropolitain (mesure 50)",
         "dès le premier conseil\n      métropolitain (mesure 50, voir aussi mesure 53)")
    edit(editable / "measures.yaml", "      - connective: également",
         "      - connective: aussi")
    edit(editable / "associations.yaml", "    kind: union\n", "    kind: amicale\n    "
         "gender: x\n")
    project, problems = read_project(editable)
    assert project is None
    text = "\n".join(map(str, problems))
    for expected in (
        "key closing: unknown placeholder {Salutation}",
        "key measures[3].themes: input should be a valid list",
        "key measures[12].text: the text of measure 41 ends with a period, but a letter cites "
        "it inside a sentence",
        "key measures[16].text: the text of measure 50 should cite « mesure 50 » exactly once",
        "the connective « aussi » is not in this sentence",
        "key associations[6].gender: input should be 'm' or 'f'",
    ):
        assert expected in text, (expected, text)
    # The measure left out for its type error does not raise false cross-reference errors.
    assert "measure 12, which does not exist" not in text


def test_the_test_campaign_checks_clean(bellerive) -> None:
    assert bellerive.warnings == []
    assert len(bellerive.associations) >= 6
    assert 15 <= len(bellerive.program.measures) <= 25


def test_no_lead_says_again_the_vision_of_its_theme(bellerive) -> None:
    # A letter on a theme prints its vision, then the lead of its paragraph: the lead must not
    # repeat the vision's words (« la culture est un droit » … « c’est un droit »).
    program = bellerive.program
    for paragraph in program.paragraphs:
        for tag in paragraph.themes:
            theme = program.themes[tag]
            claim = re.search(r"\*\*(.+?)\*\*", theme.vision or "")
            if not claim:
                continue
            # The theme's own subject (its label: « Bords de Loire ») may come back.
            words = set(re.findall(r"\w{5,}", claim.group(1).lower())) \
                - set(re.findall(r"\w+", theme.label.lower()))
            lead = (paragraph.lead or "").lower()
            assert not [w for w in words if re.search(rf"\b{w}\b", lead)], \
                (theme.vision, paragraph.lead)


# --- Templates that extend letterkit's --------------------------------------------------

def test_an_extending_template_keeps_the_inherited_letter(bellerive, editable,
                                                          tmp_path) -> None:
    folder = editable / "templates" / "letters"
    folder.mkdir(parents=True)
    (folder / "reponse.md.j2").write_text(
        '{% extends "letterkit/reponse.md.j2" %}\n'
        "{% block measures %}{{ super() }}\n\nUne phrase de la campagne.{% endblock %}\n",
        encoding="utf-8")
    extended = letter(load_project(editable), "Les Fileuses", ["culture"], tmp_path)
    plain = letter(bellerive, "Les Fileuses", ["culture"], tmp_path / "plain")
    assert "\\*" not in extended
    assert extended.replace("\n\nUne phrase de la campagne.", "") == plain
    assert "(**mesure\u00a08**).\n\nUne phrase de la campagne.\n\n" in extended


# --- The French helpers, as pure functions -------------------------------------------------

@pytest.mark.parametrize(("items", "conjunction", "joined"), [
    (["A et B", "C"], "et", "A et B, et C"),
    (["A", "B et C", "D"], "et", "A, B et C, et D"),
    (["A et B", "C", "D"], "et", "A et B, C et D"),  # the comma already separates A et B
    (["A", "B"], "et", "A et B"),
    # The member after the conjunction holds it: « … (mesure 12), et élargirons A et B ».
    (["rendrons A accessibles d’ici 2030 (mesure 12)",
      "élargirons les trottoirs et abaisserons les bordures (mesure 13)"], "et",
     "rendrons A accessibles d’ici 2030 (mesure 12), et élargirons les trottoirs et "
     "abaisserons les bordures (mesure 13)"),
    (["A", "B", "C et D"], "et", "A, B, et C et D"),
    (["A", "C ou D"], "et", "A et C ou D"),  # another conjunction: no ambiguity
    (["A ou B", "C"], "ou encore", "A ou B, ou encore C"),
    (["A et B", "C"], "ou encore", "A et B ou encore C"),
    (["Pierre et Marie", "un « pass »"], "ainsi que", "Pierre et Marie ainsi qu’un « pass »"),
    (["Bettembourg", "C"], "et", "Bettembourg et C"),  # a word, not the conjunction
    # Quotes and brackets close off their own « et ».
    (["fiche « accessibilité et handicap »", "plan"], "et",
     "fiche « accessibilité et handicap » et plan"),
    (["des médiateurs (de jour et de nuit)", "C"], "et",
     "des médiateurs (de jour et de nuit) et C"),
])
def test_join_glued_sets_off_a_conjunction_a_member_holds(items, conjunction, joined) -> None:
    assert french.join_glued(items, conjunction) == joined
    if conjunction == "et" and "’" not in joined:
        assert french.join(items, conjunction) == joined


@pytest.mark.parametrize(("before", "after", "joined"), [
    ("ainsi que", "un « pass »", "ainsi qu’un « pass »"),
    ("que", "**une ville**", "qu’**une ville**"),
    ("Nous pensons que", "l’accessibilité", "Nous pensons que l’accessibilité"),
    ("de", "hébergement", "d’hébergement"),
    ("de", "handicap", "de handicap"),  # an aspirated h
    ("à", "le quartier", "au quartier"),
    ("de", "les berges", "des berges"),
    ("Nous", "rénoverons", "Nous rénoverons"),
])
def test_glue_elides_and_contracts(before, after, joined) -> None:
    assert french.glue(before, after) == joined


@pytest.mark.parametrize(("text", "lowered"), [
    ("Un budget participatif", "un budget participatif"),
    ("Val de Loire Métropole devra", "Val de Loire Métropole devra"),  # a name of the data
    ("Orléans Métropole détient", "Orléans Métropole détient"),  # two capitals: a name
    ("Les Bellerivois pourront", "les Bellerivois pourront"),  # an article stays an article
    ("ESB recevra", "ESB recevra"),  # an acronym
    ("**Nous** ferons", "**nous** ferons"),
])
def test_lower_first_spares_names(text, lowered) -> None:
    assert french.lower_first(text, frozenset({"Val"})) == lowered


@pytest.mark.parametrize(("text", "connective", "without"), [
    ("D’ailleurs, la salle des fêtes", "D'ailleurs,", "La salle des fêtes"),
    ("Nous créerons également un fonds", "également", "Nous créerons un fonds"),
    ("nous consacrons, par ailleurs, notre", "par ailleurs,", "nous consacrons notre"),
    ("Pour cela, nous sécuriserons", "Pour cela,", "Nous sécuriserons"),
    ("Sans lien avec rien", "D'ailleurs,", "Sans lien avec rien"),
])
def test_remove_connective(text, connective, without) -> None:
    assert french.remove_connective(text, connective) == without


@pytest.mark.parametrize(("salutation", "inside"), [
    ("Chère Madame", "chère Madame"), ("Cher Monsieur", "cher Monsieur"),
    ("Madame la Présidente", "Madame la Présidente"), ("Madame, Monsieur", "Madame, Monsieur"),
])
def test_salutation_in_sentence(salutation, inside) -> None:
    assert french.salutation_in_sentence(salutation) == inside


# --- The command line: --measures, --exclude, in compose and batch ----------------------

def test_compose_and_batch_take_measures_by_number(editable) -> None:
    from typer.testing import CliRunner

    from letterkit.cli import app

    def run(*args: str):
        return CliRunner().invoke(app, [*args, "--project", str(editable)])

    result = run("compose", "--assoc", "Roue Libre", "--measures", "41,42", "--exclude", "33",
                 "--date", "2026-03-01", "--format", "md")
    assert result.exit_code == 0, result.output
    path = editable / "letters" / "2026-03-01-roue-libre-mesures-41-42-sauf-33.md"
    assert result.stdout.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"mesure\u00a0(\d+)\*\*", text) == ["41", "42"]
    result = run("compose", "--assoc", "Roue Libre", "--measures", "4x", "--format", "md")
    assert result.exit_code == 2 and "« 4x » is not a measure number" in result.output
    result = run("compose", "--assoc", "Roue Libre", "--measures", "43", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr == ("Error: measures.yaml: --measures 43: the program has no measure "
                             "43 — the program has measures 3, 5, 8, 12, 14, 17, 21, 22, 26, "
                             "30, 33, 35, 41, 42, 44, 47, 50, 53, 58, 61, 66 and 68; letterkit "
                             "measures lists them\n")
    requests = editable / "demandes.yaml"
    requests.write_text("- assoc: ESB\n  themes: sport\n  exclude: [12, 14]\n  date: 2026-03-01"
                        "\n- assoc: ULB\n  measures: 47,68\n  date: 2026-03-01\n",
                        encoding="utf-8")
    result = run("batch", str(requests))
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (editable / "letters").glob("*.md"))
    assert "2026-03-01-esb-sport-sauf-12-14.md" in made
    assert "2026-03-01-ulb-mesures-47-68.md" in made
    sport = (editable / "letters" / "2026-03-01-esb-sport-sauf-12-14.md").read_text()
    assert re.findall(r"mesure\u00a0(\d+)\*\*", sport) == ["17"]
    # With the sentence it refers to excluded, « également » goes.
    assert "Nous créerons un fonds" in sport
