"""The letter as an e-mail: a ready-to-send message (.eml); `letterkit.pipeline.send` sends it.

The message goes to the association's `email`, from the campaign's `smtp.from`, with a French
subject, the letter as plain text and as HTML, and the PDF attached exactly as written (signed
when it was). The same letter gives the same bytes: its date and Message-ID come from the
letter, not from the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_lib
import mimetypes
import re
from dataclasses import dataclass
from email.utils import format_datetime, parseaddr
from typing import TYPE_CHECKING

from letterkit.errors import LetterkitError
from letterkit.i18n import _

if TYPE_CHECKING:
    from email.headerregistry import Address
    from email.message import MIMEPart

    from letterkit.campaign.models import Association
    from letterkit.campaign.project import Project

# The MIME classes are imported only to build a message, so that other commands start fast.


def subject(association_subject: str | None, title: str) -> str:
    """« Objet » of the letter when the association has one (written to follow « Objet : »,
    so its first letter is capitalised), else the letter's title."""
    text = " ".join((association_subject or title).replace("*", "").split())
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Attachment:
    name: str     # as the recipient sees it: « Réponse de Clamart à gauche ! à ARPE.pdf »
    label: str    # as the « P.J. » line names it
    data: bytes


def attachment_name(text: str) -> str:
    """A file name for people: the text, without the characters file systems refuse."""
    return " ".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]', " ", text).split())[:150]


_PJ = re.compile(r"^P\.J\.(?:\s|\u00a0)*:.*$", re.M)


def with_enclosures_line(markdown: str, attachments: list[Attachment]) -> str:
    """The letter's « P.J. » line naming what the e-mail attaches, and nothing else."""
    labels = [a.label for a in attachments]
    joined = " et ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
    line = f"P.J.\u00a0: {joined}" if attachments else ""
    replaced, count = _PJ.subn(line.replace("\\", "\\\\"), markdown.rstrip())
    if not count and line:
        replaced = f"{replaced}\n\n{line}"
    return replaced.rstrip() + "\n"


def _disposition(part: MIMEPart, name: str) -> None:
    """Content-Disposition with the name in UTF-8 (RFC 2231 filename*) and an ASCII fallback
    for mail programs that read only filename."""
    import unicodedata
    from urllib.parse import quote

    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = fallback.replace('"', "").replace("\\", "") or "piece-jointe"
    encoded = re.findall(r"(?:%[0-9A-F]{2}|[^%]){1,20}", quote(name, safe=""))
    pieces = [f"filename*{i}*={'utf-8' + chr(39) * 2 if i == 0 else ''}{piece}"
              for i, piece in enumerate(encoded)]
    # Folded here, each line short, so that the policy keeps both parameters as written.
    del part["Content-Disposition"]
    part.set_raw("Content-Disposition", "attachment;\r\n " + ";\r\n ".join(
        [*pieces, f'filename="{fallback[:60]}"']))


_TAG = re.compile(r"<[^>]+>")


