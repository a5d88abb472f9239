"""The Typer application and its global options; the commands register on it.

Its command classes speak the interface's language (letterkit.i18n): the usage line, the help
option and the completion options in --help, and, under a French locale, the usage errors
(Typer's own English otherwise: « Error: Missing option '--assoc'. »).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from letterkit.cli.output import err, out, quiet_libraries, say, usage_error_text
from letterkit.i18n import FRENCH, N_, _, bind_gettext_domain
from letterkit.version import __version__

bind_gettext_domain()  # Typer's own strings (« Options », « [default: …] ») from our catalog

# Typer's own strings, which it translates with gettext.gettext: listed for Babel to extract.
TYPER_STRINGS = (N_("Options"), N_("Arguments"), N_("Commands"), N_("default: {default}"),
                 N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"),
                 N_("Missing command."), N_("No such command {name!r}."))

# The help of the options Typer adds, by parameter name.
TYPER_OPTION_HELP = {
    "install_completion": _("Install completion for the current shell."),
    "show_completion": _("Show completion for the current shell, to copy it or customize "
                         "the installation."),
}

# The value an option takes, as --help shows it (Typer's « <str> », « <path> »…), and the
# arguments' names, by parameter name: in French under a French locale.
TYPE_METAVARS = {"str": N_("<str>"), "path": N_("<path>"), "int": N_("<int>"),
                 "int range": N_("<int range>")}
ARGUMENT_METAVARS = {"folder": N_("folder"), "file": N_("file"), "ids": N_("ids")}


def _french_metavar(param: Any) -> None:
    """`param`'s metavar in French, unless the command gives its own."""
    if param.metavar is not None:
        return
    if isinstance(param, TyperArgument) and param.name in ARGUMENT_METAVARS:
        param.metavar = _(ARGUMENT_METAVARS[param.name]) + ("..." if param.nargs != 1 else "")
    elif (isinstance(param, TyperOption) and not param.is_flag
          and param.type.name in TYPE_METAVARS):
        param.metavar = _(TYPE_METAVARS[param.type.name])


class _Translated:
    """What the command classes share: the usage line's prefix, the help option's help and
    that of Typer's completion options, in the interface's language."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in TYPER_OPTION_HELP:
                param.help = TYPER_OPTION_HELP[param.name]
            if FRENCH:
                _french_metavar(param)
        return params


class Command(_Translated, TyperCommand):
    """A letterkit command."""


class Group(_Translated, TyperGroup):
    """The `letterkit` command and its subcommands."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        if not (FRENCH and standalone_mode):
            return super().main(args, prog_name, complete_var, standalone_mode,
                                windows_expand_args, **extra)
        # Typer would print its usage errors in English: here they are printed in French.
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args,
                                **extra)
        except typer.Abort:
            say(_("Aborted!"), err)
            sys.exit(1)
        except typer.TyperException as exc:
            say(usage_error_text(exc), err)
            sys.exit(getattr(exc, "exit_code", 1))
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="letterkit",
    cls=Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    options_metavar=_("[OPTIONS]"),
    subcommand_metavar=_("COMMAND [ARGS]..."),
)


def _version(value: bool) -> None:
    if value:
        out.print(f"letterkit {__version__}")
        raise typer.Exit()


@app.callback(help=_("""Compose the formal French letters an election list sends to associations.

\b
Example:
  letterkit compose --assoc ARPE --themes mediation"""))
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=_("Show the version and exit."))] = False,
) -> None:
    quiet_libraries()
