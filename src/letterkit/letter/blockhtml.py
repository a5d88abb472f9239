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
                kind = "keep"
                if _same_name(match.group(0)) in whole:
                    kind += " whole long" if len(match.group(0)) > LONG_NAME else " whole"
                children += [_token("html_inline", f'<span class="{kind}">'),
                             *_with_superscripts(match.group(0)),
                             _token("html_inline", "</span>")]
                position = match.end()
            children += _with_superscripts(child.content[position:])
        token.children = children


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark without raw HTML: the campaign's prose cannot inject markup."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.core.ruler.push("letterkit_text", _text_rule)
    return md


# Never hyphenated: measure references, inclusive writing (« citoyen·ne·s »), web addresses.
# (Inclusive writing is matched from a word's start only, and a word of LONG_WORD letters or
# more, which no French word is, is never hyphenated but broken anywhere: a 5,000-letter
# « word » in a title is laid out in a moment, not a minute.)
LONG_WORD = 40
_ALWAYS_KEPT = (r"\bmesures?[\s\u00a0]\d+", r"(?<![\w-])[\w-]*\w·[\w·-]*",
                r"\b(?:https?://)?[\w-]+(?:\.[\w-]+)*\.(?:fr|org|com|net|eu|info)\b(?:/\S*)?",
                rf"\w{{{LONG_WORD},}}")


def keep_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Words to keep whole: the proper names given, and those of _ALWAYS_KEPT."""
    words = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    spaced = [r"[\s\u00a0\u202f]+".join(re.escape(word).replace("'", "['’]")
                                          for word in name.split()) for name in words]
    return re.compile("|".join([*(rf"(?<!\w){n}(?!\w)" for n in spaced), *_ALWAYS_KEPT]))


# A name longer than this many characters may not fit the narrowest line it is set on (a
# column of the sign-off, the sender block): it is set so as to wrap inside the line if need be.
LONG_NAME = 30


def _same_name(text: str) -> str:
    """A name as written in the data or as typeset (no-break spaces, ’) reads the same."""
    return " ".join(text.replace("’", "'").split())


def whole_names(context: dict[str, Any]) -> frozenset[str]:
    """The names never broken across lines: the list, the commune, the association."""
    campaign, association = context["campaign"], context["association"]
    return frozenset(_same_name(name) for name in (
        campaign["list_name"], campaign["commune"]["name"], association["short_name"],
        association["name"]) if name)


def proper_names(context: dict[str, Any]) -> list[str]:
    """The list, the commune, the association, its partner and the signatories."""
    campaign, association = context["campaign"], context["association"]
    partner = association["partner"]
    return [campaign["list_name"], campaign["commune"]["name"], association["short_name"],
            association["name"], *([partner["name"]] if partner else []),
            *(s["name"] for s in campaign["signatories"])]


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
