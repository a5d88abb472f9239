"""compose(request) → the letter's files, written atomically, never overwritten silently."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from letterkit import render
from letterkit.data import Association, Document, Project, load_project
from letterkit.errors import LetterkitError, Problem
from letterkit.select import resolve_themes, select

FORMATS = ("md", "pdf", "html")
DEFAULT_FORMATS = ("md", "pdf")


@dataclass
class Request:
    """One letter to compose: to whom, on which themes, when, and where to write it."""

    assoc: str
    themes: list[str]
    date: dt.date = field(default_factory=dt.date.today)
    out: Path | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    force: bool = False
    template: str = render.DEFAULT_TEMPLATE
    pdfa: bool = False


@dataclass
class Result:
    paths: list[Path]
    warnings: list[Problem]


def slug(text: str, limit: int = 60) -> str:
    """A safe file-name piece: ASCII letters, digits and single hyphens, never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:limit].rstrip("-") or "lettre"


def output_stem(date: dt.date, association: Association, themes: list[str]) -> str:
    """`<date>-<assoc-slug>-<theme-slugs>`, e.g. 2026-03-01-arpe-mediation."""
    return "-".join([date.isoformat(), slug(association.short_name), *map(slug, themes)])


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def compose(project: Project, request: Request) -> Result:
    """Select the measures, render the letter and write each requested format."""
    association = project.association(request.assoc)
    themes = resolve_themes(project.program, request.themes)
    selection = select(project.program, themes)
    env = render.make_environment(project.root)
    context = render.letter_context(project, association, selection, request.date)
    letter = render.render_letter(env, request.template, context)
    warnings = list(project.warnings)
    if context["rounds"] is None and project.campaign.election_rounds:
        warnings.append(Problem(
            f"the letter is dated {request.date.isoformat()}, after the last election round: "
            "it carries no call to vote", warning=True))

    out = request.out or project.root / "letters"
    stem = output_stem(request.date, association, themes)
    targets = {fmt: out / f"{stem}.{fmt}" for fmt in request.formats}
    existing = [p for p in targets.values() if p.exists()]
    if existing and not request.force:
        raise LetterkitError(f"{existing[0]} already exists",
                             hint="pass --force to overwrite it, or --date/--out for another")

    contents: dict[str, bytes] = {"md": letter.markdown.encode()}
    if "html" in targets or "pdf" in targets:
        metadata = page_metadata(project, letter, context["measures"], request.date,
                                 association.document)
        html = render.render_page(env, letter, metadata)
        contents["html"] = html.encode()
        if "pdf" in targets:
            from letterkit.pdf import PdfWriter  # WeasyPrint loads only when a PDF is written

            writer = PdfWriter(stylesheet(project.root), [project.root])
            contents["pdf"] = writer.write(html, project.root, request.pdfa)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for fmt, path in targets.items():
            write_atomic(path, contents[fmt])
    except OSError as exc:
        raise LetterkitError(f"cannot write {exc.filename or out}: {exc.strerror}",
                             hint="check that the output folder exists and is writable, or "
                             "choose another with --out") from exc
    return Result(list(targets.values()), warnings)


def page_metadata(project: Project, letter: render.Letter, numbers: list[int],
                  date: dt.date, document: Document) -> dict[str, str]:
    """The PDF's title, author, subject, keywords and date."""
    return {
        "title": " ".join(letter.blocks["title"].replace("*", "").split()),
        "author": project.campaign.list_name,
        "subject": document.title,
        "keywords": ", ".join(f"mesure {n}" for n in numbers),
        "date": date.isoformat(),
    }


def stylesheet(root: Path) -> Path:
    """The letter's CSS: the campaign's own copy, else letterkit's."""
    for folder in render.template_dirs(root):
        if (folder / render.STYLESHEET).is_file():
            return folder / render.STYLESHEET
    raise LetterkitError(f"no {render.STYLESHEET} in the templates folders",
                         file=render.TEMPLATES_DIR, hint="run letterkit init to get a fresh copy")


def compose_in(root: Path, request: Request) -> Result:
    """Load the campaign at `root`, then compose."""
    return compose(load_project(root), request)
