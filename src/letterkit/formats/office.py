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
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from letterkit.errors import LetterkitError
from letterkit.i18n import _
from letterkit.letter.blockhtml import (
    keep_pattern,
    last_words_together,
    proper_names,
    same_name,
    whole_names,
)
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
    keep: bool = False   # never hyphenated (a name, a measure reference, a web address)


@dataclass
class Para:
    runs: list[Run]
    kind: str = "p"      # p, item (a list item), heading, quote
    label: str = ""      # a list item's « • » or « 3. »
    keep_with_next: bool = False  # on the next one's page (the sign-off's last body lines)

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


@dataclass(frozen=True)
class Guards:
    """What the PDF keeps whole, in a word processor's terms: the words `keep` matches are set
    in the « No hyphenation » character style, their hyphens as no-break hyphens (U+2011,
    but a web address keeps its own); those of `whole` also get no-break spaces."""

    keep: re.Pattern[str] | None = None
    whole: frozenset[str] = frozenset()

    def pieces(self, text: str) -> Iterator[tuple[str, bool]]:
        position = 0
        for match in self.keep.finditer(text) if self.keep else ():
            yield text[position:match.start()], False
            yield self._kept(match.group(0)), True
            position = match.end()
        yield text[position:], False

    def text(self, line: str) -> str:
        """A line (a name, an address) with its kept words' no-break characters."""
        return "".join(piece for piece, _kept in self.pieces(line))

    def _kept(self, word: str) -> str:
        if not URL.fullmatch(word):
            word = word.replace("-", NB_HYPHEN)
        if same_name(word.replace(NB_HYPHEN, "-")) in self.whole:
            word = re.sub(r"[ \t\n]", NB_SPACE, word)
        return word


NB_HYPHEN, NB_SPACE = "\u2011", "\u00a0"
URL = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def _runs(text: str, style: tuple[bool, bool], guards: Guards) -> Iterator[Run]:
    for piece, keep in guards.pieces(text):
        for part, sup in superscripts(piece):
            if part:
                yield Run(part, *style, sup=sup, keep=keep)


class _Reader:
    """Markdown tokens to paragraphs: the lists, quotes and headings they are in."""

    def __init__(self, guards: Guards) -> None:
        self.guards = guards
        self.paras: list[Para] = []
        self.lists: list[list[int]] = []  # a stack of [ordered?, next number]
        self.kind, self.label, self.quoted = "p", "", 0

    def block(self, token: Any) -> None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            ordered, number = self.lists[-1]
            self.kind, self.label = "item", f"{number}. " if ordered else "• "
            self.lists[-1][1] = number + 1
        elif kind == "heading_open":
            self.kind = "heading"
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quoted += 1 if kind == "blockquote_open" else -1
        elif kind in ("fence", "code_block"):
            self.paras.append(Para([Run(token.content.rstrip("\n"))],
                                   "quote" if self.quoted else self.kind))
        elif kind == "inline":
            self.inline(token.children or [])

    def inline(self, children: list[Any]) -> None:
        runs: list[Run] = []
        bold = italic = False
        for child in children:
            kind = child.type
            if kind in ("strong_open", "strong_close"):
                bold = kind == "strong_open"
            elif kind in ("em_open", "em_close"):
                italic = kind == "em_open"
            elif kind in ("text", "code_inline", "image"):
                runs += _runs(child.content, (bold or self.kind == "heading", italic),
                              self.guards)
            elif kind in ("softbreak", "hardbreak"):
                runs.append(Run(" " if kind == "softbreak" else "\n", bold, italic))
        kind = "quote" if self.quoted and self.kind == "p" else self.kind
        self.paras.append(Para(_merged(runs), kind, self.label))
        self.kind, self.label = ("item" if self.lists else "p"), ""


def paragraphs(markdown: str, guards: Guards | None = None) -> list[Para]:
    """One block's Markdown as paragraphs of runs (bold, italic, superscript ordinals, the
    words kept whole)."""
    reader = _Reader(guards or Guards())
    for token in _parser().parse(markdown):
        reader.block(token)
    return reader.paras


def _merged(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].sup, merged[-1].keep) \
                == (run.bold, run.italic, run.sup, run.keep) \
                and "\n" not in run.text + merged[-1].text:
            merged[-1].text += run.text
        else:
            merged.append(run)
    return merged


def _image(root: Path, relative: str | None, box: tuple[float, float], missing: str,
           left_out: list[str]) -> Image | None:
    """The image at `relative` in the campaign folder; else None, and `missing` (a message
    with a {path} placeholder) said in `left_out`."""
    if not relative:
        return None
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        left_out.append(missing.format(path=relative))
        return None
    return Image(path, box)


