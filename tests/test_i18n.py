"""The French interface: the catalog complete and in step with the source and the compiled .mo,
the language chosen from the environment as gettext reads it, and the command line run under
a French and an English locale."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from letterkit.i18n import language

from .conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import messages

LOCALE = REPO / "src" / "letterkit" / "locale"
PO = LOCALE / "fr" / "LC_MESSAGES" / "letterkit.po"
MO = PO.with_suffix(".mo")
LETTERKIT = str(Path(sys.executable).parent / "letterkit")


def catalog_po():  # type: ignore[no-untyped-def]
    with PO.open("rb") as stream:
        return read_po(stream)


def ids(catalog) -> set:  # type: ignore[no-untyped-def]
    return {m.id for m in catalog if m.id}


def test_every_message_has_its_french() -> None:
    untranslated = [m.id for m in catalog_po() if m.id and (
        "fuzzy" in m.flags or not m.string
        or (isinstance(m.string, tuple) and not all(m.string)))]
    assert untranslated == []


def test_the_pot_is_in_step_with_the_source() -> None:
    """Extracted again, as make messages does: the same strings as letterkit.pot."""
    method_map = [("cli/**.py", messages.extract_cli), ("**.py", "python")]
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "count": (2, 3)}
    found = {msg if isinstance(msg, str) else tuple(msg)
             for _file, _line, msg, _comments, _context in extract_from_dir(
                 REPO / "src" / "letterkit", method_map, keywords=keywords)}
    with (LOCALE / "letterkit.pot").open("rb") as stream:
        pot = ids(read_po(stream))
    assert found - pot == set(), "run make messages: new strings"
    assert pot - found == set(), "run make messages: strings gone from the source"
    assert ids(catalog_po()) == pot


def test_the_mo_is_in_step_with_the_po() -> None:
    def flat(value):  # type: ignore[no-untyped-def]
        return value if isinstance(value, str) else tuple(value)

    with MO.open("rb") as stream:
        compiled = {flat(m.id): flat(m.string) for m in read_mo(stream) if m.id}
    written = {flat(m.id): flat(m.string) for m in catalog_po() if m.id}
    assert compiled == written, "run make messages: letterkit.mo is not letterkit.po compiled"


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "fr_FR.UTF-8"}, "fr"), ({"LANG": "fr_CA.UTF-8"}, "fr"), ({"LANG": "fr"}, "fr"),
    ({"LC_ALL": "fr_BE.UTF-8", "LANG": "C.UTF-8"}, "fr"),
    ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LANGUAGE": "fr:en", "LANG": "C.UTF-8"}, "fr"),
    ({"LANGUAGE": "en_GB:fr", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"), ({}, "en"),
    ({"LANG": "french"}, "en"),
])
def test_the_language_is_read_as_gettext_reads_it(environ, expected) -> None:
    assert language(environ) == expected


def run(*args: str, lang: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    return subprocess.run([LETTERKIT, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, check=False)


def test_help_in_french_under_a_french_locale() -> None:
    shown = run("compose", "--help", lang="fr_FR.UTF-8").stdout
    assert shown.startswith("Utilisation\u00a0: letterkit compose [OPTIONS]")
    assert "Composer la lettre destinée à une association, en Markdown et en PDF" in shown
    assert "Options\u00a0:" in shown and "Afficher cette aide et quitter." in shown
    assert "par défaut" in shown and "default" not in shown
    assert "[obligatoire]" in run("init", "--help", lang="fr_FR.UTF-8").stdout
    assert "--assoc" in shown and "--themes" in shown  # option names do not change
    top = run("--help", lang="fr_FR.UTF-8").stdout
    assert "Installer la complétion automatique pour" in top
    assert "Commandes\u00a0:" in top and "Show this message" not in top


def test_help_in_english_under_an_english_locale() -> None:
    shown = run("compose", "--help", lang="C.UTF-8").stdout
    assert shown.startswith("Usage: letterkit compose [OPTIONS]")
    assert "Write the letter to one association as Markdown and PDF" in shown
    assert "Show this message and exit." in shown


@pytest.mark.parametrize(("args", "french", "english"), [
    (["compose", "--themse", "x"],
     "Erreur\u00a0: Option inconnue\u00a0: --themse (options possibles\u00a0: --template, "
     "--themes, --yes)",
     "Error: No such option: --themse (Possible options: --template, --themes, --yes)"),
    (["compose", "--themes", "mediation"],
     "Erreur\u00a0: Valeur invalide\u00a0: indiquez l’association avec --assoc NOM, ou une "
     "demande de la boîte de réception à laquelle répondre avec --request NUMÉRO",
     "Error: Invalid value: give the association with --assoc NAME, or a request of the inbox "
     "to answer with --request ID"),
    (["batch", "x.csv", "--jobs", "zero"],
     "Erreur\u00a0: Valeur invalide pour '--jobs'\u00a0: un nombre entier est attendu ici",
     "Error: Invalid value for '--jobs': 'zero' is not a valid int range."),
    (["batch", "x.csv", "--jobs", "0"],
     "Erreur\u00a0: Valeur invalide pour '--jobs'\u00a0: la valeur minimale autorisée est 1",
     "Error: Invalid value for '--jobs': 0 is not in the range x>=1."),
    (["compose", "--assoc"], "Erreur\u00a0: L’option --assoc attend une valeur.",
     "Error: Option '--assoc' requires an argument."),
    (["init"], "Erreur\u00a0: Argument manquant\u00a0: 'DOSSIER'.",
     "Error: Missing argument 'FOLDER'."),
    (["init", "a", "b"], "Erreur\u00a0: Argument(s) en trop\u00a0: b",
     "Error: Got unexpected extra argument(s) (b)"),
    (["compose", "--assoc", "ARPE"],
     "Erreur\u00a0: Valeur invalide\u00a0: indiquez les thèmes avec --themes (ou un document",
     "Error: Invalid value: give the themes with --themes (or a document"),
    (["frobnicate"], "Erreur\u00a0: Commande inconnue\u00a0: «\u00a0frobnicate\u00a0».",
     "Error: No such command 'frobnicate'."),
])
def test_usage_errors_in_the_interface_language(args, french, english) -> None:
    in_french, in_english = run(*args, lang="fr_FR.UTF-8"), run(*args, lang="C.UTF-8")
    assert in_french.returncode == in_english.returncode == 2
    assert french in in_french.stderr, in_french.stderr
    assert english in in_english.stderr, in_english.stderr
    # The usage line and where to find help, when Typer shows them in English.
    assert ("Try 'letterkit" in in_english.stderr) == ("Tapez «\u00a0letterkit"
                                                       in in_french.stderr)
    assert ("Usage: " in in_english.stderr) == ("Utilisation\u00a0: " in in_french.stderr)
    assert "Try 'letterkit" in in_english.stderr or args == ["compose", "--assoc"]


def test_listing_and_problems_in_french(campaign: Path) -> None:
    shown = run("themes", "--project", str(campaign), lang="fr_FR.UTF-8").stdout
    assert "Identifiant" in shown and "Libellé" in shown and "thèmes" in shown
    shown = run("measures", "--project", str(campaign), lang="fr_FR.UTF-8").stdout
    assert "Mesure" in shown and "N°" in shown
    (campaign / "associations.yaml").write_text("- [", encoding="utf-8")
    shown = run("check", "--project", str(campaign), lang="fr_FR.UTF-8")
    assert shown.returncode == 1
    assert "Erreur\u00a0: associations.yaml, ligne" in shown.stdout
    assert "1\u00a0erreur" not in shown.stdout and "1 erreur" in shown.stdout
    shown = run("check", "--project", str(campaign), lang="C.UTF-8")
    assert "Error: associations.yaml, line" in shown.stdout and "1 error" in shown.stdout


# Where a message shown to the user is made: the first argument of these calls, and these
# keywords of any call. Each must be translated where it is made: `_("…")`,
# `_("… {x} …").format(x=…)`, `ngettext`, `count`, or a name that holds one.
MESSAGE_CALLS = {"Problem", "LetterkitError", "AlreadyWritten", "LedgerLocked", "BadParameter",
                 "ValueError", "say", "Column", "DocumentLimit", "problem", "_problem", "warn",
                 "fail", "located"}
MESSAGE_KEYWORDS = {"hint", "message", "help", "title", "prompt"}
TRANSLATORS = {"_", "ngettext", "count"}


def _translated(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name in TRANSLATORS:
            return True
        if name in ("format", "join") and isinstance(node.func, ast.Attribute):
            return _translated(node.func.value) or name == "join"
    if isinstance(node, ast.IfExp):
        return _translated(node.body) and _translated(node.orelse)
    if isinstance(node, ast.BinOp):
        return _translated(node.left) and _translated(node.right)
    return not _holds_words(node)


def _holds_words(node: ast.expr) -> bool:
    """A literal with a word in it (not « », « : » or an f-string of values only)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_holds_words(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _holds_words(node.left) or _holds_words(node.right)
    return False


def untranslated_messages(path: Path) -> list[str]:
    """The messages of `path` made in English and left so. A string the user never sees (an
    internal error caught before it is shown) says so on its line: « # not shown: why »."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name in TRANSLATORS and node.args and not isinstance(node.args[0], ast.Constant):
            if isinstance(node.args[0], ast.JoinedStr | ast.BinOp):
                found.append(f"line {node.lineno}: {name}() of an f-string or a sum, which "
                             "Babel cannot extract: use {name} placeholders and .format()")
            continue
        shown = [node.args[0]] if name in MESSAGE_CALLS and node.args else []
        shown += [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
        found += [f"line {a.lineno}: {ast.unparse(a)[:90]}" for a in shown
                  if not _translated(a) and "# not shown:" not in lines[a.lineno - 1]]
    return found


SOURCES = sorted(p.relative_to(REPO / "src" / "letterkit")
                 for p in (REPO / "src" / "letterkit").rglob("*.py"))


@pytest.mark.parametrize("source", SOURCES, ids=str)
def test_no_message_escapes_translation(source: Path) -> None:
    """Every message shown to the user is marked where it is made, so that letterkit.po
    holds it; none is an English string left as it was."""
    assert untranslated_messages(REPO / "src" / "letterkit" / source) == []


def french_typography_faults(text: str) -> list[str]:
    """What `text` gets wrong of French typography: a no-break space before « : ; ? ! » and
    inside « », the typographic apostrophe, the ellipsis as one character. What is quoted (in
    « » or `backquotes`, often a command or a YAML line) and placeholders are not read."""
    faults = [f"« without a no-break space after it: {text!r}"
              for _ in re.finditer(r"«(?![\u00a0\u202f])", text)]
    faults += [f"» without a no-break space before it: {text!r}"
               for _ in re.finditer(r"(?<![\u00a0\u202f])»", text)]
    prose = re.sub(r"«[^»]*»|`[^`]*`|\{[^}]*\}|\w+://\S+", "…", text)
    faults += [f"{m.group()!r} without a no-break space before it: {text!r}"
               for m in re.finditer(r"(?<![\u00a0\u202f\s])[;?!]|(?<![\u00a0\u202f])[:;?!](?=\s|$)",
                                    prose)]
    faults += [f"straight apostrophe: {text!r}" for _ in re.finditer(r"\w'\w", prose)]
    faults += [f"three dots for an ellipsis: {text!r}" for _ in re.finditer(r"\.\.\.", prose)]
    return faults


def test_the_french_follows_french_typography() -> None:
    wrong = []
    for message in catalog_po():
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wrong += [f for s in strings for f in french_typography_faults(s)]
    assert wrong == []


def test_a_core_message_is_french_under_a_french_locale(campaign: Path) -> None:
    """A message made in a core module (questionnaire/documents.py), not by the command line:
    translated where it is made, shown in French."""
    args = ("compose", "--assoc", "ARPE", "--from", "absent.txt", "--project", str(campaign))
    in_french, in_english = run(*args, lang="fr_FR.UTF-8"), run(*args, lang="C.UTF-8")
    assert in_french.returncode == in_english.returncode == 1
    assert in_french.stderr.startswith("Erreur\u00a0: absent.txt\u00a0: fichier introuvable — ")
    assert in_english.stderr.startswith("Error: absent.txt: file not found — ")


def test_the_french_names_the_options_the_english_names() -> None:
    """Option names do not change: each `--option` of a message is in its French, whole (the
    typography pass once made « --date/--out » into « --date/ — out »)."""
    wrong = []
    for message in catalog_po():
        english = " ".join(message.id) if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for french in strings:
            missing = set(re.findall(r"--[a-z][\w-]*", english)) - set(
                re.findall(r"--[a-z][\w-]*", french))
            wrong += [f"{option} in {english!r}: {french!r}" for option in sorted(missing)]
    assert wrong == []


# Words that make a string an English sentence (two of them, in three words or more).
ENGLISH_WORDS = set("the is not cannot can should of to with only are be has have no this that "
                    "it its for from a an or and was were which what there here write add give "
                    "use".split())


def english_sentences(path: Path) -> list[str]:
    """The string literals of `path` that read as English prose and are not marked for
    translation: the messages the call shapes above do not see (a sentence appended to a
    list, returned, written to stderr). Not prose: docstrings, SQL, regular expressions,
    French text (the draft's comments), and lines marked « # not shown: why »."""
    source = path.read_text(encoding="utf-8")
    lines, tree = source.splitlines(), ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(
                node.func, "id", getattr(node.func, "attr", None)) in TRANSLATORS | {"N_"}:
            skipped |= {id(sub) for arg in node.args for sub in ast.walk(arg)}
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) \
                or id(node) in skipped:
            continue
        text, line = node.value, lines[node.lineno - 1]
        words = re.findall(r"[a-z]+", text.lower())
        if sum(w in ENGLISH_WORDS for w in words) < 2 or len(words) < 3 \
                or "\\" in text or re.search(r"SELECT|CREATE|[àâçéèêîôûù«»]|\[\^?\w-\w", text) \
                or "# not shown:" in line:
            continue
        found.append(f"line {node.lineno}: {text[:80]!r}")
    return found


@pytest.mark.parametrize("source", SOURCES, ids=str)
def test_no_english_sentence_escapes_translation(source: Path) -> None:
    assert english_sentences(REPO / "src" / "letterkit" / source) == []
