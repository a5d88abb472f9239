"""The values a request gives as text (a date, a list of formats), read the same way for the
command line and for each row of a batch file. A bad value raises ValueError with a message
that says what to write instead."""

from __future__ import annotations

import datetime as dt
import re

from letterkit.formats.registry import FORMATS as WRITERS
from letterkit.i18n import N_, _
from letterkit.text import fold

FORMATS = tuple(WRITERS)  # the names; letterkit.formats.registry is where a format is added


MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
          "octobre", "novembre", "decembre")  # folded: without accents
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_WORDED_DATE = re.compile(r"(\d{1,2})(?:er)? ([a-z]+)\.? (\d{4})")
DATE_FORMS = N_("02/03/2026, 2 mars 2026 or 2026-03-02")  # translated where it is used


def parse_date(value: str) -> dt.date:
    """A date as people write it, on the command line and in batch files alike: 2026-03-02
    (or 2026-03-02 00:00:00, as a spreadsheet writes a date cell), 02/03/2026, 2/3/26,
    02.03.2026, « 2 mars 2026 », « 1er mars 2026 » (accents and case as they come). A value of
    one of these forms that names no real day (31/02/2026) is said to be so."""
    text = " ".join(value.split())
    if found := _ISO_DATE.fullmatch(text):
        year, month, day = int(found[1]), int(found[2]), int(found[3])
    elif found := _NUMERIC_DATE.fullmatch(text):
        year = int(found[3]) + (2000 if len(found[3]) == 2 else 0)
        month, day = int(found[2]), int(found[1])
    elif (found := _WORDED_DATE.fullmatch(fold(text))) and found[2] in MONTHS:
        year, month, day = int(found[3]), MONTHS.index(found[2]) + 1, int(found[1])
    else:
        raise ValueError(_("« {value} » is not a date: write it as {forms}").format(
            value=value, forms=_(DATE_FORMS)))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("« {value} » is not a date that exists").format(
            value=value)) from None


def parse_formats(value: str) -> tuple[str, ...]:
    """Comma-separated formats among FORMATS, each once, in the order given."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    if not formats or set(formats) - set(FORMATS):
        raise ValueError(_("« {value} »: choose among {formats}, comma-separated").format(
            value=value, formats=", ".join(FORMATS)))
    return formats
