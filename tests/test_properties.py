"""Property-based: valid generated data and command lines compose (exit 0, a letter written);
whatever else the data files and the command line hold, letterkit ends with exit 0 and a
letter, or exit 1 and one line per problem of the user's (2 for Typer's own usage errors):
never a traceback, never a bug (« unexpected problem »)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from letterkit.cli import app
from letterkit.letter.typography import typeset

from .conftest import build_campaign

runner = CliRunner()
SETTINGS = settings(max_examples=int(os.environ.get("LETTERKIT_EXAMPLES", "40")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
nasty = st.one_of(text, st.sampled_from([
    "**x**", "<script>", "{{ 7*7 }}", "{% if %}", "../../etc/passwd", "\x00", "\u202e", "",
    " ", "mesure 12", "A vous", "...", "«", "x" * 500]))
scalar = st.one_of(nasty, st.integers(), st.booleans(), st.none(), st.dates(),
                   st.lists(nasty, max_size=3), st.dictionaries(nasty, nasty, max_size=2))


def fresh() -> Path:
    return build_campaign("clamart", Path(tempfile.mkdtemp(prefix="letterkit-prop-")) / "c")


def assert_composed(result, root: Path) -> str:
    """Exit 0 and one Markdown letter written, the reply's: its text."""
    output = result.stdout + result.stderr
    assert result.exit_code == 0, output
    letters = list((root / "letters").glob("*.md")) if (root / "letters").is_dir() else []
    assert len(letters) == 1, output
    text = letters[0].read_text(encoding="utf-8")
    assert text.startswith("Réponse de la liste"), text
    return text


def assert_clean_outcome(result, root: Path) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "unexpected problem" not in output, output  # a bug, not a problem of the data
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    if result.exit_code == 0:
        assert_composed(result, root)
    elif result.exit_code == 1:
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith(("Error: ", "Warning: ")) for line in lines), output
        assert any(line.startswith("Error: ") for line in lines)
    else:
        assert result.exit_code == 2 and "Usage:" in output, output


@SETTINGS
@given(assoc=nasty, themes=st.lists(nasty, min_size=1, max_size=3),
       salutation=st.one_of(st.none(), nasty), date=st.one_of(st.none(), nasty, st.dates().map(
           str)))
def test_any_command_line(assoc, themes, salutation, date) -> None:
    root = fresh()
    args = ["compose", f"--assoc={assoc}", "--format=md", f"--project={root}"]
    args += [f"--themes={t}" for t in themes]
    args += [f"--salutation={salutation}"] if salutation is not None else []
    args += [f"--date={date}"] if date is not None else []
    assert_clean_outcome(runner.invoke(app, args), root)
    shutil.rmtree(root)


# Valid data: what a volunteer may write (letters of French, digits, spaces, punctuation).
FRENCH = "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôœùûüÿABCDEFGHIJKLMNOPQRSTUVWXYZÉÈÀÇŒ0123456789"
words = st.lists(st.text(st.sampled_from(FRENCH), min_size=1, max_size=12), min_size=1,
                 max_size=8).map(" ".join)
sentence = st.tuples(words, st.sampled_from(["", ".", " !", " ?", ",", " :", "…"]),
                     st.one_of(st.just(""), words.map(" ".join))).map("".join)
THEMES = ["mediation", "numerique", "petite-enfance", "environnement", "intergenerationnel",
          "antiracisme", "tranquillite"]


@SETTINGS
@given(assoc=st.sampled_from(["ARPE", "arpe", "Arpe"]),
       themes=st.lists(st.sampled_from(THEMES), min_size=1, max_size=4, unique=True),
       salutation=st.one_of(st.none(), words), date=st.one_of(st.none(), st.dates(
           dt.date(2020, 1, 1), dt.date(2030, 12, 31))))
