"""The rules of associations.yaml that its model cannot express, association by
association."""

from __future__ import annotations

from collections.abc import Callable

from letterkit.campaign.models import Association
from letterkit.campaign.rules.campaign import LINE_BREAKS, placeholders_known
from letterkit.campaign.vocabulary import (
    DOCUMENT_GENDERS,
    PERSON,
    SENDER_GENDERS,
    address_problem,
    kind_begins,
    kind_in_name,
    leading_article,
    person_title_gender,
    valid_address,
)
from letterkit.campaign.yamlfile import Source, key_path
from letterkit.errors import Problem
from letterkit.i18n import N_, _

ADDRESS_LINES, ADDRESS_WIDTH = 6, 38  # what the window of a DL envelope shows


def short_name_unique(associations: list[Association], source: Source,
                      index: int) -> list[Problem]:
    """Short names are distinct, ignoring case: they are how commands name an association."""
    key = associations[index].short_name.casefold()
    first = next(i for i, a in enumerate(associations) if a.short_name.casefold() == key)
    if first == index:
        return []
    return [source.problem(
        _("short name « {name} » is used twice (also on line {line})").format(
            name=associations[index].short_name, line=source.line(("associations", first))),
        ("associations", index, "short_name"),
        _("short names are compared ignoring case; make them distinct"))]


def address_fits_envelope(associations: list[Association], source: Source,
                          index: int) -> list[Problem]:
    """Warn when the address (with the name) would not show in a DL envelope's window."""
    address = associations[index].address
    too_long = [line for line in address if len(line) > ADDRESS_WIDTH]
    if len(address) <= ADDRESS_LINES - 1 and not too_long:
        return []
    return [source.problem(
        _("the address does not fit the envelope window ({lines} lines of {width} characters, "
          "the name included)").format(lines=ADDRESS_LINES, width=ADDRESS_WIDTH),
        ("associations", index, "address"),
        _("shorten it: « {line} »").format(line=too_long[0]) if too_long else _("shorten it"),
        warning=True)]


def document_gender_known(associations: list[Association], source: Source,
                          index: int) -> list[Problem]:
    """The letter agrees with the document's gender: a kind letterkit does not know needs it."""
    document = associations[index].document
    if document.gender is not None or document.kind.lower() in DOCUMENT_GENDERS:
        return []
    return [Problem(
        _("letterkit does not know whether « {kind} » is masculine or feminine").format(
            kind=document.kind),
        file=source.name, line=source.line(("associations", index, "document", "kind")),
        key=key_path(("associations", index, "document")),
        hint=_("add « gender: m » or « gender: f » under document"))]


def email_valid(associations: list[Association], source: Source, index: int) -> list[Problem]:
    """An association's e-mail address is one address, that can be sent to."""
    email = associations[index].email
    if email is None:
        return []
    if not valid_address(email):
        return [source.problem(_("« {address} » is not an e-mail address").format(address=email),
                               ("associations", index, "email"),
                               _("write one address, such as contact@association.fr"))]
    found = address_problem(email)
    if found is None:
        return []
    message, warning = found
    return [source.problem(_("« {address} »: {problem}").format(address=email, problem=message),
                           ("associations", index, "email"),
                           _("check the address with the association; letterkit send says if "
                             "the server cannot take it") if warning
                           else _("check the address"), warning=warning)]


# The one-line fields of an association: they go into the letter's head, its title and the
# e-mail's To and Subject, where a line break would start another header.
ONE_LINE = (("short_name",), ("name",), ("salutation",), ("subject",), ("document", "kind"),
            ("document", "title"))


def fields_on_one_line(associations: list[Association], source: Source,
                       index: int) -> list[Problem]:
    """No line break (nor any control character) in a one-line field."""
    problems = []
    for path in ONE_LINE:
        value: object = associations[index]
        for key in path:
            value = getattr(value, key, None)
        if isinstance(value, str) and any(c in value for c in LINE_BREAKS):
            problems.append(source.problem(
                _("{key} holds a line break: it must be one line (it goes into the letter's "
                  "title and the e-mail's headers)").format(key=path[-1]),
                ("associations", index, *path),
                _("write it on one line, without « \\n » and without a « | » block")))
    return problems


def sender_gender_known(associations: list[Association], source: Source,
                        index: int) -> list[Problem]:
    """The letter agrees with the sender's kind (« le club », « la compagnie »): a kind
    letterkit does not know needs its gender."""
    association = associations[index]
    if association.gender is not None or association.kind.lower() in SENDER_GENDERS \
            or association.kind.casefold() == PERSON \
            or kind_in_name(association.short_name) is not None:
        return []
    return [source.problem(
        _("letterkit does not know whether « {kind} » is masculine or feminine").format(
            kind=association.kind),
        ("associations", index, "kind"), _("add « gender: m » or « gender: f » beside kind"))]


# A gender that contradicts the name, the kind or the article: a whole sentence for each
# gender, so that each language agrees its words.
_NAME_IS = {"f": N_("« gender: {gender} » contradicts the name « {name} », which is feminine"),
            "m": N_("« gender: {gender} » contradicts the name « {name} », which is masculine")}
_KIND_IS = {"f": N_("« gender: {gender} » contradicts the kind « {kind} », which is feminine"),
            "m": N_("« gender: {gender} » contradicts the kind « {kind} », which is masculine")}
_SENDER_IS = {"f": N_("« article: {article} » contradicts the sender's gender (feminine)"),
              "m": N_("« article: {article} » contradicts the sender's gender (masculine)")}


