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
        problems.append(Problem("file not found", file=name,
                                hint="create it, or run letterkit init to start a campaign"))
        return None
    except OSError as exc:
        problems.append(Problem(f"cannot read the file ({exc.strerror})", file=name))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", file=name,
                                line=line, hint="save the file with the UTF-8 encoding"))
        return None
    return parse_yaml(text, name, problems)


EXAMPLE_HINT = "see the example campaign for what it should hold"


def parse_yaml(text: str, name: str, problems: list[Problem],
               empty_hint: str = EXAMPLE_HINT) -> Source | None:
    """Parse YAML text, appending its problems; None if it is not valid YAML or empty."""
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problems.append(Problem(f"a character YAML does not accept: U+{exc.character:04X}",
                                file=name, line=line, hint="remove it from the file"))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        problems.append(Problem(
            f"invalid YAML: {problem}" + (f", column {mark.column + 1}" if mark else ""),
            file=name, line=mark.line + 1 if mark else None,
            hint="check the indentation and the quoting around this place"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(f"invalid YAML: {exc}", file=name))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        problems.append(Problem("the file is empty", file=name, hint=empty_hint))
        return None
    lines: dict[KeyPath, int] = {}
    for path_, line, duplicate in _walk(node, ()):
        if duplicate:
            problems.append(Problem("this key appears twice in the same block", file=name,
                                    line=line, key=key_path(path_),
                                    hint="keep only one of them"))
        lines.setdefault(path_, line)
    return Source(name, clean(data), lines)


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
