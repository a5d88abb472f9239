"""compose(request) → the letter's files and its ledger record, committed together.

A one-way pipeline: `prepare` renders the letter's blocks; `draft` makes the bytes of every
requested format and the ledger `Record`, in memory; `writer.commit` writes them all
and the ledger row under a lock, all or nothing. Nothing is written before every format is
ready. `compose` records the letter only when its caller passes a ledger (the CLI and batch
do): a library caller's compose writes files and nothing else.

Adding an output format is one entry in `formats.registry.FORMATS` (see there): the command
line, batch files, this pipeline and the writer all follow.

Also the two other whole-campaign operations: check (validate data and templates) and init
(scaffold a new campaign folder).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letterkit.campaign.models import Association
from letterkit.campaign.project import Project
from letterkit.errors import LetterkitError, Problem
from letterkit.formats.registry import FORMATS, Drafting, PdfWriter, Prepared
from letterkit.i18n import _
from letterkit.ledger.entry import Record
from letterkit.letter import french, render
from letterkit.letter.select import check_numbers, resolve_themes, select
from letterkit.paths import (
    DEFAULT_TEMPLATE,
)
from letterkit.pipeline.writer import Committed, commit
from letterkit.text import clean, slug

if TYPE_CHECKING:
    from letterkit.formats.sign import Certificate
    from letterkit.pipeline.writer import Ledger

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
    kind: str | None = None        # what such a sender is (« personne », « collectif »)
    gender: str | None = None      # its gender, f or m, when its kind does not say it
    stem: str | None = None        # the output file name without extension (batch)
    sign: Certificate | None = None  # sign the PDF with this certificate (PAdES)
    measures: list[int] = field(default_factory=list)  # cited whatever their themes
    exclude: list[int] = field(default_factory=list)   # never cited
    answers: Path | None = None    # a questionnaire's answers file: the letter answers it
    answers_data: dict[str, Any] | None = None  # the same, as the ledger keeps it (replay)

    def replayable(self) -> dict[str, Any]:
        """What the ledger keeps to compose the same letter again (never the password); the
        answers, if any, are added by `draft` as they were read."""
        return {"assoc": self.assoc, "themes": self.themes, "date": self.date.isoformat(),
                "formats": list(self.formats), "template": self.template, "pdfa": self.pdfa,
                "salutation": self.salutation, "document": self.document,
                "kind": self.kind, "gender": self.gender, "stem": self.stem,
                "measures": self.measures, "exclude": self.exclude}

    @classmethod
    def replay(cls, recorded: dict[str, Any], out: Path, force: bool = False) -> Request:
        """The request a ledger row keeps, checked: its stem is made a safe file name again,
        whatever the row says, so that it writes only under `out`."""
        try:
            formats = tuple(str(f) for f in recorded["formats"])
            if not formats or set(formats) - set(FORMATS):
                raise ValueError(f"formats {formats}")  # not shown: the ledger's key, value
            stem = recorded.get("stem")
            return cls(str(recorded["assoc"]), [str(t) for t in recorded["themes"]],
                       dt.date.fromisoformat(recorded["date"]), out, formats, force=force,
                       template=str(recorded["template"]), pdfa=bool(recorded["pdfa"]),
                       salutation=recorded.get("salutation"),
                       document=recorded.get("document"),
                       kind=recorded.get("kind"), gender=recorded.get("gender"),
                       stem=capped(slug(str(stem), limit=NAME_LIMIT * 4)) if stem else None,
                       measures=[int(n) for n in recorded.get("measures", [])],
                       exclude=[int(n) for n in recorded.get("exclude", [])],
                       answers_data=dict(recorded["answers"]) if recorded.get("answers")
                       else None)
        except (KeyError, TypeError, ValueError) as exc:
            raise LetterkitError(_("the ledger does not keep how to compose this letter again "
                                   "({error})").format(error=f"{type(exc).__name__}: {exc}"),
                                 hint=_("a letter rebuilt from an old ledger.csv cannot be "
                                        "composed again; compose it anew with letterkit "
                                        "compose")) from None


@dataclass
class Result:
    paths: list[Path]
    warnings: list[Problem]
    id: int | None = None   # the letter's id in the ledger, when recorded


# A file name's stem, at most: far below the 255 bytes file systems allow, leaving room for
# the extension and for the writer's temporary name (« .NAME.1234abcd.tmp »).
NAME_LIMIT = 150


def capped(stem: str) -> str:
    """`stem` if short enough, else cut with a short hash of the whole: still unique."""
    if len(stem) <= NAME_LIMIT:
        return stem
    digest = hashlib.sha256(stem.encode()).hexdigest()[:10]
    return f"{stem[:NAME_LIMIT - len(digest) - 1].rstrip('-')}-{digest}"


def output_stem(date: dt.date, association: Association, themes: list[str],
                measures: Sequence[int] = (), exclude: Sequence[int] = (),
                questionnaire: bool = False) -> str:
    """`<date>-<assoc-slug>-<theme-slugs>`, e.g. 2026-03-01-arpe-mediation; measures asked
    for by number add `mesures-41-42`, excluded ones `sauf-33`; the answers to a
    questionnaire `questionnaire` before the themes (capped)."""
    parts = [date.isoformat(), slug(association.short_name),
             *(["questionnaire"] if questionnaire else []), *map(slug, themes)]
    if measures:
        parts += ["mesures", *map(str, measures)]
    if exclude:
        parts += ["sauf", *map(str, exclude)]
    return capped("-".join(parts))




def request_themes(project: Project, request: Request) -> list[str]:
    """The request's theme tags, checked, and its measure numbers checked: none of them may
    be missing from the program."""
    check_numbers(project.program, request.measures, "--measures")
    check_numbers(project.program, request.exclude, "--exclude")
    questionnaire = request.answers is not None or request.answers_data is not None
    return resolve_themes(project.program, request.themes,
                          allow_none=bool(request.measures) or questionnaire)


def prepare(project: Project, request: Request) -> Prepared:
    """Select the measures and render the letter's Markdown blocks."""
    association = project.association(clean(request.assoc), clean(request.salutation),
                                      clean(request.document), clean(request.kind),
                                      request.gender)
    themes = request_themes(project, request)
    env = render.environment(project.root)
    warnings = list(project.warnings)
    answers = None
    if request.answers is not None or request.answers_data is not None:
        from letterkit.questionnaire import answers as questionnaire

        answers, found = questionnaire.requested(project, association, request.answers,
                                                 request.answers_data)
        warnings += found
        context = questionnaire.letter_context(project, association, answers, themes,
                                               request.date, request.measures,
                                               request.exclude)
        template = questionnaire.template(env, request.template)
    else:
        selection = select(project.program, themes, request.measures, request.exclude,
                           own=association.themes)
        context = render.letter_context(project, association, selection, request.date)
        template = request.template
    letter = render.render_letter(env, template, context)
    if context["rounds"] is None and project.campaign.election_rounds:
        warnings.append(Problem(
            _("the letter is dated {date}, after the last election round: it carries no call "
              "to vote").format(date=french.shown_date(request.date)), warning=True,
            hint=_("the rest still speaks as a list in campaign (« afin que nous nous "
                   "positionnions », « des mesures qui vous convaincront »): reread it before "
                   "sending, or date it on or before the last round")))
    election_day = french.election_warning(project.campaign.election_rounds, request.date)
    if election_day:
        warnings.append(Problem(election_day, warning=True,
                                hint=_("send it earlier, or date it after the round")))
    return Prepared(association, themes, letter, warnings, answers)


