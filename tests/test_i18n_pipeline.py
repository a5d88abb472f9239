"""The messages of src/letterkit/pipeline/ in French under a French interface, the real text:
a batch file's bad rows (in the process and through the command line), dates and formats, a
mail server that refuses, the inbox's figures; and the English unchanged otherwise."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from letterkit.errors import LetterkitError
from letterkit.pipeline import batch as batches
from letterkit.pipeline import inbox, smtp, values
from letterkit.pipeline.build import Request

from .test_mail import Inbox, certificate, eml, free_port, letter  # noqa: F401  (fixtures)

NB = "\u00a0"  # the no-break space French typography sets before « : » and inside « »
LETTERKIT = str(Path(sys.executable).parent / "letterkit")
BAD_ROWS = ("assoc,themes,date,couleur\n"
            "ARPE,mediation,2026-03-01,rouge\n"
            "ARPE,mediation,1er mars,\n"
            "ARPE,mediation,2026-03-01,\n"
            ",mediation,,\n")


def bad_rows(campaign: Path) -> Path:
    path = campaign / "demandes.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    return path


FRENCH_ERRORS = [
    f"demandes.csv, ligne 2{NB}: colonne inconnue{NB}: couleur (colonnes possibles{NB}: "
    "assoc, themes, measures, exclude, answers, date, format, out, salutation, kind, gender)",
    f"demandes.csv, ligne 3{NB}: «{NB}1er mars{NB}» n’est pas une date{NB}: écrivez-la sous la "
    "forme 02/03/2026, 2 mars 2026 ou 2026-03-02",
    None,
    f"demandes.csv, ligne 5{NB}: les colonnes assoc et themes (ou measures, ou answers) sont "
    "obligatoires",
]
ENGLISH_ERRORS = [
    "demandes.csv, line 2: unknown column couleur (columns: assoc, themes, measures, exclude, "
    "answers, date, format, out, salutation, kind, gender)",
    "demandes.csv, line 3: « 1er mars » is not a date: write it as 02/03/2026, 2 mars 2026 or "
    "2026-03-02",
    None,
    "demandes.csv, line 5: assoc and themes (or measures, or answers) are required",
]


def test_a_batch_file_s_bad_rows_in_french(french, campaign: Path) -> None:
    items = batches.read_requests(bad_rows(campaign), Request("", []))
    assert [item.error for item in items] == FRENCH_ERRORS


def test_a_batch_file_s_bad_rows_in_english(campaign: Path) -> None:
    items = batches.read_requests(bad_rows(campaign), Request("", []))
    assert [item.error for item in items] == ENGLISH_ERRORS


def run(*args: str, lang: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env |= {"LANG": lang, "COLUMNS": "400"}  # a wide table: each error on one line
    return subprocess.run([LETTERKIT, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, check=False)


@pytest.mark.parametrize(("lang", "errors"), [("fr_FR.UTF-8", FRENCH_ERRORS),
                                              ("C.UTF-8", ENGLISH_ERRORS)])
def test_batch_through_the_command_line(campaign: Path, lang: str, errors: list) -> None:
    bad_rows(campaign)
    shown = run("batch", "demandes.csv", "--jobs", "1", lang=lang, cwd=campaign)
    assert shown.returncode == 1, shown.stderr
    for error in errors:
        if error is not None:
            assert error in shown.stdout, shown.stdout


def test_an_empty_or_headless_requests_file_in_french(french, campaign: Path) -> None:
    empty = campaign / "vide.csv"
    empty.write_text("\n;;\n", encoding="utf-8")
    with pytest.raises(LetterkitError) as caught:
        batches.read_requests(empty, Request("", []))
    assert str(caught.value) == (
        f"{empty}{NB}: le fichier est vide — écrivez une ligne d’en-tête "
        f"«{NB}association;thèmes;date{NB}», puis une ligne par lettre")
    latin = campaign / "latin.csv"
    latin.write_bytes("assoc;thèmes\nARPE;médiation\n".encode("cp1252"))
    warnings: list = []
    batches.read_requests(latin, Request("", []), warnings)
    assert [str(w) for w in warnings] == [
        f"{latin}{NB}: ce fichier n’est pas en UTF-8 (octet 0xe8 à la ligne 1){NB}: il a été lu "
        "comme du Windows-1252 — vérifiez que ses accents s’affichent correctement, ou "
        f"enregistrez-le au format «{NB}CSV UTF-8{NB}»"]


def test_dates_and_formats_in_french(french) -> None:
    with pytest.raises(ValueError) as caught:
        values.parse_date("31/02/2026")
    assert str(caught.value) == f"«{NB}31/02/2026{NB}» n’est pas une date qui existe"
    with pytest.raises(ValueError) as caught:
        values.parse_formats("rtf")
    assert str(caught.value) == (
        f"«{NB}rtf{NB}»{NB}: choisissez parmi {', '.join(values.FORMATS)}, séparés par des "
        "virgules")
    assert values.parse_date("1er mars 2026") == dt.date(2026, 3, 1)  # the values do not change


def test_a_date_on_the_command_line_in_french(campaign: Path) -> None:
    shown = run("compose", "--assoc", "ARPE", "--themes", "mediation", "--date", "1er mars",
                lang="fr_FR.UTF-8", cwd=campaign)
    assert shown.returncode == 2
    assert (f"«{NB}1er mars{NB}» n’est pas une date{NB}: écrivez-la sous la forme 02/03/2026, "
            "2 mars 2026 ou 2026-03-02") in shown.stderr


def test_an_interrupted_batch_says_so_in_french(french, campaign: Path) -> None:
    from letterkit.campaign.project import load_project

    project = load_project(campaign)
    items = [batches.Item(1, "ARPE / mediation", Request("ARPE", ["mediation"]))]
    [outcome] = batches.run(project, items, jobs=1, stop=lambda: True)
    assert outcome.error == batches.NOT_DONE == f"non composée{NB}: le lot a été interrompu"


def test_not_done_stays_english_in_english() -> None:
    assert batches.NOT_DONE == "not done: the batch was interrupted"
    assert batches.KILLED.startswith("the worker composing this letter died")


class Refusing(Inbox):
    """Refuses the message after DATA, with a reply of its own, in French as some servers do."""

    async def handle_DATA(self, server, session, envelope) -> str:
        return "554 5.7.1 Message refusé : politique locale"


class RefusingRecipients(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        return "550 5.1.1 Boîte inconnue"


def sending(handler: Inbox, letter) -> str:  # noqa: F811
    from letterkit.i18n import _

    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(LetterkitError) as caught:
            smtp.send(eml(letter), host="127.0.0.1", port=port, security="none",
                      username=None, password=None,
                      what=_("letter {number}").format(number=1))
    finally:
        controller.stop()
    return str(caught.value).replace(f":{port}", ":PORT")


def test_a_server_that_refuses_the_message_in_french(french, letter) -> None:  # noqa: F811
    # The server's own reply stays as it wrote it, inside the French sentence.
    assert sending(Refusing(), letter) == (
        f"impossible d’envoyer la lettre 1{NB}: 127.0.0.1:PORT a répondu 554 5.7.1 Message "
        "refusé : politique locale — vérifiez le bloc smtp de campaign.yaml, ou réessayez plus "
        "tard")


def test_a_server_that_refuses_the_recipient_in_french(french, letter) -> None:  # noqa: F811
    assert sending(RefusingRecipients(), letter) == (
        f"associations.yaml, clé email{NB}: impossible d’envoyer la lettre 1{NB}: "
        "127.0.0.1:PORT a refusé l’adresse presidence@arpe.example — vérifiez l’adresse de "
        "courriel de l’association")


def test_a_server_that_refuses_in_english(letter) -> None:  # noqa: F811
    assert sending(Refusing(), letter) == (
        "cannot send letter 1: 127.0.0.1:PORT answered 554 5.7.1 Message refusé : politique "
        "locale — check the smtp block of campaign.yaml, or try again later")


def rows(*states: tuple[str, int | None, bool]) -> list[dict]:
    return [{"status": status, "days_left": days, "overdue": overdue}
            for status, days, overdue in states]


def test_the_inbox_s_figures_in_french(french) -> None:
    assert inbox.summary(rows(("received", -2, True), ("drafted", 3, False),
                              ("sent", None, False))) == (
        f"3 demandes{NB}: 1 en retard, 1 arrivant à échéance dans les 7 prochains jours")
    assert inbox.summary(rows(("received", 10, False))) == (
        f"1 demande{NB}: 0 en retard, 0 arrivant à échéance dans les 7 prochains jours")
    assert inbox.summary([]).startswith(f"0 demande{NB}:")
    assert [inbox.status_label(s) for s in ("received", "drafted", "sent", "done", "odd")] == [
        "reçue", "rédigée", "envoyée", "traitée", "odd"]


def test_the_inbox_s_figures_in_english() -> None:
    assert inbox.summary(rows(("received", 10, False))) == (
        "1 request: 0 overdue, 0 due within 7 days")
    assert inbox.status_label("drafted") == "drafted"
