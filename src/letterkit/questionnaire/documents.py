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
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from letterkit.errors import LetterkitError
from letterkit.i18n import _

SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".odt")
# Formats associations do send, that letterkit does not read: say what to do instead.
OTHER_FORMATS = {".doc": "Word 97", ".rtf": "RTF", ".pages": "Pages",
                 ".xlsx": "Excel", ".xls": "Excel", ".ods": "OpenDocument"}
# A DOCX's text is rarely more than a few hundred kilobytes: refuse archives that would
# inflate into something much larger (a « zip bomb »).
MAX_XML_BYTES = 50_000_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_document(path: Path, progress: Callable[[int, int], None] | None = None) -> str:
    """The text of a plaidoyer or questionnaire; a LetterkitError says why it cannot be read.
    `progress(done, total)` is told of each page of a PDF read (the slow format)."""
    suffix = path.suffix.lower()
    if suffix in OTHER_FORMATS:
        raise LetterkitError(
            _("letterkit does not read {format} files").format(format=OTHER_FORMATS[suffix]),
            file=str(path), hint=_("save the document as DOCX or PDF, or copy its text into a "
                                   ".txt file"))
    try:
        if suffix == ".pdf":
            text = _pdf_text(path, progress)
        elif suffix == ".docx":
            text = _docx_text(path)
        elif suffix == ".odt":
            text = _odt_text(path)
        else:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise LetterkitError(_("file not found"), file=str(path),
                             hint=_("give the path of the association's document")) from None
    except IsADirectoryError:
        raise LetterkitError(_("this is a folder, not a document"), file=str(path),
                             hint=_("give the path of the association's document")) from None
    except PermissionError:
        raise LetterkitError(
            _("cannot read the file ({reason})").format(reason=_("permission denied")),
            file=str(path), hint=_("check its permissions")) from None
    except UnicodeDecodeError as exc:
        # Not bytes.count: Babel takes a call named `count` for a message (cli/output.py).
        line = len(raw[: exc.start].split(b"\n"))
        byte = f"0x{raw[exc.start]:02x}"
        raise LetterkitError(_("not UTF-8 text (byte {byte})").format(byte=byte),
                             file=str(path), line=line,
                             hint=_("save the document as UTF-8 text, or give its PDF")) from None
    if not text.strip():
        raise LetterkitError(_("the file is empty"), file=str(path),
                             hint=_("give the document as the association sent it")) from None
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


def _pdf_text(path: Path, progress: Callable[[int, int], None] | None = None) -> str:
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
            if progress is not None:
                progress(len(pages), len(reader.pages))
    except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
        raise LetterkitError(_("cannot read this PDF ({error})").format(error=exc),
                             file=str(path),
                             hint=_("give the document as DOCX, text or Markdown")) from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise LetterkitError(_("this PDF holds no text (a scanned image?)"), file=str(path),
                             hint=_("ask the association for the text, or copy the questions "
                                    "into a .txt file")) from None
    return text


# --- DOCX ----------------------------------------------------------------------------------

def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise ValueError(_("{name} is too large").format(name=name))
    data = archive.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # never in Word's XML: refuse expansions
        raise ValueError(_("{name} declares a DTD").format(name=name))
    return ElementTree.fromstring(data)


class DocumentLimit(ValueError):
    """A document past one of the readers' limits (nesting, size of its text)."""


MAX_DEPTH = 200           # elements inside elements: a real document has a few dozen
MAX_TEXT_CHARS = 5_000_000  # the text of a document: a few hundred thousand characters
MAX_SPACES = 1_000        # one ODT <text:s text:c="…"/>: a few spaces


def _number(value: str | None, default: int, limit: int = 1_000_000) -> int:
    """A count or level from the XML: `default` when it is not a whole number, at most
    `limit` (« x », « 1e9 », « -3 » never raise, never build a gigabyte)."""
    if value is None or not value.strip().isdigit():
        return default
    return min(int(value), limit)


def _check_depth(root: ElementTree.Element) -> None:
    """Refuse a tree nested deeper than MAX_DEPTH (walked without recursion)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DocumentLimit(_("its elements are nested more than {depth} deep")
                                .format(depth=MAX_DEPTH))
        stack.extend((child, depth + 1) for child in node)


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
            levels[_number(level.get(f"{W}ilvl"), 0, 9)] = (
                fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                _number(start.get(f"{W}val"), 1) if start is not None else 1)
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
    return num_id.get(f"{W}val", ""), _number(level.get(f"{W}val"), 0, 9) if level is not None \
        else 0


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


_DOCX_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, ValueError,
                EOFError, NotImplementedError, RecursionError)


def _limit_error(exc: DocumentLimit, path: Path) -> LetterkitError:
    return LetterkitError(_("letterkit does not read this document: {reason}")
                          .format(reason=exc), file=str(path),
                          hint=_("save it again from a word processor, or give its PDF or the "
                                 "text of its questions in a .txt file"))


def _docx_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            body = _xml(archive, "word/document.xml")
            if body is None:
                raise zipfile.BadZipFile(_("no {name}").format(name="word/document.xml"))
            numbering = _DocxNumbering(_numbering(archive), _style_numbering(archive))
        paragraphs = [numbering.marked(paragraph, _docx_paragraph(paragraph))
                      for paragraph in body.iter(f"{W}p")]
    except DocumentLimit as exc:
        raise _limit_error(exc, path) from None
    except _DOCX_ERRORS as exc:
        raise LetterkitError(_("not a DOCX document ({error})").format(error=exc),
                             file=str(path),
                             hint=_("open it in a word processor and save it as .docx, or give "
                                    "its PDF or its text")) from None
    return _joined(paragraphs)


def _joined(paragraphs: list[str]) -> str:
    """The paragraphs with a blank line between them, within MAX_TEXT_CHARS."""
    text = "\n\n".join(p for p in paragraphs if p.strip())
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentLimit(_("its text is longer than {limit} characters")
                            .format(limit=f"{MAX_TEXT_CHARS:,}".replace(",", " ")))
    return text


def _docx_paragraph(paragraph: ElementTree.Element) -> str:
    """A DOCX paragraph's text: its runs, tabs as spaces, line breaks."""
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append(" ")
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


