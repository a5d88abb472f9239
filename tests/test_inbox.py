"""The campaign's inbox (issue 22), end to end on copies of the fictional Bellerive campaign:
requests recorded from documents and from real .eml files (attachments, RFC 2047 encoded
headers, a forwarded message), listed by deadline on given dates, answered (compose --request,
batch --pending, send through a real SMTP server, inbox done), kept in ledger.sqlite and
rebuilt from inbox.csv without reusing an id, written all or nothing (two adds at once, a
full disk), bad input refused with one located message; the overview page and its PDF."""

from __future__ import annotations

import datetime as dt
import errno
import json
import shutil
import subprocess
import sys
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letterkit.cli import app
from letterkit.ledger import requests as storage

from .test_mail import certificate, server  # noqa: F401  (the SMTP server fixtures)

HERE = Path(__file__).parent
QUESTIONNAIRE = HERE / "questionnaires" / "roue-libre.txt"
ANSWERS = HERE / "questionnaires" / "roue-libre-answers.yaml"


def run(root: Path, *args: str):
    return CliRunner().invoke(app, [*args, "--project", str(root)])


@pytest.fixture
def bellerive(new_campaign) -> Path:
    return new_campaign("bellerive")


def mail(path: Path, *, sender: str | None, subject: str, date: dt.datetime,
         attachments: dict[str, bytes] = {},  # noqa: B006  (read only)
         forwarded: EmailMessage | None = None, body: str = "Bonjour,\n") -> Path:
    """A real .eml, as a mail program saves it (the headers encoded by the email package)."""
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = "Bellerive en commun <contact@bellerive-en-commun.example>"
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message.set_content(body)
    for name, data in attachments.items():
        maintype, subtype = ("application", "pdf") if name.endswith(".pdf") else ("text",
                                                                                   "plain")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if forwarded is not None:
        message.add_attachment(forwarded)
    path.write_bytes(bytes(message))
    return path


PARIS = dt.timezone(dt.timedelta(hours=1))


def roue_libre_mail(folder: Path) -> Path:
    return mail(folder / "questionnaire.eml",
                sender="Roue Libre — Val de Loire <contact@rouelibre.example>",
                subject="Municipales 2026 : notre questionnaire « vélo » aux candidat·es",
                date=dt.datetime(2026, 2, 2, 9, 30, tzinfo=PARIS),
                attachments={"questionnaire-vélo.txt": QUESTIONNAIRE.read_bytes()})


# --- e-mails read ---------------------------------------------------------------------------

def test_an_email_is_read_with_its_encoded_headers_and_attachments(bellerive, tmp_path):
    path = roue_libre_mail(tmp_path)
    raw = path.read_bytes()
    assert b"=?utf-8?" in raw and "vélo".encode() not in raw.split(b"\n\n")[0]  # encoded
    from letterkit.questionnaire.mailbox import read_mail

    read = read_mail(path)
    assert read.subject == "Municipales 2026 : notre questionnaire « vélo » aux candidat·es"
    assert [(s.address, s.name, s.date) for s in read.senders] == [
        ("contact@rouelibre.example", "Roue Libre — Val de Loire", dt.date(2026, 2, 2))]
    assert read.documents == [("questionnaire-vélo.txt", QUESTIONNAIRE.read_bytes())]

    result = run(bellerive, "inbox", "add", str(path), "--due", "2026-02-20")
    assert result.exit_code == 0, result.output
    assert result.stdout == "request 1\nthemes suggested: velo\n"
    [request] = json.loads(run(bellerive, "inbox", "--json", "--today", "2026-02-10").stdout)
    assert request == {"id": 1, "association": "Roue Libre",
                       "document": "001-questionnaire-velo.txt", "received": "2026-02-02",
                       "due": "2026-02-20", "days_left": 10, "overdue": False,
                       "status": "received", "letter": None}
    stored = bellerive / "inbox"
    assert sorted(p.name for p in stored.iterdir()) == ["001-questionnaire-velo.txt",
                                                        "001-questionnaire.eml"]
    assert (stored / "001-questionnaire-velo.txt").read_bytes() == QUESTIONNAIRE.read_bytes()
    assert (stored / "001-questionnaire.eml").read_bytes() == raw


