"""Hostile text and resources: third-party text is never markup, files are only read from the
campaign folder, nothing is fetched from the network, output names are safe, writes are atomic,
and an interrupted batch leaves only complete letters."""

from __future__ import annotations

import datetime as dt
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from letterkit.campaign.project import load_project
from letterkit.errors import LetterkitError
from letterkit.files import write_atomic
from letterkit.pipeline.build import Request, compose
from letterkit.text import slug

from .conftest import REPO, edit

HOSTILE = [
    "**gras** _it_ `code`",
    "[lien](http://example.org) ![x](file:///etc/passwd)",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% raw %}x{% endraw %}",
    "A\x00B\x1b[31mC\u202eD\u2066E",
    "x" * 300,
]


def set_association(root: Path, **fields: object) -> None:
    path = root / "associations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["associations"][0].update(fields)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def letter(root: Path, out: Path, formats=("md", "html"), **options) -> dict[str, str]:
    result = compose(load_project(root), Request("ARPE", ["numerique"], dt.date(2026, 3, 1), out,
                                                 formats, force=True, **options))
    texts = {p.suffix: p.read_text(encoding="utf-8") for p in result.paths
             if p.suffix != ".pdf"}
    texts["warnings"] = "\n".join(map(str, result.warnings))
    return texts


@pytest.mark.parametrize("text", HOSTILE)
def test_third_party_text_appears_literally(campaign, tmp_path, text) -> None:
    set_association(campaign, name=text, document={"kind": "plaidoyer", "title": text},
                    address=[text[:30]], subject=text)
    out = letter(campaign, tmp_path)
    md, html = out[".md"], out[".html"]
    assert "49" not in md and "<script" not in html and "<img" not in html
    assert "\x00" not in md and "\u202e" not in md and "\x1b" not in html
    assert 'href="http://example.org"' not in html and "file:///etc/passwd\"" not in html
    if "script" in text:
        assert "\\<script\\>alert(1)\\</script\\>" in md
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    if "lien" in text:
        assert "\\[lien\\](http://example.org) \\!\\[x\\](file:///etc/passwd)" in md


def test_hostile_command_line_text(campaign, tmp_path) -> None:
    result = compose(load_project(campaign), Request(
        "../../<b>x</b>", ["numerique"], dt.date(2026, 3, 1), tmp_path, ("md", "html"),
        salutation="Madame **la** Présidente\x07", document="questionnaire {{ 7*7 }}"))
    md = result.paths[0].read_text(encoding="utf-8")
    assert result.paths[0].parent == tmp_path
    assert result.paths[0].name == "2026-03-01-b-x-b-numerique.md"
    assert "\n\nMadame \\*\\*la\\*\\* Présidente,\n\n" in md
    assert "49" not in md


def test_campaign_prose_keeps_its_emphasis_but_not_raw_html(campaign, tmp_path) -> None:
    edit(campaign / "campaign.yaml", "presentation: >-\n",
         "presentation: >-\n  <b>Gras brut</b> <script>x()</script> et **gras** voulu.\n")
    html = letter(campaign, tmp_path)[".html"]
    assert "&lt;b&gt;Gras brut&lt;/b&gt; &lt;script&gt;x()&lt;/script&gt;" in html
    assert "<strong>gras</strong> voulu" in html


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Recorder.hits.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_resources_outside_the_campaign_are_refused(campaign, tmp_path, server) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    edit(campaign / "campaign.yaml", "presentation: >-\n",
         f"presentation: >-\n  ![a]({server}/tracker.png) ![b](../secret.png)"
         " ![c](file:///etc/passwd)\n")
    own = campaign / "templates" / "letters"
    own.mkdir(parents=True)
    css = (REPO / "templates" / "letters" / "letter.css").read_text()
    (own / "letter.css").write_text(f'@import url("{server}/style.css");\n{css}\n'
                                    f'body {{ background: url("{server}/bg.png") }}\n')
    out = letter(campaign, tmp_path / "out", formats=("md", "pdf"))
    assert Recorder.hits == []
    warnings = out["warnings"]
    assert f"{server}/tracker.png" in warnings
    assert "secret.png" in warnings and "campaign folder only" in warnings
    assert f"{server}/style.css" in warnings or f"{server}/bg.png" in warnings
    assert "nothing from the network" in warnings
    # markdown-it never makes a file: URL an image; it stays as text.
    assert "![c](file:///etc/passwd)" in out[".md"]


def test_a_symlink_out_of_the_campaign_is_refused(campaign, tmp_path) -> None:
    (campaign / "assets").mkdir()
    (campaign / "assets" / "logo.png").symlink_to("/etc/passwd")
    edit(campaign / "campaign.yaml", "place: Clamart", "place: Clamart\nletterhead:\n"
         "  logo: assets/logo.png")
    with pytest.raises(LetterkitError) as caught:
        load_project(campaign)
    assert str(caught.value) == (
        "campaign.yaml, line 43, key letterhead.logo: « assets/logo.png » is outside the "
        "campaign folder — put the image in the campaign folder and give its relative path")


@pytest.mark.parametrize(("name", "expected"), [
    ("../../x", "x"), ("/", "lettre"), ("a\x00b", "a-b"), ("Vélo & Cie", "velo-cie"),
    ("x" * 300, "x" * 60), ("..", "lettre"), ("CON", "con"),
    # transliterated by python-slugify, not dropped (issue 21)
    ("Sœurs", "soeurs"), ("Straße", "strasse"), ("Æsop", "aesop"), ("L’Œil de Ça", "loeil-de-ca"),
    ("Les Amis d'Élise", "les-amis-d-elise"),
])
def test_output_names_are_safe_slugs(name, expected) -> None:
    assert slug(name) == expected


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch) -> None:
    target = tmp_path / "lettre.md"

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, b"contenu")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_batch_leaves_only_complete_letters(campaign, tmp_path, sig) -> None:
    rows = [f"ARPE,mediation,2026-02-{d:02d}" for d in range(1, 29)]
    requests = tmp_path / "demandes.csv"
    requests.write_text("assoc,themes,date\n" + "\n".join(rows) + "\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "letterkit", "batch", str(requests), "--jobs", "2",
         "--project", str(campaign)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    letters = campaign / "letters"
    deadline = time.monotonic() + 60
    while not (letters.is_dir() and any(letters.glob("*.pdf"))):
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    names = sorted(p.name for p in letters.iterdir())
    stems = {n.rsplit(".", 1)[0] for n in names}
    assert names == sorted(f"{s}.{ext}" for s in stems for ext in ("md", "pdf")), names
    assert 0 < len(stems) < 28
    assert not [n for n in names if n.startswith(".")]
    assert f"Interrupted: {28 - len(stems)} requests not done (lines" in stderr
    assert "Traceback" not in stderr + stdout
