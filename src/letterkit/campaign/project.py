"""Load a campaign folder: its three YAML files read, typed and cross-checked into a Project.

Every problem is collected, not just the first, and located by file, line and key path:
yamlfile.py reads, models.py types, rules/ cross-checks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from letterkit.campaign.models import (
    MEASURE_REF,
    Association,
    Associations,
    Campaign,
    Document,
    Measure,
    Program,
    Theme,
)
from letterkit.campaign.rules import (
    check_associations,
    check_campaign,
    check_program,
    partial_model,
    placeholders_known,
    to_model,
)
from letterkit.campaign.rules.associations import themes_known
from letterkit.campaign.rules.campaign import association_enclosure_files
from letterkit.campaign.vocabulary import DOCUMENT_GENDERS, PERSON, SENDER_GENDERS
from letterkit.campaign.yamlfile import read_yaml
from letterkit.errors import DataError, LetterkitError, Problem
from letterkit.i18n import _
from letterkit.paths import ASSOCIATIONS_FILE, CAMPAIGN_FILE, MEASURES_FILE
from letterkit.text import clean, did_you_mean

# Names other modules imported from here before the split; their homes are models.py and
# text.py.
__all__ = ["MEASURE_REF", "Association", "Campaign", "Document", "Measure", "Program",
           "Project", "Theme", "clean", "did_you_mean", "load_project", "read_project"]


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
                    document: str | None = None, kind: str | None = None,
                    gender: str | None = None) -> Association:
        """The association whose short name is `key`, ignoring case.

        With a `salutation`, an association missing from the registry is written to anyway
        (and a registered one is greeted that way this time); `document` is the title of what
        it sent, its first word the kind when letterkit knows it (« questionnaire … »); `kind`
        and `gender` say what it is (« personne », « collectif », f or m). Any Unicode
        spelling of the name is the same (compared in NFC).
        """
        key = unicodedata.normalize("NFC", key)
        for association in self.associations:
            if unicodedata.normalize("NFC", association.short_name).casefold() == key.casefold():
                return association.model_copy(update={"salutation": salutation}) \
                    if salutation else association
        if salutation:
            unknown = kind and kind.casefold() != PERSON and kind.casefold() not in SENDER_GENDERS
            if unknown and gender not in ("f", "m"):
                raise LetterkitError(
                    _("letterkit does not know whether « {kind} » is masculine or feminine")
                    .format(kind=kind),
                    hint=_("add --gender f or --gender m (known kinds: {kinds}, and {person} "
                           "for a person)").format(kinds=", ".join(sorted(SENDER_GENDERS)),
                                                   person=PERSON))
            given = {"kind": kind, "gender": gender}
            return Association.model_validate(
                {"short_name": key, "salutation": salutation,
                 "document": document_from_title(document),
                 **{k: v for k, v in given.items() if v}})
        names = [a.short_name for a in self.associations]
        raise LetterkitError(
            _("unknown association « {name} »").format(name=key),
            file=ASSOCIATIONS_FILE,
            hint=_("{suggestion} Otherwise add it to {file}, or give its --salutation").format(
                suggestion=did_you_mean(key, names, "associations"), file=ASSOCIATIONS_FILE),
        )


def document_from_title(text: str | None) -> Document:
    """The document an unregistered association sent, from `--document`: its kind is its
    first words; a title follows, capitalised or quoted (« manifeste « Pour que vive … » »),
    or the whole text says what it is (« questionnaire aux candidats », « cahier de
    doléances »); with no text, a « courrier »."""
    if not text:
        return Document(kind="courrier")
    words = text.split()
    for size in (2, 1):
        kind = " ".join(words[:size]).lower()
        if len(words) >= size and kind in DOCUMENT_GENDERS:
            rest = " ".join(words[size:]).strip()
            if rest[:1].isupper() or rest[:1] in "«\"“":  # a title after the kind
                return Document(kind=kind, title=rest.strip("«»\"“” ") or None)
            # No title, only what the document is: named plainly (« le cahier de
            # doléances »), never quoted as a title.
            return Document.model_validate({"kind": kind + text.strip()[len(kind):],
                                            "gender": DOCUMENT_GENDERS[kind]})
    raise LetterkitError(
        _("letterkit cannot tell what kind of document « {text} » is").format(text=text),
        hint=_("start --document with its kind, e.g. « manifeste « {text} » »; known kinds: "
               "{kinds}").format(text=text, kinds=", ".join(sorted(DOCUMENT_GENDERS))))


def read_project(root: Path) -> tuple[Project | None, list[Problem]]:
    """Load and cross-check a campaign folder: the project if it has no error, and every
    problem found (errors and warnings), file by file."""
    problems: list[Problem] = []
    campaign_src, measures_src, associations_src = (
        read_yaml(root / name, name, problems)
        for name in (CAMPAIGN_FILE, MEASURES_FILE, ASSOCIATIONS_FILE))
    campaign = to_model(Campaign, campaign_src, problems) if campaign_src else None
    if campaign and campaign_src:
        problems += check_campaign(campaign, campaign_src, root)
    elif campaign_src:
        problems += placeholders_known(campaign_src.data, campaign_src)
    program = to_model(Program, measures_src, problems) if measures_src else None
    if program and measures_src:
        problems += check_program(program, measures_src)
    elif measures_src and (partial := partial_model(Program, measures_src)):
        problems += check_program(*partial)  # the good measures are checked all the same
    registry = to_model(Associations, associations_src, problems) if associations_src else None
    if registry and associations_src:
        problems += check_associations(registry.associations, associations_src)
        problems += association_enclosure_files(registry.associations, associations_src, root)
    elif associations_src and (some := partial_model(Associations, associations_src)):
        problems += check_associations(some[0].associations, some[1])
    if registry and associations_src and program:
        problems += themes_known(registry.associations, list(program.themes), associations_src)
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
