"""The letter as an editable word-processor document: DOCX (Word) and ODT (LibreOffice).

Both are built from the very blocks the PDF lays out (the typeset Markdown of each block), with
python-docx and odfpy: A4, the PDF's margins, the campaign's font (Charis SIL), the letterhead,
the sender and the recipient placed for the DL window envelope, bold and italics, the sign-off
as the PDF lays it out (the signature line, room to sign by hand above each signatory's name).
Same data and date, same bytes (zip entries are dated with the letter's date). These libraries
are the optional extra `letterkit[office]`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from letterkit.errors import LetterkitError
from letterkit.typography import superscripts, typeset_text

FONT = "Charis SIL"
FONT_SIZE = 11        # pt, as letter.css
MARGINS = (25, 20, 22, 25)  # mm: top, right, bottom, left, as letter.css @page
PAGE = (210, 297)     # A4, mm
TEXT_WIDTH = PAGE[0] - MARGINS[1] - MARGINS[3]   # 165 mm
WINDOW_LEFT, WINDOW_TOP, WINDOW_WIDTH = 110, 50, 85  # DL window envelope, from the sheet's edges
HEAD_HEIGHT = 72      # mm under the top margin: the letter starts below the window
SIGNATURE_INDENT = round(TEXT_WIDTH * 0.55, 1)  # the PDF's signature sits at 55 % of the text
LOGO_BOX = (60, 20)   # mm, max width and height, as letter.css
SIGNATURE_BOX = (60, 23)
ROOM = 25             # mm: room to sign by hand above each signatory's name, as the PDF
PARAGRAPH_AFTER = 0.8 * FONT_SIZE  # pt, the PDF's 0.8em
LINE_HEIGHT = round(1.4 * FONT_SIZE, 1)  # pt, the PDF's line-height: 1.4
EXTRA = "office"


# --- The letter as paragraphs of runs, shared by both formats ------------------------------

@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False


@dataclass
class Para:
    runs: list[Run]
    kind: str = "p"      # p, item (a list item), heading, quote
    label: str = ""      # a list item's « • » or « 3. »

    @property
    def text(self) -> str:
        return self.label + "".join(r.text for r in self.runs)


@dataclass
class Image:
    path: Path
    box: tuple[float, float]   # max width, height in mm


@dataclass
class Content:
    """What the document shows, in order: head, then the letter's blocks."""

    letterhead: list[str]          # list name, website (empty without a letterhead)
    logo: Image | None
    sender: list[str]
    recipient: list[str]           # the association's name and address (empty without one)
    blocks: dict[str, list[Para]]
    signature_image: Image | None
    metadata: dict[str, str]
    date: dt.date
    left_out: list[str] = field(default_factory=list)
    signatories: list[tuple[str, str]] = field(default_factory=list)   # name, role


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def _runs(text: str, bold: bool, italic: bool) -> Iterator[Run]:
    for piece, sup in superscripts(text):
        if piece:
            yield Run(piece, bold, italic, sup)


def paragraphs(markdown: str) -> list[Para]:
    """One block's Markdown as paragraphs of runs (bold, italic, superscript ordinals)."""
    paras: list[Para] = []
    lists: list[list[int]] = []  # a stack of [ordered?, next number]
    kind, label, quoted = "p", "", 0
    for token in _parser().parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            lists.append([token.type == "ordered_list_open", start])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            ordered, number = lists[-1]
            kind, label = "item", f"{number}. " if ordered else "• "
            lists[-1][1] = number + 1
        elif token.type == "heading_open":
            kind = "heading"
        elif token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif token.type in ("fence", "code_block"):
            paras.append(Para([Run(token.content.rstrip("\n"))], "quote" if quoted else kind))
        elif token.type == "inline":
            runs: list[Run] = []
            bold = italic = False
            for child in token.children or []:
                if child.type == "strong_open":
                    bold = True
                elif child.type == "strong_close":
                    bold = False
                elif child.type == "em_open":
                    italic = True
                elif child.type == "em_close":
                    italic = False
                elif child.type in ("text", "code_inline"):
                    runs += _runs(child.content, bold or kind == "heading", italic)
                elif child.type == "softbreak":
                    runs.append(Run(" ", bold, italic))
                elif child.type == "hardbreak":
                    runs.append(Run("\n", bold, italic))
                elif child.type == "image":
                    runs += _runs(child.content, bold, italic)
            para = Para(_merged(runs), "quote" if quoted and kind == "p" else kind, label)
            paras.append(para)
            kind, label = ("item" if lists else "p"), ""
    return paras


