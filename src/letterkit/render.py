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
from functools import cache, lru_cache
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
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

from letterkit import french
from letterkit.data import Project
from letterkit.errors import LetterkitError, Problem
from letterkit.models import Association, Campaign, Document
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


# « ! » only opens an image before « [ »: elsewhere (« Loire ! ») it stays bare, so that
# typography gives it its thin no-break space.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&]|!(?=\[))")


# What would start a list, a heading, a rule or a quote at the start of a line: « - », « + »,
# « = », « 1. », « 1) » (« # », « > », « * » and « _ » are escaped everywhere).
_MD_BLOCK_START = re.compile(r"^([-+=]|\d{1,9}(?=[.)]))")


def md_escape(text: str) -> str:
    """Make third-party text read literally in Markdown: one line, no markup, no controls,
    and no block marker at its start (« 1. Madame » is not a list)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(clean(str(text)).split()))
    return _MD_BLOCK_START.sub(lambda m: m[0] + "\\" if m[0][0].isdigit() else "\\" + m[0],
                               escaped)


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


def _titled_by_kind(document: Document) -> bool:
    """Whether the title begins with the document's kind (« plaidoyer pour … »)."""
    title, kind = (document.title or "").casefold(), document.kind.casefold()
    return title.startswith(kind) and not title[len(kind):len(kind) + 1].isalpha()


def _document(document: Document) -> dict[str, Any]:
    """The document, and the ways a letter names it: « au plaidoyer pour … » when the title
    starts with its kind, « au manifeste « Pour que vive … » » when it does not."""
    kind, title = md_escape(document.kind), md_escape(document.title or "")
    if not document.title:
        named = quoted = kind
    elif _titled_by_kind(document):
        named, quoted = title, f"« *{title}* »"
    else:
        named, quoted = f"{kind} « {title} »", f"{kind} « *{title}* »"
    first = document.title if document.title and _titled_by_kind(document) else document.kind
    return {
        "kind": document.kind,
        "title": document.title,
        "feminine": document.feminine,
        "signed": document.signed,
        "named": Prose(named),
        "quoted": Prose(quoted),
        "le": Prose(french.article(first, document.feminine)),
        "au": Prose(french.to_article(first, document.feminine)),
        "e": Prose("e" if document.feminine else ""),
        "pronoun": Prose("la" if document.feminine else "le"),
    }


def _association(association: Association, campaign: Campaign,
                 enclosures: list[str]) -> dict[str, Any]:
    """Third-party data: plain strings, escaped when rendered; grammar ready for French."""
    partner = association.partner
    feminine = association.feminine
    commune = campaign.commune
    gentile = (commune.gentile_feminine if feminine else commune.gentile) \
        if association.local else None
    kind = md_escape(association.kind)
    designation = french.article(association.kind, feminine) + " ".join(
        [kind, *([gentile] if gentile else []), md_escape(association.short_name)])
    return {
        "short_name": association.short_name,
        "name": association.full_name,
        "kind": association.kind,
        "feminine": feminine,
        "le": Prose(french.article(association.kind, feminine)),
        "e": Prose("e" if feminine else ""),
        "gentile": gentile,
        "designation": Prose(designation),
        "salutation": association.salutation,
        "local": association.local,
        "email": association.email,
        "address": list(association.address),
        "subject": association.subject,
        "paragraph": Prose(association.paragraph) if association.paragraph else None,
        "enclosures": enclosures,
        "document": _document(association.document),
        "partner": partner and {
            "name": partner.name,
            "member": partner.member,
            "de_laquelle": Prose("de laquelle" if partner.gender == "f" else "duquel"),
        },
    }


def _unique(texts: Iterable[str | None]) -> list[Prose]:
    return [Prose(t) for t in dict.fromkeys(t for t in texts if t)]


@cache
def _capitalised(texts: tuple[str, ...]) -> frozenset[str]:
    return french.capitalised_words(list(texts))


