"""Read the campaign folder's YAML files into typed models.

Every problem is collected, not just the first, and located by file, line and key path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

# letterkit uses no pydantic plugin: not looking for any spares ~30 ms at every start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from letterkit.errors import DataError, LetterkitError, Problem
from letterkit.paths import ASSOCIATIONS_FILE, CAMPAIGN_FILE, MEASURES_FILE

# The grammatical gender of the kinds of document associations usually send; another kind
# needs an explicit `gender`.
DOCUMENT_GENDERS = {
    "plaidoyer": "m", "questionnaire": "m", "courrier": "m", "appel": "m", "manifeste": "m",
    "livre blanc": "m", "cahier": "m", "mail": "m", "courriel": "m", "message": "m",
    "lettre": "f", "tribune": "f", "pétition": "f", "interpellation": "f", "note": "f",
    "contribution": "f", "charte": "f", "enquête": "f", "proposition": "f", "demande": "f",
}

# « mesure 89 », « **mesure 89** »: how a measure's text cites itself.
MEASURE_REF = re.compile(r"(\*\*)?\bmesure (\d+)\b(\*\*)?")


class Model(BaseModel):
    # Unknown keys are kept so that `check` can warn about them instead of failing.
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


class Commune(Model):
    name: str
    gentile: str
    gentile_feminine: str


class ProgramInfo(Model):
    size: int = Field(gt=0)
    published: dt.date
    approach: str


class Signatory(Model):
    name: str
    role: str | None = None


class Letterhead(Model):
    logo: str | None = None


IMAGE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg")
ADDRESS_LINES, ADDRESS_WIDTH = 6, 38  # what the window of a DL envelope shows


class Campaign(Model):
    list_name: str
    commune: Commune
    website: str | None = None
    program: ProgramInfo
    presentation: str
    ambition: str | None = None
    call_to_vote: str | None = None
    election_rounds: list[dt.date] = Field(default_factory=list, max_length=2)
    closing: str
    signature: str
    place: str | None = None
    letterhead: Letterhead | None = None
    sender: list[str] = Field(default_factory=list)
    signatories: list[Signatory] = Field(default_factory=list)
    signature_image: str | None = None
    enclosures: list[str] = Field(default_factory=list)

    @field_validator("election_rounds")
    @classmethod
    def _rounds_in_order(cls, rounds: list[dt.date]) -> list[dt.date]:
        if rounds != sorted(rounds):
            raise ValueError("the rounds should be listed in date order")
        return rounds

    @property
    def place_name(self) -> str:
        return self.place or self.commune.name


class Document(Model):
    kind: str
    title: str | None = None
    gender: Literal["m", "f"] | None = None

    @property
    def feminine(self) -> bool:
        return (self.gender or DOCUMENT_GENDERS.get(self.kind.lower())) == "f"


class Partner(Model):
    name: str
    gender: Literal["m", "f"] = "f"


class Association(Model):
    short_name: str
    name: str | None = None
    salutation: str
    local: bool = False
    address: list[str] = Field(default_factory=list)
    document: Document
    partner: Partner | None = None
    subject: str | None = None

    @property
    def full_name(self) -> str:
        return self.name or self.short_name


class Associations(Model):
    associations: list[Association]


class Theme(Model):
    label: str
    description: str = ""
    vision: str | None = None
    beyond: str | None = None


class Measure(Model):
    number: int = Field(gt=0)
    title: str | None = None
    themes: list[str]
    text: str


class Sentence(Model):
    intro: str | None = None
    join: str = "et"
    measures: list[int] = Field(min_length=1)


class Paragraph(Model):
    lead: str | None = None
    sentences: list[Sentence] = Field(min_length=1)


class Program(Model):
    themes: dict[str, Theme]
    measures: list[Measure]
    paragraphs: list[Paragraph] = Field(default_factory=list)


@dataclass
class Project:
    """A campaign folder, loaded and validated."""

    root: Path
    campaign: Campaign
    program: Program
    associations: list[Association]
    warnings: list[Problem] = field(default_factory=list)

    def program_text(self, number: int) -> str:
        """The text of measure `number`, as the program states it now."""
        return next(m.text for m in self.program.measures if m.number == number)

    def association(self, key: str, salutation: str | None = None,
                    document: str | None = None) -> Association:
        """The association whose short name is `key`, ignoring case.

        With a `salutation`, an association missing from the registry is written to anyway
        (and a registered one is greeted that way this time); `document` is the title of what
        it sent, its first word the kind when letterkit knows it (« questionnaire … »). Any
        Unicode spelling of the name is the same (compared in NFC).
        """
        key = unicodedata.normalize("NFC", key)
        for association in self.associations:
            if unicodedata.normalize("NFC", association.short_name).casefold() == key.casefold():
                return association.model_copy(update={"salutation": salutation}) \
                    if salutation else association
        if salutation:
            kind = (document or "").split(" ")[0].lower()
            if kind not in DOCUMENT_GENDERS:
                kind = "courrier"
            return Association(short_name=key, salutation=salutation,
                               document=Document(kind=kind, title=document))
        names = [a.short_name for a in self.associations]
        raise LetterkitError(
            f"unknown association « {key} »",
            file=ASSOCIATIONS_FILE,
            hint=did_you_mean(key, names, "associations")
            + f" Otherwise add it to {ASSOCIATIONS_FILE}, or give its --salutation",
        )


def did_you_mean(value: str, known: list[str], what: str) -> str:
    """A hint naming the known values closest to a mistyped one."""
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(value.casefold(), list(by_fold), n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(by_fold[c] for c in close) + "?"
    if not known:
        return f"there are no {what} yet."
    return f"known {what}: " + ", ".join(known) + "."


# Control characters (but tab and newline), Unicode line separators and bidirectional
# overrides: never part of a letter, nor of a message.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def clean(value: Any) -> Any:
    """Strings without control or bidirectional characters, in NFC; lists and maps walked."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", _INVISIBLE.sub("", value))
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


