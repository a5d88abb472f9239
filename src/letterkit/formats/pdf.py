"""HTML → PDF. The only module that imports WeasyPrint, so that other commands start fast."""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from letterkit.i18n import N_, _, reason

FONTS_DIR = Path(__file__).parents[1] / "fonts"  # letterkit/fonts

# Font lookup sees the bundled fonts only, whatever the machine has: set before WeasyPrint (and
# so fontconfig) first loads its configuration.
os.environ["FONTCONFIG_FILE"] = str(FONTS_DIR / "fonts.conf")


def _load_weasyprint() -> None:
    """Import WeasyPrint with its native libraries found by their sonames.

    WeasyPrint tries several names for each library (« libpango-1.0-0 », « pango-1.0 »…, then
    « libpango-1.0.so.0 »), and on Linux ctypes.util.find_library runs ldconfig, gcc and ld
    for each name that is not a file: some 70 processes and about 0.2 s of CPU before the first
    letter. The sonames load without it, so the import first runs without find_library; on a
    system where that finds nothing, it runs again as WeasyPrint does it."""
    import contextlib
    import ctypes.util
    import io
    import sys

    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints before it fails
            import weasyprint.text.ffi  # noqa: F401
    except OSError:
        for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = find_library


_load_weasyprint()

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.formatting_structure.boxes import (  # noqa: E402
    LineBox,
    MarginBox,
    ReplacedBox,
    TextBox,
)
from weasyprint.logger import LOGGER  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

PDF_A = "pdf/a-3b"

# What the stylesheet's `html.tight` rules save on a letter, at least (in CSS px, 1/96 inch):
# a last page holding no more than this beyond the free space of the page before it may be
# pulled back by setting the letter tighter (see PdfWriter.write).
TIGHT_SAVES = 30 / 25.4 * 96

FONTS = {  # (weight, style) → file in letterkit/fonts, all Charis SIL (OFL, see OFL.txt)
    ("normal", "normal"): "CharisSIL-Regular.ttf",
    ("bold", "normal"): "CharisSIL-Bold.ttf",
    ("normal", "italic"): "CharisSIL-Italic.ttf",
    ("bold", "italic"): "CharisSIL-BoldItalic.ttf",
}


class LocalFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """Loads files from the allowed folders only; refuses the network and everything else."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols=["file", "data"])
        self.allowed = [folder.resolve() for folder in allowed]

    def fetch(self, url: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(folder) for folder in self.allowed):
                raise ValueError(_("letterkit loads files from the campaign folder only"))
        elif not url.startswith("data:"):
            raise ValueError(_("letterkit loads nothing from the network"))
        return super().fetch(url, headers)


def font_faces() -> str:
    """@font-face rules for the bundled fonts, so every machine sets the same letter."""
    return "\n".join(
        f'@font-face {{ font-family: "Charis SIL"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{(FONTS_DIR / name).as_uri()}"); }}'
        for (weight, style), name in FONTS.items()
    )


@cache
def bundled_fonts() -> tuple[FontConfiguration, CSS]:
    """The bundled fonts, loaded once per process whatever the campaign's stylesheet."""
    config = FontConfiguration()
    return config, CSS(string=font_faces(), font_config=config,
                       url_fetcher=LocalFetcher([FONTS_DIR]))


@cache
def writer(stylesheet: Path, root: Path) -> PdfWriter:
    """The PDF writer for a campaign, made once per process: fonts and stylesheets are loaded
    once, however many letters are written."""
    return PdfWriter(stylesheet, [root])


class PdfWriter:
    """Turns letter pages into PDF bytes; one per process, reusing fonts and stylesheets."""

    def __init__(self, stylesheet: Path, allowed: list[Path]) -> None:
        self.fetcher = LocalFetcher([*allowed, FONTS_DIR])
        self.font_config, fonts = bundled_fonts()
        self.stylesheets = [fonts, CSS(filename=str(stylesheet), font_config=self.font_config,
                                       url_fetcher=self.fetcher)]

    def write(self, html: str, base_url: Path, pdfa: bool = False) -> tuple[bytes, list[str]]:
        """The PDF of `html` (PDF/A-3b with `pdfa`), identical bytes for identical input, and
        what WeasyPrint had to leave out (a refused or unreadable image, say)."""
        collected = _Collected()
        LOGGER.addHandler(collected)
        try:
            document = self.laid_out(html, base_url)
            if len(document.pages) > 1 and _nearly_fits(document.pages):
                # Spacing that could shrink should not push a letter onto one more page: try
                # the stylesheet's tighter setting (html.tight), and keep it if it saves one.
                tight = self.laid_out(html.replace("<html", '<html class="tight"', 1), base_url)
                if len(tight.pages) < len(document.pages):
                    document = tight
            if len(document.pages) == 1:
                _drop_page_number(document.pages[0])
            identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
            # Tagged (a structure tree of headings, paragraphs and figures), so that screen
            # readers read the letter in order; with --pdfa too, still PDF/A-3b.
            pdf = document.write_pdf(pdf_identifier=identifier, pdf_tags=True,
                                     pdf_variant=PDF_A if pdfa else None)
        finally:
            LOGGER.removeHandler(collected)
        assert pdf is not None
        return pdf, list(dict.fromkeys(collected.messages))  # once, if rendered twice


    def laid_out(self, html: str, base_url: Path):  # type: ignore[no-untyped-def]
        """The laid-out document, where no page ends on a hyphenated word: such a word is
        kept whole (never hyphenated nor broken at its hyphen) and the letter laid out again
        (three times at most)."""
        document = self.render(html, base_url)
        for _attempt in range(3):
            words = _hyphenated_at_page_ends(document.pages)
            if not words:
                break
            html = _kept_whole(html, words)
            document = self.render(html, base_url)
        return document

    def render(self, html: str, base_url: Path):  # type: ignore[no-untyped-def]
        return HTML(string=html, base_url=str(base_url) + "/", url_fetcher=self.fetcher
                    ).render(stylesheets=self.stylesheets, font_config=self.font_config)


