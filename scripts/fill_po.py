"""Fill translations into fr/letterkit.po from a YAML file of « English: French » pairs
(a plural: « English: [singular French, plural French] », its key the English singular; the
plural also serves for CLDR's third French form, « 1 000 000 de … »).

    python scripts/fill_po.py translations.yaml

Only the strings letterkit.po already holds (run make messages first) are filled; a string
given that letterkit.po lacks is listed, and nothing else changes. Then run make messages
again: it sets the French in French typography and compiles it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parents[1] / "src/letterkit/locale/fr/LC_MESSAGES/letterkit.po"


def main(source: str) -> None:
    pairs = yaml.safe_load(Path(source).read_text(encoding="utf-8")) or {}
    with PO.open("rb") as stream:
        catalog = read_po(stream)
    unknown = set(pairs)
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in pairs:
            unknown.discard(key)
            french = pairs[key]
            if isinstance(message.id, tuple):  # CLDR's French has a third form, for millions
                french = list(french) + [french[-1]] * (catalog.num_plurals - len(french))
            message.string = tuple(french) if isinstance(message.id, tuple) else french
            message.flags.discard("fuzzy")
    with PO.open("wb") as stream:
        write_po(stream, catalog, width=0, sort_output=True, ignore_obsolete=True,
                 include_lineno=False)
    for key in sorted(unknown):
        print(f"not in letterkit.po (run make messages first?): {key!r}")


if __name__ == "__main__":
    main(sys.argv[1])
