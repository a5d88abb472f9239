"""What the issue-23 review found on the newer surfaces, each case with its real failure:
titles and Subjects as plain text, the draft's YAML, CSV cells inert in a spreadsheet, the
e-mail's HTML loading nothing, readers bounded, non-UTF-8 input, batch workers killed."""

from __future__ import annotations

import email
from email import policy

from pypdf import PdfReader

from .conftest import edit
from .test_mail import RECIPIENT, cli, emailing


def test_titles_subject_and_metadata_are_plain_text(campaign) -> None:
    """« Parents & Enfants » and « [2026] » reach the Markdown escaped (\\& and \\[): the
    Subject, the PDF's and the DOCX's metadata read them as written."""
    root = emailing(campaign, 25)
    edit(root / "associations.yaml", "    name: ARPE\n", "    name: Parents & Enfants *\n")
    edit(root / "associations.yaml", "politiques municipales\n",
         "politiques municipales [2026]\n")
    result = cli("compose", "--assoc", "ARPE", "--themes", "mediation", "--date", "2026-03-01",
                 "--format", "md,pdf,eml", "--project", str(root))
    assert result.exit_code == 0, result.output
    letters = root / "letters"
    markdown = (letters / "2026-03-01-arpe-mediation.md").read_text(encoding="utf-8")
    assert "\\[2026\\]" in markdown  # escaped in the Markdown, as it must be
    parsed = email.message_from_bytes((letters / "2026-03-01-arpe-mediation.eml").read_bytes(),
                                      policy=policy.default)
    subject = " ".join(str(parsed["Subject"]).split())
    assert subject.endswith("dans les politiques municipales [2026] transmis par "
                            "l’association clamartoise ARPE")
    assert "\\" not in subject
    title = PdfReader(letters / "2026-03-01-arpe-mediation.pdf").metadata.title
    assert title == subject
    assert parsed["To"] == f"Parents & Enfants * <{RECIPIENT}>"


def test_a_file_name_with_a_newline_injects_nothing_into_the_draft(new_campaign, tmp_path) -> None:
    import shutil

    import yaml

    from .test_questionnaire_cli import SAMPLES

    root = new_campaign("bellerive")
    hostile = tmp_path / "roue\nassoc: pirate\nquestions: [].txt"
    shutil.copy(SAMPLES / "roue-libre.txt", hostile)
    result = cli("questions", str(hostile), "--assoc", "Roue Libre", "--project", str(root))
    assert result.exit_code == 0, result.output
    draft = yaml.safe_load((root / "answers" / "roue-libre.yaml").read_text(encoding="utf-8"))
    assert list(draft) == ["assoc", "document", "questions"]
    assert draft["assoc"] == "Roue Libre" and draft["document"] == hostile.name
    assert len(draft["questions"]) == 7