def _merged(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].sup) == (
                run.bold, run.italic, run.sup) and "\n" not in run.text + merged[-1].text:
            merged[-1].text += run.text
        else:
            merged.append(run)
    return merged


def _image(root: Path, relative: str | None, box: tuple[float, float], what: str,
           left_out: list[str]) -> Image | None:
    if not relative:
        return None
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        left_out.append(f"the {what} {relative} (not a file inside the campaign folder)")
        return None
    return Image(path, box)


def content(letter: Any, root: Path, metadata: dict[str, str]) -> Content:
    """The document's content from a rendered letter (render.Letter) and its campaign."""
    context = letter.context
    campaign, association = context["campaign"], context["association"]
    left_out: list[str] = []
    letterhead = campaign.get("letterhead")
    head = []
    if letterhead:
        head = [typeset_text(campaign["list_name"])]
        if campaign.get("website"):
            head.append(str(campaign["website"]))
    address = [typeset_text(line) for line in association["address"]]
    return Content(
        letterhead=head,
        logo=_image(root, letterhead and letterhead.get("logo"), LOGO_BOX, "logo", left_out),
        sender=[typeset_text(line) for line in campaign.get("sender") or []],
        recipient=[typeset_text(association["name"]), *address] if address else [],
        blocks={name: paragraphs(text) for name, text in letter.blocks.items() if text},
        signature_image=_image(root, campaign.get("signature_image"), SIGNATURE_BOX,
                               "signature image", left_out),
        signatories=[(typeset_text(s["name"]), typeset_text(s["role"]) if s.get("role") else "")
                     for s in campaign.get("signatories") or []],
        metadata=metadata,
        date=context["date"],
        left_out=left_out,
    )


def _missing(module: str) -> LetterkitError:
    return LetterkitError(
        f"the DOCX and ODT formats need the Python package {module}, which is not installed",
        hint=f"install letterkit with this extra: pip install 'letterkit[{EXTRA}]'")


def reproducible_zip(data: bytes, date: dt.date) -> bytes:
    """The same archive with every entry dated `date`, in the same order and compression,
    so that the same letter gives the same bytes (an ODT's mimetype stays first, stored)."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = info.compress_type
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _image_size(image: Image) -> tuple[float, float]:
    """The image's size in mm, scaled down to fit its box (SVG: its width and height)."""
    if image.path.suffix.lower() == ".svg":
        head = image.path.read_text(encoding="utf-8", errors="replace")[:2000]
        found = [re.search(rf'\b{k}="([\d.]+)(?:px)?"', head) for k in ("width", "height")]
        width, height = image.box
        if found[0] and found[1]:
            width, height = (float(m.group(1)) * 25.4 / 96 for m in (found[0], found[1]))
    else:
        from PIL import Image as Pillow

        with Pillow.open(image.path) as picture:
            dpi = picture.info.get("dpi", (96, 96))
            width = picture.width * 25.4 / (float(dpi[0]) or 96)
            height = picture.height * 25.4 / (float(dpi[1]) or 96)
    scale = min(1.0, image.box[0] / width, image.box[1] / height)
    return round(width * scale, 2), round(height * scale, 2)


# --- DOCX ----------------------------------------------------------------------------------

