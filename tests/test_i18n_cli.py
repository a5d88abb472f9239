"""The command line in French: every --help page without an English sentence left, and the
inbox's messages in French and in English."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
import typer

from letterkit.cli import app

from .test_i18n import run
from .test_inbox import QUESTIONNAIRE


def _commands(command, path):  # type: ignore[no-untyped-def]
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, [*path, name])


COMMANDS = list(_commands(typer.main.get_command(app), []))
ENGLISH_WORDS = re.compile(r"(?<![-.\w])(the|and|with|this|which|when|that|its|from|Usage|Show|"
                           r"Examples?|default|required|Commands)\b")


def prose(page: str) -> list[str]:
    """The lines of a help page that are sentences: neither examples (indented under
    « Examples: ») nor the option and file names that start an option's line."""
    found, example = [], False
    for line in page.splitlines():
        text = line.strip()
        if not text:
            example = False
            continue
        if text.endswith(":") and not text.startswith("-"):
            example = bool(re.match(r"(Examples?|Exemples?|with|avec)\b", text))
            continue
        if example or text.startswith(("letterkit ", "Usage:", "Utilisation")):
            continue
        text = re.split(r"\s{2,}", text, maxsplit=1)[-1] if text.startswith("-") or \
            re.match(r"\S+\s{2,}", text) else text
        if len(re.findall(r"[A-Za-zÀ-ÿ’']{2,}", text)) >= 4:
            found.append(text)
    return found


def test_every_command_is_listed() -> None:
    assert ["inbox", "add"] in COMMANDS and ["compose"] in COMMANDS and len(COMMANDS) == 15


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "letterkit")
def test_every_help_page_is_french(path: list[str]) -> None:
    english = run(*path, "--help", lang="C.UTF-8").stdout
    french = run(*path, "--help", lang="fr_FR.UTF-8").stdout
    flat = " ".join(french.split())
    assert [line for line in prose(english) if line in flat] == []
    assert [line for line in prose(french) if ENGLISH_WORDS.search(line)] == []
    assert french.startswith("Utilisation\u00a0: ") and "[OPTIONS]" in french


def test_the_inbox_in_french_and_in_english(new_campaign, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the table on one line a row
    root = new_campaign("bellerive")
    document = tmp_path / "questionnaire.txt"
    document.write_bytes(QUESTIONNAIRE.read_bytes())
    project = ("--project", str(root))
    added = run("inbox", "add", str(document), "--assoc", "Roue Libre", "--due", "2026-02-20",
                "--received", "2026-02-02", *project, lang="fr_FR.UTF-8")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "demande n° 1 enregistrée\nthèmes proposés\u00a0: velo\n"
    listed = run("inbox", "--today", "2026-02-23", *project, lang="fr_FR.UTF-8").stdout
    assert "Demandes en attente de réponse" in listed and "Échéance" in listed
    assert "3 jours de retard" in listed and "reçue" in listed
    assert "3 days late" in run("inbox", "--today", "2026-02-23", *project,
                                lang="C.UTF-8").stdout
    done = run("inbox", "done", "1", "--date", "2026-02-18", *project, lang="fr_FR.UTF-8")
    assert done.stdout == "demande n° 1 traitée le 2026-02-18\n"
    again = run("compose", "--request", "1", *project, lang="fr_FR.UTF-8")
    assert again.returncode == 1
    assert ("la demande n° 1 a déjà reçu une réponse (traitée le 2026-02-18, lettre —)"
            in again.stderr), again.stderr
    assert "letterkit inbox --all l’affiche\u202f; rien n’a été composé" in again.stderr
    english = run("compose", "--request", "1", *project, lang="C.UTF-8").stderr
    assert "request 1 was already answered (done, on 2026-02-18, letter —)" in english
    refused = run("inbox", "--all", "done", "1", *project, lang="fr_FR.UTF-8")
    assert refused.returncode == 2
    assert ("--all ne s’utilise qu’avec letterkit inbox seul, pas avec une sous-commande"
            in refused.stderr)


def summaries(page: str) -> list[str]:
    """The commands' summaries as a group's --help lists them (its last section)."""
    section = re.split(r"^(?:Commands|Commandes)\s*:\n", page, flags=re.M)[-1]
    return [line.split(None, 1)[1] for line in section.splitlines() if line.strip()]


@pytest.mark.parametrize("lang", ["fr_FR.UTF-8", "C.UTF-8"])
@pytest.mark.parametrize("path", [[], ["inbox"]], ids=["letterkit", "inbox"])
def test_the_command_lists_show_whole_short_sentences(path: list[str], lang: str,
                                                      monkeypatch) -> None:
    """Each command's summary in `letterkit --help` is its own short help, a whole sentence
    of at most 45 characters: never its help's first sentence cut short by Click (« … en
    PDF,... »)."""
    monkeypatch.setenv("COLUMNS", "80")
    listed = summaries(run(*path, "--help", lang=lang).stdout)
    assert len(listed) == (2 if path else 12)
    for summary in listed:
        assert not summary.endswith(("...", "…")) and summary.endswith("."), summary
        assert len(summary) <= 45, summary


ARGUMENT_NAME = re.compile(r"[A-ZÀ-Ý]+(\.\.\.|…)?")


@pytest.mark.parametrize("lang", ["fr_FR.UTF-8", "C.UTF-8"])
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "letterkit")
def test_usage_lines_name_arguments_in_capitals(path: list[str], lang: str) -> None:
    """`letterkit init [OPTIONS] DOSSIER`, `letterkit batch [OPTIONS] [FICHIER]`: each
    argument in capitals, never in braces (Typer's `{fichier}`), and named the same in the
    « Arguments » section."""
    page = run(*path, "--help", lang=lang).stdout
    usage = " ".join(page.split("\n\n", 1)[0].split())
    assert "{" not in usage and "}" not in usage, usage
    words = usage.split("letterkit ", 1)[1].split()  # after « Usage: letterkit »
    assert words[:len(path) + 1] == [*path, "[OPTIONS]"], usage
    arguments = [re.sub(r"[][]", "", word) for word in words[len(path) + 1:]]
    if path in ([], ["inbox"]):
        assert arguments == (["COMMANDE", "ARGUMENTS…"] if lang.startswith("fr")
                             else ["COMMAND", "ARGS..."])
        return
    assert all(ARGUMENT_NAME.fullmatch(name) for name in arguments), usage
    section = re.search(r"^Arguments\s*:\n(.*?)(?:\n\n|\Z)", page, re.M | re.S)
    listed = re.findall(r"^  (\S+)", section.group(1), re.M) if section else []
    assert listed == arguments


