"""The commands that write letters: compose (one) and batch (many)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from letterkit.cli import completion
from letterkit.cli.inbox import answering
from letterkit.cli.options import (
    ForceOption,
    GenderOption,
    JsonOption,
    KindOption,
    OutOption,
    ProjectOption,
    SignOption,
    SignPasswordOption,
    certificate,
    load,
    parse_date,
    parse_formats,
    refuse_unused,
)
from letterkit.cli.output import (
    Column,
    count,
    err,
    out,
    output_rows,
    print_problems,
    reported,
    say,
    utc,
)
from letterkit.errors import LetterkitError, Problem
from letterkit.i18n import _

if TYPE_CHECKING:
    from letterkit.campaign.project import Project
    from letterkit.pipeline.batch import Item, Outcome
    from letterkit.pipeline.build import Request


def _themes_from(project: Project, document: Path, yes: bool) -> list[str]:
    """The themes suggested by the association's document, shown, then confirmed."""
    from letterkit.questionnaire.suggest import chosen_themes, read_document, suggest

    ranked = suggest(project.program, read_document(document))[0]
    chosen = chosen_themes(ranked)
    if not chosen:
        raise LetterkitError(_("no theme of the program matches this document"),
                             file=str(document), hint=_("choose the themes yourself with --themes"))
    say(_("Themes suggested by {document}:").format(document=document.name), err)
    for s in ranked:
        if str(s.key) in chosen:
            say(f"  {s.key}  ({', '.join(s.words[:6])})", err)
    try:
        confirmed = yes or typer.confirm(_("Compose the letter on these themes?"), err=True)
    except typer.Abort:  # no terminal to answer on
        raise typer.BadParameter(_("--from asks to confirm the themes it suggests: answer on "
                                   "the terminal, or pass --yes")) from None
    if not confirmed:
        raise LetterkitError(_("nothing composed"), hint=_("choose the themes with --themes"))
    return chosen


# compose's own options, one alias each, so that the command reads as its list of options.
AssocOption = Annotated[str | None, typer.Option(
    "--assoc", help=_("The association's short name, as in associations.yaml (any case)."),
    show_default=False, shell_complete=completion.associations)]
RequestOption = Annotated[int | None, typer.Option(
    "--request", metavar=_("ID"), help=_("Answer this request of the inbox: its association, and "
    "its document's themes as --from suggests them (or its answers file when it is a "
    "questionnaire); the request becomes drafted."), show_default=False,
    shell_complete=completion.requests)]
ThemesOption = Annotated[list[str] | None, typer.Option(
    "--themes", metavar=_("THEMES"), help=_("Themes, by tag or label (any case, accents or "
    "not): repeat the option or separate them with commas."), shell_complete=completion.themes,
    show_default=False)]
MeasuresOption = Annotated[list[str] | None, typer.Option(
    "--measures", metavar=_("NUMBERS"), help=_("Measures to cite by number, with or without "
    "--themes: repeat the option or separate them with commas."), show_default=False,
    shell_complete=completion.measures)]
ExcludeOption = Annotated[list[str] | None, typer.Option(
    "--exclude", metavar=_("NUMBERS"), help=_("Measures never to cite, by number, even if "
    "--themes selects them."), shell_complete=completion.measures, show_default=False)]
FromOption = Annotated[Path | None, typer.Option(
    "--from", help=_("Choose the themes from the association's document (text, Markdown or "
    "PDF), as letterkit suggest ranks them."), show_default=False)]
YesOption = Annotated[bool, typer.Option(
    "--yes", help=_("With --from: do not ask to confirm the suggested themes."))]
AnswersOption = Annotated[Path | None, typer.Option(
    "--answers", help=_("Answer a questionnaire question by question, from the answers file "
    "letterkit questions drafted and the team completed (--themes then adds other measures "
    "after the answers)."), show_default=False, shell_complete=completion.answers)]
DateOption = Annotated[str | None, typer.Option(
    "--date", metavar=_("DATE"), help=_("The letter's date: 2026-03-02, 02/03/2026 or 2 mars "
    "2026."), show_default=_("today"))]
FormatOption = Annotated[str, typer.Option(
    "--format", metavar=_("FORMATS"), help=_("Formats to write, comma-separated: md, pdf, html, "
    "docx, odt, eml (docx and odt need letterkit[office]; eml, the association's email and an "
    "smtp block); with --answers also csv (the answers, one row per question)."))]
PreviewOption = Annotated[bool, typer.Option(
    "--preview", help=_("Show the letter in the terminal and write nothing."))]
