"""The questionnaire letter (compose --answers), on the fictional Bellerive campaign: the
reply's heading, presentation and sign-off around the answers, in order; French typography
as in every letter; and in the PDF each question stays on the page of its answer."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from letterkit.campaign.project import load_project
from letterkit.letter import render
from letterkit.letter.typography import typeset
from letterkit.questionnaire.answers import answers_csv, letter_context, load_answers

from .conftest import words

HERE = Path(__file__).parent
ANSWERS = HERE / "questionnaires" / "roue-libre-answers.yaml"
GOLDEN = HERE / "golden" / "questionnaire-roue-libre.md"
NB, NNB = "\u00a0", "\u202f"
MARCH_1 = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def bellerive(tmp_path_factory):
    root = tmp_path_factory.mktemp("q") / "bellerive"
    shutil.copytree(HERE / "campaigns" / "bellerive", root,
                    ignore=shutil.ignore_patterns("ledger*", "letters"))
    return load_project(root)


def letter(project, themes=(), answers=ANSWERS):
    loaded, _ = load_answers(answers, project.program, "Roue Libre")
    context = letter_context(project, project.association("Roue Libre"), loaded.answers,
                             list(themes), MARCH_1)
    return render.render_letter(render.environment(project.root), "questionnaire", context)


def test_the_letter_is_the_golden_one(bellerive):
    """The whole letter, reviewed as a French reader would, pinned (regenerate the file only
    after reading the difference)."""
    assert letter(bellerive).markdown == GOLDEN.read_text(encoding="utf-8")


def test_answers_in_order_with_position_measures_and_answer(bellerive):
    text = letter(bellerive).markdown
    quoted = re.findall(r"^> \*\*(\d+)\.\*\* (.*)$", text, re.M)
    assert [int(n) for n, _ in quoted] == [1, 2, 3, 4, 5, 6]
    replies = [block for block in text.split("\n\n")
               if text.split("\n\n")[text.split("\n\n").index(block) - 1].startswith("> ")]
    assert replies == [
        # No lead inside an answer: the paragraph's « Se déplacer … Pour cela, » stays out.
        "Oui. Nous réaliserons un réseau cyclable continu de 25\u00a0km reliant "
        "tous les quartiers (**mesure\u00a026**). Les premiers tronçons, entre la gare et le "
        "lycée, seront ouverts dès 2027.",
        f"Nous y consacrerons **30{NB}€** par habitant et par an, soit près de 900{NNB}000{NB}€ "
        "chaque année, hors entretien.",
        # The comma: the member after « et » holds « et » itself.
        "Nous sécuriserons les abords de toutes les écoles par des rues scolaires (**mesure\u00a0"
        "21**), et élargirons les trottoirs et supprimerons les obstacles qui gênent piétons, "
        "poussettes et fauteuils (**mesure\u00a022**).",
        "En partie. Le fonctionnement dépendra du budget voté chaque année par le conseil "
        "municipal.",
        "Oui.",
        "Oui. La Loire à vélo traversera la ville sur une voie verte continue, de la Herse "
        "jusqu’au pont de Bellerive (**mesure\u00a030**).",
    ]
    # A question's bullets read as one sentence.
    assert quoted[3][1] == (f"Quel budget annuel consacrerez-vous aux mobilités actives{NB}: en "
                            f"investissement{NNB}; en fonctionnement{NNB}?")


def test_the_reply_frames_the_answers(bellerive):
    blocks = letter(bellerive).blocks
    assert blocks["title"] == (
        f"Réponse de la liste «{NB}Bellerive en commun{NB}» au questionnaire «{NB}Municipales "
        f"2026{NB}: quelle place pour le vélo à Bellerive{NNB}?{NB}» transmis par l’association "
        "Roue Libre")
    body = blocks["body"].split("\n\n")
    assert body[0].startswith("Vous interpellez la liste")
    assert body[1].startswith("Permettez-nous, avant de répondre, de vous dire qui nous sommes.")
    assert body[2] == ("Nous avons pris connaissance de votre questionnaire et nous y sommes "
                       "particulièrement sensibles.")
    assert body[3] == "Voici nos réponses, question par question."
    assert body[-1].startswith(f"Notre ambition est simple{NB}:")
    assert blocks["signature"].startswith("Pour la liste Bellerive en commun")


def test_themes_add_the_other_measures_after_the_answers(bellerive):
    body = letter(bellerive, ["velo", "handicap"]).blocks["body"]
    # The measures of these themes that answer no question, as the reply cites them.
    after = body.split("(**mesure\u00a030**).\n\n")[1].split("\n\n")
    # Other measures than the answers': « d’autres mesures », however many.
    assert after[0] == ("Vous trouverez dans notre programme d’autres mesures qui vous "
                        "convaincront de la sincérité de notre propos.")
    # Met on the way (sport, no theme paragraph), they are gathered in one paragraph.
    assert after[1].startswith("Nous rendrons accessibles aux personnes en situation de handicap")
    assert "(**mesure\u00a033**)" in after[1]
    assert after[2].startswith("Au-delà de ces mesures")
    assert "(**mesure\u00a026**)" not in body.split("> **6.**")[1]  # cited once, in answer 1
    # The vision of each theme is shared in the acknowledgement.
    assert "vision commune" in body.split("Voici nos réponses")[0]


def test_the_announce_counts_the_measures_that_follow_the_answers(bellerive):
    loaded, _ = load_answers(ANSWERS, bellerive.program, "Roue Libre")

    def body(themes, numbers=()):
        context = letter_context(bellerive, bellerive.association("Roue Libre"),
                                 loaded.answers, themes, MARCH_1, numbers)
        return render.render_letter(render.environment(bellerive.root), "questionnaire",
                                    context).blocks["body"]

    assert ("Vous trouverez dans notre programme une autre mesure qui vous convaincra de la "
            "sincérité de notre propos.\n\nLes cantines serviront") in body([], [58])
    # Every measure of the theme answers a question: nothing more to announce.
    assert "Vous trouverez" not in body(["velo"])


def test_no_lead_inside_an_answer(bellerive):
    text = letter(bellerive).markdown
    assert "Se déplacer à pied ou à vélo" not in text
    assert "\n\nOui. Nous réaliserons un réseau cyclable continu" in text


def test_french_typography_as_in_every_letter(bellerive):
    for themes in ([], ["velo", "handicap"]):
        text = letter(bellerive, themes).markdown
        assert typeset(text) == text  # the pass is done, and done once
        for block in text.rstrip("\n").split("\n\n"):
            assert "  " not in block and " ." not in block and " ," not in block, block
            assert "\\" not in block, block
            assert not re.search(r"\d \d{3}\b", block), block
            assert not re.search(r"[^\u202f\n][!?;](?:\s|$)", block), block
            assert not re.search(r"[^\u00a0\n]:(?:\s|$)", block), block
            assert not re.search(r"'", block), block


def test_answers_csv_from_the_letter(bellerive):
    rows = answers_csv(letter(bellerive).context).decode("utf-8-sig").split("\r\n")
    assert rows[0] == "Numéro;Question;Position;Réponse"
    assert rows[1].startswith("1;Vous engagez-vous à réaliser, pendant le mandat, un réseau "
                              "cyclable continu et sécurisé reliant tous les quartiers de "
                              f"Bellerive{NNB}?;Oui;Oui. Nous réaliserons")
    assert f"(mesure{NB}26)" in rows[1] and "**" not in rows[1]
    assert rows[5] == "5;Signerez-vous la charte «\u00a0Ville cyclable\u00a0» de la " \
        f"Fédération des cyclistes du quotidien{NNB}?;Oui;Oui."
    assert len(rows) == 8 and rows[-1] == ""


def test_each_question_is_on_the_page_of_its_answer(bellerive, tmp_path):
    from letterkit.formats.pdf import writer
    from letterkit.paths import stylesheet

    built = letter(bellerive)
    metadata = {"title": "Réponse", "author": "Bellerive en commun", "subject": "questionnaire",
                "keywords": "", "date": MARCH_1.isoformat()}
    html = render.render_page(render.environment(bellerive.root), built, metadata)
    pdf, left_out = writer(stylesheet(bellerive.root), bellerive.root).write(html,
                                                                             bellerive.root)
    assert left_out == []
    (tmp_path / "q.pdf").write_bytes(pdf)
    pages = [words(page.extract_text()) for page in PdfReader(tmp_path / "q.pdf").pages]
    assert len(pages) == 2
    blocks = built.markdown.split("\n\n")
    for index, block in enumerate(blocks):
        if not block.startswith("> "):
            continue
        question, answer = words(block[2:]), words(blocks[index + 1])[:40]
        on = [n for n, page in enumerate(pages) if question in page]
        assert on and answer in pages[on[0]], block
