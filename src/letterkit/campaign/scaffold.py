"""`letterkit init`: a new campaign folder, from the example data and letterkit's templates.

It only ever creates files: never over an existing one, never through a symbolic link (which
could point outside the new folder)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from letterkit.errors import LetterkitError
from letterkit.i18n import _, reason
from letterkit.paths import (
    ASSOCIATIONS_FILE,
    CAMPAIGN_FILE,
    MEASURES_FILE,
    TEMPLATES_DIR,
    packaged,
)


def example_file(name: str) -> Path:
    """One of the example campaign's data files: inside the wheel, or at the repository root."""
    inside = Path(__file__).parents[1] / "example" / name
    return inside if inside.exists() else Path(__file__).parents[3] / name


def init(folder: Path) -> list[Path]:
    """Create a campaign folder holding the example data and a copy of the templates."""
    templates = packaged(TEMPLATES_DIR)
    copies = {folder / name: example_file(name)
              for name in (MEASURES_FILE, CAMPAIGN_FILE, ASSOCIATIONS_FILE)}
    copies |= {folder / TEMPLATES_DIR / t.name: t for t in sorted(templates.iterdir())
               if t.is_file()}
    inside = [folder / part for part in Path(TEMPLATES_DIR).parts[:1]] + [
        folder / TEMPLATES_DIR, *copies]
    links = [path for path in inside if path.is_symlink()]
    if links:
        raise LetterkitError(_("{path} is a symbolic link").format(path=links[0]),
                             hint=_("letterkit init writes only inside the new folder: remove "
                                    "the link, or choose an empty folder"))
    clashes = [path for path in copies if os.path.lexists(path)]
    if clashes:
        raise LetterkitError(_("{path} already exists").format(path=clashes[0]),
                             hint=_("letterkit init creates a new campaign: choose an empty "
                                    "folder"))
    try:
        (folder / TEMPLATES_DIR).mkdir(parents=True, exist_ok=True)
        for target, source in copies.items():
            # O_EXCL and O_NOFOLLOW: a file or link that appeared meanwhile is not written to.
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                             0o666)
            with os.fdopen(handle, "wb") as stream, source.open("rb") as original:
                shutil.copyfileobj(original, stream)
    except OSError as exc:
        raise LetterkitError(_("cannot create {path}: {reason}").format(
            path=exc.filename or folder, reason=reason(exc)),
            hint=_("choose a folder you can write to")) from exc
    return list(copies)
