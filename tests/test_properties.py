"""Property-based: whatever the data files and the command line hold, letterkit ends with exit 0
and a letter, or exit 1 and one line per problem (2 for Typer's own usage errors), and never
a traceback."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from letterkit.cli import app

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


def assert_clean_outcome(result, root: Path) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    if result.exit_code == 0:
        letters = list((root / "letters").glob("*.md")) if (root / "letters").is_dir() else []
        assert letters, output
        assert letters[0].read_text(encoding="utf-8").startswith("Réponse de la liste")
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
    assert checked.exit_code in (0, 1) and "Traceback" not in checked.stdout
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