TemplateOption = Annotated[str, typer.Option(
    "--template", help=_("The letter template, templates/letters/NAME.md.j2."))]
PdfaOption = Annotated[bool, typer.Option(
    "--pdfa", help=_("Write the PDF as PDF/A-3b, for archiving."))]
SalutationOption = Annotated[str | None, typer.Option(
    "--salutation", help=_("The salutation, for an association missing from associations.yaml "
    "(or to greet a registered one differently)."))]
DocumentOption = Annotated[str | None, typer.Option(
    "--document", help=_("With --salutation: the title of the document the association sent, "
    "e.g. « questionnaire aux candidats »."))]


def compose(
    ctx: typer.Context,
    assoc: AssocOption = None,
    request_id: RequestOption = None,
    themes: ThemesOption = None,
    measures: MeasuresOption = None,
    exclude: ExcludeOption = None,
    from_file: FromOption = None,
    yes: YesOption = False,
    answers: AnswersOption = None,
    date: DateOption = None,
    out_dir: OutOption = None,
    formats: FormatOption = "md,pdf",
    force: ForceOption = False,
    preview: PreviewOption = False,
    template: TemplateOption = "reponse",
    pdfa: PdfaOption = False,
    salutation: SalutationOption = None,
    document: DocumentOption = None,
    kind: KindOption = None,
    gender: GenderOption = None,
    sign: SignOption = None,
    sign_password_env: SignPasswordOption = None,
    project: ProjectOption = None,
) -> None:
    """Write the letter to one association as Markdown and PDF, and print the paths.

    \b
    Examples:
      letterkit compose --assoc ARPE --themes mediation --date 2026-03-01
      letterkit compose --assoc arpe --themes numerique,tranquillite --preview
      letterkit compose --assoc ARPE --themes tranquillite --exclude 62 --measures 89
      letterkit compose --assoc "Vélo Clamart" --salutation "Monsieur le Président" \\
          --document "questionnaire aux candidats" --themes environnement
      letterkit compose --assoc ARPE --from plaidoyer.pdf
      letterkit compose --assoc "Roue Libre" --answers answers/roue-libre.yaml --format md,pdf,csv
      letterkit compose --request 3 --yes
      SIGN_PASSWORD=… letterkit compose --assoc ARPE --themes mediation \\
          --sign liste.p12 --sign-password-env SIGN_PASSWORD
    """
    from letterkit.formats import pdfworker
    from letterkit.letter.select import parse_numbers

    wanted, day = parse_formats(formats), parse_date(date)
    _refuse_conflicts(ctx, wanted)
    try:
        numbers, excluded = parse_numbers(measures or []), parse_numbers(exclude or [])
    except ValueError as exc:
        raise typer.BadParameter(_("{problem}: write numbers, e.g. --measures 41,42").format(
            problem=_(str(exc)))) from None
    # A PDF is laid out by a process forked early, which loads WeasyPrint meanwhile.
    with reported(), pdfworker.started("pdf" in wanted and not preview) as pdf_writer:
        from letterkit.pipeline.build import Request
        from letterkit.pipeline.build import compose as compose_letter

        loaded = load(project)
        if request_id is not None:
            assoc, from_file, answers = answering(loaded, request_id, ctx.params)
        if from_file:
            themes = _themes_from(loaded, from_file, yes)
        request = Request(assoc or "", themes or [], day, out_dir, wanted, force, template, pdfa,
                          salutation, document, sign=certificate(sign, sign_password_env),
                          measures=numbers, exclude=excluded, answers=answers, kind=kind,
                          gender=gender)
        if preview:
            _preview(loaded, request)
            return
        from letterkit.ledger.database import Ledger

        with Ledger(loaded.root) as ledger:
            result = compose_letter(loaded, request, pdf_writer, ledger=ledger)
        if request_id is not None:
            from letterkit.pipeline.inbox import drafted

            drafted(loaded, request_id, result.id)
    print_problems(result.warnings)
    for path in result.paths:
        say(str(path))


