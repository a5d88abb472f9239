"""The PDF writer process of a cold `compose`, started before the letter is ready.

Importing WeasyPrint is most of a cold compose's time. A process forked at the start of the
command does it, on the machine's other core, while this one loads the campaign and renders
the letter; then it lays out the page. This module imports nothing heavy, so that the fork
comes first.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

from letterkit.errors import Bug, LetterkitError, Problem
from letterkit.i18n import _, reason
from letterkit.processes import end_with_parent


def write_pdf(stylesheet: Path, root: Path, html: str, pdfa: bool) -> tuple[bytes, list[str]]:
    """The PDF of a letter page, written in this process."""
    try:
        from letterkit.formats import pdf  # WeasyPrint loads only when a PDF is written

        return pdf.writer(stylesheet, root).write(html, root, pdfa)
    except OSError as exc:  # WeasyPrint writes the fonts it embeds to the temporary folder
        import tempfile

        raise LetterkitError(_("the PDF could not be written: {reason}").format(
                                 reason=reason(exc)),
                             file=exc.filename, hint=_("free some space (WeasyPrint needs room "
                                                       "in {folder}); nothing was written"
                                                       ).format(folder=tempfile.gettempdir())
                             ) from None


class PdfProcess:
    """Writes PDFs in a forked process that loaded WeasyPrint in the meantime."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, self.connection,
                                                            os.getpid()), daemon=True)
        self.process.start()
        theirs.close()

    def __call__(self, stylesheet: Path, root: Path, html: str, pdfa: bool
                 ) -> tuple[bytes, list[str]]:
        try:
            # a plain str: a subclass (render's Prose) would make the PDF process import its
            # module, and with it Jinja, pydantic and the data models, before the layout
            self.connection.send((stylesheet, root, str(html), pdfa))
            written = self.connection.recv()
        except (EOFError, OSError):  # the process died: write in this one instead
            return write_pdf(stylesheet, root, html, pdfa)
        if isinstance(written, Problem):
            raise LetterkitError(written.message, file=written.file, hint=written.hint)
        if isinstance(written, Bug):  # a bug in the PDF process: its traceback comes along
            raise written
        return written  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the process, even in the middle of loading WeasyPrint if it is not needed."""
        self.connection.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _serve(connection: Connection, parents_end: Connection, parent: int) -> None:
    """The PDF process: load WeasyPrint and the fonts, then write each page it is sent until
    the pipe closes. (The letter is usually ready before WeasyPrint is: a warm-up layout would
    only delay it.)

    It ends with its parent, however the parent dies: the pipe closes (this process keeps no
    copy of the parent's end), and on Linux the parent's death sends it SIGKILL at once, even
    in the middle of loading WeasyPrint.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parents_end.close()
    end_with_parent(parent, signal.SIGKILL)
    try:
        from letterkit.formats import pdf

        pdf.bundled_fonts()
    except Exception:  # writing the first page fails the same way, and says so
        pass
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(write_pdf(*request))
        except LetterkitError as exc:
            connection.send(exc.problem)
        except Exception as exc:  # a bug: reported by the parent, with this traceback
            connection.send(Bug.caught(exc))


_prestarted: PdfProcess | None = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def prestart() -> None:
    """Start the PDF process before the command line is even parsed (see letterkit.main)."""
    global _prestarted
    if can_fork():
        _prestarted = PdfProcess()


@contextmanager
def started(needed: bool) -> Iterator[PdfProcess | None]:
    """The PDF process if a PDF is needed and this system can fork, the prestarted one if any;
    else None (the PDF is written in this process)."""
    global _prestarted
    process, _prestarted = _prestarted, None
    if process is None and needed and can_fork():
        process = PdfProcess()
    try:
        yield process if needed else None
    finally:
        if process is not None:
            process.close()
