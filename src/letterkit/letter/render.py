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
from letterkit.i18n import N_, _, ngettext
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
from letterkit.text import Prose, either, md_escape

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


# Jinja's messages for the usual mistakes in a template, in Jinja's words (a placeholder
# stands for what Jinja quotes): said in the interface's language when every sentence of a
# message is one of them; else the message is shown as Jinja words it.
JINJA_MESSAGES = (
    N_("'{name}' is undefined"),
    N_("'{kind} object' has no attribute '{name}'"),
    N_("'None' has no attribute '{name}'"),
    N_("{kind} object has no element {index}"),
    N_("access to attribute '{name}' of '{kind}' object is unsafe."),
    N_("Encountered unknown tag '{name}'."),
    N_("Unexpected end of template."),
    N_("Jinja was looking for the following tags: {tags}."),
    N_("You probably made a nesting mistake. Jinja is expecting this tag, but currently "
       "looking for {tags}."),
    N_("The innermost block that needs to be closed is '{name}'."),
    N_("unexpected end of template, expected '{token}'."),
    N_("expected token '{token}', got '{got}'"),
    N_("unexpected '{char}', expected '{expected}'"),
    N_("unexpected '{char}'"),
    N_("unexpected char '{char}' at {position}"),
    N_("tag name expected"),
    N_("Block names in Jinja have to be valid Python identifiers and may not contain "
       "hyphens, use an underscore instead."),
)
# What Jinja calls the pieces of a template it expected or met (the others are the text).
JINJA_TOKENS = {token: token for token in (
    N_("begin of print statement"), N_("end of print statement"),
    N_("begin of statement block"), N_("end of statement block"), N_("begin of comment"),
    N_("end of comment"), N_("end of template"), N_("template data / text"), N_("name"),
    N_("string"), N_("integer"), N_("float"))}


def _pattern(english: str) -> re.Pattern[str]:
    """`english` as a regular expression: its placeholders catch what Jinja put there."""
    pieces = re.split(r"\{(\w+)\}", english)
    regex = "".join(re.escape(piece) if i % 2 == 0
                    else f"(?P<{piece}>.+?)" if piece == "tags" else f"(?P<{piece}>[^']+?)"
                    for i, piece in enumerate(pieces))
    return re.compile(regex + "(?= |$)")


_JINJA_PATTERNS = [(english, _pattern(english)) for english in JINJA_MESSAGES]


def _either(names: list[str]) -> str:
    """« 'a' or 'b' or 'c' », each name in quotes, in the interface's language."""
    return either(_("'{name}'").format(name=_(JINJA_TOKENS.get(n, n))) for n in names)


def jinja_message(message: str) -> str:
    """Jinja's `message` in the interface's language, sentence by sentence, when Jinja's words
    are known (JINJA_MESSAGES); else as Jinja gives it. As a clause, like letterkit's own
    messages after « file, line N: »: no capital first (but Jinja's name), no final period."""
    said = _jinja_sentences(message.strip())
    return french.lower_first(said, frozenset({"Jinja"})).removesuffix(".")


def _jinja_sentences(message: str) -> str:
    said, rest = [], message
    while rest:
        found = next(((english, match) for english, pattern in _JINJA_PATTERNS
                      if (match := pattern.match(rest))), None)
        if found is None:
            return message
        english, match = found
        values = match.groupdict()
        if "tags" in values:
            names = re.findall(r"'([^']*)'", values["tags"])
            if " or ".join(f"'{n}'" for n in names) != values["tags"]:
                return message
            values["tags"] = _either(names)
        values = {key: value if key == "tags" else _(JINJA_TOKENS.get(value, value))
                  for key, value in values.items()}
        said.append(_(english).format(**values) if values else _(english))
        rest = rest[match.end():].lstrip(" ")
    return " ".join(said)


def template_error(exc: TemplateError, name: str) -> LetterkitError:
    """A template problem as one located line."""
    if isinstance(exc, TemplateSyntaxError):
        return LetterkitError(
            _("template syntax error: {error}").format(error=jinja_message(exc.message or "")),
            file=f"{TEMPLATES_DIR}/{exc.name or name}", line=exc.lineno,
            hint=_("fix the {{ }} or {% %} tag on this line"))
    if isinstance(exc, UndefinedError):
        return LetterkitError(
            _("template uses an undefined variable: {error}").format(
                error=jinja_message(exc.message or "")),
            file=f"{TEMPLATES_DIR}/{name}",
            hint=_("docs/templates.md lists the variables a letter may use"))
    if isinstance(exc, TemplateNotFound):
        return LetterkitError(_("template not found: {name}").format(name=exc.name),
                              file=TEMPLATES_DIR,
                              hint=_("letter templates are named NAME.md.j2 in templates/letters"))
    return LetterkitError(_("template error: {error}").format(error=jinja_message(str(exc))),
                          file=f"{TEMPLATES_DIR}/{name}")


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
        raise LetterkitError(_("the template extends itself"), file=f"{TEMPLATES_DIR}/{name}",
                             hint=_("to build on letterkit's own, write {tag}").format(
                                 tag=f'{{% extends "letterkit/{name}" %}}')) from None
    missing = [b for b in REQUIRED_BLOCKS if not blocks[b]]
    if missing:
        raise LetterkitError(
            ngettext("the letter template has no {blocks} block",
                     "the letter template has no {blocks} blocks", len(missing)).format(
                blocks=", ".join(missing)),
            file=f"{TEMPLATES_DIR}/{name}",
            hint=_("a letter template defines {% block title %}, {% block salutation %} and "
                   "{% block body %}"))
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
