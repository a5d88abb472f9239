"""Stale letters: those whose cited measures changed in measures.yaml since they were sent,
and what changed, in words."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from letterkit.i18n import _, ngettext
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
        changes = [_change(n, entry.texts.get(n), now.get(n), answering.get(n, []))
                   for n, digest in sorted(entry.measures.items())
                   # no digest: a row rebuilt from an old ledger.csv, its text unknown
                   if n not in now or (digest and measure_hash(now[n]) != digest)]
        if changes:
            found.append(Stale(entry, changes))
    return found


def _change(number: int, sent: str | None, now: str | None, questions: list[int]) -> str:
    """« measure 62 has changed: « pas » became « jamais » (the answer to question 3) »."""
    if now is None:
        change = _("measure {number} no longer exists").format(number=number)
    elif sent is None:
        change = _("measure {number} has changed").format(number=number)
    else:
        change = _("measure {number} has changed: {difference}").format(
            number=number, difference=_difference(sent, now))
    if not questions:
        return change
    return ngettext("{change} (the answer to question {questions})",
                    "{change} (the answer to questions {questions})", len(questions)).format(
        change=change, questions=", ".join(map(str, questions)))


def _difference(sent: str, now: str) -> str:
    """What changed between the text a letter cited and the program's text now, in words."""
    before, after = sent.split(), now.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
        old, new = " ".join(before[i1:i2]), " ".join(after[j1:j2])
        if tag == "replace":
            parts.append(_("« {old} » became « {new} »").format(old=old, new=new))
        elif tag == "delete":
            parts.append(_("« {old} » was removed").format(old=old))
        elif tag == "insert":
            parts.append(_("« {new} » was added").format(new=new))
    return _("; ").join(parts[:3]) + ("…" if len(parts) > 3 else "") or _("spacing only")
