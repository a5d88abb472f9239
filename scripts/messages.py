"""letterkit's message catalogs: extract, update and compile them with Babel.

    python scripts/messages.py          # extract letterkit.pot, update fr/letterkit.po,
                                        # compile fr/letterkit.mo (make messages)

The strings are those marked `_()`, `ngettext()` or `count()` (cli/output.py: singular and
plural) in src/letterkit, and the docstrings of cli/'s commands (those with an example block,
`\\b`), which Typer shows as their --help. The map is babel.cfg. A string of letterkit.po left
empty or marked fuzzy is English at run time: tests/test_i18n.py fails until it is translated.

The French is then set in French typography by polytypo (no-break spaces before « : ; ? ! »
and inside « », the apostrophe ’, the ellipsis …): translators type plain spaces and quotes.
What must stay as typed is left alone: option names, placeholders, `backquoted` text, what
« » quote (a YAML line, a value), URLs, and a help page's examples (its indented lines).
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "src" / "letterkit" / "locale"
POT = LOCALE / "letterkit.pot"
KEYWORDS = ["_", "N_", "ngettext:1,2", "count:2,3"]


def extract_cli(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
                ) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    """Babel extractor for cli/: the commands' docstrings as Typer shows them (cleaned, as
    inspect.getdoc gives them), then the marked calls as Babel's Python extractor finds them."""
    from babel.messages.extract import extract_python

    source = fileobj.read()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            doc = ast.get_docstring(node, clean=False)
            if doc and "\n\b\n" in inspect.cleandoc(doc):
                yield node.lineno, None, inspect.cleandoc(doc), []
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)


PROTECTED = re.compile(r"--[\w-]+|\{[^{}]*\}|`[^`]*`|(?<=«\u00a0)[^«»]*(?=\u00a0»)|\w+://\S+"
                       r"|(?m:^  .+$)")


def french_typography(text: str) -> str:
    """`text` set in French typography, what must stay as typed left alone."""
    import polytypo

    if not text:
        return text
    text = re.sub(r"«[ \u00a0\u202f]*", "«\u00a0", re.sub(r"[ \u00a0\u202f]*»", "\u00a0»", text))
    protect = [(m.start(), m.end()) for m in PROTECTED.finditer(text)]
    fixed: str = polytypo.transform(text, locale="fr", protect=protect)
    return fixed


def set_in_french_typography(po: Path) -> None:
    """Every translation of `po` in French typography (see `french_typography`)."""
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as stream:
        catalog = read_po(stream)
    for message in catalog:
        if message.id:
            message.string = (tuple(french_typography(s) for s in message.string)
                              if isinstance(message.string, tuple)
                              else french_typography(message.string))
    with po.open("wb") as stream:
        write_po(stream, catalog, width=0, omit_header=False, sort_output=True,
                 ignore_obsolete=True, include_lineno=False)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))  # babel.cfg names this module
    babel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*babel, "extract", "-F", "babel.cfg", *[f"-k{k}" for k in KEYWORDS],
                    "--no-location", "--sort-output", "--no-wrap", "--project", "letterkit",
                    "--copyright-holder", "letterkit",
                    "--omit-header", "-o", str(POT), "src/letterkit"], check=True, cwd=REPO,
                   env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)})
    po = LOCALE / "fr" / "LC_MESSAGES" / "letterkit.po"
    action = "update" if po.exists() else "init"
    subprocess.run([*babel, action, "-i", str(POT), "-d", str(LOCALE), "-D", "letterkit",
                    "-l", "fr", "--no-wrap", *(["--no-fuzzy-matching", "--ignore-obsolete"]
                                               if action == "update" else [])],
                   check=True, cwd=REPO)
    set_in_french_typography(po)
    subprocess.run([*babel, "compile", "-d", str(LOCALE), "-D", "letterkit", "--statistics"],
                   check=True, cwd=REPO)


if __name__ == "__main__":
    main()
