"""Render a letter: the Jinja environment, the template context, the Markdown and the HTML.

A letter template is a set of named blocks (`title`, `salutation`, `body`…). Each block is
rendered to Markdown and typeset once; the Markdown letter joins the blocks, and the HTML page
lays out the same blocks rendered by markdown-it, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

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
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from letterkit import french
from letterkit.data import Project
from letterkit.errors import LetterkitError, Problem
from letterkit.models import Association
from letterkit.paths import (
    DEFAULT_TEMPLATE,
    PAGE_TEMPLATE,
    TEMPLATES_DIR,
    packaged,
    template_dirs,
)
from letterkit.select import Selection, select
from letterkit.text import clean
from letterkit.typography import superscripts, typeset, typeset_text

# The blocks of a letter, in the order the Markdown letter gives them.
BLOCKS = ("title", "subject", "salutation", "body", "closing", "signature", "place_date",
          "enclosures")
REQUIRED_BLOCKS = ("title", "salutation", "body")


class Prose(str):
    """The campaign's own text: Markdown by design, rendered as written.

    Any other string reaching a template (an association's name, a document title, text from
    the command line) is escaped, so that it always reads literally.
    """


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")


def md_escape(text: str) -> str:
    """Make third-party text read literally in Markdown: one line, no markup, no controls."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(clean(str(text)).split()))


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
    """Lower-case the first letter (after « Enfin, »), unless it starts a proper name."""
    campaign = context.get("campaign") or {}
    names = [campaign.get("list_name", ""), campaign.get("commune", {}).get("name", "")]
    if not text or text[:2].isupper() or any(n and text.startswith(n) for n in names):
        return text
    lowered = text[0].lower() + text[1:]
    return Prose(lowered) if isinstance(text, Prose) else lowered


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
    env.filters.update(long_date=french.long_date, join_fr=_join_fr, lcfirst=_lcfirst,
                       typeset=typeset_text)
    return env


# --- The context ---------------------------------------------------------------------------

def _trusted(value: Any) -> Any:
    """The campaign's data as plain values, its text marked as Prose."""
    if hasattr(value, "model_dump"):
        return {k: _trusted(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, list):
        return [_trusted(v) for v in value]
    if isinstance(value, dict):
        return {k: _trusted(v) for k, v in value.items()}
    return Prose(value) if isinstance(value, str) else value


def _association(association: Association) -> dict[str, Any]:
    """Third-party data: plain strings, escaped when rendered; grammar ready for French."""
    document = association.document
    partner = association.partner
    return {
        "short_name": association.short_name,
        "name": association.full_name,
        "salutation": association.salutation,
        "local": association.local,
        "address": list(association.address),
        "subject": association.subject,
        "document": {
            "kind": document.kind,
            "title": document.title,
            "feminine": document.feminine,
            "le": Prose(french.article(document.title or document.kind, document.feminine)),
            "au": Prose(french.to_article(document.title or document.kind, document.feminine)),
            "e": Prose("e" if document.feminine else ""),
        },
        "partner": partner and {
            "name": partner.name,
            "de_laquelle": Prose("de laquelle" if partner.gender == "f" else "duquel"),
        },
    }


def _unique(texts: Iterable[str | None]) -> list[Prose]:
    return [Prose(t) for t in dict.fromkeys(t for t in texts if t)]


def letter_context(project: Project, association: Association, selection: Selection,
                   date: dt.date) -> dict[str, Any]:
    """Everything a letter template may use; docs/templates.md documents each name."""
    themes = [project.program.themes[tag] for tag in selection.themes]
    campaign = _trusted(project.campaign)
    campaign["place"] = Prose(project.campaign.place_name)
    closing = project.campaign.closing.replace("{salutation}", md_escape(association.salutation))
    recipient = _association(association)
    return {
        "campaign": campaign,
        "association": recipient,
        "document": recipient["document"],
        "themes": [{"tag": tag, **_trusted(theme)} for tag, theme in
                   zip(selection.themes, themes, strict=True)],
        "visions": _unique(t.vision for t in themes),
        "beyond": _unique(t.beyond for t in themes),
        "paragraphs": [{"lead": Prose(p.lead) if p.lead else None,
                        "body": Prose(" ".join(p.sentences)),
                        "measures": [m.number for m in p.measures]}
                       for p in selection.paragraphs],
        "measures": [m.number for m in selection.measures],
        "date": date,
        "rounds": french.rounds_to_come(project.campaign.election_rounds, date),
        "closing": Prose(closing),
    }


# --- Rendering -----------------------------------------------------------------------------

@dataclass
class Letter:
    """A rendered letter: typeset Markdown blocks, in BLOCKS order."""

    blocks: dict[str, str]
    context: dict[str, Any] = field(repr=False)

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
        raise template_error(exc, name) from exc
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
                   for b, text in blocks.items()}, context)


