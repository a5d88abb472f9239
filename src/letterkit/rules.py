"""The validation rules of a campaign folder, one small function per rule.

They run in two phases: first the types (each file against its model, `to_model`), then, on
the files whose types are right, the cross-references a schema cannot express. Each rule
returns the problems it finds, located by file, line and key; none raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from letterkit.errors import Problem
from letterkit.french import DOCUMENT_GENDERS, SENDER_GENDERS
from letterkit.mail import valid_address
from letterkit.models import MEASURE_REF, Association, Campaign, Program
from letterkit.text import did_you_mean
from letterkit.yamlfile import KeyPath, Source, key_path

# --- Phase 1: types ------------------------------------------------------------------------

HINTS = {
    "missing": "add this key",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "string_type": "write plain text (quote it if it starts with a special character)",
    "list_type": "write a list, one « - item » per line or [a, b]",
    "dict_type": "write a block of « key: value » lines",
    "model_type": "write a block of « key: value » lines",
    "bool_parsing": "write true or false",
    "literal_error": "use one of the values listed",
}

M = TypeVar("M", bound=BaseModel)


def to_model(model: type[M], source: Source, problems: list[Problem]) -> M | None:
    """Validate a parsed file against its model, appending a located problem per bad field
    (and a warning per unknown key); None if a field is wrong."""
    if not isinstance(source.data, dict):
        problems.append(Problem("the file should hold « key: value » lines", file=source.name,
                                line=1, hint="see the example campaign for what it should hold"))
        return None
    try:
        instance = model.model_validate(source.data)
    except ValidationError as exc:
        for error in exc.errors():
            path = tuple(error["loc"])
            message = "required key is missing" if error["type"] == "missing" else error["msg"]
            problems.append(source.problem(message[0].lower() + message[1:], path,
                                           HINTS.get(error["type"])))
        return None
    problems += unknown_keys(instance, source)
    return instance


@dataclass
class PartialSource(Source):
    """A file whose wrong list items were left out: paths into the kept items are mapped back
    to the items' places in the file, so that problems name the right line and key."""

    kept: dict[str, list[int]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)  # the file's data, every item

    def original(self, path: KeyPath) -> KeyPath:
        if len(path) > 1 and path[0] in self.kept and isinstance(path[1], int):
            return (path[0], self.kept[str(path[0])][path[1]], *path[2:])
        return path

    def line(self, path: KeyPath) -> int | None:
        return Source.line(self, self.original(path))

    def problem(self, message: str, path: KeyPath, hint: str | None = None,
                warning: bool = False) -> Problem:
        original = self.original(path)
        return Problem(message, file=self.name, line=Source.line(self, original),
                       key=key_path(original), hint=hint, warning=warning)


def partial_model(model: type[M], source: Source) -> tuple[M, PartialSource] | None:
    """The model of a file that has type errors, without the list items holding them (a
    wrong measure, a wrong association), so that the cross-checks still run on the others and
    every problem is reported at once. None if an error is outside such items."""
    if not isinstance(source.data, dict):
        return None
    try:
        model.model_validate(source.data)
        return None
    except ValidationError as exc:
        errors = exc.errors()
    wrong: dict[str, set[int]] = {}
    for error in errors:
        loc = error["loc"]
        if len(loc) < 2 or not isinstance(loc[1], int) \
                or not isinstance(source.data.get(loc[0]), list):
            return None
        wrong.setdefault(str(loc[0]), set()).add(loc[1])
    data = dict(source.data)
    kept = {}
    for key, indexes in wrong.items():
        kept[key] = [i for i in range(len(data[key])) if i not in indexes]
        data[key] = [data[key][i] for i in kept[key]]
    try:
        instance = model.model_validate(data)
    except ValidationError:
        return None
    return instance, PartialSource(source.name, data, source.lines, kept, source.data)


def unknown_keys(instance: BaseModel, source: Source) -> list[Problem]:
    """A warning for each key the model does not know (it may be a misspelt one)."""
    problems = []
    for path in _extra_paths(instance, ()):
        known = list(type(_at(instance, path[:-1])).model_fields)
        problems.append(source.problem("unknown key, ignored", path,
                                       did_you_mean(str(path[-1]), known, "keys here"),
                                       warning=True))
    return problems


