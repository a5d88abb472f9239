"""One YAML reader for every file letterkit reads: the data and the line of each key path.

A problem in the file (unreadable, not UTF-8, invalid YAML, empty, a key given twice) is
appended to the caller's list, located by file and line, instead of raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from letterkit.errors import Problem
from letterkit.i18n import N_, _, reason
from letterkit.text import clean

KeyPath = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed YAML file: its data, and the line of every key path in it."""

    name: str
    data: Any
    lines: dict[KeyPath, int]

    def line(self, path: KeyPath) -> int | None:
        """The line of `path`, or of its nearest enclosing node."""
        for end in range(len(path), -1, -1):
            if (line := self.lines.get(tuple(path[:end]))) is not None:
                return line
        return None

    def problem(self, message: str, path: KeyPath, hint: str | None = None,
                warning: bool = False) -> Problem:
        """A problem located at `path` in this file."""
        return Problem(message, file=self.name, line=self.line(path), key=key_path(path),
                       hint=hint, warning=warning)


def key_path(path: KeyPath) -> str:
    """`('measures', 3, 'number')` → `measures[3].number`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# libyaml's parser when PyYAML has it (its wheels do): a dozen times faster than pure Python.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, name: str, problems: list[Problem]) -> Source | None:
    """Read and parse one YAML file, appending its problems; None if it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(_("file not found"), file=name, hint=_(
            "create it, or run letterkit init to start a campaign")))
        return None
    except OSError as exc:
        problems.append(Problem(_("cannot read the file ({reason})").format(reason=reason(exc)),
                                file=name))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, byte = raw[: exc.start].count(b"\n") + 1, f"0x{raw[exc.start]:02x}"
        problems.append(Problem(_("not UTF-8 text (byte {byte})").format(byte=byte),
                                file=name, line=line,
                                hint=_("save the file with the UTF-8 encoding")))
        return None
    return parse_yaml(text, name, problems)


EXAMPLE_HINT = N_("see the example campaign for what it should hold")

# What libyaml says is wrong in a file that is not valid YAML, for the usual mistakes; a rarer
# one is shown as libyaml words it.
YAML_PROBLEMS = frozenset((
    N_("mapping values are not allowed in this context"),
    N_("did not find expected key"),
    N_("could not find expected ':'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected node content"),
    N_("did not find expected <document start>"),
    N_("found unexpected end of stream"),
    N_("found character that cannot start any token"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found undefined alias"),
    N_("found unknown escape character"),
))


def parse_yaml(text: str, name: str, problems: list[Problem],
               empty_hint: str | None = None) -> Source | None:
    """Parse YAML text, appending its problems; None if it is not valid YAML or empty
    (`empty_hint`, translated, says what to do then; by default, see the example campaign)."""
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is not None and (bomb := _alias_bomb(node, name)):
            problems.append(bomb)
            return None
        try:
            data = loader.construct_document(node) if node is not None else None
        except ValueError:  # a date that does not exist: 2025-02-30
            problems.append(_bad_date(loader, node, name))
            return None
    except RecursionError:
        problems.append(Problem(
            _("the file nests blocks too deeply to be read"), file=name,
            hint=_("a campaign file needs a few levels of indentation only")))
        return None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problems.append(Problem(
            _("a character YAML does not accept: U+{code}").format(code=f"{exc.character:04X}"),
            file=name, line=line, hint=_("remove it from the file")))
        return None
    except yaml.MarkedYAMLError as exc:
        problems.append(_invalid_yaml(exc, name))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(_("invalid YAML: {problem}").format(problem=exc), file=name))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        problems.append(Problem(_("the file is empty"), file=name,
                                hint=empty_hint or _(EXAMPLE_HINT)))
        return None
    lines: dict[KeyPath, int] = {}
    for path_, line, duplicate in _walk(node, ()):
        if duplicate:
            problems.append(Problem(_("this key appears twice in the same block"), file=name,
                                    line=line, key=key_path(path_),
                                    hint=_("keep only one of them")))
        lines.setdefault(path_, line)
    return Source(name, clean(data), lines)


