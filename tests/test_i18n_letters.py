"""Messages made outside the call shapes tests/test_i18n.py reads, in French and English: the
electoral-law warning, what changed in a measure since a letter was sent, an address only
some servers take, what a page leaves out, a command-line value that is not UTF-8."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from letterkit.campaign.vocabulary import address_problem
from letterkit.formats.htmlpage import self_contained
from letterkit.ledger import stale
from letterkit.letter.french import election_warning

NB, NNB = "\u00a0", "\u202f"
ROUNDS = [dt.date(2026, 3, 15), dt.date(2026, 3, 22)]


def test_the_electoral_law_warning_in_english() -> None:
    assert election_warning(ROUNDS, dt.date(2026, 3, 14)) == (
        "the letter is dated 2026-03-14, the eve of an election round: the Code électoral "
        "(art. L49) forbids sending it electronically (e-mail, website) from 0 h today, and "
        "distributing it tomorrow")
    assert election_warning(ROUNDS, dt.date(2026, 3, 13)) is None


def test_the_electoral_law_warning_in_french(french) -> None:
    assert election_warning(ROUNDS, dt.date(2026, 3, 14)) == (
        f"la lettre est datée du 14 mars 2026, veille d’un tour de scrutin{NB}: le Code "
        "électoral (art. L49) interdit de l’envoyer par voie électronique (courriel, site web) "
        f"à partir de ce jour-là à 0{NB}h, et de la distribuer le lendemain")
    assert election_warning(ROUNDS, dt.date(2026, 3, 22)).startswith(
        f"la lettre est datée du 22 mars 2026, jour de scrutin{NB}: ")


def test_what_changed_in_a_measure(french) -> None:
    assert stale._change(26, "un itinéraire continu de 25 km", "un itinéraire continu de 20 km",
                         [1]) == ("la mesure 26 a changé\u00a0: «\u00a0" "25\u00a0» est devenu "
                                  "«\u00a020\u00a0» (la réponse à la question 1)")
    assert stale._change(7, "a b", None, [2, 5]) == (
        "la mesure 7 n’existe plus (la réponse aux questions 2, 5)")
    assert stale._difference("a b c", "a c d") == (
        f"«{NB}b{NB}» a été retiré{NNB}; «{NB}d{NB}» a été ajouté")
    assert stale._difference("a  b", "a b") == "seulement des espaces"


def test_what_changed_in_english() -> None:
    assert stale._change(7, "a b", None, [2, 5]) == (
        "measure 7 no longer exists (the answer to questions 2, 5)")
    assert stale._difference("a b c", "a c d") == "« b » was removed; « d » was added"


def test_an_address_only_some_servers_take(french) -> None:
    assert address_problem("élise@example.org") == (
        f"la partie avant le @ contient des accents ou d’autres lettres hors ASCII{NB}: seul un "
        "serveur de courriel qui offre SMTPUTF8 peut y envoyer", True)
    message, warning = address_problem("contact@-vélo.example")
    assert message.startswith(f"son domaine «{NB}-vélo.example{NB}» ne peut pas s’écrire en "
                              "ASCII (") and not warning


def test_what_a_page_leaves_out(french, tmp_path: Path) -> None:
    css = tmp_path / "letter.css"
    css.write_text('@import "https://example.org/a.css";\nbody { background: url(/etc/x.png) }',
                   encoding="utf-8")
    _page, left_out = self_contained('<img src="../logo.png">', css, tmp_path)
    assert left_out == [
        f"la règle «{NB}@import \"https://example.org/a.css\";{NB}» de la feuille de style "
        f"(@import n’est pas suivi{NB}: mettez les règles dans la feuille de style elle-même)",
        "le fichier /etc/x.png appelé par la feuille de style (seuls les fichiers du dossier "
        "de campagne sont intégrés à la page)",
        "l’image ../logo.png (seuls les fichiers du dossier de campagne sont intégrés à la page)"]


def test_a_value_that_is_not_utf8_in_french() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL")}
    env["LANG"] = "fr_FR.UTF-8"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "letterkit"), "compose", "--assoc", b"Caf\xe9"],
        capture_output=True, env=env, check=False)
    assert result.returncode == 1
    assert result.stderr.decode() == (
        f"Erreur{NB}: «{NB}Caf\ufffd{NB}» n’est pas du texte UTF-8 (un nom de fichier ou une "
        "valeur saisie dans un autre encodage) — renommez le fichier, ou saisissez de nouveau la "
        "valeur\n")
