"""The e-mailed letter: the message built from the letter, then sent through a real SMTP server
started in the test (aiosmtpd on 127.0.0.1), in clear, with STARTTLS and with SSL, the TLS
certificate made in the test. The attachment that arrives is the PDF, byte for byte."""

from __future__ import annotations

import datetime as dt
import email
import json
import socket
import ssl
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from letterkit.campaign import vocabulary
from letterkit.campaign.project import load_project
from letterkit.errors import LetterkitError
from letterkit.formats import eml as mail
from letterkit.ledger.database import Ledger
from letterkit.pipeline import send
from letterkit.pipeline.build import Request, compose

from . import test_beyond
from .conftest import build_campaign, edit

SENDER = "Clamart à gauche ! <contact@liste.example>"
RECIPIENT = "presidence@arpe.example"
USER, PASSWORD = "contact@liste.example", "secret de test"


class Inbox:
    """What the server received: each message's envelope and bytes."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for « localhost » (not for 127.0.0.1) and its key."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.fixture
def server(request, certificate, monkeypatch):
    """An SMTP server on 127.0.0.1: `request.param` is none, starttls or ssl. The client
    trusts the test's certificate through SSL_CERT_FILE, as it would a real one."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    security = request.param
    inbox = Inbox()
    port = free_port()
    options: dict = {"hostname": "127.0.0.1", "port": port}
    if security == "starttls":
        options |= {"tls_context": server_context(certificate), "require_starttls": True,
                    "authenticator": authenticator, "auth_require_tls": True}
    elif security == "ssl":
        options |= {"ssl_context": server_context(certificate), "server_hostname": "localhost",
                    "authenticator": authenticator, "auth_require_tls": False}
    controller = Controller(inbox, **options)
    controller.start()
    try:
        yield security, port, inbox
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> tuple[str, bytes, str]:
    """The ARPE letter's Markdown and PDF, composed for real."""
    root = build_campaign("clamart", tmp_path_factory.mktemp("campaign") / "c")
    result = compose(load_project(root), Request("ARPE", ["mediation"], dt.date(2026, 3, 1),
                                                 root / "out", ("md", "pdf")))
    files = {p.suffix: p for p in result.paths}
    return files[".md"].read_text(encoding="utf-8"), files[".pdf"].read_bytes(), \
        files[".pdf"].name


def eml(letter: tuple[str, bytes, str]) -> bytes:
    markdown, pdf, name = letter
    title = markdown.split("\n\n")[0]
    return mail.message(sender=SENDER, recipient=RECIPIENT, recipient_name="ARPE",
                        subject_line=mail.subject(None, title), markdown=markdown, title=title,
                        pdf=pdf, pdf_name=name, date=dt.date(2026, 3, 1))


def parts(raw: bytes) -> tuple[EmailMessage, str, str, bytes, str]:
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    attachment = next(parsed.iter_attachments())
    assert text is not None and html is not None
    return (parsed, text.get_content(), html.get_content(), attachment.get_content(),
            attachment.get_filename() or "")


def test_the_message_holds_the_letter_and_its_pdf(letter) -> None:
    _, pdf, name = letter
    raw = eml(letter)
    parsed, text, html, attached, filename = parts(raw)
    assert parsed["From"] == SENDER
    assert parsed["To"] == f"ARPE <{RECIPIENT}>"
    assert parsed["Subject"].startswith("Réponse de la liste « Clamart à gauche ! » au "
                                        "plaidoyer pour le développement")
    assert parsed["Date"] == "Sun, 01 Mar 2026 12:00:00 +0100"
    assert parsed["Content-Language"] == "fr"
    assert parsed["Message-ID"].endswith(".letterkit@liste.example>")
    assert attached == pdf and filename == name
    assert "Madame la Présidente," in text and "(mesure\u00a089)" in text and "**" not in text
    assert "<strong>" in html and "mesure\u00a089" in html and "src=" not in html
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw == eml(letter)  # the same letter, the same bytes


