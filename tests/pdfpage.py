"""A PDF read as a typesetter measures a page: lines of text, images and rules, each with its
box in millimetres from the sheet's top-left corner (pdfplumber)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 210.0, 297.0
# The text area of letter.css: margins 25 mm (top), 20 mm (right), 22 mm (bottom), 25 mm (left).
LEFT, RIGHT, TOP, BOTTOM = 25.0, A4_WIDTH - 20.0, 25.0, A4_HEIGHT - 22.0


@dataclass(frozen=True)
class Box:
    page: int  # from 1
    text: str  # words joined by plain spaces (a no-break space reads as one)
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Layout:
    lines: list[Box]   # text lines, in reading order on each page
    images: list[Box]  # raster images (a signature scan; an SVG logo is drawn as vectors)
    rules: list[Box]   # filled rectangles: the logo, fold marks
    pages: int

    def on(self, page: int) -> list[Box]:
        return [line for line in self.lines if line.page == page]

    def find(self, text: str) -> list[Box]:
        """The lines that hold `text` (spaces of any kind ignored)."""
        return [line for line in self.lines if _compact(text) in _compact(line.text)]

    def one(self, text: str) -> Box:
        found = self.find(text)
        assert len(found) == 1, (text, found)
        return found[0]


def _box(page: int, item: dict, text: str = "") -> Box:
    return Box(page, text, item["x0"] / MM, item["x1"] / MM, item["top"] / MM,
               item["bottom"] / MM)


def _compact(text: str) -> str:
    return "".join(text.split())


def _lines(page: int, words: list[dict]) -> list[Box]:
    """Words sharing a baseline make a line; a gap wider than 4 mm starts another one (the
    columns of side-by-side signatories)."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["bottom"], w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) < 1.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        start = 0
        for i in range(1, len(row) + 1):
            if i == len(row) or row[i]["x0"] - row[i - 1]["x1"] > 4 * MM:
                part = row[start:i]
                text = " ".join(" ".join(w["text"].split()) for w in part)
                lines.append(Box(page, text, part[0]["x0"] / MM,
                                 max(w["x1"] for w in part) / MM,
                                 min(w["top"] for w in part) / MM,
                                 max(w["bottom"] for w in part) / MM))
                start = i
    return sorted(lines, key=lambda line: (line.top, line.x0))


def read(pdf: Path) -> Layout:
    lines, images, rules = [], [], []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            lines += _lines(number, page.extract_words())
            images += [_box(number, image) for image in page.images]
            rules += [_box(number, rect) for rect in page.rects]
        return Layout(lines, images, rules, len(document.pages))