def test_a_forwarded_email_is_from_the_association_it_forwards(bellerive, tmp_path):
    """A volunteer forwards the Fileuses' message: the request is theirs, received on their
    date, with the attachment of the forwarded message."""
    inner = EmailMessage()
    inner["From"] = "=?utf-8?q?Les_Fileuses?= <Bonjour@LesFileuses.example>"
    inner["Subject"] = "=?utf-8?b?TGEgY2hhcnRlIGR1IHRleHRpbGUgw6l0aGlxdWU=?="
    inner["Date"] = format_datetime(dt.datetime(2026, 1, 26, 18, 0, tzinfo=PARIS))
    inner.set_content("Madame, Monsieur, veuillez trouver notre charte.\n")
    inner.add_attachment(b"Charte\n\nNous demandons des ateliers de couture et de la "
                         b"formation dans le quartier.\n", maintype="text", subtype="markdown",
                         filename="charte.md")
    path = mail(tmp_path / "fwd.eml", sender="Camille <camille@benevoles.example>",
                subject="Fwd: La charte du textile éthique",
                date=dt.datetime(2026, 2, 1, 8, 0, tzinfo=PARIS), forwarded=inner,
                body="Reçu de la part des Fileuses, à traiter.\n")
    result = run(bellerive, "inbox", "add", str(path))
    assert result.exit_code == 0, result.output
    [request] = json.loads(run(bellerive, "inbox", "--json", "--today", "2026-02-10").stdout)
    assert (request["association"], request["received"], request["document"]) == (
        "Les Fileuses", "2026-01-26", "001-charte.md")
    [row] = storage.read_inbox(bellerive / "inbox.csv")[0]
    assert (row.sender, row.subject) == ("bonjour@lesfileuses.example",
                                         "Fwd: La charte du textile éthique")


def test_an_email_without_attachment_is_its_own_document(bellerive, tmp_path):
    path = mail(tmp_path / "invitation.eml", sender="contact@rouelibre.example",
                subject="Invitation : débat vélo du 3 mars",
                date=dt.datetime(2026, 2, 4, 12, 0, tzinfo=PARIS),
                body="Nous vous invitons au débat sur les pistes cyclables et le vélo.\n")
    result = run(bellerive, "inbox", "add", str(path), "--kind", "invitation")
    assert result.exit_code == 0, result.output
    assert result.stdout == "request 1\nthemes suggested: velo\n"
    text = (bellerive / "inbox" / "001-invitation-debat-velo-du-3-mars.txt").read_text()
    assert text == "Nous vous invitons au débat sur les pistes cyclables et le vélo.\n"


# --- bad input: one located message, nothing written --------------------------------------

def bad_cases(folder: Path) -> dict[str, tuple[list[str], str]]:
    anonymous = mail(folder / "anonyme.eml", sender=None, subject="Questionnaire",
                     date=dt.datetime(2026, 2, 2, tzinfo=PARIS), attachments={
                         "q.txt": QUESTIONNAIRE.read_bytes()})
    stranger = mail(folder / "inconnu.eml", sender="Quelqu'un <qui@ailleurs.example>",
                    subject="Questionnaire", date=dt.datetime(2026, 2, 2, tzinfo=PARIS))
    document = folder / "plaidoyer.md"
    document.write_text("Plaidoyer pour le vélo.\n", encoding="utf-8")
    return {
        "no sender": ([str(anonymous)], f"{anonymous}: the e-mail has no sender (no From "
                      "address) — give the association with --assoc NAME"),
        "unknown address": ([str(stranger)], f"{stranger}: no association of "
                            "associations.yaml has the e-mail address qui@ailleurs.example — "
                            "give the association with --assoc NAME, or add its email to "
                            "associations.yaml"),
        "unknown association": ([str(document), "--assoc", "Roue Libres"],
                                "associations.yaml: unknown association « Roue Libres » — did "
                                "you mean Roue Libre? Otherwise add it to associations.yaml "
                                "first"),
        "due before received": ([str(document), "--assoc", "ULB", "--received", "2026-02-10",
                                 "--due", "2026-02-01"], "the deadline 2026-02-01 is before "
                                "the request was received (2026-02-10) — check --due (and "
                                "--received): YYYY-MM-DD"),
        "missing file": ([str(folder / "absent.pdf"), "--assoc", "ULB"],
                         f"{folder / 'absent.pdf'}: file not found — give the path of the "
                         "document the association sent"),
        "no association": ([str(document)], f"{document}: whom is this request from? — give "
                           "the association with --assoc NAME"),
        "spreadsheet": ([str(folder / "liste.xlsx"), "--assoc", "ULB"],
                        f"{folder / 'liste.xlsx'}: letterkit does not read .xlsx files — give "
                        "the document (.pdf, .docx, .odt, .txt, .md) or the e-mail saved as "
                        ".eml"),
    }


