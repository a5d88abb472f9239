"""`letterkit send` as a transaction a recipient can trust, against real SMTP servers that
misbehave (aiosmtpd, or a raw socket server for what aiosmtpd will not do): a letter the
server took is recorded as sent whatever happens next (421 on QUIT, a ledger another program
holds locked, Ctrl-C), two `send` of one letter at once deliver it once, a server that
drip-feeds its answers is given up on, a password never goes in clear, and one letter that
cannot go does not stop the others."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from letterkit.campaign.project import read_project
from letterkit.errors import LetterkitError
from letterkit.ledger import database, journal
from letterkit.pipeline import send, smtp

from .conftest import edit
from .test_mail import RECIPIENT, SENDER, Inbox, cli, emailing, free_port


class Server:
    """A real SMTP server on 127.0.0.1 (aiosmtpd), with a handler that may misbehave."""

    def __init__(self, handler: Inbox, **options: object) -> None:
        self.port = free_port()
        self.inbox = handler
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port,
                                     **options)

    def __enter__(self) -> Server:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class QuitWith421(Inbox):
    async def handle_QUIT(self, server, session, envelope) -> str:
        return "421 4.3.0 closing, something went wrong"


class Slow(Inbox):
    """Takes its time before answering DATA: the window where a second send could slip in."""

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(1.0)
        return await super().handle_DATA(server, session, envelope)


class Interrupting(Inbox):
    """Holds its reply to DATA until the test lets it go: the window where the server has the
    message and letterkit has not recorded it yet, in which the test sends Ctrl-C."""

    def __init__(self) -> None:
        super().__init__()
        self.has_the_data = threading.Event()
        self.reply = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.has_the_data.set()
        while not self.reply.is_set():
            await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


def pending_signals(pid: int) -> int | None:
    """The signals sent to process `pid` and held back by it, as a mask (Linux's
    /proc/PID/status, « ShdPnd »: 1 << (number - 1)); None where /proc does not say."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    pending = [line.split()[1] for line in status.splitlines() if line.startswith("ShdPnd:")]
    return int(pending[0], 16) if pending else None


def interrupt_and_see_it_held(pid: int) -> None:
    """Ctrl-C to `pid`, then wait until the process has it, held back (pending, not yet
    handled): from then on, whatever the machine's load, the interruption falls before the
    server's reply. Without /proc, a second's wait instead."""
    os.kill(pid, signal.SIGINT)
    if pending_signals(pid) is None:
        time.sleep(1)
        return
    deadline = time.monotonic() + 30
    while not (pending_signals(pid) or 0) & 1 << (signal.SIGINT - 1):
        assert time.monotonic() < deadline, "letterkit did not hold Ctrl-C back during DATA"
        time.sleep(0.01)


def composed(campaign: Path, port: int, *themes: str) -> Path:
    root = emailing(campaign, port)
    for theme in themes or ("mediation",):
        result = cli("compose", "--assoc", "ARPE", "--themes", theme, "--date", "2026-03-01",
                     "--project", str(root))
        assert result.exit_code == 0, result.output
    return root


def ledger_sent(root: Path) -> list[str]:
    return [e["sent"] or "" for e in json.loads(cli("ledger", "--json", "--project",
                                                    str(root)).stdout)]


