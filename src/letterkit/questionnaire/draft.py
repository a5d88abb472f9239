"""The draft answers file: what `letterkit questions` writes for the team to complete.

The questions come from `questions.find_questions`, the measures suggested for each from
`questions.suggest_measures`; `answers.py` reads the completed file back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from letterkit.campaign.models import Association, Document, Program
from letterkit.campaign.project import Project
from letterkit.errors import LetterkitError, Problem
from letterkit.i18n import N_, _, reason
from letterkit.letter.sender import sender as naming
from letterkit.paths import ASSOCIATIONS_FILE
from letterkit.questionnaire.questions import Question, find_questions, suggest_measures
from letterkit.text import clean, did_you_mean

POSITIONS = ("oui", "non", "en partie")

HEADER = """\
# Réponses de la liste « {list_name} » au questionnaire {of_assoc}.
# Brouillon écrit par « letterkit questions » à partir de {document}.
#
# Pour chaque question, l'équipe complète :
#   position : oui, non, en partie, ou rien quand la question n'appelle pas un oui ou un non
#              (la lettre écrit « Oui. », « Non. » ou « En partie. ») ;
#   measures : les numéros des mesures du programme que la lettre cite pour y répondre.
#              letterkit en suggère quand il en trouve : vérifiez-les, corrigez-les
#              (« letterkit measures » les liste), ou écrivez [] pour n'en citer aucune ;
#   answer   : la réponse libre, en Markdown, écrite après les mesures (un chiffre, un
#              engagement, une précision). Sur plusieurs lignes, commencez par « answer: >- ».
# Une question sans position, sans mesure et sans réponse n'est pas répondue :
# « letterkit compose --answers » refuse alors d'écrire la lettre et la nomme.
# Une position seule ne suffit pas non plus, sauf si l'équipe le décide pour cette question
# en ajoutant « position_alone: true » (la lettre répond alors seulement « Oui. »).
# Le texte des questions est cité tel quel dans la lettre : corrigez-le s'il a été mal lu.
"""


def _scalar(value: str) -> str:
    """A one-line YAML scalar: plain when it reads back the same, else double-quoted."""
    import json

    import yaml

    try:
        if value and yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _comment(value: str) -> str:
    """A value as it may go into a YAML comment: one line, without control characters."""
    return " ".join(clean(value).split())


def _text_block(text: str, indent: str, width: int = 92) -> str:
    """A YAML block scalar holding `text` exactly: folded, or literal when it has lines."""
    import textwrap

    if "\n" in text:
        return "|-\n" + "\n".join(indent + line for line in text.split("\n"))
    # Never a line starting with « ? », « : » or « » »: the space before them holds.
    glued = re.sub(r" (?=[?!:;»])", "\x00", text).replace("« ", "«\x00")
    lines = textwrap.wrap(glued, width - len(indent), break_long_words=False,
                          break_on_hyphens=False)
    return ">-\n" + "\n".join(indent + line.replace("\x00", " ") for line in lines)


def draft(program: Program, list_name: str, assoc: str, document: str,
          questions: list[Question], sender: Association | None = None) -> str:
    """The answers file `questions` writes: every question, its suggested measures, and
    French comments saying what to fill in (in French whatever the interface's language:
    the file is the team's, as the letter is). `sender` names the association in them
    (« au questionnaire des Jardiniers du Lavoir »); by default, one named `assoc`."""
    titles = {m.number: m.title or m.text for m in program.measures}
    sender = sender or Association(short_name=assoc, salutation="-",
                                   document=Document(kind="questionnaire"))
    of_assoc = naming(sender).de
    out = [HEADER.format(list_name=_comment(list_name), of_assoc=_comment(of_assoc),
                         document=_comment(document)),
           f"assoc: {_scalar(assoc)}", f"document: {_scalar(document)}", "questions:"]
    for question in questions:
        out.append(f"  - number: {question.number}")
        out.append(f"    question: {_text_block(question.text, ' ' * 6)}")
        if question.original is not None and question.original != question.number:
            out.append(f"    # numérotée {question.original} dans sa partie du questionnaire "
                       f"(ligne {question.line})")
        if question.suggested:
            out.append("    # letterkit suggère (mots en commun) :")
            out += [f"    #   mesure {s.number}, {_title(titles[s.number])} "
                    f"({', '.join(s.words[:4])})" for s in question.suggested]
        else:
            out.append("    # letterkit ne trouve aucune mesure qui y réponde sûrement.")
        if question.maybe:
            out.append("    # à voir peut-être :")
            out += [f"    #   mesure {s.number}, {_title(titles[s.number])} "
                    f"({', '.join(s.words[:4])})" for s in question.maybe]
        out.append("    position:")
        out.append(f"    measures: [{', '.join(str(s.number) for s in question.suggested)}]")
        out.append("    answer:")
        out.append("")
    return "\n".join(out)


def _title(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


# --- letterkit questions ----------------------------------------------------------------------

NO_QUESTION_HINT = N_("letterkit looks for questions numbered « 1. », « 1) », « Q1 : » or "
                      "« Question 1 – » at the start of a line; number them so in a copy, or "
                      "write the answers file by hand (docs/questionnaires.md)")


@dataclass
class Drafted:
    path: Path
    questions: list[Question]
    warnings: list[Problem]


def write_draft(project: Project, document: Path, assoc: str, out: Path | None = None,
                force: bool = False,
                progress: Callable[[int, int], None] | None = None) -> Drafted:
    """Read the questionnaire `document` and write its draft answers file; nothing is
    written when the document cannot be read or holds no numbered question. `progress`
    is told of the pages of a PDF read (see documents.read_document)."""
    from letterkit.files import write_atomic
    from letterkit.questionnaire.answers import ANSWERS_DIR
    from letterkit.questionnaire.documents import read_document
    from letterkit.text import slug

    assoc = clean(assoc).strip()
    warnings: list[Problem] = []
    registered = [a for a in project.associations if a.short_name.casefold() == assoc.casefold()]
    if registered:
        assoc = registered[0].short_name
    else:
        names = [a.short_name for a in project.associations]
        warnings.append(Problem(
            _("unknown association « {name} »").format(name=assoc), file=ASSOCIATIONS_FILE,
            hint=_("{suggestion} compose --answers will need its --salutation, or add it to "
                   "{file}").format(suggestion=did_you_mean(assoc, names, "associations"),
                                    file=ASSOCIATIONS_FILE), warning=True))
    found = find_questions(read_document(document, progress))
    if not found:
        raise LetterkitError(_("no numbered question found"), file=str(document),
                             hint=_(NO_QUESTION_HINT))
    again = next((q for q in found if q.original is not None and q.original != q.number), None)
    if again:
        warnings.append(Problem(
            _("the questionnaire numbers its questions from 1 again in each part: the answers "
              "file numbers them 1 to {last}, in order").format(last=len(found)),
            file=str(document), line=again.line,
            hint=_("the letter quotes them with these numbers; change them in the answers file "
                   "if the association expects its own"), warning=True))
    for question in found:
        question.suggested, question.maybe = suggest_measures(project.program, question.text)
    target = out or project.root / ANSWERS_DIR / f"{slug(assoc)}.yaml"
    if target.exists() and not force:
        raise LetterkitError(_("{path} already exists").format(path=target),
                             hint=_("pass --force to overwrite it (the team's answers in it are "
                                    "lost), or --out for another file"))
    text = draft(project.program, project.campaign.list_name, assoc, document.name, found,
                 registered[0] if registered else None)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text.encode("utf-8"))
    except OSError as exc:
        raise LetterkitError(_("cannot write {path}: {reason}").format(
            path=exc.filename or target, reason=reason(exc)),
            hint=_("check that the folder exists and is writable, or choose another file with "
                   "--out")) from exc
    return Drafted(target, found, warnings)
