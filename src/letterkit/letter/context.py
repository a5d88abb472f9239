"""The context of a letter template: everything a letter may use (docs/templates.md lists
each name), built from the campaign, the association and the selected measures.

The campaign's own text is marked as Prose (Markdown by design); an association's, given by a
third party, stays a plain string, escaped when rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

from letterkit.campaign.models import Association, Campaign, Document, enclosure_labels
from letterkit.letter import french
from letterkit.letter.select import Selection
from letterkit.letter.sender import closing as closing_of
from letterkit.letter.sender import sender
from letterkit.text import Prose, md_escape

if TYPE_CHECKING:
    from letterkit.campaign.project import Project


def _trusted(value: Any) -> Any:
    """The campaign's data as plain values, its text marked as Prose."""
    if hasattr(value, "model_dump"):
        return {k: _trusted(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, list):
        return [_trusted(v) for v in value]
    if isinstance(value, dict):
        return {k: _trusted(v) for k, v in value.items()}
    return Prose(value) if isinstance(value, str) else value


def _titled_by_kind(document: Document) -> bool:
    """Whether the title begins with the document's kind (« plaidoyer pour … »)."""
    title, kind = (document.title or "").casefold(), document.kind.casefold()
    return title.startswith(kind) and not title[len(kind):len(kind) + 1].isalpha()


def _document(document: Document) -> dict[str, Any]:
    """The document, and the ways a letter names it: « au plaidoyer pour … » when the title
    starts with its kind, « au manifeste « Pour que vive … » » when it does not."""
    kind, title = md_escape(document.kind), md_escape(document.title or "")
    if not document.title:
        named = quoted = kind
    elif _titled_by_kind(document):
        # « au questionnaire aux candidats », even when the title has a capital
        # (« Questionnaire aux candidats »); quoted, it stays as written.
        plain = md_escape(document.kind + document.title[len(document.kind):])
        named, quoted = plain, f"« *{title}* »"
    else:
        named, quoted = f"{kind} « {title} »", f"{kind} « *{title}* »"
    first = document.title if document.title and _titled_by_kind(document) else document.kind
    return {
        "kind": document.kind,
        "title": document.title,
        "feminine": document.feminine,
        "signed": document.signed,
        "named": Prose(named),
        "quoted": Prose(quoted),
        "le": Prose(french.article(first, document.feminine)),
        "au": Prose(french.to_article(first, document.feminine)),
        "e": Prose("e" if document.feminine else ""),
        "pronoun": Prose("la" if document.feminine else "le"),
    }


def _association(association: Association, campaign: Campaign,
                 enclosures: list[str]) -> dict[str, Any]:
    """Third-party data: plain strings, escaped when rendered; grammar ready for French."""
    partner = association.partner
    named = sender(association, campaign)
    escaped = replace(named, name=md_escape(named.name), kind=md_escape(named.kind))
    return {
        "short_name": association.short_name,
        "name": association.full_name,
        "kind": named.kind,
        "person": named.person,
        "feminine": named.feminine,
        "plural": named.plural,
        "le": Prose(french.article(named.kind, named.kind_feminine)),
        "e": Prose("e" if named.feminine else ""),
        "ending": Prose(named.ending),
        "verb": Prose(named.verb),
        "gentile": named.gentile,
        "designation": Prose(escaped.designation),
        "named": Prose(escaped.subject),
        "de": Prose(escaped.de),
        "a": Prose(escaped.a),
        "salutation": association.salutation,
        "local": association.local,
        "email": association.email,
        "address": list(association.address),
        "subject": association.subject,
        "paragraph": Prose(association.paragraph) if association.paragraph else None,
        "enclosures": enclosures,
        "document": _document(association.document),
        "partner": partner and {
            "name": partner.name,
            "member": partner.member,
            "de_laquelle": Prose("de laquelle" if partner.gender == "f" else "duquel"),
        },
    }


def _unique(texts: Iterable[str | None]) -> list[Prose]:
    return [Prose(t) for t in dict.fromkeys(t for t in texts if t)]


@cache
def _capitalised(texts: tuple[str, ...]) -> frozenset[str]:
    return french.capitalised_words(list(texts))


def names(project: Project, association: Association) -> frozenset[str]:
    """Words that are names, never lower-cased after « Enfin, »: the proper names of the data
    and the words its text capitalises in mid-sentence (« Val de Loire Métropole »)."""
    campaign, program = project.campaign, project.program
    texts = [campaign.presentation, campaign.ambition or "", campaign.call_to_vote or "",
             *(m.text for m in program.measures),
             *(p.lead or "" for p in program.paragraphs),
             *(s.intro or "" for p in program.paragraphs for s in p.sentences),
             *(t.vision or "" for t in program.themes.values()),
             *(t.beyond or "" for t in program.themes.values())]
    proper = [campaign.list_name, campaign.commune.name, association.short_name,
              association.full_name, *(s.name for s in campaign.signatories),
              *([association.partner.name] if association.partner else [])]
    return _capitalised(tuple(texts)) | {n.strip() for n in proper if n.strip()}


def letter_context(project: Project, association: Association, selection: Selection,
                   date: dt.date) -> dict[str, Any]:
    """Everything a letter template may use; docs/templates.md documents each name."""
    themes = [project.program.themes[tag] for tag in selection.themes]
    campaign = _trusted(project.campaign)
    campaign["place"] = Prose(project.campaign.place_name)
    salutation = french.salutation_in_sentence(association.salutation)
    closing = closing_of(association, project.campaign).replace("{salutation}",
                                                                md_escape(salutation))
    enclosures = enclosure_labels(project.campaign.enclosures if association.enclosures is None
                                  else association.enclosures)
    recipient = _association(association, project.campaign, enclosures)
    known_names = names(project, association)
    visions = _unique(t.vision for t in themes)
    return {
        "campaign": campaign,
        "association": recipient,
        "document": recipient["document"],
        "themes": [{"tag": tag, **_trusted(theme)} for tag, theme in
                   zip(selection.themes, themes, strict=True)],
        "visions": visions,
        "shared_visions": Prose(french.shared_visions(list(visions), known_names)),
        "beyond": _unique(t.beyond for t in themes),
        "paragraphs": [{"lead": Prose(p.lead) if p.lead else None,
                        "body": Prose(" ".join(p.sentences)),
                        "text": Prose(p.text),
                        "measures": [m.number for m in p.measures]}
                       for p in selection.paragraphs],
        "measures": [m.number for m in selection.measures],
        "announced": len(selection.measures),
        "answered": [],
        "enclosures": enclosures,
        "date": date,
        "rounds": french.rounds_to_come(project.campaign.election_rounds, date),
        "closing": Prose(closing),
        "names": known_names,
    }
