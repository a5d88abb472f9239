"""The messages of src/letterkit/formats/ and src/letterkit/ledger/ in French under a French
interface, the real text: an e-mail without its addresses, what the PDF leaves out, the csv
format without answers, the PDF that cannot be written, a certificate that does not open, the
inbox's overview page, a locked, damaged or read-only ledger, a line of ledger.csv or
inbox.csv that cannot be read, a document already in the inbox; and the English unchanged
otherwise. Each case runs in both languages (the `lang` fixture)."""

from __future__ import annotations

import datetime as dt
import errno
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letterkit import i18n
from letterkit.cli import app
from letterkit.errors import LetterkitError

from .conftest import edit

NB = "\u00a0"  # the no-break space French typography sets before « : » and inside « »
NNB = "\u202f"  # the narrow one it sets before « ; » « ! » « ? »
COMPOSE = ("compose", "--assoc", "ARPE", "--themes", "mediation", "--date", "2026-03-01")


@pytest.fixture(params=["fr", "en"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    """The interface in French, then in English, for this test (in this process)."""
    i18n.use(request.param)
    try:
        yield request.param
    finally:
        i18n.use("en")


def run(*args: str, project: Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [*args, "--project", str(project)])


def said(lang: str, french: str, english: str) -> str:
    return french if lang == "fr" else english


def message(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(LetterkitError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# --- formats/eml.py ------------------------------------------------------------------------

def test_an_email_without_its_addresses(lang: str, campaign: Path) -> None:
    shown = run(*COMPOSE, "--format", "eml", project=campaign)
    assert shown.exit_code == 1
    assert shown.stderr == said(
        lang,
        f"Erreur{NB}: campaign.yaml{NB}: pas de bloc smtp{NB}: un courriel a besoin de "
        "l’adresse de la campagne — ajoutez un bloc smtp avec host et from (docs/email.md)\n",
        "Error: campaign.yaml: no smtp block: an e-mail needs the campaign's address — add an "
        "smtp block with host and from (docs/email.md)\n")
    with (campaign / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write("smtp:\n  host: 127.0.0.1\n  from: contact@liste.example\n")
    shown = run(*COMPOSE, "--format", "eml", project=campaign)
    assert shown.stderr == said(
        lang,
        f"Erreur{NB}: associations.yaml{NB}: ARPE n’a pas d’adresse de courriel — ajoutez "
        f"«{NB}email: …{NB}» à ARPE, ou retirez eml de --format\n",
        "Error: associations.yaml: ARPE has no e-mail address — add « email: … » to ARPE, or "
        "leave eml out of --format\n")
    assert not (campaign / "letters").exists()


def test_an_address_whose_domain_is_not_ascii(lang: str) -> None:
    from letterkit.formats.eml import address_header

    shown = message(address_header, "ARPE", "contact@-vélo.example")
    assert shown.startswith(said(
        lang, f"le domaine de «{NB}contact@-vélo.example{NB}» ne peut pas s’écrire en ASCII (",
        "« contact@-vélo.example » has a domain that cannot be written in ASCII ("))
    assert shown.endswith(said(lang, ") — vérifiez l’adresse", ") — check the address"))


def test_an_enclosure_gone_from_the_campaign_folder(lang: str, campaign: Path) -> None:
    from letterkit.campaign.project import load_project
    from letterkit.formats.eml import attachments

    (campaign / "pieces").mkdir()
    (campaign / "pieces" / "fiche.pdf").write_bytes(b"%PDF-1.7\n")
    with (campaign / "campaign.yaml").open("a", encoding="utf-8") as stream:
        stream.write("enclosures:\n  - label: fiche\n    file: pieces/fiche.pdf\n")
    project = load_project(campaign)
    (campaign / "pieces" / "fiche.pdf").unlink()  # after `check` found it
    shown = message(attachments, project, project.association("ARPE"))
    assert shown == said(
        lang,
        f"campaign.yaml{NB}: aucun fichier «{NB}pieces/fiche.pdf{NB}» dans le dossier de "
        "campagne — indiquez le fichier de la pièce jointe à partir du dossier de campagne, "
        "par exemple pieces/fiche-accessibilite.pdf",
        "campaign.yaml: no file at « pieces/fiche.pdf » in the campaign folder — give the "
        "enclosure's file from the campaign folder, e.g. pieces/fiche-accessibilite.pdf")


# --- formats/pdf.py, pdfworker.py, registry.py, office.py ----------------------------------

def test_what_the_pdf_leaves_out(lang: str, campaign: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"  # outside the campaign folder
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    edit(campaign / "campaign.yaml", "presentation: >-\n",
         "presentation: >-\n  ![plan](../secret.png) ![carte](http://127.0.0.1:9/c.png)\n")
    shown = run(*COMPOSE, "--format", "md,pdf", project=campaign)
    assert shown.exit_code == 0, shown.output
    outside, network = said(
        lang,
        "letterkit ne charge que les fichiers du dossier de campagne",
        "letterkit loads files from the campaign folder only"), said(
        lang, "letterkit ne charge rien depuis le réseau",
        "letterkit loads nothing from the network")
    assert shown.stderr.splitlines() == [said(
        lang,
        f"Avertissement{NB}: le PDF est incomplet{NB}: l’image «{NB}{url}{NB}» n’a pas pu être "
        f"chargée ({why}) — les images et les feuilles de style doivent être des fichiers du "
        "dossier de campagne",
        f"Warning: the PDF leaves something out: Failed to load image at '{url}': ValueError: "
        f"{why} — images and stylesheets must be files inside the campaign folder")
        for url, why in ((secret.as_uri(), outside), ("http://127.0.0.1:9/c.png", network))]


def test_a_missing_image_is_said_in_the_interface_s_words(lang: str, campaign: Path) -> None:
    """WeasyPrint's « URLError: <urlopen error [Errno 2] …> », as i18n.reason words it."""
    from letterkit.formats.pdf import writer
    from letterkit.paths import stylesheet

    page = '<html lang="fr"><body><p>x</p><img src="absente.png"></body></html>'
    _pdf, left_out = writer(stylesheet(campaign), campaign).write(page, campaign)
    url = (campaign / "absente.png").as_uri()
    assert left_out == [said(
        lang, f"l’image «{NB}{url}{NB}» n’a pas pu être chargée (fichier ou dossier introuvable)",
        f"Failed to load image at '{url}': URLError: <urlopen error [Errno 2] No such file or "
        f"directory: '{campaign / 'absente.png'}'>")]


def test_the_csv_format_without_answers(lang: str, campaign: Path) -> None:
    from letterkit.campaign.project import load_project
    from letterkit.pipeline.build import Request, draft

    request = Request("ARPE", ["mediation"], dt.date(2026, 3, 1), formats=("md", "csv"))
    assert message(draft, load_project(campaign), request) == said(
        lang,
        "le format csv contient les réponses à un questionnaire — composez la lettre avec "
        "--answers FICHIER, ou choisissez md, pdf ou html",
        "the csv format holds the answers to a questionnaire — compose with --answers FILE, or "
        "choose md, pdf or html")


def test_a_pdf_that_cannot_be_written(lang: str, campaign: Path, monkeypatch) -> None:
    import tempfile

    from letterkit.formats import pdf, pdfworker
    from letterkit.paths import stylesheet

    def full(stylesheet: Path, root: Path) -> pdf.PdfWriter:
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/weasyprint-font")

    monkeypatch.setattr(pdf, "writer", full)
    shown = message(pdfworker.write_pdf, stylesheet(campaign), campaign, "<p>x</p>", False)
    assert shown == said(
        lang,
        f"/tmp/weasyprint-font{NB}: le PDF n’a pas pu être écrit{NB}: plus de place sur le "
        f"disque — libérez de la place (la création du PDF a besoin d’espace dans "
        f"{tempfile.gettempdir()}){NNB}; rien n’a été écrit",
        "/tmp/weasyprint-font: the PDF could not be written: no space left on the disk — free "
        f"some space (WeasyPrint needs room in {tempfile.gettempdir()}); nothing was written")


def test_an_image_the_word_processor_leaves_out(lang: str, campaign: Path) -> None:
    from letterkit.campaign.project import load_project
    from letterkit.formats import office
    from letterkit.pipeline.build import Request, prepare

    (campaign / "assets").mkdir()
    (campaign / "assets" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    edit(campaign / "campaign.yaml", "place: Clamart",
         "place: Clamart\nletterhead:\n  logo: assets/logo.png\nsignature_image: signature.png")
    (campaign / "signature.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    project = load_project(campaign)
    (campaign / "assets" / "logo.png").unlink()  # after the campaign was checked
    (campaign / "signature.png").unlink()
    prepared = prepare(project, Request("ARPE", ["mediation"], dt.date(2026, 3, 1)))
    content = office.content(prepared.letter, campaign, {})
    assert content.left_out == said(
        lang, ["le logo assets/logo.png (ce n’est pas un fichier du dossier de campagne)",
               "l’image de la signature signature.png (ce n’est pas un fichier du dossier de "
               "campagne)"],
        ["the logo assets/logo.png (not a file inside the campaign folder)",
         "the signature image signature.png (not a file inside the campaign folder)"])
    assert str(office._missing("python-docx")) == said(
        lang, "les formats DOCX et ODT nécessitent le paquet Python python-docx, qui n’est pas "
        f"installé — installez letterkit avec ce complément{NB}: pip install "
        "'letterkit[office]'",
        "the DOCX and ODT formats need the Python package python-docx, which is not installed "
        "— install letterkit with this extra: pip install 'letterkit[office]'")


# --- formats/sign.py -----------------------------------------------------------------------

def test_a_certificate_that_does_not_open(lang: str, tmp_path: Path) -> None:
    from letterkit.formats.sign import Certificate, signer_name

    absent = tmp_path / "absent.p12"
    assert message(signer_name, Certificate(absent, "secret")) == said(
        lang, f"{absent}{NB}: fichier du certificat introuvable — indiquez à --sign le chemin "
        "d’un fichier .p12 (PKCS#12)",
        f"{absent}: certificate file not found — give the path of a .p12 (PKCS#12) file to "
        "--sign")
    not_one = tmp_path / "lettre.p12"
    not_one.write_bytes(b"%PDF-1.7 not a certificate")
    assert message(signer_name, Certificate(not_one, "secret")) == said(
        lang, f"{not_one}{NB}: impossible d’ouvrir le certificat{NB}: mot de passe erroné, ou "
        "fichier qui n’est pas au format PKCS#12 — vérifiez le mot de passe dans la variable "
        "que nomme --sign-password-env",
        f"{not_one}: cannot open the certificate: wrong password, or not a PKCS#12 file — check "
        "the password in the variable --sign-password-env names")


# --- formats/report.py ---------------------------------------------------------------------

def overview():  # type: ignore[no-untyped-def]
    from letterkit.formats.report import MAX_AHEAD, Overview

    ahead = [{"id": n, "association": "ARPE", "document": "plaidoyer", "due": "2026-02-10",
              "days_left": {1: -2, 2: -1}.get(n, 4), "overdue": n < 3,
              "status": "drafted" if n == 1 else "received", "letter": 12 if n == 1 else None}
             for n in range(1, MAX_AHEAD + 3)]
    return Overview(dt.date(2026, 2, 12), "Clamart à gauche !",
                    {"received": 15, "drafted": 1, "sent": 0, "done": 2},
                    [("2026-02-02", 3, 1), ("2026-02-09", 2, 2)], ahead,
                    [("Logement", 3), ("Médiation", 1)], "16 demandes")


def test_the_inbox_s_overview_page(lang: str) -> None:
    from letterkit.formats.report import page

    shown = page(overview())
    text = re.sub(r"<[^>]+>", "|", re.sub(r"<style>.*?</style>", "", shown, flags=re.S))
    words = [w.strip() for w in text.split("|") if w.strip()]
    fr = lang == "fr"
    assert f'<html lang="{lang}">' in shown
    assert words[:4] == (
        ["Boîte de réception de Clamart à gauche !, 2026-02-12",
         f"Clamart à gauche !{NB}: la boîte de réception", "16 demandes", "au 2026-02-12"] if fr
        else ["Inbox of Clamart à gauche !, 2026-02-12", "Clamart à gauche !: the inbox",
              "16 demandes", "on 2026-02-12"])
    tiles = words[4:16]
    assert tiles == (["15", "reçues", "pas encore de lettre", "1", "rédigée", "lettre écrite",
                      "0", "envoyée", "par courriel", "2", "traitées",
                      "réponse donnée hors letterkit"] if fr else
                     ["15", "received", "no letter yet", "1", "drafted", "letter written",
                      "0", "sent", "by e-mail", "2", "done", "answered otherwise"])
    for title in (said(lang, "Demandes reçues et demandes ayant reçu une réponse, par semaine",
                       "Requests received and answered, per week"),
                  said(lang, "Thèmes les plus demandés (nombre de demandes)",
                       "Themes asked most (requests)"),
                  said(lang,
                       f"Jours restants avant chaque échéance (nombre négatif{NB}: en retard)",
                       "Days left before each deadline (below zero: overdue)"),
                  said(lang, "reçues", "received"), said(lang, "traitées", "answered"),
                  said(lang, "Échéances à venir", "Deadlines ahead")):
        assert title in words
    table = words[words.index(said(lang, "N°", "Id")):]
    assert table[:20] == (
        ["N°", "Association", "Document", "Échéance", "Jours", "État",
         "1", "ARPE", "plaidoyer", "2026-02-10", "2 jours de retard", "rédigée · lettre 12",
         "2", "ARPE", "plaidoyer", "2026-02-10", "1 jour de retard", "reçue", "3", "ARPE"]
        if fr else
        ["Id", "Association", "Document", "Due", "Days left", "Status",
         "1", "ARPE", "plaidoyer", "2026-02-10", "2 days late", "drafted · letter 12",
         "2", "ARPE", "plaidoyer", "2026-02-10", "1 day late", "received", "3", "ARPE"])
    assert table[-1] == said(lang, f"et 2 autres{NB}: letterkit inbox les affiche toutes",
                             "and 2 more: letterkit inbox lists them all")


# --- ledger/database.py, export.py, requests.py -------------------------------------------

def test_a_locked_and_a_damaged_ledger(lang: str, campaign: Path, monkeypatch) -> None:
    from letterkit.ledger import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.2)  # rather than 30 s of waiting
    assert run(*COMPOSE, "--format", "md", project=campaign).exit_code == 0
    ledger = campaign / "ledger.sqlite"
    other = sqlite3.connect(ledger, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing to the ledger
    try:
        locked = run(*COMPOSE, "--format", "md", "--force", project=campaign)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert locked.exit_code == 1
    assert locked.stderr == said(
        lang, f"Erreur{NB}: {ledger}{NB}: le registre est verrouillé par un autre programme — "
        f"fermez le programme qui l’a ouvert, puis relancez la commande{NNB}; rien n’a été "
        "écrit\n",
        f"Error: {ledger}: the ledger is locked by another program — close the program that "
        "has it open, then run the command again; nothing was written\n")
    ledger.write_bytes(b"not a database, a spreadsheet saved over it" * 100)
    damaged = run(*COMPOSE, "--format", "md", "--force", project=campaign)
    assert damaged.exit_code == 1
    assert damaged.stderr == said(
        lang, f"Erreur{NB}: {ledger}{NB}: le registre est endommagé (file is not a database) — "
        f"mettez-le de côté (renommez-le ledger.sqlite.damaged){NB}: la commande suivante le "
        f"reconstituera à partir de ledger.csv{NNB}; rien n’a été écrit\n",
        f"Error: {ledger}: the ledger is damaged (file is not a database) — move it aside "
        "(rename it ledger.sqlite.damaged): the next command rebuilds it from ledger.csv; "
        "nothing was written\n")


def test_a_read_only_ledger_is_still_read(lang: str, campaign: Path, monkeypatch) -> None:
    """Told apart by its class, not by its words: a ledger that cannot be written is read as
    it is, in French too."""
    from letterkit.ledger.database import Ledger, LedgerUnwritable

    assert run(*COMPOSE, "--format", "md", project=campaign).exit_code == 0
    ledger = campaign / "ledger.sqlite"
    read_only = sqlite3.connect(f"{ledger.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as refused:
            read_only.execute("DELETE FROM letters")  # SQLite's own SQLITE_READONLY
    finally:
        read_only.close()
    with Ledger(campaign) as opened:
        error = opened._error(refused.value)
        assert isinstance(error, LedgerUnwritable)
        assert str(error) == said(
            lang, f"{ledger}{NB}: impossible d’écrire dans le registre (attempt to write a "
            "readonly database) — rendez-le accessible en écriture, ainsi que le dossier de "
            f"campagne, puis relancez la commande{NNB}; rien n’a été écrit",
            f"{ledger}: the ledger cannot be written (attempt to write a readonly database) — "
            "make it and the campaign folder writable, then run the command again; nothing "
            "was written")

        def unwritable() -> sqlite3.Connection:
            raise error

        monkeypatch.setattr(opened, "_connection", unwritable)
        assert [e.assoc for e in opened.entries()] == ["ARPE"]
        assert message(opened.entry, 9) == said(
            lang, "aucune lettre n° 9 dans le registre — letterkit ledger liste les lettres et "
            "leurs numéros",
            "no letter 9 in the ledger — letterkit ledger lists the letters and their ids")


def test_a_line_of_ledger_csv_that_cannot_be_read(lang: str, tmp_path: Path) -> None:
    from letterkit.ledger.export import read_export

    export = tmp_path / "ledger.csv"
    export.write_text('id,date,record\n1,2026-03-01,"{""measures"": [1, 2]}"\n'
                      "x,2026-03-02,\n", encoding="utf-8")
    assert message(read_export, export) == said(
        lang, f"{export}, ligne 2{NB}: impossible de lire la lettre de cette ligne "
        f"(«{NB}measures{NB}» doit être un objet JSON) — remettez la ligne telle que letterkit "
        "l’a écrite, ou supprimez-la",
        f"{export}, line 2: cannot read the letter on this line (« measures » should be an "
        "object) — put back the line as letterkit wrote it, or remove it")
    export.write_text("id,date\n1.5,2026-03-01\n", encoding="utf-8")
    assert message(read_export, export) == said(
        lang, f"{export}, ligne 2{NB}: impossible de lire la lettre de cette ligne (la colonne "
        "id vaut 1.5, qui n’est pas un numéro de lettre) — remettez la ligne telle que "
        "letterkit l’a écrite, ou supprimez-la",
        f"{export}, line 2: cannot read the letter on this line (the id 1.5 is not a letter's "
        "number) — put back the line as letterkit wrote it, or remove it")


def test_the_inbox_s_requests(lang: str, new_campaign, tmp_path: Path) -> None:
    from letterkit.ledger.database import Ledger
    from letterkit.ledger.requests import Inbox, read_inbox

    bellerive = new_campaign("bellerive")
    document = tmp_path / "appel.md"
    document.write_text("Le sport.\n", encoding="utf-8")
    assert run("inbox", "add", str(document), "--assoc", "ESB", project=bellerive).exit_code == 0
    copy = tmp_path / "encore.md"
    copy.write_bytes(document.read_bytes())
    again = run("inbox", "add", str(copy), "--assoc", "ESB", project=bellerive)
    assert again.exit_code == 1
    assert again.stderr == said(
        lang, f"Erreur{NB}: encore.md est déjà dans la boîte de réception{NB}: demande n° 1 — "
        f"letterkit inbox --all affiche la demande n° 1{NNB}; rien n’a été écrit\n",
        "Error: encore.md is already in the inbox: request 1 — letterkit inbox --all shows "
        "request 1; nothing was written\n")
    with Ledger(bellerive) as ledger:
        assert message(Inbox(ledger).request, 7) == said(
            lang, "aucune demande n° 7 dans la boîte de réception — letterkit inbox --all liste "
            "les demandes et leurs numéros",
            "no request 7 in the inbox — letterkit inbox --all lists the requests and their ids")
    inbox = bellerive / "inbox.csv"
    inbox.write_text(inbox.read_text(encoding="utf-8").replace(",received,", ",perdue,"),
                     encoding="utf-8")
    assert message(read_inbox, inbox) == said(
        lang, f"{inbox}, ligne 2{NB}: impossible de lire la demande de cette ligne (état "
        f"«{NB}perdue{NB}»{NB}: choisissez parmi received, drafted, sent, done) — remettez la "
        "ligne telle que letterkit l’a écrite, ou supprimez-la",
        f"{inbox}, line 2: cannot read the request on this line (status « perdue »: one of "
        "received, drafted, sent, done) — put back the line as letterkit wrote it, or remove it")
