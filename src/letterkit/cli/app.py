"""The Typer application and its global options; the commands register on it."""

from __future__ import annotations

from typing import Annotated

import typer

from letterkit.cli.output import out, quiet_libraries
from letterkit.version import __version__

app = typer.Typer(
    name="letterkit",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"letterkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Compose the formal French letters an election list sends to associations.

    \b
    Example:
      letterkit compose --assoc ARPE --themes mediation
    """
    quiet_libraries()
