"""The letter as a Word document (DOCX), with python-docx, from the content office.py
makes of its blocks."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from letterkit.formats.office import (
    FONT,
    FONT_SIZE,
    HEAD_HEIGHT,
    LINE_HEIGHT,
    MARGINS,
    PAGE,
    PARAGRAPH_AFTER,
    ROOM,
    SIGNATURE_INDENT,
    TEXT_WIDTH,
    WINDOW_LEFT,
    WINDOW_TOP,
    Content,
    Image,
    Para,
    Run,
    _image_size,
    _missing,
    reproducible_zip,
)


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
