"""French typographic rules (docs/typography.md), as pure functions on text.

polytypo does the spacing around « : ; ! ? », the quotes, apostrophes and ellipses, and leaves
code and URLs alone; the rules below add what it does not do. Every function is idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

NBSP = "\u00a0"
NNBSP = "\u202f"

MONTHS = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
          "|décembre")

# Spans no rule may touch: code, autolinks and HTML tags, link destinations, URLs, e-mails.
PROTECTED = re.compile(
    r"`[^`]*`|<[^>\n]*>|\]\([^)\n]*\)|\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+"
)

# Every span PROTECTED matches holds one of these.
_PROTECTED_MARKS = ("`", "<", "](", "@", "http", "www.")

_Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]

# A Roman numeral from I to XXXIX, as centuries, arrondissements and republics are numbered
# (« XVIIe siècle », « Ve République »); C, D, L and M are left out: « Le », « De », « Ce »,
# « Me » would read as numerals.
ROMAN = r"(?:X{1,3}(?:IX|IV|V?I{0,3})|IX|IV|V?I{1,3}|V)"
# Its ordinal: « Ier », « Ire » for the first, « e » (« es ») for the others; lower case only,
# so that an acronym (« CIE », « DOE », « VIE ») is never one.
ROMAN_ORDINAL = rf"(?<![\w-])(?:(I)(er|re)|(?!Ies?\b)({ROMAN})(es|e))(?![\w-])"

# Unit symbols that begin with a capital (those in lower case follow the rule of any word):
# a number is bound to them as to « € » or « % ».
UNITS = "|".join(("M€", "Md€", "Mds€", "G€", "k€", "MWh", "MW", "GWh", "GW", "TWh", "kWh",
                  "kW", "MHz", "GHz", "Mo", "Go", "To", "Ko", "°C"))


def _group_thousands(match: re.Match[str]) -> str:
    """« 10000 » → « 10 000 » with a narrow no-break space, as Babel's fr_FR format_decimal."""
    return f"{int(match.group(1)):,}".replace(",", NNBSP)


RULES: list[_Rule] = [
    # Ordinals: 1re, 1res, 2e, 2es (never 1ère, 2ème, 2è).
    (re.compile(r"\b1(?:ère|ere)(s?)\b"), r"1re\1"),
    (re.compile(r"\b(\d+)(?:ème|eme|è)(s?)\b"), r"\1e\2"),
    # … and Roman ones: « XVIIe » (never « XVIIème »), bound to the word after it.
    (re.compile(rf"(?<![\w-])({ROMAN})(?:ème|eme|è)(s?)(?![\w-])"), r"\1e\2"),
    (re.compile(rf"{ROMAN_ORDINAL} (?!(?:et|ou|à|au|aux|de|des|du|en|sur|par|pour)\b)"
                r"(?=[^\W\d_])"), lambda m: m.group(0)[:-1] + NBSP),
    # A number and a unit symbol: « 2,4 M€ », « 15 k€ », « 3 MW ».
    (re.compile(rf"(?<=\d) (?=(?:{UNITS})(?![\w]))"), NBSP),
    # A quantity of five digits or more is grouped by thousands; years, postcodes (before a
    # capital) and measure numbers are not.
    (re.compile(r"(?<![\d,.])(?<!mesure )(?<!mesure\u00a0)(\d{5,})(?=[ \u00a0][a-zà-ÿ%€])"),
     _group_thousands),
    # A number written with spaces between its groups (« 300 000 ») keeps them, but narrow
    # and no-break; an amount of four digits (« 5000 € ») is grouped too.
    (re.compile(r"(?<![\d\u202f,.])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d])"),
     lambda m: re.sub(r"[ \u00a0]", NNBSP, m.group(0))),
    (re.compile(r"(?<![\d\u202f,.])(\d)(\d{3})(?=[ \u00a0](?:€|euros?\b|%))"),
     "\\1" + NNBSP + "\\2"),
    # A name made of an acronym and a number stays whole: « SUPE 45 », « COP 21 ».
    (re.compile(r"(?<!\w)([A-ZÀ-Ý]{2,}) (?=\d+(?![\d\u202f]|[ \u00a0]\d{3}\b))"),
     "\\1" + NBSP),
    # A number stays with the word, unit or month that follows it: « 104 mesures », « 25 % ».
    # Not a measure number: it is a reference, not a quantity; nor the number of a name.
    (re.compile(r"(?<![\d\u202f])(?<!mesure )(?<!mesure\u00a0)(?<![A-ZÀ-Ý]\u00a0)"
                r"((?:\d{1,3}(?:\u202f\d{3})+|\d+)(?:er|re|e|ers|res|es)?) "
                r"(?!(?:et|ou|à|au|aux|de|des|du|en|sur|par|pour)\b)(?=[a-zà-ÿ%€])"),
     "\\1" + NBSP),
    # … and with the word before it: « mesure 89 », « n° 12 », « mars 2026 ».
    (re.compile(rf"\b(mesures?|n°|article|page|{MONTHS}) (?=\d)", re.IGNORECASE), "\\1" + NBSP),
    # « À » for the capital preposition at the start of a sentence: « À vous lire ».
    (re.compile(r"(^|[.!?…][*_]*[ \u00a0\u202f]+|\n)A (?=[a-zà-ÿ])"), "\\1À "),
    # No space before an ellipsis that ends a word, nor before « , » and « . », nor inside ( ).
    (re.compile(r"(\w[*_]*) …"), "\\1…"),
    (re.compile(r"(?<=[^\s.]) +(?=[.,](?:\s|$))"), ""),
    (re.compile(r"\( +| +\)"), lambda m: m.group(0).strip()),
]


