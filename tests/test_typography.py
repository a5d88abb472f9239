"""French typography: one case per rule of docs/typography.md, as input → expected."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letterkit.letter import plainprose
from letterkit.letter.blockhtml import block_html, keep_pattern
from letterkit.letter.typography import typeset, typeset_text

NB, NNB = "\u00a0", "\u202f"

RULES = [
    # Spacing
    ("Objet : réponse", f"Objet{NB}: réponse"),
    ("vraiment ! Quoi ?", f"vraiment{NNB}! Quoi{NNB}?"),
    ("ceci ; cela", f"ceci{NNB}; cela"),
    ("« plaidoyer »", f"«{NB}plaidoyer{NB}»"),
    ('"plaidoyer"', f"«{NB}plaidoyer{NB}»"),
    ("104 mesures", f"104{NB}mesures"),
    ("25 %", f"25{NB}%"),
    ("50 €", f"50{NB}€"),
    ("mesure 89", f"mesure{NB}89"),
    ("les mesures 61 et 62", f"les mesures{NB}61 et 62"),
    ("10000 habitants", f"10{NNB}000{NB}habitants"),
    ("en 2026 à Clamart", "en 2026 à Clamart"),
    ("un budget de 300 000 € par an", f"un budget de 300{NNB}000{NB}€ par an"),
    (f"300{NB}000 habitants", f"300{NNB}000{NB}habitants"),
    ("un fonds de 5000 € par an", f"un fonds de 5{NNB}000{NB}€ par an"),
    ("d'ici à 2028, sans hausse", "d’ici à 2028, sans hausse"),
    ("les 15 et 22 mars 2026 100 fois", f"les 15 et 22{NB}mars{NB}2026 100{NB}fois"),
    ("« Non à la bétonisation des bords de Loire ! »",
     f"«{NB}Non à la bétonisation des bords de Loire{NNB}!{NB}»"),
    ("92140 Clamart", "92140 Clamart"),
    # A name made of an acronym and a number stays whole, and the number is not a quantity
    # of the word after it.
    ("de laquelle SUPE 45 est adhérent", f"de laquelle SUPE{NB}45 est adhérent"),
    ("la COP 21 a eu lieu", f"la COP{NB}21 a eu lieu"),
    ("la mesure 10000 reste", f"la mesure{NB}10000 reste"),
    # A number and a unit symbol, capital or not, stay together.
    ("un budget de 2,4 M€ par an", f"un budget de 2,4{NB}M€ par an"),
    ("15 k€ par an", f"15{NB}k€ par an"),
    ("3 MW, 2 Md€ et 12 Mo", f"3{NB}MW, 2{NB}Md€ et 12{NB}Mo"),
    ("la CIE 2 Mo", f"la CIE{NB}2{NB}Mo"),
    ("M. Dupont", f"M.{NB}Dupont"),
    ("Mme Durand", f"Mme{NB}Durand"),
    ("une phrase , puis une autre .", "une phrase, puis une autre."),
    ("( entre parenthèses )", "(entre parenthèses)"),
    ("les 15 et 22 mars", f"les 15 et 22{NB}mars"),
    # Characters
    ("l'association", "l’association"),
    ("aujourd'hui", "aujourd’hui"),
    ('« Il a dit "oui" »', f"«{NB}Il a dit “oui”{NB}»"),
    ("de santé ... Autant", "de santé… Autant"),
    ("de santé...", "de santé…"),
    ("le 1er, la 1ère, le 2ème, les 3èmes", "le 1er, la 1re, le 2e, les 3es"),
    # Roman ordinals: « XVIIe », bound to their noun; acronyms and words are not numerals.
    ("le XVIIème siècle, le Vè arrondissement", f"le XVIIe{NB}siècle, le Ve{NB}arrondissement"),
    ("(XVIIe siècle)", f"(XVIIe{NB}siècle)"),
    ("François Ier et la IIIe République", f"François Ier et la IIIe{NB}République"),
    ("les XIXe et XXe siècles", f"les XIXe et XXe{NB}siècles"),
    *((words, words) for words in ["la CIE, le DOE, la MIE, Le Vie, De nombreuses"]),
    ("n° 12", f"n°{NB}12"),
    ("A vous lire, nous", "À vous lire, nous"),
    ("Merci. A vous lire", "Merci. À vous lire"),
    ("le plan A et le plan B", "le plan A et le plan B"),
    ("Clamart, le 1er mars 2026", f"Clamart, le 1er{NB}mars{NB}2026"),
    # Inclusive writing is kept as written.
    ("des citoyen·ne·s fier·e·s, tous·tes", "des citoyen·ne·s fier·e·s, tous·tes"),
]


@pytest.mark.parametrize(("text", "expected"), RULES)
def test_rule(text: str, expected: str) -> None:
    assert typeset(text) == expected
    assert typeset(expected) == expected, "not idempotent"


@pytest.mark.parametrize("untouched", [
    "https://clamartagauche.fr/programme?page=2;x=1",
    "contact@clamartagauche.fr",
    "`code : 10000 mesures ; ...`",
    "[le site](https://example.org/a:b?c=d;e)",
])
def test_urls_e_mails_and_code_are_left_alone(untouched: str) -> None:
    text = f"Voir {untouched} !"
    assert typeset(text) == f"Voir {untouched}{NNB}!"


def test_markdown_emphasis_survives() -> None:
    assert typeset("le « *plaidoyer* » (**mesure 89**) : ok") == (
        f"le «{NB}*plaidoyer*{NB}» (**mesure{NB}89**){NB}: ok")


def test_plain_text_pass_for_addresses() -> None:
    assert typeset_text("Clamart à gauche !") == f"Clamart à gauche{NNB}!"


@given(st.text(alphabet=st.sampled_from(list("aéA1 0:;!?.«»\"'…-*_()n°\n[]`<>#&%€")),
               max_size=60))
def test_the_pass_is_idempotent(text: str) -> None:
    once = typeset(text)
    assert typeset(once) == once


@pytest.mark.parametrize(("markdown", "html"), [
    (f"le 1er{NB}décembre", f"<p>le 1<sup>er</sup>{NB}décembre</p>\n"),
    ("la 1re et la 2e", "<p>la 1<sup>re</sup> et la 2<sup>e</sup></p>\n"),
    (f"n°{NB}12", f"<p>n<sup>o</sup>{NB}12</p>\n"),
    (f"(XVIIe{NB}siècle)", f"<p>(XVII<sup>e</sup>{NB}siècle)</p>\n"),
    ("François Ier, la Ire", "<p>François I<sup>er</sup>, la I<sup>re</sup></p>\n"),
    ("les VIIIes Jeux", "<p>les VIII<sup>es</sup> Jeux</p>\n"),
    # Acronyms and words are not Roman ordinals.
    ("la CIE, le DOE, la MIE, Ie, Me, Vers, Le, De, Ce",
     "<p>la CIE, le DOE, la MIE, Ie, Me, Vers, Le, De, Ce</p>\n"),
    ("`1er`", "<p><code>1er</code></p>\n"),
    ("[le 1er](https://x.fr/1er)", '<p><a href="https://x.fr/1er">le 1<sup>er</sup></a></p>\n'),
])
def test_superscripts_in_html_text_only(markdown: str, html: str) -> None:
    assert block_html(markdown) == html


def test_protected_words_are_wrapped_for_no_hyphenation() -> None:
    keep = keep_pattern(["Clamart à gauche !", "ARPE", "Clamart"])
    html = block_html(f"La liste Clamart à gauche{NNB}! de Clamart cite la mesure{NB}89 pour "
                      "les citoyen·ne·s sur clamartagauche.fr et ARPE.", keep)
    assert html == (
        '<p>La liste <span class="keep">Clamart à gauche\u202f!</span> de '
        '<span class="keep">Clamart</span> cite la <span class="keep">mesure\u00a089</span> '
        'pour les <span class="keep">citoyen·ne·s</span> sur '
        '<span class="keep">clamartagauche.fr</span> et <span class="keep">ARPE</span>.</p>\n')


# --- The fast path: polytypo's pass on plain prose, by precompiled rules ----------------------

def _polytypo(markdown: str) -> str:
    from polytypo.markdown import transform

    return transform(markdown, locale="fr", dialect="commonmark")


_WORDS = ["mesure", "la", "A", "À", "M.", "Mme", "MM.", "J.", "R.", "etc.", "104", "5", "10000",
          "%", "€", "km", "kWh", "Clamart", "l'asso", "d’un", "x", "D", "é", "co-logement",
          "tous·tes", "mars"]
_PUNCTUATION = [":", ";", "!", "?", ",", ".", "...", "…", ")", "(", "«", "»"]
_SPACES = [" ", " ", "", NB, NNB]


@st.composite
def _prose(draw) -> str:
    """French prose around the places polytypo acts: punctuation, quotes, numbers and units,
    titles and initials, emphasis, in every spacing."""
    parts = []
    for _ in range(draw(st.integers(1, 10))):
        kind = draw(st.sampled_from(["word", "word", "punctuation", "emphasis", "quote"]))
        if kind == "word":
            parts.append(draw(st.sampled_from(_WORDS)))
        elif kind == "punctuation":
            parts.append(draw(st.sampled_from(_PUNCTUATION)))
        else:
            inner = " ".join(draw(st.lists(st.sampled_from(_WORDS + _PUNCTUATION), min_size=1,
                                           max_size=3)))
            if kind == "emphasis":
                delimiter = draw(st.sampled_from(["*", "**"]))
                parts.append(delimiter + inner + delimiter)
            else:
                parts.append("«" + draw(st.sampled_from(_SPACES)) + inner
                             + draw(st.sampled_from(_SPACES)) + "»")
        parts.append(draw(st.sampled_from(_SPACES)))
    return "".join(parts).strip()


@settings(max_examples=300, deadline=None)
@given(_prose())
def test_the_fast_path_is_polytypo_on_the_prose_it_takes(text: str) -> None:
    fast = plainprose.transform(text)
    if fast is not None:
        assert fast == _polytypo(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aéA1 0:;!?.,«»'’…-*()%€M\u00a0\u202f")),
               max_size=40))
def test_the_fast_path_is_polytypo_on_any_text_it_takes(text: str) -> None:
    fast = plainprose.transform(text)
    if fast is not None:
        assert fast == _polytypo(text)


def test_the_fast_path_takes_the_prose_of_a_letter() -> None:
    # What a letter is mostly made of; the rest (code, links, straight double quotes,
    # dashes) goes to polytypo.
    for text in ["Vous interpellez la liste « Clamart à gauche ! » afin que nous nous "
                 "positionnions sur le « *plaidoyer pour la médiation* » transmis par "
                 "l'association ARPE.",
                 "Nous lutterons contre la fracture numérique (**mesure 89**) : nous "
                 "travaillerons à garantir le choix ; nous instaurerons des maisons.",
                 f"Notre ambition est claire : **ne laisser personne de côté**. Faisons "
                 f"basculer Clamart les 15 et 22{NB}mars prochains !",
                 "M. Dupont et Mme Durand, de santé ... Autant de 25 % et 50 €."]:
        assert plainprose.transform(text) == _polytypo(text)
    for text in ['le "plaidoyer"', "voir `code`", "[lien](https://x.fr)", "a -- b"]:
        assert plainprose.transform(text) is None


def test_month_names_and_thousands_are_babels() -> None:
    from babel.dates import get_month_names
    from babel.numbers import format_decimal

    from letterkit.letter.french import month_name
    from letterkit.letter.typography import typeset as pass_

    assert [month_name(m) for m in range(1, 13)] == list(get_month_names("wide", locale="fr")
                                                          .values())
    for number in (10_000, 99_999, 123_456_789):
        grouped = format_decimal(number, locale="fr_FR").replace(NB, NNB)
        assert pass_(f"{number} habitants") == f"{grouped}{NB}habitants"
