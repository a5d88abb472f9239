"""The command line: parse options, call one core function, print, exit. Typer and Rich only.

The core modules are imported inside each command, so that `letterkit --help` stays instant.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from letterkit import __version__
from letterkit.errors import DataError, LetterkitError, Problem

if TYPE_CHECKING:
    from letterkit.data import Project
    from letterkit.sign import Certificate

app = typer.Typer(
    name="letterkit",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ProjectOption = Annotated[
    Path | None,
    typer.Option("--project", help="The campaign folder (default: $LETTERKIT_PROJECT, else "
                 "the nearest folder upward holding measures.yaml).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SignOption = Annotated[Path | None, typer.Option(
    "--sign", help="Sign the PDF (PAdES) with this PKCS#12 certificate (.p12).",
    show_default=False)]
SignPasswordOption = Annotated[str | None, typer.Option(
    "--sign-password-env", help="The environment variable that holds the certificate's "
    "password (else it is asked for, hidden).", show_default=False)]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite existing files.")]
OutOption = Annotated[Path | None, typer.Option(
    "--out", help="Output folder.", show_default="letters/ in the campaign")]


def _print_problems(problems: list[Problem], console: Console = err) -> None:
    for problem in problems:
        label = ("Warning:", "yellow") if problem.warning else ("Error:", "red")
        console.print(Text.assemble(label, " ", str(problem)))


@contextmanager
def reported() -> Iterator[None]:
    """Turn letterkit's errors into one clear line per problem and exit status 1."""
    try:
        yield
    except DataError as exc:
        _print_problems(exc.problems)
        raise typer.Exit(1) from None
    except LetterkitError as exc:
        _print_problems([exc.problem])
        raise typer.Exit(1) from None
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        detail = " ".join(str(exc).split())
        _print_problems([Problem(f"unexpected problem: {type(exc).__name__}: {detail}",
                                 hint="please report it, with the command you ran")])
        raise typer.Exit(1) from None


def _root(project: Path | None) -> Path:
    from letterkit.paths import find_project

    return find_project(project, os.environ.get("LETTERKIT_PROJECT"), Path.cwd())


def _load(project: Path | None) -> Project:
    from letterkit.data import load_project

    return load_project(_root(project))


def _date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"« {value} » is not a date written YYYY-MM-DD") from None


def _formats(value: str) -> tuple[str, ...]:
    from letterkit.build import FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    if not formats or set(formats) - set(FORMATS):
        raise typer.BadParameter(f"« {value} »: choose among {', '.join(FORMATS)}, "
                                 "comma-separated")
    return formats


def _certificate(path: Path | None, password_env: str | None) -> Certificate | None:
    """The signing certificate, its password from the environment or a hidden prompt."""
    if path is None:
        if password_env:
            raise typer.BadParameter("--sign-password-env goes with --sign CERT.p12")
        return None
    from letterkit.sign import Certificate, signer_name

    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            raise LetterkitError(f"the environment variable {password_env} is not set",
                                 hint="set it to the certificate's password, or leave out "
                                 "--sign-password-env to be asked for it")
    else:
        password = typer.prompt(f"Password of {path}", hide_input=True, err=True)
    certificate = Certificate(path, password)
    signer_name(certificate)  # a wrong password or file is said now, before any letter
    return certificate