@pytest.mark.parametrize("case", ["no sender", "unknown address", "unknown association",
                                  "due before received", "missing file", "no association",
                                  "spreadsheet"])
def test_bad_input_is_one_located_message_and_nothing_written(bellerive, tmp_path, case):
    args, message = bad_cases(tmp_path)[case]
    before = sorted(p.name for p in bellerive.iterdir())
    result = run(bellerive, "inbox", "add", *args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert sorted(p.name for p in bellerive.iterdir()) == before  # no inbox/, no ledger


def test_the_same_document_twice_is_refused_naming_the_first_request(bellerive, tmp_path):
    path = roue_libre_mail(tmp_path)
    assert run(bellerive, "inbox", "add", str(path)).exit_code == 0
    copy = tmp_path / "encore.txt"
    shutil.copy(QUESTIONNAIRE, copy)  # the attachment again, under another name
    again = run(bellerive, "inbox", "add", str(copy), "--assoc", "Roue Libre")
    assert again.exit_code == 1
    assert again.stderr == ("Error: encore.txt is already in the inbox: request 1 — letterkit "
                            "inbox --all shows request 1; nothing was written\n")
    assert len(storage.read_inbox(bellerive / "inbox.csv")[0]) == 1
    assert len(list((bellerive / "inbox").iterdir())) == 2


# --- the listing: overdue counts on given dates --------------------------------------------

def record(root: Path, folder: Path, assoc: str, received: str, due: str | None,
           text: str) -> None:
    path = folder / f"{assoc.replace(' ', '-')}-{received}.md"
    path.write_text(text, encoding="utf-8")
    args = ["inbox", "add", str(path), "--assoc", assoc, "--received", received]
    result = run(root, *args, *(["--due", due] if due else []))
    assert result.exit_code == 0, result.output


@pytest.fixture
def busy(bellerive, tmp_path) -> Path:
    """Five requests: due on 02-10, 02-14, 02-20, 03-01, and one without a deadline."""
    record(bellerive, tmp_path, "ULB", "2026-01-12", "2026-02-14", "Logement social.\n")
    record(bellerive, tmp_path, "Accès Loiret", "2026-01-20", "2026-02-10",
           "Accessibilité des écoles et des transports.\n")
    record(bellerive, tmp_path, "SUPE 45", "2026-01-28", "2026-03-01", "L'école.\n")
    record(bellerive, tmp_path, "ESB", "2026-02-03", None, "Le sport pour tous.\n")
    record(bellerive, tmp_path, "Berges vivantes", "2026-02-05", "2026-02-20",
           "Les bords de Loire.\n")
    return bellerive


@pytest.mark.parametrize(("today", "summary", "overdue"), [
    ("2026-02-01", "5 requests: 0 overdue, 0 due within 7 days", []),
    ("2026-02-07", "5 requests: 0 overdue, 2 due within 7 days", []),
    ("2026-02-10", "5 requests: 0 overdue, 2 due within 7 days", []),  # due today: not late
    ("2026-02-11", "5 requests: 1 overdue, 1 due within 7 days", [2]),
    ("2026-02-21", "5 requests: 3 overdue, 0 due within 7 days", [2, 1, 5]),
    ("2026-03-02", "5 requests: 4 overdue, 0 due within 7 days", [2, 1, 5, 3]),
])
def test_overdue_requests_are_counted_on_the_given_date(busy, today, summary, overdue):
    result = run(busy, "inbox", "--today", today)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == summary
    rows = json.loads(run(busy, "inbox", "--json", "--today", today).stdout)
    assert [r["id"] for r in rows] == [2, 1, 5, 3, 4]  # by deadline, none last
    assert [r["id"] for r in rows if r["overdue"]] == overdue
    assert all(list(r) == ["id", "association", "document", "received", "due", "days_left",
                           "overdue", "status", "letter"] for r in rows)


def test_done_leaves_the_pending_list_and_all_shows_it(busy):
    result = run(busy, "inbox", "done", "2", "--date", "2026-02-09")
    assert (result.exit_code, result.stdout) == (0, "request 2 done on 2026-02-09\n")
    pending = json.loads(run(busy, "inbox", "--json", "--today", "2026-02-21").stdout)
    assert [r["id"] for r in pending] == [1, 5, 3, 4]
    assert run(busy, "inbox", "--today", "2026-02-21").stdout.splitlines()[-1] == (
        "4 requests: 2 overdue, 0 due within 7 days")
    everything = json.loads(run(busy, "inbox", "--all", "--json", "--today",
                                "2026-02-21").stdout)
    assert [(r["id"], r["status"], r["overdue"]) for r in everything][-1] == (2, "done", False)
    again = run(busy, "inbox", "done", "2")
    assert again.exit_code == 1
    assert again.stderr == ("Error: request 2 is already done, on 2026-02-09 — nothing was "
                            "changed\n")
    missing = run(busy, "inbox", "done", "9")
    assert missing.stderr == ("Error: no request 9 in the inbox — letterkit inbox --all lists "
                              "the requests and their ids\n")


def test_check_warns_about_overdue_requests(busy):
    today = dt.date.today()
    late = {2: "2026-02-10", 1: "2026-02-14", 5: "2026-02-20", 3: "2026-03-01"}
    result = run(busy, "check")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stdout.splitlines() if "inbox.csv" in line]
    expected = [f"Warning: inbox.csv: request {n} from {assoc} was due on {due} "
                f"({(today - dt.date.fromisoformat(due)).days} days ago) and awaits a reply — "
                f"compose it with letterkit compose --request {n}, or mark it answered with "
                f"letterkit inbox done {n}"
                for n, assoc in ((1, "ULB"), (2, "Accès Loiret"), (3, "SUPE 45"),
                                 (5, "Berges vivantes")) for due in [late[n]]
                if dt.date.fromisoformat(due) < today]
    assert warnings == expected and len(expected) == 4  # this test runs after March 2026