def names(project: Project, association: Association) -> frozenset[str]:
    """Words that are names, never lower-cased after « Enfin, »: the proper names of the data
    and the words its text capitalises in mid-sentence (« Val de Loire Métropole »)."""
    campaign, program = project.campaign, project.program
    texts = [campaign.presentation, campaign.ambition or "", campaign.call_to_vote or "",
             *(m.text for m in program.measures),
             *(p.lead or "" for p in program.paragraphs),
             *(s.intro or "" for p in program.paragraphs for s in p.sentences),
             *(t.vision or "" for t in program.themes.values()),
             *(t.beyond or "" for t in program.themes.values())]
    proper = [campaign.list_name, campaign.commune.name, association.short_name,
              association.full_name, *(s.name for s in campaign.signatories),
              *([association.partner.name] if association.partner else [])]
    return _capitalised(tuple(texts)) | {n.strip() for n in proper if n.strip()}


def letter_context(project: Project, association: Association, selection: Selection,
                   date: dt.date) -> dict[str, Any]:
    """Everything a letter template may use; docs/templates.md documents each name."""
    themes = [project.program.themes[tag] for tag in selection.themes]
    campaign = _trusted(project.campaign)
    campaign["place"] = Prose(project.campaign.place_name)
    salutation = french.salutation_in_sentence(association.salutation)
    closing = project.campaign.closing.replace("{salutation}", md_escape(salutation))
    enclosures = project.campaign.enclosures if association.enclosures is None \
        else association.enclosures
    recipient = _association(association, project.campaign, enclosures)
    known_names = names(project, association)
    visions = _unique(t.vision for t in themes)
    return {
        "campaign": campaign,
        "association": recipient,
        "document": recipient["document"],
        "themes": [{"tag": tag, **_trusted(theme)} for tag, theme in
                   zip(selection.themes, themes, strict=True)],
        "visions": visions,
        "shared_visions": Prose(french.shared_visions(list(visions), known_names)),
        "beyond": _unique(t.beyond for t in themes),
        "paragraphs": [{"lead": Prose(p.lead) if p.lead else None,
                        "body": Prose(" ".join(p.sentences)),
                        "text": Prose(p.text),
                        "measures": [m.number for m in p.measures]}
                       for p in selection.paragraphs],
        "measures": [m.number for m in selection.measures],
        "enclosures": enclosures,
        "date": date,
        "rounds": french.rounds_to_come(project.campaign.election_rounds, date),
        "closing": Prose(closing),
        "names": known_names,
    }


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
                   for b, text in blocks.items()}, context, french)


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
_ALWAYS_KEPT = (r"\bmesures?[\s\u00a0]\d+", r"[\w-]*\w·[\w·-]*", r"\b(?:https?://)?[\w-]+(?:\.[\w-]+)*"
                r"\.(?:fr|org|com|net|eu|info)\b(?:/\S*)?")


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
_NBSP_BEFORE_TAG = re.compile("([\u00a0\u202f])(<(?:em|strong|a|sup|span)\\b[^>]*>)")


@lru_cache(maxsize=512)
def block_html(markdown: str, keep: re.Pattern[str] | None = None,
               whole: frozenset[str] = frozenset()) -> Markup:
    """One block of the letter as HTML; the words `keep` matches are never hyphenated, and
    those of them in `whole` never broken across lines. (Made once per process: the letters
    of a batch share most of their blocks.)"""
    html = markdown_parser().render(markdown, {"keep": keep, "whole": whole})
    return Markup(_NBSP_BEFORE_TAG.sub(r"\2\1", html))


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
    return Markup(_NBSP_BEFORE_TAG.sub(r"\2\1", html))


def render_page(env: ImmutableSandboxedEnvironment, letter: Letter,
                metadata: dict[str, Any], markdown: bool = True) -> str:
    """The HTML page for the PDF: the letter's blocks laid out by page.html.j2 (as escaped
    text, not Markdown, when `markdown` is false: validation needs only the page's variables)."""
    if markdown:
        keep, whole = keep_pattern(proper_names(letter.context)), whole_names(letter.context)
        blocks = {name: block_html(text, keep, whole) for name, text in letter.blocks.items()}
    else:
        blocks = {name: escape(text) for name, text in letter.blocks.items()}
    try:
        return str(env.get_template(PAGE_TEMPLATE).render(  # a plain str, not Prose
            letter.context, blocks=blocks, metadata=metadata, french=letter.french,
            markdown=markdown))
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
                    ("title", "author", "subject", "keywords", "date"), ""), markdown=False)
        except LetterkitError as exc:
            problems.append(exc.problem)
    return problems
