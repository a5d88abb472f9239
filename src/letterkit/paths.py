"""Where things are: the campaign folder, its data files and templates, letterkit's own files.

Paths only (no YAML, no Jinja), so that a command can find them, and fork its PDF process,
before loading anything heavy.
"""

from __future__ import annotations

from pathlib import Path

from letterkit.errors import LetterkitError
from letterkit.i18n import _

MEASURES_FILE = "measures.yaml"
CAMPAIGN_FILE = "campaign.yaml"
ASSOCIATIONS_FILE = "associations.yaml"
TEMPLATES_DIR = "templates/letters"
DEFAULT_TEMPLATE = "reponse"
PAGE_TEMPLATE = "page.html.j2"
STYLESHEET = "letter.css"


def packaged(relative: str) -> Path:
    """A file shipped with letterkit: inside the wheel, or at the repository root."""
    here = Path(__file__).parent
    inside = here / relative
    return inside if inside.exists() else here.parents[1] / relative


def template_dirs(root: Path) -> list[Path]:
    """Where templates are looked up, in order: the campaign's own, then letterkit's."""
    dirs = [root / TEMPLATES_DIR, packaged(TEMPLATES_DIR)]
    return [d for i, d in enumerate(dirs) if d.is_dir() and d.resolve() not in
            {e.resolve() for e in dirs[:i]}]


def stylesheet(root: Path) -> Path:
    """The letter's CSS: the campaign's own copy, else letterkit's."""
    for folder in template_dirs(root):
        if (folder / STYLESHEET).is_file():
            return folder / STYLESHEET
    raise LetterkitError(_("no {file} in the templates folders").format(file=STYLESHEET),
                         file=TEMPLATES_DIR, hint=_("run letterkit init to get a fresh copy"))


def find_project(explicit: Path | None, env_value: str | None, cwd: Path) -> Path:
    """The campaign folder: --project, else $LETTERKIT_PROJECT, else the nearest upward."""
    for given, origin in ((explicit, "--project"), (env_value, "LETTERKIT_PROJECT")):
        if given:
            root = Path(given).expanduser().resolve()
            if not (root / MEASURES_FILE).is_file():
                raise LetterkitError(
                    _("{origin} names {folder}, which holds no {file}").format(
                        origin=origin, folder=root, file=MEASURES_FILE),
                    hint=_("point it at a campaign folder, or create one with letterkit init "
                           "DIR"))
            return root
    for folder in (cwd.resolve(), *cwd.resolve().parents):
        if (folder / MEASURES_FILE).is_file():
            return folder
    raise LetterkitError(
        _("no campaign folder here: no {file} in {folder} or above it").format(
            file=MEASURES_FILE, folder=cwd),
        hint=_("run letterkit inside a campaign folder, pass --project DIR, or create one with "
               "letterkit init DIR"))
