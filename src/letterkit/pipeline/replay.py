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
from letterkit.i18n import _
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
                raise LetterkitError(_("{path} is the letter as it was sent").format(
                                         path=target),
                                     hint=_("rebuild it into another folder with --out"))
        if target.exists() and not force:
            raise LetterkitError(_("{path} already exists").format(path=target),
                                 hint=_("choose another folder with --out, or pass --force to "
                                        "overwrite it"))
    commit(drafted.files, force=force)
    files = [(path, as_sent(path.name) == sha256(data)) for path, data in drafted.files.items()]
    differ = [path.name for path, same in files if not same]
    if not differ:
        return Rebuilt(files)
    data_changed, templates = (data_hash(project.root) != entry.data,
                               templates_hash(project.root) != entry.templates)
    if data_changed and templates:
        hint = _("the data files and the templates changed since it was sent")
    elif data_changed:
        hint = _("the data files changed since it was sent")
    elif templates:
        hint = _("the templates changed since it was sent")
    else:
        hint = _("letterkit or its fonts changed since it was sent")
    return Rebuilt(files, LetterkitError(
        _("letter {number} no longer comes out the same: {files}").format(
            number=number, files=", ".join(differ)), hint=hint))
