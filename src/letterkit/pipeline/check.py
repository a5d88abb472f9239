"""`letterkit check`: every data file, template and answers file of a campaign validated, every
problem collected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from jinja2 import TemplateError

from letterkit.campaign.project import Project, read_project
from letterkit.errors import LetterkitError, Problem
from letterkit.letter.context import letter_context
from letterkit.letter.render import make_environment, render_letter, render_page, template_error
from letterkit.letter.select import select
from letterkit.paths import DEFAULT_TEMPLATE
from letterkit.pipeline.inbox import overdue_warnings
from letterkit.questionnaire.answers import campaign_answers, sample_questions


def check(root: Path, answers: Sequence[Path] = ()) -> tuple[Project | None, list[Problem]]:
    """Validate every data file and every template, and the answers files (those of the
    campaign's answers/ folder as drafts, those given as ready to compose); all problems,
    errors and warnings."""
    project, problems = read_project(root)
    problems += check_templates(project, root)
    if project is not None:
        problems += campaign_answers(root, project.program,
                                     [a.short_name for a in project.associations], answers)
    problems += overdue_warnings(root, dt.date.today())  # the inbox's requests past due
    return project, problems


def check_templates(project: Project | None, root: Path) -> list[Problem]:
    """Every template compiles; with valid data, every letter template and the page render
    for a sample letter (the first association, every theme), so no variable is undefined."""
    env = make_environment(root)
    names = sorted({n for n in env.list_templates(filter_func=lambda n: n.endswith(".j2"))
                    if not n.startswith("letterkit/")})
    problems, compiled = [], []
    for name in names:
        try:
            env.get_template(name)
            compiled.append(name)
        except TemplateError as exc:
            problems.append(template_error(exc, name).problem)
    if project is None or not project.associations or not project.program.measures:
        return problems  # nothing to render a sample letter with
    selection = select(project.program, list(project.program.themes))
    context = letter_context(project, project.associations[0], selection,
                             min(project.campaign.election_rounds, default=dt.date.today()))
    # A questionnaire's letter (compose --answers) also has its questions: a sample one.
    context["questions"] = sample_questions(context)
    for name in compiled:
        if not name.endswith(".md.j2"):
            continue
        try:
            letter = render_letter(env, name.removesuffix(".md.j2"), context, french=False)
            if name == f"{DEFAULT_TEMPLATE}.md.j2":
                render_page(env, letter, dict.fromkeys(
                    ("title", "author", "subject", "keywords", "date"), ""), markdown=False)
        except LetterkitError as exc:
            problems.append(exc.problem)
    return problems