def _themes_from(project: Project, document: Path, yes: bool) -> list[str]:
    """The themes suggested by the association's document, shown, then confirmed."""
    from letterkit.suggest import chosen_themes, read_document, suggest

    ranked, _ = suggest(project.program, read_document(document))
    chosen = chosen_themes(ranked)
    if not chosen:
        raise LetterkitError("no theme of the program matches this document", file=str(document),
                             hint="choose the themes yourself with --themes")
    err.print(f"Themes suggested by {document.name}:")
    for s in ranked:
        if str(s.key) in chosen:
            err.print(Text(f"  {s.key}  ({', '.join(s.words[:6])})"))
    if not yes and not typer.confirm("Compose the letter on these themes?", err=True):
        raise LetterkitError("nothing composed", hint="choose the themes with --themes")
    return chosen


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("s" if n != 1 else "")


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        out.print(f"letterkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Compose the formal French letters an election list sends to associations.

    \b
    Example:
      letterkit compose --assoc ARPE --themes mediation
    """


@app.command()
def compose(
    assoc: Annotated[str, typer.Option("--assoc", help="The association's short name, "
                                       "as in associations.yaml (any case).")],
    themes: Annotated[list[str] | None, typer.Option(
        "--themes", help="Theme tags: repeat the option or separate them with commas.",
        show_default=False)] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from", help="Choose the themes from the association's document (text, Markdown "
        "or PDF), as letterkit suggest ranks them.", show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", help="With --from: do not ask to confirm the "
                                      "suggested themes.")] = False,
    date: Annotated[str | None, typer.Option(
        "--date", help="The letter's date, YYYY-MM-DD.", show_default="today")] = None,
    out_dir: OutOption = None,
    formats: Annotated[str, typer.Option(
        "--format", help="Formats to write, comma-separated: md, pdf, html.")] = "md,pdf",
    force: ForceOption = False,
    preview: Annotated[bool, typer.Option(
        "--preview", help="Show the letter in the terminal and write nothing.")] = False,
    template: Annotated[str, typer.Option(
        "--template", help="The letter template, templates/letters/NAME.md.j2.")] = "reponse",
    pdfa: Annotated[bool, typer.Option("--pdfa", help="Write the PDF as PDF/A-3b, for "
                                       "archiving.")] = False,
    salutation: Annotated[str | None, typer.Option(
        "--salutation", help="The salutation, for an association missing from "
        "associations.yaml (or to greet a registered one differently).")] = None,
    document: Annotated[str | None, typer.Option(
        "--document", help="With --salutation: the title of the document the association "
        "sent, e.g. « questionnaire aux candidats ».")] = None,
    sign: SignOption = None,
    sign_password_env: SignPasswordOption = None,
    project: ProjectOption = None,
) -> None:
    """Write the letter to one association as Markdown and PDF, and print the paths.

    \b
    Examples:
      letterkit compose --assoc ARPE --themes mediation --date 2026-03-01
      letterkit compose --assoc arpe --themes numerique,tranquillite --format md --preview
      letterkit compose --assoc "Vélo Clamart" --salutation "Monsieur le Président" \\
          --document "questionnaire aux candidats" --themes environnement
      letterkit compose --assoc ARPE --from plaidoyer.pdf
      SIGN_PASSWORD=… letterkit compose --assoc ARPE --themes mediation \\
          --sign liste.p12 --sign-password-env SIGN_PASSWORD
    """
    from letterkit import pdfworker

    wanted, day = _formats(formats), _date(date)
    if bool(themes) == bool(from_file):
        raise typer.BadParameter("give the themes with --themes, or a document to choose them "
                                 "from with --from (one of the two)")
    # A PDF is laid out by a process forked early, which loads WeasyPrint meanwhile.
    with reported(), pdfworker.started("pdf" in wanted and not preview) as pdf_writer:
        from letterkit.build import Request, compose, prepare

        loaded = _load(project)
        if from_file:
            themes = _themes_from(loaded, from_file, yes)
        request = Request(assoc, themes or [], day, out_dir, wanted, force, template, pdfa,
                          salutation, document, sign=_certificate(sign, sign_password_env))
        if preview:
            from rich.markdown import Markdown

            prepared = prepare(loaded, request)
            _print_problems(prepared.warnings)
            out.print(Markdown(prepared.letter.markdown))
            return
        from letterkit.ledger import Ledger

        result = compose(loaded, request, pdf_writer, ledger=Ledger(loaded.root))
    _print_problems(result.warnings)
    for path in result.paths:
        out.print(str(path))


@app.command()
def measures(
    theme: Annotated[str | None, typer.Option("--theme", help="Only the measures of this "
                                              "theme.")] = None,
    as_json: JsonOption = False,
    project: ProjectOption = None,
) -> None:
    """List the program's measures, in program order.

    \b
    Examples:
      letterkit measures
      letterkit measures --theme tranquillite --json
    """
    from letterkit.select import program_order, resolve_themes

    with reported():
        loaded = _load(project)
        tags = resolve_themes(loaded.program, [theme]) if theme else None
    rows = [m for m in program_order(loaded.program) if tags is None or set(tags) & set(m.themes)]
    if as_json:
        _json([{"number": m.number, "title": m.title, "themes": m.themes, "text": m.text}
               for m in rows])
        return
    table = Table("N°", "Measure", "Themes", title=_count(len(rows), "measure"))
    for m in rows:
        table.add_row(str(m.number), Text(m.title or m.text), ", ".join(m.themes))
    out.print(table)


@app.command()
def themes(as_json: JsonOption = False, project: ProjectOption = None) -> None:
    """List the theme tags and how many measures each selects.

    \b
    Examples:
      letterkit themes
      letterkit themes --json
    """
    with reported():
        loaded = _load(project)
    selects = {tag: [m.number for m in loaded.program.measures if tag in m.themes]
               for tag in loaded.program.themes}
    if as_json:
        _json([{"tag": tag, "label": theme.label, "description": theme.description,
                "count": len(selects[tag]), "measures": selects[tag]}
               for tag, theme in loaded.program.themes.items()])
        return
    table = Table("Tag", "Label", "Measures", "Numbers", title=_count(len(selects), "theme"))
    for tag, theme in loaded.program.themes.items():
        table.add_row(tag, Text(theme.label), str(len(selects[tag])),
                      ", ".join(map(str, selects[tag])))
    out.print(table)


@app.command()
def associations(as_json: JsonOption = False, project: ProjectOption = None) -> None:
    """List the associations of associations.yaml.

    \b
    Examples:
      letterkit associations
      letterkit associations --json
    """
    with reported():
        loaded = _load(project)
    if as_json:
        _json([a.model_dump(mode="json", exclude_none=True) for a in loaded.associations])
        return
    table = Table("Short name", "Name", "Salutation", "Document",
                  title=_count(len(loaded.associations), "association"))
    for a in loaded.associations:
        table.add_row(*(Text(t) for t in (a.short_name, a.full_name, a.salutation,
                                          a.document.title or a.document.kind)))
    out.print(table)


@app.command()
def check(project: ProjectOption = None) -> None:
    """Validate every data file and template, and report every problem found.

    Each problem is one line: file, line, key and a hint. Exit status 1 if there is an error
    (warnings alone do not fail).

    \b
    Example:
      letterkit check
    """
    from letterkit.build import check as check_campaign

    with reported():
        root = _root(project)
        loaded, problems = check_campaign(root)
    _print_problems(problems, out)
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    if errors or loaded is None:
        out.print(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {root}")
        raise typer.Exit(1)
    out.print(f"OK: {_count(len(loaded.program.measures), 'measure')}, "
              f"{_count(len(loaded.program.themes), 'theme')}, "
              f"{_count(len(loaded.associations), 'association')}"
              + (f", {_count(warnings, 'warning')}" if warnings else "") + f" in {root}")


@app.command()
def init(folder: Annotated[Path, typer.Argument(help="The new campaign folder.")]) -> None:
    """Create a campaign folder with the example data and a copy of the templates.

    \b
    Example:
      letterkit init ma-campagne && cd ma-campagne && letterkit check
    """
    from letterkit.build import init as init_campaign

    with reported():
        created = init_campaign(folder)
    for path in created:
        out.print(str(path))
    out.print(f"Campaign created in {folder}: edit its YAML files, then run "
              f"letterkit compose --project {folder} --assoc ARPE --themes mediation")


@app.command()
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

    from letterkit import batch as batches
    from letterkit.build import Request

    with reported():
        loaded = _load(project)
        certificate = _certificate(sign, sign_password_env)
        items = batches.read_requests(file, Request("", [], out=out_dir, force=force,
                                                    sign=certificate))
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
    table = Table("Line", "Request", "Result",
                  title=f"{len(outcomes) - len(failed)} composed, {len(failed)} failed")
    table.columns[2].overflow = "fold"
    for o in outcomes:
        result = Text(o.error, "red") if o.error else Text("\n".join(map(str, o.paths)))
        table.add_row(str(o.item.line), Text(o.item.label), result)
    out.print(table)
    not_done = [o for o in outcomes if o.error == batches.NOT_DONE]
    if not_done:
        err.print(f"Interrupted: {_count(len(not_done), 'request')} not done (lines "
                  f"{', '.join(str(o.item.line) for o in not_done)}); the letters written are "
                  "complete. Compose the rest with a batch of these lines only.")
    if failed:
        raise typer.Exit(1)


@app.command()
def suggest(
    file: Annotated[Path, typer.Argument(help="The association's plaidoyer or questionnaire: "
                                         "plain text, Markdown or PDF.")],
    as_json: JsonOption = False,
    project: ProjectOption = None,
) -> None:
    """Rank the program's themes and measures by relevance to an association's document.

    French stemming and BM25, all offline; the words that matched are shown.

    \b
    Examples:
      letterkit suggest plaidoyer-arpe.pdf
      letterkit suggest questionnaire.md --json
    """
    from letterkit.suggest import chosen_themes, read_document
    from letterkit.suggest import suggest as rank

    with reported():
        loaded = _load(project)
        themes_ranked, measures_ranked = rank(loaded.program, read_document(file))
    chosen = chosen_themes(themes_ranked)
    titles = {m.number: m.title or m.text for m in loaded.program.measures}
    if as_json:
        _json({"themes": [{"tag": s.key, "label": loaded.program.themes[str(s.key)].label,
                           "score": s.score, "words": s.words} for s in themes_ranked],
               "measures": [{"number": s.key, "title": titles[int(s.key)], "score": s.score,
                             "words": s.words} for s in measures_ranked],
               "suggested_themes": chosen})
        return
    table = Table("Tag", "Score", "Words that matched", title="Themes")
    for s in themes_ranked:
        table.add_row(Text(str(s.key), "bold" if str(s.key) in chosen else ""),
                      f"{s.score:.1f}", Text(", ".join(s.words[:8])))
    out.print(table)
    table = Table("N°", "Measure", "Score", "Words that matched", title="Measures")
    for s in measures_ranked[:10]:
        table.add_row(str(s.key), Text(titles[int(s.key)]), f"{s.score:.1f}",
                      Text(", ".join(s.words[:6])))
    out.print(table)
    if chosen:
        out.print(f"Suggested: letterkit compose --assoc … --themes {','.join(chosen)}")
    else:
        out.print("No theme of the program matches this document.")


@app.command()
def ledger(
    stale: Annotated[bool, typer.Option("--stale", help="Only the letters whose cited "
                                        "measures have changed since they were sent.")] = False,
    assoc: Annotated[str | None, typer.Option("--assoc", help="Only the letters to this "
                                              "association.")] = None,
    measure: Annotated[int | None, typer.Option("--measure", help="Only the letters citing "
                                                "this measure.")] = None,
    rebuild: Annotated[int | None, typer.Option(
        "--rebuild", help="Compose letter ID again from its record and compare the bytes.",
        show_default=False)] = None,
    out_dir: OutOption = None,
    force: Annotated[bool, typer.Option("--force", help="With --rebuild: overwrite files in "
                                        "--out (never the letter as sent).")] = False,
    as_json: JsonOption = False,
    project: ProjectOption = None,
) -> None:
    """List what was sent to whom, and the letters that changes to the program made stale.

    \b
    Examples:
      letterkit ledger
      letterkit ledger --assoc ARPE --measure 62 --json
      letterkit ledger --stale
      letterkit ledger --rebuild 3 --out /tmp/verif
    """
    from letterkit import ledger as ledgers

    with reported():
        loaded = _load(project)
        if rebuild is not None:
            from letterkit.replay import rebuild as rebuild_letter

            rebuilt = rebuild_letter(loaded, rebuild, out_dir, force)
            for path, same in rebuilt.files:
                out.print(f"{'identical' if same else 'DIFFERENT'}  {path}")
            if rebuilt.error:
                raise rebuilt.error
            return
        entries = ledgers.entries(loaded.root, assoc, measure)
        found = ledgers.stale(loaded.root, loaded.program, entries) if stale else None
    if as_json:
        _json([{**s.entry.as_json(), "changes": s.changes} for s in found] if found is not None
              else [e.as_json() for e in entries])
        return
    if found is not None:
        table = Table("Id", "Date", "Association", "Themes", "How it may misstate the program",
                      title=_count(len(found), "stale letter"))
        for s in found:
            table.add_row(str(s.entry.id), s.entry.date, Text(s.entry.assoc),
                          ", ".join(s.entry.themes), "; ".join(s.changes))
    else:
        table = Table("Id", "Date", "Association", "Themes", "Measures", "Files",
                      title=_count(len(entries), "letter"))
        for e in entries:
            table.add_row(str(e.id), e.date, Text(e.assoc), ", ".join(e.themes),
                          ", ".join(map(str, sorted(e.measures))), "\n".join(e.files))
    out.print(table)


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


