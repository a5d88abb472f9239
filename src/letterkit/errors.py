"""letterkit's own exceptions. Each problem says what is wrong, where, and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in the user's data, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    key: str | None = None
    hint: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        """« file, line 3, key measures[2]: message — hint », in the interface's language (the
        message and hint were translated where they were raised)."""
        from letterkit.i18n import _

        where = ", ".join(part for part in (
            self.file,
            _("line {line}").format(line=self.line) if self.line else None,
            _("key {key}").format(key=self.key) if self.key else None) if part)
        text = _("{where}: {message}").format(where=where, message=self.message) if where \
            else self.message
        return _("{message} — {hint}").format(message=text, hint=self.hint) if self.hint \
            else text


class LetterkitError(Exception):
    """A problem with the user's data or request: reported in one line, exit status 1."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 key: str | None = None, hint: str | None = None) -> None:
        self.problem = Problem(message, file=file, line=line, key=key, hint=hint)
        super().__init__(str(self.problem))


class DataError(LetterkitError):
    """The campaign's data or templates hold one or more errors, all collected."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if not p.warning]
        Exception.__init__(self, "\n".join(str(p) for p in errors))
        self.problem = errors[0] if errors else Problem("invalid data")  # not shown: no error


class Bug(Exception):
    """A bug of ours raised in another process (the PDF writer), brought back to this one
    with its kind, its message and its traceback's text."""

    def __init__(self, kind: str, message: str, traceback_text: str) -> None:
        super().__init__(kind, message, traceback_text)  # all three: it is sent pickled
        self.kind, self.message, self.traceback_text = kind, message, traceback_text

    def __str__(self) -> str:
        return self.message

    @classmethod
    def caught(cls, exc: BaseException) -> Bug:
        """`exc`, where it was raised, ready to be sent to the parent process."""
        import traceback

        return cls(type(exc).__name__, _text_of(exc), "".join(traceback.format_exception(exc)))


def _text_of(exc: BaseException) -> str:
    """str(exc), even when the exception's own __str__ fails."""
    try:
        return str(exc)
    except Exception:
        from letterkit.i18n import _

        return _("(its message could not be read)")


def bug_problem(exc: BaseException) -> Problem:
    """A bug of ours (not a problem with the user's data) as one line: the exception, and
    where its traceback is (see `traceback_written`). The command line and batch's workers
    both report bugs with it."""
    from letterkit.i18n import _

    kind = exc.kind if isinstance(exc, Bug) else type(exc).__name__  # from the PDF process
    detail = " ".join(_text_of(exc).split())
    return Problem(_("unexpected problem: {error}: {detail}").format(error=kind, detail=detail),
                   hint=_("please report it, with the command you ran and {traceback}").format(
                       traceback=traceback_written(exc)))


def traceback_written(exc: BaseException) -> str:
    """Write the traceback of a bug where its reporter can find it (a file, or on stderr with
    LETTERKIT_DEBUG=1); say where. It never fails, and never leaves an empty or half-written
    file: what cannot be encoded (a file name in argv that is not UTF-8) is escaped."""
    import os
    import sys

    from letterkit.i18n import _

    try:
        text = _traceback(exc)
    except Exception:  # the reporter must not hide the bug it reports
        text = _("{error}: {message}\n(its traceback could not be read)\n").format(
            error=type(exc).__name__, message=_text_of(exc))
    if os.environ.get("LETTERKIT_DEBUG"):
        try:
            encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
            sys.stderr.write(text.encode(encoding, "backslashreplace").decode(encoding))
            sys.stderr.flush()
        except Exception:
            return _("the traceback that LETTERKIT_DEBUG=1 shows")
        return _("the traceback above")
    from letterkit.version import __version__

    report = (f"letterkit {__version__}, Python {sys.version.split()[0]}\n"
              f"command: {' '.join(sys.argv)}\n\n{text}")
    path = _write_report(report.encode("utf-8", "backslashreplace"))
    return (_("the traceback written to {path}").format(path=path) if path
            else _("the traceback that LETTERKIT_DEBUG=1 shows"))


def _traceback(exc: BaseException) -> str:
    """The traceback of `exc`, the other process's first when it was raised there."""
    import traceback

    text = "".join(traceback.format_exception(exc))
    if isinstance(exc, Bug):
        text = f"{exc.traceback_text}\nreceived in the main process:\n{text}"
    return text


def _write_report(data: bytes) -> str | None:
    """`data` in a new file of the temporary folder, whole or not at all: written under a
    temporary name, then renamed. Its path, or None."""
    import contextlib
    import os
    import tempfile

    try:
        handle, partial = tempfile.mkstemp(prefix=".letterkit-bug-", suffix=".part")
    except OSError:
        return None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        folder, name = os.path.split(partial)
        path = os.path.join(folder, name[1:].removesuffix(".part") + ".txt")
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        return None
    return path
