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
from email.utils import getaddresses
from pathlib import Path
from typing import TYPE_CHECKING

from letterkit.campaign.vocabulary import DEFAULT_PORTS
from letterkit.errors import LetterkitError
from letterkit.formats.eml import message, plain_line, recipient, sender, subject
from letterkit.i18n import _, reason
from letterkit.pipeline.inbox import letter_sent
from letterkit.pipeline.smtp import PLAIN_AUTH_HINT, _header, plain_auth_refused, send

LOCK_WAIT = 300  # seconds to wait for another `letterkit send` sending the same letter

__all__ = ["Sending", "letter_message", "password", "record_sent", "send", "send_letters",
           "sending_lock"]

if TYPE_CHECKING:

    from letterkit.campaign.models import Smtp
    from letterkit.campaign.project import Project
    from letterkit.ledger.database import Ledger
    from letterkit.ledger.entry import Entry

def password(smtp: Smtp) -> str | None:
    """The SMTP password, from the environment variable smtp.password_env."""
    if not smtp.username:
        return None
    variable = smtp.password_env or ""
    value = os.environ.get(variable)
    if not value:
        raise LetterkitError(_("the environment variable {variable} is not set").format(
                                 variable=variable),
                             file="campaign.yaml", key="smtp.password_env",
                             hint=_("export {variable}=… (the password of {user}) before "
                                    "letterkit send").format(variable=variable,
                                                             user=smtp.username))
    return value


def _recorded(path: Path, digest: str, number: int) -> bytes:
    """The file of a recorded letter, as it was written."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LetterkitError(_("cannot read {path}: {reason}").format(
                                 path=path, reason=reason(exc)),
                             hint=_("letter {number}'s files are where it was composed; "
                                    "compose it again if they were moved or removed").format(
                                        number=number)) from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise LetterkitError(_("{path} is not the file letter {number} recorded: it changed "
                               "since").format(path=path, number=number),
                             hint=_("compose the letter again, then send the new one"))
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
        raise LetterkitError(_("letter {number} has no .eml, nor both a .md and a .pdf to "
                               "send").format(number=entry.id),
                             hint=_("compose it again with --format md,pdf or eml"))
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
            _("the password would go in clear (security: none with a username)"),
            file="campaign.yaml", key="smtp.security", hint=_(PLAIN_AUTH_HINT))
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
            _("letter {number} was already sent, on {date} ({message_id})").format(
                number=number, date=entry.sent, message_id=entry.message_id),
            hint=_("pass --force to send it again"))
    raw = letter_message(project, entry)
    outcome.to = ", ".join(a for _name, a in getaddresses([_header(raw, "To")]))

    def accepted(message_id: str) -> None:
        outcome.sent = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        outcome.message_id = message_id
        outcome.note = record_sent(ledger, number, outcome.sent, message_id)
        with contextlib.suppress(LetterkitError, OSError):  # sent: the inbox follows later
            letter_sent(project.root, number, outcome.sent)  # the inbox's requests it answers

    send(raw, host=smtp.host, port=smtp.port or DEFAULT_PORTS[smtp.security],
         security=smtp.security, username=smtp.username, password=secret,
         what=_("letter {number}").format(number=number),
         allow_plain_auth=smtp.allow_plain_auth, accepted=accepted)


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
        return _("recorded in {file}: the ledger could not be written ({error}); the next "
                 "letterkit command writes it into the ledger").format(
                     file=path.name, error=exc.problem.message)


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
        raise LetterkitError(_("cannot lock letter {number} for sending: {reason}").format(
                                 number=number, reason=reason(exc)),
                             file=str(folder),
                             hint=_("make the campaign folder writable")) from exc
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
                            _("letter {number} is being sent by another letterkit command"
                              ).format(number=number),
                            hint=_("wait for it to finish, then see letterkit ledger")
                        ) from None
                    time.sleep(0.05)
                    waited += 0.05
        yield
    finally:
        os.close(handle)
