"""The self-contained HTML page: parsed, it references nothing outside itself; its text is the
letter's; its fonts are subsets of the bundled ones. And the e-mail's HTML body."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from letterkit.campaign.project import load_project
from letterkit.formats import htmlpage
from letterkit.formats.registry import page_metadata
from letterkit.letter import render
from letterkit.paths import stylesheet
from letterkit.pipeline.build import Request, prepare

from .test_office import make_full

DATE = dt.date(2026, 3, 1)


class References(HTMLParser):
    """Every reference a browser would load: src, href of <link>, url() in styles, and the
    text shown (outside <style> and <title>)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        for name, value in attrs:
            if name in ("src", "srcset", "data", "poster", "background") or (
                    name == "href" and tag in ("link", "base", "script")):
                self.loads.append(value or "")
            elif name == "href":
                self.links.append(value or "")
            elif name == "style":
                self.styles.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif "title" not in self._in and "style" not in self._in:
            self.text.append(data)


def page(root: Path) -> tuple[str, str, list[str]]:
    project = load_project(root)
    prepared = prepare(project, Request("ARPE", ["mediation"], DATE))
    letter = prepared.letter
    metadata = page_metadata(project, letter, letter.context["measures"], DATE,
                             prepared.association.document)
    html = render.render_page(render.environment(root), letter, metadata)
    whole, left_out = htmlpage.self_contained(html, stylesheet(root), root)
    return letter.markdown, whole, left_out


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> tuple[Path, str, str, list[str]]:
    root = make_full(tmp_path_factory.mktemp("full"))
    (root / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        '<rect width="120" height="40" fill="#c0392b"/></svg>', encoding="utf-8")
    text = (root / "campaign.yaml").read_text(encoding="utf-8")
    (root / "campaign.yaml").write_text(text.replace("logo.png", "logo.svg"), encoding="utf-8")
    return (root, *page(root))


def test_the_page_references_nothing_outside_itself(full) -> None:
    _, _, html, left_out = full
    parser = References()
    parser.feed(html)
    assert parser.loads, "the page has its images"
    assert all(src.startswith("data:") for src in parser.loads)
    urls = [u for s in parser.styles for u in re.findall(r"url\(\s*['\"]?([^'\")]*)", s)]
    assert len(urls) == 4  # the four faces of Charis SIL
    assert all(url.startswith("data:font/woff2;base64,") for url in urls)
    assert "@import" not in "".join(parser.styles)
    assert not re.search(r"(?i)\b(?:https?:|file:)//", html.split("<body", 1)[1].replace(
        "clamartagauche.fr", ""))
    assert left_out == []


def test_the_page_holds_the_letter_its_images_and_style(full) -> None:
    root, markdown, html, _ = full
    parser = References()
    parser.feed(html)
    shown = " ".join("".join(parser.text).split())
    for paragraph in markdown.strip().split("\n\n"):
        # The printed sign-off sets a signatory's name and role on two lines, not « name, role »
        # (docs/printed-letter.md).
        for piece in paragraph.split(", ") if paragraph.startswith("Camille ") else [paragraph]:
            assert " ".join(piece.replace("**", "").replace("*", "").split()) in shown
    sources = [s for s in parser.loads if s.startswith("data:image/")]
    assert sorted(s.split(";")[0] for s in sources) == ["data:image/png", "data:image/svg+xml"]
    png = next(s for s in sources if s.startswith("data:image/png"))
    assert base64.b64decode(png.split(",", 1)[1]) == (root / "assets" / "signature.png"
                                                      ).read_bytes()
    styles = "".join(parser.styles)
    assert ".recipient" in styles and "@media screen" in styles  # the letter's own stylesheet


def test_the_fonts_are_subsets_holding_the_letters_characters(full) -> None:
    _, _, html, _ = full
    data = re.findall(r"data:font/woff2;base64,([A-Za-z0-9+/=]+)", html)
    font = TTFont(io.BytesIO(base64.b64decode(data[0])))
    assert font["name"].getDebugName(1) == "Charis SIL"
    cmap = font.getBestCmap()
    for char in "«»’…·œÀé\u00a0\u202f":
        assert ord(char) in cmap or char in "œ", char  # « œ » is not in this letter
    assert ord("Ω") not in cmap
    assert len(font.getGlyphOrder()) < 200


def test_refuses_files_outside_the_campaign(tmp_path) -> None:
    root = make_full(tmp_path)
    (root / "templates" / "letters").mkdir(parents=True)
    css = (Path(htmlpage.__file__).parents[3] / "templates" / "letters" / "letter.css")
    (root / "templates" / "letters" / "letter.css").write_text(
        css.read_text(encoding="utf-8") + '\nbody { background: url("https://example.org/x.png"); }'
        '\nhtml { background: url("/etc/hostname"); }\n', encoding="utf-8")
    _, html, left_out = page(root)
    assert "example.org" not in html and "/etc/hostname" not in html
    assert left_out == [
        "the stylesheet's https://example.org/x.png (only files inside the campaign folder are "
        "put in the page)",
        "the stylesheet's /etc/hostname (only files inside the campaign folder are put in the "
        "page)"]


def test_mail_body_is_the_letter_styled_inline() -> None:
    body = htmlpage.mail_body({"title": "<p>Réponse</p>\n", "body": "<p>Un <strong>mot</strong>"
                               "</p>\n", "closing": ""}, "Réponse")
    parser = References()
    parser.feed(body)
    assert parser.loads == []
    assert "<p style=\"font-weight:bold;margin:0 0 1.5em\">Réponse</p>" in body
    assert "<p style=\"margin:0 0 0.8em\">Un <strong>mot</strong></p>" in body
    assert "font-family:'Charis SIL', Charis, Georgia" in body


def test_the_page_is_the_same_bytes_whenever_it_is_made(campaign, tmp_path, monkeypatch) -> None:
    """The font subsets keep the bundled fonts' timestamps, not the clock's: two composes of
    one letter give one page, and `ledger --rebuild` finds it identical."""
    from typer.testing import CliRunner

    from letterkit.cli import app

    def run(*args: str):
        return CliRunner().invoke(app, [*args, "--project", str(campaign)])

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # fontTools' clock: 2026-01-01
    htmlpage._subset.cache_clear()
    made = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--date", "2026-03-01",
               "--format", "md,html")
    assert made.exit_code == 0, made.output
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772323200")  # two months later
    htmlpage._subset.cache_clear()
    rebuilt = run("ledger", "--rebuild", "1", "--json", "--out", str(tmp_path / "again"))
    assert rebuilt.exit_code == 0, rebuilt.output
    assert [(Path(r["path"]).name, r["identical"]) for r in json.loads(rebuilt.stdout)] == [
        ("2026-03-01-arpe-numerique.md", True), ("2026-03-01-arpe-numerique.html", True)]
    first = (campaign / "letters" / "2026-03-01-arpe-numerique.html").read_bytes()
    assert (tmp_path / "again" / "2026-03-01-arpe-numerique.html").read_bytes() == first
