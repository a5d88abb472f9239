"""pydantic's validation errors as letterkit words them, in French and in English: every kind
of error the models can give has its own message (none is pydantic's English left as is), a
union's members are one error at the value's own key, and the real `letterkit check` text."""

from __future__ import annotations

import typing

import pytest
from pydantic import BaseModel, ValidationError

from letterkit.campaign import models
from letterkit.campaign.rules.types import MESSAGES, error_message, without_union_members
from letterkit.questionnaire import answers

from .test_data import edit, problems

NB = "\u00a0"
# What a volunteer may write by mistake in any key: each wrong for some type.
WRONG = ["cent", 1.5, -1, 0, 70000, True, "peut-être", [1], {"a": 1}, "2026-02-30", "", None]
OWN_WORDING = {"value_error", "too_short", "too_long"}  # error_message words these itself


def all_models() -> list[type[BaseModel]]:
    found = [m for module in (models, answers) for m in vars(module).values()
             if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ in (
                 models.__name__, answers.__name__)]
    assert len(found) > 10
    return found


def test_every_error_the_models_can_give_has_letterkit_s_words() -> None:
    kinds = set()
    for model in all_models():
        for name, field in model.model_fields.items():
            for wrong in WRONG:
                try:
                    model.model_validate({field.alias or name: wrong})
                except ValidationError as exc:
                    kinds |= {e["type"] for e in exc.errors()}
    assert kinds - set(MESSAGES) - OWN_WORDING == set()
    assert {"missing", "int_parsing", "literal_error", "list_type", "bool_parsing"} <= kinds


def errors(model: type[BaseModel], data: dict[str, typing.Any]) -> list[tuple[str, ...]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(".".join(map(str, e["loc"])), *filter(None, error_message(e)))
            for e in without_union_members(caught.value.errors(), data)]


SMTP = {"host": "h", "from": "x", "security": "tls", "port": 70000, "allow_plain_auth": "oui?"}


def test_the_messages_in_english() -> None:
    assert errors(models.Smtp, SMTP) == [
        ("port", "input should be less than 65536"),
        ("security", "input should be 'starttls', 'ssl' or 'none'",
         "use one of the values listed"),
        ("allow_plain_auth", "input should be true or false", "write true or false")]


def test_the_messages_in_french(french) -> None:
    assert errors(models.Smtp, SMTP) == [
        ("port", "la valeur doit être inférieure à 65536"),
        ("security", "la valeur doit être 'starttls', 'ssl' ou 'none'",
         "employez l’une des valeurs indiquées"),
        ("allow_plain_auth", "la valeur doit être true ou false", "écrivez true ou false")]
    assert errors(models.Paragraph, {"sentences": []}) == [
        ("sentences", "la liste doit avoir au moins 1 élément (elle en a 0)")]
    assert ("election_rounds",
            "les tours de scrutin doivent être indiqués dans l’ordre chronologique") in \
        errors(models.Campaign, {"election_rounds": ["2026-03-22", "2026-03-15"]})


def test_a_union_is_one_error_at_the_value_s_key() -> None:
    """`enclosures` items are a text or a block of keys: a number is a wrong text, a block
    without its label a wrong block, and neither names pydantic's members."""
    data = {"short_name": "A", "salutation": "x", "document": {"kind": "charte"},
            "enclosures": [5, {"file": "a.pdf"}, "Le programme"]}
    assert errors(models.Association, data) == [
        ("enclosures.0", "input should be a valid string",
         "write plain text (quote it if it starts with a special character)"),
        ("enclosures.1.label", "required key is missing", "add this key")]


def test_check_in_french(french, campaign) -> None:
    edit(campaign / "campaign.yaml", "  size: 104", "  size: cent quatre")
    edit(campaign / "associations.yaml", "    salutation: Madame la Présidente\n", "")
    assert problems(campaign) == [
        f"campaign.yaml, ligne 12, clé program.size{NB}: un nombre entier est attendu, or ce "
        "texte n’en est pas un — écrivez un nombre entier",
        f"associations.yaml, ligne 21, clé associations[0].salutation{NB}: clé obligatoire "
        "manquante — ajoutez cette clé"]


def test_did_you_mean_in_french(french, campaign) -> None:
    edit(campaign / "associations.yaml", "    salutation: Madame la Présidente",
         "    salutation: Madame la Présidente\n    salutaton: x")
    from letterkit.campaign.project import load_project

    warnings = [str(w) for w in load_project(campaign).warnings]
    assert warnings == [
        f"associations.yaml, ligne 24, clé associations[0].salutaton{NB}: clé inconnue, "
        "ignorée — vouliez-vous dire salutation\u202f?"]


def test_either_in_both_languages(french) -> None:
    from letterkit import i18n
    from letterkit.text import either

    assert (either([]), either(["a"]), either(iter(["a", "b", "c"]))) == ("", "a", "a ou b ou c")
    i18n.use("en")
    assert either(["a", "b"]) == "a or b"
