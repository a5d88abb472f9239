"""Grammalecte as the tests' judge of French: every letter form a test composes is read by it,
and any grammar error it reports fails the test, except the false positives listed here, each
with its reason (the one place they are kept).

Grammalecte is the Debian package python3-grammalecte, for Debian's /usr/bin/python3
(`make test` installs it); it runs in one child process per call (grammalecte_run.py), on
every paragraph given. Its spelling errors are not judged: letters are full of proper names.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

PYTHON = Path("/usr/bin/python3")
RUNNER = Path(__file__).with_name("grammalecte_run.py")
MISSING = ("Grammalecte is not installed for /usr/bin/python3: `make test-system` installs the "
           "Debian package python3-grammalecte")


@dataclass(frozen=True)
class FalsePositive:
    rule: str          # the start of Grammalecte's rule id
    text: str          # a regular expression the flagged words match in full
    before: str        # a regular expression the paragraph matches just before them
    reason: str
    after: str = ""    # a regular expression the paragraph matches just after them


FALSE_POSITIVES = (
    FalsePositive(
        "g2__typo_ordinaux_chiffres_exposants", r"1er", r"",
        "« 1er mars » is written « 1er », as in the reference letter and TYPOGRAPHY.md; the "
        "PDF sets it in superscript itself"),
    FalsePositive(
        "p_sigle", r"P\.J\.", r"(?:^|\n)$",
        "« P.J. » (pièces jointes) is the abbreviation the Lexique des règles typographiques "
        "de l'Imprimerie nationale gives for a letter's enclosures"),
    FalsePositive(
        "gv1__ppas_det_plur_COD_que_avoir", r"élaboré|adressé|élaborée|adressée",
        r"»\s*que vous (?:nous )?avez $",
        "Grammalecte takes a plural noun inside the quoted title for the participle's object; "
        "the object is the document before the quotes (« le manifeste « Les hameaux ne sont "
        "pas des oubliés » que vous avez élaboré »)"),
    FalsePositive(
        "g3__gn_det_epi_plur", r"transmise?", r"»\s*$",
        "Grammalecte agrees « transmis » after a quoted title with a noun inside the quotes; "
        "it agrees with the document before them (« la pétition « Une voie verte jusqu'aux "
        "hameaux » transmise par … »)"),
    FalsePositive(
        "g3__gn_", r"[A-ZÀÂÉÈÊÎÔ][\w’-]*", r"\b(?:l’|le |la )[a-zéèâ ]+ $",
        "a sender's proper name in apposition to its kind (« l’amicale Tilleul 26 », « le "
        "collectif Amis du Parc ») is a name: it does not agree with the kind, whatever the "
        "common noun its first word also is"),
    FalsePositive(
        "g3__gn_", r"[a-zéèâ]+", r"\b(?:l’|le |la )$",
        "the same apposition, flagged on the kind (« l’amicale » before « Tilleul 26 »)",
        after=r" (?:[a-zéè]+ )?[A-ZÀÂÉÈÊÎÔ]"),
)


def plain(markdown: str) -> list[str]:
    """The paragraphs of a Markdown letter as a reader sees them (no emphasis marks)."""
    text = markdown.replace("**", "").replace("*", "").replace("\\", "")
    paragraphs = [re.sub(r"[ \n]+", " ", block).strip(" ") for block in text.split("\n\n")]
    return [p.lstrip("> ") for p in paragraphs if p]


def _excused(paragraph: str, error: dict[str, object]) -> bool:
    start, end = int(str(error["start"])), int(str(error["end"]))
    return any(str(error["rule"]).startswith(fp.rule)
               and re.fullmatch(fp.text, paragraph[start:end])
               and re.search(fp.before + r"\Z", paragraph[:start])
               and re.match(fp.after, paragraph[end:])
               for fp in FALSE_POSITIVES)


def faults(paragraphs: list[str]) -> list[str]:
    """Every grammar error Grammalecte finds in `paragraphs` and no false positive excuses,
    one line each: the rule, the words, the message and the paragraph's start."""
    assert PYTHON.exists(), MISSING
    run = subprocess.run([str(PYTHON), str(RUNNER)], input=json.dumps(paragraphs),
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, MISSING if "No module named 'grammalecte'" in run.stderr \
        else run.stderr
    found = []
    for paragraph, errors in zip(paragraphs, json.loads(run.stdout), strict=True):
        for error in errors:
            if not _excused(paragraph, error):
                start, end = int(error["start"]), int(error["end"])
                found.append(f"{error['rule']}: « {error['text']} » — {error['message']} — in "
                             f"« {paragraph[max(0, start - 60):end + 40]} »")
    return found
