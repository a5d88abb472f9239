"""The letter as an e-mail: a ready-to-send message (.eml), and sending it through the
campaign's SMTP server.

The message goes to the association's `email`, from the campaign's `smtp.from`, with a French
subject, the letter as plain text and as HTML, and the PDF attached exactly as written (signed
when it was). The same letter gives the same bytes: its date and Message-ID come from the
letter, not from the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_lib
import os
import re
from dataclasses import dataclass
from email.utils import format_datetime, getaddresses, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

from letterkit.errors import LetterkitError

if TYPE_CHECKING:
    import smtplib

    from letterkit.data import Project
    from letterkit.ledgerentry import Entry
    from letterkit.models import Association, Smtp

# The data checks use valid_address: smtplib, ssl and the MIME classes are imported only to
# build or send a message, so that other commands start fast.
SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 30  # seconds for the server to answer


def valid_address(text: str) -> bool:
    """One address, with or without a display name: « Nom <a@b.fr> » or « a@b.fr »."""
    if not text or "\n" in text or "\r" in text or len(getaddresses([text])) != 1:
        return False
    _, address = parseaddr(text)
    return bool(re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address))


def subject(association_subject: str | None, title: str) -> str:
    """« Objet » of the letter when the association has one, else the letter's title."""
    text = association_subject or title
    return " ".join(text.replace("*", "").split())


_TAG = re.compile(r"<[^>]+>")


def _paragraphs(markdown: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", markdown.strip()) if p.strip()]


def plain_text(markdown: str) -> str:
    """The letter as plain text: the Markdown's paragraphs without emphasis marks or escapes."""
    from letterkit.blockhtml import markdown_parser

    parser = markdown_parser()
    out = []
    for paragraph in _paragraphs(markdown):
        rendered = parser.render(paragraph, {})
        text = html_lib.unescape(_TAG.sub("", rendered.replace("<li>", "<li>- "))).strip()
        out.append(text)
    return "\n\n".join(out) + "\n"


def html_body(markdown: str, title: str) -> str:
    """The letter as the HTML part: its first paragraph the title, in bold."""
    from letterkit.blockhtml import block_html
    from letterkit.htmlpage import mail_body

    paragraphs = _paragraphs(markdown)
    blocks = {"title": str(block_html(paragraphs[0])) if paragraphs else "",
              "body": "".join(str(block_html(p)) for p in paragraphs[1:])}
    return mail_body(blocks, title)


def message_id(sender: str, recipient: str, subject_line: str, pdf: bytes) -> str:
    """A Message-ID made from what the message holds, at the sender's domain."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "letterkit.invalid"
    digest = hashlib.sha256("\n".join([sender, recipient, subject_line]).encode() + pdf)
    return f"<{digest.hexdigest()[:32]}.letterkit@{domain}>"


def message(*, sender: str, recipient: str, recipient_name: str, subject_line: str,
            markdown: str, title: str, pdf: bytes, pdf_name: str, date: dt.date) -> bytes:
    """The e-mail, as the bytes of an .eml file (CRLF line ends, ready for SMTP)."""
    from email import policy
    from email.headerregistry import Address
    from email.message import EmailMessage
    from zoneinfo import ZoneInfo

    mail = EmailMessage(policy=policy.SMTP)
    mail["From"] = sender
    name, address = parseaddr(recipient)
    user, _, domain = address.rpartition("@")
    mail["To"] = Address(display_name=name or recipient_name, username=user, domain=domain)
    mail["Subject"] = subject_line
    mail["Date"] = format_datetime(dt.datetime.combine(date, dt.time(12, 0),
                                                      tzinfo=ZoneInfo("Europe/Paris")))
    mail["Message-ID"] = message_id(sender, recipient, subject_line, pdf)
    mail.set_content(plain_text(markdown), subtype="plain", charset="utf-8")
    mail.add_alternative(html_body(markdown, title), subtype="html", charset="utf-8")
    mail.make_mixed()
    mail.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    mail["Content-Language"] = "fr"  # after make_mixed, which moves Content-* headers down
    # MIME boundaries made from the message, not at random: the same letter, the same bytes.
    stem = str(mail["Message-ID"]).strip("<>").partition(".")[0][:24]
    for number, part in enumerate(p for p in mail.walk() if p.is_multipart()):
        part.set_boundary(f"=_letterkit_{stem}_{number}")
    return mail.as_bytes()


# --- Sending -------------------------------------------------------------------------------

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


# --- From the campaign's data and the ledger -----------------------------------------------

def sender(project: Project) -> str:
    """The campaign's From address (smtp.from)."""
    smtp = project.campaign.smtp
    if smtp is None:
        raise LetterkitError("no smtp block: an e-mail needs the campaign's address",
                             file="campaign.yaml",
                             hint="add an smtp block with host and from (docs/email.md)")
    return smtp.sender


def recipient(association: Association) -> str:
    """The association's address (its email key)."""
    if not association.email:
        raise LetterkitError(f"{association.short_name} has no e-mail address",
                             file="associations.yaml",
                             hint=f"add « email: … » to {association.short_name}, or leave eml "
                             "out of --format")
    return association.email


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
    from letterkit.ledger import Ledger

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
        except LetterkitError as exc:
            outcome.error = str(exc.problem)
        done.append(outcome)
    return done


def _header(raw: bytes, name: str) -> str:
    from email import message_from_bytes, policy

    return str(message_from_bytes(raw, policy=policy.SMTP)[name] or "")
