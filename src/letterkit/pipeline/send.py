"""Recorded letters e-mailed through the campaign's SMTP server (`letterkit send`), each at
most once, the ledger saying when and with which Message-ID."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

from letterkit.campaign.vocabulary import DEFAULT_PORTS
from letterkit.errors import LetterkitError
from letterkit.formats.eml import message, plain_line, recipient, sender, subject

if TYPE_CHECKING:
    import smtplib
    import ssl
    from collections.abc import Callable

    from letterkit.campaign.models import Smtp
    from letterkit.campaign.project import Project
    from letterkit.ledger.database import Ledger
    from letterkit.ledger.entry import Entry

TIMEOUT = 30  # seconds for each answer of the server
DEADLINE = 120  # seconds for a whole letter: connecting, greeting, logging in, sending
LOCK_WAIT = 300  # seconds to wait for another `letterkit send` sending the same letter


def _where(host: str, port: int) -> str:
    return f"{host}:{port}"


class _Watchdog:
    """Closes the connection when the deadline passes, whatever the server is doing (a server
    that drip-feeds its answers never lets one read time out)."""

    def __init__(self, seconds: float) -> None:
        import threading

        self.expired = False
        self.server: object | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        import signal

        from letterkit.pipeline.writer import HELD_SIGNALS

        # Started with the signals blocked, so that it never takes the main thread's Ctrl-C
        # while the main thread holds it back (a thread inherits its creator's mask).
        if hasattr(signal, "pthread_sigmask"):
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
            try:
                self._timer.start()
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        else:
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        import socket

        self.expired = True
        sock = getattr(self.server, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def envelope_address(address: str) -> tuple[str, bool]:
    """An address as SMTP's envelope gives it: the domain in IDNA (« vélo.example » →
    « xn--vlo-9la.example »); and whether its local part needs SMTPUTF8 (not ASCII)."""
    import idna

    local, _, domain = address.rpartition("@")
    try:
        ascii_domain = domain if domain.isascii() else idna.encode(domain, uts46=True).decode()
    except idna.IDNAError as exc:
        raise LetterkitError(f"« {address} » has a domain that cannot be written in ASCII "
                             f"({exc})", hint="check the address") from None
    return f"{local}@{ascii_domain}", not local.isascii()


def plain_auth_refused(security: str, username: str | None, allowed: bool) -> bool:
    """A password would go in clear: a login without TLS, not explicitly allowed."""
    return security == "none" and bool(username) and not allowed


def send(raw: bytes, *, host: str, port: int, security: str, username: str | None,
         password: str | None, what: str, allow_plain_auth: bool = False,
         accepted: Callable[[str], None] | None = None) -> str:
    """Send the message `raw` (an .eml) exactly as it is; return its Message-ID.

    `what` names the letter in messages (« letter 3 »). `accepted` is called with the
    Message-ID as soon as the server has taken the message, with Ctrl-C, SIGTERM and SIGHUP
    held back until it returns: what happens after (an error on QUIT) no longer matters.
    """
    import smtplib
    import ssl

    from letterkit.pipeline.writer import held_signals

    if plain_auth_refused(security, username, allow_plain_auth):
        raise LetterkitError(
            f"cannot send {what}: the password would go in clear (security: none with a "
            "username)", file="campaign.yaml", key="smtp.security",
            hint="use security: starttls or ssl; if the server can only be reached in clear "
            "(on this machine), add « allow_plain_auth: true » to the smtp block")
    mail_from, recipients, utf8 = _envelope(raw)
    message_id = _header(raw, "Message-ID")
    message_id = " ".join(message_id.split())
    context = ssl.create_default_context()
    where = _where(host, port)
    taken = False
    try:
        with _Watchdog(DEADLINE) as watchdog:
            server: smtplib.SMTP
            if security == "ssl":
                server = smtplib.SMTP_SSL(timeout=TIMEOUT, context=context)
            else:
                server = smtplib.SMTP(timeout=TIMEOUT)
            server._host = host  # type: ignore[attr-defined]  # the certificate's name
            watchdog.server = server
            try:
                _greet(server, host, port, security, context, username, password)
                options = _mail_options(server, raw, utf8, what)
                _envelope_commands(server, mail_from, recipients, options)
                with held_signals():
                    code, reply = server.data(raw)
                    if code != 250:
                        raise smtplib.SMTPDataError(code, reply)
                    taken = True
                    if accepted is not None:
                        accepted(message_id)
            finally:
                _quit(server)
    except (OSError, smtplib.SMTPException) as exc:
        if taken:  # the server has the message: what follows does not undo it
            return message_id
        if watchdog.expired:
            raise LetterkitError(
                f"cannot send {what}: {where} did not finish answering within {DEADLINE} s",
                file="campaign.yaml", key="smtp.host",
                hint="try again later, or check smtp.host and smtp.port") from exc
        raise _failure(exc, what, where, security, recipients) from exc
    return message_id


def _greet(server: smtplib.SMTP, host: str, port: int, security: str,
           context: ssl.SSLContext, username: str | None, password: str | None) -> None:
    """Connect, say EHLO, STARTTLS if asked, log in if asked."""
    code, reply = server.connect(host, port)
    if code != 220:
        import smtplib

        raise smtplib.SMTPConnectError(code, reply)
    server.ehlo()
    if security == "starttls":
        server.starttls(context=context)
        server.ehlo()
    if username:
        server.login(username, password or "")


def _mail_options(server: smtplib.SMTP, raw: bytes, utf8: bool, what: str) -> list[str]:
    options = [f"SIZE={len(raw)}"] if server.has_extn("size") else []
    if utf8:
        if not server.has_extn("smtputf8"):
            raise LetterkitError(
                f"cannot send {what}: an address has accents before the @, and the server "
                "does not accept such addresses (no SMTPUTF8)", file="associations.yaml",
                key="email", hint="ask the association for an address without accents, or "
                "send it from a server that offers SMTPUTF8")
        options += ["SMTPUTF8", "BODY=8BITMIME"]
    return options


def _envelope_commands(server: smtplib.SMTP, mail_from: str, recipients: list[str],
                       options: list[str]) -> None:
    import smtplib

    code, reply = server.mail(mail_from, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, mail_from)
    refused = {}
    for address in recipients:
        code, reply = server.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, reply)
    if refused:  # one letter, one recipient: a refused address is the letter not sent
        raise smtplib.SMTPRecipientsRefused(refused)


def _quit(server: smtplib.SMTP) -> None:
    """Say goodbye; whatever the server answers, the connection is closed."""
    import smtplib

    try:
        if server.sock is not None:
            server.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        server.close()


def _envelope(raw: bytes) -> tuple[str, list[str], bool]:
    """The envelope of the message: its From, its To, whether SMTPUTF8 is needed."""
    sender_address, utf8 = envelope_address(parseaddr(_header(raw, "From"))[1])
    recipients = []
    for _, address in getaddresses([_header(raw, "To")]):
        encoded, needs = envelope_address(address)
        recipients.append(encoded)
        utf8 = utf8 or needs
    return sender_address, recipients, utf8


def _failure(exc: Exception, what: str, where: str, security: str,
             recipients: list[str]) -> LetterkitError:
    """What went wrong before the server took the message, and what to do."""
    import smtplib
    import socket
    import ssl

    if isinstance(exc, ssl.SSLCertVerificationError):
        return LetterkitError(
            f"cannot send {what}: the certificate of {where} is not valid: "
            f"{exc.verify_message}", file="campaign.yaml", key="smtp.host",
            hint="give the server's name as its certificate has it")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return LetterkitError(
            f"cannot send {what}: {where} refused the user name or the password "
            f"({exc.smtp_code})", file="campaign.yaml", key="smtp.username",
            hint="check smtp.username and the password in the smtp.password_env variable")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return LetterkitError(
            f"cannot send {what}: {where} does not offer {security.upper()}",
            file="campaign.yaml", key="smtp.security",
            hint="choose the security the server offers: starttls, ssl or none")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return LetterkitError(
            f"cannot send {what}: {where} refused the address {', '.join(recipients)}",
            file="associations.yaml", key="email", hint="check the association's e-mail address")
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = exc.smtp_error.decode(errors="replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return LetterkitError(
            f"cannot send {what}: {where} answered {exc.smtp_code} {reason}",
            hint="check the smtp block of campaign.yaml, or try again later")
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else (
        str(exc) or type(exc).__name__)
    if isinstance(exc, socket.timeout):
        reason = "no answer"
    return LetterkitError(
        f"cannot send {what}: cannot reach {where}: {reason}", file="campaign.yaml",
        key="smtp.host", hint="check smtp.host, smtp.port and smtp.security, and the network")


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
    title = plain_line(markdown.split("\n\n", 1)[0])
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
    note: str = ""


def send_letters(project: Project, numbers: list[int], force: bool = False) -> list[Sending]:
    """E-mail the recorded letters `numbers` through the campaign's SMTP server, each at most
    once (unless `force`), recording when and with which Message-ID in the ledger. A letter
    that cannot be sent says why; the others go on."""
    from letterkit.errors import bug_problem
    from letterkit.ledger.database import Ledger

    smtp = project.campaign.smtp
    sender(project)  # an smtp block, or say so before anything else
    assert smtp is not None
    if plain_auth_refused(smtp.security, smtp.username, smtp.allow_plain_auth):
        raise LetterkitError(
            "the password would go in clear (security: none with a username)",
            file="campaign.yaml", key="smtp.security",
            hint="use security: starttls or ssl; if the server can only be reached in clear "
            "(on this machine), add « allow_plain_auth: true » to the smtp block")
    secret = password(smtp)
    ledger = Ledger(project.root)
    done = []
    for number in dict.fromkeys(numbers):
        outcome = Sending(number, "")
        try:
            with sending_lock(project.root, number):
                _send_one(project, ledger, smtp, secret, outcome, force)
        except LetterkitError as exc:
            outcome.error = str(exc.problem)
        except Exception as exc:  # a bug of ours: this letter only, the others go on
            outcome.error = str(bug_problem(exc))
        done.append(outcome)
    return done


def _send_one(project: Project, ledger: Ledger, smtp: Smtp, secret: str | None,
              outcome: Sending, force: bool) -> None:
    """Check, send and record one letter (under its lock: see `sending_lock`)."""
    number = outcome.id
    entry = ledger.entry(number)  # read again under the lock: another send may have sent it
    outcome.assoc = entry.assoc
    if entry.sent and not force:
        raise LetterkitError(
            f"letter {number} was already sent, on {entry.sent} ({entry.message_id})",
            hint="pass --force to send it again")
    raw = letter_message(project, entry)
    outcome.to = ", ".join(a for _, a in getaddresses([_header(raw, "To")]))

    def accepted(message_id: str) -> None:
        outcome.sent = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        outcome.message_id = message_id
        outcome.note = record_sent(ledger, number, outcome.sent, message_id)

    send(raw, host=smtp.host, port=smtp.port or DEFAULT_PORTS[smtp.security],
         security=smtp.security, username=smtp.username, password=secret,
         what=f"letter {number}", allow_plain_auth=smtp.allow_plain_auth, accepted=accepted)


def record_sent(ledger: Ledger, number: int, sent: str, message_id: str) -> str:
    """Record a letter the server took: in the ledger, else (the ledger locked or not
    writable) in the sending journal the next command writes into it. A note for the user,
    "" when the ledger has it."""
    from letterkit.ledger import journal

    try:
        ledger.mark_sent(number, sent, message_id)
        return ""
    except LetterkitError as exc:
        path = journal.append(ledger.root, number, sent, message_id)
        return (f"recorded in {path.name}: the ledger could not be written "
                f"({exc.problem.message}); the next letterkit command writes it into the ledger")


@contextmanager
def sending_lock(root: Path, number: int) -> Iterator[None]:
    """An exclusive lock for sending letter `number` (flock on a small file of
    .letterkit/sending/), held from the check that it is unsent to its record: two `send` of
    the same letter at once send it once. Waits up to LOCK_WAIT seconds for the other."""
    import time

    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, racing sends are not guarded
        fcntl = None  # type: ignore[assignment]

    folder = root / ".letterkit" / "sending"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / f"{number}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise LetterkitError(f"cannot lock letter {number} for sending: {exc.strerror}",
                             file=str(folder), hint="make the campaign folder writable") from exc
    try:
        if fcntl is not None:
            waited = 0.0
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if waited >= LOCK_WAIT:
                        raise LetterkitError(
                            f"letter {number} is being sent by another letterkit command",
                            hint="wait for it to finish, then see letterkit ledger") from None
                    time.sleep(0.05)
                    waited += 0.05
        yield
    finally:
        os.close(handle)


def _header(raw: bytes, name: str) -> str:
    from email import message_from_bytes, policy

    return str(message_from_bytes(raw, policy=policy.SMTP)[name] or "")
