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
        where = ", ".join(
            part
            for part in (
                self.file,
                f"line {self.line}" if self.line else None,
                f"key {self.key}" if self.key else None,
            )
            if part
        )
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} — {self.hint}" if self.hint else text


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
        self.problem = errors[0] if errors else Problem("invalid data")


def bug_problem(exc: BaseException) -> Problem:
    """A bug of ours (not a problem with the user's data) as one line: the exception, and
    where its traceback is (see `traceback_written`). The command line and batch's workers
    both report bugs with it."""
    detail = " ".join(str(exc).split())
    return Problem(f"unexpected problem: {type(exc).__name__}: {detail}",
                   hint="please report it, with the command you ran and "
                   + traceback_written(exc))


def traceback_written(exc: BaseException) -> str:
    """Write the traceback of a bug where its reporter can find it (a file, or on stderr with
    LETTERKIT_DEBUG=1); say where."""
    import os
    import sys
    import tempfile
    import traceback

    from letterkit.version import __version__

    text = "".join(traceback.format_exception(exc))
    if os.environ.get("LETTERKIT_DEBUG"):
        sys.stderr.write(text)
        return "the traceback above"
    try:
        handle, path = tempfile.mkstemp(prefix="letterkit-bug-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(f"letterkit {__version__}, Python {sys.version.split()[0]}\n"
                         f"command: {' '.join(sys.argv)}\n\n{text}")
    except OSError:
        return "the traceback that LETTERKIT_DEBUG=1 shows"
    return f"the traceback written to {path}"