def _invalid_yaml(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    """What libyaml found wrong, where: its line, and its column in the message."""
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or exc.context or "").strip()
    problem = _(problem) if problem in YAML_PROBLEMS else problem or _("invalid YAML")
    message = (_("invalid YAML: {problem}, column {column}").format(
        problem=problem, column=mark.column + 1) if mark
        else _("invalid YAML: {problem}").format(problem=problem))
    return Problem(message, file=name, line=mark.line + 1 if mark else None,
                   hint=_("check the indentation and the quoting around this place"))


# Aliases (*name) repeat a block written once (&name): a few lines can stand for billions of
# values (the « billion laughs »). Beyond this many values added by aliases, a file is refused.
ALIAS_BUDGET = 100_000


def _alias_bomb(root: yaml.Node, name: str) -> Problem | None:
    """A problem if aliases make the file expand beyond ALIAS_BUDGET values, or into itself;
    located at the first top-level key (or item) that does."""
    sizes: dict[int, int] = {}
    distinct: set[int] = set()

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = -1  # in progress: met again, the node contains itself
        distinct.add(id(node))
        total = 1
        children: list[yaml.Node] = (
            [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
            else node.value if isinstance(node, yaml.SequenceNode) else [])
        for child in children:
            inner = size(child)
            if inner < 0:
                sizes[id(node)] = -1
                return -1
            total += inner
        sizes[id(node)] = total
        return total

    total = size(root)
    if total >= 0 and total <= len(distinct) + ALIAS_BUDGET:
        return None
    items: list[tuple[KeyPath, yaml.Node, yaml.Node]] = (
        [((k.value,), k, v) for k, v in root.value] if isinstance(root, yaml.MappingNode)
        else [((i,), v, v) for i, v in enumerate(root.value)]
        if isinstance(root, yaml.SequenceNode) else [])
    where = next(((path, at) for path, at, value in items
                  if sizes.get(id(value), -1) < 0 or sizes[id(value)] > ALIAS_BUDGET),
                 ((), root))
    return Problem(
        _("the aliases (*name) here refer to themselves") if total < 0 else
        _("the aliases (*name) here expand to more than {count} values").format(
            count=f"{ALIAS_BUDGET:,}".replace(",", " ")),
        file=name, line=where[1].start_mark.line + 1, key=key_path(where[0]) or None,
        hint=_("write the values out instead of repeating blocks with & and *"))


def _bad_date(loader: Any, root: yaml.Node, name: str) -> Problem:
    """Where the value that could not be read as a date is (YAML reads 2025-02-30 as one)."""
    for path, node in _scalars(root, ()):
        if node.tag.endswith(":timestamp"):
            try:
                loader.construct_yaml_timestamp(node)
            except ValueError:
                return Problem(_("« {value} » is not a date that exists").format(
                    value=node.value), file=name, line=node.start_mark.line + 1,
                    key=key_path(path) or None, hint=_("write a real date, as YYYY-MM-DD"))
    return Problem(_("a value cannot be read"), file=name,
                   hint=_("check the dates in this file"))


def _scalars(node: yaml.Node, path: KeyPath) -> Iterator[tuple[KeyPath, yaml.Node]]:
    """Every scalar of the file (keys included) and its key path."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield path + (key_node.value,), key_node
            yield from _scalars(value_node, path + (key_node.value,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, path + (index,))
    else:
        yield path, node


def _walk(node: yaml.Node, path: KeyPath) -> Iterator[tuple[KeyPath, int, bool]]:
    yield path, node.start_mark.line + 1, False
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            yield path + (key,), key_node.start_mark.line + 1, key in seen
            seen.add(key)
            yield from _walk(value_node, path + (key,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, path + (index,))