@pytest.mark.parametrize("server", ["none", "starttls", "ssl"], indirect=True)
def test_round_trip_through_a_real_server(server, letter) -> None:
    security, port, inbox = server
    raw = eml(letter)
    login = {"username": USER, "password": PASSWORD} if security != "none" else {
        "username": None, "password": None}
    host = "localhost" if security != "none" else "127.0.0.1"
    sent_id = send.send(raw, host=host, port=port, security=security, what="letter 1",
                        **login)
    [(mail_from, rcpt_tos, content)] = inbox.received
    assert (mail_from, rcpt_tos) == ("contact@liste.example", [RECIPIENT])
    parsed, text, _, attached, _ = parts(content)
    assert attached == letter[1]  # the PDF, byte for byte
    assert " ".join(parsed["Message-ID"].split()) == sent_id and sent_id.startswith("<")
    assert "Madame la Présidente," in text


@pytest.mark.parametrize("server", ["starttls"], indirect=True)
def test_a_wrong_password_is_one_clear_line(server, letter) -> None:
    _, port, inbox = server
    with pytest.raises(LetterkitError) as caught:
        send.send(eml(letter), host="localhost", port=port, security="starttls",
                  username=USER, password="faux", what="letter 1")
    assert str(caught.value) == (
        f"campaign.yaml, key smtp.username: cannot send letter 1: localhost:{port} refused the "
        "user name or the password (535) — check smtp.username and the password in the "
        "smtp.password_env variable")
    assert inbox.received == []


@pytest.mark.parametrize("server", ["ssl"], indirect=True)
def test_a_certificate_for_another_name_is_refused(server, letter) -> None:
    _, port, inbox = server
    with pytest.raises(LetterkitError) as caught:
        send.send(eml(letter), host="127.0.0.1", port=port, security="ssl", username=USER,
                  password=PASSWORD, what="letter 1")
    assert str(caught.value).startswith(
        f"campaign.yaml, key smtp.host: cannot send letter 1: the certificate of "
        f"127.0.0.1:{port} is not valid: ")
    assert str(caught.value).endswith("— give the server's name as its certificate has it")
    assert inbox.received == []


@pytest.mark.parametrize("server", ["none"], indirect=True)
def test_starttls_on_a_server_without_it(server, letter) -> None:
    _, port, _ = server
    with pytest.raises(LetterkitError) as caught:
        send.send(eml(letter), host="127.0.0.1", port=port, security="starttls",
                  username=None, password=None, what="letter 1")
    assert str(caught.value) == (
        f"campaign.yaml, key smtp.security: cannot send letter 1: 127.0.0.1:{port} does not "
        "offer STARTTLS — choose the security the server offers: starttls, ssl or none")


@pytest.mark.parametrize(("language", "what", "expected"), [
    ("en", "letter 1", "campaign.yaml, key smtp.host: cannot send letter 1: cannot reach "
     "127.0.0.1:{port}: connection refused — check smtp.host, smtp.port and smtp.security, and "
     "the network"),
    ("fr", "la lettre 1", "campaign.yaml, clé smtp.host\u00a0: impossible d’envoyer la "
     "lettre 1\u00a0: 127.0.0.1:{port} est injoignable (connexion refusée) — vérifiez "
     "smtp.host, smtp.port et smtp.security, ainsi que le réseau"),
])
def test_nobody_listening(language, what, expected, letter, request) -> None:
    if language == "fr":
        request.getfixturevalue("french")
    port = free_port()
    with pytest.raises(LetterkitError) as caught:
        send.send(eml(letter), host="127.0.0.1", port=port, security="none", username=None,
                  password=None, what=what)
    assert str(caught.value) == expected.format(port=port)


@pytest.mark.parametrize(("text", "valid"), [
    ("contact@liste.example", True), ("Clamart à gauche ! <contact@liste.example>", True),
    ("contact", False), ("a@b.fr, c@d.fr", False), ("x@y.fr\nBcc: z@w.fr", False), ("", False)])
def test_valid_address(text, valid) -> None:
    assert vocabulary.valid_address(text) is valid


# --- The data: smtp block and e-mail addresses ---------------------------------------------

EMAIL_PROBLEM = ("associations.yaml, line 25, key associations[0].email: « arpe chez exemple » "
                 "is not an e-mail address — write one address, such as contact@association.fr")


