"""`letterkit inbox`: the requests the list received, what awaits a reply, the overview; `inbox
add` records one, `inbox done` marks one answered otherwise than by e-mail."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from letterkit.cli.app import Command, Group
from letterkit.cli.options import JsonOption, ProjectOption, load, parse_date, refuse_unused
from letterkit.cli.output import Column, count, out, output_rows, print_problems, reported, say
from letterkit.errors import LetterkitError
from letterkit.i18n import N_, _

if TYPE_CHECKING:
    from letterkit.campaign.project import Project

app = typer.Typer(name="inbox", cls=Group, invoke_without_command=True, no_args_is_help=False,
                  rich_markup_mode=None, options_metavar=_("[OPTIONS]"),
                  subcommand_metavar=_("COMMAND [ARGS]..."))

TodayOption = Annotated[str | None, typer.Option(
    "--today", metavar=_("DATE"), help=_("Count the days left from this date, YYYY-MM-DD."),
    show_default=_("today"))]


def _days(row: dict[str, Any]) -> str | Text:
    days = row["days_left"]
    if days is None or row["status"] not in ("received", "drafted"):
        return "—"  # no deadline, or answered
    if row["overdue"]:
        return Text(count(-days, "{n} day late", "{n} days late"), "bold red")
    return str(days)


def _red(key: str) -> Any:
    return lambda row: Text(str(row[key] or "—"), "bold red") if row["overdue"] else str(
        row[key] or "—")


# A request's status as the table shows it (--json and inbox.csv keep the value itself).
STATUSES = {"received": N_("received"), "drafted": N_("drafted"), "sent": N_("sent"),
            "done": N_("done")}


def _status(row: dict[str, Any]) -> str:
    status = row["status"]
    return _(STATUSES[status]) if status in STATUSES else str(status)


INBOX_COLUMNS = (
    Column(_("Id"), _red("id")),
    Column(_("Association"), _red("association")),
    Column(_("Document"), lambda r: r["document"], fold=True),
    Column(_("Received"), lambda r: r["received"]),
    Column(_("Due"), _red("due")),
    Column(_("Days left"), _days),
    Column(_("Status"), _status),
    Column(_("Letter"), lambda r: str(r["letter"]) if r["letter"] else "—"),
)


def inbox(
    ctx: typer.Context,
    everything: Annotated[bool, typer.Option("--all", help=_("Also the requests answered "
                                             "(sent or done)."))] = False,
    as_json: JsonOption = False,
    today: TodayOption = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help=_("Write the overview page instead: FILE.html (self-contained, "
        "charts as SVG) or FILE.pdf."), show_default=False)] = None,
    project: ProjectOption = None,
) -> None:
    """The requests that await a reply, by deadline; overdue ones in red.

    Subcommands: `inbox add FILE` records a request (a document, or an e-mail saved as
    .eml), `inbox done ID` marks one answered otherwise than by `letterkit send`.

    \b
    Examples:
      letterkit inbox add questionnaire.pdf --assoc "Roue Libre" --due 2026-02-20
      letterkit inbox add message.eml --due 2026-02-20
      letterkit inbox --today 2026-02-16
      letterkit inbox --report overview.html
      letterkit inbox done 3 --date 2026-02-18
    """
    if ctx.invoked_subcommand is not None:  # inbox add, inbox done: their own options
        refuse_unused(ctx, dict.fromkeys(("everything", "as_json", "today", "report"),
                                         _("goes with letterkit inbox alone, not with "
                                           "a subcommand")))
        ctx.obj = project  # `letterkit inbox --project DIR add …` is the campaign of add
        return
    from letterkit.pipeline import inbox as requests

    day = parse_date(today)
    with reported():
        loaded = load(project)
        if report is not None:
            say(str(requests.report(loaded, report, day)))
            return
        rows = requests.listing(loaded, day, everything)
    summary = requests.summary(rows)
    output_rows(rows, INBOX_COLUMNS, title=_("Requests") if everything else
                _("Requests awaiting a reply"), as_json=as_json)
    if not as_json:
        overdue = any(r["overdue"] for r in rows)
        out.print(Text(summary, "bold red" if overdue else ""))


app.callback(help=_(inspect.getdoc(inbox) or ""),
             short_help=_("Follow the requests received."))(inbox)


def add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar=_("FILE"), help=_("The request: a document (.pdf, .docx, .odt, .txt, .md) or "
                                  "an e-mail saved as .eml."))],
    assoc: Annotated[str | None, typer.Option(
        "--assoc", help=_("The association's short name (any case); for an e-mail, found "
        "by its sender's address (associations.yaml, email) when not given."),
        show_default=False)] = None,
    received: Annotated[str | None, typer.Option(
        "--received", metavar=_("DATE"), help=_("When it was received, YYYY-MM-DD."),
        show_default=_("the e-mail's Date, else today"))] = None,
    due: Annotated[str | None, typer.Option(
        "--due", metavar=_("DATE"), help=_("The deadline for the reply, YYYY-MM-DD."),
        show_default=False)] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help=_("What it is: questionnaire, plaidoyer, charte, invitation…"),
        show_default=_("the association's document kind"))] = None,
    note: Annotated[str | None, typer.Option(
        "--note", help=_("A note for the team."), show_default=False)] = None,
    project: ProjectOption = None,
) -> None:
    """Record a request: its documents copied under inbox/, its themes suggested.

    \b
    Examples:
      letterkit inbox add questionnaire.pdf --assoc "Roue Libre" --due 2026-02-20
      letterkit inbox add message.eml --due 2026-02-20 --note "réponse attendue par courriel"
    """
    from letterkit.pipeline import inbox as requests

    received_day = parse_date(received) if received else None
    due_day = parse_date(due) if due else None
    with reported():
        added = requests.add(load(project or ctx.obj), file, assoc, received_day, due_day,
                             kind, note)
    print_problems(added.warnings)
    request = added.request
    say(_("request {id}").format(id=request.id))
    say(_("themes suggested: {themes}").format(themes=", ".join(request.themes))
        if request.themes else _("no theme suggested: choose them when composing the letter"))


app.command(cls=Command, help=_(inspect.getdoc(add) or ""),
            short_help=_("Record a new request."))(add)


def done(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(metavar=_("ID"), help=_("The request's id "
                                          "(letterkit inbox --all lists them)."))],
    date: Annotated[str | None, typer.Option(
        "--date", metavar=_("DATE"), help=_("When it was answered, YYYY-MM-DD."),
        show_default=_("today"))] = None,
    project: ProjectOption = None,
) -> None:
    """Mark a request answered otherwise than by letterkit send (a letter posted, handed over).

    \b
    Example:
      letterkit inbox done 3 --date 2026-02-18
    """
    from letterkit.pipeline import inbox as requests

    day = parse_date(date) if date else dt.date.today()
    with reported():
        request = requests.done(load(project or ctx.obj), number, day)
    say(_("request {id} done on {date}").format(id=request.id, date=request.answered))


app.command(cls=Command, help=_(inspect.getdoc(done) or ""),
            short_help=_("Note a reply made outside letterkit."))(done)


# --- compose --request (cli/letters.py) -----------------------------------------------------

def answering(project: Project, number: int, given: dict[str, object]
              ) -> tuple[str, Path | None, Path | None]:
    """compose --request: the request's association; the document to suggest themes from
    (none when --themes, --measures or --answers say what to answer), or the answers file
    of a questionnaire when the team has written it."""
    from letterkit.pipeline import inbox

    found = inbox.request(project, number)
    if not found.pending:
        raise LetterkitError(_("request {number} was already answered ({status}, on {date}, "
                               "letter {letter})").format(
            number=number, status=_(STATUSES.get(found.status, found.status)),
            date=found.answered, letter=found.letter or "—"),
            hint=_("letterkit inbox --all shows it; nothing was composed"))
    answers = given["answers"] or inbox.answers_path(project, found)
    if given["themes"] or given["measures"] or answers:
        return found.assoc, None, answers  # type: ignore[return-value]
    document = inbox.document_path(project, found)
    if document is None:
        raise LetterkitError(_("request {number} has no document letterkit can read").format(
            number=number), hint=_("choose the themes with --themes"))
    return found.assoc, document, None
