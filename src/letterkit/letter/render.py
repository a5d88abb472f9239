"""Render a letter: the Jinja environment, the template context, the Markdown and the HTML.

A letter template is a set of named blocks (`title`, `salutation`, `body`…). Each block is
rendered to Markdown and typeset once; the Markdown letter joins the blocks, and the HTML page
lays out the same blocks rendered by markdown-it, so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    pass_context,
    pass_eval_context,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import concat
from markupsafe import Markup, escape

if TYPE_CHECKING:  # markdown-it is imported when a page is laid out: `check` needs none
    pass

from letterkit.errors import LetterkitError
from letterkit.letter import french
from letterkit.letter.blockhtml import (
    NBSP_BEFORE_TAG,
    block_html,
    keep_pattern,
    last_words_together,
    markdown_parser,
    proper_names,
    whole_names,
)
from letterkit.letter.context import letter_context
from letterkit.letter.typography import typeset, typeset_text
from letterkit.paths import (
    PAGE_TEMPLATE,
    TEMPLATES_DIR,
    packaged,
    template_dirs,
)
from letterkit.text import Prose, md_escape

# The blocks of a letter, in the order the Markdown letter gives them.
BLOCKS = ("title", "subject", "salutation", "body", "closing", "signature", "place_date",
          "enclosures")
REQUIRED_BLOCKS = ("title", "salutation", "body")


@pass_eval_context
def _finalize(eval_ctx: Any, value: Any) -> Any:
    if eval_ctx.autoescape or isinstance(value, Prose) or not isinstance(value, str):
        return value
    return md_escape(value)


def _join_fr(items: Iterable[str], conjunction: str = "et") -> str:
    items = list(items)
    joined = french.join([i if isinstance(i, Prose) else md_escape(i) for i in items],
                         conjunction)
    return Prose(joined)


@pass_context
def _lcfirst(context: Any, text: str) -> str:
    """Lower-case the first letter (after « Enfin, »), unless it starts a name: a proper name
    of the data, or a word the campaign's text capitalises in mid-sentence."""
    lowered = french.lower_first(text, context.get("names") or frozenset())
    return Prose(lowered) if isinstance(text, Prose) else lowered


def _concat(parts: Iterable[str]) -> str:
    return Prose("".join(parts))


@cache
def environment(root: Path) -> ImmutableSandboxedEnvironment:
    """The environment of the campaign at `root`, made once per process (templates are
    parsed once, however many letters are rendered)."""
    return make_environment(root)


def make_environment(root: Path) -> ImmutableSandboxedEnvironment:
    """The one Jinja environment: sandboxed, strict, escaping for Markdown and for HTML."""
    env = ImmutableSandboxedEnvironment(
        # A campaign's own template can extend letterkit's as "letterkit/NAME".
        loader=ChoiceLoader([
            FileSystemLoader([str(d) for d in template_dirs(root)]),
            PrefixLoader({"letterkit": FileSystemLoader(str(packaged(TEMPLATES_DIR)))}),
        ]),
        undefined=StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith((".html.j2", ".html"))),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # A block's text, `{{ super() }}` included, is the template's own Markdown: never escaped.
    env.concat = _concat  # type: ignore[method-assign]
    env.filters.update(long_date=french.long_date, join_fr=_join_fr, lcfirst=_lcfirst,
                       typeset=typeset_text, inline=_inline)
    return env


# Moved to context.py, blockhtml.py and text.py; still importable from here.
__all__ = ["BLOCKS", "Letter", "Prose", "block_html", "environment",
           "keep_pattern", "letter_context", "make_environment", "markdown_parser", "md_escape",
           "render_letter", "render_page", "template_error"]


# --- Rendering -----------------------------------------------------------------------------

@dataclass
class Letter:
    """A rendered letter: typeset Markdown blocks, in BLOCKS order."""

    blocks: dict[str, str]
    context: dict[str, Any] = field(repr=False)
    french: bool = True  # typeset in French (check renders samples without typography)

    @property
    def markdown(self) -> str:
        return "\n\n".join(text for text in self.blocks.values() if text) + "\n"


_BLOCK_START = re.compile(r"([-*+>#|]|\d+[.)])\s")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"[ \t]+")


