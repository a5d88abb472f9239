"""The values a request gives as text (a date, a list of formats), read the same way for the
command line and for each row of a batch file. A bad value raises ValueError with a message
that says what to write instead."""

from __future__ import annotations

import datetime as dt
import re

from letterkit.formats.registry import FORMATS as WRITERS

FORMATS = tuple(WRITERS)  # the names; letterkit.formats.registry is where a format is added


def parse_date(value: str) -> dt.date:
    """`YYYY-MM-DD`, a date that exists."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError(f"« {value} » is not a date that exists") from None
        raise ValueError(f"« {value} » is not a date written YYYY-MM-DD") from None


def parse_formats(value: str) -> tuple[str, ...]:
    """Comma-separated formats among FORMATS, each once, in the order given."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    if not formats or set(formats) - set(FORMATS):
        raise ValueError(f"« {value} »: choose among {', '.join(FORMATS)}, comma-separated")
    return formats
