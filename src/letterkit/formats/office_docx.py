"""The letter as a Word document (DOCX), with python-docx, from the content office.py
makes of its blocks: named paragraph and character styles (« Letter body », « Letter
signature », « No hyphenation »…), the PDF's page-break rules as keep-with-next and
keep-together, and Charis SIL embedded (obfuscated .odttf fonts, ECMA-376 Part 1 §17.8.1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Sequence
from typing import Any

from letterkit.formats.office import (
    FONT,
    FONT_SIZE,
    HEAD_HEIGHT,
    LINE_HEIGHT,
    MARGINS,
    PAGE,
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
    embedded_fonts,
    reproducible_zip,
    short_properties,
    sign_off_kept,
)
from letterkit.formats.office_styles import PARAGRAPH_STYLES, TEXT_STYLES, StyleSpec
from letterkit.i18n import _


def docx_bytes(document: Content) -> bytes:
    """The letter as a Word document (python-docx)."""
    try:
        import docx
    except ImportError:
        raise _missing("python-docx") from None
    doc = docx.Document()
    _page(doc)
    _styles(doc, document)
    writer = _Writer(doc, document)
    writer.head()
    sign_off_kept(document.blocks)
    for name, paras in document.blocks.items():
        writer.block(name, paras)
    _properties(doc, document)
    stream = io.BytesIO()
    doc.save(stream)
    return reproducible_zip(_packaged(stream.getvalue(), writer.styles_used), document.date)


def _page(doc: Any) -> None:
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    top, right, bottom, left = MARGINS
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)


def _styles(doc: Any, document: Content) -> None:
    """The font and the language for every style, then the letter's named styles
    (office_styles.py), as the ODT has them."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn

    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attribute), FONT)
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            rfonts.attrib.pop(qn(attribute), None)
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "fr-FR")
    normal = doc.styles["Normal"]
    _paragraph_format(normal, StyleSpec(after=0.8 * FONT_SIZE, line=LINE_HEIGHT))
    normal.font.name, normal.font.size = FONT, _pt(FONT_SIZE)
    normal.paragraph_format.widow_control = True  # two lines at least, each side of a break
    # Not hyphenated: Word and LibreOffice (before 24.8) cannot keep a page from ending on a
    # hyphenated word, as the PDF does; the « No hyphenation » style still marks the words
    # the PDF keeps whole, for a team that turns hyphenation on.
    indent = SIGNATURE_INDENT if len(document.signatories) <= 1 else 0.0
    for name, spec in PARAGRAPH_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[spec.parent or "Normal"]
        style.quick_style = True
        _paragraph_format(style, spec.indented(indent))
        _font(style, spec)
    for name, spec in TEXT_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.quick_style = True
        _font(style, spec)


def _pt(points: float) -> Any:
    from docx.shared import Pt

    return Pt(points)


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _paragraph_format(style: Any, spec: StyleSpec) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm

    form = style.paragraph_format
    for attribute, value in (("space_before", spec.before), ("space_after", spec.after)):
        if value is not None:
            setattr(form, attribute, _pt(value))
    if spec.line is not None:
        form.line_spacing, form.line_spacing_rule = _pt(spec.line), WD_LINE_SPACING.EXACTLY
    if spec.single_line:
        form.line_spacing = 1.0
    if spec.left is not None:
        form.left_indent = Mm(spec.left)
    if spec.first_line is not None:
        form.first_line_indent = Mm(spec.first_line)
    if spec.align:
        form.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if spec.align == "justify" \
            else WD_ALIGN_PARAGRAPH.LEFT
    form.keep_with_next = spec.keep_with_next or None
    form.keep_together = spec.keep_together or None
    properties = style.element.get_or_add_pPr()
    if spec.hyphenate is False:
        properties.append(_element("w:suppressAutoHyphens"))
    if spec.rule:
        borders = _element("w:pBdr")
        borders.append(_element("w:left", val="single", sz="5", space="11", color="777777"))
        properties.append(borders)


def _font(style: Any, spec: StyleSpec) -> None:
    font = style.font
    if spec.size:
        font.size = _pt(spec.size)
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.italic is not None:
        font.italic = spec.italic
    if spec.hyphenate is False and style.type == 2:  # a character style: no language, so
        font.element.get_or_add_rPr().append(_element("w:lang", val="zxx"))  # no hyphens


