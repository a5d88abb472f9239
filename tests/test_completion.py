"""Tab completion through the shells' own protocol, as the scripts of --install-completion call
letterkit: bash (COMP_WORDS, COMP_CWORD), zsh and fish (_TYPER_COMPLETE_ARGS), the entry point
run as the shell runs it; and the quick listings equal to the full ones."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from letterkit.campaign import quick
from letterkit.campaign.project import load_project
from letterkit.pipeline.listings import measure_rows, theme_rows

LETTERKIT = str(Path(sys.executable).parent / "letterkit")
# Two clearly fictional associations whose names have accents, apostrophes and spaces.
MORE = """
  - short_name: Théâtre de l'Écluse
    salutation: Madame la Présidente
    document:
      kind: courrier
  - short_name: Vélo'Cité 12
    name: Association Vélo'Cité du douzième
    salutation: Monsieur le Président
    document:
      kind: courrier
"""


@pytest.fixture
def folder(campaign: Path) -> Path:
    with (campaign / "associations.yaml").open("a", encoding="utf-8") as stream:
        stream.write(MORE)
    (campaign / "answers").mkdir()
    for name in ("arpe.yaml", "roue-libre.yaml"):
        (campaign / "answers" / name).write_text("questions: []\n", encoding="utf-8")
    return campaign


def complete(shell: str, line: str, cwd: Path, cword: int | None = None) -> list[str]:
    """What letterkit answers the shell completing `line` (the cursor at its end, in word
    `cword` for bash: by default the last of the words between spaces)."""
    env = {k: v for k, v in os.environ.items() if k != "LETTERKIT_PROJECT"}
    env["_LETTERKIT_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        words = line.split(" ")
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1 if cword is None
                                                      else cword)}
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run([LETTERKIT], env=env, cwd=cwd, capture_output=True, text=True,
                          check=True)
    return [answer for answer in done.stdout.splitlines() if answer]


def test_bash_association_names_without_accents_or_case(folder) -> None:
    assert complete("bash", "letterkit compose --assoc theatre", folder) == [
        "Théâtre\\ de\\ l\\'Écluse"]
    assert complete("bash", "letterkit compose --assoc VELO", folder) == ["Vélo\\'Cité\\ 12"]
    # by the full name too, and with the quote the user opened
    assert complete("bash", "letterkit compose --assoc \"association velo", folder,
                    cword=3) == ["Vélo\\'Cité\\ 12"]
    # « a »: ARPE, and « Association Vélo'Cité du douzième » by its full name
    assert complete("bash", "letterkit compose --assoc a", folder) == ["ARPE", "Vélo\\'Cité\\ 12"]
    assert complete("bash", "letterkit compose --assoc zzz", folder) == []


def test_bash_completes_the_quoted_name_whole(folder) -> None:
    """The escaped value, given back to bash, is the one argument letterkit expects."""
    [value] = complete("bash", "letterkit compose --assoc théâ", folder)
    echoed = subprocess.run(["bash", "-c", f"printf '%s\\n' {value}"], capture_output=True,
                            text=True, check=True).stdout
    assert echoed == "Théâtre de l'Écluse\n"


def test_zsh_and_fish(folder) -> None:
    assert complete("zsh", "letterkit compose --assoc theatre", folder) == [
        "_arguments '*: :((\"Théâtre de l''Écluse\"))'"]
    assert complete("fish", "letterkit compose --assoc velo", folder) == ["Vélo'Cité 12"]
    assert complete("fish", "letterkit ledger --assoc ar", folder) == ["ARPE"]
    assert complete("fish", "letterkit questions q.pdf --assoc théâtre", folder) == [
        "Théâtre de l'Écluse"]


def test_each_theme_of_a_comma_list(folder) -> None:
    assert complete("bash", "letterkit compose --themes mediation,num", folder) == [
        "mediation,numerique"]
    # by the label, without accents; the themes already given are not offered again
    assert complete("fish", "letterkit compose --themes numerique,TRANQUILLITE", folder) == [
        "numerique,tranquillite"]
    assert complete("fish", "letterkit compose --themes medi", folder) == ["mediation"]
    assert complete("fish", "letterkit measures --theme petite", folder) == ["petite-enfance"]
    offered = complete("fish", "letterkit compose --themes mediation,", folder)
    assert "mediation,numerique" in offered and "mediation,mediation" not in offered


def test_measure_numbers(folder) -> None:
    assert complete("bash", "letterkit compose --measures 6", folder) == ["61", "62", "65"]
    assert complete("bash", "letterkit compose --exclude 61,6", folder) == ["61,62", "61,65"]
    assert complete("zsh", "letterkit compose --measures 9", folder) == [
        "_arguments '*: :((\"95\"))'"]


def test_answers_files(folder, tmp_path) -> None:
    assert complete("bash", "letterkit compose --answers ", folder) == [
        "answers/arpe.yaml", "answers/roue-libre.yaml"]
    assert complete("bash", "letterkit check --answers answers/r", folder) == [
        "answers/roue-libre.yaml"]
    # from elsewhere, with --project: paths the shell can use from there
    line = f"letterkit compose --project {folder} --answers "
    assert complete("fish", line, tmp_path) == [
        os.path.relpath(folder / "answers" / "arpe.yaml", tmp_path),
        os.path.relpath(folder / "answers" / "roue-libre.yaml", tmp_path)]


def test_request_ids_once_an_inbox_exists(folder) -> None:
    from letterkit.cli import completion

    class Context:
        def __init__(self) -> None:
            self.params = {"project": str(folder)}

    assert completion.requests(Context(), None, "") == []  # type: ignore[arg-type]
    with sqlite3.connect(folder / "ledger.sqlite") as connection:
        connection.execute("CREATE TABLE requests (id INTEGER PRIMARY KEY, association TEXT)")
        connection.executemany("INSERT INTO requests VALUES (?, ?)",
                               [(1, "ARPE"), (12, "ARPE"), (2, "Roue Libre")])
    assert completion.requests(Context(), None, "1") == ["1", "12"]  # type: ignore[arg-type]


def test_a_broken_file_completes_nothing(folder) -> None:
    (folder / "associations.yaml").write_text("associations: [", encoding="utf-8")
    assert complete("bash", "letterkit compose --assoc a", folder) == []


@pytest.mark.parametrize("name", ["clamart", "bellerive"])
def test_the_quick_listings_are_the_full_ones(new_campaign, name) -> None:
    root = new_campaign(name)
    program = load_project(root).program
    assert quick.measure_rows(root) is None  # not yet known valid
    quick.remember_valid(root, quick.data_key(root))
    assert quick.measure_rows(root) == measure_rows(program)
    assert quick.theme_rows(root) == theme_rows(program)
    for tag, theme in program.themes.items():
        assert quick.measure_rows(root, theme.label.upper()) == measure_rows(program, tag)
    assert quick.measure_rows(root, "no such theme") is None  # the full load says why
    with (root / "measures.yaml").open("a", encoding="utf-8") as stream:
        stream.write("\n# edited\n")
    assert quick.measure_rows(root) is None  # edited: loaded in full again


def test_an_edit_that_breaks_the_data_is_reported(campaign) -> None:
    run = [LETTERKIT, "measures", "--project", str(campaign)]
    assert subprocess.run(run, capture_output=True, check=True).returncode == 0
    assert quick.known_valid(campaign)
    text = (campaign / "measures.yaml").read_text(encoding="utf-8")
    (campaign / "measures.yaml").write_text(text.replace("number: 89", "number: -89", 1),
                                            encoding="utf-8")
    broken = subprocess.run(run, capture_output=True, text=True, check=False)
    assert broken.returncode == 1 and "measures.yaml, line" in broken.stderr