def content(letter: Any, root: Path, metadata: dict[str, str]) -> Content:
    """The document's content from a rendered letter (render.Letter) and its campaign."""
    context = letter.context
    campaign, association = context["campaign"], context["association"]
    guards = Guards(keep_pattern(proper_names(context)), whole_names(context))
    left_out: list[str] = []
    letterhead = campaign.get("letterhead")
    head, sender = _head(campaign, guards)
    address = [typeset_text(line) for line in association["address"]]
    blocks = {name: paragraphs(last_words_together(text) if name == "title" else text, guards)
              for name, text in letter.blocks.items() if text}
    return Content(
        letterhead=head,
        logo=_image(root, letterhead and letterhead.get("logo"), LOGO_BOX,
                    _("the logo {path} (not a file inside the campaign folder)"), left_out),
        sender=sender,
        recipient=[guards.text(typeset_text(association["name"])), *address] if address else [],
        blocks=blocks,
        signature_image=_image(root, campaign.get("signature_image"), SIGNATURE_BOX,
                               _("the signature image {path} (not a file inside the campaign "
                                 "folder)"), left_out),
        signatories=[(guards.text(typeset_text(s["name"])),
                      typeset_text(s["role"]) if s.get("role") else "")
                     for s in campaign.get("signatories") or []],
        metadata=metadata,
        date=context["date"],
        left_out=left_out,
    )


def _head(campaign: dict[str, Any], guards: Guards) -> tuple[list[str], list[str]]:
    """The letterhead's lines (list name, website) and the sender's; with a letterhead, a
    sender line that only names the list again is left out, as in the PDF."""
    sender = [typeset_text(line) for line in campaign.get("sender") or []]
    if not campaign.get("letterhead"):
        return [], [guards.text(line) for line in sender]
    name = typeset_text(campaign["list_name"])
    head = [guards.text(name), *([str(campaign["website"])] if campaign.get("website") else [])]
    return head, [guards.text(line) for line in sender if line.lower() != name.lower()]


def _missing(module: str) -> LetterkitError:
    return LetterkitError(
        _("the DOCX and ODT formats need the Python package {module}, which is not "
          "installed").format(module=module),
        # the command in a placeholder: the typography pass would make its quotes « »
        hint=_("install letterkit with this extra: {command}").format(
            command=f"pip install 'letterkit[{EXTRA}]'"))


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


# --- The PDF's page-break rules and fonts, for both formats --------------------------------

def sign_off_kept(blocks: dict[str, list[Para]]) -> None:
    """The sign-off never opens a page alone: the body's last paragraph is kept with it (its
    last two lines at least, with widow control), and the one before too when the last is
    short (a line, about); the date is kept with the enclosures."""
    body = blocks.get("body") or []
    for para in reversed(body[-2:]):
        para.keep_with_next = True
        if len(para.text) > ONE_LINE:
            break
    if blocks.get("enclosures") and blocks.get("place_date"):
        blocks["place_date"][-1].keep_with_next = True


ONE_LINE = 95  # characters: about a line of the text width, at 11 pt


FONTS_DIR = Path(__file__).parents[1] / "fonts"
FONT_FILES = {(False, False): "CharisSIL-Regular.ttf", (True, False): "CharisSIL-Bold.ttf",
              (False, True): "CharisSIL-Italic.ttf", (True, True): "CharisSIL-BoldItalic.ttf"}
# What a French letter's editor may type: Latin letters, punctuation, no-break spaces and
# hyphens, guillemets, the euro; the rest of Charis SIL is left out of the embedded copy.
FONT_CHARACTERS = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x2010, 0x2061), 0x20AC,
                   0x2122, 0x2190, 0x2192, 0x2212]


def embedded_fonts(styles: set[tuple[bool, bool]]) -> dict[tuple[bool, bool], bytes]:
    """Charis SIL (SIL Open Font License: it may be embedded) in the styles given, (bold,
    italic), regular, bold and italic always, as subsets of FONT_CHARACTERS."""
    wanted = styles | {(False, False), (True, False), (False, True)}
    return {style: _subset(FONT_FILES[style]) for style in sorted(wanted)}


@cache
def _subset(name: str) -> bytes:
    """A font file of letterkit's, subset once per process (about half a second)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting, options.layout_features, options.name_IDs = False, ["*"], ["*"]
    options.notdef_outline = True
    font = TTFont(FONTS_DIR / name, recalcTimestamp=False)  # the same bytes every time
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=FONT_CHARACTERS)
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


PROPERTY_LIMIT = 255  # characters a DOCX core property (and an ODT's, for symmetry) holds


def short_properties(metadata: dict[str, str]) -> dict[str, str]:
    """The title, author, subject and keywords, each shortened to PROPERTY_LIMIT characters
    at a word's end, with « … » (keywords at a comma)."""
    out = dict(metadata)
    for key, value in metadata.items():
        if len(value) > PROPERTY_LIMIT:
            cut = value[:PROPERTY_LIMIT - 1]
            stop = ", " if key == "keywords" else " "
            head = cut.rpartition(stop)[0] or cut
            out[key] = head if key == "keywords" else head.rstrip(" ,;:") + "…"
    return out
