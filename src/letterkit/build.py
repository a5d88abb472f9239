"""compose(request) → the letter's files, written atomically, never overwritten silently.

Also the two other whole-campaign operations: check (validate data and templates) and init
(scaffold a new campaign folder).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letterkit import french, pdfworker, render
from letterkit.data import Project, read_project
from letterkit.errors import LetterkitError, Problem
from letterkit.models import Association, Document
from letterkit.paths import (
    ASSOCIATIONS_FILE,
    CAMPAIGN_FILE,
    DEFAULT_TEMPLATE,
    MEASURES_FILE,
    TEMPLATES_DIR,
    packaged,
    stylesheet,
)
from letterkit.select import check_numbers, resolve_themes, select
from letterkit.text import clean
from letterkit.values import FORMATS as FORMATS  # the formats letterkit writes

if TYPE_CHECKING:
    from letterkit.sign import Certificate

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
    template: str = DEFAULT_TEMPLATE
    pdfa: bool = False
    salutation: str | None = None  # for an association missing from the registry
    document: str | None = None    # the title of what such an association sent
    stem: str | None = None        # the output file name without extension (batch)
    sign: Certificate | None = None  # sign the PDF with this certificate (PAdES)
    record: bool = True            # add the letter to the campaign's ledger
    measures: list[int] = field(default_factory=list)  # cited whatever their themes
    exclude: list[int] = field(default_factory=list)   # never cited

    def replayable(self) -> dict[str, Any]:
        """What the ledger keeps to compose the same letter again (never the password)."""
        return {"assoc": self.assoc, "themes": self.themes, "date": self.date.isoformat(),
                "formats": list(self.formats), "template": self.template, "pdfa": self.pdfa,
                "salutation": self.salutation, "document": self.document, "stem": self.stem,
                "measures": self.measures, "exclude": self.exclude}

    @classmethod
    def replay(cls, recorded: dict[str, Any], out: Path) -> Request:
        return cls(recorded["assoc"], recorded["themes"],
                   dt.date.fromisoformat(recorded["date"]), out, tuple(recorded["formats"]),
                   force=True, template=recorded["template"], pdfa=recorded["pdfa"],
                   salutation=recorded["salutation"], document=recorded["document"],
                   stem=recorded["stem"], record=False,
                   measures=recorded.get("measures", []), exclude=recorded.get("exclude", []))


@dataclass
class Result:
    paths: list[Path]
    warnings: list[Problem]


def slug(text: str, limit: int = 60) -> str:
    """A safe file-name piece: ASCII letters, digits and single hyphens, never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:limit].rstrip("-") or "lettre"


def output_stem(date: dt.date, association: Association, themes: list[str],
                measures: Sequence[int] = (), exclude: Sequence[int] = ()) -> str:
    """`<date>-<assoc-slug>-<theme-slugs>`, e.g. 2026-03-01-arpe-mediation; measures asked
    for by number add `mesures-41-42`, excluded ones `sauf-33`."""
    parts = [date.isoformat(), slug(association.short_name), *map(slug, themes)]
    if measures:
        parts += ["mesures", *map(str, measures)]
    if exclude:
        parts += ["sauf", *map(str, exclude)]
    return "-".join(parts)


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


@dataclass
class Prepared:
    """A request resolved against the campaign: the letter rendered, nothing written yet."""

    association: Association
    themes: list[str]
    letter: render.Letter
    warnings: list[Problem]


def request_themes(project: Project, request: Request) -> list[str]:
    """The request's theme tags, checked, and its measure numbers checked: none of them may
    be missing from the program."""
    check_numbers(project.program, request.measures, "--measures")
    check_numbers(project.program, request.exclude, "--exclude")
    return resolve_themes(project.program, request.themes, allow_none=bool(request.measures))


def prepare(project: Project, request: Request) -> Prepared:
    """Select the measures and render the letter's Markdown blocks."""
    association = project.association(clean(request.assoc), clean(request.salutation),
                                      clean(request.document))
    themes = request_themes(project, request)
    selection = select(project.program, themes, request.measures, request.exclude)
    env = render.environment(project.root)
    context = render.letter_context(project, association, selection, request.date)
    letter = render.render_letter(env, request.template, context)
    warnings = list(project.warnings)
    if context["rounds"] is None and project.campaign.election_rounds:
        warnings.append(Problem(
            f"the letter is dated {request.date.isoformat()}, after the last election round: "
            "it carries no call to vote", warning=True))
    election_day = french.election_warning(project.campaign.election_rounds, request.date)
    if election_day:
        warnings.append(Problem(election_day, warning=True,
                                hint="send it earlier, or date it after the round"))
    return Prepared(association, themes, letter, warnings)


PdfWriter = Callable[[Path, Path, str, bool], tuple[bytes, list[str]]]


