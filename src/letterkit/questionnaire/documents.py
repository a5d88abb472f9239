"""The text of a document an association sent: plain text, Markdown, PDF, DOCX or ODT.

Lines are kept, and paragraphs are separated by a blank line whenever the format tells them
apart (a PDF's vertical gaps, a DOCX's or an ODT's paragraphs), so that `questions` can tell
a question from the introduction and the closing around it. Numbered and bulleted lists keep their
numbers and bullets, even when a word processor numbers them itself.

Nothing here imports more than the standard library and pypdf (imported when a PDF is read).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from letterkit.errors import LetterkitError

SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".odt")
# Formats associations do send, that letterkit does not read: say what to do instead.
OTHER_FORMATS = {".doc": "Word 97", ".rtf": "RTF", ".pages": "Pages",
                 ".xlsx": "Excel", ".xls": "Excel", ".ods": "OpenDocument"}
# A DOCX's text is rarely more than a few hundred kilobytes: refuse archives that would
# inflate into something much larger (a « zip bomb »).
MAX_XML_BYTES = 50_000_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_document(path: Path) -> str:
    """The text of a plaidoyer or questionnaire; a LetterkitError says why it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in OTHER_FORMATS:
        raise LetterkitError(f"letterkit does not read {OTHER_FORMATS[suffix]} files",
                             file=str(path), hint="save the document as DOCX or PDF, or copy "
                             "its text into a .txt file")
    try:
        if suffix == ".pdf":
            text = _pdf_text(path)
        elif suffix == ".docx":
            text = _docx_text(path)
        elif suffix == ".odt":
            text = _odt_text(path)
        else:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise LetterkitError("file not found", file=str(path),
                             hint="give the path of the association's document") from None
    except IsADirectoryError:
        raise LetterkitError("this is a folder, not a document", file=str(path),
                             hint="give the path of the association's document") from None
    except PermissionError:
        raise LetterkitError("cannot read the file (permission denied)", file=str(path),
                             hint="check its permissions") from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LetterkitError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", file=str(path),
                             line=line, hint="save the document as UTF-8 text, or give its "
                             "PDF") from None
    if not text.strip():
        raise LetterkitError("the file is empty", file=str(path),
                             hint="give the document as the association sent it") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- PDF -----------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_WORD_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")


def unspace(line: str) -> str:
    """A line that pypdf spelled out letter by letter (« V o u s   a v e z »: one space
    between letters, three between words) written normally again; other lines unchanged."""
    tokens = line.split()
    if len(tokens) < 6 or sum(len(t) == 1 for t in tokens) < 0.8 * len(tokens):
        return line
    indent = line[: len(line) - len(line.lstrip())]
    words = [w.replace(" ", "") for w in _WORD_GAP.split(line.strip())]
    return indent + " ".join(words)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(path)
        pages = []
        for page in reader.pages:
            try:
                # The layout mode keeps list numbers beside their items and leaves a blank
                # line where a paragraph ends; the plain mode moves list numbers to the end.
                text = page.extract_text(extraction_mode="layout")
            except Exception:  # pypdf's layout mode fails on some odd fonts
                text = page.extract_text()
            lines = (unspace(line) for line in (text or "").split("\n"))
            pages.append(_SPACES.sub(" ", "\n".join(lines)))
    except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
        raise LetterkitError(f"cannot read this PDF ({exc})", file=str(path),
                             hint="give the document as DOCX, text or Markdown") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise LetterkitError("this PDF holds no text (a scanned image?)", file=str(path),
                             hint="ask the association for the text, or copy the questions "
                             "into a .txt file") from None
    return text


# --- DOCX ----------------------------------------------------------------------------------

def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise ValueError(f"{name} is too large")
    data = archive.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # never in Word's XML: refuse expansions
        raise ValueError(f"{name} declares a DTD")
    return ElementTree.fromstring(data)


def _numbering(archive: zipfile.ZipFile) -> dict[str, dict[int, tuple[str, int]]]:
    """numId → level → (number format, start), from word/numbering.xml."""
    root = _xml(archive, "word/numbering.xml")
    if root is None:
        return {}
    abstract: dict[str, dict[int, tuple[str, int]]] = {}
    for node in root.iter(f"{W}abstractNum"):
        levels = {}
        for level in node.iter(f"{W}lvl"):
            fmt = level.find(f"{W}numFmt")
            start = level.find(f"{W}start")
            levels[int(level.get(f"{W}ilvl", "0"))] = (
                fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                int(start.get(f"{W}val", "1")) if start is not None else 1)
        abstract[node.get(f"{W}abstractNumId", "")] = levels
    numbers = {}
    for num in root.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is not None:
            numbers[num.get(f"{W}numId", "")] = abstract.get(ref.get(f"{W}val", ""), {})
    return numbers


def _num_pr(node: ElementTree.Element | None) -> tuple[str, int] | None:
    """(numId, level) of a paragraph's or style's numbering properties."""
    if node is None:
        return None
    num_id = node.find(f"{W}numId")
    level = node.find(f"{W}ilvl")
    if num_id is None:
        return None
    return num_id.get(f"{W}val", ""), int(level.get(f"{W}val", "0")) if level is not None else 0


