"""The formats a letter is written in: one entry each in FORMATS.

A format is its name (the file's extension, what `--format` and a batch file's `format` column
say) and a function that makes the file's bytes from the letter being drafted
(`Drafting`, below), in memory. That function may ask for the HTML page
(`drafting.page()`), for another format's bytes (`drafting.get("pdf")`), for the letter's
blocks and context (`drafting.prepared.letter`), and may add a warning (`drafting.warn`) or
more bytes whose hash the ledger keeps (`drafting.recorded[name] = data`).

Adding a format is one entry in FORMATS: the command line and batch files accept its name,
`compose` drafts it with the others, and the writer commits it with them and the ledger row.
Keep this module light (import heavy libraries inside the function): the command line reads
it to parse --format before anything else loads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from letterkit.errors import LetterkitError, Problem
from letterkit.i18n import N_, _
from letterkit.paths import stylesheet

if TYPE_CHECKING:
    from letterkit.campaign.models import Association, Document
    from letterkit.campaign.project import Project
    from letterkit.formats.sign import Certificate
    from letterkit.letter.render import Letter
    from letterkit.questionnaire.answers import Answers


# --- The letter being drafted ----------------------------------------------------------

@dataclass
class Prepared:
    """A request resolved against the campaign: the letter rendered, nothing written yet."""

    association: Association
    themes: list[str]
    letter: Letter
    warnings: list[Problem]
    answers: Answers | None = None  # the questionnaire's answers the letter gives


PdfWriter = Callable[[Path, Path, str, bool], tuple[bytes, list[str]]]


class Drafting:
    """One letter being drafted: each format's bytes made once, on demand, in memory."""

    def __init__(self, project: Project, prepared: Prepared, stem: str, date: dt.date,
                 pdf_writer: PdfWriter | None = None, *, pdfa: bool = False,
                 sign: Certificate | None = None) -> None:
        from letterkit.formats import pdfworker

        self.project, self.prepared, self.stem, self.date = project, prepared, stem, date
        self.pdfa, self.sign = pdfa, sign
        self.pdf_writer = pdf_writer or pdfworker.write_pdf
        self.made: dict[str, bytes] = {}
        self.recorded: dict[str, bytes] = {}   # more bytes whose hash the ledger keeps
        self._page: tuple[str, dict[str, str]] | None = None

    def get(self, fmt: str) -> bytes:
        if fmt not in self.made:
            self.made[fmt] = FORMATS[fmt](self)
        return self.made[fmt]

    def page(self) -> tuple[str, dict[str, str]]:
        """The letter's HTML page and its metadata (title, author…)."""
        if self._page is None:
            from letterkit.letter.render import environment, render_page

            letter = self.prepared.letter
            metadata = page_metadata(self.project, letter, letter.context["measures"],
                                     self.date, self.prepared.association.document)
            html = render_page(environment(self.project.root), letter, metadata)
            self._page = html, metadata
        return self._page

    def warn(self, problem: Problem) -> None:
        self.prepared.warnings.append(problem)


def page_metadata(project: Project, letter: Letter, numbers: list[int],
                  date: dt.date, document: Document) -> dict[str, str]:
    """The PDF's title, author, subject, keywords and date, as plain text."""
    from letterkit.formats.eml import plain_line

    return {
        "title": plain_line(letter.blocks["title"]),
        "author": project.campaign.list_name,
        "subject": document.title or document.kind,
        "keywords": ", ".join(f"mesure {n}" for n in numbers),
        "date": date.isoformat(),
    }


# --- The formats ----------------------------------------------------------------------------

def _markdown(drafting: Drafting) -> bytes:
    return drafting.prepared.letter.markdown.encode()




