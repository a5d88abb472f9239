"""`ledger --rebuild`: compose a recorded letter again and compare it, byte for byte.

It writes only under the folder it is given (else a new temporary one), under names made safe
again whatever the ledger row says, never over an existing file without `force`, and never
over the letter as it was sent with other bytes, even with `force`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from letterkit.campaign.project import Project
from letterkit.errors import LetterkitError
from letterkit.ledger.database import Ledger
from letterkit.ledger.entry import data_hash, sha256, templates_hash
from letterkit.pipeline.build import Request, draft
from letterkit.pipeline.writer import commit


@dataclass
class Rebuilt:
    files: list[tuple[Path, bool]]       # each file composed again, and whether it is the same
    error: LetterkitError | None = None  # why not, when a file differs


def rebuild(project: Project, number: int, out: Path | None, force: bool = False) -> Rebuilt:
    """Compose letter `number` again from its record (into `out`, else a temporary folder)
    and compare each file, byte for byte, with what was sent."""
    with Ledger(project.root) as ledger:
        entry = ledger.entry(number)
    folder = out if out is not None else Path(tempfile.mkdtemp(prefix="letterkit-rebuild-"))
    request = Request.replay(entry.request, folder, force)
    sent = entry.files

    def as_sent(name: str) -> str | None:
        return sent.get(name + "#unsigned") or sent.get(name)

    drafted = draft(project, request)   # in memory: nothing is written before the checks
    for target, data in drafted.files.items():
        if force and target.is_file():
            there = sha256(target.read_bytes())
            if there in (sent.get(target.name), as_sent(target.name)) and there != sha256(data):
                raise LetterkitError(f"{target} is the letter as it was sent",
                                     hint="rebuild it into another folder with --out")
        if target.exists() and not force:
            raise LetterkitError(f"{target} already exists",
                                 hint="choose another folder with --out, or pass --force to "
                                 "overwrite it")
    commit(drafted.files, force=force)
    files = [(path, as_sent(path.name) == sha256(data)) for path, data in drafted.files.items()]
    differ = [path.name for path, same in files if not same]
    if not differ:
        return Rebuilt(files)
    changed = [what for what, now, then in (
        ("the data files", data_hash(project.root), entry.data),
        ("the templates", templates_hash(project.root), entry.templates)) if now != then]
    return Rebuilt(files, LetterkitError(
        f"letter {number} no longer comes out the same: {', '.join(differ)}",
        hint=(" and ".join(changed) + " changed since it was sent") if changed
        else "letterkit or its fonts changed since it was sent"))
