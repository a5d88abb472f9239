"""Options shared by several commands, and their parsing: campaign folder, dates, formats,
the signing certificate."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from letterkit.errors import LetterkitError
from letterkit.i18n import _

if TYPE_CHECKING:
    from letterkit.campaign.project import Project
    from letterkit.formats.sign import Certificate

ProjectOption = Annotated[
    Path | None,
    typer.Option("--project", help=_("The campaign folder (default: $LETTERKIT_PROJECT, else "
                 "the nearest folder upward holding measures.yaml)."), show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))]
SignOption = Annotated[Path | None, typer.Option(
    "--sign", help=_("Sign the PDF (PAdES) with this PKCS#12 certificate (.p12)."),
    show_default=False)]
SignPasswordOption = Annotated[str | None, typer.Option(
    "--sign-password-env", help=_("The environment variable that holds the certificate's "
    "password (else it is asked for, hidden)."), show_default=False)]
ForceOption = Annotated[bool, typer.Option("--force", help=_("Overwrite existing files."))]
OutOption = Annotated[Path | None, typer.Option(
    "--out", help=_("Output folder."), show_default=_("letters/ in the campaign folder"))]


def root(project: Path | None) -> Path:
    """The campaign folder: --project, else $LETTERKIT_PROJECT, else the nearest upward."""
    from letterkit.paths import find_project

    return find_project(project, os.environ.get("LETTERKIT_PROJECT"), Path.cwd())


def load(project: Path | None) -> Project:
    """The campaign, loaded and checked in full; its data noted as valid for the quick
    listings (campaign/quick.py)."""
    from letterkit.campaign import quick
    from letterkit.campaign.project import load_project

    folder = root(project)
    key = quick.data_key(folder)
    loaded = load_project(folder)
    quick.remember_valid(folder, key)
    return loaded


def parse_date(value: str | None) -> dt.date:
    """--date: as a batch file writes it (2026-03-02, 02/03/2026, 2 mars 2026), today when not
    given."""
    from letterkit.pipeline import values

    if value is None:
        return dt.date.today()
    try:
        return values.parse_date(value)
    except ValueError as exc:
        raise typer.BadParameter(_(str(exc))) from None


def parse_formats(value: str) -> tuple[str, ...]:
    """--format: comma-separated formats among those letterkit writes."""
    from letterkit.pipeline import values

    try:
        return values.parse_formats(value)
    except ValueError as exc:
        raise typer.BadParameter(_(str(exc))) from None


def given(ctx: typer.Context, name: str) -> bool:
    """Whether the option whose parameter is `name` was given (not left to its default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")


def refuse_unused(ctx: typer.Context, unused: dict[str, str]) -> None:
    """A usage error (exit 2) for an option given where it would do nothing: never ignored
    silently. `unused` maps a parameter name to why it does nothing here."""
    for name, why in unused.items():
        if given(ctx, name):
            option = next(p.opts[0] for p in ctx.command.params if p.name == name)
            raise typer.BadParameter(_("{option} {why}").format(option=option, why=why), ctx)


def certificate(path: Path | None, password_env: str | None) -> Certificate | None:
    """The signing certificate, its password from the environment or a hidden prompt."""
    if path is None:
        if password_env:
            raise typer.BadParameter(_("--sign-password-env goes with --sign CERT.p12"))
        return None
    from letterkit.formats.sign import Certificate, signer_name

    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            raise LetterkitError(_("the environment variable {variable} is not set").format(
                variable=password_env), hint=_("set it to the certificate's password, or leave "
                                               "out --sign-password-env to be asked for it"))
    else:
        try:
            password = typer.prompt(_("Password of {path}").format(path=path), hide_input=True,
                                    err=True)
        except typer.Abort:  # no terminal to type it on
            raise typer.BadParameter(_(
                "no password given for {path}: type it when asked, or name the variable that "
                "holds it with --sign-password-env").format(path=path)) from None
    found = Certificate(path, password)
    signer_name(found)  # a wrong password or file is said now, before any letter
    return found


# compose's options for a sender missing from associations.yaml (with --salutation).
KindOption = Annotated[str | None, typer.Option(
    "--kind", help=_("With --salutation: what the sender is, « association » by default: "
    "collectif, club, syndicat…, or « personne » for a person (« Madame Dupont »)."))]
GenderOption = Annotated[str | None, typer.Option(
    "--gender", help=_("With --salutation: the sender's gender (f or m), when its kind does "
    "not say it."))]
