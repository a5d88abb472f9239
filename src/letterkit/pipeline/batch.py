"""Many letters from a CSV or YAML list of requests, composed in parallel worker processes."""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from letterkit.campaign.project import Project, load_project
from letterkit.campaign.yamlfile import parse_yaml
from letterkit.errors import DataError, LetterkitError, Problem, bug_problem
from letterkit.files import locked
from letterkit.formats.registry import ANSWERS_ONLY
from letterkit.i18n import N_, _, reason
from letterkit.ledger.database import Ledger
from letterkit.letter.select import parse_numbers
from letterkit.pipeline.build import Request, compose, output_stem, request_themes
from letterkit.pipeline.spreadsheet import read_rows
from letterkit.pipeline.values import parse_date, parse_formats
from letterkit.pipeline.writer import AlreadyWritten
from letterkit.processes import end_with_parent

COLUMNS = ("assoc", "themes", "measures", "exclude", "answers", "date", "format", "out",
           "salutation", "kind", "gender")
LIST_HINT = N_("one « - assoc: …\\n  themes: … » block per letter")  # translated where used


@dataclass
class Item:
    """One line of the requests file: a request to compose, or why it cannot be."""

    line: int
    label: str
    request: Request | None = None
    error: str | None = None


@dataclass
class Outcome:
    item: Item
    paths: list[Path]
    error: str | None = None
    warnings: list[Problem] = field(default_factory=list)  # the letter's, not the campaign's
    skipped: str | None = None  # why it was not composed again: it already was


def read_requests(path: Path, defaults: Request,
                  warnings: list[Problem] | None = None) -> list[Item]:
    """Parse a CSV (with a header, as spreadsheets write it: see spreadsheet.py) or YAML list
    of requests; a bad row becomes an Item with an error, and does not stop the others.
    Warnings about the file (an encoding that is not UTF-8) go to `warnings`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LetterkitError(_("file not found"), file=str(path),
                             hint=_("give the path of a CSV or YAML list of requests")) from None
    except OSError as exc:
        raise LetterkitError(_("cannot read the file ({reason})").format(reason=reason(exc)),
                             file=str(path),
                             hint=_("check that it is a file you can read")) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            rows = _yaml_rows(data.decode("utf-8"), path)
        except UnicodeDecodeError:
            raise LetterkitError(_("not UTF-8 text"), file=str(path),
                                 hint=_("save it as UTF-8 text")) from None
    else:
        rows, found = read_rows(data, path)
        if warnings is not None:
            warnings += found
    return [_item(line, row, defaults, path) for line, row in rows]


def _yaml_rows(text: str, path: Path) -> list[tuple[int, dict[str, Any]]]:
    problems: list[Problem] = []
    source = parse_yaml(text, str(path), problems, empty_hint=_(LIST_HINT))
    errors = [p for p in problems if not p.warning]
    if errors:
        raise DataError(errors)
    if source is None or not isinstance(source.data, list):
        raise LetterkitError(_("the file should be a list of requests"), file=str(path),
                             hint=_(LIST_HINT))
    return [(source.line((index,)) or 1, row if isinstance(row, dict) else {"": row})
            for index, row in enumerate(source.data)]


def _item(line: int, row: dict[str, Any], defaults: Request, path: Path) -> Item:
    row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    themes = row.get("themes") or ""
    themes = ",".join(map(str, themes)) if isinstance(themes, list) else str(themes)
    assoc = str(row.get("assoc") or "").strip()
    label = f"{assoc or '?'} / {themes or row.get('measures') or row.get('answers') or '?'}"
    where = _("{file}, line {line}").format(file=path.name, line=line)
    unknown = sorted(set(row) - set(COLUMNS) - {""})
    try:
        measures = parse_numbers(_listed(row.get("measures")))
        exclude = parse_numbers(_listed(row.get("exclude")))
        answers = str(row.get("answers") or "").strip()
        if not assoc or not (themes.strip(",") or measures or answers):
            raise ValueError(_("assoc and themes (or measures, or answers) are required"))
        if unknown:
            raise ValueError(_("unknown column {column} (columns: {columns})").format(
                column=unknown[0], columns=", ".join(COLUMNS)))
        request = replace(defaults, assoc=assoc, themes=[themes], measures=measures,
                          exclude=exclude,
                          # an answers file is found from the requests file's folder
                          answers=path.parent / answers if answers else None)
        if row.get("date"):
            value = row["date"]
            request.date = value if isinstance(value, dt.date) else parse_date(str(value))
        if row.get("format"):
            request.formats = parse_formats(str(row["format"]))
            only = [f for f in request.formats if f in ANSWERS_ONLY]
            if only and not answers:
                raise ValueError(_("the format {format} writes a questionnaire's answers: "
                                   "it goes with an answers file (column answers)").format(
                                       format=only[0]))
        if row.get("out"):
            request.out = Path(str(row["out"]).strip())
        _sender_columns(request, row)
    except ValueError as exc:
        return Item(line, label, error=_("{place}: {error}").format(place=where, error=exc))
    return Item(line, label, request)


def _sender_columns(request: Request, row: dict[str, Any]) -> None:
    """The columns salutation, kind, gender: for a sender missing from associations.yaml,
    as compose's --salutation, --kind, --gender."""
    salutation, kind, gender = (str(row.get(k) or "").strip() for k in
                                ("salutation", "kind", "gender"))
    if (kind or gender) and not salutation:
        raise ValueError(_("the columns kind and gender go with salutation (a sender "
                           "missing from associations.yaml)"))
    if gender not in ("", "f", "m"):
        raise ValueError(_("gender is f or m, not « {gender} »").format(gender=gender))
    request.salutation = salutation or request.salutation
    request.kind, request.gender = kind or None, gender or None