def docx_bytes(document: Content) -> bytes:
    """The letter as a Word document (python-docx)."""
    try:
        import docx
        from docx.enum.table import WD_ROW_HEIGHT_RULE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt
    except ImportError:
        raise _missing("python-docx") from None

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    top, right, bottom, left = MARGINS
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)

    # The font and the language, for every style (docDefaults) and Normal.
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attribute), FONT)
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            rfonts.attrib.pop(qn(attribute), None)
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "fr-FR")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(FONT_SIZE)
    normal.paragraph_format.space_after = Pt(PARAGRAPH_AFTER)
    normal.paragraph_format.line_spacing = Pt(LINE_HEIGHT)  # exactly, as the PDF's
    settings = doc.settings.element
    tab_stop = settings.find(qn("w:defaultTabStop"))
    if tab_stop is not None and settings.find(qn("w:autoHyphenation")) is None:
        hyphenation = OxmlElement("w:autoHyphenation")
        tab_stop.addnext(hyphenation)

    def add_runs(paragraph: Any, runs: list[Run]) -> None:
        for run in runs:
            if run.text == "\n":
                paragraph.add_run().add_break()
                continue
            added = paragraph.add_run(run.text)
            added.bold = run.bold or None
            added.italic = run.italic or None
            if run.sup:
                added.font.superscript = True

    def add_lines(cell: Any, lines: list[str], size: float | None = None, bold_first: bool = False
                  ) -> Any:
        first = None
        for i, line in enumerate(lines):
            paragraph = cell.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(line)
            if size:
                run.font.size = Pt(size)
            if bold_first and i == 0:
                run.bold = True
                run.font.size = Pt(13)
            first = first or paragraph
        return first

    def add_picture(paragraph: Any, image: Image) -> None:
        if image.path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            document.left_out.append(
                f"the image {image.path.name} (a Word document takes PNG or JPEG images)")
            return
        width, height = _image_size(image)
        paragraph.paragraph_format.line_spacing = 1.0  # an exact line height would clip it
        paragraph.add_run().add_picture(str(image.path), width=Mm(width), height=Mm(height))

    # The head: letterhead and sender on the left, the recipient in the envelope's window.
    if document.letterhead or document.sender or document.recipient:
        table = doc.add_table(rows=1, cols=2)
        table.autofit = False
        row = table.rows[0]
        if document.recipient:
            row.height, row.height_rule = Mm(HEAD_HEIGHT), WD_ROW_HEIGHT_RULE.AT_LEAST
        widths = (WINDOW_LEFT - left, TEXT_WIDTH - (WINDOW_LEFT - left))
        for column, cell, width in zip(table.columns, row.cells, widths, strict=True):
            column.width = cell.width = Mm(width)
        head, window = row.cells
        if document.logo:
            add_picture(head.paragraphs[0], document.logo)
        add_lines(head, document.letterhead[:1], bold_first=True)
        add_lines(head, document.letterhead[1:], size=9.5)
        if document.sender:
            spacer = head.add_paragraph()
            spacer.paragraph_format.space_after = Pt(0)
            add_lines(head, document.sender, size=9.5)
        first = add_lines(window, document.recipient)
        if first is not None:
            first.paragraph_format.space_before = Mm(WINDOW_TOP - top)
        for cell in row.cells:  # the cell's own empty first paragraph, when unused
            if not cell.paragraphs[0].text and not cell.paragraphs[0].runs and \
                    len(cell.paragraphs) > 1:
                cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        doc.add_paragraph().paragraph_format.space_after = Pt(0)

    # The sign-off, as the PDF lays it out: the signature line in bold, then each signatory
    # with room to sign by hand above the name (the scanned signature in the first room); one
    # signatory (or none) on the right half of the page, two or three side by side.
    people = document.signatories or [("", "")]
    indent = Mm(SIGNATURE_INDENT) if len(people) == 1 else None

    def room(paragraph: Any, first: bool) -> None:
        form = paragraph.paragraph_format
        form.space_after = Pt(0)
        form.left_indent = indent
        form.keep_with_next = True
        if first and document.signature_image:
            height = _image_size(document.signature_image)[1]
            form.space_before = Mm(max(0.0, ROOM - height - 1))
            add_picture(paragraph, document.signature_image)
        else:
            form.line_spacing = Mm(ROOM)

    def signatory(paragraph: Any, cell: Any, name: str, role: str) -> None:
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.left_indent = indent
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run(name)
        if role:
            line = cell.add_paragraph()
            line.paragraph_format.space_after = Pt(0)
            line.paragraph_format.left_indent = indent
            line.paragraph_format.keep_with_next = True
            line.add_run(role).font.size = Pt(10)

    def sign_off(paras: list[Para]) -> None:
        line = doc.add_paragraph()
        add_runs(line, paras[0].runs if paras else [])
        for run in line.runs:
            run.bold = True
        line.paragraph_format.left_indent = indent
        line.paragraph_format.space_after = Pt(0)
        line.paragraph_format.keep_with_next = True
        if len(people) == 1:
            room(doc.add_paragraph(), True)
            if people[0][0]:
                signatory(doc.add_paragraph(), doc, *people[0])
            return
        table = doc.add_table(rows=2, cols=len(people))
        table.autofit = False
        for column, (name, role) in enumerate(people):
            for cell in (table.cell(0, column), table.cell(1, column)):
                cell.width = Mm(TEXT_WIDTH / len(people))
            room(table.cell(0, column).paragraphs[0], column == 0)
            signatory(table.cell(1, column).paragraphs[0], table.cell(1, column), name, role)

    for name, paras in document.blocks.items():
        if name == "signature":
            sign_off(paras)
            continue
        for i, para in enumerate(paras):
            paragraph = doc.add_paragraph()
            form = paragraph.paragraph_format
            if para.label:
                paragraph.add_run(para.label)
                form.left_indent, form.first_line_indent = Mm(8), Mm(-5)
            if para.kind == "quote":
                form.left_indent = Mm(8)
            add_runs(paragraph, para.runs)
            if name == "body":
                form.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if name in ("title", "subject"):
                for run in paragraph.runs:
                    run.bold = True
                if i == len(paras) - 1:
                    form.space_after = Pt(2 * FONT_SIZE if name == "title" else 1.5 * FONT_SIZE)
            if name == "closing" and i == 0:
                form.space_before = Pt(1.5 * FONT_SIZE)
            if name == "place_date":
                form.left_indent = indent
                form.space_before = Pt(1.2 * FONT_SIZE)
            if name in ("closing", "place_date"):
                form.keep_with_next = name != "place_date"
                form.keep_together = True

    properties = doc.core_properties
    stamp = dt.datetime.combine(document.date, dt.time(12, 0))
    meta = document.metadata
    properties.title, properties.author = meta["title"], meta["author"]
    properties.subject, properties.keywords = meta["subject"], meta["keywords"]
    properties.language, properties.last_modified_by = "fr-FR", meta["author"]
    properties.created = properties.modified = stamp
    properties.revision = 1
    properties.comments = "letterkit"
    stream = io.BytesIO()
    doc.save(stream)
    return reproducible_zip(stream.getvalue(), document.date)