def _room(page: object) -> tuple[float, float]:
    """How much of a laid-out page's area its text and images use, and how much is left below
    them, in CSS px."""
    box = page._page_box  # type: ignore[attr-defined]
    top = box.content_box_y()
    bottom = max((d.position_y + d.margin_height() for child in box.children
                  if not isinstance(child, MarginBox) for d in child.descendants()
                  if isinstance(d, LineBox | ReplacedBox)), default=top)
    return bottom - top, top + box.height - bottom


def _nearly_fits(pages: list) -> bool:  # type: ignore[type-arg]
    """Whether the last page holds little more than the page before it has left free."""
    used, _left = _room(pages[-1])
    _used, free = _room(pages[-2])
    return used - free <= TIGHT_SAVES


HYPHENS = ("\u2010", "-", "\u00ad")  # WeasyPrint's hyphenate-character, a word's own hyphen


def _lines(page: object) -> list[str]:
    """The text of a laid-out page's lines, top to bottom (its margin boxes left out)."""
    box = page._page_box  # type: ignore[attr-defined]
    lines = sorted((d for child in box.children if not isinstance(child, MarginBox)
                    for d in child.descendants() if isinstance(d, LineBox)),
                   key=lambda line: line.position_y)
    return ["".join(t.text for t in line.descendants() if isinstance(t, TextBox)).strip()
            for line in lines]


def _hyphenated_at_page_ends(pages: list) -> list[str]:  # type: ignore[type-arg]
    """The words split by a hyphen between a page's last line and the next page's first."""
    words = []
    for page, following in itertools.pairwise(pages):
        last, first = ([t for t in _lines(p) if t] for p in (page, following))
        if last and first and last[-1].endswith(HYPHENS):
            start = last[-1].split()[-1]
            end = re.match(r"[\w’'-]*", first[0].split()[0])
            own = start.endswith("-")
            words.append(start.rstrip("".join(HYPHENS)) + ("-" if own else "") +
                         (end.group(0) if end else ""))
    return [word for word in words if len(word) > 1]


def _kept_whole(html: str, words: list[str]) -> str:
    """The page with `words` in <span class="keep compound"> in its body's text (never in a
    tag or an attribute)."""
    head, body = html.split("<body", 1) if "<body" in html else ("", html)
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(w)}(?![\w-])" for w in words))
    body = re.sub(r">([^<]+)<", lambda m: ">" + pattern.sub(
        lambda w: f'<span class="keep compound">{w.group(0)}</span>', m.group(1)) + "<", body)
    return f"{head}<body{body}" if head else body


class _Collected(logging.Handler):
    """WeasyPrint's warnings and errors for one letter, to report them as letterkit's."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(weasyprint_message(record))


# WeasyPrint's messages for a file it could not load (its other warnings, about CSS it does
# not support, are passed on as it words them): in the interface's language, the English as
# WeasyPrint has it, byte for byte.
_NOT_LOADED = {
    "Failed to load image at %r: %s": N_("Failed to load image at {url!r}: {why}"),
    "Failed to load stylesheet at %s: %s": N_("Failed to load stylesheet at {url}: {why}"),
    "Failed to load stylesheet at %s : %s": N_("Failed to load stylesheet at {url} : {why}"),
}


def weasyprint_message(record: logging.LogRecord) -> str:
    """A WeasyPrint log record as letterkit reports it: {why} is its reason as WeasyPrint
    gives it (« ValueError: letterkit loads nothing from the network »), {reason} the same
    without the exception's name, a system error in the interface's words."""
    template = _NOT_LOADED.get(record.msg) if isinstance(record.msg, str) else None
    if template is None or not isinstance(record.args, tuple) or len(record.args) != 2:
        return record.getMessage()
    url, why = record.args
    return _(template).format(url=url, why=why, reason=_reason(str(why)))


def _reason(text: str) -> str:
    """« ValueError: letterkit loads… » → « letterkit loads… »; « URLError: <urlopen error
    [Errno 2] No such file or directory: '…'> » → « no such file or folder »."""
    system = re.search(r"\[Errno (\d+)\]", text)
    if system:
        number = int(system.group(1))
        return reason(OSError(number, os.strerror(number)))
    kind, _colon, rest = text.partition(": ")
    return rest if rest and kind.isidentifier() else text


def _drop_page_number(page: object) -> None:
    """A one-page letter carries no « 1/1 »: remove the @bottom-right box that numbers pages.

    CSS cannot make a margin box depend on the page count, so this edits the laid-out page
    (WeasyPrint's Page._page_box) before it is drawn; tests pin the result.
    """
    box = getattr(page, "_page_box", None)
    if box is not None:
        box.children = tuple(child for child in box.children if not (
            isinstance(child, MarginBox) and child.at_keyword == "@bottom-right"))
