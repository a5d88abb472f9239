"""Recorded letters e-mailed through the campaign's SMTP server (`letterkit send`), each at
most once, the ledger saying when and with which Message-ID."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

from letterkit.campaign.vocabulary import DEFAULT_PORTS
from letterkit.errors import LetterkitError
from letterkit.formats.eml import message, recipient, sender, subject
from letterkit.pipeline.inbox import letter_sent

if TYPE_CHECKING:
    from letterkit.campaign.models import Smtp
    from letterkit.campaign.project import Project
    from letterkit.ledger.entry import Entry

TIMEOUT = 30  # seconds for the server to answer


def _where(host: str, port: int) -> str:
    return f"{host}:{port}"


def send(raw: bytes, *, host: str, port: int, security: str, username: str | None,
         password: str | None, what: str) -> str:
    """Send the message `raw` (an .eml) exactly as it is; return its Message-ID.

    `what` names the letter in messages (« letter 3 »).
    """
    import smtplib
    import socket
    import ssl
    from email import message_from_bytes, policy

    parsed = message_from_bytes(raw, policy=policy.SMTP)
    sender = parseaddr(str(parsed["From"]))[1]
    recipients = [address for _, address in getaddresses([str(parsed["To"])])]
    context = ssl.create_default_context()
    where = _where(host, port)
    try:
        server: smtplib.SMTP
        if security == "ssl":
            server = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with server:
            server.ehlo()
            if security == "starttls":
                server.starttls(context=context)
                server.ehlo()
            if username:
                server.login(username, password or "")
            refused = server.sendmail(sender, recipients, raw)
    except ssl.SSLCertVerificationError as exc:
        raise LetterkitError(
            f"cannot send {what}: the certificate of {where} is not valid: "
            f"{exc.verify_message}", file="campaign.yaml", key="smtp.host",
            hint="give the server's name as its certificate has it") from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise LetterkitError(
            f"cannot send {what}: {where} refused the user name or the password "
            f"({exc.smtp_code})", file="campaign.yaml", key="smtp.username",
            hint="check smtp.username and the password in the smtp.password_env variable"
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise LetterkitError(
            f"cannot send {what}: {where} does not offer {security.upper()}",
            file="campaign.yaml", key="smtp.security",
            hint="choose the security the server offers: starttls, ssl or none") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise LetterkitError(
            f"cannot send {what}: {where} refused the address {', '.join(recipients)}",
            file="associations.yaml", key="email",
            hint="check the association's e-mail address") from exc
    except smtplib.SMTPResponseException as exc:
        reason = exc.smtp_error.decode(errors="replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        raise LetterkitError(
            f"cannot send {what}: {where} answered {exc.smtp_code} {reason}",
            hint="check the smtp block of campaign.yaml, or try again later") from exc
    except (OSError, smtplib.SMTPException) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else (
            str(exc) or type(exc).__name__)
        if isinstance(exc, socket.timeout):
            reason = "no answer"
        raise LetterkitError(
            f"cannot send {what}: cannot reach {where}: {reason}", file="campaign.yaml",
            key="smtp.host", hint="check smtp.host, smtp.port and smtp.security, and the "
            "network") from exc
    if refused:
        raise LetterkitError(f"cannot send {what}: {where} refused {', '.join(refused)}",
                             file="associations.yaml", key="email",
                             hint="check the association's e-mail address")
    return " ".join(str(parsed["Message-ID"]).split())


def password(smtp: Smtp) -> str | None:
    """The SMTP password, from the environment variable smtp.password_env."""
    if not smtp.username:
        return None
    variable = smtp.password_env or ""
    value = os.environ.get(variable)
    if not value:
        raise LetterkitError(f"the environment variable {variable} is not set",
                             file="campaign.yaml", key="smtp.password_env",
                             hint=f"export {variable}=… (the password of {smtp.username}) "
                             "before letterkit send")
    return value


def _recorded(path: Path, digest: str, number: int) -> bytes:
    """The file of a recorded letter, as it was written."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LetterkitError(f"cannot read {path}: {exc.strerror}",
                             hint=f"letter {number}'s files are where it was composed; compose "
                             "it again if they were moved or removed") from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise LetterkitError(f"{path} is not the file letter {number} recorded: it changed "
                             "since", hint="compose the letter again, then send the new one")
    return data


