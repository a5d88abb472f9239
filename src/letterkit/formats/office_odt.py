"""The letter as an OpenDocument text (ODT), with odfpy, from the content office.py makes
of its blocks: the named styles of office_styles.py, the PDF's page-break rules as
fo:keep-with-next, fo:keep-together and unsplittable tables, and Charis SIL embedded in the
package (Fonts/, with font-face declarations as LibreOffice writes them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from typing import Any

from letterkit.formats.office import (
    FONT,
    FONT_FILES,
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
from letterkit.formats.office_styles import (
    PARAGRAPH_STYLES,
    TEXT_STYLES,
    StyleSpec,
    mm,
    odt_paragraph_properties,
    odt_text_properties,
    pt,
)


def odt_bytes(document: Content) -> bytes:
    """The letter as an OpenDocument text (odfpy)."""
    try:
        from odf.opendocument import OpenDocumentText
    except ImportError:
        raise _missing("odfpy") from None
    doc = OpenDocumentText()
    _page(doc)
    writer = _Writer(doc, document)
    writer.head()
    sign_off_kept(document.blocks)
    for name, paras in document.blocks.items():
        writer.block(name, paras)
    _fonts(doc, writer.styles_used)
    _meta(doc, document)
    stream = io.BytesIO()
    _declare_every_namespace()
    doc.write(stream)
    return reproducible_zip(stream.getvalue(), document.date)


def _page(doc: Any) -> None:
    from odf.config import ConfigItem, ConfigItemSet
    from odf.style import MasterPage, PageLayout, PageLayoutProperties

    top, right, bottom, left = MARGINS
    layout = PageLayout(name="A4")
    layout.addElement(PageLayoutProperties(
        pagewidth=mm(PAGE[0]), pageheight=mm(PAGE[1]), printorientation="portrait",
        margintop=mm(top), marginright=mm(right), marginbottom=mm(bottom), marginleft=mm(left)))
    doc.automaticstyles.addElement(layout)
    doc.masterstyles.addElement(MasterPage(name="Standard", pagelayoutname=layout))
    settings = ConfigItemSet(name="ooo:configuration-settings")
    for name in ("EmbedFonts", "EmbedOnlyUsedFonts"):
        item = ConfigItem(name=name, type="boolean")
        item.addText("true" if name == "EmbedFonts" else "false")
        settings.addElement(item)
    doc.settings.addElement(settings)


def _fonts(doc: Any, styles: set[tuple[bool, bool]]) -> None:
    """Charis SIL declared, and its files embedded in Fonts/ as LibreOffice embeds fonts (a
    svg:font-face-uri for each), so that it sets the letter where the font is not installed."""
    from odf.style import FontFace
    from odf.svg import FontFaceFormat, FontFaceSrc, FontFaceUri

    face = FontFace(name=FONT, fontfamily=f"'{FONT}'", fontfamilygeneric="roman",
                    fontpitch="variable")
    source = FontFaceSrc()
    for style, data in embedded_fonts(styles).items():
        href = doc.addPicture(f"Fonts/{FONT_FILES[style]}", "application/x-font-ttf", data)
        uri = FontFaceUri(href=href, type="simple")
        uri.addElement(FontFaceFormat(string="truetype"))
        source.addElement(uri)
    face.addElement(source)
    doc.fontfacedecls.addElement(face)


def _paragraph_style(name: str, spec: StyleSpec, indent: str) -> Any:
    from odf.style import ParagraphProperties, Style, TextProperties

    style = Style(name=name, family="paragraph", parentstylename=spec.parent or "Standard",
                  displayname=name)
    para = odt_paragraph_properties(spec, indent)
    if para:
        style.addElement(ParagraphProperties(**para))
    text = odt_text_properties(spec)
    if text:
        style.addElement(TextProperties(**text))
    return style


class _Writer:
    """Adds the letter's paragraphs to the document, each in its named style."""

    def __init__(self, doc: Any, document: Content) -> None:
        self.doc, self.document = doc, document
        self.people = document.signatories or [("", "")]
        self.styles_used: set[tuple[bool, bool]] = {(False, False), (True, False)}
        indent = mm(SIGNATURE_INDENT) if len(self.people) == 1 else "0mm"
        self.styles = {name: _paragraph_style(name, spec, indent)
                       for name, spec in PARAGRAPH_STYLES.items()}
        self._standard()
        for style in self.styles.values():
            doc.styles.addElement(style)
        self.runs: dict[tuple[bool, bool, bool, bool, bool], Any] = {}
        self.cell = self._automatic("table-cell", "Cell", padding="0mm", border="none",
                                    verticalalign="top")

    def _standard(self) -> None:
        from odf.style import ParagraphProperties, Style, TextProperties

        standard = Style(name="Standard", family="paragraph")
        standard.addElement(ParagraphProperties(
            marginbottom=pt(0.8 * FONT_SIZE), margintop="0mm", lineheight=pt(LINE_HEIGHT),
            orphans="2", widows="2"))
        standard.addElement(TextProperties(
            fontname=FONT, fontsize=pt(FONT_SIZE), fontfamily=f"'{FONT}'",
            language="fr", country="FR", hyphenate="false"))  # as the DOCX (office_docx.py)
        self.doc.styles.addElement(standard)
        for name, spec in TEXT_STYLES.items():
            style = Style(name=name, displayname=name, family="text")
            style.addElement(TextProperties(language="zxx", country="none",
                                            **odt_text_properties(spec)))
            self.doc.styles.addElement(style)

    def _automatic(self, family: str, name: str, **properties: str) -> Any:
        from odf import style as odf_style

        kind = {"table-cell": odf_style.TableCellProperties,
                "table": odf_style.TableProperties,
                "table-column": odf_style.TableColumnProperties,
                "table-row": odf_style.TableRowProperties,
                "graphic": odf_style.GraphicProperties,
                "text": odf_style.TextProperties}[family]
        style = odf_style.Style(name=name, family=family,
                                **({"parentstylename": "No hyphenation"}
                                   if family == "text" and name.endswith("K") else {}))
        style.addElement(kind(**properties))
        self.doc.automaticstyles.addElement(style)
        return style

    def paragraph(self, holder: Any, style: str, runs: Sequence[Run] = (), text: str = ""
                  ) -> Any:
        from odf.text import P

        paragraph = P(stylename=self.styles[style])
        for run in [Run(text, keep=True)] if text else runs:
            self.run(paragraph, run, style)
        holder.addElement(paragraph)
        return paragraph

    def run(self, paragraph: Any, run: Run, style: str) -> None:
        from odf import teletype
        from odf.text import LineBreak, Span

        spec = PARAGRAPH_STYLES.get(style, StyleSpec())
        bold, italic = run.bold or bool(spec.bold), run.italic or bool(spec.italic)
        if style == "Letter question" and run.bold:
            italic = False   # « 3. » in roman, as the PDF sets it
        self.styles_used.add((bold, italic))
        if run.text == "\n":
            paragraph.addElement(LineBreak())
            return
        key = (run.bold and not spec.bold, italic != bool(spec.italic), run.sup, run.keep,
               italic)
        if key[:4] == (False, False, False, False):
            teletype.addTextToElement(paragraph, run.text)
            return
        span = Span(stylename=self.run_style(key))
        teletype.addTextToElement(span, run.text)
        paragraph.addElement(span)

    def run_style(self, key: tuple[bool, bool, bool, bool, bool]) -> Any:
        bold, restyled, sup, keep, italic = key
        if key not in self.runs:
            name = "T" + "".join(str(int(k)) for k in key) + ("K" if keep else "")
            properties = {"fontweight": "bold"} if bold else {}
            if restyled:
                properties["fontstyle"] = "italic" if italic else "normal"
            if sup:
                properties["textposition"] = "super 58%"
            self.runs[key] = self._automatic("text", name, **properties)
        return self.runs[key]

    def picture(self, paragraph: Any, image: Image, name: str) -> None:
        from odf.draw import Frame
        from odf.draw import Image as DrawImage

        if not hasattr(self, "graphic"):
            self.graphic = self._automatic("graphic", "Picture", verticalpos="top",
                                           verticalrel="baseline", wrap="none", border="none",
                                           padding="0mm")
        width, height = _image_size(image)
        suffix = image.path.suffix.lower()
        mediatype = {".svg": "image/svg+xml", ".png": "image/png"}.get(suffix, "image/jpeg")
        data = image.path.read_bytes()  # named by its content, for reproducible bytes
        href = self.doc.addPicture(
            f"Pictures/{hashlib.sha256(data).hexdigest()[:24]}{suffix}", mediatype, data)
        frame = Frame(stylename=self.graphic, width=mm(width), height=mm(height),
                      anchortype="as-char", name=name)
        frame.addElement(DrawImage(href=href))
        paragraph.addElement(frame)

    def table(self, name: str, widths: list[float], rows: int, height: float = 0) -> Any:
        """A table whose text sits on the margins, never split across pages, kept with what
        follows it."""
        from odf.table import Table, TableColumn, TableRow

        table = Table(name=name, stylename=self._automatic(
            "table", name, width=mm(TEXT_WIDTH), align="left", keepwithnext="always",
            maybreakbetweenrows="false"))
        for i, width in enumerate(widths):
            table.addElement(TableColumn(stylename=self._automatic(
                "table-column", f"{name}.{i + 1}", columnwidth=mm(width))))
        row_style = self._automatic("table-row", f"{name} row", keeptogether="always",
                                    minrowheight=mm(height))
        for _ in range(rows):
            table.addElement(TableRow(stylename=row_style))
        self.doc.text.addElement(table)
        return table

    def cells(self, table: Any, row: int, count: int) -> list[Any]:
        from odf.table import TableCell, TableRow

        holder = table.getElementsByType(TableRow)[row]
        cells = [TableCell(stylename=self.cell) for _ in range(count)]
        for cell in cells:
            holder.addElement(cell)
        return cells

    def head(self) -> None:
        """Letterhead and sender on the left, the recipient in the envelope's window."""
        from odf.text import P

        document = self.document
        if not (document.letterhead or document.sender or document.recipient):
            return
        left = MARGINS[3]
        table = self.table("En-tête", [WINDOW_LEFT - left, TEXT_WIDTH - (WINDOW_LEFT - left)],
                           1, HEAD_HEIGHT if document.recipient else 0)
        head, window = self.cells(table, 0, 2)
        if document.logo:
            self.picture(self.paragraph(head, "Letterhead logo"), document.logo, "Logo")
        for i, line in enumerate(document.letterhead):
            self.paragraph(head, "Letterhead list name" if i == 0 else "Letterhead line",
                           text=line)
        for i, line in enumerate(document.sender):
            self.paragraph(head, "Sender first line" if i == 0 else "Sender line", text=line)
        for i, line in enumerate(document.recipient):
            paragraph = self.paragraph(window, "Address line", text=line)
            if i == 0:
                paragraph.setAttribute("stylename", self.window_style())
        for cell in (head, window):
            if not cell.childNodes:
                cell.addElement(P(stylename=self.styles["Address line"]))
        self.paragraph(self.doc.text, "Head space")

    def window_style(self) -> Any:
        from odf.style import ParagraphProperties, Style

        style = Style(name="Window first line", family="paragraph",
                      parentstylename=self.styles["Address line"])
        style.addElement(ParagraphProperties(margintop=mm(WINDOW_TOP - MARGINS[0])))
        self.doc.automaticstyles.addElement(style)
        return style

    def block(self, name: str, paras: list[Para]) -> None:
        from odf import teletype

        if name == "signature":
            self.sign_off(paras)
            return
        for para in paras:
            style = PARAGRAPH_STYLES.by_block(name, para.kind)
            paragraph = self.paragraph(self.doc.text, style)
            if para.label:
                teletype.addTextToElement(paragraph, para.label)
            for run in para.runs:
                self.run(paragraph, run, style)
            if para.keep_with_next:
                paragraph.setAttribute("stylename", self.kept(style))

    def kept(self, style: str) -> Any:
        """`style`, kept with the next paragraph (an automatic style)."""
        from odf.style import ParagraphProperties, Style

        name = f"{style} kept"
        if name not in self.styles:
            self.styles[name] = Style(name=name, family="paragraph",
                                      parentstylename=self.styles[style])
            self.styles[name].addElement(ParagraphProperties(keepwithnext="always"))
            self.doc.automaticstyles.addElement(self.styles[name])
        return self.styles[name]

    def sign_off(self, paras: list[Para]) -> None:
        """The signature line in bold, then each signatory with room to sign by hand above the
        name (the scanned signature in the first room); one signatory (or none) on the right
        half of the page, two or three side by side."""
        self.paragraph(self.doc.text, "Letter signature", paras[0].runs if paras else [])
        if len(self.people) == 1:
            self.room(self.doc.text, True)
            self.signatory(self.doc.text, *self.people[0])
            return
        count = len(self.people)
        table = self.table("Signataires", [TEXT_WIDTH / count] * count, 2)
        for column, cell in enumerate(self.cells(table, 0, count)):
            self.room(cell, column == 0)
        for cell, (name, role) in zip(self.cells(table, 1, count), self.people, strict=True):
            self.signatory(cell, name, role)

    def room(self, holder: Any, first: bool) -> None:
        from odf.style import ParagraphProperties, Style

        image = self.document.signature_image
        if not (first and image):
            self.paragraph(holder, "Room to sign")
            return
        paragraph = self.paragraph(holder, "Room with signature")
        style = Style(name="Room above the signature", family="paragraph",
                      parentstylename=self.styles["Room with signature"])
        style.addElement(ParagraphProperties(
            margintop=mm(max(0.0, ROOM - _image_size(image)[1] - 1))))
        self.doc.automaticstyles.addElement(style)
        paragraph.setAttribute("stylename", style)
        self.picture(paragraph, image, "Signature")

    def signatory(self, holder: Any, name: str, role: str) -> None:
        if name or not role:
            self.paragraph(holder, "Signatory", text=name)
        if role:
            self.paragraph(holder, "Signatory role", text=role)


def _meta(doc: Any, document: Content) -> None:
    from odf import dc, meta

    data = short_properties(document.metadata)
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


def _declare_every_namespace() -> None:
    """odfpy declares on each XML file's root the namespaces its elements met so far in this
    process (one dict shared by every element), in the order it met them, and adds while it
    writes those of the attributes it writes: the same letter's bytes would depend on what was
    made before it in the process. So every namespace odfpy knows is declared, ordered by
    prefix, before it writes (as LibreOffice does, unused ones included)."""
    from odf.element import Element
    from odf.namespaces import nsdict

    known: dict[str, str] = Element.namespaces
    every = sorted({**known, **nsdict}.items(), key=lambda item: (item[1], item[0]))
    known.clear()
    known.update(every)
