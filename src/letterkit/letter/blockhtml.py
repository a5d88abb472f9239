"""A letter's Markdown blocks as HTML, for the page the PDF is made from: markdown-it without
raw HTML, ordinals in superscript, names and references guarded from hyphenation and line
breaks, and a WeasyPrint workaround. markdown-it is imported only when a page is laid out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from letterkit.letter.typography import superscripts

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token


def _token(kind: str, content: str) -> Token:
    from markdown_it.token import Token

    token = Token(kind, "", 0)
    token.content = content
    return token


def _with_superscripts(text: str) -> list[Token]:
    return [_token("html_inline", f"<sup>{piece}</sup>") if sup else _token("text", piece)
            for piece, sup in superscripts(text) if piece]


def _text_rule(state: StateCore) -> None:
    """In text only (never code or attributes): ordinals and « n° » in superscript, and the
    words that must never be hyphenated (`env["keep"]`) wrapped in <span class="keep">; those
    that must not be broken across lines either (`env["whole"]`) in <span class="keep whole">
    (« keep whole long » beyond LONG_NAME characters)."""
    keep: re.Pattern[str] | None = state.env.get("keep")
    whole: frozenset[str] = state.env.get("whole") or frozenset()
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type != "text":
                children.append(child)
                continue
            position = 0
            for match in keep.finditer(child.content) if keep else ():
                children += _with_superscripts(child.content[position:match.start()])
                children += _kept(match.group(0), whole)
                position = match.end()
            children += _with_superscripts(child.content[position:])
        token.children = children


def _kept(word: str, whole: frozenset[str]) -> list[Token]:
    """A kept word's tokens: in <span class="keep"> (« keep whole », « keep whole long »); a
    name's hyphenated parts (« Kergoat-Fontenelle ») in <span class="compound">, never broken
    at their hyphens."""
    kind = "keep"
    if same_name(word) in {same_name(name) for name in whole}:
        kind += " whole long" if len(word) > LONG_NAME else " whole"
    inner: list[Token] = []
    for piece in re.split(r"(\S+)", word):
        if "-" in piece and " whole" not in kind and not _URL.fullmatch(piece):
            inner += [_token("html_inline", '<span class="compound">'),
                      *_with_superscripts(piece), _token("html_inline", "</span>")]
        else:
            inner += _with_superscripts(piece)
    return [_token("html_inline", f'<span class="{kind}">'), *inner,
            _token("html_inline", "</span>")]


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark without raw HTML: the campaign's prose cannot inject markup."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.core.ruler.push("letterkit_text", _text_rule)
    return md


# Never hyphenated: measure references, inclusive writing (« citoyen·ne·s »), web addresses,
# capitalised compound names (« gymnase Jean-Bouin »: broken only at a space, too).
# (Inclusive writing is matched from a word's start only, and a word of LONG_WORD letters or
# more, which no French word is, is never hyphenated but broken anywhere: a 5,000-letter
# « word » in a title is laid out in a moment, not a minute.)
LONG_WORD = 40
_URL_PATTERN = (r"\b(?:https?://)?[\w-]+(?:\.[\w-]+)*\.(?:fr|org|com|net|eu|info)\b"
                r"(?:/\S*)?")
_URL = re.compile(_URL_PATTERN)
_ALWAYS_KEPT = (r"\bmesures?[\s\u00a0]\d+", r"(?<![\w-])[\w-]*\w·[\w·-]*", _URL_PATTERN,
                r"\b[A-ZÀ-Ý][\w’']*(?:-[\w’']+)+", rf"\w{{{LONG_WORD},}}")
# A name's final punctuation, which the text may leave out (« chez Clamart à gauche. »).
_FINAL = re.compile(r"[\s\u00a0\u202f]*[!?…]$")


def keep_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Words to keep whole: the proper names given, and those of _ALWAYS_KEPT."""
    words = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    return re.compile("|".join([*map(_name_pattern, words), *_ALWAYS_KEPT]))


def _name_pattern(name: str) -> str:
    """A name, its spaces of any kind, its final « ! » optional."""
    core = _FINAL.sub("", name)
    final = name[len(core):].strip()
    optional = rf"(?:[\s\u00a0\u202f]*{re.escape(final)})?" if final else ""
    return rf"(?<!\w){_spaced(core)}{optional}(?!\w)"


def _spaced(name: str) -> str:
    return r"[\s\u00a0\u202f]+".join(re.escape(word).replace("'", "['’]")
                                      for word in name.split())


# A name longer than this many characters may not fit the narrowest line it is set on (a
# column of the sign-off, the sender block): it is set so as to wrap inside the line if need be.
LONG_NAME = 30


def same_name(text: str) -> str:
    """A name as written in the data or as typeset (no-break spaces, ’, with or without its
    final « ! ») reads the same."""
    return _FINAL.sub("", " ".join(text.replace("’", "'").split()))


def whole_names(context: dict[str, Any]) -> frozenset[str]:
    """The names never broken across lines: the list, the commune, the association."""
    campaign, association = context["campaign"], context["association"]
    return frozenset(same_name(name) for name in (
        campaign["list_name"], campaign["commune"]["name"], association["short_name"],
        association["name"]) if name)


def proper_names(context: dict[str, Any]) -> list[str]:
    """The list, the commune, the association, its partner and the signatories."""
    campaign, association = context["campaign"], context["association"]
    partner = association["partner"]
    return [campaign["list_name"], campaign["commune"]["name"], association["short_name"],
            association["name"], *([partner["name"]] if partner else []),
            *(s["name"] for s in campaign["signatories"])]


def last_words_together(markdown: str) -> str:
    """A title's last two words joined by a no-break space: its last line never holds one
    word alone."""
    head, space, tail = markdown.rstrip().rpartition(" ")
    return f"{head}\u00a0{tail}" if space and head.strip() else markdown


# WeasyPrint (70) finds no line break in a paragraph where a no-break space stands just before
# an inline element (« «\u00a0<em>… »): the line ends at its first word. The same space moved
# inside the element looks the same and breaks well.
NBSP_BEFORE_TAG = re.compile("([\u00a0\u202f])(<(?:em|strong|a|sup|span)\\b[^>]*>)")


@lru_cache(maxsize=512)
def block_html(markdown: str, keep: re.Pattern[str] | None = None,
               whole: frozenset[str] = frozenset()) -> Markup:
    """One block of the letter as HTML; the words `keep` matches are never hyphenated, and
    those of them in `whole` never broken across lines. (Made once per process: the letters
    of a batch share most of their blocks.)"""
    html = markdown_parser().render(markdown, {"keep": keep, "whole": whole})
    return Markup(NBSP_BEFORE_TAG.sub(r"\2\1", html))
