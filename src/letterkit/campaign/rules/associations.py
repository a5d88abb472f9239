"""The rules of associations.yaml that its model cannot express, association by
association."""

from __future__ import annotations

from collections.abc import Callable

from letterkit.campaign.models import Association
from letterkit.campaign.rules.campaign import placeholders_known
from letterkit.campaign.vocabulary import DOCUMENT_GENDERS, SENDER_GENDERS, valid_address
from letterkit.campaign.yamlfile import Source, key_path
from letterkit.errors import Problem

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


def themes_known(associations: list[Association], themes: list[str],
                 source: Source) -> list[Problem]:
    """An association's own `themes` are themes of the program (measures.yaml)."""
    return [source.problem(f"unknown theme « {tag} »", ("associations", index, "themes", t),
                           "the themes of measures.yaml: " + ", ".join(themes))
            for index, association in enumerate(associations)
            for t, tag in enumerate(association.themes) if tag not in themes]