def _refuse_conflicts(ctx: typer.Context, wanted: tuple[str, ...]) -> None:
    """compose's options that do not go together, or that are missing: a usage error."""
    given = ctx.params
    if (given["assoc"] is None) == (given["request_id"] is None):
        raise typer.BadParameter(_("give the association with --assoc NAME, or a request of "
                                   "the inbox to answer with --request ID"))
    if given["from_file"] is None and given["request_id"] is None:
        refuse_unused(ctx, {"yes": _("goes with --from DOCUMENT")})
    if given["salutation"] is None:
        refuse_unused(ctx, dict.fromkeys(("document", "kind", "gender"),
                                         _("goes with --salutation")))
    if given["gender"] not in (None, "f", "m"):
        raise typer.BadParameter(_("--gender is f or m, not « {gender} »").format(
            gender=given["gender"]))
    if given["preview"]:
        refuse_unused(ctx, dict.fromkeys(("out_dir", "formats", "force", "pdfa", "sign",
                                          "sign_password_env"), _(
            "does nothing with --preview, which writes no file")))
    if given["themes"] and given["from_file"]:
        raise typer.BadParameter(_("give the themes with --themes, or a document to choose "
                                   "them from with --from, not both"))
    if given["answers"] and given["from_file"]:
        raise typer.BadParameter(_("--from chooses themes for a letter without questions: "
                                   "with --answers, give other themes with --themes"))
    if given["answers"] is None:
        from letterkit.formats.registry import ANSWERS_ONLY

        only = [f for f in wanted if f in ANSWERS_ONLY]
        if only:
            raise typer.BadParameter(_("--format {format} writes a questionnaire's answers: it "
                                       "goes with --answers FILE").format(format=only[0]))
    if not (given["themes"] or given["from_file"] or given["measures"] or given["answers"]
            or given["request_id"] is not None):
        raise typer.BadParameter(_("give the themes with --themes (or a document to choose "
                                   "them from with --from), or measures by number with "
                                   "--measures"))


def _preview(project: Project, request: Request) -> None:
    """The letter shown in the terminal, its warnings first; nothing written."""
    from rich.markdown import Markdown

    from letterkit.pipeline.build import prepare

    prepared = prepare(project, request)
    print_problems(prepared.warnings)
    out.print(Markdown(prepared.letter.markdown))


BATCH_COLUMNS = (
    Column(_("Line"), lambda o: str(o["line"])),
    Column(_("Request"), lambda o: o["request"]),
    Column(_("Result"), lambda o: Text(o["error"], "red") if o["error"] else "\n".join(
        [*([o["skipped"]] if o.get("skipped") else []), *o["paths"]]), fold=True),
)


def batch(
    file: Annotated[Path | None, typer.Argument(
        metavar=_("FILE"), help=_("A CSV file with a header, or a YAML list: assoc, themes, "
                                  "and optional date, format, out."), show_default=False)] = None,
    pending: Annotated[bool, typer.Option(
        "--pending", help=_("Instead of a file: a draft letter for every request of the inbox "
        "that has none (on the themes its document suggested, or its answers file)."))] = False,
    today: Annotated[str | None, typer.Option(
        "--today", metavar=_("DATE"), help=_("With --pending: the letters' date."),
        show_default=_("today"))] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", min=1, help=_("Worker processes."), show_default=_("the number of CPUs"))] = None,
    out_dir: OutOption = None,
    force: ForceOption = False,
    sign: SignOption = None,
    sign_password_env: SignPasswordOption = None,
    project: ProjectOption = None,
) -> None:
    """Compose many letters from a list of requests, in parallel.

    One failing request does not stop the others; the exit status is 1 if any failed.

    \b
    Examples:
      letterkit batch --pending
      letterkit batch requests.csv --jobs 2
    with requests.csv:
      assoc,themes,date
      ARPE,"mediation,numerique",2026-03-01
    """
    from rich.progress import Progress

    if (file is None) != pending:
        raise typer.BadParameter(_("give either a file of requests or --pending (the inbox's "
                                   "requests that have no letter)"))
    if today is not None and not pending:
        raise typer.BadParameter(_("--today goes with --pending"))
    from letterkit.pipeline import batch as batches
    from letterkit.pipeline.build import Request

    with reported():
        loaded = load(project)
        signer = certificate(sign, sign_password_env)
        warnings: list[Problem] = []
        defaults = Request("", [], out=out_dir, force=force, sign=signer)
        if pending:
            from letterkit.pipeline.inbox import pending_items

            items = pending_items(loaded, defaults, parse_date(today))
        else:
            assert file is not None
            items = batches.read_requests(file, defaults, warnings)
        print_problems(loaded.warnings + warnings)
        batches.plan(loaded, items)
    outcomes = []
    with reported(), Progress(console=err, transient=True) as progress, \
            _interruptible() as stopped:
        task = progress.add_task(_("Composing"), total=len(items))
        for outcome in batches.run(loaded, items, jobs or batches.default_jobs(), stopped):
            outcomes.append(outcome)
            progress.advance(task)
    outcomes.sort(key=lambda o: o.item.line)
    if pending:
        from letterkit.pipeline.inbox import batch_drafted

        with reported():
            batch_drafted(loaded, outcomes)
    if _report_batch(file, outcomes, batches.NOT_DONE):
        raise typer.Exit(1)


