"""The answers file: read it, check it against the program, and say what is missing.

The file is written by `letterkit questions` and completed by the team (its format:
docs/questionnaires.md, « The answers file »). Every problem is located by file, line and
key, like the campaign's files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from letterkit.campaign.models import Association, Model, Program
from letterkit.campaign.project import Project
from letterkit.campaign.rules import to_model
from letterkit.campaign.yamlfile import KeyPath, Source, key_path, read_yaml
from letterkit.errors import DataError, LetterkitError, Problem
from letterkit.i18n import _
from letterkit.text import did_you_mean

POSITIONS = {"oui": "Oui.", "non": "Non.", "en partie": "En partie."}
ANSWERS_DIR = "answers"  # where `questions` writes, and where `check` looks


class Answer(Model):
    number: int = Field(gt=0)
    question: str | None = None
    position: str | None = None
    measures: list[int] = Field(default_factory=list)
    answer: str | None = None
    position_alone: bool = False  # the team decided the position is the whole answer

    @field_validator("position", "answer", "question", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("position", mode="before")
    @classmethod
    def _yaml_booleans(cls, value: object) -> object:
        # YAML reads « yes », « no », « on », « off » as booleans.
        return {True: "oui", False: "non"}.get(value, value) if isinstance(value, bool) \
            else value

    @field_validator("measures", mode="before")
    @classmethod
    def _no_measures(cls, value: object) -> object:
        return [] if value is None else value

    @property
    def position_text(self) -> str | None:
        """« Oui. », « Non. », « En partie. », or None."""
        return POSITIONS.get(" ".join(self.position.lower().split())) if self.position else None

    @property
    def blank(self) -> bool:
        return not (self.position or self.measures or self.answer)


class Answers(Model):
    assoc: str
    document: str | None = None
    questions: list[Answer] = Field(min_length=1)


@dataclass
class AnswersFile:
    """An answers file, read and checked: its answers, and where each question is."""

    name: str
    answers: Answers
    source: Source

    def line(self, index: int, key: str | None = None) -> int | None:
        path: KeyPath = ("questions", index) + ((key,) if key else ())
        return self.source.line(path)


def read_answers(path: Path, name: str, program: Program, assoc: str | None = None,
                 complete: bool = True) -> tuple[AnswersFile | None, list[Problem]]:
    """Read and check one answers file; its problems, errors and warnings, in file order.

    `assoc`, when given, is the association the letter is for: a file for another one is an
    error. With `complete`, a question left blank (or with a position alone, unless the team
    said `position_alone: true`) is an error; otherwise, as `check` reads a draft, a warning.
    """
    problems: list[Problem] = []
    source = read_yaml(path, name, problems)
    if source is None:
        return None, problems
    answers = to_model(Answers, source, problems)
    if answers is None:
        return None, problems

    def add(message: str, where: KeyPath, hint: str, warning: bool = False) -> None:
        problems.append(Problem(message, file=name, line=source.line(where),
                                key=key_path(where), hint=hint, warning=warning))

    if assoc is not None and answers.assoc.casefold() != assoc.casefold():
        add(_("this answers file is for « {found} », not « {assoc} »").format(
            found=answers.assoc, assoc=assoc), ("assoc",),
            # The name in straight quotes, as the shell takes it (French typography would
            # make « » of quotes written in the message).
            _("give the answers file of {assoc}, or compose with --assoc {quoted}").format(
                assoc=assoc, quoted=f'"{answers.assoc}"'))
    known = {m.number for m in program.measures}
    seen: dict[int, int] = {}
    for index, answer in enumerate(answers.questions):
        at: KeyPath = ("questions", index)
        if answer.number in seen:
            add(_("question number {number} is used twice (also on line {line})").format(
                number=answer.number, line=source.line(("questions", seen[answer.number]))),
                at + ("number",), _("give each question its own number"))
        seen.setdefault(answer.number, index)
        _check_answer(answer, at, known, complete, add)
    if any(not p.warning for p in problems):
        return None, problems
    return AnswersFile(name, answers, source), problems


def _check_answer(answer: Answer, at: KeyPath, known: set[int], complete: bool,
                  add: Callable[..., None]) -> None:
    """One question's problems: its text, its position, its measures, what it lacks."""
    if answer.question is None:
        add(_("question {number} has no text").format(number=answer.number),
            at + ("question",), _("write the question as the association asked it"))
    if answer.position and answer.position_text is None:
        add(_("unknown position « {position} »").format(position=answer.position),
            at + ("position",), _("write oui, non or en partie, or leave it empty"))
    for m, number in enumerate(answer.measures):
        if number not in known:
            nearest = min(known, key=lambda n: abs(n - number), default=None)
            add(_("measure {number} is not in the program").format(number=number),
                at + ("measures", m),
                _("did you mean {nearest}? letterkit measures lists the program's measures")
                .format(nearest=nearest) if nearest
                else _("letterkit measures lists the program's measures"))
    if answer.blank:
        add(_("question {number} is unanswered: no position, no measure and no answer")
            .format(number=answer.number), at,
            _("fill in its position, measures or answer"), not complete)
    elif answer.position and not (answer.measures or answer.answer or answer.position_alone):
        add(_("question {number} has only a position (« {position} »)").format(
            number=answer.number, position=answer.position), at + ("position",),
            _("add the measures or an answer that back it, or write « position_alone: true » "
              "if the position is the whole answer"), not complete)


