"""The named styles of the DOCX and the ODT, in one table: the PDF's stylesheet (letter.css)
said in a word processor's terms. Spaces in points, indents in millimetres."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from letterkit.formats.office import FONT_SIZE, ROOM

EM = FONT_SIZE   # pt
MM = 72 / 25.4   # pt in a millimetre


@dataclass(frozen=True)
class StyleSpec:
    parent: str | None = None
    before: float | None = None       # pt
    after: float | None = None        # pt
    line: float | None = None         # pt, exactly
    single_line: bool = False         # the line as high as what it holds (an image)
    left: float | None = None         # mm
    first_line: float | None = None   # mm
    align: str | None = None          # justify, left
    keep_with_next: bool = False
    keep_together: bool = False
    hyphenate: bool | None = None
    rule: bool = False                # a rule on the left, as the PDF's questions
    size: float | None = None         # pt
    bold: bool | None = None
    italic: bool | None = None
    signing: bool = False             # set at the signature's indent (one signatory or none)

    def indented(self, indent: float) -> StyleSpec:
        return replace(self, left=indent) if self.signing else self


class Styles(dict[str, StyleSpec]):
    BLOCKS: ClassVar[dict[str, str]] = {"title": "Letter title", "subject": "Letter subject",
              "salutation": "Letter salutation", "body": "Letter body",
              "closing": "Letter closing", "place_date": "Letter date",
              "enclosures": "Letter enclosures"}
    KINDS: ClassVar[dict[str, str]] = {"item": "Letter list item", "quote": "Letter question",
             "heading": "Letter heading"}

    def by_block(self, block: str, kind: str) -> str:
        """The style of a paragraph of a letter's block."""
        if block == "body" and kind in self.KINDS:
            return self.KINDS[kind]
        return self.BLOCKS.get(block, "Letter body")


_KEPT: dict[str, Any] = {"hyphenate": False, "align": "left"}
_LINE: dict[str, Any] = {"after": 0.0, "hyphenate": False, "align": "left"}
_SIGNING: dict[str, Any] = {"after": 0.0, "keep_with_next": True, "signing": True,
                            "hyphenate": False, "align": "left"}

# Paragraph styles, parents first.
PARAGRAPH_STYLES = Styles({
    "Letter title": StyleSpec(after=2 * EM, bold=True, keep_with_next=True, **_KEPT),
    "Letter subject": StyleSpec(after=1.5 * EM, bold=True, keep_with_next=True, align="left"),
    "Letter salutation": StyleSpec(after=EM, keep_with_next=True, **_KEPT),
    "Letter body": StyleSpec(align="justify"),
    "Letter list item": StyleSpec("Letter body", left=8, first_line=-5),
    "Letter heading": StyleSpec("Letter body", bold=True, keep_with_next=True, **_KEPT),
    "Letter question": StyleSpec("Letter body", before=1.1 * EM, after=0.45 * EM, left=4,
                                 italic=True, rule=True, keep_with_next=True,
                                 keep_together=True, **_KEPT),
    "Letter closing": StyleSpec(before=1.5 * EM, after=1.2 * EM, keep_with_next=True,
                                keep_together=True, **_KEPT),
    "Letter signature": StyleSpec(bold=True, **_SIGNING),
    "Room to sign": StyleSpec(line=ROOM * MM, **_SIGNING),
    "Room with signature": StyleSpec(single_line=True, **_SIGNING),
    "Signatory": StyleSpec(**_SIGNING),
    "Signatory role": StyleSpec("Signatory", size=10),
    "Letter date": StyleSpec(before=1.2 * EM, after=0.0, signing=True, **_KEPT),
    "Letter enclosures": StyleSpec(before=2 * EM, after=0.0, size=10, **_KEPT),
    "Letterhead logo": StyleSpec(after=2 * MM, single_line=True, **_KEPT),
    "Letterhead list name": StyleSpec(size=13, bold=True, **_LINE),
    "Letterhead line": StyleSpec(size=9.5, **_LINE),
    "Sender line": StyleSpec(size=9.5, **_LINE),
    "Sender first line": StyleSpec("Sender line", before=4 * MM),
    "Address line": StyleSpec(**_LINE),
    "Head space": StyleSpec(after=0.0, line=10 * MM),
})

# Character styles: a name, a measure reference, a web address is never hyphenated.
TEXT_STYLES = {"No hyphenation": StyleSpec(hyphenate=False)}


# --- In ODF's terms (office_odt.py) ---------------------------------------------------------

def mm(value: float) -> str:
    return f"{round(value, 2):g}mm"


def pt(value: float) -> str:
    return f"{round(value, 2):g}pt"


def odt_paragraph_properties(spec: StyleSpec, indent: str) -> dict[str, str]:
    """A style's paragraph properties as odfpy's ParagraphProperties takes them."""
    para = {key: pt(value) for key, value in (
        ("margintop", spec.before), ("marginbottom", spec.after), ("lineheight", spec.line))
        if value is not None}
    if spec.single_line:
        para["lineheight"] = "100%"
    if spec.left is not None:
        para["marginleft"] = mm(spec.left)
    if spec.signing:
        para["marginleft"] = indent
    if spec.first_line is not None:
        para["textindent"] = mm(spec.first_line)
    if spec.rule:  # the PDF's question: a rule, then 4 mm of padding
        para.update(marginleft="0mm", paddingleft=mm(spec.left or 0),
                    borderleft="0.6pt solid #777777", borderright="none", bordertop="none",
                    borderbottom="none")
    if spec.align:
        para["textalign"] = "justify" if spec.align == "justify" else "start"
    for key, on in (("keepwithnext", spec.keep_with_next),
                    ("keeptogether", spec.keep_together)):
        if on:
            para[key] = "always"
    return para


def odt_text_properties(spec: StyleSpec) -> dict[str, str]:
    """A style's text properties as odfpy's TextProperties takes them."""
    text: dict[str, str] = {}
    if spec.size:
        text["fontsize"] = pt(spec.size)
    if spec.bold is not None:
        text["fontweight"] = "bold" if spec.bold else "normal"
    if spec.italic is not None:
        text["fontstyle"] = "italic" if spec.italic else "normal"
    if spec.hyphenate is False:
        text["hyphenate"] = "false"
    return text