def test_smtp_block_and_email_are_checked_where_they_are(campaign) -> None:
    from letterkit.campaign.project import read_project

    with (campaign / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write("smtp:\n  host: smtp.liste.example\n  security: tls\n"
                     "  username: contact@liste.example\n  password_env: mon mot de passe\n"
                     "  from: Clamart à gauche !\n")
    edit(campaign / "associations.yaml", "    local: true\n",
         "    local: true\n    email: arpe chez exemple\n")
    _, problems = read_project(campaign)
    assert [str(p) for p in problems] == [
        "campaign.yaml, line 44, key smtp.security: input should be 'starttls', 'ssl' or "
        "'none' — use one of the values listed", EMAIL_PROBLEM]
    edit(campaign / "campaign.yaml", "security: tls", "security: ssl")
    _, problems = read_project(campaign)
    assert [str(p) for p in problems] == [
        "campaign.yaml, line 47, key smtp.from: « Clamart à gauche ! » is not an e-mail "
        "address — write it « Liste <contact@domaine.fr> » or contact@domaine.fr",
        "campaign.yaml, line 46, key smtp.password_env: password_env names the environment "
        "variable that holds the password, not the password itself — write a variable name "
        "such as LK_SMTP, and remove the password from this file", EMAIL_PROBLEM]


def test_a_good_smtp_block(campaign) -> None:
    from letterkit.campaign.project import load_project

    with (campaign / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write("smtp:\n  host: smtp.liste.example\n  port: 587\n  security: starttls\n"
                     "  username: contact@liste.example\n  password_env: LK_SMTP\n"
                     f"  from: {SENDER}\n")
    smtp = load_project(campaign).campaign.smtp
    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.security, smtp.password_env, smtp.sender) == (
        "smtp.liste.example", 587, "starttls", "LK_SMTP", SENDER)


# --- compose --format eml, letterkit send, ledger --------------------------------------------

def emailing(campaign: Path, port: int, security: str = "none") -> Path:
    """The example campaign with ARPE's address and an smtp block for the test's server."""
    login = "  username: contact@liste.example\n  password_env: LK_TEST_SMTP\n" if (
        security != "none") else ""
    host = "localhost" if security != "none" else "127.0.0.1"
    with (campaign / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write(f"smtp:\n  host: {host}\n  port: {port}\n  security: {security}\n{login}"
                     f"  from: {SENDER}\n")
    edit(campaign / "associations.yaml", "    local: true\n",
         f"    local: true\n    email: {RECIPIENT}\n")
    return campaign


def cli(*args: str):
    from typer.testing import CliRunner

    from letterkit.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("server", ["none"], indirect=True)
def test_compose_eml_then_send_it_once(server, campaign) -> None:
    _, port, inbox = server
    root = emailing(campaign, port)
    composed = cli("compose", "--assoc", "ARPE", "--themes", "mediation", "--date",
                   "2026-03-01", "--format", "md,pdf,eml", "--project", str(root))
    assert composed.exit_code == 0, composed.output
    letters = root / "letters"
    eml_file = letters / "2026-03-01-arpe-mediation.eml"
    pdf_file = letters / "2026-03-01-arpe-mediation.pdf"
    _, text, _, attached, _ = parts(eml_file.read_bytes())
    assert attached == pdf_file.read_bytes() and "Madame la Présidente," in text

    sent = cli("send", "1", "--json", "--project", str(root))
    assert sent.exit_code == 0, sent.output
    [(_, rcpt_tos, content)] = inbox.received
    assert rcpt_tos == [RECIPIENT]
    assert content.replace(b"\r\n", b"\n") == eml_file.read_bytes().replace(b"\r\n", b"\n")
    assert parts(content)[3] == pdf_file.read_bytes()  # the PDF, byte for byte

    ledger = json.loads(cli("ledger", "--json", "--project", str(root)).stdout)
    assert ledger[0]["sent"] and ledger[0]["message_id"] == json.loads(sent.stdout)[0][
        "message_id"]
    table = cli("ledger", "--project", str(root)).stdout
    assert "UTC" in table and "draft" not in table

    again = cli("send", "1", "--json", "--project", str(root))
    assert again.exit_code == 1
    assert json.loads(again.stdout)[0]["error"] == (
        f"letter 1 was already sent, on {ledger[0]['sent']} ({ledger[0]['message_id']}) — "
        "pass --force to send it again")
    assert len(inbox.received) == 1
    assert cli("send", "1", "--force", "--project", str(root)).exit_code == 0
    assert len(inbox.received) == 2


@pytest.mark.parametrize("server", ["starttls"], indirect=True)
def test_send_a_letter_composed_as_md_and_pdf(server, campaign, monkeypatch) -> None:
    _, port, inbox = server
    root = emailing(campaign, port, "starttls")
    for themes in ("mediation", "numerique"):
        assert cli("compose", "--assoc", "ARPE", "--themes", themes, "--date", "2026-03-01",
                   "--project", str(root)).exit_code == 0
    table = cli("ledger", "--project", str(root)).stdout
    assert table.count("draft") == 2

    missing = cli("send", "1", "--project", str(root))
    assert missing.exit_code == 1
    assert missing.stderr == (
        "Error: campaign.yaml, key smtp.password_env: the environment variable LK_TEST_SMTP "
        "is not set — export LK_TEST_SMTP=… (the password of contact@liste.example) before "
        "letterkit send\n")

    monkeypatch.setenv("LK_TEST_SMTP", PASSWORD)
    pdf_file = root / "letters" / "2026-03-01-arpe-numerique.pdf"
    pdf_file.write_bytes(pdf_file.read_bytes() + b"\n% edited")
    result = cli("send", "1", "2", "--project", str(root))
    assert result.exit_code == 1
    assert "1 sent, 1 not sent" in result.stdout
    assert [s["error"] for s in json.loads(cli("send", "2", "--json", "--project",
                                               str(root)).stdout)] == [
        f"{pdf_file} is not the file letter 2 recorded: it changed since — compose the letter "
        "again, then send the new one"]
    [(_, _, content)] = inbox.received
    _, _, _, attached, name = parts(content)
    assert name == "2026-03-01-arpe-mediation.pdf"
    assert attached == (root / "letters" / name).read_bytes()
    # The message made from the files is the one --format eml would have written.
    raw = send.letter_message(load_project(root), Ledger(root).entry(1))
    assert raw == content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def test_eml_needs_an_address_and_an_smtp_block(campaign) -> None:
    result = cli("compose", "--assoc", "ARPE", "--themes", "mediation", "--format", "eml",
                 "--project", str(campaign))
    assert result.exit_code == 1
    assert result.stderr == ("Error: campaign.yaml: no smtp block: an e-mail needs the "
                             "campaign's address — add an smtp block with host and from "
                             "(docs/email.md)\n")
    emailing(campaign, 25)
    edit(campaign / "associations.yaml", f"    email: {RECIPIENT}\n", "")
    result = cli("compose", "--assoc", "ARPE", "--themes", "mediation", "--format", "eml",
                 "--project", str(campaign))
    assert result.stderr == ("Error: associations.yaml: ARPE has no e-mail address — add "
                             "« email: … » to ARPE, or leave eml out of --format\n")
    assert not (campaign / "letters").exists()


def test_a_ledger_made_before_sent_gets_the_columns(campaign) -> None:
    """A ledger.sqlite written before `letterkit send` existed: its letters read as drafts,
    and one can be marked sent."""
    import sqlite3

    assert cli("compose", "--assoc", "ARPE", "--themes", "mediation", "--format", "md",
               "--project", str(campaign)).exit_code == 0
    with sqlite3.connect(campaign / "ledger.sqlite") as connection:
        connection.execute("ALTER TABLE letters DROP COLUMN sent")
        connection.execute("ALTER TABLE letters DROP COLUMN message_id")
    ledger = Ledger(campaign)
    [entry] = ledger.entries()
    assert (entry.sent, entry.message_id) == ("", "")
    ledger.mark_sent(entry.id, "2026-03-02T09:00:00+00:00", "<x@liste.example>")
    [entry] = Ledger(campaign).entries()
    assert (entry.sent, entry.message_id) == ("2026-03-02T09:00:00+00:00", "<x@liste.example>")
    csv_lines = (campaign / "ledger.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0].endswith(",sent,record")
    assert ",2026-03-02T09:00:00+00:00," in csv_lines[1]
    (campaign / "ledger.sqlite").unlink()  # rebuilt from ledger.csv: still sent
    assert Ledger(campaign).entries()[0].message_id == "<x@liste.example>"


signing_certificate = test_beyond.certificate  # test_beyond's PKCS#12 certificate, a fixture


def test_the_eml_attaches_the_signed_pdf(campaign, signing_certificate, monkeypatch) -> None:
    path, der = signing_certificate
    monkeypatch.setenv("LK_TEST_PASSWORD", test_beyond.PASSWORD)
    root = emailing(campaign, 25)
    result = cli("compose", "--assoc", "ARPE", "--themes", "numerique", "--date", "2026-03-01",
                 "--format", "pdf,eml", "--sign", str(path), "--sign-password-env",
                 "LK_TEST_PASSWORD", "--project", str(root))
    assert result.exit_code == 0, result.output
    letters = root / "letters"
    attached = parts((letters / "2026-03-01-arpe-numerique.eml").read_bytes())[3]
    assert attached == (letters / "2026-03-01-arpe-numerique.pdf").read_bytes()
    status = test_beyond.validate(attached, der)
    assert status.intact and status.valid


# --- Enclosures the e-mail attaches ---------------------------------------------------------

def test_the_pj_line_names_what_is_attached_and_nothing_else(tmp_path) -> None:
    """An enclosure with a `file` is attached; one without is not, and the « P.J. » line of
    the e-mail names the attachments only. The Subject starts with a capital; the files are
    named for people (RFC 2231, with an ASCII fallback)."""
    root = build_campaign("clamart", tmp_path / "c")
    (root / "pieces").mkdir()
    (root / "pieces" / "fiche-accessibilite.pdf").write_bytes(b"%PDF-1.4 fiche\n")
    with (root / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write("enclosures:\n  - programme complet\n  - label: fiche accessibilité\n"
                     "    file: pieces/fiche-accessibilite.pdf\n"
                     "smtp:\n  host: 127.0.0.1\n  from: Clamart à gauche ! <liste@example.org>\n")
    edit(root / "associations.yaml", "    local: true\n",
         "    local: true\n    subject: réponse à votre plaidoyer\n"
         "    email: contact@arpe.example\n")
    result = compose(load_project(root), Request("ARPE", ["mediation"], dt.date(2026, 3, 1),
                                                 root / "out", ("md", "eml")))
    files = {p.suffix: p for p in result.paths}
    assert "P.J.\u00a0: programme complet et fiche accessibilité" in files[".md"].read_text(
        encoding="utf-8")  # the printed letter lists both
    raw = files[".eml"].read_bytes()
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "Réponse à votre plaidoyer"
    attached = [part for part in parsed.iter_attachments()]
    assert [part.get_filename() for part in attached] == [
        "Réponse de Clamart à gauche ! à ARPE.pdf", "fiche accessibilité.pdf"]
    assert attached[1].get_content() == b"%PDF-1.4 fiche\n"
    assert b'filename="Reponse de Clamart a gauche ! a ARPE.pdf"' in raw  # ASCII fallback
    assert b"filename*0*=utf-8''R%C3%A9ponse" in raw
    text = parsed.get_body(("plain",)).get_content()
    pj = [line for line in text.splitlines() if line.startswith("P.J.")]
    labels = [part.get_filename().rpartition(".")[0] for part in attached[1:]]
    assert pj == [f"P.J.\u00a0: {' et '.join(labels)}"] == ["P.J.\u00a0: fiche accessibilité"]


def test_a_missing_enclosure_file_is_located_by_check(tmp_path) -> None:
    from letterkit.pipeline.check import check

    root = build_campaign("clamart", tmp_path / "c")
    with (root / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write("enclosures:\n  - label: fiche\n    file: pieces/absente.pdf\n")
    edit(root / "associations.yaml", "    local: true\n",
         "    local: true\n    enclosures:\n      - label: plan\n        file: ../plan.pdf\n")
    (tmp_path / "plan.pdf").write_bytes(b"%PDF")  # outside the campaign folder
    problems = [p for p in check(root)[1] if "no file at" in p.message]
    assert [(p.message, p.file, p.key) for p in problems] == [
        ("no file at « pieces/absente.pdf » in the campaign folder", "campaign.yaml",
         "enclosures[0].file"),
        ("no file at « ../plan.pdf » in the campaign folder", "associations.yaml",
         "associations[0].enclosures[0].file")]
    assert all(p.line for p in problems)