class _Writer:
    """Adds the letter's paragraphs to the document, each in its named style."""

    def __init__(self, doc: Any, document: Content) -> None:
        self.doc, self.document = doc, document
        self.people = document.signatories or [("", "")]
        self.styles_used: set[tuple[bool, bool]] = {(False, False), (True, False)}

    def paragraph(self, holder: Any, style: str, runs: Sequence[Run] = (), text: str = ""
                  ) -> Any:
        paragraph = holder.add_paragraph(style=style)
        if text:
            runs = [Run(text, keep=True)]
        for run in runs:
            self.run(paragraph, run, style)
        return paragraph

    def run(self, paragraph: Any, run: Run, style: str) -> None:
        if run.text == "\n":
            paragraph.add_run().add_break()
            return
        added = paragraph.add_run(run.text, style="No hyphenation" if run.keep else None)
        spec = PARAGRAPH_STYLES.get(style, StyleSpec())
        bold, italic = run.bold or bool(spec.bold), run.italic or bool(spec.italic)
        if style == "Letter question" and run.bold:
            italic = added.italic = False  # « 3. » in roman, as the PDF sets it
        added.bold = run.bold or None
        if run.italic and not spec.italic:
            added.italic = True
        if run.sup:
            added.font.superscript = True
        self.styles_used.add((bold, italic))

    def picture(self, paragraph: Any, image: Image) -> None:
        from docx.shared import Mm

        if image.path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            self.document.left_out.append(
                _("the image {name} (a Word document takes PNG or JPEG images)").format(
                    name=image.path.name))
            return
        width, height = _image_size(image)
        paragraph.add_run().add_picture(str(image.path), width=Mm(width), height=Mm(height))

    def table(self, rows: int, widths: list[float]) -> Any:
        """A borderless table whose cells' text sits on the page's margins (no cell margins,
        no indent), its rows never split across pages."""
        from docx.shared import Mm

        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.autofit = False
        properties = table._tbl.tblPr
        margins = _element("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            margins.append(_element(f"w:{side}", w="0", type="dxa"))
        properties.append(_element("w:tblInd", w="0", type="dxa"))
        properties.append(margins)
        for row in table.rows:
            row._tr.get_or_add_trPr().append(_element("w:cantSplit"))
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        return table

    def head(self) -> None:
        """Letterhead and sender on the left, the recipient in the envelope's window."""
        from docx.enum.table import WD_ROW_HEIGHT_RULE
        from docx.shared import Mm

        document = self.document
        if not (document.letterhead or document.sender or document.recipient):
            return
        left = MARGINS[3]
        table = self.table(1, [WINDOW_LEFT - left, TEXT_WIDTH - (WINDOW_LEFT - left)])
        row = table.rows[0]
        if document.recipient:
            row.height, row.height_rule = Mm(HEAD_HEIGHT), WD_ROW_HEIGHT_RULE.AT_LEAST
        head, window = row.cells
        if document.logo:
            self.picture(self.paragraph(head, "Letterhead logo"), document.logo)
        for i, line in enumerate(document.letterhead):
            self.paragraph(head, "Letterhead list name" if i == 0 else "Letterhead line",
                           text=line)
        for i, line in enumerate(document.sender):
            self.paragraph(head, "Sender first line" if i == 0 else "Sender line", text=line)
        for i, line in enumerate(document.recipient):
            first = self.paragraph(window, "Address line", text=line)
            if i == 0:
                first.paragraph_format.space_before = Mm(WINDOW_TOP - MARGINS[0])
        for cell in row.cells:  # the cell's own empty first paragraph, when unused
            if not cell.paragraphs[0].runs and len(cell.paragraphs) > 1:
                cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        self.paragraph(self.doc, "Head space")

    def block(self, name: str, paras: list[Para]) -> None:
        if name == "signature":
            self.sign_off(paras)
            return
        for para in paras:
            style = PARAGRAPH_STYLES.by_block(name, para.kind)
            paragraph = self.paragraph(self.doc, style)
            if para.label:
                paragraph.add_run(para.label)
            for run in para.runs:
                self.run(paragraph, run, style)
            if para.keep_with_next:
                paragraph.paragraph_format.keep_with_next = True

    def sign_off(self, paras: list[Para]) -> None:
        """The signature line in bold, then each signatory with room to sign by hand above the
        name (the scanned signature in the first room); one signatory (or none) on the right
        half of the page, two or three side by side."""
        self.paragraph(self.doc, "Letter signature", paras[0].runs if paras else [])
        if len(self.people) == 1:
            self.room(self.doc, True)
            self.signatory(self.doc, *self.people[0])
            return
        table = self.table(2, [TEXT_WIDTH / len(self.people)] * len(self.people))
        for column, (name, role) in enumerate(self.people):
            rooms, names = table.cell(0, column), table.cell(1, column)
            rooms._element.remove(rooms.paragraphs[0]._element)
            names._element.remove(names.paragraphs[0]._element)
            self.room(rooms, column == 0)
            self.signatory(names, name, role)

    def room(self, holder: Any, first: bool) -> None:
        image = self.document.signature_image
        if not (first and image):
            self.paragraph(holder, "Room to sign")
            return
        paragraph = self.paragraph(holder, "Room with signature")
        paragraph.paragraph_format.space_before = _pt(
            max(0.0, ROOM - _image_size(image)[1] - 1) * 72 / 25.4)
        self.picture(paragraph, image)

    def signatory(self, holder: Any, name: str, role: str) -> None:
        if name or not role:
            self.paragraph(holder, "Signatory", text=name)
        if role:
            self.paragraph(holder, "Signatory role", text=role)


def _properties(doc: Any, document: Content) -> None:
    """The PDF's title, author, subject and keywords, shortened to the 255 characters a core
    property holds."""
    properties = doc.core_properties
    meta = short_properties(document.metadata)
    stamp = dt.datetime.combine(document.date, dt.time(12, 0))
    properties.title, properties.author = meta["title"], meta["author"]
    properties.subject, properties.keywords = meta["subject"], meta["keywords"]
    properties.language, properties.last_modified_by = "fr-FR", meta["author"]
    properties.created = properties.modified = stamp
    properties.revision = 1
    properties.comments = "letterkit"


# --- The package: fonts embedded, no blank thumbnail ---------------------------------------

FONT_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
EMBED = {(False, False): "embedRegular", (True, False): "embedBold",
         (False, True): "embedItalic", (True, True): "embedBoldItalic"}


def obfuscated(font: bytes, key: str) -> bytes:
    """A font as Word embeds it (ECMA-376 Part 1, §17.8.1): its first 32 bytes XORed with the
    bytes of its key GUID, read from the GUID's end."""
    digits = key.strip("{}").replace("-", "")
    key_bytes = bytes.fromhex(digits)[::-1]
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def _packaged(data: bytes, styles: set[tuple[bool, bool]]) -> bytes:
    """The saved document with Charis SIL's styles the letter uses embedded (word/fonts), and
    without python-docx's blank preview thumbnail."""
    fonts = embedded_fonts(styles)
    entries, relations = [], []
    for number, (style, font) in enumerate(sorted(fonts.items()), 1):
        key = "{" + str(uuid.UUID(hashlib.sha256(font).hexdigest()[:32])).upper() + "}"
        entries.append(f'<w:{EMBED[style]} r:id="rIdFont{number}" w:fontKey="{key}"/>')
        relations.append((f"rIdFont{number}", f"fonts/font{number}.odttf",
                          obfuscated(font, key)))
    declaration = (f'<w:font w:name="{FONT}"><w:charset w:val="00"/><w:family w:val="roman"/>'
                   f'<w:pitch w:val="variable"/>{"".join(entries)}</w:font>')
    rels = "".join(f'<Relationship Id="{rid}" Type="{FONT_RELATION}" Target="{target}"/>'
                   for rid, target, _ in relations)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            target.writestr(info.filename, _edited(info.filename, source.read(info.filename),
                                                   declaration))
        target.writestr("word/_rels/fontTable.xml.rels",
                        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships'
                        ' xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f"{rels}</Relationships>")
        for _, name, font in relations:
            target.writestr(f"word/{name}", font)
    return out.getvalue()


def _edited(name: str, data: bytes, declaration: str) -> bytes:
    if not name.endswith((".xml", ".rels")):
        return data
    text = data.decode("utf-8")
    if name == "word/fontTable.xml":
        text = text.replace("</w:fonts>", declaration + "</w:fonts>")
    elif name == "word/settings.xml":
        text = text.replace("<w:savePreviewPicture/>", "")
        text = re.sub(r"(<w:zoom [^>]*/>)", r"\1<w:embedTrueTypeFonts/><w:saveSubsetFonts/>",
                      text, count=1)
    elif name == "[Content_Types].xml":
        text = text.replace('<Default Extension="jpeg" ContentType="image/jpeg"/>',
                            '<Default Extension="jpeg" ContentType="image/jpeg"/>'
                            f'<Default Extension="odttf" ContentType="{FONT_TYPE}"/>')
    elif name == "_rels/.rels":
        text = re.sub(r'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>', "", text)
    else:
        return data
    return text.encode("utf-8")