# --- YAML with line numbers -------------------------------------------------------------

Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed YAML file: its data, and the line of every key path in it."""

    name: str
    data: Any
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest enclosing node."""
        for end in range(len(path), -1, -1):
            if (line := self.lines.get(tuple(path[:end]))) is not None:
                return line
        return None


def key_path(path: Path_) -> str:
    """`('measures', 3, 'number')` → `measures[3].number`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# libyaml's parser when PyYAML has it (its wheels do): a dozen times faster than pure Python.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, name: str, problems: list[Problem]) -> Source | None:
    """Parse one YAML file, appending its problems; None if it cannot be read at all."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem("file not found", file=name,
                                hint="create it, or run letterkit init to start a campaign"))
        return None
    except OSError as exc:
        problems.append(Problem(f"cannot read the file ({exc.strerror})", file=name))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", file=name,
                                line=line, hint="save the file with the UTF-8 encoding"))
        return None
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problems.append(Problem(f"a character YAML does not accept: U+{exc.character:04X}",
                                file=name, line=line, hint="remove it from the file"))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        problems.append(Problem(
            f"invalid YAML: {problem}" + (f", column {mark.column + 1}" if mark else ""),
            file=name, line=mark.line + 1 if mark else None,
            hint="check the indentation and the quoting around this place"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(f"invalid YAML: {exc}", file=name))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        problems.append(Problem("the file is empty", file=name,
                                hint="see the example campaign for what it should hold"))
        return None
    lines: dict[Path_, int] = {}
    for path_, line, duplicate in _walk(node, ()):
        if duplicate:
            problems.append(Problem("this key appears twice in the same block", file=name,
                                    line=line, key=key_path(path_),
                                    hint="keep only one of them"))
        lines.setdefault(path_, line)
    return Source(name, clean(data), lines)


def _walk(node: yaml.Node, path: Path_) -> Iterator[tuple[Path_, int, bool]]:
    yield path, node.start_mark.line + 1, False
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            yield path + (key,), key_node.start_mark.line + 1, key in seen
            seen.add(key)
            yield from _walk(value_node, path + (key,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, path + (index,))


# --- Models from YAML --------------------------------------------------------------------

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
    """Validate a parsed file against its model, appending a located problem per bad field."""
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
            problems.append(Problem(
                message[0].lower() + message[1:], file=source.name, line=source.line(path),
                key=key_path(path), hint=HINTS.get(error["type"])))
        return None
    for path in _unknown_keys(instance, ()):
        known = list(type(_at(instance, path[:-1])).model_fields)
        problems.append(Problem(
            "unknown key, ignored", file=source.name, line=source.line(path),
            key=key_path(path), hint=did_you_mean(str(path[-1]), known, "keys here"),
            warning=True))
    return instance


def _at(instance: Any, path: Path_) -> Any:
    for part in path:
        instance = instance[part] if isinstance(part, int) else getattr(instance, part)
    return instance


def _unknown_keys(value: Any, path: Path_) -> Iterator[Path_]:
    if isinstance(value, BaseModel):
        for key in value.model_extra or {}:
            yield path + (key,)
        for name in type(value).model_fields:
            yield from _unknown_keys(getattr(value, name), path + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unknown_keys(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unknown_keys(item, path + (key,))


# --- The whole project -------------------------------------------------------------------

def read_project(root: Path) -> tuple[Project | None, list[Problem]]:
    """Load and cross-check a campaign folder: the project if it has no error, and every
    problem found (errors and warnings), in file order."""
    problems: list[Problem] = []
    sources = {name: read_yaml(root / name, name, problems)
               for name in (CAMPAIGN_FILE, MEASURES_FILE, ASSOCIATIONS_FILE)}
    campaign_src, measures_src, associations_src = sources.values()
    campaign = to_model(Campaign, campaign_src, problems) if campaign_src else None
    if campaign and campaign_src:
        problems += check_campaign(campaign, campaign_src, root)
    program = to_model(Program, measures_src, problems) if measures_src else None
    if program and measures_src:
        problems += check_program(program, measures_src)
    registry = to_model(Associations, associations_src, problems) if associations_src else None
    if registry and associations_src:
        problems += check_associations(registry.associations, associations_src)
    if any(not p.warning for p in problems) or not (campaign and program and registry):
        return None, problems
    return Project(root, campaign, program, registry.associations,
                   [p for p in problems if p.warning]), problems


def load_project(root: Path) -> Project:
    """Load a campaign folder; raise DataError listing every problem found."""
    project, problems = read_project(root)
    if project is None:
        raise DataError(problems)
    return project


def check_campaign(campaign: Campaign, source: Source, root: Path) -> list[Problem]:
    """The images the campaign names: inside the campaign folder, present, PNG, JPEG or SVG."""
    problems = []
    images: list[tuple[Path_, str | None]] = [
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
        problems.append(Problem(message, file=source.name, line=source.line(path),
                                key=key_path(path), hint=hint))
    return problems


def check_program(program: Program, source: Source) -> list[Problem]:
    """Cross-references inside measures.yaml that a schema cannot express."""
    problems: list[Problem] = []

    def add(message: str, path: Path_, hint: str | None = None, warning: bool = False) -> None:
        problems.append(Problem(message, file=source.name, line=source.line(path),
                                key=key_path(path), hint=hint, warning=warning))

    first_index: dict[int, int] = {}
    for index, measure in enumerate(program.measures):
        path: Path_ = ("measures", index)
        if measure.number in first_index:
            other = source.line(("measures", first_index[measure.number]))
            add(f"measure number {measure.number} is used twice (also on line {other})",
                path + ("number",), "give each measure its own number")
            continue
        first_index[measure.number] = index
        if not measure.themes:
            add(f"no theme reaches measure {measure.number}", path + ("themes",),
                "give it at least one theme tag")
        for t, tag in enumerate(measure.themes):
            if tag not in program.themes:
                add(f"measure {measure.number} has the undeclared theme « {tag} »",
                    path + ("themes", t),
                    did_you_mean(tag, list(program.themes), "themes")
                    + " Otherwise declare it under themes")
        cited = [int(m.group(2)) for m in MEASURE_REF.finditer(measure.text)]
        if cited != [measure.number]:
            add(f"the text of measure {measure.number} should cite « mesure {measure.number} » "
                f"exactly once", path + ("text",),
                "write « mesure N » where the letter names the measure, e.g. « … (mesure "
                f"{measure.number}) »")

    for tag in program.themes:
        if not any(tag in m.themes for m in program.measures):
            add(f"theme « {tag} » selects no measure", ("themes", tag),
                "tag at least one measure with it, or remove it", warning=True)

    placed: dict[int, Path_] = {}
    for p, paragraph in enumerate(program.paragraphs):
        for s, sentence in enumerate(paragraph.sentences):
            for m, number in enumerate(sentence.measures):
                path = ("paragraphs", p, "sentences", s, "measures", m)
                if number not in first_index:
                    nearest = min(first_index, key=lambda n: abs(n - number), default=None)
                    add(f"paragraphs refer to measure {number}, which does not exist", path,
                        f"did you mean {nearest}?" if nearest else "add the measure first")
                elif number in placed:
                    add(f"measure {number} is placed twice in paragraphs "
                        f"(also on line {source.line(placed[number])})", path,
                        "cite each measure in one sentence only")
                else:
                    placed[number] = path
            if len(sentence.measures) > 1 and sentence.intro is None:
                add("a sentence citing several measures needs an intro",
                    ("paragraphs", p, "sentences", s),
                    "add e.g. « intro: Nous » before the measures, whose texts follow it")
    if program.paragraphs:
        for number, index in first_index.items():
            if number not in placed:
                add(f"measure {number} is in no paragraph: letters cite it in a paragraph of "
                    f"its own, after the others", ("measures", index),
                    "add it to a sentence under paragraphs", warning=True)
    return problems


def check_associations(associations: list[Association], source: Source) -> list[Problem]:
    """Duplicates and grammar that the association schema cannot express."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, association in enumerate(associations):
        key = association.short_name.casefold()
        path: Path_ = ("associations", index)
        if key in seen:
            problems.append(Problem(
                f"short name « {association.short_name} » is used twice (also on line "
                f"{source.line(('associations', seen[key]))})", file=source.name,
                line=source.line(path + ("short_name",)), key=key_path(path + ("short_name",)),
                hint="short names are compared ignoring case; make them distinct"))
        seen.setdefault(key, index)
        too_long = [line for line in association.address if len(line) > ADDRESS_WIDTH]
        if len(association.address) > ADDRESS_LINES - 1 or too_long:
            problems.append(Problem(
                f"the address does not fit the envelope window ({ADDRESS_LINES} lines of "
                f"{ADDRESS_WIDTH} characters, the name included)", file=source.name,
                line=source.line(path + ("address",)), key=key_path(path + ("address",)),
                hint="shorten it" + (f": « {too_long[0]} »" if too_long else ""), warning=True))
        document = association.document
        if document.gender is None and document.kind.lower() not in DOCUMENT_GENDERS:
            problems.append(Problem(
                f"letterkit does not know whether « {document.kind} » is masculine or feminine",
                file=source.name, line=source.line(path + ("document", "kind")),
                key=key_path(path + ("document",)),
                hint="add « gender: m » or « gender: f » under document"))
    return problems