def _tidy(text: str) -> str:
    """Template line breaks are not the letter's: a paragraph is one line, then a blank one.

    Lines that start a list item, a heading, a quote or a table row keep their own line.
    """
    paragraphs = []
    for chunk in _BLANK_LINE.split(_SPACES.sub(" ", text)):
        lines = [line for line in (raw.strip() for raw in chunk.split("\n")) if line]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            joined += ("\n" if _BLOCK_START.match(line) else " ") + line
        paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def template_error(exc: TemplateError, name: str) -> LetterkitError:
    """A template problem as one located line."""
    if isinstance(exc, TemplateSyntaxError):
        return LetterkitError(f"template syntax error: {exc.message}",
                              file=f"{TEMPLATES_DIR}/{exc.name or name}", line=exc.lineno,
                              hint="fix the {{ }} or {% %} tag on this line")
    if isinstance(exc, UndefinedError):
        return LetterkitError(f"template uses an undefined variable: {exc.message}",
                              file=f"{TEMPLATES_DIR}/{name}",
                              hint="docs/templates.md lists the variables a letter may use")
    if isinstance(exc, TemplateNotFound):
        return LetterkitError(f"template not found: {exc.name}", file=TEMPLATES_DIR,
                              hint="letter templates are named NAME.md.j2 in templates/letters")
    return LetterkitError(f"template error: {exc}", file=f"{TEMPLATES_DIR}/{name}")


def _user_error(env: ImmutableSandboxedEnvironment, exc: TemplateError,
                name: str) -> LetterkitError | TemplateError:
    """The template problem of the user's as one located line; but a template « not found »
    that is there is a bug of ours, and stays one (its traceback goes to the bug report)."""
    if isinstance(exc, TemplateNotFound) and isinstance(exc.name, str) and env.loader:
        try:
            env.loader.get_source(env, exc.name)
        except TemplateNotFound:
            pass
        else:
            return exc
    return template_error(exc, name)


def render_letter(env: ImmutableSandboxedEnvironment, template_name: str,
                  context: dict[str, Any], french: bool = True) -> Letter:
    """Render every block of the letter template `template_name` (without .md.j2), typeset in
    French unless `french` is false (validation needs no typography)."""
    name = f"{template_name}.md.j2"
    try:
        template = env.get_template(name)
        ctx = template.new_context(context)
        concat(template.root_render_func(ctx))  # resolves {% extends %} into ctx.blocks
        blocks = {block: _tidy(concat(ctx.blocks[block][0](ctx))) if block in ctx.blocks
                  else "" for block in BLOCKS}
    except TemplateError as exc:
        error = _user_error(env, exc, name)
        if error is exc:
            raise
        raise error from exc
    except RecursionError:
        raise LetterkitError("the template extends itself", file=f"{TEMPLATES_DIR}/{name}",
                             hint='to build on letterkit\'s own, write {% extends '
                             f'"letterkit/{name}" %}}') from None
    missing = [b for b in REQUIRED_BLOCKS if not blocks[b]]
    if missing:
        raise LetterkitError(f"the letter template has no {', '.join(missing)} block",
                             file=f"{TEMPLATES_DIR}/{name}",
                             hint="a letter template defines {% block title %}, "
                             "{% block salutation %} and {% block body %}")
    return Letter({b: typeset(text) if text and french else text
                   for b, text in blocks.items()}, context, french)


@pass_context
def _inline(context: Any, text: str) -> Markup:
    """For page.html.j2: one line of the letter's text (a signature, a name) as the letter's
    blocks are set: French typography, Markdown for the campaign's own text, names kept whole
    (escaped text only when the page is laid out without Markdown, for validation)."""
    if not context.get("markdown", True):
        return escape(text)
    markdown = text if isinstance(text, Prose) else md_escape(text)
    if context.get("french", True):
        markdown = typeset(markdown)
    guards = {"keep": keep_pattern(proper_names(context)), "whole": whole_names(context)}
    html = markdown_parser().renderInline(markdown, guards)
    return Markup(NBSP_BEFORE_TAG.sub(r"\2\1", html))


def render_page(env: ImmutableSandboxedEnvironment, letter: Letter,
                metadata: dict[str, Any], markdown: bool = True) -> str:
    """The HTML page for the PDF: the letter's blocks laid out by page.html.j2 (as escaped
    text, not Markdown, when `markdown` is false: validation needs only the page's variables)."""
    if markdown:
        keep, whole = keep_pattern(proper_names(letter.context)), whole_names(letter.context)
        blocks = {name: block_html(last_words_together(text) if name == "title" else text,
                                   keep, whole) for name, text in letter.blocks.items()}
    else:
        blocks = {name: escape(text) for name, text in letter.blocks.items()}
    try:
        return str(env.get_template(PAGE_TEMPLATE).render(  # a plain str, not Prose
            letter.context, blocks=blocks, metadata=metadata, french=letter.french,
            markdown=markdown))
    except TemplateError as exc:
        error = _user_error(env, exc, PAGE_TEMPLATE)
        if error is exc:
            raise
        raise error from exc
