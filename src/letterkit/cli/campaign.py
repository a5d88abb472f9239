"""The commands on the campaign folder as a whole: check and init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from letterkit.cli.options import ProjectOption, root
from letterkit.cli.output import count, out, print_problems, reported, say


def check(
    answers: Annotated[list[Path] | None, typer.Option(
        "--answers", help="Also check this answers file as compose --answers reads it (a "
        "question left blank is an error); repeat for several.", show_default=False)] = None,
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
        say(f"{count(errors, 'error')}, {count(warnings, 'warning')} in {folder}")
        raise typer.Exit(1)
    say(f"OK: {count(len(loaded.program.measures), 'measure')}, "
              f"{count(len(loaded.program.themes), 'theme')}, "
              f"{count(len(loaded.associations), 'association')}"
              + (f", {count(warnings, 'warning')}" if warnings else "") + f" in {folder}")


def init(folder: Annotated[Path, typer.Argument(help="The new campaign folder.")]) -> None:
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
    say(f"Campaign created in {folder}: edit its YAML files, then run "
              f"letterkit compose --project {folder} --assoc ARPE --themes mediation")