def flat(page: str) -> str:
    """A help page on one line, its wrapped lines joined (no-break spaces kept)."""
    return re.sub(r" *\n *", " ", page)


DEFAULTS = re.compile(r"\[(?:par défaut|default)\s*:\s*([^\]]*)\]")


@pytest.mark.parametrize("lang", ["fr_FR.UTF-8", "C.UTF-8"])
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "letterkit")
def test_defaults_and_bounds_are_written_in_words(path: list[str], lang: str) -> None:
    """« [par défaut : aujourd’hui] », « [par défaut : le nombre de processeurs ; au moins
    1] »: never Typer's parentheses around the words a command gives for a default, nor
    Click's « x>=1 », and French puts its space before « ; »."""
    page = flat(run(*path, "--help", lang=lang).stdout)
    assert "x>=" not in page and "x<=" not in page
    for notes in DEFAULTS.findall(page):
        assert "(" not in notes and ")" not in notes, notes
        if lang.startswith("fr"):
            assert re.search(r"\S;", notes) is None, notes


def test_the_defaults_as_the_french_reader_reads_them() -> None:
    batch = flat(run("batch", "--help", lang="fr_FR.UTF-8").stdout)
    assert ("[par défaut\u00a0: le nombre de processeurs\u202f; au moins 1]" in batch
            and "[par défaut\u00a0: aujourd’hui]" in batch
            and "[par défaut\u00a0: letters/, dans le dossier de campagne]" in batch), batch
    assert "[default: the number of CPUs; at least 1]" in flat(
        run("batch", "--help", lang="C.UTF-8").stdout)


def test_bounds_and_a_default_worked_out_at_run_time_in_words() -> None:
    """What no letterkit option has yet, written in words all the same: a range with both
    bounds or only the higher one, and a default computed when the command runs (Typer's
    « (dynamic) », « (calculée) » in French, agreed with nothing)."""
    from typer.testing import CliRunner

    from letterkit import i18n
    from letterkit.cli.app import Command

    demo = typer.Typer(rich_markup_mode=None)

    def sample(
        when: Annotated[str, typer.Option(default_factory=lambda: "now", help="When.")],
        level: Annotated[int, typer.Option(min=1, max=9, help="Level.")] = 5,
        above: Annotated[int, typer.Option(min=1, help="Above.")] = 3,
        below: Annotated[int, typer.Option(max=10, help="Below.")] = 2,
    ) -> None:
        """Sample."""

    demo.command(cls=Command)(sample)
    demo.command(cls=Command, name="again")(sample)  # two commands: `sample` is a subcommand
    shown = flat(CliRunner().invoke(demo, ["sample", "--help"]).stdout)
    assert "Level.  [default: 5; from 1 to 9]" in shown
    assert "Above.  [default: 3; at least 1]" in shown
    assert "Below.  [default: 2; at most 10]" in shown
    assert "When.  [default: computed when the command runs]" in shown
    spoken = i18n.LANGUAGE
    try:
        i18n.use("fr")
        shown = flat(CliRunner().invoke(demo, ["sample", "--help"]).stdout)
    finally:
        i18n.use(spoken)
    assert "[par défaut\u00a0: 5\u202f; de 1 à 9]" in shown
    assert "[par défaut\u00a0: valeur calculée au lancement de la commande]" in shown


NAMED_VALUES = {"fr_FR.UTF-8": {"--date": "DATE", "--today": "DATE", "--due": "DATE",
                                "--received": "DATE", "--themes": "THÈMES",
                                "--measures": "NUMÉROS", "--exclude": "NUMÉROS",
                                "--format": "FORMATS"},
                "C.UTF-8": {"--date": "DATE", "--today": "DATE", "--due": "DATE",
                            "--received": "DATE", "--themes": "THEMES", "--measures": "NUMBERS",
                            "--exclude": "NUMBERS", "--format": "FORMATS"}}


@pytest.mark.parametrize("lang", sorted(NAMED_VALUES))
def test_option_values_are_named_alike_in_every_command(lang: str) -> None:
    """`--date DATE`, `--themes THÈMES`, `--measures NUMÉROS`, `--format FORMATS`, never
    « <texte> »; an option that several commands take shows the same value in each."""
    shown: dict[str, set[str]] = {}
    for path in COMMANDS:
        page = run(*path, "--help", lang=lang).stdout
        for option, metavar in re.findall(r"^  (--[\w-]+) (\S+)", page, re.M):
            shown.setdefault(option, set()).add(metavar)
    assert {option: names for option, names in shown.items() if len(names) > 1} == {}
    # and none is named by its type alone (« --assoc <texte> » says nothing of what to type)
    assert {option: names for option, names in shown.items()
            if any(n.startswith("<") for n in names)} == {}
    assert {option: shown[option] for option in NAMED_VALUES[lang]} == {
        option: {name} for option, name in NAMED_VALUES[lang].items()}
