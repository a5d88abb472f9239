"""French grammar the letters need: lists, articles, dates. Pure functions on text."""

from __future__ import annotations

import datetime as dt
import re

from letterkit import i18n
from letterkit.i18n import _
from letterkit.letter.elision import vowel_sound


def join(items: list[str], conjunction: str = "et") -> str:
    """Join items the French way: « A », « A et B », « A, B et C » (no serial comma, unless
    a member of the coordination holds the conjunction: `_set_off`)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _set_off(items[-2], conjunction, items[-1]) \
        + f"{conjunction} " + items[-1]


def _set_off(before: str, conjunction: str, after: str = "") -> str:
    """« , » when a member on either side of a coordinating conjunction (« et », « ou »,
    « ni ») holds that conjunction itself: « annulerons A et classerons B, et ferons C »,
    « rendrons A (mesure 12), et élargirons B et abaisserons C (mesure 13) » — without the
    comma, the reader cannot tell which « et » joins the members. An « et » between quotes
    or brackets (« accessibilité et handicap », « (de jour et de nuit) ») is closed off
    already. Else a plain space."""
    word = conjunction.split()[0].lower() if conjunction.split() else ""
    if word in ("et", "ou", "ni") and any(
            re.search(rf"(?<!\w){word}(?!\w)", re.sub(r"«[^«»]*»|\([^()]*\)", "", member),
                      re.IGNORECASE) for member in (before, after)):
        return ", "
    return " "


def elides(word: str) -> bool:
    """Whether « le », « la » before this word become « l’ » (a vowel, a mute h)."""
    return vowel_sound(word)


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
    """The election rounds on or after `today`, as a letter names them (the day itself
    counts: polling stations are open).

    « les 15 et 22 mars prochains », « le 22 mars prochain », « aujourd’hui et le 22 mars
    prochain », « aujourd’hui », or None once they are past.
    """
    ahead = [r for r in rounds if r >= today]
    if not ahead:
        return None
    if ahead[0] == today:
        later = rounds_to_come(ahead[1:], today + dt.timedelta(days=1))
        return "aujourd’hui" + (f" et {later}" if later else "")
    if len(ahead) == 1:
        return f"le {day_month(ahead[0])} prochain"
    first, last = ahead[0], ahead[-1]
    if first.month == last.month:
        days = join(["1er" if d.day == 1 else str(d.day) for d in ahead])
        return f"les {days} {month_name(first.month)} prochains"
    return f"les {join([day_month(d) for d in ahead])} prochains"


def shown_date(day: dt.date) -> str:
    """A letter's date in a message: « 2 mars 2026 » in French, 2026-03-02 in English."""
    return long_date(day) if i18n.FRENCH else day.isoformat()


def election_warning(rounds: list[dt.date], day: dt.date) -> str | None:
    """What the Code électoral (art. L49) forbids on `day`, if it is the eve or the day of a
    round: from the eve at 0 h no electoral message by electronic means, on the day no
    distribution at all."""
    shown = shown_date(day)
    if day in rounds:
        return _("the letter is dated {day}, an election day: the Code électoral (art. L49) "
                 "forbids distributing it today, and sending it electronically since the eve "
                 "at 0 h").format(day=shown)
    if day + dt.timedelta(days=1) in rounds:
        return _("the letter is dated {day}, the eve of an election round: the Code électoral "
                 "(art. L49) forbids sending it electronically (e-mail, website) from 0 h "
                 "today, and distributing it tomorrow").format(day=shown)
    return None


# --- Assembling sentences -------------------------------------------------------------------

# Markup, quotes and spaces that may stand before a word without changing its grammar.
_LEADING = re.compile(r"^[\s\u00a0\u202f*_«“\"(]*")
_FIRST_WORD = re.compile(r"^([\s\u00a0\u202f*_«“\"(]*)([^\W\d_][\w’'-]*)")

# The little words that elide before a vowel, and how they read elided.
_ELIDING = {"que": "qu’", "de": "d’", "le": "l’", "la": "l’", "ne": "n’", "se": "s’",
            "ce": "c’", "je": "j’", "me": "m’", "te": "t’", "jusque": "jusqu’",
            "lorsque": "lorsqu’", "puisque": "puisqu’", "quoique": "quoiqu’"}
# « à le » → « au »: the prepositions that contract with the article after them.
_CONTRACTED = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


def starts_with_vowel_sound(text: str) -> bool:
    """Whether `text` (markup and quotes aside) begins with a vowel or a mute h (the h aspiré
    words are a dictionary's: elision.py)."""
    return vowel_sound(_LEADING.sub("", text))


def _same_case(word: str, like: str) -> str:
    return word[0].upper() + word[1:] if like[:1].isupper() else word


def glue(before: str, after: str) -> str:
    """`before` and `after` joined by a space, with the elision or contraction French makes
    at the seam: « ainsi que » + « un pass » → « ainsi qu’un pass », « de » + « le
    quartier » → « du quartier », « que » + « **une ville** » → « qu’**une ville** »."""
    before = before.rstrip()
    after = after.lstrip()
    if not before:
        return after
    if not after:
        return before
    last = re.search(r"(\w+)$", before)
    if last:
        word = last.group(1).lower()
        head = before[: last.start()]
        if word in _ELIDING and starts_with_vowel_sound(after):
            return head + _same_case(_ELIDING[word], last.group(1)) + after
        first = _FIRST_WORD.match(after)
        if first and not first.group(1) and (word, first.group(2).lower()) in _CONTRACTED:
            contracted = _CONTRACTED[(word, first.group(2).lower())]
            return head + _same_case(contracted, last.group(1)) + after[first.end():]
    return f"{before} {after}"