# --- nothing lost ---------------------------------------------------------------------------

def test_a_lost_database_is_rebuilt_from_inbox_csv_and_ids_are_not_reused(busy, tmp_path):
    before = json.loads(run(busy, "inbox", "--all", "--json", "--today", "2026-02-21").stdout)
    (busy / "ledger.sqlite").unlink()
    for extra in busy.glob("ledger.sqlite-*"):
        extra.unlink()
    after = json.loads(run(busy, "inbox", "--all", "--json", "--today", "2026-02-21").stdout)
    assert after == before
    # Request 5, the last, is removed from inbox.csv by hand and the database lost again: the
    # next request is still 6, never 5 again.
    csv_path = busy / "inbox.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].rstrip().endswith(",highest:5")
    csv_path.write_text("".join(line for line in lines if not line.startswith("5,")),
                        encoding="utf-8")
    (busy / "ledger.sqlite").unlink()
    record(busy, tmp_path, "ULB", "2026-02-22", None, "Le logement étudiant.\n")
    rows = json.loads(run(busy, "inbox", "--all", "--json", "--today", "2026-02-22").stdout)
    assert sorted(r["id"] for r in rows) == [1, 2, 3, 4, 6]


def test_inbox_csv_cells_are_inert_in_a_spreadsheet_and_read_back(bellerive, tmp_path):
    note = '=HYPERLINK("http://x.example","clic")'
    document = tmp_path / "appel.md"
    document.write_text("Le sport.\n", encoding="utf-8")
    assert run(bellerive, "inbox", "add", str(document), "--assoc", "ESB", "--note", note,
               "--kind", "-appel").exit_code == 0
    text = (bellerive / "inbox.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",'-appel," in text
    (bellerive / "ledger.sqlite").unlink()
    [request], _ = storage.read_inbox(bellerive / "inbox.csv")
    assert (request.note, request.kind) == (note, "-appel")


ADD_ONE = """
import sys
from letterkit.cli import app
sys.argv = ["letterkit", "inbox", "add", sys.argv[1], "--assoc", "ULB", "--project", sys.argv[2]]
app()
"""


def test_two_adds_at_once_get_their_own_ids_and_the_same_file_only_once(bellerive, tmp_path):
    documents = []
    for n in range(4):
        path = tmp_path / f"demande-{n}.md"
        path.write_text(f"Logement, demande {n}.\n", encoding="utf-8")
        documents.append(path)
    documents.append(documents[0])  # the same document, twice at once
    processes = [subprocess.Popen([sys.executable, "-c", ADD_ONE, str(d), str(bellerive)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for d in documents]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    assert sorted(code for code, _, _ in results) == [0, 0, 0, 0, 1]
    [refused] = [err for code, _, err in results if code == 1]
    assert "demande-0.md is already in the inbox: request" in refused
    kept, highest = storage.read_inbox(bellerive / "inbox.csv")
    assert [r.id for r in kept] == [1, 2, 3, 4] and highest == 4
    assert len(list((bellerive / "inbox").iterdir())) == 4
    assert sorted(out.split()[1] for code, out, _ in results if code == 0) == ["1", "2", "3",
                                                                               "4"]


def test_a_full_disk_leaves_no_half_written_request(bellerive, tmp_path, monkeypatch):
    path = roue_libre_mail(tmp_path)  # two files to place: the attachment and the .eml
    import os as real_os

    calls = []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real_os.rename(source, target)

    monkeypatch.setattr(storage.os, "replace", replace)
    result = run(bellerive, "inbox", "add", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {bellerive / 'inbox'}")
    assert "no space left on the disk — free some space" in result.stderr
    assert list((bellerive / "inbox").iterdir()) == []  # the first file placed, removed
    monkeypatch.undo()
    assert json.loads(run(bellerive, "inbox", "--all", "--json").stdout) == []
    assert run(bellerive, "inbox", "add", str(path)).stdout.startswith("request 1\n")


# --- answering ------------------------------------------------------------------------------

def test_compose_request_drafts_the_letter_on_the_suggested_themes(busy):
    result = run(busy, "compose", "--request", "2", "--yes", "--date", "2026-02-09",
                 "--format", "md")
    assert result.exit_code == 0, result.output
    letter = busy / "letters" / "2026-02-09-acces-loiret-handicap-democratie.md"
    assert result.stdout == f"{letter}\n"
    [row] = [r for r in json.loads(run(busy, "inbox", "--json", "--today",
                                       "2026-02-09").stdout) if r["id"] == 2]
    assert (row["status"], row["letter"]) == ("drafted", 1)
    both = run(busy, "compose", "--request", "2", "--assoc", "ULB", "--themes", "logement")
    assert both.exit_code == 2 and "--assoc NAME, or a request" in both.stderr


def test_batch_pending_drafts_a_letter_for_every_request_without_one(busy):
    assert run(busy, "compose", "--request", "2", "--yes", "--format", "md").exit_code == 0
    result = run(busy, "batch", "--pending", "--today", "2026-02-12", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "4 composed, 0 failed" in result.stdout
    rows = json.loads(run(busy, "inbox", "--json", "--today", "2026-02-12").stdout)
    assert {r["id"]: (r["status"], r["letter"] is not None) for r in rows} == {
        n: ("drafted", True) for n in (1, 2, 3, 4, 5)}
    letters = {e["id"]: e for e in json.loads(run(busy, "ledger", "--json").stdout)}
    for r in rows:
        assert letters[r["letter"]]["assoc"] == r["association"]
    again = run(busy, "batch", "--pending")
    assert "0 composed, 0 failed" in again.stdout


@pytest.mark.parametrize("server", ["none"], indirect=True)
def test_a_questionnaire_from_request_to_answers_letter_to_sent(
        server, bellerive, tmp_path):  # noqa: F811  (the fixture imported above)
    _, port, received = server
    with (bellerive / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write(f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  security: none\n"
                     "  from: Bellerive en commun <contact@bellerive-en-commun.example>\n")
    added = run(bellerive, "inbox", "add", str(roue_libre_mail(tmp_path)), "--due",
                "2026-02-20")
    assert added.stdout == "request 1\nthemes suggested: velo\n"
    document = bellerive / "inbox" / "001-questionnaire-velo.txt"
    drafted = run(bellerive, "questions", str(document), "--assoc", "Roue Libre")
    assert drafted.exit_code == 0, drafted.output
    shutil.copy(ANSWERS, bellerive / "answers" / "roue-libre.yaml")  # the team's answers

    composed = run(bellerive, "compose", "--request", "1", "--date", "2026-02-12",
                   "--format", "md,pdf,eml")
    assert composed.exit_code == 0, composed.output
    assert "questionnaire" in composed.stdout  # the answers letter (its file name says so)
    [row] = json.loads(run(bellerive, "inbox", "--json", "--today", "2026-02-12").stdout)
    assert (row["status"], row["letter"]) == ("drafted", 1)
    letter = json.loads(run(bellerive, "ledger", "--json").stdout)[0]
    assert letter["assoc"] == "Roue Libre"

    sent = run(bellerive, "send", "1")
    assert sent.exit_code == 0, sent.output
    [(_, rcpt_tos, _)] = received.received
    assert rcpt_tos == ["contact@rouelibre.example"]
    assert json.loads(run(bellerive, "inbox", "--json").stdout) == []  # nothing awaits
    [row] = json.loads(run(bellerive, "inbox", "--all", "--json").stdout)
    assert (row["status"], row["letter"]) == ("sent", 1)
    [kept], _ = storage.read_inbox(bellerive / "inbox.csv")
    assert kept.answered == dt.date.today().isoformat()
    again = run(bellerive, "compose", "--request", "1")
    assert again.exit_code == 1
    assert again.stderr == (f"Error: request 1 was already answered (sent, on {kept.answered}, "
                            "letter 1) — letterkit inbox --all shows it; nothing was composed\n")


# --- the overview ---------------------------------------------------------------------------

def test_the_overview_page_is_self_contained_and_its_pdf_one_page(busy, tmp_path):
    assert run(busy, "inbox", "done", "2", "--date", "2026-02-09").exit_code == 0
    page = tmp_path / "overview.html"
    result = run(busy, "inbox", "--report", str(page), "--today", "2026-02-12")
    assert (result.exit_code, result.stdout) == (0, f"{page}\n")
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and "<script" not in html
    for reference in ("src=", "href=", "url(", "@import"):
        assert reference not in html.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    assert "4 requests: 0 overdue, 1 due within 7 days" in html
    assert "Requests received and answered, per week" in html and "Logement" in html
    again = tmp_path / "again.html"
    run(busy, "inbox", "--report", str(again), "--today", "2026-02-12")
    assert again.read_bytes() == page.read_bytes()  # the same page for the same inbox

    pdf = tmp_path / "overview.pdf"
    assert run(busy, "inbox", "--report", str(pdf), "--today", "2026-02-21").exit_code == 0
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "4 requests: 2 overdue, 0 due within 7 days" in text
    assert "Deadlines ahead" in text and "Berges vivantes" in text and "days late" in text

    bad = run(busy, "inbox", "--report", str(tmp_path / "overview.png"))
    assert bad.exit_code == 1
    assert bad.stderr == (f"Error: {tmp_path / 'overview.png'}: --report writes .html or .pdf, "
                          "not « .png » — name the file overview.html or overview.pdf\n")


def test_an_inbox_csv_that_cannot_be_written_is_a_warning_the_request_is_kept(
        bellerive, tmp_path, monkeypatch):
    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(storage, "write_atomic", full)
    document = tmp_path / "appel.md"
    document.write_text("Le sport.\n", encoding="utf-8")
    result = run(bellerive, "inbox", "add", str(document), "--assoc", "ESB")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("request 1\n")
    assert result.stderr == (
        f"Warning: inbox.csv could not be updated (cannot write {bellerive / 'inbox.csv'}: no "
        "space left on the disk) — ledger.sqlite holds the change; inbox.csv is written whole "
        "again with the next one\n")
    assert not (bellerive / "inbox.csv").exists()
    monkeypatch.undo()
    other = tmp_path / "autre.md"
    other.write_text("Le logement.\n", encoding="utf-8")
    assert run(bellerive, "inbox", "add", str(other), "--assoc", "ULB").exit_code == 0
    kept, highest = storage.read_inbox(bellerive / "inbox.csv")
    assert [r.id for r in kept] == [1, 2] and highest == 2


def test_the_inbox_options_go_where_they_act(bellerive, tmp_path):
    document = tmp_path / "appel.md"
    document.write_text("Le sport.\n", encoding="utf-8")
    placed = CliRunner().invoke(app, ["inbox", "--project", str(bellerive), "add",
                                      str(document), "--assoc", "ESB"])
    assert (placed.exit_code, placed.stdout) == (0, "request 1\nthemes suggested: sport\n")
    misplaced = CliRunner().invoke(app, ["inbox", "--all", "done", "1", "--project",
                                         str(bellerive)])
    assert misplaced.exit_code == 2
    assert "--all goes with letterkit inbox alone, not with a subcommand" in misplaced.stderr
    neither = run(bellerive, "batch")
    assert neither.exit_code == 2
    assert "give either a file of requests or --pending" in neither.stderr
