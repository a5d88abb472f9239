"""How a sender is named in French: the one place that knows its article, number and gender,
whether its name says its kind, and every form a letter needs (docs/campaign.md, « How a
sender is named »).

- subject of a clause: « ARPE », « l’Amicale des Peupliers », « Les Jardiniers du Lavoir »,
  « la FCPE du Centre », « Madame Dupont »;
- after « de » and « à », contracted: « des Jardiniers du Lavoir », « du Comité de quartier
  des Tilleuls », « de l’ASEP », « aux Jardiniers du Lavoir »;
- the designation of the title line and of « transmise par … »: « l’association
  clamartoise ARPE », « le Comité de quartier des Tilleuls » (its kind not said twice),
  « la FCPE du Centre » (a common-noun phrase names the sender by itself), « Madame
  Dupont » (a person has no kind);
- agreement: « est adhérente », « sont adhérents ».

What the data does not say is inferred: a name starting « Les » is plural; a name starting
with a known kind takes that kind's article and gender; a person's title tells their gender;
an acronym reads bare as a subject (« ASEP ») and takes its article after « de » and « à »;
an acronym with a complement (« FCPE du Centre ») takes its article everywhere. The keys
`article`, `plural`, `gender` say the rest; campaign/rules/associations.py warns when they
contradict each other or the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from letterkit.campaign.models import Association, Campaign
from letterkit.campaign.vocabulary import (
    PERSON,
    SENDER_GENDERS,
    kind_begins,
    kind_in_name,
    leading_article,
    person_title_gender,
)
from letterkit.letter import french

# An acronym: capitals (and digits) only, at least two letters: « ASEP », « FCPE », « SUPE »;
# with a complement after it, it is a common noun: « la FCPE du Centre ».
_ACRONYM = re.compile(r"[A-ZÀÂÉÈÊÎÏÔÛÇŒ][A-ZÀÂÉÈÊÎÏÔÛÇŒ0-9&]+")
_COMPLEMENT = re.compile(r"\s+(?:de|du|des|d’|d')\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sender:
    """A sender as a sentence names it. `article` is the article said before the name
    (« la », « l' », « le », « les » or « » when bare or written in the name)."""

    name: str
    kind: str
    person: bool
    kind_feminine: bool  # the kind's gender: « la compagnie … », « le club … »
    feminine: bool       # the name's gender, which the letter agrees with
    plural: bool
    article: str
    names_kind: bool     # the name begins with its kind: « Amicale des Peupliers »
    acronym: bool        # a bare acronym: « ASEP », « SUPE 45 »
    gentile: str | None = None

    # --- The forms -------------------------------------------------------------------------

    def _with(self, article: str) -> str:
        if not article:
            return self.name
        return ("l’" if article == "l'" else article + " ") + self.name

    @property
    def subject(self) -> str:
        """The name as the subject of a clause, mid-sentence: « l’Amicale des Peupliers »."""
        return self._with(self.article)

    def _governed(self, preposition: str) -> str:
        if self.acronym:
            return french.glue(preposition, self._with(self._definite()))
        return french.glue(preposition, self.subject)

    @property
    def de(self) -> str:
        """« de » and the name: « de l’ASEP », « des Jardiniers du Lavoir », « du Comité… »."""
        return self._governed("de")

    @property
    def a(self) -> str:
        """« à » and the name: « à l’ASEP », « aux Jardiniers du Lavoir », « au Comité… »."""
        return self._governed("à")

    @property
    def designation(self) -> str:
        """The sender with its kind, as the title line and « transmise par … » name it:
        « l’association clamartoise ARPE », « le Comité de quartier des Tilleuls »,
        « la FCPE du Centre », « les Amis du Parc » (a name said with an article is a
        common-noun phrase: it names the sender by itself), « Madame Dupont » (a person has
        no kind)."""
        if self.person or self.names_kind or self.article:
            return self.subject
        words = [self.kind, *([self.gentile] if self.gentile else []), self.name]
        return french.article(self.kind, self.kind_feminine) + " ".join(words)

    @property
    def verb(self) -> str:
        """« est » or « sont »."""
        return "sont" if self.plural else "est"

    @property
    def ending(self) -> str:
        """The ending of an adjective or participle agreeing with the sender: « », « e »,
        « s », « es » (« adhérent{ending} »)."""
        return ("e" if self.feminine else "") + ("s" if self.plural else "")

    def _definite(self) -> str:
        if self.plural:
            return "les"
        if french.elides(self.name):
            return "l'"
        return "la" if self.feminine else "le"


def _explicit_article(value: str, name: str) -> str:
    value = value.replace("’", "'")
    if value == "none":
        return ""
    if value in ("le", "la") and french.elides(name):
        return "l'"
    return value


def sender(association: Association, campaign: Campaign | None = None) -> Sender:
    """How `association` is named, from its data and its name; `campaign` gives the gentilé
    of a `local` sender."""
    name = association.short_name
    kind = association.kind
    given = association.model_fields_set
    person = kind.casefold() == PERSON
    gender = association.gender
    if person:
        titled = person_title_gender(name)
        title_gender, several = titled if titled else (None, False)
        feminine = (gender or title_gender) == "f"
        plural = association.plural if association.plural is not None else several
        return Sender(name, kind, True, feminine, feminine, plural, "", False, False)
    named = kind if kind_begins(name, kind) else (None if "kind" in given
                                                 else kind_in_name(name))
    if named and named != kind.casefold() and not kind_begins(name, kind):
        kind = named
    kind_gender = SENDER_GENDERS.get(kind.casefold()) or gender
    own = leading_article(name)
    article = association.article
    plural = association.plural if association.plural is not None \
        else (own == "les" or article == "les")
    name_gender: str | None
    if gender:
        name_gender = gender
    elif named:
        name_gender = SENDER_GENDERS.get(named.casefold(), kind_gender)
    elif own in ("le", "la") or article in ("le", "la"):
        name_gender = "f" if (own or article) == "la" else "m"
    else:
        name_gender = kind_gender
    feminine = name_gender == "f"
    first = name.split()[0] if name.split() else ""
    acronym = bool(_ACRONYM.fullmatch(first))
    complemented = acronym and bool(_COMPLEMENT.match(name[len(first):]))
    if own:
        said = ""
    elif article is not None:
        said = _explicit_article(article, name)
    elif named or complemented:
        said = "les" if plural else ("l'" if french.elides(name) else
                                     ("la" if feminine else "le"))
    else:
        said = ""
    gentile = None
    if association.local and campaign is not None and not named:
        commune = campaign.commune
        gentile = commune.gentile_feminine if kind_gender == "f" else commune.gentile
    return Sender(name, kind, False, kind_gender == "f", feminine, plural, said, bool(named),
                  acronym and not said and not own, gentile)


def closing(association: Association, campaign: Campaign) -> str:
    """The closing formula of a letter to `association`: its own, or the campaign's."""
    return association.closing or campaign.closing
