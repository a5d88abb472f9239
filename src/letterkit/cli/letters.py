"""The commands that write letters: compose (one) and batch (many)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from letterkit.cli.options import (
    ForceOption,
    JsonOption,
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

if TYPE_CHECKING:
    from letterkit.campaign.project import Project
    from letterkit.pipeline.build import Request


def _themes_from(project: Project, document: Path, yes: bool) -> list[str]:
    """The themes suggested by the association's document, shown, then confirmed."""
    from letterkit.questionnaire.suggest import chosen_themes, read_document, suggest

    ranked, _ = suggest(project.program, read_document(document))
    chosen = chosen_themes(ranked)
    if not chosen:
        raise LetterkitError("no theme of the program matches this document", file=str(document),
                             hint="choose the themes yourself with --themes")
    say(f"Themes suggested by {document.name}:", err)
    for s in ranked:
        if str(s.key) in chosen:
            say(f"  {s.key}  ({', '.join(s.words[:6])})", err)
    try:
        confirmed = yes or typer.confirm("Compose the letter on these themes?", err=True)
    except typer.Abort:  # no terminal to answer on
        raise typer.BadParameter("--from asks to confirm the themes it suggests: answer on the "
                               "terminal, or pass --yes") from None
    if not confirmed:
        raise LetterkitError("nothing composed", hint="choose the themes with --themes")
    return chosen


# compose's own options, one alias each, so that the command reads as its list of options.
AssocOption = Annotated[str, typer.Option(
    "--assoc", help="The association's short name, as in associations.yaml (any case).")]
ThemesOption = Annotated[list[str] | None, typer.Option(
    "--themes", help="Theme tags: repeat the option or separate them with commas.",
    show_default=False)]
MeasuresOption = Annotated[list[str] | None, typer.Option(
    "--measures", help="Measures to cite by number, with or without --themes: repeat the "
    "option or separate them with commas.", show_default=False)]
ExcludeOption = Annotated[list[str] | None, typer.Option(
    "--exclude", help="Measures never to cite, by number, even if --themes selects them.",
    show_default=False)]
FromOption = Annotated[Path | None, typer.Option(
    "--from", help="Choose the themes from the association's document (text, Markdown or "
    "PDF), as letterkit suggest ranks them.", show_default=False)]
YesOption = Annotated[bool, typer.Option(
    "--yes", help="With --from: do not ask to confirm the suggested themes.")]
AnswersOption = Annotated[Path | None, typer.Option(
    "--answers", help="Answer a questionnaire question by question, from the answers file "
    "letterkit questions drafted and the team completed (--themes then adds other measures "
    "after the answers).", show_default=False)]
DateOption = Annotated[str | None, typer.Option(
    "--date", help="The letter's date, YYYY-MM-DD.", show_default="today")]
FormatOption = Annotated[str, typer.Option(
    "--format", help="Formats to write, comma-separated: md, pdf, html, docx, odt, eml (docx "
    "and odt need letterkit[office]; eml, the association's email and an smtp block); with "
    "--answers also csv (the answers, one row per question).")]
PreviewOption = Annotated[bool, typer.Option(
    "--preview", help="Show the letter in the terminal and write nothing.")]
TemplateOption = Annotated[str, typer.Option(
    "--template", help="The letter template, templates/letters/NAME.md.j2.")]
PdfaOption = Annotated[bool, typer.Option(
    "--pdfa", help="Write the PDF as PDF/A-3b, for archiving.")]
SalutationOption = Annotated[str | None, typer.Option(
    "--salutation", help="The salutation, for an association missing from associations.yaml "
    "(or to greet a registered one differently).")]
KindOption = Annotated[str | None, typer.Option(
    "--kind", help="With --salutation: what the sender is, « association » by default: "
    "collectif, club, syndicat…, or « personne » for a person (« Madame Dupont »).")]
GenderOption = Annotated[str | None, typer.Option(
    "--gender", help="With --salutation: the sender's gender (f or m), when its kind does "
    "not say it.")]
DocumentOption = Annotated[str | None, typer.Option(
    "--document", help="With --salutation: the title of the document the association sent, "
    "e.g. « questionnaire aux candidats ».")]


