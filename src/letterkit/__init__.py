"""letterkit: compose the formal French letters an election list sends to associations.

The code follows a letter's flow, one subpackage a step, each importing only those above it
in this list (tests/test_layout_imports.py holds it):

- the base modules: `errors`, `paths`, `text`, `files`, `processes`, `version`, `i18n`;
- `campaign`: the campaign folder read, typed and checked;
- `letter`: measures selected, the letter rendered in French;
- `questionnaire`: an association's document read, its questions, the answers file;
- `formats`: the letter's bytes in each output format (PDF, HTML, DOCX, ODT, e-mail);
- `ledger`: what was sent to whom;
- `pipeline`: a request composed, written and recorded; batches, sending, replays;
- `cli`: the command line.
"""

from letterkit.version import __version__ as __version__


def main() -> None:
    """The `letterkit` command. For `compose`, the process that will lay out the PDF is forked
    first, so that it loads WeasyPrint while this one loads the command line and the letter."""
    import sys

    if sys.argv[1:2] == ["compose"] and "--preview" not in sys.argv:
        from letterkit.formats import pdfworker

        pdfworker.prestart()
    from letterkit.cli import app

    app()