def person_named(associations: list[Association], source: Source,
                 index: int) -> list[Problem]:
    """A person (kind: personne) is agreed with as a woman or a man: their title says which
    (« Madame Dupont »), or `gender`; a name reads bare, without `article`."""
    association = associations[index]
    if association.kind.casefold() != PERSON:
        return []
    where = ("associations", index)
    titled = person_title_gender(association.short_name)
    told = titled[0] if titled else None
    problems = []
    if association.gender is None and told is None:
        problems.append(source.problem(
            _("letterkit does not know whether « {name} » is a woman or a man").format(
                name=association.short_name),
            (*where, "kind"), _("add « gender: f » or « gender: m » beside kind, or begin the "
                                "name with its title (Madame, Monsieur)")))
    elif association.gender is not None and told is not None and association.gender != told:
        problems.append(source.problem(
            _(_NAME_IS[told]).format(gender=association.gender, name=association.short_name),
            (*where, "gender"), _("remove gender, or correct the name's title"), warning=True))
    if association.article is not None:
        problems.append(source.problem(
            _("a person's name takes no article: the letter names them « {name} »").format(
                name=association.short_name), (*where, "article"), _("remove article"),
            warning=True))
    return problems


def sender_name_agrees(associations: list[Association], source: Source,
                       index: int) -> list[Problem]:
    """The kind, gender, number and article of a sender agree with each other and with its
    name (« Les … » is plural, « Amicale des … » says its kind), or the letter mis-agrees."""
    association = associations[index]
    if association.kind.casefold() == PERSON:
        return []
    where, name = ("associations", index), association.short_name
    given = association.model_fields_set
    in_name = kind_in_name(name)
    kind = association.kind.casefold()
    own = leading_article(name)
    article = association.article.replace("’", "'") if association.article else None
    problems = []

    def warn(message: str, key: str, hint: str) -> None:
        problems.append(source.problem(message, (*where, key), hint, warning=True))

    if "kind" in given and in_name and not kind_begins(name, kind) and in_name != kind:
        warn(_("the name « {name} » begins with the kind « {named} », not « {kind} »").format(
            name=name, named=in_name, kind=association.kind), "kind",
            _("write « kind: {kind} », or remove kind").format(kind=in_name))
    named = kind if kind_begins(name, kind) else in_name
    kind_gender = SENDER_GENDERS.get(named or kind)
    gender = association.gender
    own_grammar = own is not None or article is not None  # gender is then the name's
    if gender and kind_gender and gender != kind_gender and not own_grammar:
        warn(_(_KIND_IS[kind_gender]).format(gender=gender, kind=named or kind), "gender",
             _("remove gender, or give the kind it goes with (« kind: collectif » is masculine, "
               "« kind: association » feminine)"))
    if own in ("le", "la") and gender and gender != ("f" if own == "la" else "m"):
        warn(_("« gender: {gender} » contradicts the name « {name} », which begins with "
               "« {article} »").format(gender=gender, name=name, article=own.capitalize()),
             "gender", _("remove gender"))
    if association.plural is False and own == "les" and article != "none":
        warn(_("« plural: false » but the name « {name} » begins with « Les »").format(
            name=name), "plural",
            _("remove plural (the name is plural), or add « article: none » if the name is a "
              "title read as a singular"))
    singular = own in ("le", "la", "l'") or article in ("le", "la", "l'") \
        or (named is not None and own is None and article is None)
    if association.plural is True and singular:
        warn(_("« plural: true » but « {name} » reads as a singular").format(name=name),
             "plural", _("remove plural, or give « article: les »"))
    if article == "les" and association.plural is False:
        warn(_("« article: les » is plural, and « plural: false » says otherwise"), "article",
             _("remove one of the two"))
    if article is not None and article != "none" and own is not None:
        warn(_("the name « {name} » carries its article already").format(name=name), "article",
             _("remove article (or write « article: none »)"))
    expected = association.gender or kind_gender
    if article in ("le", "la") and expected and expected != ("f" if article == "la" else "m"):
        warn(_(_SENDER_IS[expected]).format(article=article), "article",
             _("correct article or gender"))
    return problems


def closing_placeholders(associations: list[Association], source: Source,
                         index: int) -> list[Problem]:
    """A sender's own closing, like the campaign's, fills in {salutation} only."""
    closing = associations[index].closing
    return placeholders_known(closing, source, ("associations", index, "closing"))


def association_placeholders(associations: list[Association], source: Source,
                             index: int) -> list[Problem]:
    """No `{…}` in the paragraph the list writes for an association: nothing is filled in
    there. (What the association wrote, its titles, may hold braces: they are its own.)"""
    paragraph = associations[index].paragraph
    return placeholders_known(paragraph, source, ("associations", index, "paragraph"))


ASSOCIATION_RULES: tuple[Callable[[list[Association], Source, int], list[Problem]], ...] = (
    short_name_unique, address_fits_envelope, document_gender_known, sender_gender_known,
    person_named, sender_name_agrees, association_placeholders, closing_placeholders,
    email_valid, fields_on_one_line)


def check_associations(associations: list[Association], source: Source) -> list[Problem]:
    """Every rule of associations.yaml, association by association."""
    return [problem for index in range(len(associations)) for rule in ASSOCIATION_RULES
            for problem in rule(associations, source, index)]


def themes_known(associations: list[Association], themes: list[str],
                 source: Source) -> list[Problem]:
    """An association's own `themes` are themes of the program (measures.yaml)."""
    return [source.problem(_("unknown theme « {tag} »").format(tag=tag),
                           ("associations", index, "themes", t),
                           _("the themes of measures.yaml: {themes}").format(
                               themes=", ".join(themes)))
            for index, association in enumerate(associations)
            for t, tag in enumerate(association.themes) if tag not in themes]