def compose(
    ctx: typer.Context,
    assoc: AssocOption,
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
      letterkit compose --assoc "Madame Dupont" --salutation "Chère Madame" \\
          --kind personne --themes logement
      letterkit compose --assoc ARPE --from plaidoyer.pdf
      letterkit compose --assoc "Roue Libre" --answers answers/roue-libre.yaml --format md,pdf,csv
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
        raise typer.BadParameter(f"{exc}: write numbers, e.g. --measures 41,42") from None
    # A PDF is laid out by a process forked early, which loads WeasyPrint meanwhile.
    with reported(), pdfworker.started("pdf" in wanted and not preview) as pdf_writer:
        from letterkit.pipeline.build import Request
        from letterkit.pipeline.build import compose as compose_letter

        loaded = load(project)
        if from_file:
            themes = _themes_from(loaded, from_file, yes)
        request = Request(assoc, themes or [], day, out_dir, wanted, force, template, pdfa,
                          salutation, document, sign=certificate(sign, sign_password_env),
                          measures=numbers, exclude=excluded, answers=answers, kind=kind,
                          gender=gender)
        if preview:
            _preview(loaded, request)
            return
        from letterkit.ledger.database import Ledger

        with Ledger(loaded.root) as ledger:
            result = compose_letter(loaded, request, pdf_writer, ledger=ledger)
    print_problems(result.warnings)
    for path in result.paths:
        say(str(path))


def _refuse_conflicts(ctx: typer.Context, wanted: tuple[str, ...]) -> None:
    """compose's options that do not go together, or that are missing: a usage error."""
    given = ctx.params
    if given["from_file"] is None:
        refuse_unused(ctx, {"yes": "goes with --from DOCUMENT"})
    if given["salutation"] is None:
        refuse_unused(ctx, dict.fromkeys(("document", "kind", "gender"),
                                         "goes with --salutation"))
    if given["gender"] not in (None, "f", "m"):
        raise typer.BadParameter(f"--gender is f or m, not « {given['gender']} »")
    if given["preview"]:
        refuse_unused(ctx, dict.fromkeys(("out_dir", "formats", "force", "pdfa", "sign",
                                          "sign_password_env"), "does nothing with --preview, "
                                         "which writes no file"))
    if given["themes"] and given["from_file"]:
        raise typer.BadParameter("give the themes with --themes, or a document to choose them "
                                 "from with --from, not both")
    if given["answers"] and given["from_file"]:
        raise typer.BadParameter("--from chooses themes for a letter without questions: with "
                                 "--answers, give other themes with --themes")
    if given["answers"] is None:
        from letterkit.formats.registry import ANSWERS_ONLY

        only = [f for f in wanted if f in ANSWERS_ONLY]
        if only:
            raise typer.BadParameter(f"--format {only[0]} writes a questionnaire's answers: it "
                                     "goes with --answers FILE")
    if not (given["themes"] or given["from_file"] or given["measures"] or given["answers"]):
        raise typer.BadParameter("give the themes with --themes (or a document to choose them "
                                 "from with --from), or measures by number with --measures")


def _preview(project: Project, request: Request) -> None:
    """The letter shown in the terminal, its warnings first; nothing written."""
    from rich.markdown import Markdown

    from letterkit.pipeline.build import prepare

    prepared = prepare(project, request)
    print_problems(prepared.warnings)
    out.print(Markdown(prepared.letter.markdown))


BATCH_COLUMNS = (
    Column("Line", lambda o: str(o["line"])),
    Column("Request", lambda o: o["request"]),
    Column("Result", lambda o: Text(o["error"], "red") if o["error"] else "\n".join(o["paths"]),
           fold=True),
)


def batch(
    file: Annotated[Path, typer.Argument(help="A CSV file with a header, or a YAML list: "
                                         "assoc, themes, and optional date, format, out.")],
    jobs: Annotated[int | None, typer.Option(
        "--jobs", min=1, help="Worker processes.", show_default="the number of CPUs")] = None,
    out_dir: OutOption = None,
    force: ForceOption = False,
    sign: SignOption = None,
    sign_password_env: SignPasswordOption = None,
    project: ProjectOption = None,
) -> None:
    """Compose many letters from a list of requests, in parallel.

    One failing request does not stop the others; the exit status is 1 if any failed.

    \b
    Example:
      letterkit batch requests.csv --jobs 2
    with requests.csv:
      assoc,themes,date
      ARPE,"mediation,numerique",2026-03-01
    """
    from rich.progress import Progress

    from letterkit.pipeline import batch as batches
    from letterkit.pipeline.build import Request

    with reported():
        loaded = load(project)
        signer = certificate(sign, sign_password_env)
        warnings: list[Problem] = []
        items = batches.read_requests(file, Request("", [], out=out_dir, force=force,
                                                    sign=signer), warnings)
        print_problems(warnings)
        batches.plan(loaded, items)
    outcomes = []
    with reported(), Progress(console=err, transient=True) as progress, \
            _interruptible() as stopped:
        task = progress.add_task("Composing", total=len(items))
        for outcome in batches.run(loaded, items, jobs or batches.default_jobs(), stopped):
            outcomes.append(outcome)
            progress.advance(task)
    outcomes.sort(key=lambda o: o.item.line)
    failed = [o for o in outcomes if o.error]
    rows = [{"line": o.item.line, "request": o.item.label, "error": o.error,
             "paths": [str(p) for p in o.paths]} for o in outcomes]
    output_rows(rows, BATCH_COLUMNS,
                title=f"{len(outcomes) - len(failed)} composed, {len(failed)} failed")
    not_done = [o for o in outcomes if o.error == batches.NOT_DONE]
    if not_done:
        say(f"Interrupted: {count(len(not_done), 'request')} not done (lines "
                  f"{', '.join(str(o.item.line) for o in not_done)}); the letters written are "
                  "complete. Compose the rest with a batch of these lines only.", err)
    if failed:
        raise typer.Exit(1)


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
    Column("Id", lambda s: str(s["id"])),
    Column("Association", lambda s: s["assoc"]),
    Column("Result", lambda s: Text(s["error"], "red") if s["error"] else
           f"sent to {s['to']}, {utc(s['sent'])}\n{s['message_id']}", fold=True),
)


def send(
    ids: Annotated[list[int], typer.Argument(help="The ids of recorded letters (letterkit "
                                             "ledger lists them).", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Send a letter again even if the "
                                        "ledger says it was sent.")] = False,
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
    output_rows(rows, SEND_COLUMNS, title=f"{len(done) - len(failed)} sent, {len(failed)} "
                "not sent", as_json=as_json)
    if failed:
        raise typer.Exit(1)
