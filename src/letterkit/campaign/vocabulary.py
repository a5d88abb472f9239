"""The words the data files may use, and what a well-formed value is: kinds of sender and of
document with their grammatical gender, e-mail addresses, SMTP securities. The models, the
rules and the letter's grammar all read them here."""

from __future__ import annotations

import re
from email.utils import getaddresses, parseaddr

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
}

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
    local, _, domain = address.rpartition("@")
    if not domain.isascii():
        try:
            idna.encode(domain, uts46=True)
        except idna.IDNAError as exc:
            return f"its domain « {domain} » cannot be written in ASCII ({exc})", False
    if not local.isascii():
        return ("the part before the @ has accents or other non-ASCII letters: only a mail "
                "server offering SMTPUTF8 sends to it"), True
    return None