def _paragraphs(markdown: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", markdown.strip()) if p.strip()]


def plain_text(markdown: str) -> str:
    """The letter as plain text: the Markdown's paragraphs without emphasis marks or escapes."""
    from letterkit.letter.blockhtml import markdown_parser

    parser = markdown_parser()
    out = []
    for paragraph in _paragraphs(markdown):
        rendered = parser.render(paragraph, {})
        text = html_lib.unescape(_TAG.sub("", rendered.replace("<li>", "<li>- "))).strip()
        out.append(text)
    return "\n\n".join(out) + "\n"


def plain_line(markdown: str) -> str:
    """A paragraph of Markdown as one line of plain text (a title, a Subject, a PDF's
    metadata): « **Parents \\& Enfants \\[2026\\]** » → « Parents & Enfants [2026] »."""
    return " ".join(plain_text(markdown).split())


def html_body(markdown: str, title: str) -> str:
    """The letter as the HTML part: its first paragraph the title, in bold."""
    from letterkit.formats.htmlpage import mail_body
    from letterkit.letter.blockhtml import block_html

    paragraphs = _paragraphs(markdown)
    blocks = {"title": str(block_html(paragraphs[0])) if paragraphs else "",
              "body": "".join(str(block_html(p)) for p in paragraphs[1:])}
    return mail_body(blocks, title)


def address_header(name: str, address: str) -> Address:
    """An address as a header holds it: the name on one line, the domain in IDNA (RFC 5890:
    « vélo.example » → « xn--vlo-9la.example »), the part before the @ as it is."""
    from email.headerregistry import Address

    import idna

    user, _at, domain = address.rpartition("@")
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode()
        except idna.IDNAError as exc:
            raise LetterkitError(_("« {address} » has a domain that cannot be written in "
                                   "ASCII ({why})").format(address=address, why=exc),
                                 hint=_("check the address")) from None
    return Address(display_name=" ".join(name.split()), username=user, domain=domain)


def message_id(sender: str, recipient: str, subject_line: str, pdf: bytes) -> str:
    """A Message-ID made from what the message holds, at the sender's domain."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "letterkit.invalid"
    digest = hashlib.sha256("\n".join([sender, recipient, subject_line]).encode() + pdf)
    return f"<{digest.hexdigest()[:32]}.letterkit@{domain}>"


def message(*, sender: str, recipient: str, recipient_name: str, subject_line: str,
            markdown: str, title: str, pdf: bytes, pdf_name: str, date: dt.date,
            enclosures: tuple[Attachment, ...] = ()) -> bytes:
    """The e-mail, as the bytes of an .eml file (CRLF line ends, ready for SMTP)."""
    from email import policy
    from email.message import EmailMessage
    from zoneinfo import ZoneInfo

    from_name, from_address = parseaddr(sender)
    to_name, to_address = parseaddr(recipient)
    # An address with accents before the @ needs an SMTPUTF8 message (RFC 6532): its headers
    # in UTF-8; `letterkit send` then asks the server for SMTPUTF8.
    utf8 = not (from_address.rpartition("@")[0].isascii()
                and to_address.rpartition("@")[0].isascii())
    mail = EmailMessage(policy=policy.SMTPUTF8 if utf8 else policy.SMTP)
    mail["From"] = address_header(from_name, from_address)
    mail["To"] = address_header(to_name or recipient_name, to_address)
    mail["Subject"] = subject_line
    mail["Date"] = format_datetime(dt.datetime.combine(date, dt.time(12, 0),
                                                      tzinfo=ZoneInfo("Europe/Paris")))
    mail["Message-ID"] = message_id(sender, recipient, subject_line, pdf)
    mail.set_content(plain_text(markdown), subtype="plain", charset="utf-8")
    mail.add_alternative(html_body(markdown, title), subtype="html", charset="utf-8")
    mail.make_mixed()
    for name, data in ((pdf_name, pdf), *((a.name, a.data) for a in enclosures)):
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        mail.add_attachment(data, maintype=kind.partition("/")[0], subtype=kind.partition("/")[2],
                            filename=name)
        _disposition(list(mail.iter_parts())[-1], name)
    mail["Content-Language"] = "fr"  # after make_mixed, which moves Content-* headers down
    # MIME boundaries made from the message, not at random: the same letter, the same bytes.
    stem = str(mail["Message-ID"]).strip("<>").partition(".")[0][:24]
    for number, part in enumerate(p for p in mail.walk() if p.is_multipart()):
        part.set_boundary(f"=_letterkit_{stem}_{number}")
    return mail.as_bytes()


# --- From the campaign's data --------------------------------------------------------------

def sender(project: Project) -> str:
    """The campaign's From address (smtp.from)."""
    smtp = project.campaign.smtp
    if smtp is None:
        raise LetterkitError(_("no smtp block: an e-mail needs the campaign's address"),
                             file="campaign.yaml",
                             hint=_("add an smtp block with host and from (docs/email.md)"))
    return smtp.sender


def recipient(association: Association) -> str:
    """The association's address (its email key)."""
    if not association.email:
        name = association.short_name
        raise LetterkitError(_("{name} has no e-mail address").format(name=name),
                             file="associations.yaml",
                             hint=_("add « email: … » to {name}, or leave eml out of "
                                    "--format").format(name=name))
    return association.email


def attachments(project: Project, association: Association) -> list[Attachment]:
    """The enclosures that name a file (campaign.yaml or associations.yaml), read from the
    campaign folder; a missing one is an error `check` reports first."""
    from letterkit.campaign.models import Enclosure

    listed = project.campaign.enclosures if association.enclosures is None \
        else association.enclosures
    found = []
    for enclosure in listed:
        if not isinstance(enclosure, Enclosure) or not enclosure.file:
            continue
        path = (project.root / enclosure.file).resolve()
        if not path.is_relative_to(project.root.resolve()) or not path.is_file():
            raise LetterkitError(_("no file at « {file} » in the campaign folder").format(
                                     file=enclosure.file),
                                 file="campaign.yaml" if association.enclosures is None
                                 else "associations.yaml",
                                 hint=_("give the enclosure's file from the campaign folder, "
                                        "e.g. pieces/fiche-accessibilite.pdf"))
        found.append(Attachment(attachment_name(f"{enclosure.label}{path.suffix}"),
                                enclosure.label, path.read_bytes()))
    return found
