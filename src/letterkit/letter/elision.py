"""Whether a word begins with a vowel sound, so that « le », « la », « de », « que » before it
elide: a vowel, or an h that is mute (« l’habitante », « l’harmonie »), not an h aspiré
(« le hameau », « la halle »). The h aspiré words are a dictionary's: h_aspire.txt, beside
this module, names its source."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")
LEXICON = Path(__file__).with_name("h_aspire.txt")

_WORD = re.compile(r"[^\W\d_][\w’'-]*")


@cache
def h_aspire() -> frozenset[str]:
    """The lower-case forms whose h is aspirated, read once from h_aspire.txt."""
    lines = LEXICON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def aspirated(word: str) -> bool:
    """Whether `word` (which starts with h) keeps the article whole: « le hameau », « la
    Haute-Loire » (a compound is read by its first part)."""
    folded = word.casefold().replace("’", "'")
    lexicon = h_aspire()
    return folded in lexicon or folded.split("-")[0] in lexicon \
        or folded.split("'")[0] in lexicon


def vowel_sound(text: str) -> bool:
    """Whether `text` (markup and quotes aside) begins with a vowel or a mute h: « l’ASEP »,
    « l’habitante », not « le hameau ». An acronym that starts with H keeps the article whole
    (« le HCR »)."""
    match = _WORD.search(text)
    if not match or (match.start() and text[:match.start()].strip(" \u00a0\u202f*_«“\"(")):
        return False
    word = match.group(0)
    if word[0] in VOWELS:
        return True
    if word[0] not in "hH":
        return False
    if len(word) > 1 and word.isupper():
        return False  # an acronym: « le HCR »
    return not aspirated(word)
