"""Phase 1 of the validation: each data file against its model, every bad field located."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from letterkit.campaign.yamlfile import KeyPath, Source, key_path
from letterkit.errors import Problem
from letterkit.text import did_you_mean

HINTS = {
    "missing": "add this key",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "string_type": "write plain text (quote it if it starts with a special character)",
    "list_type": "write a list, one « - item » per line or [a, b]",
    "dict_type": "write a block of « key: value » lines",
    "model_type": "write a block of « key: value » lines",
    "bool_parsing": "write true or false",
    "literal_error": "use one of the values listed",
}

M = TypeVar("M", bound=BaseModel)


def to_model(model: type[M], source: Source, problems: list[Problem]) -> M | None:
    """Validate a parsed file against its model, appending a located problem per bad field
    (and a warning per unknown key); None if a field is wrong."""
    if not isinstance(source.data, dict):
        problems.append(Problem("the file should hold « key: value » lines", file=source.name,
                                line=1, hint="see the example campaign for what it should hold"))
        return None
    try:
        instance = model.model_validate(source.data)
    except ValidationError as exc:
        for error in exc.errors():
            path = tuple(error["loc"])
            message = "required key is missing" if error["type"] == "missing" else error["msg"]
            problems.append(source.problem(message[0].lower() + message[1:], path,
                                           HINTS.get(error["type"])))
        return None
    problems += unknown_keys(instance, source)
    return instance


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
        problems.append(source.problem("unknown key, ignored", path,
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