def letterkit(*args: str, root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "letterkit", *args, "--project", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_421_on_quit_after_the_message_was_taken_is_a_letter_sent(campaign) -> None:
    with Server(QuitWith421()) as server:
        root = composed(campaign, server.port)
        result = cli("send", "1", "--project", str(root))
        assert result.exit_code == 0, result.output
        assert "1 sent, 0 not sent" in result.stdout
        assert ledger_sent(root)[0]
        again = cli("send", "1", "--project", str(root))
        assert again.exit_code == 1 and "letter 1 was already sent" in again.stdout
        assert len(server.inbox.received) == 1


def test_a_locked_ledger_after_sending_is_journaled_then_replayed(campaign, monkeypatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.2)
    with Server(Inbox()) as server:
        root = composed(campaign, server.port)
        holder = sqlite3.connect(root / "ledger.sqlite", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            result = cli("send", "1", "--json", "--project", str(root))
            assert result.exit_code == 0, result.output
            [outcome] = json.loads(result.stdout)
            assert outcome["sent"] and outcome["error"] is None
            assert outcome["note"].startswith(f"recorded in {journal.JOURNAL_FILE}: the ledger "
                                              "could not be written (the ledger is locked")
            # Still locked: the journal says it was sent, so it is not sent again.
            again = cli("send", "1", "--json", "--project", str(root))
            assert again.exit_code == 1
            assert json.loads(again.stdout)[0]["error"].startswith("letter 1 was already sent")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert len(server.inbox.received) == 1
        # The next command writes the journal into the ledger and empties it.
        assert ledger_sent(root) == [outcome["sent"]]
        assert not journal.pending(root)
        with sqlite3.connect(root / "ledger.sqlite") as connection:
            assert connection.execute("SELECT sent, message_id FROM letters").fetchone() == (
                outcome["sent"], outcome["message_id"])


def test_ctrl_c_once_the_server_has_the_message_still_records_it(campaign) -> None:
    handler = Interrupting()
    with Server(handler) as server:
        root = composed(campaign, server.port)
        child = letterkit("send", "1", root=root)
        try:
            assert handler.has_the_data.wait(60), child.communicate(timeout=5)
            interrupt_and_see_it_held(child.pid)  # the server has the message, unanswered
        finally:
            handler.reply.set()  # 250: letterkit records it, then stops as asked
        child.communicate(timeout=60)
        assert child.returncode == 130  # interrupted, as asked: after the record
        assert len(server.inbox.received) == 1
        assert ledger_sent(root)[0]
        again = cli("send", "1", "--project", str(root))
        assert again.exit_code == 1 and "letter 1 was already sent" in again.stdout
        assert len(server.inbox.received) == 1


def test_two_sends_of_one_letter_at_once_deliver_it_once(campaign) -> None:
    with Server(Slow()) as server:
        root = composed(campaign, server.port)
        children = [letterkit("send", "1", "--json", root=root) for _ in range(2)]
        outputs = [child.communicate(timeout=60)[0] for child in children]
        results = sorted((json.loads(out)[0]["error"] or "sent") for out in outputs)
        assert results[1] == "sent"
        assert results[0].startswith("letter 1 was already sent")
        assert len(server.inbox.received) == 1


class Dripping:
    """A raw SMTP server that greets, then answers EHLO one line every 0.2 s, forever."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.sendall(b"220 drip.example ESMTP\r\n")
            connection.recv(1024)
            try:
                while not self.stop.wait(0.2):
                    connection.sendall(b"250-drip.example still thinking\r\n")
            except OSError:
                pass

    def __enter__(self) -> Dripping:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.listener.close()


def test_a_server_drip_feeding_its_ehlo_is_given_up_on(monkeypatch) -> None:
    monkeypatch.setattr(smtp, "DEADLINE", 1.0)
    raw = (f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nMessage-ID: <x@liste.example>\r\n"
           "Subject: s\r\n\r\nbody\r\n").encode()
    with Dripping() as server:
        started = time.monotonic()
        with pytest.raises(LetterkitError) as caught:
            send.send(raw, host="127.0.0.1", port=server.port, security="none", username=None,
                      password=None, what="letter 1")
        assert time.monotonic() - started < 3
    assert str(caught.value) == (
        f"campaign.yaml, key smtp.host: cannot send letter 1: 127.0.0.1:{server.port} did not "
        "finish answering within 1.0 s — try again later, or check smtp.host and smtp.port")


PLAIN = ("campaign.yaml, line 45, key smtp.security: security: none with a username would send "
         "the password in clear — use security: starttls or ssl; if the server can only be "
         "reached in clear (on this machine), add « allow_plain_auth: true » to the smtp block")


def test_a_password_never_goes_in_clear_unless_allowed(campaign, monkeypatch) -> None:
    class Watching(Inbox):
        def __init__(self) -> None:
            super().__init__()
            self.commands: list[str] = []

        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            self.commands.append("EHLO")
            return responses

    watching = Watching()
    with Server(watching, auth_require_tls=False) as server:
        root = composed(campaign, server.port)
        edit(root / "campaign.yaml", "  security: none\n",
             "  security: none\n  username: contact@liste.example\n  password_env: LK_TEST_SMTP\n")
        monkeypatch.setenv("LK_TEST_SMTP", "secret")
        _, problems = read_project(root)
        assert [str(p) for p in problems] == [PLAIN]
        result = cli("send", "1", "--project", str(root))
        assert result.exit_code == 1
        assert result.stderr == f"Error: {PLAIN}\n"
        assert watching.commands == [] and server.inbox.received == []  # never connected
        edit(root / "campaign.yaml", "  security: none\n",
             "  security: none\n  allow_plain_auth: true\n")
        _, problems = read_project(root)
        assert problems == []


def test_send_goes_on_when_one_letter_cannot_go(campaign) -> None:
    """Letter 2 goes to an address with accents before the @, which this server (no
    SMTPUTF8) cannot take: one clear line; letter 1, given after it, is sent."""
    with Server(Inbox(), enable_SMTPUTF8=False) as server:
        root = composed(campaign, server.port)
        edit(root / "associations.yaml", f"    email: {RECIPIENT}\n",
             "    email: élise@vélo.example\n")
        result = cli("compose", "--assoc", "ARPE", "--themes", "numerique", "--date",
                     "2026-03-02", "--format", "md,pdf,eml", "--project", str(root))
        assert result.exit_code == 0, result.output
        edit(root / "associations.yaml", "    email: élise@vélo.example\n",
             f"    email: {RECIPIENT}\n")
        result = cli("send", "2", "1", "--json", "--project", str(root))
        assert result.exit_code == 1
        first, second = json.loads(result.stdout)
        assert first["error"] == (
            "associations.yaml, key email: cannot send letter 2: an address has accents "
            "before the @, and the server does not accept such addresses (no SMTPUTF8) — ask "
            "the association for an address without accents, or send it from a server that "
            "offers SMTPUTF8")
        assert second["sent"] and second["error"] is None
        [(_, rcpt_tos, _)] = server.inbox.received
        assert rcpt_tos == [RECIPIENT]


def test_an_idn_address_goes_out_encoded(campaign) -> None:
    """The domain in IDNA in the envelope and the To header; the part before the @ in UTF-8
    with SMTPUTF8, the server offering it."""
    with Server(Inbox(), enable_SMTPUTF8=True) as server:
        root = composed(campaign, server.port)
        edit(root / "associations.yaml", f"    email: {RECIPIENT}\n",
             "    email: élise@vélo.example\n")
        result = cli("compose", "--assoc", "ARPE", "--themes", "numerique", "--date",
                     "2026-03-02", "--format", "md,pdf,eml", "--project", str(root))
        assert result.exit_code == 0, result.output
        result = cli("send", "2", "--project", str(root))
        assert result.exit_code == 0, result.output
        [(_, rcpt_tos, content)] = server.inbox.received
        assert rcpt_tos == ["élise@xn--vlo-bma.example"]
        assert "To: ARPE <élise@xn--vlo-bma.example>" in content.decode()
