"""The campaign's inbox carried through: a request recorded (a document or an e-mail, its
sender found, its themes suggested), listed by deadline, answered by a letter (compose
--request, batch --pending), marked sent or done; the overview's figures.

The storage is `letterkit.ledger.requests`; the e-mail is read by
`letterkit.questionnaire.mailbox`; the overview page is drawn by `letterkit.formats.report`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from letterkit.campaign.models import Association
from letterkit.campaign.project import Project
from letterkit.errors import LetterkitError, Problem
from letterkit.files import write_atomic, write_error
from letterkit.formats.report import Overview
from letterkit.i18n import N_, _, ngettext
from letterkit.ledger.database import Ledger
from letterkit.ledger.requests import INBOX_FOLDER, Inbox, InboxRequest
from letterkit.paths import ASSOCIATIONS_FILE
from letterkit.questionnaire.documents import SUFFIXES, read_document
from letterkit.questionnaire.suggest import chosen_themes, suggest
from letterkit.text import clean, did_you_mean, slug

WITHIN_DAYS = 7  # « due within 7 days »
# A request's status as messages show it (inbox.csv and --json keep the value itself).
STATUSES = {"received": N_("received"), "drafted": N_("drafted"), "sent": N_("sent"),
            "done": N_("done")}


def status_label(status: str) -> str:
    """A request's status in the interface's language (« received » → « reçue »)."""
    return _(STATUSES[status]) if status in STATUSES else status


@dataclass
class Added:
    request: InboxRequest
    warnings: list[Problem] = field(default_factory=list)


def add(project: Project, file: Path, assoc: str | None, received: dt.date | None = None,
        due: dt.date | None = None, kind: str | None = None, note: str | None = None,
        ) -> Added:
    """Record the request `file` (a document, or an .eml whose attachments are the
    documents) from `assoc` (else the e-mail's sender, found by its address); nothing is
    written if anything is wrong."""
    suffix = file.suffix.lower()
    if suffix != ".eml" and suffix not in SUFFIXES:
        raise LetterkitError(
            _("letterkit does not read {suffix} files").format(suffix=suffix) if suffix
            else _("letterkit does not read this kind of files"), file=str(file),
            hint=_("give the document (.pdf, .docx, .odt, .txt, .md) or the e-mail saved as "
                   ".eml"))
    subject = sender = ""
    if suffix == ".eml":
        from letterkit.questionnaire.mailbox import read_mail

        mail = read_mail(file)
        association, found = _mail_association(project, mail.senders, assoc, file)
        subject, sender = mail.subject, found.address if found else ""
        received = received or (found.date if found else None)
        files = list(mail.documents)
        if not files:  # the request is the message itself
            files.append((f"{slug(mail.subject or 'message', 60)}.txt",
                          mail.text.strip().encode() + b"\n"))
        files.append((file.name, file.read_bytes()))
    else:
        if not file.is_file():
            raise LetterkitError(_("file not found") if not file.exists() else
                                 _("this is a folder, not a document"), file=str(file),
                                 hint=_("give the path of the document the association sent"))
        if assoc is None:
            raise LetterkitError(_("whom is this request from?"), file=str(file),
                                 hint=_("give the association with --assoc NAME"))
        association = _association(project, assoc)
        files = [(file.name, file.read_bytes())]
    received = received or dt.date.today()
    if due is not None and due < received:
        raise LetterkitError(_("the deadline {due} is before the request was received "
                               "({received})").format(due=due.isoformat(),
                                                      received=received.isoformat()),
                             hint=_("check --due (and --received): YYYY-MM-DD"))
    themes, warnings = _suggested(project, files)
    request = InboxRequest(
        0, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), received.isoformat(),
        due.isoformat() if due else "", association.short_name,
        clean(kind) if kind else association.document.kind, clean(note or ""), subject, sender,
        themes=themes)
    with Ledger(project.root) as ledger:
        inbox = Inbox(ledger)
        return Added(inbox.add(request, files), warnings + inbox.warnings)


def _association(project: Project, name: str) -> Association:
    """The association of associations.yaml named `name` (any case): a request is recorded
    only from one the campaign knows, so that its letter can be composed."""
    try:
        return project.association(clean(name))
    except LetterkitError:
        known = [a.short_name for a in project.associations]
        raise LetterkitError(
            _("unknown association « {name} »").format(name=clean(name)),
            file=ASSOCIATIONS_FILE,
            hint=_("{suggestion} Otherwise add it to {file} first").format(
                suggestion=did_you_mean(clean(name), known, "associations"),
                file=ASSOCIATIONS_FILE)) from None


def _mail_association(project: Project, senders: list[Any], assoc: str | None,
                      file: Path) -> tuple[Association, Any]:
    """The association an e-mail is from: --assoc, else the first sender (the message's, then
    a forwarded one's) whose address is an association's `email`."""
    if assoc is not None:
        return _association(project, assoc), senders[0] if senders else None
    if not senders:
        raise LetterkitError(_("the e-mail has no sender (no From address)"), file=str(file),
                             hint=_("give the association with --assoc NAME"))
    by_address = {a.email.strip().lower(): a for a in project.associations if a.email}
    for found in senders:
        if found.address in by_address:
            return by_address[found.address], found
    addresses = list(dict.fromkeys(s.address for s in senders))
    raise LetterkitError(ngettext("no association of {file} has the e-mail address {addresses}",
                                  "no association of {file} has the e-mail addresses "
                                  "{addresses}", len(addresses)).format(
                                      file=ASSOCIATIONS_FILE, addresses=", ".join(addresses)),
                         file=str(file),
                         hint=_("give the association with --assoc NAME, or add its email to "
                                "{file}").format(file=ASSOCIATIONS_FILE))


def _suggested(project: Project, files: list[tuple[str, bytes]]) -> tuple[list[str],
                                                                           list[Problem]]:
    """The themes suggested by the documents' text (as `letterkit suggest` ranks them)."""
    texts, warnings = [], []
    with tempfile.TemporaryDirectory(prefix="letterkit-inbox-") as folder:
        for name, data in files:
            if Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = Path(folder) / Path(name).name
            path.write_bytes(data)
            try:
                texts.append(read_document(path))
            except LetterkitError as exc:
                warnings.append(Problem(
                    _("no theme suggested from {file}: {error}").format(
                        file=name, error=exc.problem.message), warning=True,
                    hint=_("choose the themes when composing its letter")))
    if not texts:
        return [], warnings
    ranked = suggest(project.program, "\n\n".join(texts))[0]
    return chosen_themes(ranked), warnings


# --- the listing ---------------------------------------------------------------------------

def listing(project: Project, today: dt.date, everything: bool = False) -> list[dict[str, Any]]:
    """The requests awaiting a reply (all of them with `everything`), by deadline: the rows
    of `letterkit inbox` and its JSON."""
    with Ledger(project.root) as ledger:
        found = Inbox(ledger).requests()
    shown = [r for r in found if everything or r.pending]
    shown.sort(key=lambda r: (not r.pending, r.due or "9999", r.id))
    return [row(r, today) for r in shown]


def row(request: InboxRequest, today: dt.date) -> dict[str, Any]:
    days = (dt.date.fromisoformat(request.due) - today).days if request.due else None
    return {"id": request.id, "association": request.assoc,
            "document": request.documents[0] if request.documents else "",
            "received": request.received, "due": request.due or None, "days_left": days,
            "overdue": bool(request.pending and days is not None and days < 0),
            "status": request.status, "letter": request.letter}


def summary(rows: list[dict[str, Any]]) -> str:
    """« 12 requests: 3 overdue, 4 due within 7 days »."""
    overdue = sum(r["overdue"] for r in rows)
    soon = sum(1 for r in rows if r["status"] in ("received", "drafted")
               and r["days_left"] is not None and 0 <= r["days_left"] <= WITHIN_DAYS)
    return _("{requests}: {overdue} overdue, {soon} due within {days} days").format(
        requests=ngettext("{n} request", "{n} requests", len(rows)).format(n=len(rows)),
        overdue=overdue, soon=soon, days=WITHIN_DAYS)


def overdue_warnings(root: Path, today: dt.date) -> list[Problem]:
    """`letterkit check`'s warning for each request past its deadline without a reply."""
    if not (root / "inbox.csv").exists():
        return []
    try:
        with Ledger(root) as ledger:
            found = Inbox(ledger).requests()
    except LetterkitError as exc:  # a ledger check cannot open is said, not fatal
        return [Problem(_("the inbox could not be read: {error}").format(
                            error=exc.problem.message),
                        file="inbox.csv", warning=True, hint=exc.problem.hint)]
    return [_overdue(r, (today - dt.date.fromisoformat(r.due)).days)
            for r in found if r.pending and r.due and dt.date.fromisoformat(r.due) < today]


def _overdue(found: InboxRequest, days: int) -> Problem:
    return Problem(
        ngettext("request {id} from {assoc} was due on {due} ({n} day ago) and awaits a reply",
                 "request {id} from {assoc} was due on {due} ({n} days ago) and awaits a reply",
                 days).format(id=found.id, assoc=found.assoc, due=found.due, n=days),
        file="inbox.csv", warning=True,
        hint=_("send its letter with letterkit send {letter}, or mark it answered with "
               "letterkit inbox done {id}").format(letter=found.letter, id=found.id)
        if found.letter else
        _("compose it with letterkit compose --request {id}, or mark it answered with "
          "letterkit inbox done {id}").format(id=found.id))


# --- answering -----------------------------------------------------------------------------

def request(project: Project, number: int) -> InboxRequest:
    with Ledger(project.root) as ledger:
        return Inbox(ledger).request(number)


def document_path(project: Project, found: InboxRequest) -> Path | None:
    """The request's first document letterkit can read (for its themes), if any."""
    for name in found.documents:
        if Path(name).suffix.lower() in SUFFIXES:
            return project.root / INBOX_FOLDER / name
    return None


def answers_path(project: Project, found: InboxRequest) -> Path | None:
    """The answers file of a questionnaire (as `letterkit questions` drafts it), if it
    exists."""
    path = project.root / "answers" / f"{slug(found.assoc)}.yaml"
    return path if found.kind.lower() == "questionnaire" and path.exists() else None


def drafted(project: Project, number: int, letter: int | None) -> InboxRequest:
    """The letter `letter` answers request `number`."""
    with Ledger(project.root) as ledger:
        return Inbox(ledger).update(number, status="drafted", letter=letter)


def done(project: Project, number: int, day: dt.date) -> InboxRequest:
    """Request `number` was answered otherwise (posted, handed over) on `day`."""
    with Ledger(project.root) as ledger:
        inbox = Inbox(ledger)
        found = inbox.request(number)
        if found.status in ("sent", "done"):
            raise LetterkitError(_("request {number} is already {status}, on {date}").format(
                number=number, status=status_label(found.status), date=found.answered),
                hint=_("nothing was changed"))
        if day < dt.date.fromisoformat(found.received):
            raise LetterkitError(_("request {number} was received on {received}, after "
                                   "{date}").format(number=number, received=found.received,
                                                    date=day.isoformat()),
                                 hint=_("check --date: YYYY-MM-DD"))
        return inbox.update(number, status="done", answered=day.isoformat())


def letter_sent(root: Path, letter: int, sent: str) -> None:
    """`letterkit send` e-mailed letter `letter`: the requests it answers are sent."""
    with Ledger(root) as ledger:
        Inbox(ledger).letter_sent(letter, sent[:10])


def unanswered(project: Project) -> list[InboxRequest]:
    """The pending requests that have no letter yet (batch --pending)."""
    with Ledger(project.root) as ledger:
        return [r for r in Inbox(ledger).requests() if r.status == "received"]


# --- the overview --------------------------------------------------------------------------

def overview(project: Project, today: dt.date) -> Overview:
    with Ledger(project.root) as ledger:
        found = Inbox(ledger).requests()
    statuses = {s: sum(r.status == s for r in found) for s in ("received", "drafted", "sent",
                                                               "done")}
    received = Counter(_monday(r.received) for r in found)
    answered = Counter(_monday(r.answered) for r in found if r.answered)
    weeks = []
    if found:
        start = min([*received, *answered])
        end = _monday(today.isoformat())
        week = start
        while week <= max(end, *received, *answered):
            weeks.append((week.isoformat(), received[week], answered[week]))
            week += dt.timedelta(days=7)
    labels = project.program.themes
    asked = Counter(t for r in found for t in r.themes)
    themes = [(labels[t].label if t in labels else t, n) for t, n in asked.most_common(8)]
    pending = [row(r, today) for r in sorted(found, key=lambda r: (r.due or "9999", r.id))
               if r.pending]
    return Overview(today, project.campaign.list_name, statuses, weeks, pending, themes,
                    summary([row(r, today) for r in found if r.pending]))


def _monday(day: str) -> dt.date:
    date = dt.date.fromisoformat(day[:10])
    return date - dt.timedelta(days=date.weekday())


def report(project: Project, target: Path, today: dt.date) -> Path:
    """The overview page written whole to `target`: HTML, or PDF when it ends in .pdf."""
    from letterkit.formats import report as pages

    if target.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise LetterkitError(_("--report writes .html or .pdf, not « {suffix} »").format(
                                 suffix=target.suffix),
                             file=str(target),
                             hint=_("name the file overview.html or overview.pdf"))
    page = pages.page(overview(project, today))
    data = pages.pdf(page, project.root) if target.suffix.lower() == ".pdf" else page.encode()
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise write_error(exc, target) from exc
    return target


def pending_items(project: Project, defaults: Any, today: dt.date) -> list[Any]:
    """batch --pending: one batch item per request that has no letter yet, by deadline (its
    `line` is the request's id), dated `today`, on the themes its documents suggested or
    from its answers file."""
    from dataclasses import replace

    from letterkit.pipeline.batch import Item

    items = []
    for found in sorted(unanswered(project), key=lambda r: (r.due or "9999", r.id)):
        label = _("request {id}: {assoc}").format(id=found.id, assoc=found.assoc)
        answers = answers_path(project, found)
        if not found.themes and answers is None:
            items.append(Item(found.id, label, error=_(
                "request {id}: no theme was suggested from its documents — compose it with "
                "letterkit compose --request {id} --themes …").format(id=found.id)))
            continue
        items.append(Item(found.id, label, replace(defaults, assoc=found.assoc,
                                                   themes=[] if answers else found.themes,
                                                   answers=answers, date=today)))
    return items


def batch_drafted(project: Project, outcomes: list[Any]) -> None:
    """After batch --pending: each request whose letter was written is drafted, with the id
    its letter got in the ledger (found by the files written)."""
    from letterkit.ledger.database import entries

    by_file = {name: entry.id for entry in entries(project.root) for name in entry.files}
    for outcome in outcomes:
        if outcome.error or not outcome.paths:
            continue
        letter = by_file.get(outcome.paths[0].name)
        drafted(project, outcome.item.line, letter)