def _report_batch(file: Path | None, outcomes: list[Outcome], not_done_error: str) -> bool:
    """The batch's table, its rows' warnings and what an interruption left undone; whether
    any letter failed."""
    failed = [o for o in outcomes if o.error]
    skipped = [o for o in outcomes if o.skipped]
    rows = [{"line": o.item.line, "request": o.item.label, "error": o.error,
             "skipped": o.skipped, "paths": [str(p) for p in o.paths]} for o in outcomes]
    composed = len(outcomes) - len(failed) - len(skipped)
    title = _("{composed} composed, {skipped} skipped, {failed} failed") if skipped else _(
        "{composed} composed, {failed} failed")
    output_rows(rows, BATCH_COLUMNS, title=title.format(composed=composed, skipped=len(skipped),
                                                        failed=len(failed)))
    print_problems([_row_warning(file, o.item, w) if file is not None else  # --pending:
                    replace(w, message=f"{o.item.label}: {w.message}")  # « request 3: … »
                    for o in outcomes for w in o.warnings])
    not_done = [o for o in outcomes if o.error == not_done_error]
    if not_done:
        say(_("Interrupted: {requests} (lines {lines}); the letters written are complete. "
              "Compose the rest with a batch of these lines only.").format(
            requests=count(len(not_done), "{n} request not done", "{n} requests not done"),
            lines=", ".join(str(o.item.line) for o in not_done)), err)
    return bool(failed)


def _row_warning(file: Path, item: Item, warning: Problem) -> Problem:
    """A letter's warning, naming the row of the requests file it comes from: located at
    that row, or, when it has a place of its own (an answers file), saying the row."""
    if warning.file is None:
        return replace(warning, file=file.name, line=item.line,
                       message=f"{item.label}: {warning.message}")
    return replace(warning, message=_("{message} (the letter of {file}, line {line}: "
                                      "{request})").format(message=warning.message,
                                                           file=file.name, line=item.line,
                                                           request=item.label))


@contextmanager
def _interruptible() -> Iterator[Callable[[], bool]]:
    """Ctrl-C, SIGTERM or SIGHUP asks the batch to stop after the letters in progress."""
    received: list[int] = []
    signals = [signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP")
                                                else [])]
    previous = {sig: signal.signal(sig, lambda number, _: received.append(number))
                for sig in signals}
    try:
        yield lambda: bool(received)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


SEND_COLUMNS = (
    Column(_("Id"), lambda s: str(s["id"])),
    Column(_("Association"), lambda s: s["assoc"]),
    Column(_("Result"), lambda s: Text(s["error"], "red") if s["error"] else
           _("sent to {to}, {sent}").format(to=s["to"], sent=utc(s["sent"]))
           + f"\n{s['message_id']}" + (f"\n{s['note']}" if s["note"] else ""), fold=True),
)


def send(
    ids: Annotated[list[int], typer.Argument(
        metavar=_("IDS..."), help=_("The ids of recorded letters (letterkit ledger lists "
                                    "them)."), show_default=False)],
    force: Annotated[bool, typer.Option("--force", help=_("Send a letter again even if the "
                                        "ledger says it was sent."))] = False,
    as_json: JsonOption = False,
    project: ProjectOption = None,
) -> None:
    """E-mail recorded letters through the campaign's SMTP server (campaign.yaml, smtp).

    Each goes to the association's email, from smtp.from, with the PDF attached: the .eml
    written by --format eml, else one made from the letter's .md and .pdf. The ledger records
    when each was sent and its Message-ID; a letter is never sent twice without --force.
    The password is read from the environment variable smtp.password_env.

    \b
    Example:
      export LK_SMTP='…'
      letterkit send 3 4
    """
    from letterkit.pipeline.send import send_letters

    with reported():
        loaded = load(project)
        done = send_letters(loaded, ids, force)
    rows = [vars(s) for s in done]
    failed = [s for s in done if s.error]
    output_rows(rows, SEND_COLUMNS, title=_("{sent} sent, {failed} not sent").format(
        sent=len(done) - len(failed), failed=len(failed)), as_json=as_json)
    if failed:
        raise typer.Exit(1)