def _token(kind: str, content: str) -> Token:
    token = Token(kind, "", 0)
    token.content = content
    return token


def _with_superscripts(text: str) -> list[Token]:
    return [_token("html_inline", f"<sup>{piece}</sup>") if sup else _token("text", piece)
            for piece, sup in superscripts(text) if piece]


def _text_rule(state: StateCore) -> None:
    """In text only (never code or attributes): ordinals and « n° » in superscript, and the
    words that must never be hyphenated (`env["keep"]`) wrapped in <span class="keep">."""
    keep: re.Pattern[str] | None = state.env.get("keep")
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
                children += [_token("html_inline", '<span class="keep">'),
                             *_with_superscripts(match.group(0)),
                             _token("html_inline", "</span>")]
                position = match.end()
            children += _with_superscripts(child.content[position:])
        token.children = children


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark without raw HTML: the campaign's prose cannot inject markup."""
    md = MarkdownIt("commonmark", {"html": False})
    md.core.ruler.push("letterkit_text", _text_rule)
    return md


# Never hyphenated: measure references, inclusive writing (« citoyen·ne·s »), web addresses.
_ALWAYS_KEPT = (r"\bmesures?[\s\u00a0]\d+", r"[\w-]*\w·[\w·-]*", r"\b(?:https?://)?[\w-]+(?:\.[\w-]+)*"
                r"\.(?:fr|org|com|net|eu|info)\b(?:/\S*)?")


def keep_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Words to keep whole: the proper names given, and those of _ALWAYS_KEPT."""
    words = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    spaced = [r"[\s\u00a0\u202f]+".join(map(re.escape, name.split())) for name in words]
    return re.compile("|".join([*(rf"(?<!\w){n}(?!\w)" for n in spaced), *_ALWAYS_KEPT]))


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
_NBSP_BEFORE_TAG = re.compile("([\u00a0\u202f])(<(?:em|strong|a|sup|span)\\b[^>]*>)")


def block_html(markdown: str, keep: re.Pattern[str] | None = None) -> Markup:
    """One block of the letter as HTML."""
    html = markdown_parser().render(markdown, {"keep": keep})
    return Markup(_NBSP_BEFORE_TAG.sub(r"\2\1", html))


def render_page(env: ImmutableSandboxedEnvironment, letter: Letter,
                metadata: dict[str, Any]) -> str:
    """The HTML page for the PDF: the letter's blocks laid out by page.html.j2."""
    keep = keep_pattern(proper_names(letter.context))
    blocks = {name: block_html(text, keep) for name, text in letter.blocks.items()}
    try:
        return env.get_template(PAGE_TEMPLATE).render(
            letter.context, blocks=blocks, metadata=metadata)
    except TemplateError as exc:
        raise template_error(exc, PAGE_TEMPLATE) from exc


def check_templates(project: Project | None, root: Path) -> list[Problem]:
    """Every template compiles; with valid data, every letter template and the page render
    for a sample letter (the first association, every theme), so no variable is undefined."""
    env = make_environment(root)
    names = sorted({n for n in env.list_templates(filter_func=lambda n: n.endswith(".j2"))
                    if not n.startswith("letterkit/")})
    problems, compiled = [], []
    for name in names:
        try:
            env.get_template(name)
            compiled.append(name)
        except TemplateError as exc:
            problems.append(template_error(exc, name).problem)
    if project is None or not project.associations or not project.program.measures:
        return problems  # nothing to render a sample letter with
    selection = select(project.program, list(project.program.themes))
    context = letter_context(project, project.associations[0], selection,
                             min(project.campaign.election_rounds, default=dt.date.today()))
    # A questionnaire's letter (compose --answers) also has its questions: a sample one.
    from letterkit.answers import sample_questions

    context["questions"] = sample_questions(context)
    for name in compiled:
        if not name.endswith(".md.j2"):
            continue
        try:
            letter = render_letter(env, name.removesuffix(".md.j2"), context, french=False)
            if name == f"{DEFAULT_TEMPLATE}.md.j2":
                render_page(env, letter, dict.fromkeys(
                    ("title", "author", "subject", "keywords", "date"), ""))
        except LetterkitError as exc:
            problems.append(exc.problem)
    return problems
