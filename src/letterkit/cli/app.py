"""The Typer application and its global options; the commands register on it.

Its command classes speak the interface's language (letterkit.i18n): the usage line, the help
option and the completion options in --help, and, under a French locale, the usage errors
(Typer's own English otherwise: « Error: Missing option '--assoc'. »). They write each
parameter's help themselves, to write what follows it as words: « [default: today] », never
Typer's « [default: (today)] », « x>=1 » or « (dynamic) ».
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from letterkit.cli.output import err, out, quiet_libraries, say, usage_error_text
from letterkit.i18n import FRENCH, N_, _, bind_gettext_domain
from letterkit.version import __version__

bind_gettext_domain()  # Typer's own strings (« Commands », « Aborted! ») from our catalog

# Typer's own strings, which it translates with gettext.gettext: listed for Babel to extract.
TYPER_STRINGS = (N_("Commands"), N_("Aborted!"), N_("Missing command."),
                 N_("No such command {name!r}."))

# The help of the options Typer adds, by parameter name.
TYPER_OPTION_HELP = {
    "install_completion": _("Install completion for the current shell."),
    "show_completion": _("Show completion for the current shell, to copy it or customize "
                         "the installation."),
}

# The value an option takes, as --help shows it (Typer's « <str> », « <path> »…), by type name:
# in French under a French locale, unless the option gives its own.
TYPE_METAVARS = {"str": N_("<str>"), "path": N_("<path>"), "int": N_("<int>"),
                 "int range": N_("<int range>")}


# What follows an option, named for what it is, alike in every command (the type's name,
# « <str> », says nothing of what to type).
OPTION_METAVARS = {
    "--answers": N_("FILE"), "--report": N_("FILE"), "--assoc": N_("NAME"),
    "--template": N_("NAME"), "--document": N_("TITLE"), "--from": N_("DOCUMENT"),
    "--jobs": N_("NUMBER"), "--kind": N_("KIND"), "--measure": N_("MEASURE"),
    "--out": N_("PATH"), "--project": N_("FOLDER"), "--salutation": N_("SALUTATION"),
    "--sign": N_("CERTIFICATE"), "--sign-password-env": N_("VARIABLE"),
    "--theme": N_("THEME"), "--note": N_("TEXT"),
}


def _option_metavar(param: Any) -> None:
    if param.metavar is None and isinstance(param, TyperOption) and not param.is_flag:
        name = next((o for o in param.opts if o in OPTION_METAVARS), None)
        if name is not None:
            param.metavar = _(OPTION_METAVARS[name])
        elif param.name == "gender":
            param.metavar = "f|m"


def _french_metavar(param: Any) -> None:
    """`param`'s metavar in French, unless the command gives its own."""
    if (param.metavar is None and isinstance(param, TyperOption) and not param.is_flag
            and param.type.name in TYPE_METAVARS):
        param.metavar = _(TYPE_METAVARS[param.type.name])


def _argument_metavar(param: Any) -> None:
    """An argument's name as the usage line and « Arguments » show it: its metavar, which
    each command gives in capitals and in the interface's language (`FILE`, `FICHIER`), else
    its parameter's name in capitals (Typer would show `file`)."""
    if isinstance(param, TyperArgument) and param.metavar is None:
        param.metavar = (param.name or "").upper() + ("..." if param.nargs != 1 else "")


def _usage_piece(param: Any) -> str:
    """An argument on the usage line: `FILE`, or `[FILE]` when it may be left out (Typer
    writes a required one in braces, `{FILE}`)."""
    name = str(param.metavar)
    return name if param.required or name.startswith("[") else f"[{name}]"


def _default_text(param: Any, ctx: Any) -> str:
    """What --help says a parameter's default is: the words the command gives for it
    (`show_default=_("today")`), else its value; nothing for a flag that is off or no value."""
    shown = param.show_default
    if isinstance(shown, str):
        return shown
    default = param.get_default(ctx, call=False)
    if default is None or not (shown or ctx.show_default):
        return ""
    if callable(default):  # worked out when the command runs: give it words, show_default=
        return _("computed when the command runs")
    if getattr(param, "is_flag", False):
        if param.secondary_opts:  # --x/--no-x: the one in force
            return str((param.opts if default else param.secondary_opts)[0]).lstrip("-")
        return str(default) if default else ""
    if isinstance(default, list | tuple):
        return ", ".join(map(str, default))
    return str(default.value if isinstance(default, Enum) else default)


def _range_text(kind: Any) -> str:
    """A range's bounds as words, « at least 1 » (Click writes « x>=1 »). Typer's ranges
    include their bounds (typer.Option(min=…, max=…))."""
    if not hasattr(kind, "min_open"):  # not a range
        return ""
    if kind.min is not None and kind.max is not None:
        return _("from {least} to {most}").format(least=kind.min, most=kind.max)
    if kind.min is not None:
        return _("at least {least}").format(least=kind.min)
    return _("at most {most}").format(most=kind.max) if kind.max is not None else ""


def _help_record(param: Any, ctx: Any) -> tuple[str, str] | None:
    """A parameter's line of --help: its name as Typer writes it (`--jobs <int range>`), its
    help, then in brackets its default, its bounds and whether it is required, in words:
    « [default: the number of CPUs; at least 1] »."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    notes = []
    if getattr(param, "show_envvar", False) and isinstance(param.envvar, str):
        notes.append(_("env var: {var}").format(var=param.envvar))
    if default := _default_text(param, ctx):
        notes.append(_("default: {default}").format(default=default))
    if bounds := _range_text(param.type):
        notes.append(bounds)
    if param.required:
        notes.append(_("required"))
    help_text = param.help or ""
    if notes:
        said = notes[0]
        for note in notes[1:]:
            said = _("{first}; {second}").format(first=said, second=note)
        help_text = f"{help_text}  [{said}]" if help_text else f"[{said}]"
    return record[0], help_text


class _Translated:
    """What the command classes share: the usage line (its prefix in the interface's
    language, its arguments in capitals without braces), the help option's help and that of
    Typer's completion options, in the interface's language."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        ours = {piece: _usage_piece(param) for param in self.get_params(ctx)
                if isinstance(param, TyperArgument) for piece in param.get_usage_pieces(ctx)}
        return [ours.get(piece, piece) for piece in pieces]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The « Arguments » and « Options » sections, each line as `_help_record` writes it."""
        records: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
        for param in self.get_params(ctx):
            record = _help_record(param, ctx)
            if record is not None and param.param_type_name in records:
                records[param.param_type_name].append(record)
        for title, kind in ((_("Arguments"), "argument"), (_("Options"), "option")):
            if records[kind]:
                with formatter.section(title):
                    formatter.write_dl(records[kind])

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
            _argument_metavar(param)
            _option_metavar(param)
            if FRENCH:
                _french_metavar(param)
        return params


class Command(_Translated, TyperCommand):
    """A letterkit command."""


class Group(_Translated, TyperGroup):
    """The `letterkit` command and its subcommands."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

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
