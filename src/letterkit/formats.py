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


def _html(drafting: Drafting) -> bytes:
    return drafting.page()[0].encode()


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
    "csv": _csv,
}
# The formats that only a questionnaire's letter (compose --answers) has.
ANSWERS_ONLY = ("csv",)
