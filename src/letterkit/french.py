"""French grammar the letters need: lists, articles, dates. Pure functions on text."""

from __future__ import annotations

import datetime as dt
import re

VOWELS = set("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")

# The grammatical gender of the kinds of document associations usually send; another kind
# needs an explicit `gender`.
DOCUMENT_GENDERS = {
    "plaidoyer": "m", "questionnaire": "m", "courrier": "m", "appel": "m", "manifeste": "m",
    "livre blanc": "m", "cahier": "m", "mail": "m", "courriel": "m", "message": "m",
    "lettre": "f", "tribune": "f", "pétition": "f", "interpellation": "f", "note": "f",
    "contribution": "f", "charte": "f", "enquête": "f", "proposition": "f", "demande": "f",
}


def join(items: list[str], conjunction: str = "et") -> str:
    """Join items the French way: « A », « A et B », « A, B et C » (no serial comma)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def elides(word: str) -> bool:
    """Whether « le », « la » before this word become « l’ »."""
    return bool(word) and word[0] in VOWELS


def article(noun: str, feminine: bool) -> str:
    """The definite article to put before `noun`, with its trailing space or apostrophe."""
    if elides(re.sub(r"^[«\s*_]+", "", noun)):
        return "l’"
    return "la " if feminine else "le "


def to_article(noun: str, feminine: bool) -> str:
    """« à » and the definite article, contracted: « au », « à la », « à l’ »."""
    the = article(noun, feminine)
    return "au " if the == "le " else "à " + the


# Babel's French month names (CLDR, « wide »), written out: loading Babel's locale data costs
# more than a letter's preparation (tests/test_typography.py checks the two agree).
MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre")


def month_name(month: int) -> str:
    """« mars »."""
    return MONTH_NAMES[month - 1]


def day_month(day: dt.date) -> str:
    """« 1er mars », « 15 mars »: only the first of the month takes « er »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {month_name(day.month)}"


def long_date(day: dt.date) -> str:
    """« 1er décembre 2025 »."""
    return f"{day_month(day)} {day.year}"


def rounds_to_come(rounds: list[dt.date], today: dt.date) -> str | None:
    """The election rounds still ahead of `today`, as a letter names them.

    « les 15 et 22 mars prochains », « le 22 mars prochain », or None once they are past.
    """
    ahead = [r for r in rounds if r > today]
    if not ahead:
        return None
    if len(ahead) == 1:
        return f"le {day_month(ahead[0])} prochain"
    first, last = ahead[0], ahead[-1]
    if first.month == last.month:
        days = join(["1er" if d.day == 1 else str(d.day) for d in ahead])
        return f"les {days} {month_name(first.month)} prochains"
    return f"les {join([day_month(d) for d in ahead])} prochains"
