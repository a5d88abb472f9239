"""Synthetic big questionnaires, clearly made up (words repeated from a short list): a DOCX
of n paragraphs, every fifth a question numbered 1 to 10 again and again, and a PDF of n
pages of twelve lines, four of them questions numbered from 1 on each page (a plain PDF
written by hand, Helvetica, no library)."""

from __future__ import annotations

import zipfile
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
WORDS = "vélo piste cyclable école cantine bio jardin partagé logement social transport bus".split()

def sentence(i: int, n: int = 12) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))

def docx(path: Path, n: int) -> None:
    paras = []
    for i in range(n):
        if i % 5 == 0:
            text = f"{(i // 50) % 10 + 1}. Vous engagez-vous pour {sentence(i)} ?"
        else:
            text = f"Contexte {i} : {sentence(i, 20)}."
        paras.append(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml",
                   f"<w:document {W}><w:body>" + "".join(paras) + "</w:body></w:document>")

def pdf(path: Path, pages: int) -> None:
    objects: list[bytes | None] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    pages_id_placeholder = len(objects) + 1
    objects.append(None)  # the page tree, once its pages are known
    kids = []
    for p in range(pages):
        lines = []
        y = 800
        for k in range(12):
            n = (p * 12 + k)
            if k % 3 == 0:
                text = f"{k // 3 + 1}. Vous engagez-vous pour {sentence(n, 8)} ?"
            else:
                text = f"Contexte {n} : {sentence(n, 10)}."
            text = text.encode("cp1252").replace(b"(", b"").replace(b")", b"")
            lines.append(b"BT /F1 11 Tf 50 %d Td (" % y + text + b") Tj ET")
            y -= 40 if k % 3 == 2 else 18
        stream = b"\n".join(lines)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>"
                        % (pages_id_placeholder, content, font)))
    objects[pages_id_placeholder - 1] = (b"<< /Type /Pages /Kids ["
                                         + b" ".join(b"%d 0 R" % k for k in kids)
                                         + b"] /Count %d >>" % len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id_placeholder)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + (body or b"") + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    Path(path).write_bytes(bytes(out))
