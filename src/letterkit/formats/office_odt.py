"""The letter as an OpenDocument text (ODT), with odfpy, from the content office.py makes
of its blocks."""

from __future__ import annotations

import datetime as dt
import hashlib
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
    _declare_every_namespace()
    doc.write(stream)
    return reproducible_zip(stream.getvalue(), document.date)


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