class _DocxNumbering:
    """The numbers and bullets Word draws itself before list paragraphs, counted in order."""

    def __init__(self, numbering: dict[str, dict[int, tuple[str, int]]],
                 styles: dict[str, tuple[str, int]]) -> None:
        self.numbering, self.styles = numbering, styles
        self.counters: dict[tuple[str, int], int] = {}

    def _numbered(self, paragraph: ElementTree.Element) -> tuple[str, int] | None:
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            return None
        numbered = _num_pr(properties.find(f"{W}numPr"))
        style = properties.find(f"{W}pStyle")
        if numbered is None and style is not None:
            numbered = self.styles.get(style.get(f"{W}val", ""))
        return numbered

    def marked(self, paragraph: ElementTree.Element, text: str) -> str:
        """The paragraph's text with its number (« 3. »), letter (« b) ») or bullet."""
        numbered = self._numbered(paragraph)
        if not numbered or numbered[0] == "0" or not text.strip():
            return text
        num_id, level = numbered
        fmt, start = self.numbering.get(num_id, {}).get(level, ("decimal", 1))
        count = self.counters.get((num_id, level), start - 1) + 1
        self.counters[(num_id, level)] = count
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[deeper]
        if fmt == "decimal" and level == 0:
            return f"{count}. {text}"
        if fmt in ("lowerLetter", "upperLetter"):
            return f"{_letter(count)}) {text}"
        return f"- {text}"


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
                    levels[_number(level.get(f"{TEXT}level"), 1, 10)] = \
                        level.tag.endswith("number")
    return styles


def _odt_paragraph(node: ElementTree.Element) -> str:
    """A paragraph's text: its spans and links, spaces, tabs and line breaks (the tree is
    at most MAX_DEPTH deep: see _check_depth)."""
    parts = [node.text or ""]
    for child in node:
        if child.tag == f"{TEXT}s":
            parts.append(" " * _number(child.get(f"{TEXT}c"), 1, MAX_SPACES))
        elif child.tag == f"{TEXT}tab":
            parts.append(" ")
        elif child.tag == f"{TEXT}line-break":
            parts.append("\n")
        elif child.tag != f"{TEXT}note":  # footnotes are not the question's text
            parts.append(_odt_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odt_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            content = _xml(archive, "content.xml")
            if content is None:
                raise zipfile.BadZipFile(_("no {name}").format(name="content.xml"))
            styles = _odt_list_styles(content, _xml(archive, "styles.xml"))
        _check_depth(content)
        walker = _OdtWalker(styles)
        walker.walk(content, "", 0)
        return _joined(walker.paragraphs)
    except DocumentLimit as exc:
        raise _limit_error(exc, path) from None
    except _DOCX_ERRORS as exc:
        raise LetterkitError(_("not an ODT document ({error})").format(error=exc),
                             file=str(path),
                             hint=_("open it in a word processor and save it as .odt or .docx, "
                                    "or give its PDF or its text")) from None


class _OdtWalker:
    """An ODT's paragraphs in order, list items given the number or bullet LibreOffice draws."""

    def __init__(self, styles: dict[str, dict[int, bool]]) -> None:
        self.styles = styles
        self.paragraphs: list[str] = []
        self.counters: dict[str, int] = {}  # a numbered list style → its last number

    def walk(self, node: ElementTree.Element, style: str, level: int) -> None:
        """Paragraphs in order; `level` is the list depth (0: not in a list)."""
        marked = False  # only the first paragraph of a list item carries its number
        for child in node:
            if child.tag in (f"{TEXT}p", f"{TEXT}h"):
                text = _odt_paragraph(child)
                if level and not marked and text.strip():
                    marked = True
                    text = self._mark(text, style, level)
                self.paragraphs.append(text)
            elif child.tag == f"{TEXT}list":
                self._list(child, style, level)
            elif child.tag != f"{TEXT}note":
                self.walk(child, style, level)

    def _mark(self, text: str, style: str, level: int) -> str:
        if level == 1 and self.styles.get(style, {}).get(level, False):
            self.counters[style] = self.counters.get(style, 0) + 1
            return f"{self.counters[style]}. {text}"
        return f"- {text}"

    def _list(self, node: ElementTree.Element, style: str, level: int) -> None:
        name = node.get(f"{TEXT}style-name") or style
        continues = node.get(f"{TEXT}continue-numbering") == "true" or \
            node.get(f"{TEXT}continue-list") is not None
        if level == 0 and not continues:
            self.counters.pop(name, None)
        for item in node:
            if item.tag in (f"{TEXT}list-item", f"{TEXT}list-header"):
                self.walk(item, name, level + 1)
