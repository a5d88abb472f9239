"""Everything the command line prints: problems, listings (a Rich table or JSON), and the
translation of letterkit's errors into one line each and an exit status, in the interface's
language (letterkit.i18n): each problem's message and hint were translated where it was raised."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from letterkit.errors import DataError, LetterkitError, Problem, bug_problem
from letterkit.i18n import _, ngettext
from letterkit.text import clean, one_line

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def count(n: int, singular: str, plural: str | None = None) -> str:
    """« 1 measure », « 3 measures »: `singular` and `plural` hold `{n}` (Babel extracts them
    as ngettext's). Given a bare noun only (« measure »), the English plural, untranslated."""
    if plural is None:
        return f"{n} {singular}" + ("s" if n != 1 else "")
    return ngettext(singular, plural, n).format(n=n)


def utc(moment: str) -> str:
    """« 2026-03-02T09:14:05+00:00 » → « 2026-03-02 09:14:05 UTC »."""
    return moment.replace("T", " ").replace("+00:00", " UTC")


def say(text: str, console: Console = out, style: str = "") -> None:
    """Print a line as plain text: never read as Rich markup, control characters removed (a
    file or association name cannot drive the terminal)."""
    console.print(Text(clean(text), style))


def problem_text(problem: Problem) -> str:
    """A problem as one line, « file, line 3, key measures[2]: message — hint »."""
    return one_line(str(problem))


def print_problems(problems: list[Problem], console: Console = err) -> None:
    for problem in problems:
        label = (_("Warning:"), "yellow") if problem.warning else (_("Error:"), "red")
        console.print(Text.assemble(label, " ", problem_text(problem)))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@dataclass(frozen=True)
class Column:
    """A table column: its header, and how a row shows in it (text, never Rich markup)."""

    header: str
    cell: Callable[[dict[str, Any]], str | Text]
    fold: bool = False  # long values wrap inside the column instead of being cut


def table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str) -> Table:
    """A Rich table of plain text: no cell is read as markup, none holds a control character."""
    shown = Table(*(c.header for c in columns), title=Text(clean(title)))
    for column, rich_column in zip(columns, shown.columns, strict=True):
        if column.fold:
            rich_column.overflow = "fold"
    for row in rows:
        cells = (column.cell(row) for column in columns)
        shown.add_row(*(Text(clean(c.plain), c.style) if isinstance(c, Text) else Text(clean(c))
                        for c in cells))
    return shown


def output_rows(rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, title: str,
                as_json: bool = False) -> None:
    """Print a listing: the rows as JSON for scripts, else a table of `columns`."""
    if as_json:
        print_json(list(rows))
    else:
        out.print(table(rows, columns, title))


@contextmanager
def reported() -> Iterator[None]:
    """Turn letterkit's errors into one clear line per problem and exit status 1; usage
    errors go on to Typer (exit 2); a bug of ours is one line too, its traceback in a file."""
    try:
        yield
    except (typer.BadParameter, typer.Exit, typer.Abort):  # Typer's own: usage errors
        raise
    except DataError as exc:
        print_problems(exc.problems)
        raise typer.Exit(1) from None
    except LetterkitError as exc:
        print_problems([exc.problem])
        raise typer.Exit(1) from None
    except Exception as exc:
        print_problems([bug_problem(exc)])
        raise typer.Exit(1) from None


# Typer's usage errors, as it words them, and in the interface's language.
_TYPER_MESSAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)"),
     lambda m: _("Got unexpected extra argument(s) ({arguments})").format(**m.groupdict())),
    (re.compile(r"Option '(?P<option>[^']*)' requires (an argument|\d+ arguments)\.?"),
     lambda m: _("Option {option} requires a value.").format(option=m["option"])),
    (re.compile(r"Option '(?P<option>[^']*)' does not take a value\."),
     lambda m: _("Option {option} does not take a value.").format(option=m["option"])),
    (re.compile(r"'.*' is not a valid (integer|int range|int)\."),
     lambda m: _("a whole number is expected here")),
    (re.compile(r"-?\d+ is not in the range x>=(?P<least>-?\d+)\."),
     lambda m: _("the least value is {least}").format(least=m["least"])),
)


def _typer_message(message: str) -> str:
    for pattern, translated in _TYPER_MESSAGES:
        if found := pattern.fullmatch(message):
            return translated(found)
    return _(message)


def _error_hint(param: Any, ctx: Any) -> str:
    """How Typer names a parameter in an error (« '--jobs' »): its get_error_hint takes the
    context in some versions of Typer, not in others."""
    try:
        return str(param.get_error_hint(ctx))
    except TypeError:
        return str(param.get_error_hint())


def usage_error_text(exc: Exception) -> str:
    """A usage error Typer raised, as Typer would show it (usage line, where to find help,
    the error), in the interface's language; read from the exception's public attributes."""
    kind = type(exc).__name__
    message: str = getattr(exc, "message", "") or ""
    ctx = getattr(exc, "ctx", None)
    if kind == "NoArgsIsHelpError":
        return message
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None) or (_error_hint(param, ctx) if param else None)
    if not isinstance(hint, str | None):
        hint = " / ".join(repr(x) for x in hint)
    if kind == "NoSuchOption":
        text = _("No such option: {option}").format(option=exc.option_name)  # type: ignore[attr-defined]
        if getattr(exc, "possibilities", None):
            text += " " + _("(Possible options: {options})").format(
                options=", ".join(sorted(exc.possibilities)))  # type: ignore[attr-defined]
    elif kind == "MissingParameter":
        what = getattr(exc, "param_type", None) or (param.param_type_name if param else "")
        text = (_("Missing argument {name}.") if what == "argument"
                else _("Missing option {name}.")).format(name=hint or "")
    elif kind in ("BadParameter",) or (param is not None and hint):
        text = (_("Invalid value for {name}: {message}").format(
                    name=hint, message=_typer_message(message)) if hint
                else _("Invalid value: {message}").format(message=_typer_message(message)))
    else:
        text = _typer_message(message)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(_("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(_("Error: {message}").format(message=text))
    return "\n".join(lines)


def quiet_libraries() -> None:
    """Messages of the libraries letterkit uses are not the user's: without a handler of our
    own, Python's last-resort handler would print them (a traceback, sometimes) on stderr."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