def _at(instance: Any, path: KeyPath) -> Any:
    for part in path:
        instance = instance[part] if isinstance(part, int) else getattr(instance, part)
    return instance


def _extra_paths(value: Any, path: KeyPath) -> Iterator[KeyPath]:
    if isinstance(value, BaseModel):
        for key in value.model_extra or {}:
            yield path + (key,)
        for name in type(value).model_fields:
            yield from _extra_paths(getattr(value, name), path + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _extra_paths(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _extra_paths(item, path + (key,))


# --- Phase 2: campaign.yaml ----------------------------------------------------------------

IMAGE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg")


def images_in_folder(campaign: Campaign, source: Source, root: Path) -> list[Problem]:
    """The images the campaign names: inside the campaign folder, present, PNG, JPEG or SVG."""
    problems = []
    images: list[tuple[KeyPath, str | None]] = [
        (("letterhead", "logo"), campaign.letterhead.logo if campaign.letterhead else None),
        (("signature_image",), campaign.signature_image),
    ]
    for path, value in images:
        if value is None:
            continue
        file = (root / value).resolve()
        if not file.is_relative_to(root.resolve()):
            message, hint = (f"« {value} » is outside the campaign folder",
                             "put the image in the campaign folder and give its relative path")
        elif not file.is_file():
            message, hint = (f"no image at « {value} »",
                             "give the path from the campaign folder, e.g. assets/logo.png")
        elif file.suffix.lower() not in IMAGE_SUFFIXES:
            message, hint = (f"« {value} » is not a PNG, JPEG or SVG image",
                             "convert it to PNG or SVG")
        else:
            continue
        problems.append(source.problem(message, path, hint))
    return problems


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def smtp_usable(campaign: Campaign, source: Source, root: Path) -> list[Problem]:
    """The smtp block names a sender address, and where the password is, never the password."""
    smtp = campaign.smtp
    if smtp is None:
        return []
    problems = []
    if not valid_address(smtp.sender):
        problems.append(source.problem(
            f"« {smtp.sender} » is not an e-mail address", ("smtp", "from"),
            "write it « Liste <contact@domaine.fr> » or contact@domaine.fr"))
    if smtp.password_env is not None and not _ENV_NAME.fullmatch(smtp.password_env):
        problems.append(source.problem(
            "password_env names the environment variable that holds the password, not the "
            "password itself", ("smtp", "password_env"),
            "write a variable name such as LK_SMTP, and remove the password from this file"))
    if smtp.username and not smtp.password_env:
        problems.append(source.problem(
            "a username needs a password, and no password_env says where it is", ("smtp",),
            "add « password_env: LK_SMTP » and export LK_SMTP before letterkit send"))
    return problems


# `{name}` in a formula: only `closing` has a placeholder, {salutation}.
PLACEHOLDER = re.compile(r"\{[^{}\n]{0,40}\}")
PLACEHOLDERS: dict[tuple[str, ...], set[str]] = {("closing",): {"{salutation}"}}


def placeholders_known(data: Any, source: Source, path: KeyPath = ()) -> list[Problem]:
    """Every `{…}` in the file's text is a placeholder its key fills in: a misspelt one
    (`{Salutation}`) would be printed as is."""
    if isinstance(data, dict):
        return [p for key, value in data.items()
                for p in placeholders_known(value, source, path + (str(key),))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data)
                for p in placeholders_known(value, source, path + (index,))]
    if not isinstance(data, str):
        return []
    known = PLACEHOLDERS.get(tuple(k for k in path if isinstance(k, str)), set())
    return [source.problem(
        f"unknown placeholder {match.group(0)}", path,
        ("the only placeholder here is " + ", ".join(sorted(known)) if known
         else "no placeholder is filled in here; {salutation} works in closing only")
        + " (write it exactly, in lower case)")
        for match in PLACEHOLDER.finditer(data) if match.group(0) not in known]


def check_campaign(campaign: Campaign, source: Source, root: Path) -> list[Problem]:
    return (images_in_folder(campaign, source, root) + placeholders_known(source.data, source)
            + smtp_usable(campaign, source, root))


# --- Phase 2: measures.yaml, measure by measure --------------------------------------------

def _first_index(program: Program) -> dict[int, int]:
    """Each measure number and the index of the first measure carrying it."""
    first: dict[int, int] = {}
    for index, measure in enumerate(program.measures):
        first.setdefault(measure.number, index)
    return first


def number_unique(program: Program, source: Source, index: int) -> list[Problem]:
    """Two measures never share a number."""
    number = program.measures[index].number
    first = _first_index(program)[number]
    if first == index:
        return []
    return [source.problem(
        f"measure number {number} is used twice (also on line "
        f"{source.line(('measures', first))})", ("measures", index, "number"),
        "give each measure its own number")]


def measure_has_themes(program: Program, source: Source, index: int) -> list[Problem]:
    """Every measure has a theme, or no letter can cite it."""
    measure = program.measures[index]
    if measure.themes:
        return []
    return [source.problem(f"no theme reaches measure {measure.number}",
                           ("measures", index, "themes"), "give it at least one theme tag")]


def themes_declared(program: Program, source: Source, index: int) -> list[Problem]:
    """The theme tags of a measure are declared under themes."""
    measure = program.measures[index]
    return [source.problem(f"measure {measure.number} has the undeclared theme « {tag} »",
                           ("measures", index, "themes", t),
                           did_you_mean(tag, list(program.themes), "themes")
                           + " Otherwise declare it under themes")
            for t, tag in enumerate(measure.themes) if tag not in program.themes]


def measure_cites_itself(program: Program, source: Source, index: int) -> list[Problem]:
    """A measure's text says « mesure N » once, with its own number: the letter's citation."""
    measure = program.measures[index]
    cited = [int(m.group(2)) for m in MEASURE_REF.finditer(measure.text)]
    if cited == [measure.number]:
        return []
    return [source.problem(
        f"the text of measure {measure.number} should cite « mesure {measure.number} » "
        f"exactly once", ("measures", index, "text"),
        "write « mesure N » where the letter names the measure, e.g. « … (mesure "
        f"{measure.number}) »")]


def _fragments(program: Program) -> set[int]:
    """The measures cited after an intro: their text is part of a sentence."""
    return {n for p in program.paragraphs for s in p.sentences if s.intro is not None
            for n in s.measures}


def measure_punctuation(program: Program, source: Source, index: int) -> list[Problem]:
    """A measure cited after an intro is a part of a sentence, without a final period; one
    cited alone is a whole sentence, with its final punctuation."""
    measure = program.measures[index]
    text = measure.text.rstrip("*_ ")
    path: KeyPath = ("measures", index, "text")
    if measure.number in _fragments(program):
        if text.endswith(".") and not text.endswith("..."):
            return [source.problem(
                f"the text of measure {measure.number} ends with a period, but a letter cites "
                "it inside a sentence (after an intro)", path,
                "remove the final period: the letter ends the sentence itself")]
        return []
    if measure.number in _first_placement(program) and not text.endswith((".", "!", "?", "…")):
        return [source.problem(
            f"the text of measure {measure.number} is cited as a sentence of its own but has "
            "no final punctuation", path,
            "end it with a period, or cite it after an intro under paragraphs", warning=True)]
    return []


MEASURE_RULES: tuple[Callable[[Program, Source, int], list[Problem]], ...] = (
    measure_has_themes, themes_declared, measure_cites_itself, measure_punctuation)


# --- Phase 2: measures.yaml, across the program --------------------------------------------

def themes_reach_measures(program: Program, source: Source) -> list[Problem]:
    """Warn about a theme that no measure carries."""
    left_out = _left_out(source, "measures")
    return [source.problem(f"theme « {tag} » selects no measure", ("themes", tag),
                           "tag at least one measure with it, or remove it", warning=True)
            for tag in program.themes if not any(tag in m.themes for m in program.measures)
            and not any(tag in (item.get("themes") or []) for item in left_out)]


def _first_placement(program: Program) -> dict[int, KeyPath]:
    """Each existing measure placed in paragraphs, and where it is placed first."""
    exists = {m.number for m in program.measures}
    placed: dict[int, KeyPath] = {}
    for p, paragraph in enumerate(program.paragraphs):
        for s, sentence in enumerate(paragraph.sentences):
            for m, number in enumerate(sentence.measures):
                if number in exists:
                    placed.setdefault(number, ("paragraphs", p, "sentences", s, "measures", m))
    return placed


def _left_out(source: Source, key: str) -> list[dict[str, Any]]:
    """The items of `key` left out for type errors (already reported)."""
    if not isinstance(source, PartialSource) or key not in source.kept:
        return []
    kept = set(source.kept[key])
    return [item for i, item in enumerate(source.raw.get(key, []))
            if i not in kept and isinstance(item, dict)]


def _left_out_numbers(source: Source) -> set[Any]:
    """The numbers of the measures left out: a sentence citing one is not wrong for that."""
    return {item.get("number") for item in _left_out(source, "measures")}


def sentence_references(program: Program, source: Source, p: int, s: int) -> list[Problem]:
    """A sentence cites measures that exist, each placed in one sentence only."""
    problems = []
    numbers = list(_first_index(program))  # file order: the first of two as near wins
    placed = _first_placement(program)
    left_out = _left_out_numbers(source)
    for m, number in enumerate(program.paragraphs[p].sentences[s].measures):
        path: KeyPath = ("paragraphs", p, "sentences", s, "measures", m)
        if number in left_out:
            continue
        if number not in placed:
            nearest = min(numbers, key=lambda n: abs(n - number), default=None)
            problems.append(source.problem(
                f"paragraphs refer to measure {number}, which does not exist", path,
                f"did you mean {nearest}?" if nearest else "add the measure first"))
        elif placed[number] != path:
            problems.append(source.problem(
                f"measure {number} is placed twice in paragraphs (also on line "
                f"{source.line(placed[number])})", path, "cite each measure in one sentence only"))
    return problems


def sentence_has_intro(program: Program, source: Source, p: int, s: int) -> list[Problem]:
    """A sentence joining several measures starts with an intro they follow."""
    sentence = program.paragraphs[p].sentences[s]
    if len(sentence.measures) <= 1 or sentence.intro is not None:
        return []
    return [source.problem("a sentence citing several measures needs an intro",
                           ("paragraphs", p, "sentences", s),
                           "add e.g. « intro: Nous » before the measures, whose texts follow it")]


def connective_in_sentence(program: Program, source: Source, p: int, s: int) -> list[Problem]:
    """A sentence's connective is words of its intro or of its measures' texts: letterkit
    removes them when the sentence before is not in the letter."""
    sentence = program.paragraphs[p].sentences[s]
    if not sentence.connective or _left_out_numbers(source) & set(sentence.measures):
        return []
    wanted = sentence.connective.strip().replace("'", "’").casefold()
    by_number = {m.number: m.text for m in program.measures}
    texts = [sentence.intro or "", *(by_number.get(n, "") for n in sentence.measures)]
    if any(wanted in text.replace("'", "’").casefold() for text in texts):
        return []
    return [source.problem(
        f"the connective « {sentence.connective} » is not in this sentence",
        ("paragraphs", p, "sentences", s, "connective"),
        "write it exactly as it appears in the intro or in the measure's text")]


SENTENCE_RULES: tuple[Callable[[Program, Source, int, int], list[Problem]], ...] = (
    sentence_references, sentence_has_intro, connective_in_sentence)


def paragraph_themes_declared(program: Program, source: Source) -> list[Problem]:
    """The themes of a paragraph's lead are declared under themes."""
    return [source.problem(f"paragraph {p + 1} has the undeclared theme « {tag} »",
                           ("paragraphs", p, "themes", t),
                           did_you_mean(tag, list(program.themes), "themes")
                           + " Otherwise declare it under themes")
            for p, paragraph in enumerate(program.paragraphs)
            for t, tag in enumerate(paragraph.themes) if tag not in program.themes]


def measures_in_paragraphs(program: Program, source: Source) -> list[Problem]:
    """When the program has paragraphs, warn about a measure placed in none."""
    if not program.paragraphs:
        return []
    placed = _first_placement(program)
    return [source.problem(f"measure {number} is in no paragraph: letters cite it in a "
                           "paragraph of its own, after the others", ("measures", index),
                           "add it to a sentence under paragraphs", warning=True)
            for number, index in _first_index(program).items() if number not in placed]


def check_program(program: Program, source: Source) -> list[Problem]:
    """Every cross-reference rule of measures.yaml, in file order within each rule group."""
    problems: list[Problem] = []
    for index in range(len(program.measures)):
        duplicate = number_unique(program, source, index)
        problems += duplicate
        if not duplicate:
            for measure_rule in MEASURE_RULES:
                problems += measure_rule(program, source, index)
    problems += themes_reach_measures(program, source)
    problems += paragraph_themes_declared(program, source)
    for p, paragraph in enumerate(program.paragraphs):
        for s in range(len(paragraph.sentences)):
            for sentence_rule in SENTENCE_RULES:
                problems += sentence_rule(program, source, p, s)
    problems += measures_in_paragraphs(program, source)
    return problems


# --- Phase 2: associations.yaml ------------------------------------------------------------

ADDRESS_LINES, ADDRESS_WIDTH = 6, 38  # what the window of a DL envelope shows


def short_name_unique(associations: list[Association], source: Source,
                      index: int) -> list[Problem]:
    """Short names are distinct, ignoring case: they are how commands name an association."""
    key = associations[index].short_name.casefold()
    first = next(i for i, a in enumerate(associations) if a.short_name.casefold() == key)
    if first == index:
        return []
    return [source.problem(
        f"short name « {associations[index].short_name} » is used twice (also on line "
        f"{source.line(('associations', first))})", ("associations", index, "short_name"),
        "short names are compared ignoring case; make them distinct")]


def address_fits_envelope(associations: list[Association], source: Source,
                          index: int) -> list[Problem]:
    """Warn when the address (with the name) would not show in a DL envelope's window."""
    address = associations[index].address
    too_long = [line for line in address if len(line) > ADDRESS_WIDTH]
    if len(address) <= ADDRESS_LINES - 1 and not too_long:
        return []
    return [source.problem(
        f"the address does not fit the envelope window ({ADDRESS_LINES} lines of "
        f"{ADDRESS_WIDTH} characters, the name included)", ("associations", index, "address"),
        "shorten it" + (f": « {too_long[0]} »" if too_long else ""), warning=True)]


def document_gender_known(associations: list[Association], source: Source,
                          index: int) -> list[Problem]:
    """The letter agrees with the document's gender: a kind letterkit does not know needs it."""
    document = associations[index].document
    if document.gender is not None or document.kind.lower() in DOCUMENT_GENDERS:
        return []
    return [Problem(
        f"letterkit does not know whether « {document.kind} » is masculine or feminine",
        file=source.name, line=source.line(("associations", index, "document", "kind")),
        key=key_path(("associations", index, "document")),
        hint="add « gender: m » or « gender: f » under document")]


def email_valid(associations: list[Association], source: Source, index: int) -> list[Problem]:
    """An association's e-mail address is one address."""
    email = associations[index].email
    if email is None or valid_address(email):
        return []
    return [source.problem(f"« {email} » is not an e-mail address",
                           ("associations", index, "email"),
                           "write one address, such as contact@association.fr")]


def sender_gender_known(associations: list[Association], source: Source,
                        index: int) -> list[Problem]:
    """The letter agrees with the sender's kind (« le club », « la compagnie »): a kind
    letterkit does not know needs its gender."""
    association = associations[index]
    if association.gender is not None or association.kind.lower() in SENDER_GENDERS:
        return []
    return [source.problem(
        f"letterkit does not know whether « {association.kind} » is masculine or feminine",
        ("associations", index, "kind"),
        "add « gender: m » or « gender: f » beside kind")]


def association_placeholders(associations: list[Association], source: Source,
                             index: int) -> list[Problem]:
    """No `{…}` in the paragraph the list writes for an association: nothing is filled in
    there. (What the association wrote, its titles, may hold braces: they are its own.)"""
    paragraph = associations[index].paragraph
    return placeholders_known(paragraph, source, ("associations", index, "paragraph"))


ASSOCIATION_RULES: tuple[Callable[[list[Association], Source, int], list[Problem]], ...] = (
    short_name_unique, address_fits_envelope, document_gender_known, sender_gender_known,
    association_placeholders, email_valid)


def check_associations(associations: list[Association], source: Source) -> list[Problem]:
    """Every rule of associations.yaml, association by association."""
    return [problem for index in range(len(associations)) for rule in ASSOCIATION_RULES
            for problem in rule(associations, source, index)]
