"""An e-mail an association sent (.eml): who sent it, when, its subject, and the documents it
attaches, read with the standard library (RFC 2047 encoded headers decoded, a forwarded
message/rfc822 part opened: its sender, its date and its attachments count too)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from letterkit.errors import LetterkitError
from letterkit.i18n import _, reason
from letterkit.questionnaire.documents import SUFFIXES


@dataclass
class Sender:
    """One message's author: the outer message, or one it forwards."""

    address: str
    name: str
    date: dt.date | None


@dataclass
class Mail:
    """What letterkit keeps of an e-mail."""

    subject: str
    senders: list[Sender]          # the message's, then each forwarded message's
    documents: list[tuple[str, bytes]] = field(default_factory=list)  # name, bytes
    text: str = ""                 # the plain text of the message and what it forwards


def read_mail(path: Path) -> Mail:
    """The e-mail at `path`; a LetterkitError says why it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LetterkitError(_("file not found"), file=str(path),
                             hint=_("give the path of the e-mail saved as .eml")) from None
    except OSError as exc:
        raise LetterkitError(_("cannot read the file ({reason})").format(reason=reason(exc)),
                             file=str(path), hint=_("check its permissions")) from None
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    if not any(parsed.get(name) for name in ("From", "Date", "Subject", "To")):
        raise LetterkitError(_("not an e-mail: no From, To, Date or Subject header"),
                             file=str(path), hint=_("save the message from the mail program "
                                                    "as .eml (« Save as », « Download "
                                                    "message »)"))
    mail = Mail(subject=" ".join(str(parsed.get("Subject", "")).split()), senders=[])
    _walk(parsed, mail)
    return mail


def _sender(message: Message) -> Sender | None:
    addresses = getaddresses([str(message.get("From", ""))])
    found = next(((name, address) for name, address in addresses if "@" in address), None)
    if found is None:
        return None
    date = None
    try:
        if message.get("Date"):
            date = parsedate_to_datetime(str(message["Date"])).date()
    except (TypeError, ValueError):
        date = None
    return Sender(found[1].strip().lower(), found[0].strip(), date)


def _walk(message: Message, mail: Mail) -> None:
    """The sender, the text and the documents of `message`, then of what it forwards."""
    sender = _sender(message)
    if sender is not None:
        mail.senders.append(sender)
    for part in message.walk() if message.is_multipart() else [message]:
        if part.get_content_type() == "message/rfc822":
            for inner in _forwarded(part):
                _walk(inner, mail)
            continue
        if part.is_multipart():
            continue
        if _inside_forward(message, part):
            continue
        name = part.get_filename()
        if name and Path(name).suffix.lower() in SUFFIXES:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                mail.documents.append((Path(name).name, data))
        elif not name and part.get_content_type() == "text/plain":
            content = part.get_content() if isinstance(part, EmailMessage) else ""
            mail.text += str(content).strip() + "\n\n"


def _inside_forward(message: Message, part: Message) -> bool:
    """Whether `part` belongs to a message/rfc822 part of `message` (read by _walk on its
    own, not twice)."""
    for candidate in message.walk():
        if candidate.get_content_type() == "message/rfc822":
            for inner in _forwarded(candidate):
                if any(p is part for p in inner.walk()):
                    return True
    return False


def _forwarded(part: Message) -> list[Message]:
    """The messages a message/rfc822 part holds."""
    payload = part.get_payload()
    return [m for m in payload if isinstance(m, Message)] if isinstance(payload, list) else []
