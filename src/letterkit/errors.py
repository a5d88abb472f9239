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