def load_answers(path: Path, program: Program, assoc: str) -> tuple[AnswersFile, list[Problem]]:
    """The answers file for `assoc`, complete; DataError listing every problem otherwise."""
    if not path.is_file():
        raise LetterkitError(_("file not found") if not path.exists() else _("not a file"),
                             file=str(path), hint=_("give the answers file that letterkit "
                                                    "questions wrote, e.g. "
                                                    "answers/<association>.yaml"))
    answers, problems = read_answers(path, str(path), program, assoc, complete=True)
    if answers is None:
        raise DataError(problems)
    return answers, [p for p in problems if p.warning]


def campaign_answers(root: Path, program: Program, associations: list[str],
                     given: Sequence[Path] = ()) -> list[Problem]:
    """`check`: every answers file of the campaign's answers/ folder, read as drafts (a blank
    question is a warning), then each file `given`, read as compose reads it (an error)."""
    folder = root / ANSWERS_DIR
    found = [(p, f"{ANSWERS_DIR}/{p.name}", False) for p in sorted(folder.glob("*.y*ml"))] \
        if folder.is_dir() else []
    found += [(p, str(p), True) for p in given]
    problems: list[Problem] = []
    known = {a.casefold() for a in associations}
    for path, name, complete in found:
        if not path.is_file():
            problems.append(Problem(_("file not found"), file=name,
                                    hint=_("give the answers file that letterkit questions "
                                           "wrote")))
            continue
        answers, met = read_answers(path, name, program, complete=complete)
        problems += met
        if answers and answers.answers.assoc.casefold() not in known:
            problems.append(Problem(
                _("unknown association « {name} »").format(name=answers.answers.assoc),
                file=name, line=answers.source.line(("assoc",)), key="assoc",
                hint=_("{suggestion} compose will need its --salutation").format(
                    suggestion=did_you_mean(answers.answers.assoc, associations,
                                            "associations")), warning=True))
    return problems


# --- The letter ------------------------------------------------------------------------------

def question_text(text: str) -> str:
    """The question on one line, its bullets joined into the sentence, for a letter or a
    spreadsheet cell: « … actives : en investissement ; en fonctionnement ? »."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        item = line[2:] if line.startswith("- ") else line
        joined += (" " if joined.endswith((":", ";", ",", ".", "?", "!", "…")) else ", ") + item
    return joined


QUESTIONNAIRE_TEMPLATE = "questionnaire"


def requested(project: Project, association: Association, path: Path | None,
              data: dict[str, Any] | None) -> tuple[Answers, list[Problem]]:
    """The answers a request gives: its file, read and checked for this association, or the
    data a ledger row kept (to compose the same letter again)."""
    if data is not None:
        return Answers.model_validate(data), []
    assert path is not None
    loaded, warnings = load_answers(path, project.program, association.short_name)
    return loaded.answers, warnings


def template(env: Any, name: str) -> str:
    """The template of a questionnaire's letter: `questionnaire` unless another is asked
    for. It extends the reply, whose `reception` and `measures` blocks it replaces: a
    campaign's own copy of an older reply without them would silently drop the answers."""
    from jinja2 import TemplateError

    from letterkit.paths import DEFAULT_TEMPLATE, TEMPLATES_DIR

    name = QUESTIONNAIRE_TEMPLATE if name == DEFAULT_TEMPLATE else name
    try:
        reply = env.get_template(f"{DEFAULT_TEMPLATE}.md.j2")
    except TemplateError:
        return name  # rendering the letter says what is wrong
    missing = [b for b in ("reception", "measures") if b not in reply.blocks]
    if missing and name == QUESTIONNAIRE_TEMPLATE:
        message = (_("the campaign's reply template has no {block} block, where the "
                     "questionnaire's letter puts the answers").format(block=missing[0])
                   if len(missing) == 1 else
                   _("the campaign's reply template has no {first} or {second} block, where "
                     "the questionnaire's letter puts the answers").format(
                       first=missing[0], second=missing[1]))
        raise LetterkitError(
            message, file=f"{TEMPLATES_DIR}/{DEFAULT_TEMPLATE}.md.j2",
            hint=_("copy letterkit's reponse.md.j2 again (letterkit init in an empty folder "
                   'gives one), or write your changes in a template that {% extends '
                   '"letterkit/reponse.md.j2" %}'))
    return name


