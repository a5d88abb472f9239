"""Phase 1 of the validation: each data file against its model, every bad field located."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from letterkit.campaign.yamlfile import KeyPath, Source, key_path
from letterkit.errors import Problem
from letterkit.i18n import N_, _, ngettext
from letterkit.text import did_you_mean

# One of pydantic's errors (its ErrorDetails): type, loc, msg, ctx.
ErrorDetails = Mapping[str, Any]

# Each kind of error pydantic reports, as letterkit words it: the message (its placeholders
# are the error's context) and what to do. The English is pydantic's own, without its jargon.
_INTEGER = N_("write a whole number")
_DATE = N_("write the date as YYYY-MM-DD")
_BLOCK = N_("write a block of « key: value » lines")
MESSAGES = {
    "missing": (N_("required key is missing"), N_("add this key")),
    "int_parsing": (N_("input should be a valid integer, unable to parse string as an integer"),
                    _INTEGER),
    "int_type": (N_("input should be a valid integer"), _INTEGER),
    "int_from_float": (N_("input should be a valid integer, got a number with a fractional "
                          "part"), _INTEGER),
    "greater_than": (N_("input should be greater than {gt}"), None),
    "greater_than_equal": (N_("input should be greater than or equal to {ge}"), None),
    "less_than": (N_("input should be less than {lt}"), None),
    "less_than_equal": (N_("input should be less than or equal to {le}"), None),
    "date_from_datetime_parsing": (N_("input should be a valid date"), _DATE),
    "date_parsing": (N_("input should be a valid date"), _DATE),
    "date_from_datetime_inexact": (N_("input should be a valid date"), _DATE),
    "date_type": (N_("input should be a valid date"), _DATE),
    "string_type": (N_("input should be a valid string"),
                    N_("write plain text (quote it if it starts with a special character)")),
    "list_type": (N_("input should be a valid list"),
                  N_("write a list, one « - item » per line or [a, b]")),
    "dict_type": (N_("input should be a block of « key: value » lines"), _BLOCK),
    "model_type": (N_("input should be a block of « key: value » lines"), _BLOCK),
    "bool_parsing": (N_("input should be true or false"), N_("write true or false")),
    "bool_type": (N_("input should be true or false"), N_("write true or false")),
    "literal_error": (N_("input should be {expected}"), N_("use one of the values listed")),
}


def error_message(error: ErrorDetails) -> tuple[str, str | None]:
    """The message and the hint for one of pydantic's errors, in the interface's language."""
    context = error.get("ctx", {})
    kind = error["type"]
    if kind == "value_error":  # a validator's own message, translated where it was raised
        return str(context["error"]), None
    if kind in ("too_short", "too_long"):
        bound, actual = context["min_length" if kind == "too_short" else "max_length"], \
            context["actual_length"]
        return (ngettext("list should have at least {bound} item, not {actual}",
                         "list should have at least {bound} items, not {actual}", bound)
                if kind == "too_short" else
                ngettext("list should have at most {bound} item, not {actual}",
                         "list should have at most {bound} items, not {actual}", bound)
                ).format(bound=bound, actual=actual), None
    if kind not in MESSAGES:  # not one the models can give: pydantic's English
        return error["msg"][0].lower() + error["msg"][1:], None
    message, hint = MESSAGES[kind]
    if kind == "literal_error":
        context = {"expected": one_of(re.findall(r"'[^']*'", context["expected"]))}
    return _(message).format(**context), _(hint) if hint else None


def one_of(values: list[str]) -> str:
    """« 'a', 'b' or 'c' »."""
    if len(values) < 2:
        return "".join(values)
    return _("{values} or {last}").format(values=", ".join(values[:-1]), last=values[-1])


M = TypeVar("M", bound=BaseModel)


def to_model(model: type[M], source: Source, problems: list[Problem]) -> M | None:
    """Validate a parsed file against its model, appending a located problem per bad field
    (and a warning per unknown key); None if a field is wrong."""
    if not isinstance(source.data, dict):
        problems.append(Problem(_("the file should hold « key: value » lines"),
                                file=source.name, line=1,
                                hint=_("see the example campaign for what it should hold")))
        return None
    try:
        instance = model.model_validate(source.data)
    except ValidationError as exc:
        for error in without_union_members(exc.errors(), source.data):
            message, hint = error_message(error)
            problems.append(source.problem(message, tuple(error["loc"]), hint))
        return None
    problems += unknown_keys(instance, source)
    return instance


def without_union_members(errors: Sequence[ErrorDetails], data: Any) -> list[ErrorDetails]:
    """pydantic reports a value that fits no member of a union (`str | Enclosure`) once per
    member, each under a key of its own (`enclosures[0].constrained-str`): keep the errors of
    the member the value's shape is meant for (a block of keys for a model, else the other),
    at the value's own path."""
    members: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
    for number, error in enumerate(errors):
        at = _member_at(error, data)
        if at is not None:
            members.setdefault(tuple(error["loc"][:at]), []).append((number, at))
    dropped: set[int] = set()
    moved: dict[int, int] = {}
    for path, found in members.items():
        block = isinstance(_value_at(data, path), dict)
        meant = [(n, at) for n, at in found if (len(errors[n]["loc"]) > at + 1) == block
                 and errors[n]["type"] not in ("model_type", "dict_type")] or found[:1]
        dropped |= {n for n, _at in found} - {n for n, _at in meant}
        moved |= {n: at for n, at in meant}
    return [{**e, "loc": e["loc"][:moved[n]] + e["loc"][moved[n] + 1:]} if n in moved else e
            for n, e in enumerate(errors) if n not in dropped]


