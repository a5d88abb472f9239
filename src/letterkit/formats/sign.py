"""Cryptographic signatures (PAdES) with pyHanko: the only module that imports it.

Independent of the scanned signature image, which is part of the page: a letter may carry
both. The signature is an incremental update, so a PDF/A file stays PDF/A.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from letterkit.errors import LetterkitError
from letterkit.i18n import _


@dataclass(frozen=True)
class Certificate:
    """A PKCS#12 file and its password (never from the command line)."""

    path: Path
    password: str


@cache
def _signer(certificate: Certificate):  # type: ignore[no-untyped-def]
    from pyhanko.sign import signers

    if not certificate.path.is_file():
        raise LetterkitError(_("certificate file not found"), file=str(certificate.path),
                             hint=_("give the path of a .p12 (PKCS#12) file to --sign"))
    wrong = LetterkitError(_("cannot open the certificate: wrong password, or not a PKCS#12 "
                             "file"), file=str(certificate.path),
                           hint=_("check the password in the variable --sign-password-env "
                                  "names"))
    from cryptography.hazmat.primitives.serialization import pkcs12

    data = certificate.path.read_bytes()
    try:  # checked here first: pyHanko would log its own traceback before saying so
        pkcs12.load_key_and_certificates(data, certificate.password.encode())
    except ValueError:
        raise wrong from None
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[],
                                                   passphrase=certificate.password.encode())
    if signer is None:
        raise wrong
    return signer


def sign_pdf(pdf: bytes, certificate: Certificate, reason: str) -> bytes:
    """The PDF signed (PAdES baseline B, SHA-256) with the certificate's key."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    metadata = signers.PdfSignatureMetadata(
        field_name="Signature", md_algorithm="sha256", reason=reason,
        subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    signed = signers.sign_pdf(writer, metadata, signer=_signer(certificate))
    return bytes(signed.getbuffer())


def signer_name(certificate: Certificate) -> str:
    """The certificate's common name, as a validator will show it."""
    return str(_signer(certificate).signing_cert.subject.human_friendly)
