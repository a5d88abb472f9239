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

    undecodable = next((a for a in sys.argv[1:] if not _utf8(a)), None)
    if undecodable is not None:
        shown = undecodable.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        from letterkit.i18n import _

        sys.stderr.write(_("Error: « {value} » is not UTF-8 text (a file name or a value typed "
                           "in another encoding) — rename the file, or type the value again"
                           ).format(value=shown) + "\n")
        raise SystemExit(1)
    if sys.argv[1:2] == ["compose"] and "--preview" not in sys.argv:
        from letterkit.formats import pdfworker

        pdfworker.prestart()
    from letterkit.cli import app

    app()


def _utf8(argument: str) -> bool:
    """Whether a command-line argument was valid UTF-8 (Python keeps the bytes it could not
    decode as lone surrogates)."""
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
