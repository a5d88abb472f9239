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
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from letterkit.errors import LetterkitError
from letterkit.letter.typography import superscripts, typeset_text

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
