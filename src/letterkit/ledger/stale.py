"""Stale letters: those whose cited measures changed in measures.yaml since they were sent,
and what changed, in words."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from letterkit.ledger.entry import Entry, measure_hash

if TYPE_CHECKING:
    from letterkit.campaign.models import Program


@dataclass
class Stale:
    entry: Entry
    changes: list[str]   # how the letter may now misstate the program


def stale(root: Path, program: Program, among: Iterable[Entry]) -> list[Stale]:
    """The letters whose cited measures changed in measures.yaml since they were sent."""
    now = {m.number: m.text for m in program.measures}
    found = []
    for entry in among:
        # In a questionnaire's letter, say which answers cite the measure.
        answering: dict[int, list[int]] = {}
        for question in entry.questions or []:
            for number in question["measures"]:
                answering.setdefault(number, []).append(question["number"])
        changes = [(f"measure {n} no longer exists" if n not in now else
                    f"measure {n} has changed: {_difference(entry.texts[n], now[n])}"
                    if n in entry.texts else f"measure {n} has changed")
                   + (f" (the answer to question {', '.join(map(str, answering[n]))})"
                      if n in answering else "")
                   for n, digest in sorted(entry.measures.items())
                   # no digest: a row rebuilt from an old ledger.csv, its text unknown
                   if n not in now or (digest and measure_hash(now[n]) != digest)]
        if changes:
            found.append(Stale(entry, changes))
    return found


def _difference(sent: str, now: str) -> str:
    """What changed between the text a letter cited and the program's text now, in words."""
    before, after = sent.split(), now.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
        old, new = " ".join(before[i1:i2]), " ".join(after[j1:j2])
        if tag == "replace":
            parts.append(f"« {old} » became « {new} »")
        elif tag == "delete":
            parts.append(f"« {old} » was removed")
        elif tag == "insert":
            parts.append(f"« {new} » was added")
    return "; ".join(parts[:3]) + ("…" if len(parts) > 3 else "") or "spacing only"
