"""How a sender is named: a generated grammar matrix of sender shapes (kind × gender × number
× article × first letter × name beginning with its kind or not × acronym or common-noun
phrase × registered or not × person), each composed (Markdown only) through every sentence
that names the sender, and checked against the form a French writer uses — the expected form
is written here from the rules of French, shape by shape, never read from the output — and
every composed sentence judged by Grammalecte (tests/judges/french_judge.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from dataclasses import dataclass

import pytest

from letterkit.campaign.models import Association, Document, Partner, Program
from letterkit.campaign.project import Project, load_project
from letterkit.letter.sender import sender
from letterkit.pipeline.build import Request, prepare
from letterkit.questionnaire.draft import draft
from letterkit.questionnaire.questions import Question
from tests.conftest import build_campaign
from tests.judges.french_judge import faults, plain

NB = "\u00a0"
MARCH_1 = dt.date(2026, 3, 1)
KINDS = {"association": "f", "collectif": "m", "comité": "m", "amicale": "f",
         "harmonie": "f", "syndicat": "m", "union": "f"}
# The first sound of a name: a vowel, a mute h, an h aspiré, a consonant. Each word is
# masculine, so that its article is « le » unless elided.
FIRST = {"vowel": "Olivier", "mute h": "Horizon", "h aspiré": "Hameau", "consonant": "Tilleul"}
PLURAL_FIRST = {"vowel": "Amis", "mute h": "Habitants", "h aspiré": "Hérissons",
                "consonant": "Riverains"}
ACRONYMS = {"vowel": "AJEP", "consonant": "FRPE", "h aspiré": "HCR"}
# Forms of a name; which first letters each takes.
FORMS = ("bare", "acronym", "acronym + complement", "les", "article", "article les",
         "begins with kind")
SALUTATION = "Madame la Présidente"
OWN_CLOSING = "Recevez, {salutation}, nos salutations fraternelles."


@dataclass(frozen=True)
class Shape:
    kind: str
    form: str
    first: str
    local: bool
    registered: bool
    own_closing: bool = False
    person: str | None = None  # a person's name, for kind personne

    @property
    def id(self) -> str:
        flags = [name for name, on in (("local", self.local), ("registered", self.registered),
                                       ("own-closing", self.own_closing)) if on]
        return "-".join([self.kind, self.form, self.first, *flags, *([self.person] if
                                                                    self.person else [])])


def shapes() -> list[Shape]:
    found = []
    for kind, form, local, registered in itertools.product(KINDS, FORMS, (False, True),
                                                           (True, False)):
        if (form in ("article", "article les") and not registered) or (local and not registered):
            continue  # only associations.yaml has an `article` and `local`
        if form == "begins with kind":
            firsts = [{"a": "vowel", "h": "mute h", "u": "vowel"}.get(kind[0], "consonant")]
        elif form.startswith("acronym"):
            firsts = list(ACRONYMS) if form == "acronym" else ["vowel", "consonant"]
        else:
            firsts = list(FIRST)
        for first in firsts:
            own = registered and (len(found) % 3 == 0)
            found.append(Shape(kind, form, first, local, registered, own))
    for name, registered in itertools.product(
            ("Madame Dupont", "Monsieur Martin", "Monsieur et Madame Martin",
             "Mesdames Achard et Vidal"), (True, False)):
        found.append(Shape("personne", "person", "consonant", False, registered,
                           registered, name))
    return found


SHAPES = shapes()


# --- The shape's name and data, and what French expects of it ------------------------------

def name_of(shape: Shape) -> str:
    if shape.person:
        return shape.person
    form, first = shape.form, shape.first
    if form == "bare":
        return f"{FIRST[first]} 26"
    if form == "acronym":
        return ACRONYMS[first]
    if form == "acronym + complement":
        return f"{ACRONYMS[first]} du Centre"
    if form == "les":
        return f"Les {PLURAL_FIRST[first]} du Parc"
    if form == "article":
        return f"{FIRST[first]} des Combes"
    if form == "article les":
        return f"{PLURAL_FIRST[first]} du Parc"
    return f"{shape.kind.capitalize()} des Platanes"


def elided(first: str) -> bool:
    return first in ("vowel", "mute h")


def the(first: str, feminine: bool, plural: bool = False) -> str:
    """The definite article before a word of that first sound."""
    if plural:
        return "les "
    if elided(first):
        return "l’"
    return "la " if feminine else "le "


def facts(shape: Shape) -> tuple[bool, bool]:
    """The name's gender (feminine?) and number, as a French writer agrees with it."""
    if shape.person:
        plural = " et " in shape.person
        return shape.person.startswith(("Madame", "Mesdames")) and "Monsieur" not in \
            shape.person, plural
    if shape.form in ("les", "article les"):
        return False, True  # les amis, les habitants…: masculine plural
    if shape.form == "article":
        return False, False  # le hameau, l'olivier…: masculine
    return KINDS[shape.kind] == "f", False


