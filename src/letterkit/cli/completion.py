"""Tab completion of option values, through Click's shell_complete protocol as Typer runs it
(bash, zsh, fish; `letterkit --install-completion`). Each function here is an option's
`shell_complete`: Typer's `autocompletion` keeps only the values that start with the typed text
as typed, which would refuse « Théâtre de l'Écluse » to « theatre ».

Association names match on a prefix of their short or full name, without accents or case
(« theatre » completes « Théâtre de l'Écluse »); themes and measure numbers complete the last
item of a comma list (`--themes mediation,num<Tab>`); answers files are the campaign's
answers/*.yaml. The campaign's files are read with the YAML loader only (campaign/quick.py):
a Tab press loads no model and checks nothing. For bash, a value is escaped as the shell
needs (zsh and fish quote what they insert themselves).
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import typer

from letterkit.text import fold


def _root(ctx: typer.Context) -> Path | None:
    """The campaign folder the command line names (--project), else the usual one."""
    from letterkit.errors import LetterkitError
    from letterkit.paths import find_project

    project = ctx.params.get("project")
    try:
        return find_project(Path(project) if project else None,
                            os.environ.get("LETTERKIT_PROJECT"), Path.cwd())
    except (LetterkitError, OSError):
        return None


def shell_escaped(value: str) -> str:
    """`value` as the shell must receive it: for bash, its spaces, quotes and other special
    characters escaped with a backslash (« Théâtre\\ de\\ l\\'Écluse »); as is for zsh and fish."""
    if os.environ.get("_LETTERKIT_COMPLETE", "").endswith("bash"):
        return re.sub(r"([^\w@%+=:,./-])", r"\\\1", value)
    return value


def associations(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    """--assoc: the short names whose short or full name starts with what is typed."""
    from letterkit.campaign import quick

    root = _root(ctx)
    typed = fold(incomplete)
    return [shell_escaped(short) for short, name in
            (quick.associations(root) if root else [])
            if fold(short).startswith(typed) or fold(name).startswith(typed)]


def _last_item(incomplete: str) -> tuple[str, str, set[str]]:
    """« mediation,num » → (« mediation, », « num », {« mediation »})."""
    head, _comma, last = incomplete.rpartition(",")
    before = head + "," if head else ""
    return before, last, {fold(piece) for piece in head.split(",") if piece.strip()}


def themes(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    """--themes, --theme: the tags whose tag or label starts with the last item typed."""
    from letterkit.campaign import quick

    root = _root(ctx)
    before, last, given = _last_item(incomplete)
    typed = fold(last)
    return [shell_escaped(before + tag) for tag, label in
            (quick.themes(root) if root else [])
            if fold(tag) not in given and (fold(tag).startswith(typed)
                                           or fold(label).startswith(typed))]


def measures(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    """--measures, --exclude: the numbers that start with the last item typed."""
    from letterkit.campaign import quick

    root = _root(ctx)
    before, last, given = _last_item(incomplete)
    return [before + str(number) for number, _title in
            (quick.measures(root) if root else [])
            if str(number).startswith(last.strip()) and str(number) not in given]


def answers(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    """--answers: the campaign's answers/*.yaml, as paths from the current folder."""
    root = _root(ctx)
    if root is None:
        return []
    found = []
    for path in sorted((root / "answers").glob("*.y*ml")):
        shown = os.path.relpath(path)
        shown = str(path) if shown.startswith("..") else shown
        if shown.startswith(incomplete):
            found.append(shell_escaped(shown))
    return found


def requests(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    """Request ids of the campaign's inbox (the requests table of ledger.sqlite); none while
    there is no inbox."""
    root = _root(ctx)
    database = root / "ledger.sqlite" if root else None
    if database is None or not database.is_file():
        return []
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            rows = connection.execute("SELECT * FROM requests ORDER BY id").fetchall()
            columns = [c[0] for c in connection.execute("SELECT * FROM requests").description]
    except sqlite3.Error:
        return []
    named = [dict(zip(columns, row, strict=True)) for row in rows]
    return [str(r["id"]) for r in named if str(r["id"]).startswith(incomplete)]
