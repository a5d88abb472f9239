"""`letterkit questions`: a questionnaire in, the draft answers file out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from letterkit.cli import completion
from letterkit.cli.options import ForceOption, ProjectOption, load
from letterkit.cli.output import count, err, print_problems, reported, say
from letterkit.i18n import _


def questions(
    file: Annotated[Path, typer.Argument(
        metavar=_("FILE"), help=_("The questionnaire as the association sent it: .txt, .md, "
                                  ".pdf, .docx or .odt."))],
    assoc: Annotated[str, typer.Option("--assoc", help=_("The association's short name, as in "
                                       "associations.yaml (any case)."),
                                       shell_complete=completion.associations)],
    out_file: Annotated[Path | None, typer.Option(
        "--out", help=_("The answers file to write."),
        show_default=_("answers/<association>.yaml in the campaign folder"))] = None,
    force: ForceOption = False,
    project: ProjectOption = None,
) -> None:
    """Find the numbered questions of a questionnaire and write the draft answers file.

    Each question gets its number, its text and the measures letterkit suggests for it; the
    team fills in position (oui, non, en partie), measures and answer, then composes the
    letter with compose --answers.

    \b
    Examples:
      letterkit questions questionnaire-roue-libre.pdf --assoc "Roue Libre"
      letterkit compose --assoc "Roue Libre" --answers answers/roue-libre.yaml
    """
    from contextlib import nullcontext

    from rich.progress import Progress

    from letterkit.questionnaire.draft import write_draft

    # A long PDF takes a while: its pages read, on the terminal only.
    bar = Progress(console=err, transient=True) if err.is_terminal else None
    with reported(), bar if bar is not None else nullcontext():
        task = (bar.add_task(_("Reading {file}").format(file=file.name), total=None)
                if bar is not None else None)
        drafted = write_draft(load(project), file, assoc, out_file, force,
                              None if bar is None or task is None else (
                                  lambda done, total: bar.update(task, completed=done,
                                                                 total=total)))
    print_problems(drafted.warnings)
    suggested = sum(bool(q.suggested) for q in drafted.questions)
    say(_("{questions} found in {file}; measures suggested for {suggested} of them. Fill in "
          "position, measures and answer for each, then compose the letter with --answers."
          ).format(questions=count(len(drafted.questions), "{n} question", "{n} questions"),
                   file=file.name, suggested=suggested), err)
    say(str(drafted.path))