def expected_subject(shape: Shape) -> str:
    name = name_of(shape)
    feminine, _ = facts(shape)
    if shape.form in ("bare", "acronym", "les", "person"):
        return name
    if shape.form == "acronym + complement":
        return the(shape.first, feminine) + name
    if shape.form == "article les":
        return "les " + name
    if shape.form == "article":
        return the(shape.first, False) + name
    return the(shape.first, KINDS[shape.kind] == "f") + name  # begins with kind


def governed(preposition: str, phrase: str, vowel: bool) -> str:
    """« de », « à » before a phrase, as French contracts and elides them."""
    contracted = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au",
                  ("à", "les"): "aux"}
    first, _, rest = phrase.partition(" ")
    if (preposition, first.lower()) in contracted:
        return f"{contracted[(preposition, first.lower())]} {rest}"
    if preposition == "de" and vowel:
        return "d’" + phrase
    return f"{preposition} {phrase}"


def expected_governed(preposition: str, shape: Shape) -> str:
    feminine, _ = facts(shape)
    if shape.form == "acronym":  # read bare as a subject, with its article after de and à
        return governed(preposition, the(shape.first, feminine) + name_of(shape), False)
    subject = expected_subject(shape)
    return governed(preposition, subject, subject == name_of(shape) and elided(shape.first)
                    and shape.form == "bare")


def expected_de(shape: Shape) -> str:
    return expected_governed("de", shape)


def expected_a(shape: Shape) -> str:
    return expected_governed("à", shape)


GENTILES = {"f": "essartoise", "m": "essartois"}


def expected_designation(shape: Shape) -> str:
    if shape.person or shape.form in ("begins with kind", "acronym + complement", "article",
                                      "article les"):
        return expected_subject(shape)  # a common-noun phrase names the sender by itself
    gender = KINDS[shape.kind]
    kind_article = "l’" if shape.kind[0] in "aeiouh" else ("la " if gender == "f" else "le ")
    words = [shape.kind, *([GENTILES[gender]] if shape.local else []), name_of(shape)]
    return kind_article + " ".join(words)


def expected_ending(shape: Shape) -> str:
    feminine, plural = facts(shape)
    return ("e" if feminine else "") + ("s" if plural else "")


def association_of(shape: Shape) -> Association:
    data: dict[str, object] = {
        "short_name": name_of(shape), "salutation": SALUTATION, "local": shape.local,
        "document": Document(kind="lettre", title="Pour un bourg vivant"),
        "partner": Partner(name="la Fédération des quartiers", member=True)}
    if shape.form != "begins with kind":
        data["kind"] = shape.kind
    if shape.form in ("les", "article", "article les"):
        data["gender"] = "m"
    if shape.form == "article":
        data["article"] = "l'" if elided(shape.first) else "le"
    if shape.form == "article les":
        data["article"] = "les"
    if shape.own_closing:
        data["closing"] = OWN_CLOSING
    return Association(**data)  # type: ignore[arg-type]


# --- Composing ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def essarts(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return load_project(build_campaign("essarts", tmp_path_factory.mktemp("essarts") / "e"))