def _pdf(drafting: Drafting) -> bytes:
    html, metadata = drafting.page()
    root = drafting.project.root
    pdf, left_out = drafting.pdf_writer(stylesheet(root), root, html, drafting.pdfa)
    _left_out(drafting, _("the PDF leaves something out: {message}"), left_out)
    if drafting.sign:
        from letterkit.formats.sign import sign_pdf

        # the unsigned PDF is what a rebuild can compare, byte for byte
        drafting.recorded[f"{drafting.stem}.pdf#unsigned"] = pdf
        pdf = sign_pdf(pdf, drafting.sign, reason=metadata["title"])
    return pdf


INSIDE_THE_CAMPAIGN = N_("images and stylesheets must be files inside the campaign folder")


def _left_out(drafting: Drafting, warning: str, messages: list[str], hint: str | None = None,
              **names: str) -> None:
    """A warning for each thing a format left out: `warning` (translated) says it, with its
    {message} and `names`."""
    for message in messages:
        drafting.warn(Problem(warning.format(message=message, **names),
                              hint=hint or _(INSIDE_THE_CAMPAIGN), warning=True))


def _html(drafting: Drafting) -> bytes:
    """One self-contained page: stylesheet, fonts and images inside it (htmlpage.py)."""
    from letterkit.formats.htmlpage import self_contained

    root = drafting.project.root
    html, left_out = self_contained(drafting.page()[0], stylesheet(root), root)
    _left_out(drafting, _("the HTML page leaves something out: {message}"), left_out)
    return html.encode()


def _office(drafting: Drafting, fmt: str) -> bytes:
    from letterkit.formats import office

    content = office.content(drafting.prepared.letter, drafting.project.root,
                             drafting.page()[1])
    if fmt == "docx":
        from letterkit.formats.office_docx import docx_bytes as make
    else:
        from letterkit.formats.office_odt import odt_bytes as make
    data = make(content)
    _left_out(drafting, _("the {format} leaves something out: {message}"), content.left_out,
              hint=_("give a PNG or JPEG image, inside the campaign folder"),
              format=fmt.upper())
    return data


def _docx(drafting: Drafting) -> bytes:
    return _office(drafting, "docx")


def _odt(drafting: Drafting) -> bytes:
    return _office(drafting, "odt")


def _eml(drafting: Drafting) -> bytes:
    """The e-mail: to the association, from the campaign, the PDF attached (signed with
    --sign), ready for `letterkit send` or a mail program."""
    from letterkit.formats import eml as mail

    association = drafting.prepared.association
    letter = drafting.prepared.letter
    sender = mail.sender(drafting.project)
    recipient = mail.recipient(association)
    title = drafting.page()[1]["title"]
    letter_name = mail.attachment_name(
        f"Réponse de {drafting.project.campaign.list_name} à {association.short_name}.pdf")
    enclosures = mail.attachments(drafting.project, association)
    pdf = mail.Attachment(letter_name, "la lettre", drafting.get("pdf"))
    return mail.message(sender=sender, recipient=recipient,
                        recipient_name=association.full_name,
                        subject_line=mail.subject(association.subject, title),
                        markdown=mail.with_enclosures_line(letter.markdown, enclosures),
                        title=title, pdf=pdf.data, pdf_name=pdf.name, date=drafting.date,
                        enclosures=tuple(enclosures))


def _csv(drafting: Drafting) -> bytes:
    """A questionnaire's answers, one row per question, for a spreadsheet or an online form."""
    from letterkit.questionnaire.answers import answers_csv

    if drafting.prepared.answers is None:
        raise LetterkitError(_("the csv format holds the answers to a questionnaire"),
                             hint=_("compose with --answers FILE, or choose md, pdf or html"))
    return answers_csv(drafting.prepared.letter.context)


# The output formats, in the order --help lists them: file extension → the function making
# the file's bytes.
FORMATS: dict[str, Callable[[Drafting], bytes]] = {
    "md": _markdown,
    "pdf": _pdf,
    "html": _html,
    "docx": _docx,
    "odt": _odt,
    "eml": _eml,
    "csv": _csv,
}
# The formats that only a questionnaire's letter (compose --answers) has.
ANSWERS_ONLY = ("csv",)
