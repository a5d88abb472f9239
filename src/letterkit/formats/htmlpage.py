"""The letter as one self-contained HTML page: to open in a browser, or paste into a webmail.

The page the PDF is made from, with everything it needs inside it: the letter's stylesheet in
a <style> element, sheet-like on screen (an A4 page with the PDF's margins); the bundled fonts
as WOFF2 subsets holding only the letter's characters; the images as data URIs. Nothing is
loaded from outside the page. Also the HTML body of an e-mail: the letter alone, styled
inline, as mail programs want it.
"""

from __future__ import annotations

import base64
import html as html_lib
import io
import logging
import mimetypes
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from letterkit.i18n import _

FONTS_DIR = Path(__file__).parents[1] / "fonts"  # letterkit/fonts
FONT_FILES = {  # (weight, style) → bundled file, as pdf.FONTS
    ("normal", "normal"): "CharisSIL-Regular.ttf",
    ("bold", "normal"): "CharisSIL-Bold.ttf",
    ("normal", "italic"): "CharisSIL-Italic.ttf",
    ("bold", "italic"): "CharisSIL-BoldItalic.ttf",
}
FALLBACK = '"Charis SIL", Charis, Georgia, "Times New Roman", serif'

# On screen, the body is the sheet: A4 wide, the PDF's margins as padding, so that the
# recipient's window and the fold marks fall where they do on paper.
SCREEN_CSS = """
@media screen {
  html { background: #e8e8e8; }
  body { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 1.5em auto;
         padding: 25mm 20mm 22mm 25mm; background: #fff; box-shadow: 0 1px 6px #999; }
}
@media screen and (max-width: 210mm) {
  body { width: auto; min-height: 0; margin: 0; padding: 1.5em; box-shadow: none; }
  .head.windowed { min-height: 0; }
  .recipient { position: static; width: auto; margin: 1em 0 0 50%; }
  .fold { display: none; }
}
"""

_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", re.IGNORECASE)
# « @import "x.css"; », « @import url(x.css) screen; »: another stylesheet, never followed
_CSS_IMPORT = re.compile(r"""@import\b(?:[^;"']|"[^"]*"|'[^']*')*;?""", re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r'\balt="([^"]*)"', re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inside(path: Path, folders: list[Path]) -> bool:
    resolved = path.resolve()
    return resolved.is_file() and any(resolved.is_relative_to(f.resolve()) for f in folders)


def _local(reference: str, base: Path) -> Path | None:
    """The file a relative or file: reference names, or None for anything else."""
    if reference.startswith("file:"):
        return Path(unquote(urlparse(reference).path))
    if re.match(r"^[a-z][a-z0-9+.-]*:", reference, re.IGNORECASE) or reference.startswith("//"):
        return None
    return base / unquote(reference)


@cache
def _subset(file: str, text: str) -> bytes:
    """The bundled font `file` cut down to the glyphs of `text`, as WOFF2: the same bytes
    for the same text, whenever it is made."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]   # French spacing, ligatures, superscripts
    options.name_IDs = ["*"]          # the font's name and its licence (OFL)
    # The bundled font's own timestamps, never the clock's: the same letter gives the same
    # page, byte for byte (`ledger --rebuild` finds it identical).
    font = TTFont(str(FONTS_DIR / file), lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    stream = io.BytesIO()
    font.flavor = "woff2"
    font.save(stream)
    return stream.getvalue()


def font_faces(page: str) -> str:
    """@font-face rules for the bundled fonts, each a subset holding the page's characters."""
    text = html_lib.unescape(_TAGS.sub(" ", page)) + "0123456789/ "
    chars = "".join(sorted(set(text)))
    faces = []
    for (weight, style), file in FONT_FILES.items():
        data = base64.b64encode(_subset(file, chars)).decode()
        faces.append(f'@font-face {{ font-family: "Charis SIL"; font-weight: {weight}; '
                     f'font-style: {style}; src: url("data:font/woff2;base64,{data}") '
                     'format("woff2"); }')
    return "\n".join(faces)


def self_contained(page: str, stylesheet: Path, root: Path) -> tuple[str, list[str]]:
    """The page with its stylesheet, fonts and images inside it, and what it left out (a
    file outside the campaign folder, or anything on the network)."""
    left_out: list[str] = []

    def css_url(match: re.Match[str]) -> str:
        reference = match.group(2)
        if reference.startswith("data:"):
            return match.group(0)
        path = _local(reference, stylesheet.parent)
        if path is not None and _inside(path, [root, FONTS_DIR, stylesheet.parent]):
            return f'url("{data_uri(path)}")'
        left_out.append(_("the stylesheet's {reference} (only files inside the campaign folder "
                          "are put in the page)").format(reference=reference))
        return 'url("data:,")'

    def image(match: re.Match[str]) -> str:
        reference = html_lib.unescape(match.group(2))
        if reference.startswith("data:"):
            return match.group(0)
        path = _local(reference, root)
        if path is not None and _inside(path, [root]):
            return f"{match.group(1)}{data_uri(path)}{match.group(3)}"
        left_out.append(_("the image {reference} (only files inside the campaign folder are put "
                          "in the page)").format(reference=reference))
        return f"{match.group(1)}data:,{match.group(3)}"

    def css_import(match: re.Match[str]) -> str:
        rule = " ".join(match.group(0).split())
        left_out.append(_("the stylesheet's « {rule} » (@import is not followed: put the rules "
                          "in the stylesheet itself)").format(rule=rule))
        return ""

    css = _CSS_IMPORT.sub(css_import, stylesheet.read_text(encoding="utf-8"))
    css = _CSS_URL.sub(css_url, css)
    style = f"<style>\n{font_faces(page)}\n{css}\n{SCREEN_CSS}</style>\n"
    body = _IMG_SRC.sub(image, page)
    head = body.find("</head>")
    return body[:head] + style + body[head:] if head >= 0 else style + body, left_out


# --- The e-mail's HTML body ----------------------------------------------------------------

_MAIL_STYLE = {
    "title": "font-weight:bold;margin:0 0 1.5em",
    "subject": "font-weight:bold;margin:0 0 1.2em",
    "signature": "margin:0 0 0.2em",
    "place_date": "margin:1.2em 0 0",
    "enclosures": "margin:1.5em 0 0;font-size:0.9em",
}


def _image_text(match: re.Match[str]) -> str:
    """An image of the letter (from a free answer's Markdown) in an e-mail: its alt text."""
    alt = _ALT.search(match.group(0))
    return alt.group(1) if alt else ""


def mail_body(blocks: dict[str, str], title: str) -> str:
    """The letter's blocks (already HTML) as an e-mail body: styles inline, no head, no
    images, a serif font the reader has."""
    parts = []
    for name, block in blocks.items():
        if not block:
            continue
        style = _MAIL_STYLE.get(name, "margin:0 0 0.8em")
        block = _IMG.sub(_image_text, str(block))  # nothing loaded from anywhere
        parts.append(re.sub(r"<p>", f'<p style="{style}">', block))
    return ('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html_lib.escape(title)}</title>\n</head>\n"
            f'<body style="font-family:{FALLBACK.replace(chr(34), chr(39))};'
            'font-size:11pt;line-height:1.4;color:#111;max-width:42em">\n'
            + "".join(parts) + "</body>\n</html>\n")
