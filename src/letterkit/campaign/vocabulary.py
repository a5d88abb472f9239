"""The words the data files may use, and what a well-formed value is: kinds of sender and of
document with their grammatical gender, the facts a sender's name tells of its grammar (its
own article, its kind, a person's title), e-mail addresses, SMTP securities. The models, the
rules and the letter's grammar (letter/sender.py) all read them here."""

from __future__ import annotations

import re
from email.utils import getaddresses, parseaddr

from letterkit.i18n import _

# The grammatical gender of the kinds of document associations usually send; another kind
# needs an explicit `gender`.
DOCUMENT_GENDERS = {
    "plaidoyer": "m", "questionnaire": "m", "courrier": "m", "appel": "m", "manifeste": "m",
    "livre blanc": "m", "cahier": "m", "mail": "m", "courriel": "m", "message": "m",
    "pacte": "m", "vœu": "m", "programme": "m", "rapport": "m", "dossier": "m",
    "lettre": "f", "tribune": "f", "pétition": "f", "interpellation": "f", "note": "f",
    "contribution": "f", "charte": "f", "enquête": "f", "proposition": "f", "demande": "f",
    "lettre ouverte": "f", "déclaration": "f", "motion": "f", "plateforme": "f",
}

# The grammatical gender of the kinds of sender; another kind needs an explicit `gender`.
SENDER_GENDERS = {
    "association": "f", "compagnie": "f", "fédération": "f", "union": "f", "amicale": "f",
    "coordination": "f", "ligue": "f", "délégation": "f", "section": "f", "antenne": "f",
    "confédération": "f", "maison": "f", "troupe": "f", "chorale": "f", "fondation": "f",
    "collectif": "m", "club": "m", "comité": "m", "syndicat": "m", "réseau": "m",
    "groupe": "m", "groupement": "m", "conseil": "m", "cercle": "m", "mouvement": "m",
    "centre": "m", "observatoire": "m", "ensemble": "m", "théâtre": "m", "orchestre": "m",
    "harmonie": "f", "fanfare": "f", "coopérative": "f", "mutuelle": "f", "société": "f",
    "entente": "f", "alliance": "f", "académie": "f", "assemblée": "f", "amicale laïque": "f",
    "comité de quartier": "m", "conseil de quartier": "m", "conseil citoyen": "m",
    "foyer": "m", "atelier": "m", "institut": "m", "office": "m", "bureau": "m",
}

# The kind of sender that is a person (« Madame Dupont », « Monsieur et Madame Martin »): the
# letter is written to them, never to an « association ».
PERSON = "personne"

# The values of a sender's `article`: how its name reads in a sentence (« none »: bare).
ARTICLES = ("le", "la", "l'", "les", "none")

# The titles a person's name may start with, and the gender each tells.
PERSON_TITLES = {"madame": "f", "mme": "f", "mademoiselle": "f", "mlle": "f", "mesdames": "f",
                 "messieurs": "m",
                 "monsieur": "m", "m.": "m", "maître": None, "docteur": None, "docteure": "f"}

_LEADING_ARTICLE = re.compile(r"(les|le|la)\s+(?=\w)|(l['’])(?=\w)", re.IGNORECASE)


def leading_article(name: str) -> str | None:
    """The article a name begins with, as part of it: « les » (« Les Jardiniers du Lavoir »),
    « le », « la », « l' » (« L'Oasis »); None for any other name."""
    match = _LEADING_ARTICLE.match(name)
    if not match:
        return None
    return "l'" if match.group(2) else match.group(1).lower()


def kind_begins(name: str, kind: str) -> bool:
    """Whether `name` begins with the word(s) of `kind` (« Comité de quartier des Tilleuls »,
    kind « comité »): the name says its kind, and a letter does not say it again."""
    folded, word = name.casefold(), kind.casefold()
    return bool(word) and folded.startswith(word) and not folded[len(word):][:1].isalpha()


def kind_in_name(name: str) -> str | None:
    """The longest known kind of sender `name` begins with (« amicale », « comité de
    quartier »), or None."""
    found = [kind for kind in SENDER_GENDERS if kind_begins(name, kind)]
    return max(found, key=len) if found else None


def person_title_gender(name: str) -> tuple[str | None, bool] | None:
    """For a person's name: the gender its titles tell (« Madame Dupont »: f; « Monsieur et
    Madame Martin »: m) and whether it names several people (« … et … »); None when it starts
    with no title letterkit knows."""
    words = name.replace(",", " ").split()
    if not words or words[0].casefold() not in PERSON_TITLES:
        return None
    several = any(w.casefold() == "et" for w in words)
    genders = {PERSON_TITLES[w.casefold()] for w in words if w.casefold() in PERSON_TITLES}
    if None in genders:
        return None, several
    return ("m" if "m" in genders else "f"), several

SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def valid_address(text: str) -> bool:
    """One address, with or without a display name: « Nom <a@b.fr> » or « a@b.fr »."""
    if not text or "\n" in text or "\r" in text or len(getaddresses([text])) != 1:
        return False
    _, address = parseaddr(text)
    return bool(re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address))


def address_problem(text: str) -> tuple[str, bool] | None:
    """What is wrong with an address beyond its form, and whether it is only a warning: a
    domain that cannot be written in ASCII (IDNA, RFC 5890), or accents before the @, which
    only a server offering SMTPUTF8 (RFC 6531) accepts."""
    import idna

    address = parseaddr(text)[1]
    local, _at, domain = address.rpartition("@")
    if not domain.isascii():
        try:
            idna.encode(domain, uts46=True)
        except idna.IDNAError as exc:
            return _("its domain « {domain} » cannot be written in ASCII ({why})").format(
                domain=domain, why=exc), False
    if not local.isascii():
        return _("the part before the @ has accents or other non-ASCII letters: only a mail "
                 "server offering SMTPUTF8 sends to it"), True
    return None
