"""The SMTP conversation of `letterkit send`: one message sent exactly as it is, with an
overall deadline, STARTTLS or SSL, the envelope's addresses in IDNA (SMTPUTF8 when needed),
and the moment the server takes the message reported before anything else can fail."""

from __future__ import annotations

import contextlib
from email.utils import getaddresses, parseaddr
from typing import TYPE_CHECKING

from letterkit.errors import LetterkitError
from letterkit.i18n import N_, _, ngettext, reason

if TYPE_CHECKING:
    import smtplib
    import ssl
    from collections.abc import Callable

TIMEOUT = 30  # seconds for each answer of the server
DEADLINE = 120  # seconds for a whole letter: connecting, greeting, logging in, sending


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

    local, _at, domain = address.rpartition("@")
    try:
        ascii_domain = domain if domain.isascii() else idna.encode(domain, uts46=True).decode()
    except idna.IDNAError as exc:
        raise LetterkitError(_("« {address} » has a domain that cannot be written in ASCII "
                               "({error})").format(address=address, error=exc),
                             hint=_("check the address")) from None
    return f"{local}@{ascii_domain}", not local.isascii()


PLAIN_AUTH_HINT = N_(
    "use security: starttls or ssl; if the server can only be reached in clear (on this "
    "machine), add « allow_plain_auth: true » to the smtp block")  # translated where used


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
            _("cannot send {what}: the password would go in clear (security: none with a "
              "username)").format(what=what), file="campaign.yaml", key="smtp.security",
            hint=_(PLAIN_AUTH_HINT))
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
                _("cannot send {what}: {where} did not finish answering within {seconds} s"
                  ).format(what=what, where=where, seconds=DEADLINE),
                file="campaign.yaml", key="smtp.host",
                hint=_("try again later, or check smtp.host and smtp.port")) from exc
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
                _("cannot send {what}: an address has accents before the @, and the server "
                  "does not accept such addresses (no SMTPUTF8)").format(what=what),
                file="associations.yaml", key="email",
                hint=_("ask the association for an address without accents, or send it from "
                       "a server that offers SMTPUTF8"))
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
    for _name, address in getaddresses([_header(raw, "To")]):
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
            # the reason is OpenSSL's own words
            _("cannot send {what}: the certificate of {where} is not valid: {reason}").format(
                what=what, where=where, reason=exc.verify_message),
            file="campaign.yaml", key="smtp.host",
            hint=_("give the server's name as its certificate has it"))
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return LetterkitError(
            _("cannot send {what}: {where} refused the user name or the password ({code})"
              ).format(what=what, where=where, code=exc.smtp_code),
            file="campaign.yaml", key="smtp.username",
            hint=_("check smtp.username and the password in the smtp.password_env variable"))
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return LetterkitError(
            _("cannot send {what}: {where} does not offer {security}").format(
                what=what, where=where, security=security.upper()),
            file="campaign.yaml", key="smtp.security",
            hint=_("choose the security the server offers: starttls, ssl or none"))
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return LetterkitError(
            ngettext("cannot send {what}: {where} refused the address {addresses}",
                     "cannot send {what}: {where} refused the addresses {addresses}",
                     len(recipients)).format(what=what, where=where,
                                             addresses=", ".join(recipients)),
            file="associations.yaml", key="email",
            hint=_("check the association's e-mail address"))
    if isinstance(exc, smtplib.SMTPResponseException):
        # the server's reply as it wrote it
        reply = exc.smtp_error.decode(errors="replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return LetterkitError(
            _("cannot send {what}: {where} answered {code} {reply}").format(
                what=what, where=where, code=exc.smtp_code, reply=reply),
            hint=_("check the smtp block of campaign.yaml, or try again later"))
    if isinstance(exc, socket.timeout):
        why = _("no answer")
    elif isinstance(exc, OSError) and exc.strerror:
        why = reason(exc)
    else:
        why = str(exc) or type(exc).__name__
    return LetterkitError(
        _("cannot send {what}: cannot reach {where}: {reason}").format(
            what=what, where=where, reason=why), file="campaign.yaml", key="smtp.host",
        hint=_("check smtp.host, smtp.port and smtp.security, and the network"))


def _header(raw: bytes, name: str) -> str:
    from email import message_from_bytes, policy

    return str(message_from_bytes(raw, policy=policy.SMTP)[name] or "")