def _listed(value: Any) -> list[str]:
    """A cell or YAML value holding numbers: « 41,42 », 41, or [41, 42]."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def plan(project: Project, items: list[Item]) -> None:
    """Give every request its own output name: a name two requests would share gets -2, -3…"""
    seen: Counter[tuple[Path, str]] = Counter()
    for item in items:
        if item.request is None:
            continue
        request = item.request
        try:
            association = project.association(request.assoc, request.salutation,
                                              kind=request.kind, gender=request.gender)
            themes = request_themes(project, request)
        except LetterkitError:
            continue  # composing it will say what is wrong
        stem = output_stem(request.date, association, themes, request.measures,
                           request.exclude, questionnaire=request.answers is not None)
        out = (request.out or project.root / "letters").resolve()
        seen[(out, stem)] += 1
        if seen[(out, stem)] > 1:
            request.stem = f"{stem}-{seen[(out, stem)]}"


# --- Workers -------------------------------------------------------------------------------

_project: Project | None = None
_ledger: Ledger | None = None  # one per worker: its connection stays open between letters
# A folder where each worker says which letter it is composing (a file named after its pid,
# holding the letter's index): a worker killed (SIGKILL, the OOM killer) leaves its file, so
# the batch knows which letter took it down. A worker told to stop removes its file first.
_marks: Path | None = None


def _start_worker(root: Path, parent: int, marks: Path | None = None) -> None:
    # Interrupts are the parent's to handle: it lets the letters in progress finish. If the
    # parent dies (even by SIGKILL), the worker gets SIGTERM and leaves at once, or once the
    # letter it is committing is whole (the writer holds SIGTERM back meanwhile).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
    end_with_parent(parent, signal.SIGTERM)
    global _project, _ledger, _marks
    _project = load_project(root)
    _ledger = Ledger(root)
    _marks = marks


def _mark() -> Path | None:
    return _marks / str(os.getpid()) if _marks is not None else None


def _leave(number: int, frame: object) -> None:
    # Never in the middle of a letter: the writer holds SIGTERM back while it commits one.
    mark = _mark()
    if mark is not None:
        mark.unlink(missing_ok=True)  # stopped, not killed by its letter
    os._exit(128 + number)


def _compose(item: Item, index: int = -1) -> Outcome:
    assert _project is not None and item.request is not None
    mark = _mark()
    if mark is not None:
        mark.write_text(str(index))
    try:
        # Each letter is recorded as it is written; ledger.csv is regenerated once, at the end.
        result = compose(_project, item.request, ledger=_ledger, export=False)
        return Outcome(item, result.paths, warnings=[
            w for w in result.warnings if w not in _project.warnings])
    except AlreadyWritten as exc:
        done = _recorded(exc.paths)
        if done is None:
            return Outcome(item, [], str(exc.problem))
        return Outcome(item, exc.paths, skipped=_(
            "already composed (letter {letter}): skipped; pass --force to compose it again"
        ).format(letter=done))
    except LetterkitError as exc:
        return Outcome(item, [], str(exc.problem))
    except Exception as exc:  # a bug: one broken letter must not lose the others
        return Outcome(item, [], str(bug_problem(exc)))
    finally:
        if mark is not None:
            mark.unlink(missing_ok=True)


def _recorded(paths: list[Path]) -> int | None:
    """The ledger's letter whose files these are, as written, if any (a letter composed by an
    earlier run of the same batch)."""
    from letterkit.ledger.entry import sha256

    if _ledger is None:
        return None
    try:
        digests = {path.name: sha256(path.read_bytes()) for path in paths}
        entries = _ledger.entries()
    except (OSError, LetterkitError):
        return None
    return next((e.id for e in reversed(entries)
                 if all(e.files.get(name) == digest for name, digest in digests.items())), None)


# NOT_DONE and KILLED, the errors of a letter not composed, are read in the interface's
# language at the time (module __getattr__): the command line compares an outcome's error
# with batch.NOT_DONE.
_NOT_DONE = N_("not done: the batch was interrupted")
_KILLED = N_("the worker composing this letter died (killed, or out of memory); the other "
             "letters went on — run the batch again for this one, or compose it alone")


def __getattr__(name: str) -> str:
    if name == "NOT_DONE":
        return _(_NOT_DONE)
    if name == "KILLED":
        return _(_KILLED)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")  # not shown: a bug
TRIES = 3  # a letter whose worker pool broke this many times (its worker not found) fails


def run(project: Project, items: list[Item], jobs: int,
        stop: Callable[[], bool] = lambda: False) -> Iterator[Outcome]:
    """Compose every request, yielding each outcome as soon as it is known.

    Once `stop()` is true, the letters in progress are finished (every file is whole) and the
    others are yielded as not done.
    """
    try:
        yield from _run(project, items, jobs, stop)
    finally:
        with Ledger(project.root) as ledger:
            if ledger.path.exists():
                with locked(project.root):
                    ledger.export()


def _run(project: Project, items: list[Item], jobs: int,
         stop: Callable[[], bool]) -> Iterator[Outcome]:
    for item in items:
        if item.request is None:
            yield Outcome(item, [], item.error)
    todo = [item for item in items if item.request is not None]
    if jobs <= 1 or len(todo) <= 1:
        global _project, _ledger
        _project, _ledger = project, Ledger(project.root)
        try:
            for item in todo:
                yield Outcome(item, [], _(_NOT_DONE)) if stop() else _compose(item)
        finally:
            _ledger.close()
            _ledger = None
        return
    tries: Counter[int] = Counter()
    queue = list(range(len(todo)))
    while queue:
        broken: list[int] = []
        yield from _pool(project, todo, queue, jobs, stop, broken)
        if not broken:
            return
        if stop():
            yield from (Outcome(todo[i], [], _(_NOT_DONE)) for i in broken)
            return
        tries.update(broken)
        queue = [i for i in broken if tries[i] < TRIES]  # a new pool for the others
        yield from (Outcome(todo[i], [], _(_KILLED)) for i in broken if tries[i] >= TRIES)


def _pool(project: Project, todo: list[Item], queue: list[int], jobs: int,
          stop: Callable[[], bool], broken: list[int]) -> Iterator[Outcome]:
    """The letters `queue` (indexes in `todo`) in one pool of workers. If the pool breaks (a
    worker died), the letter that killed its worker fails, and the others the pool did not
    finish are put in `broken`, to go to a new pool."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="letterkit-batch-") as folder:
        marks = Path(folder)
        with ProcessPoolExecutor(max_workers=min(jobs, len(queue)),
                                 initializer=_start_worker,
                                 initargs=(project.root, os.getpid(), marks)) as pool:
            futures = {pool.submit(_compose, todo[i], i): i for i in queue}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if stop():
                    for future in pending:
                        future.cancel()
                for future in done:
                    index = futures[future]
                    if future.cancelled():
                        yield Outcome(todo[index], [], _(_NOT_DONE))
                        continue
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken.append(index)
                    except Exception as exc:  # a bug between the worker and here
                        yield Outcome(todo[index], [], str(bug_problem(exc)))
        killed = {int(mark.read_text() or -1) for mark in marks.iterdir()}
    for index in [i for i in broken if i in killed]:
        broken.remove(index)
        yield Outcome(todo[index], [], _(_KILLED))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
