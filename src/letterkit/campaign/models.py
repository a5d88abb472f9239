"""The campaign's data as typed models: what each key of the three YAML files holds.

The models check types and simple bounds; the checks across keys and files are in rules/
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Literal

# letterkit uses no pydantic plugin: not looking for any spares ~30 ms at every start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import BaseModel, ConfigDict, Field, field_validator

from letterkit.campaign.vocabulary import DOCUMENT_GENDERS, SENDER_GENDERS
from letterkit.i18n import _

# « mesure 89 », « **mesure 89** »: how a measure's text cites itself.
MEASURE_REF = re.compile(r"(\*\*)?\bmesure (\d+)\b(\*\*)?")


class Model(BaseModel):
    # Unknown keys are kept so that `check` can warn about them instead of failing.
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


# --- campaign.yaml -------------------------------------------------------------------------

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


class Smtp(Model):
    """The server that sends letters by e-mail (`letterkit send`)."""

    host: str
    port: int | None = Field(default=None, gt=0, lt=65536)  # by default, security's own
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None  # the environment variable holding the password
    allow_plain_auth: bool = False  # a login without TLS (security: none): only if asked
    sender: str = Field(alias="from")


class Enclosure(Model):
    """An enclosure the e-mail attaches: its label (« P.J. : … ») and its file, in the
    campaign folder (SPEC.md « Third stage »)."""

    label: str
    file: str | None = None


def enclosure_labels(enclosures: list[str | Enclosure]) -> list[str]:
    return [e if isinstance(e, str) else e.label for e in enclosures]


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
    enclosures: list[str | Enclosure] = Field(default_factory=list)
    smtp: Smtp | None = None

    @field_validator("election_rounds")
    @classmethod
    def _rounds_in_order(cls, rounds: list[dt.date]) -> list[dt.date]:
        if rounds != sorted(rounds):
            raise ValueError(_("the rounds should be listed in date order"))
        return rounds

    @property
    def place_name(self) -> str:
        return self.place or self.commune.name


# --- associations.yaml ---------------------------------------------------------------------

class Document(Model):
    kind: str
    title: str | None = None
    gender: Literal["m", "f"] | None = None
    signed: bool = False  # the list signs this charte, pétition, appel… and says so

    @property
    def feminine(self) -> bool:
        return (self.gender or DOCUMENT_GENDERS.get(self.kind.lower())) == "f"


class Partner(Model):
    name: str
    gender: Literal["m", "f"] = "f"
    member: bool = False  # the association belongs to it; else the document was only co-written


class Association(Model):
    short_name: str
    name: str | None = None
    kind: str = "association"  # or PERSON, « personne »: an individual
    gender: Literal["m", "f"] | None = None
    # How the name reads in a sentence (letter/sender.py infers it when not given).
    article: Literal["le", "la", "l'", "l’", "les", "none"] | None = None
    plural: bool | None = None
    salutation: str
    closing: str | None = None  # this sender's own closing formula; None: the campaign's
    local: bool = False
    email: str | None = None
    address: list[str] = Field(default_factory=list)
    document: Document
    partner: Partner | None = None
    subject: str | None = None
    paragraph: str | None = None
    enclosures: list[str | Enclosure] | None = None  # None: the campaign's
    themes: list[str] = Field(default_factory=list)  # its own: the leads by --measures alone

    @property
    def full_name(self) -> str:
        return self.name or self.short_name

    @property
    def feminine(self) -> bool:
        return (self.gender or SENDER_GENDERS.get(self.kind.lower())) == "f"


class Associations(Model):
    associations: list[Association]


# --- measures.yaml -------------------------------------------------------------------------

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
    connective: str | None = None  # dropped when the sentence before is not in the letter


class Paragraph(Model):
    themes: list[str] = Field(default_factory=list)  # the lead is printed for these only
    lead: str | None = None
    sentences: list[Sentence] = Field(min_length=1)


class Program(Model):
    themes: dict[str, Theme]
    measures: list[Measure]
    paragraphs: list[Paragraph] = Field(default_factory=list)
