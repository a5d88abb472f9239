"""The interface's language: French under a French locale, English otherwise.

The language is read from the environment as gettext reads it: the first of LANGUAGE, LC_ALL,
LC_MESSAGES and LANG that is set; its first entry decides (« fr », « fr_FR.UTF-8 »,
« fr_CA » are French; « C.UTF-8 », « en_GB », none are English). The messages are English in
the source, marked with `_()` (or `ngettext` for a count); their French is in
locale/fr/LC_MESSAGES/letterkit.mo, compiled by Babel from letterkit.po (`make messages`).
Only the standard library's gettext reads it at run time: importing this module costs almost
nothing.
"""

from __future__ import annotations

import errno
import gettext
import os
from pathlib import Path

DOMAIN = "letterkit"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language(environ: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """« fr » or « en », from the environment as gettext reads it."""
    for variable in LANGUAGE_VARIABLES:
        value = environ.get(variable)
        if value:
            first = value.split(":")[0].strip().lower()
            return "fr" if first == "fr" or first.startswith(("fr_", "fr.", "fr@")) else "en"
    return "en"


def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


LANGUAGE = language()
FRENCH = LANGUAGE == "fr"
_catalog = _translations(LANGUAGE)


def _(message: str) -> str:
    """`message` in the interface's language."""
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or the plural form for `n`, in the interface's language (French puts 0
    and 1 in the singular: « 0 mesure »)."""
    return _catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction only: it is translated where it is used."""
    return message


def use(lang: str) -> None:
    """Speak `lang` (« fr », « en ») from now on in this process: for tests in the process;
    the command line reads the environment once, at import."""
    global LANGUAGE, FRENCH, _catalog
    LANGUAGE, FRENCH, _catalog = lang, lang == "fr", _translations(lang)


def bind_gettext_domain() -> None:
    """Make the standard library's `gettext.gettext`, which Typer calls for its own strings
    (« Options », « [default: …] », « Aborted! »), read letterkit's catalog under a French
    locale: their French is in it. Nothing changes under an English one."""
    if FRENCH:
        gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
        gettext.textdomain(DOMAIN)


# The system's reasons for a failed file operation, as the C library words them in English
# (Python does not read them in the user's language): the usual ones, in the interface's.
_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.ENOSPC: N_("no space left on the disk"),
    errno.EDQUOT: N_("disk quota exceeded"),
    errno.EFBIG: N_("file too large"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.EEXIST: N_("it already exists"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.ENOTEMPTY: N_("the folder is not empty"),
    errno.EBUSY: N_("it is in use"),
    errno.ECONNREFUSED: N_("connection refused"),
    errno.ETIMEDOUT: N_("the connection timed out"),
    errno.EHOSTUNREACH: N_("the host cannot be reached"),
    errno.ENETUNREACH: N_("the network cannot be reached"),
}


def reason(exc: OSError) -> str:
    """Why a system call failed, in the interface's language: « no such file or folder »,
    « permission denied »…; the system's own words for a rarer reason."""
    known = _REASONS.get(exc.errno) if exc.errno is not None else None
    return _(known) if known else (exc.strerror or str(exc))
