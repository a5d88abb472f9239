"""The commands that list: measures, themes, associations, suggest, ledger. Each asks the core
for plain rows and prints them as a table, or as JSON with --json."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from letterkit.cli import completion
from letterkit.cli.options import JsonOption, OutOption, ProjectOption, load, refuse_unused, root
from letterkit.cli.output import Column, count, output_rows, print_json, reported, say, utc
from letterkit.i18n import _

MEASURE_COLUMNS = (Column(_("N°"), lambda m: str(m["number"])),
                   Column(_("Measure"), lambda m: m["title"] or m["text"]),
                   Column(_("Themes"), lambda m: ", ".join(m["themes"])))


def measures(
    theme: Annotated[str | None, typer.Option("--theme", help=_("Only the measures of this "
                                              "theme: its tag or its label."),
                                              shell_complete=completion.themes)] = None,
    as_json: JsonOption = False,
    project: ProjectOption = None,
) -> None:
    """List the program's measures, in program order.

    \b
    Examples:
      letterkit measures
      letterkit measures --theme tranquillite --json
    """
    from letterkit.campaign import quick

    with reported():
        # From the YAML alone when these data files loaded without error before.
        rows = quick.measure_rows(root(project), theme)
        if rows is None:
            from letterkit.pipeline.listings import measure_rows

            rows = measure_rows(load(project).program, theme)
    output_rows(rows, MEASURE_COLUMNS, title=count(len(rows), "{n} measure", "{n} measures"),
                as_json=as_json)


THEME_COLUMNS = (Column(_("Tag"), lambda t: t["tag"]), Column(_("Label"), lambda t: t["label"]),
                 Column(_("Measures"), lambda t: str(t["count"])),
                 Column(_("Numbers"), lambda t: ", ".join(map(str, t["measures"]))))


def themes(as_json: JsonOption = False, project: ProjectOption = None) -> None:
    """List the theme tags and how many measures each selects.

    \b
    Examples:
      letterkit themes
      letterkit themes --json
    """
    from letterkit.campaign import quick

    with reported():
        rows = quick.theme_rows(root(project))
        if rows is None:
            from letterkit.pipeline.listings import theme_rows

            rows = theme_rows(load(project).program)
    output_rows(rows, THEME_COLUMNS, title=count(len(rows), "{n} theme", "{n} themes"),
                as_json=as_json)


ASSOCIATION_COLUMNS = (
    Column(_("Short name"), lambda a: a["short_name"]),
    Column(_("Name"), lambda a: a.get("name") or a["short_name"]),
    Column(_("Salutation"), lambda a: a["salutation"]),
    Column(_("Document"), lambda a: a["document"].get("title") or a["document"]["kind"]),
)


def associations(as_json: JsonOption = False, project: ProjectOption = None) -> None:
    """List the associations of associations.yaml.

    \b
    Examples:
      letterkit associations
      letterkit associations --json
    """
    from letterkit.pipeline.listings import association_rows

    with reported():
        rows = association_rows(load(project))
    output_rows(rows, ASSOCIATION_COLUMNS,
                title=count(len(rows), "{n} association", "{n} associations"),
                as_json=as_json)


def suggest(
    file: Annotated[Path, typer.Argument(
        metavar=_("FILE"), help=_("The association's plaidoyer or questionnaire: plain text, "
                                  "Markdown or PDF."))],
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
    from letterkit.pipeline.listings import suggestion_rows
    from letterkit.questionnaire.suggest import read_document

    with reported():
        loaded = load(project)
        ranked = suggestion_rows(loaded.program, read_document(file))
    if as_json:
        print_json(ranked)
        return
    chosen = ranked["suggested_themes"]
    output_rows(ranked["themes"], (
        Column(_("Tag"), lambda s: Text(str(s["tag"]), "bold" if s["tag"] in chosen else "")),
        Column(_("Score"), lambda s: f"{s['score']:.1f}"),
        Column(_("Words that matched"), lambda s: ", ".join(s["words"][:8]))),
        title=_("Themes"))
    output_rows(ranked["measures"][:10], (
        Column(_("N°"), lambda s: str(s["number"])), Column(_("Measure"), lambda s: s["title"]),
        Column(_("Score"), lambda s: f"{s['score']:.1f}"),
        Column(_("Words that matched"), lambda s: ", ".join(s["words"][:6]))),
        title=_("Measures"))
    if chosen:
        say(_("Suggested: letterkit compose --assoc … --themes {themes}").format(
            themes=",".join(chosen)))
    else:
        say(_("No theme of the program matches this document."))


LEDGER_COLUMNS = (
    Column(_("Id"), lambda e: str(e["id"])), Column(_("Date"), lambda e: e["date"]),
    Column(_("Association"), lambda e: e["assoc"]),
    Column(_("Themes"), lambda e: ", ".join(e["themes"])),
    Column(_("Measures"), lambda e: ", ".join(map(str, e["measures"]))),
    Column(_("Files"), lambda e: "\n".join(e["files"])),
    Column(_("Sent"), lambda e: utc(e["sent"]) if e["sent"] else _("draft")),
)
STALE_COLUMNS = (*LEDGER_COLUMNS[:4],
                 Column(_("How it may misstate the program"), lambda s: "; ".join(s["changes"])))


def ledger(
    ctx: typer.Context,
    stale: Annotated[bool, typer.Option("--stale", help=_("Only the letters whose cited "
                                        "measures have changed since they were sent."))] = False,
    assoc: Annotated[str | None, typer.Option("--assoc", help=_("Only the letters to this "
                                              "association."),
                                              shell_complete=completion.associations)] = None,
    measure: Annotated[int | None, typer.Option("--measure", help=_("Only the letters citing "
                                                "this measure."))] = None,
    rebuild: Annotated[int | None, typer.Option(
        "--rebuild", metavar=_("ID"),
        help=_("Compose letter ID again from its record and compare the bytes."),
        show_default=False)] = None,
    out_dir: OutOption = None,
    force: Annotated[bool, typer.Option("--force", help=_("With --rebuild: overwrite files in "
                                        "--out (never the letter as sent)."))] = False,
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
    from letterkit.ledger.database import entries as ledger_entries
    from letterkit.ledger.stale import stale as stale_letters

    if rebuild is None:
        refuse_unused(ctx, dict.fromkeys(("out_dir", "force"), _("goes with --rebuild ID")))
    else:
        refuse_unused(ctx, dict.fromkeys(("stale", "assoc", "measure"), _(
            "lists letters: --rebuild composes one letter again")))
    with reported():
        loaded = load(project)
        if rebuild is not None:
            from letterkit.pipeline.replay import rebuild as rebuild_letter

            rebuilt = rebuild_letter(loaded, rebuild, out_dir, force)
            if as_json:
                print_json([{"path": str(path), "identical": same}
                            for path, same in rebuilt.files])
            for path, same in [] if as_json else rebuilt.files:
                say(f"{_('identical') if same else _('DIFFERENT')}  {path}")
            if rebuilt.error:
                raise rebuilt.error
            return
        entries = ledger_entries(loaded.root, assoc, measure)
        if stale:
            rows = [{**s.entry.as_json(), "changes": s.changes}
                    for s in stale_letters(loaded.root, loaded.program, entries)]
            output_rows(rows, STALE_COLUMNS,
                        title=count(len(rows), "{n} stale letter", "{n} stale letters"),
                        as_json=as_json)
        else:
            output_rows([e.as_json() for e in entries], LEDGER_COLUMNS,
                        title=count(len(entries), "{n} letter", "{n} letters"), as_json=as_json)