def letter_context(project: Project, association: Association, answers: Answers,
                   themes: list[str], date: dt.date, numbers: Sequence[int] = (),
                   exclude: Sequence[int] = ()) -> dict[str, Any]:
    """The context of the questionnaire letter: the reply's, plus `questions`, each with its
    position, the measures it cites worded as sentences of the program, and its answer."""
    from letterkit.letter import render
    from letterkit.letter.render import Prose
    from letterkit.letter.select import Selection, select

    cited: list[int] = []
    questions = []
    for answer in answers.questions:
        paragraphs = []
        if answer.measures:
            # An answer answers: no paragraph lead inside it, only the measures' sentences.
            selection = select(project.program, [], numbers=answer.measures, leads=False)
            paragraphs = [{"text": Prose(" ".join(paragraph.sentences)),
                           "measures": [m.number for m in paragraph.measures]}
                          for paragraph in selection.paragraphs]
            cited += [m.number for m in selection.measures if m.number not in cited]
        questions.append({
            "number": answer.number,
            "question": question_text(answer.question or ""),
            "position": Prose(answer.position_text) if answer.position_text else None,
            "paragraphs": paragraphs,
            "measures": list(answer.measures),
            "answer": Prose(answer.answer) if answer.answer else None,
        })
    others = Selection(themes, [])
    if themes or numbers:
        try:
            others = select(project.program, themes, numbers, [*cited, *exclude],
                            own=association.themes)
        except LetterkitError:
            others = Selection(themes, [])  # every measure of these themes answers a question
    context = render.letter_context(project, association, others, date)
    context["questions"] = questions
    context["answered"] = cited
    context["measures"] = cited + [n for n in context["measures"] if n not in cited]
    return context


def sample_questions(context: dict[str, Any]) -> list[dict[str, Any]]:
    """`check`'s sample of a questionnaire letter's `questions`: one question, answered with
    the sample letter's first paragraph; the same shape `letter_context` gives."""
    from letterkit.letter.render import Prose

    first = context["paragraphs"][:1]
    return [{"number": 1, "question": "Question ?", "position": Prose(POSITIONS["oui"]),
             "paragraphs": [{"text": p.get("text") or p["body"], "measures": p["measures"]}
                            for p in first],
             "measures": [n for p in first for n in p["measures"]], "answer": Prose("Réponse.")}]


# --- The answers as a spreadsheet --------------------------------------------------------------

CSV_HEADER = ("Numéro", "Question", "Position", "Réponse")


def _plain(markdown: str) -> str:
    """Markdown as plain text: emphasis dropped, escapes resolved, paragraphs on lines."""
    import html
    import re

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": False}).render(markdown)
    text = re.sub(r"</p>\s*", "\n", rendered)
    text = re.sub(r"<br\s*/?>|</li>\s*", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _cell(text: str) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula: never ours."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def answers_csv(context: dict[str, Any]) -> bytes:
    """One row per question: number, question, position, the answer as plain text citing
    « mesure N ». UTF-8 with a BOM, « ; » between cells and CRLF line ends: a French
    spreadsheet opens it directly, without an import dialog."""
    import csv
    import io

    from letterkit.letter.typography import typeset, typeset_text

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for question in context["questions"]:
        # As the letter says it: position, measures and answer's first paragraph in one.
        parts = [question["position"], *(p["text"] for p in question["paragraphs"]),
                 question["answer"]]
        reply = " ".join(p for p in parts if p)
        position = (question["position"] or "").rstrip(".")
        writer.writerow([str(question["number"]), _cell(typeset_text(question["question"])),
                         position, _cell(_plain(typeset(reply)))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