def join_glued(items: list[str], conjunction: str = "et") -> str:
    """Like `join`, eliding at the conjunction: « A ainsi qu’un B »."""
    if len(items) <= 1:
        return "".join(items)
    return glue(", ".join(items[:-1]) + _set_off(items[-2], conjunction, items[-1]).rstrip()
                + f" {conjunction}", items[-1])


def upper_first(text: str) -> str:
    """The first letter in capitals, markup and quotes aside: « **le** » → « **Le** »."""
    lead = _LEADING.match(text)
    i = lead.end() if lead else 0
    return text[:i] + text[i:i + 1].upper() + text[i + 1:]


def lower_first(text: str, names: frozenset[str] = frozenset()) -> str:
    """The first letter in lower case, as after « Enfin, », unless the text starts with a
    name: one of `names` (a proper name of the data, or a word its texts capitalise in
    mid-sentence), an acronym (« ESB »), a word with a capital inside it, or a capitalised
    word followed by another (« Orléans Métropole »). An article (« Les », « Un ») is lowered
    unless a whole name of `names` starts with it (« Les Fileuses »)."""
    first = _FIRST_WORD.match(text)
    if not first:
        return text
    word = first.group(2)
    rest = text[len(first.group(1)):]
    if any(" " in n and (rest + " ").startswith(n + " ") for n in names):
        return text
    if word.lower() not in _DETERMINERS:
        if word in names or any(c.isupper() for c in word[1:]):
            return text
        following = re.match(r"\s+(?:(?:de|du|des|la|le|sur|en|d’|d')\s*)?([^\W\d_])",
                             text[first.end():])
        if following and following.group(1).isupper():
            return text
    i = len(first.group(1))
    return text[:i] + text[i].lower() + text[i + 1:]


_DETERMINERS = {"le", "la", "les", "l’", "l'", "un", "une", "des", "du", "ce", "cet", "cette",
                "ces", "chaque", "notre", "nos", "votre", "vos", "son", "sa", "ses", "leur",
                "leurs", "tout", "toute", "tous", "toutes"}

_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|«\s*|\(\s*|\n)$")


def capitalised_words(texts: list[str]) -> frozenset[str]:
    """The words written with a capital in the middle of a sentence somewhere in `texts`:
    names for the data that holds them (« Val de Loire Métropole », « Bellerive »)."""
    found = set()
    for text in texts:
        plain = text.replace("*", "").replace("_", "")
        for match in re.finditer(r"[^\W\d_][\w’'-]*", plain):
            word = match.group(0)
            if word[0].isupper() and not _SENTENCE_START.search(plain[: match.start()]):
                found.add(word)
    return frozenset(found)


def remove_connective(text: str, connective: str) -> str:
    """`text` without the linking words `connective` (« D’ailleurs, », « également »), once,
    the sentence capitalised again if they opened it. Unchanged if they are not in it."""
    wanted = connective.strip().replace("'", "’")
    normal = text.replace("'", "’")
    index = normal.find(wanted)
    if index < 0:
        index = normal.lower().find(wanted.lower())
    if index < 0:
        return text
    before, after = text[:index], text[index + len(wanted):]
    if not _LEADING.sub("", before):  # the connective opened the sentence
        return before + upper_first(after.lstrip(" ,"))
    before = before.rstrip()
    if wanted.endswith(",") and before.endswith(","):  # « …, par ailleurs, … »
        before = before[:-1]
    after = after.lstrip()
    if after[:1] in ",.;:!?)":
        return before + after
    return f"{before} {after}"


# --- The letter's formulas ------------------------------------------------------------------

# Forms of address whose first word is an adjective: lower case inside a sentence (« nous vous
# prions d’agréer, chère Madame, … »). Titles (Madame, Monsieur, Maître…) keep their capital.
_ADDRESS_ADJECTIVES = {"cher", "chère", "chers", "chères", "très"}


def salutation_in_sentence(salutation: str) -> str:
    """The salutation as it reads repeated inside the closing formula."""
    first, _, rest = salutation.partition(" ")
    if first.lower() in _ADDRESS_ADJECTIVES:
        return first.lower() + (" " + rest if rest else "")
    return salutation


_MORE_VISIONS = ("Nous pensons de même que", "Nous croyons également que",
                 "Nous partageons encore la conviction que")


def shared_visions(visions: list[str], names: frozenset[str] = frozenset()) -> str:
    """The visions shared with an association, after « … une vision commune : », as
    sentences: « A. Comme vous, nous pensons que B. Nous sommes convaincus, enfin,
    que C. » (no final period)."""
    if len(visions) <= 1:
        return "".join(visions)
    sentences = [visions[0]]
    middle, last = visions[1:-1], visions[-1:]
    sentences.append(glue("Comme vous, nous pensons que",
                          lower_first((middle or last)[0], names)))
    for index, vision in enumerate(middle[1:]):
        opening = _MORE_VISIONS[index % len(_MORE_VISIONS)]
        sentences.append(glue(opening, lower_first(vision, names)))
    if middle:
        sentences.append(glue("Nous sommes convaincus, enfin, que",
                              lower_first(last[0], names)))
    return ". ".join(sentences)
