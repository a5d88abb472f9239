"""letterkit: compose the formal French letters an election list sends to associations."""

__version__ = "0.1.0"


def main() -> None:
    """The `letterkit` command. For `compose`, the process that will lay out the PDF is forked
    first, so that it loads WeasyPrint while this one loads the command line and the letter."""
    import sys

    if sys.argv[1:2] == ["compose"] and "--preview" not in sys.argv:
        from letterkit import pdfworker

        pdfworker.prestart()
    from letterkit.cli import app

    app()
