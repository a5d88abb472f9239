"""The formats a letter is written in: one entry each in FORMATS.

A format is its name (the file's extension, what `--format` and a batch file's `format` column
say) and a function that makes the file's bytes from the letter being drafted
(`letterkit.build.Drafting`), in memory. That function may ask for the HTML page
(`drafting.page()`), for another format's bytes (`drafting.get("pdf")`), for the letter's
blocks and context (`drafting.prepared.letter`), and may add a warning (`drafting.warn`) or
more bytes whose hash the ledger keeps (`drafting.recorded[name] = data`).

Adding a format is one entry in FORMATS: the command line and batch files accept its name,
`compose` drafts it with the others, and the writer commits it with them and the ledger row.
Keep this module light (import heavy libraries inside the function): the command line reads
it to parse --format before anything else loads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from letterkit.errors import LetterkitError, Problem
from letterkit.paths import stylesheet

if TYPE_CHECKING:
    from letterkit.build import Drafting


def _markdown(drafting: Drafting) -> bytes:
    return drafting.prepared.letter.markdown.encode()




def _pdf(drafting: Drafting) -> bytes:
    html, metadata = drafting.page()
    root, request = drafting.project.root, drafting.request
    pdf, left_out = drafting.pdf_writer(stylesheet(root), root, html, request.pdfa)
    for message in left_out:
        drafting.warn(Problem(f"the PDF leaves something out: {message}",
                              hint="images and stylesheets must be files inside the campaign "
                              "folder", warning=True))
    if request.sign:
        from letterkit.sign import sign_pdf

        # the unsigned PDF is what a rebuild can compare, byte for byte
        drafting.recorded[f"{drafting.stem}.pdf#unsigned"] = pdf
        pdf = sign_pdf(pdf, request.sign, reason=metadata["title"])
    return pdf


def _left_out(drafting: Drafting, what: str, messages: list[str],
              hint: str = "images and stylesheets must be files inside the campaign folder"
              ) -> None:
    for message in messages:
        drafting.warn(Problem(f"the {what} leaves something out: {message}", hint=hint,
                              warning=True))


def _html(drafting: Drafting) -> bytes:
    """One self-contained page: stylesheet, fonts and images inside it (htmlpage.py)."""
    from letterkit.htmlpage import self_contained

    root = drafting.project.root
    html, left_out = self_contained(drafting.page()[0], stylesheet(root), root)
    _left_out(drafting, "HTML page", left_out)
    return html.encode()


def _office(drafting: Drafting, fmt: str) -> bytes:
    from letterkit import office

    content = office.content(drafting.prepared.letter, drafting.project.root,
                             drafting.page()[1])
    data = office.docx_bytes(content) if fmt == "docx" else office.odt_bytes(content)
    _left_out(drafting, fmt.upper(), content.left_out,
              hint="give a PNG or JPEG image, inside the campaign folder")
    return data


def _docx(drafting: Drafting) -> bytes:
    return _office(drafting, "docx")


def _odt(drafting: Drafting) -> bytes:
    return _office(drafting, "odt")


def _eml(drafting: Drafting) -> bytes:
    """The e-mail: to the association, from the campaign, the PDF attached (signed with
    --sign), ready for `letterkit send` or a mail program."""
    from letterkit import mail

    association = drafting.prepared.association
    letter = drafting.prepared.letter
    sender = mail.sender(drafting.project)
    recipient = mail.recipient(association)
    title = drafting.page()[1]["title"]
    return mail.message(sender=sender, recipient=recipient,
                        recipient_name=association.full_name,
                        subject_line=mail.subject(association.subject, title),
                        markdown=letter.markdown, title=title, pdf=drafting.get("pdf"),
                        pdf_name=f"{drafting.stem}.pdf", date=drafting.request.date)


def _csv(drafting: Drafting) -> bytes:
    """A questionnaire's answers, one row per question, for a spreadsheet or an online form."""
    from letterkit.answers import answers_csv

    if drafting.prepared.answers is None:
        raise LetterkitError("the csv format holds the answers to a questionnaire",
                             hint="compose with --answers FILE, or choose md, pdf or html")
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