_LETTERS: dict[Shape, str] = {}


def _composed(project: Project, shape: Shape) -> str:
    if shape not in _LETTERS:
        _LETTERS[shape] = _compose(project, shape)
    return _LETTERS[shape]


def _compose(project: Project, shape: Shape) -> str:
    if shape.registered:
        association = association_of(shape)
        alone = dataclasses.replace(project, associations=[association])
        request = Request(association.short_name, ["velo"], MARCH_1, formats=("md",))
        return prepare(alone, request).letter.markdown
    gender = "m" if shape.form == "les" else None
    request = Request(name_of(shape), ["velo"], MARCH_1, formats=("md",),
                      salutation=SALUTATION,
                      kind=None if shape.form == "begins with kind" else shape.kind,
                      gender=gender)
    return prepare(project, request).letter.markdown


def sentences(text: str) -> tuple[str, str, str]:
    """The title line, the interpellation, the closing: the sentences naming the sender."""
    blocks = text.strip("\n").split("\n\n")
    closing = next(b for b in blocks if b.startswith(("Nous vous prions", "Recevez")))
    return blocks[0], blocks[2], closing


def test_the_matrix_holds_every_shape() -> None:
    assert len(SHAPES) >= 300
    seen = {(s.kind, s.form, s.first, s.local, s.registered, s.person) for s in SHAPES}
    assert len(seen) == len(SHAPES)
    for dimension in ("kind", "form", "first", "local", "registered"):
        assert len({getattr(s, dimension) for s in SHAPES}) > 1, dimension


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.id)
def test_each_sentence_names_the_sender_as_french_does(essarts, shape: Shape) -> None:
    # Spaces as a reader sees them (« Olivier 26 » has a no-break space).
    title, interpellation, closing = (
        s.replace(NB, " ").replace("\u202f", " ") for s in sentences(_composed(essarts, shape)))
    document = "à la lettre « Pour un bourg vivant » transmise" if shape.registered \
        else "au courrier transmis"
    assert title == f"Réponse de la liste « Les Essarts à venir » {document} par " \
        + expected_designation(shape)
    if shape.person and not shape.registered:
        assert "association" not in interpellation and "élabor" not in interpellation
        assert "que vous nous avez adressé" in interpellation
    if shape.registered:  # a partner: the document was written with it, even by a person
        ending = expected_ending(shape)
        verb = "sont" if facts(shape)[1] else "est"
        assert interpellation.endswith(
            f"avec la Fédération des quartiers, de laquelle {expected_subject(shape)} {verb} "
            f"adhérent{ending}."), interpellation
    salutation = "Madame la Présidente"
    if shape.own_closing:
        assert closing == f"Recevez, {salutation}, nos salutations fraternelles."
    else:
        assert closing == f"Nous vous prions d’agréer, {salutation}, l’expression de nos " \
            "salutations distinguées."


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.id)
def test_de_and_a_contract(shape: Shape) -> None:
    association = association_of(shape) if shape.registered else Association(
        short_name=name_of(shape), salutation=SALUTATION, document=Document(kind="courrier"),
        **({"kind": shape.kind} if shape.form != "begins with kind" else {}),
        **({"gender": "m"} if shape.form == "les" else {}))
    named = sender(association)
    assert named.subject == expected_subject(shape)
    assert named.de == expected_de(shape)
    assert named.a == expected_a(shape)
    # The draft answers file's comment names it the same way: never « de Les … ».
    comment = draft(Program(themes={}, measures=[]), "Liste", association.short_name, "q.txt",
                    [Question(1, "Une question ?", 1)], association).split("\n")[0]
    assert comment == f"# Réponses de la liste « Liste » au questionnaire {expected_de(shape)}."


def test_grammalecte_finds_no_fault_in_any_sentence_naming_a_sender(essarts) -> None:
    paragraphs = sorted({p for shape in SHAPES
                         for p in plain("\n\n".join(sentences(_composed(essarts, shape))))})
    assert faults(paragraphs) == []