def compose(project: Project, request: Request, pdf_writer: PdfWriter | None = None) -> Result:
    """Render the letter and write each requested format; refuse to overwrite without force."""
    prepared = prepare(project, request)
    out = request.out or project.root / "letters"
    stem = request.stem or output_stem(request.date, prepared.association, prepared.themes,
                                       request.measures, request.exclude)
    targets = {fmt: out / f"{stem}.{fmt}" for fmt in request.formats}
    existing = [p for p in targets.values() if p.exists()]
    if existing and not request.force:
        raise LetterkitError(f"{existing[0]} already exists",
                             hint="pass --force to overwrite it, or --date/--out for another")

    letter = prepared.letter
    contents: dict[str, bytes] = {"md": letter.markdown.encode()}
    if "html" in targets or "pdf" in targets:
        metadata = page_metadata(project, letter, letter.context["measures"], request.date,
                                 prepared.association.document)
        html = render.render_page(render.environment(project.root), letter, metadata)
        contents["html"] = html.encode()
        if "pdf" in targets:
            contents["pdf"], left_out = (pdf_writer or pdfworker.write_pdf)(
                stylesheet(project.root), project.root, html, request.pdfa)
            prepared.warnings += [Problem(f"the PDF leaves something out: {message}",
                                          hint="images and stylesheets must be files inside "
                                          "the campaign folder", warning=True)
                                  for message in left_out]
            if request.sign:
                from letterkit.sign import sign_pdf

                unsigned = contents["pdf"]
                contents["pdf"] = sign_pdf(unsigned, request.sign,
                                           reason=metadata["title"])
    try:
        out.mkdir(parents=True, exist_ok=True)
        for fmt, path in targets.items():
            write_atomic(path, contents[fmt])
    except OSError as exc:
        raise LetterkitError(f"cannot write {exc.filename or out}: {exc.strerror}",
                             hint="check that the output folder exists and is writable, or "
                             "choose another with --out") from exc
    if request.record:
        from letterkit import ledger

        files = {path: contents[fmt] for fmt, path in targets.items()}
        if request.sign:  # the unsigned PDF is what a rebuild can compare, byte for byte
            files[targets["pdf"].with_name(targets["pdf"].name + "#unsigned")] = unsigned
        ledger.record(project.root, date=request.date, assoc=prepared.association.short_name,
                      themes=prepared.themes,
                      measures={m: project.program_text(m) for m in letter.context["measures"]},
                      files=files, request=request.replayable())
    return Result(list(targets.values()), prepared.warnings)


def page_metadata(project: Project, letter: render.Letter, numbers: list[int],
                  date: dt.date, document: Document) -> dict[str, str]:
    """The PDF's title, author, subject, keywords and date."""
    return {
        "title": " ".join(letter.blocks["title"].replace("*", "").split()),
        "author": project.campaign.list_name,
        "subject": document.title or document.kind,
        "keywords": ", ".join(f"mesure {n}" for n in numbers),
        "date": date.isoformat(),
    }


# --- check and init ------------------------------------------------------------------------

def check(root: Path, answers: Sequence[Path] = ()) -> tuple[Project | None, list[Problem]]:
    """Validate every data file and every template, and the answers files (those of the
    campaign's answers/ folder as drafts, those given as ready to compose); all problems,
    errors and warnings."""
    from letterkit.answers import campaign_answers

    project, problems = read_project(root)
    problems += render.check_templates(project, root)
    if project is not None:
        problems += campaign_answers(root, project.program,
                                     [a.short_name for a in project.associations], answers)
    return project, problems


def example_file(name: str) -> Path:
    """One of the example campaign's data files: inside the wheel, or at the repository root."""
    inside = Path(__file__).parent / "example" / name
    return inside if inside.exists() else Path(__file__).parents[2] / name


def init(folder: Path) -> list[Path]:
    """Create a campaign folder holding the example data and a copy of the templates."""
    templates = packaged(TEMPLATES_DIR)
    copies = {folder / name: example_file(name)
              for name in (MEASURES_FILE, CAMPAIGN_FILE, ASSOCIATIONS_FILE)}
    copies |= {folder / TEMPLATES_DIR / t.name: t for t in sorted(templates.iterdir())
               if t.is_file()}
    clashes = [path for path in copies if path.exists()]
    if clashes:
        raise LetterkitError(f"{clashes[0]} already exists",
                             hint="letterkit init creates a new campaign: choose an empty folder")
    try:
        (folder / TEMPLATES_DIR).mkdir(parents=True, exist_ok=True)
        for target, source in copies.items():
            shutil.copyfile(source, target)
    except OSError as exc:
        raise LetterkitError(f"cannot create {exc.filename or folder}: {exc.strerror}",
                             hint="choose a folder you can write to") from exc
    return list(copies)