def _member_at(error: ErrorDetails, data: Any) -> int | None:
    """Where the error's path names a union's member, not a key of the data (None if it
    does not: a key that is missing is named by a « missing » error)."""
    value, loc = data, error["loc"]
    for index, part in enumerate(loc):
        if (isinstance(value, dict) and part in value) or (
                isinstance(value, list) and isinstance(part, int) and part < len(value)):
            value = value[part]
        elif isinstance(part, str) and (index < len(loc) - 1 or error["type"] != "missing"):
            return index
        else:
            return None
    return None


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@dataclass
class PartialSource(Source):
    """A file whose wrong list items were left out: paths into the kept items are mapped back
    to the items' places in the file, so that problems name the right line and key."""

    kept: dict[str, list[int]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)  # the file's data, every item

    def original(self, path: KeyPath) -> KeyPath:
        if len(path) > 1 and path[0] in self.kept and isinstance(path[1], int):
            return (path[0], self.kept[str(path[0])][path[1]], *path[2:])
        return path

    def line(self, path: KeyPath) -> int | None:
        return Source.line(self, self.original(path))

    def problem(self, message: str, path: KeyPath, hint: str | None = None,
                warning: bool = False) -> Problem:
        original = self.original(path)
        return Problem(message, file=self.name, line=Source.line(self, original),
                       key=key_path(original), hint=hint, warning=warning)


def partial_model(model: type[M], source: Source) -> tuple[M, PartialSource] | None:
    """The model of a file that has type errors, without the list items holding them (a
    wrong measure, a wrong association), so that the cross-checks still run on the others and
    every problem is reported at once. None if an error is outside such items."""
    if not isinstance(source.data, dict):
        return None
    try:
        model.model_validate(source.data)
        return None
    except ValidationError as exc:
        errors = exc.errors()
    wrong: dict[str, set[int]] = {}
    for error in errors:
        loc = error["loc"]
        if len(loc) < 2 or not isinstance(loc[1], int) \
                or not isinstance(source.data.get(loc[0]), list):
            return None
        wrong.setdefault(str(loc[0]), set()).add(loc[1])
    data = dict(source.data)
    kept = {}
    for key, indexes in wrong.items():
        kept[key] = [i for i in range(len(data[key])) if i not in indexes]
        data[key] = [data[key][i] for i in kept[key]]
    try:
        instance = model.model_validate(data)
    except ValidationError:
        return None
    return instance, PartialSource(source.name, data, source.lines, kept, source.data)


def unknown_keys(instance: BaseModel, source: Source) -> list[Problem]:
    """A warning for each key the model does not know (it may be a misspelt one)."""
    problems = []
    for path in _extra_paths(instance, ()):
        known = list(type(_at(instance, path[:-1])).model_fields)
        problems.append(source.problem(_("unknown key, ignored"), path,
                                       did_you_mean(str(path[-1]), known, "keys here"),
                                       warning=True))
    return problems


def _at(instance: Any, path: KeyPath) -> Any:
    for part in path:
        instance = instance[part] if isinstance(part, int) else getattr(instance, part)
    return instance


def _extra_paths(value: Any, path: KeyPath) -> Iterator[KeyPath]:
    if isinstance(value, BaseModel):
        for key in value.model_extra or {}:
            yield path + (key,)
        for name in type(value).model_fields:
            yield from _extra_paths(getattr(value, name), path + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _extra_paths(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _extra_paths(item, path + (key,))