def letter_message(project: Project, entry: Entry) -> bytes:
    """The e-mail of a recorded letter: its .eml as written, else one made from its .md and
    .pdf as written (the same bytes `--format eml` gives)."""
    folder = letters_folder(project.root, entry)
    by_suffix = {Path(name).suffix: name for name in entry.files if "#" not in name}
    if ".eml" in by_suffix:
        name = by_suffix[".eml"]
        return _recorded(folder / name, entry.files[name], entry.id)
    if ".md" not in by_suffix or ".pdf" not in by_suffix:
        raise LetterkitError(f"letter {entry.id} has no .eml, nor both a .md and a .pdf to "
                             "send", hint="compose it again with --format md,pdf or eml")
    markdown = _recorded(folder / by_suffix[".md"], entry.files[by_suffix[".md"]],
                         entry.id).decode()
    pdf = _recorded(folder / by_suffix[".pdf"], entry.files[by_suffix[".pdf"]], entry.id)
    association = project.association(entry.assoc)
    title = " ".join(markdown.split("\n\n", 1)[0].replace("*", "").split())
    return message(sender=sender(project), recipient=recipient(association),
                   recipient_name=association.full_name,
                   subject_line=subject(association.subject, title), markdown=markdown,
                   title=title, pdf=pdf, pdf_name=by_suffix[".pdf"],
                   date=dt.date.fromisoformat(entry.date))


def letters_folder(root: Path, entry: Entry) -> Path:
    """Where a recorded letter's files were written (letters/ for a ledger that did not say)."""
    folder = Path(str(entry.request.get("folder") or "letters"))
    return folder if folder.is_absolute() else root / folder


@dataclass
class Sending:
    """One letter `letterkit send` handled: sent now, or why not."""

    id: int
    assoc: str
    to: str = ""
    sent: str = ""
    message_id: str = ""
    error: str | None = None


def send_letters(project: Project, numbers: list[int], force: bool = False) -> list[Sending]:
    """E-mail the recorded letters `numbers` through the campaign's SMTP server, each at most
    once (unless `force`), recording when and with which Message-ID in the ledger."""
    from letterkit.ledger.database import Ledger

    smtp = project.campaign.smtp
    sender(project)  # an smtp block, or say so before anything else
    assert smtp is not None
    secret = password(smtp)
    port = smtp.port or DEFAULT_PORTS[smtp.security]
    ledger = Ledger(project.root)
    done = []
    for number in dict.fromkeys(numbers):
        outcome = Sending(number, "")
        try:
            entry = ledger.entry(number)
            outcome.assoc = entry.assoc
            if entry.sent and not force:
                raise LetterkitError(
                    f"letter {number} was already sent, on {entry.sent} ({entry.message_id})",
                    hint="pass --force to send it again")
            raw = letter_message(project, entry)
            outcome.to = ", ".join(a for _, a in getaddresses([_header(raw, "To")]))
            outcome.message_id = send(raw, host=smtp.host, port=port,
                                      security=smtp.security, username=smtp.username,
                                      password=secret, what=f"letter {number}")
            outcome.sent = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            ledger.mark_sent(number, outcome.sent, outcome.message_id)
            letter_sent(project.root, number, outcome.sent)  # the inbox's requests it answers
        except LetterkitError as exc:
            outcome.error = str(exc.problem)
        done.append(outcome)
    return done


def _header(raw: bytes, name: str) -> str:
    from email import message_from_bytes, policy

    return str(message_from_bytes(raw, policy=policy.SMTP)[name] or "")