@dataclass
class Draft:
    """A letter ready to commit: every file's bytes, its ledger record, the warnings."""

    files: dict[Path, bytes]
    record: Record
    warnings: list[Problem]


def draft(project: Project, request: Request, pdf_writer: PdfWriter | None = None) -> Draft:
    """Every requested format of the letter, and its record, in memory; nothing written."""
    prepared = prepare(project, request)
    out = request.out or project.root / "letters"
    stem = capped(request.stem) if request.stem else output_stem(
        request.date, prepared.association, prepared.themes, request.measures, request.exclude,
        questionnaire=prepared.answers is not None)
    drafting = Drafting(project, prepared, stem, request.date, pdf_writer, pdfa=request.pdfa,
                        sign=request.sign)
    files = {out / f"{stem}.{fmt}": drafting.get(fmt) for fmt in request.formats}
    letter = prepared.letter
    record = Record(
        date=request.date.isoformat(), assoc=prepared.association.short_name,
        themes=prepared.themes,
        measures={m: project.program_text(m) for m in letter.context["measures"]},
        request=request.replayable() | {"folder": _folder(project.root, out)} | (
            {"answers": prepared.answers.model_dump(mode="json", exclude_none=True)}
            if prepared.answers else {}),
        files={path.name: data for path, data in files.items()} | drafting.recorded)
    return Draft(files, record, prepared.warnings)


def _folder(root: Path, out: Path) -> str:
    """Where the letter's files are, for `letterkit send`: from the campaign folder when
    inside it (the campaign may move), else in full."""
    folder = out.resolve()
    return str(folder.relative_to(root.resolve()) if folder.is_relative_to(root.resolve())
               else folder)


def compose(project: Project, request: Request, pdf_writer: PdfWriter | None = None, *,
            ledger: Ledger | None = None, export: bool = True) -> Result:
    """Draft the letter, then write every format (and, given a `ledger`, its row) together;
    refuse to overwrite a file without `request.force`."""
    drafted = draft(project, request, pdf_writer)
    committed: Committed = commit(drafted.files, force=request.force, ledger=ledger,
                                  record=drafted.record, export=export)
    return Result(list(drafted.files), drafted.warnings + committed.warnings, committed.id)


# --- check and init ------------------------------------------------------------------------