def test_a_valid_command_line_composes(assoc, themes, salutation, date) -> None:
    root = fresh()
    args = ["compose", f"--assoc={assoc}", "--format=md", f"--project={root}"]
    args += [f"--themes={t}" for t in themes]
    args += [f"--salutation={salutation}"] if salutation is not None else []
    args += [f"--date={date}"] if date is not None else []
    letter = assert_composed(runner.invoke(app, args), root)
    if salutation is not None:  # as French typography sets it (« 0X0 » is « 0×0 »), spaces
        # aside: typography may make them no-break ones
        assert "".join(typeset(salutation).split()) in "".join(letter.split()), letter
    shutil.rmtree(root)


VALID_FIELDS = st.sampled_from([
    ("associations.yaml", ("associations", 0, "name"), words),
    ("associations.yaml", ("associations", 0, "salutation"), words),
    ("associations.yaml", ("associations", 0, "document", "title"), sentence),
    ("measures.yaml", ("measures", 0, "text"), sentence.map(lambda s: f"{s} (mesure 11)")),
    ("measures.yaml", ("themes", "numerique", "label"), words),
    ("campaign.yaml", ("list_name",), words),
    ("campaign.yaml", ("closing",), sentence),
    ("campaign.yaml", ("signature",), words),
    ("campaign.yaml", ("place",), words),
])


@SETTINGS
@given(changes=st.lists(VALID_FIELDS.flatmap(lambda f: st.tuples(st.just(f[:2]), f[2])),
                        min_size=1, max_size=4))
def test_valid_data_composes(changes) -> None:
    root = fresh()
    for (name, path), value in changes:
        data = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["compose", "--assoc", "ARPE", "--themes", "numerique",
                                 "--format", "md,html", "--project", str(root)])
    assert_composed(result, root)
    assert list((root / "letters").glob("*.html")), result.output
    checked = runner.invoke(app, ["check", "--project", str(root)])
    assert checked.exit_code == 0, checked.output
    shutil.rmtree(root)


FIELDS = st.sampled_from([
    ("associations.yaml", ("associations", 0, "short_name")),
    ("associations.yaml", ("associations", 0, "name")),
    ("associations.yaml", ("associations", 0, "salutation")),
    ("associations.yaml", ("associations", 0, "address")),
    ("associations.yaml", ("associations", 0, "document")),
    ("associations.yaml", ("associations", 0, "document", "title")),
    ("associations.yaml", ("associations", 0, "document", "kind")),
    ("associations.yaml", ("associations", 0, "partner")),
    ("associations.yaml", ("associations",)),
    ("measures.yaml", ("measures", 0, "number")),
    ("measures.yaml", ("measures", 0, "themes")),
    ("measures.yaml", ("measures", 0, "text")),
    ("measures.yaml", ("themes", "numerique", "label")),
    ("measures.yaml", ("paragraphs", 0, "sentences", 0, "measures")),
    ("measures.yaml", ("paragraphs", 1, "lead")),
    ("campaign.yaml", ("list_name",)),
    ("campaign.yaml", ("election_rounds",)),
    ("campaign.yaml", ("program", "published")),
    ("campaign.yaml", ("closing",)),
    ("campaign.yaml", ("letterhead",)),
    ("campaign.yaml", ("signatories",)),
])


@SETTINGS
@given(changes=st.lists(st.tuples(FIELDS, scalar), min_size=1, max_size=3))
def test_any_data_file(changes) -> None:
    root = fresh()
    for (name, path), value in changes:
        data = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        target = data
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["compose", "--assoc", "ARPE", "--themes", "numerique",
                                 "--format", "md,html", "--project", str(root)])
    assert_clean_outcome(result, root)
    checked = runner.invoke(app, ["check", "--project", str(root)])
    assert checked.exit_code in (0, 1), checked.output
    assert "Traceback" not in checked.output and "unexpected problem" not in checked.output
    shutil.rmtree(root)


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_any_bytes_as_a_data_file(raw) -> None:
    root = fresh()
    (root / "measures.yaml").write_bytes(raw)
    result = runner.invoke(app, ["compose", "--assoc", "ARPE", "--themes", "numerique",
                                 "--format", "md", "--project", str(root)])
    assert_clean_outcome(result, root)
    shutil.rmtree(root)
