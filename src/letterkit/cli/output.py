"""Everything the command line prints: problems, listings (a Rich table or JSON), and the
translation of letterkit's errors into one line each and an exit status."""

from __future__ import annotations

import json
import logging
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
from letterkit.text import clean, one_line

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def count(n: int, noun: str) -> str:
    """« 1 measure », « 3 measures »."""
    return f"{n} {noun}" + ("s" if n != 1 else "")


def utc(moment: str) -> str:
    """« 2026-03-02T09:14:05+00:00 » → « 2026-03-02 09:14:05 UTC »."""
    return moment.replace("T", " ").replace("+00:00", " UTC")


def say(text: str, console: Console = out, style: str = "") -> None:
    """Print a line as plain text: never read as Rich markup, control characters removed (a
    file or association name cannot drive the terminal)."""
    console.print(Text(clean(text), style))


def print_problems(problems: list[Problem], console: Console = err) -> None:
    for problem in problems:
        label = ("Warning:", "yellow") if problem.warning else ("Error:", "red")
        console.print(Text.assemble(label, " ", one_line(str(problem))))


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


def quiet_libraries() -> None:
    """Messages of the libraries letterkit uses are not the user's: without a handler of our
    own, Python's last-resort handler would print them (a traceback, sometimes) on stderr."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
