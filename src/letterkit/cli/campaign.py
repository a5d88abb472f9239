"""The commands on the campaign folder as a whole: check and init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from letterkit.cli import completion
from letterkit.cli.options import ProjectOption, root
from letterkit.cli.output import count, out, print_problems, reported, say
from letterkit.i18n import _


def check(
    answers: Annotated[list[Path] | None, typer.Option(
        "--answers", help=_("Also check this answers file as compose --answers reads it (a "
        "question left blank is an error); repeat for several."), show_default=False,
        shell_complete=completion.answers)] = None,
    project: ProjectOption = None,
) -> None:
    """Validate every data file and template, and report every problem found.

    Each problem is one line: file, line, key and a hint. Exit status 1 if there is an error
    (warnings alone do not fail). The answers files of the campaign's answers/ folder are
    checked as drafts: a question still blank is a warning there.

    \b
    Examples:
      letterkit check
      letterkit check --answers answers/roue-libre.yaml
    """
    from letterkit.pipeline.check import check as check_campaign

    with reported():
        folder = root(project)
        loaded, problems = check_campaign(folder, answers or [])
    print_problems(problems, out)
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    if errors or loaded is None:
        say(_("{errors}, {warnings} in {folder}").format(
            errors=count(errors, "{n} error", "{n} errors"),
            warnings=count(warnings, "{n} warning", "{n} warnings"), folder=folder))
        raise typer.Exit(1)
    found = {"measures": count(len(loaded.program.measures), "{n} measure", "{n} measures"),
             "themes": count(len(loaded.program.themes), "{n} theme", "{n} themes"),
             "associations": count(len(loaded.associations), "{n} association",
                                   "{n} associations"),
             "warnings": count(warnings, "{n} warning", "{n} warnings"), "folder": folder}
    say((_("OK: {measures}, {themes}, {associations}, {warnings} in {folder}") if warnings
         else _("OK: {measures}, {themes}, {associations} in {folder}")).format(**found))


def init(folder: Annotated[Path, typer.Argument(metavar=_("FOLDER"),
                                                  help=_("The new campaign folder."))]) -> None:
    """Create a campaign folder with the example data and a copy of the templates.

    \b
    Example:
      letterkit init ma-campagne && cd ma-campagne && letterkit check
    """
    from letterkit.campaign.scaffold import init as init_campaign

    with reported():
        created = init_campaign(folder)
    for path in created:
        say(str(path))
    say(_("Campaign created in {folder}: edit its YAML files, then run letterkit compose "
          "--project {folder} --assoc ARPE --themes mediation").format(folder=folder))