def _style_numbering(archive: zipfile.ZipFile) -> dict[str, tuple[str, int]]:
    """Styles that number their paragraphs (Word's « List Number », « List Bullet »)."""
    root = _xml(archive, "word/styles.xml")
    if root is None:
        return {}
    found = {}
    for style in root.iter(f"{W}style"):
        numbering = _num_pr(style.find(f"{W}pPr/{W}numPr"))
        if numbering:
            found[style.get(f"{W}styleId", "")] = numbering
    return found


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26)


def _docx_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            body = _xml(archive, "word/document.xml")
            if body is None:
                raise zipfile.BadZipFile("no word/document.xml")
            numbering = _numbering(archive)
            styles = _style_numbering(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, ValueError,
            EOFError, NotImplementedError) as exc:
        raise LetterkitError(f"not a DOCX document ({exc})", file=str(path),
                             hint="open it in a word processor and save it as .docx, or give "
                             "its PDF or its text") from None
    counters: dict[tuple[str, int], int] = {}
    paragraphs = []
    for paragraph in body.iter(f"{W}p"):
        text = ""
        for node in paragraph.iter():
            if node.tag == f"{W}t":
                text += node.text or ""
            elif node.tag == f"{W}tab":
                text += " "
            elif node.tag in (f"{W}br", f"{W}cr"):
                text += "\n"
        properties = paragraph.find(f"{W}pPr")
        numbered = _num_pr(properties.find(f"{W}numPr")) if properties is not None else None
        if numbered is None and properties is not None:
            style = properties.find(f"{W}pStyle")
            if style is not None:
                numbered = styles.get(style.get(f"{W}val", ""))
        if numbered and numbered[0] != "0" and text.strip():
            num_id, level = numbered
            fmt, start = numbering.get(num_id, {}).get(level, ("decimal", 1))
            count = counters.get((num_id, level), start - 1) + 1
            counters[(num_id, level)] = count
            for deeper in [k for k in counters if k[0] == num_id and k[1] > level]:
                del counters[deeper]
            if fmt == "decimal" and level == 0:
                text = f"{count}. {text}"
            elif fmt in ("lowerLetter", "upperLetter"):
                text = f"{_letter(count)}) {text}"
            else:
                text = f"- {text}"
        paragraphs.append(text)
    return "\n\n".join(p for p in paragraphs if p.strip())


# --- ODT (LibreOffice) -------------------------------------------------------------------------

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


def _odt_list_styles(*roots: ElementTree.Element | None) -> dict[str, dict[int, bool]]:
    """List style name → level → whether that level is numbered (else bulleted)."""
    styles: dict[str, dict[int, bool]] = {}
    for root in roots:
        for style in root.iter(f"{TEXT}list-style") if root is not None else ():
            levels = styles.setdefault(style.get(f"{STYLE}name", ""), {})
            for level in style:
                if level.tag in (f"{TEXT}list-level-style-number",
                                 f"{TEXT}list-level-style-bullet"):
                    levels[int(level.get(f"{TEXT}level", "1"))] = level.tag.endswith("number")
    return styles


def _odt_paragraph(node: ElementTree.Element) -> str:
    """A paragraph's text: its spans and links, spaces, tabs and line breaks."""
    text = node.text or ""
    for child in node:
        if child.tag == f"{TEXT}s":
            text += " " * int(child.get(f"{TEXT}c", "1"))
        elif child.tag == f"{TEXT}tab":
            text += " "
        elif child.tag == f"{TEXT}line-break":
            text += "\n"
        elif child.tag != f"{TEXT}note":  # footnotes are not the question's text
            text += _odt_paragraph(child)
        text += child.tail or ""
    return text


def _odt_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            content = _xml(archive, "content.xml")
            if content is None:
                raise zipfile.BadZipFile("no content.xml")
            styles = _odt_list_styles(content, _xml(archive, "styles.xml"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, ValueError,
            EOFError, NotImplementedError) as exc:
        raise LetterkitError(f"not an ODT document ({exc})", file=str(path),
                             hint="open it in a word processor and save it as .odt or .docx, "
                             "or give its PDF or its text") from None
    paragraphs: list[str] = []
    counters: dict[str, int] = {}  # a numbered list style → its last number

    def walk(node: ElementTree.Element, style: str, level: int) -> None:
        """Paragraphs in order; `level` is the list depth (0: not in a list)."""
        marked = False  # only the first paragraph of a list item carries its number
        for child in node:
            if child.tag in (f"{TEXT}p", f"{TEXT}h"):
                text = _odt_paragraph(child)
                if level and not marked and text.strip():
                    marked = True
                    if level == 1 and styles.get(style, {}).get(level, False):
                        counters[style] = counters.get(style, 0) + 1
                        text = f"{counters[style]}. {text}"
                    else:
                        text = f"- {text}"
                paragraphs.append(text)
            elif child.tag == f"{TEXT}list":
                name = child.get(f"{TEXT}style-name") or style
                continues = child.get(f"{TEXT}continue-numbering") == "true" or \
                    child.get(f"{TEXT}continue-list") is not None
                if level == 0 and not continues:
                    counters.pop(name, None)
                for item in child:
                    if item.tag in (f"{TEXT}list-item", f"{TEXT}list-header"):
                        walk(item, name, level + 1)
            elif child.tag != f"{TEXT}note":
                walk(child, style, level)

    walk(content, "", 0)
    return "\n\n".join(p for p in paragraphs if p.strip())