def french_extras(text: str) -> str:
    """Apply the rules polytypo lacks to `text`, leaving protected spans alone."""
    if not any(mark in text for mark in _PROTECTED_MARKS):
        return _apply(text)  # most paragraphs: nothing to look for
    parts = []
    position = 0
    for match in PROTECTED.finditer(text):
        parts.append(_apply(text[position:match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_apply(text[position:]))
    return "".join(parts)


def _apply(text: str) -> str:
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def typeset(markdown: str) -> str:
    """The full French typographic pass over a Markdown text, paragraph by paragraph."""
    return "\n\n".join(_typeset_paragraph(p) for p in markdown.split("\n\n"))


def polytypo_pass(markdown: str) -> str:
    """polytypo's Markdown pass for French: plain prose by precompiled rules (plainprose.py,
    about a hundred times faster), anything else by polytypo itself."""
    from letterkit.letter import plainprose

    fast = plainprose.transform(markdown)
    if fast is not None:
        return fast
    from polytypo.markdown import transform  # imported here: most commands need no typography

    return transform(markdown, locale="fr", dialect="commonmark")


@cache
def _typeset_paragraph(markdown: str) -> str:
    # A paragraph is typeset once per process, and the letters of a batch, which share most
    # of their paragraphs, reuse it.
    once = french_extras(polytypo_pass(markdown))
    if "*" not in once and "_" not in once:
        return once
    # polytypo 1.16 is not idempotent around some unbalanced emphasis (« 0*:):*:0 »): a
    # second pass reaches the fixed point, so that typesetting a letter twice changes nothing.
    return french_extras(polytypo_pass(once))


def typeset_text(text: str) -> str:
    """The full French typographic pass over plain text (an address line, a name)."""
    from polytypo.text import transform

    return french_extras(transform(str(text), locale="fr"))


SUPERSCRIPT = re.compile(r"(?<![\w])(\d+)(er|re|e|ers|res|es)(?![\w])|\b(n)°|"
                         + ROMAN_ORDINAL)


def superscripts(text: str) -> Iterator[tuple[str, bool]]:
    """Split `text` into (piece, is_superscript): « 1er » → « 1 », « er »; « n° » → « n », « o »;
    « XVIIe » → « XVII », « e »."""
    position = 0
    for match in SUPERSCRIPT.finditer(text):
        groups = match.groups()
        if groups[2]:
            base, sup = groups[2], "o"
        else:
            base, sup = next((groups[i], groups[i + 1]) for i in (0, 3, 5) if groups[i])
        yield text[position:match.start()] + base, False
        yield sup, True
        position = match.end()
    yield text[position:], False
