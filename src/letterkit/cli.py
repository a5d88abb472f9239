"""The command line: parse options, call one core function, print, exit. Typer and Rich only."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from letterkit import __version__
from letterkit.errors import DataError, LetterkitError, Problem

app = typer.Typer(
    name="letterkit",
    help="Compose the formal French letters an election list sends to associations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

ProjectOption = Annotated[
    Path | None,
    typer.Option("--project", help="The campaign folder (default: $LETTERKIT_PROJECT, else "
                 "the nearest folder upward holding measures.yaml).", show_default=False),
]


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        err.print(f"[yellow]Warning:[/yellow] {problem}", markup=True, soft_wrap=True)


@contextmanager
def reported() -> Iterator[None]:
    """Turn letterkit's errors into one clear message per problem and exit status 1."""
    try:
        yield
    except DataError as exc:
        _warn([p for p in exc.problems if p.warning])
        for problem in exc.problems:
            if not problem.warning:
                err.print(f"[red]Error:[/red] {problem}", markup=True, soft_wrap=True)
        raise typer.Exit(1) from None
    except LetterkitError as exc:
        err.print(f"[red]Error:[/red] {exc.problem}", markup=True, soft_wrap=True)
        raise typer.Exit(1) from None


def _project(project: Path | None) -> Path:
    from letterkit.data import find_project

    return find_project(project, os.environ.get("LETTERKIT_PROJECT"), Path.cwd())


def _date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"« {value} » is not a date written YYYY-MM-DD") from None


def _formats(value: str) -> tuple[str, ...]:
    from letterkit.build import FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise typer.BadParameter(f"« {value} »: choose among {', '.join(FORMATS)}, "
                                 "comma-separated")
    return formats


def _version(value: bool) -> None:
    if value:
        out.print(f"letterkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Compose the formal French letters an election list sends to associations."""


@app.command()
def compose(
    assoc: Annotated[str, typer.Option("--assoc", help="The association's short name, "
                                       "as in associations.yaml (any case).")],
    themes: Annotated[list[str], typer.Option(
        "--themes", help="Theme tags: repeat the option or separate them with commas.")],
    date: Annotated[str | None, typer.Option(
        "--date", help="The letter's date, YYYY-MM-DD.", show_default="today")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Output folder.", show_default="letters/ in the campaign")] = None,
    formats: Annotated[str, typer.Option(
        "--format", help="Formats to write, comma-separated: md, pdf, html.")] = "md,pdf",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    template: Annotated[str, typer.Option(
        "--template", help="The letter template, templates/letters/NAME.md.j2.")] = "reponse",
    pdfa: Annotated[bool, typer.Option("--pdfa", help="Write the PDF as PDF/A-3b, for "
                                       "archiving.")] = False,
    project: ProjectOption = None,
) -> None:
    """Write the letter to one association as Markdown and PDF, and print the paths.

    Example: letterkit compose --assoc ARPE --themes mediation --date 2026-03-01
    """
    from letterkit.build import Request, compose_in

    request = Request(assoc, themes, _date(date), out_dir, _formats(formats), force, template,
                      pdfa)
    with reported():
        result = compose_in(_project(project), request)
    _warn(result.warnings)
    for path in result.paths:
        out.print(str(path), soft_wrap=True)


def main() -> None:
    """The console script."""
    app()