# --- ODT -----------------------------------------------------------------------------------

def odt_bytes(document: Content) -> bytes:
    """The letter as an OpenDocument text (odfpy)."""
    try:
        from odf import dc, meta, teletype
        from odf.draw import Frame
        from odf.draw import Image as DrawImage
        from odf.opendocument import OpenDocumentText
        from odf.style import (
            FontFace,
            GraphicProperties,
            MasterPage,
            PageLayout,
            PageLayoutProperties,
            ParagraphProperties,
            Style,
            TableCellProperties,
            TableColumnProperties,
            TableProperties,
            TableRowProperties,
            TextProperties,
        )
        from odf.table import Table, TableCell, TableColumn, TableRow
        from odf.text import LineBreak, P, Span
    except ImportError:
        raise _missing("odfpy") from None

    doc = OpenDocumentText()
    top, right, bottom, left = MARGINS
    mm = "{:g}mm".format

    doc.fontfacedecls.addElement(FontFace(name=FONT, fontfamily=f"'{FONT}'",
                                          fontfamilygeneric="roman", fontpitch="variable"))
    layout = PageLayout(name="A4")
    layout.addElement(PageLayoutProperties(
        pagewidth=mm(PAGE[0]), pageheight=mm(PAGE[1]), printorientation="portrait",
        margintop=mm(top), marginright=mm(right), marginbottom=mm(bottom), marginleft=mm(left)))
    doc.automaticstyles.addElement(layout)
    doc.masterstyles.addElement(MasterPage(name="Standard", pagelayoutname=layout))

    def paragraph_style(name: str, parent: str | None = None, text: dict[str, str] | None = None,
                        **para: str) -> Style:
        style = Style(name=name, family="paragraph",
                      **({"parentstylename": parent} if parent else {}))
        if para:
            style.addElement(ParagraphProperties(**para))
        if text:
            style.addElement(TextProperties(**text))
        doc.styles.addElement(style)
        return style

    standard = Style(name="Standard", family="paragraph")
    standard.addElement(ParagraphProperties(marginbottom=f"{PARAGRAPH_AFTER:g}pt",
                                            margintop="0mm", lineheight=f"{LINE_HEIGHT:g}pt"))
    standard.addElement(TextProperties(
        fontname=FONT, fontsize=f"{FONT_SIZE}pt", fontfamily=f"'{FONT}'",
        language="fr", country="FR", hyphenate="true", hyphenationremaincharcount="3",
        hyphenationpushcharcount="3"))
    doc.styles.addElement(standard)
    people = document.signatories or [("", "")]
    # One signatory (or none) signs on the right half of the page, as in the PDF.
    indent = mm(SIGNATURE_INDENT) if len(people) == 1 else "0mm"
    styles = {
        "title": paragraph_style("Letter title", "Standard", {"fontweight": "bold"},
                                 marginbottom=f"{2 * FONT_SIZE}pt"),
        "subject": paragraph_style("Letter subject", "Standard", {"fontweight": "bold"},
                                   marginbottom=f"{1.5 * FONT_SIZE:g}pt"),
        "salutation": paragraph_style("Letter salutation", "Standard"),
        "body": paragraph_style("Letter body", "Standard", textalign="justify"),
        "closing": paragraph_style("Letter closing", "Standard", keepwithnext="always",
                                   margintop=f"{1.5 * FONT_SIZE:g}pt"),
        "signature": paragraph_style("Letter signature", "Standard", {"fontweight": "bold"},
                                     keepwithnext="always", marginbottom="0mm",
                                     marginleft=indent),
        "place_date": paragraph_style("Letter date", "Standard",
                                      margintop=f"{1.2 * FONT_SIZE:g}pt", marginleft=indent),
        "enclosures": paragraph_style("Letter enclosures", "Standard"),
    }
    line = paragraph_style("Address line", "Standard", {"hyphenate": "false"}, marginbottom="0mm")
    small = paragraph_style("Sender line", "Address line", {"fontsize": "9.5pt"})
    list_name = paragraph_style("List name", "Address line",
                                {"fontsize": "13pt", "fontweight": "bold"})
    pictured = paragraph_style("Picture line", "Address line", lineheight="100%")
    empty_room = paragraph_style("Room to sign", "Standard", keepwithnext="always",
                                 lineheight=mm(ROOM), marginbottom="0mm", marginleft=indent)
    name_line = paragraph_style("Signatory", "Standard", keepwithnext="always",
                                marginbottom="0mm", marginleft=indent)
    role_line = paragraph_style("Signatory role", "Signatory", {"fontsize": "10pt"})
    window = paragraph_style("Window first line", "Address line", margintop=mm(WINDOW_TOP - top))
    item = paragraph_style("Letter list item", "Letter body", marginleft="8mm",
                           textindent="-5mm")
    quote = paragraph_style("Letter quote", "Letter body", marginleft="8mm")

    def text_style(name: str, **properties: str) -> Style:
        style = Style(name=name, family="text")
        style.addElement(TextProperties(**properties))
        doc.automaticstyles.addElement(style)
        return style

    run_styles = {
        (True, False, False): text_style("B", fontweight="bold"),
        (False, True, False): text_style("I", fontstyle="italic"),
        (True, True, False): text_style("BI", fontweight="bold", fontstyle="italic"),
    }
    for bold in (False, True):
        for italic in (False, True):
            run_styles[(bold, italic, True)] = text_style(
                f"S{int(bold)}{int(italic)}", textposition="super 58%",
                **({"fontweight": "bold"} if bold else {}),
                **({"fontstyle": "italic"} if italic else {}))

    def add_runs(paragraph: Any, runs: list[Run]) -> None:
        for run in runs:
            if run.text == "\n":
                paragraph.addElement(LineBreak())
            elif (run.bold, run.italic, run.sup) == (False, False, False):
                teletype.addTextToElement(paragraph, run.text)
            else:
                span = Span(stylename=run_styles[(run.bold, run.italic, run.sup)])
                teletype.addTextToElement(span, run.text)
                paragraph.addElement(span)

    picture_style = Style(name="Picture", family="graphic")
    picture_style.addElement(GraphicProperties(
        verticalpos="top", verticalrel="baseline", wrap="none", border="none", padding="0mm"))
    doc.automaticstyles.addElement(picture_style)

    def picture(paragraph: Any, image: Image, name: str) -> None:
        width, height = _image_size(image)
        suffix = image.path.suffix.lower()
        mediatype = {".svg": "image/svg+xml", ".png": "image/png"}.get(suffix, "image/jpeg")
        data = image.path.read_bytes()  # named by its content, for reproducible bytes
        href = doc.addPicture(f"Pictures/{hashlib.sha256(data).hexdigest()[:24]}{suffix}",
                              mediatype, data)
        frame = Frame(stylename=picture_style, width=mm(width), height=mm(height),
                      anchortype="as-char", name=name)
        frame.addElement(DrawImage(href=href))
        paragraph.addElement(frame)

    def table_style(name: str, width: float) -> Style:
        style = Style(name=name, family="table")
        style.addElement(TableProperties(width=mm(width), align="left"))
        doc.automaticstyles.addElement(style)
        return style

    cell_style = Style(name="Cell", family="table-cell")
    cell_style.addElement(TableCellProperties(padding="0mm", border="none", verticalalign="top"))
    doc.automaticstyles.addElement(cell_style)

    if document.letterhead or document.sender or document.recipient:
        widths = (WINDOW_LEFT - left, TEXT_WIDTH - (WINDOW_LEFT - left))
        row_style = Style(name="Head row", family="table-row")
        row_style.addElement(TableRowProperties(
            minrowheight=mm(HEAD_HEIGHT if document.recipient else 0)))
        doc.automaticstyles.addElement(row_style)
        table = Table(name="En-tête", stylename=table_style("Head", TEXT_WIDTH))
        for i, width in enumerate(widths):
            column_style = Style(name=f"Head column {i + 1}", family="table-column")
            column_style.addElement(TableColumnProperties(columnwidth=mm(width)))
            doc.automaticstyles.addElement(column_style)
            table.addElement(TableColumn(stylename=column_style))
        row = TableRow(stylename=row_style)
        head, window_cell = TableCell(stylename=cell_style), TableCell(stylename=cell_style)
        if document.logo:
            paragraph = P(stylename=pictured)
            picture(paragraph, document.logo, "Logo")
            head.addElement(paragraph)
        for i, text in enumerate(document.letterhead):
            paragraph = P(stylename=list_name if i == 0 else small)
            teletype.addTextToElement(paragraph, text)
            head.addElement(paragraph)
        if document.sender:
            head.addElement(P(stylename=small))
        for text in document.sender:
            paragraph = P(stylename=small)
            teletype.addTextToElement(paragraph, text)
            head.addElement(paragraph)
        for i, text in enumerate(document.recipient):
            paragraph = P(stylename=window if i == 0 else line)
            teletype.addTextToElement(paragraph, text)
            window_cell.addElement(paragraph)
        for cell in (head, window_cell):
            if not cell.childNodes:
                cell.addElement(P(stylename=line))
            row.addElement(cell)
        table.addElement(row)
        doc.text.addElement(table)
        doc.text.addElement(P(stylename=line))

    def room(first: bool) -> Any:
        if not (first and document.signature_image):
            return P(stylename=empty_room)
        height = _image_size(document.signature_image)[1]
        holder = P(stylename=paragraph_style(
            "Room with signature", "Room to sign", lineheight="100%",
            margintop=mm(round(max(0.0, ROOM - height - 1), 2))))
        picture(holder, document.signature_image, "Signature")
        return holder

    def signatory(holder: Any, name: str, role: str) -> None:
        for text, style in ((name, name_line), (role, role_line)):
            if text:
                paragraph = P(stylename=style)
                teletype.addTextToElement(paragraph, text)
                holder.addElement(paragraph)

    def sign_off(paras: list[Para]) -> None:
        line = P(stylename=styles["signature"])
        add_runs(line, [Run(r.text, False, r.italic, r.sup) for r in (paras[0].runs if paras
                                                                       else [])])
        doc.text.addElement(line)
        if len(people) == 1:
            doc.text.addElement(room(True))
            signatory(doc.text, *people[0])
            return
        table = Table(name="Signataires", stylename=table_style("Signatories", TEXT_WIDTH))
        column_style = Style(name="Signatory column", family="table-column")
        column_style.addElement(TableColumnProperties(columnwidth=mm(TEXT_WIDTH / len(people))))
        doc.automaticstyles.addElement(column_style)
        table.addElement(TableColumn(stylename=column_style, numbercolumnsrepeated=len(people)))
        rooms, names = TableRow(), TableRow()
        for column, (name, role) in enumerate(people):
            cell = TableCell(stylename=cell_style)
            cell.addElement(room(column == 0))
            rooms.addElement(cell)
            cell = TableCell(stylename=cell_style)
            signatory(cell, name, role)
            if not cell.childNodes:
                cell.addElement(P(stylename=name_line))
            names.addElement(cell)
        table.addElement(rooms)
        table.addElement(names)
        doc.text.addElement(table)

    for name, paras in document.blocks.items():
        if name == "signature":
            sign_off(paras)
            continue
        for para in paras:
            style = styles[name]
            if name == "body" and para.kind == "item":
                style = item
            elif name == "body" and para.kind == "quote":
                style = quote
            paragraph = P(stylename=style)
            if para.label:
                teletype.addTextToElement(paragraph, para.label)
            runs = para.runs
            if name in ("title", "subject"):
                runs = [Run(r.text, False, r.italic, r.sup) for r in runs]  # bold by style
            add_runs(paragraph, runs)
            doc.text.addElement(paragraph)

    data = document.metadata
    stamp = dt.datetime.combine(document.date, dt.time(12, 0)).isoformat()
    doc.meta.addElement(dc.Title(text=data["title"]))
    doc.meta.addElement(dc.Subject(text=data["subject"]))
    doc.meta.addElement(dc.Creator(text=data["author"]))
    doc.meta.addElement(meta.InitialCreator(text=data["author"]))
    doc.meta.addElement(dc.Language(text="fr-FR"))
    doc.meta.addElement(meta.CreationDate(text=stamp))
    doc.meta.addElement(dc.Date(text=stamp))
    for keyword in filter(None, data["keywords"].split(", ")):
        doc.meta.addElement(meta.Keyword(text=keyword))
    stream = io.BytesIO()
    doc.write(stream)
    return reproducible_zip(stream.getvalue(), document.date)
