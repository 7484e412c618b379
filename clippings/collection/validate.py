"""``clippings validate``: check JSON-lines files against the output schema."""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from clippings.core.normalize import schema_errors

# Under a folder, what a crawl keeps beside the articles (state, locks) is not output.
SKIPPED_FOLDERS = frozenset({".state"})


class PathError(ValueError):
    """A path given to validate that is not there: the command line is wrong (exit 2)."""


def jsonl_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to check: each file as given, and every ``*.jsonl`` under each folder
    (recursively, in name order, ``.state`` folders and symlinked folders not entered),
    each once. A path that does not exist raises PathError naming it, before any is read."""
    files: dict[Path, None] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS)
                for name in sorted(names):
                    if name.endswith(".jsonl"):
                        files.setdefault(Path(folder) / name, None)
        elif path.exists() or path.is_symlink():
            files.setdefault(path, None)
        else:
            raise PathError(f"{given}: no such file or folder")
    return list(files)


def read_line(raw: bytes, sites: Collection[str] | None = None) -> tuple[dict[str, Any] | None, list[str]]:
    """One line of a JSON-lines file (with its newline): (the article, []) when it keeps the
    contract of the schema version it declares, else (None or the object, what is wrong).
    ``sites``: the registered site names (the commands pass the registry's; None: any)."""
    if not raw.strip():
        return None, ["blank line"]
    if not raw.endswith(b"\n"):
        return None, ["incomplete last line (no newline)"]
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, [f"not UTF-8 ({exc.reason})"]
    except ValueError as exc:
        return None, [f"not JSON ({exc})"]
    if not isinstance(record, dict):
        return None, ["not a JSON object"]
    return record, schema_errors(record, sites=sites)


def line_problems(raw: bytes, sites: Collection[str] | None = None) -> list[str]:
    """What is wrong with one line of a JSON-lines file (with its newline); [] when nothing."""
    return read_line(raw, sites)[1]


@dataclass(frozen=True)
class Line:
    """One line of a collection's files: ``record`` is None when ``problems`` says why it
    cannot be read; a file that cannot be read at all is one Line numbered 0."""

    path: Path
    number: int
    record: dict[str, Any] | None
    problems: list[str]

    @property
    def good(self) -> bool:
        return self.record is not None and not self.problems


def read_lines(files: Iterable[Path], sites: Collection[str] | None = None) -> Iterator[Line]:
    """Every line of ``files``, in order, read and checked (``read_line``)."""
    for path in files:
        try:
            handle = open(path, "rb")  # noqa: SIM115 (closed by the with below; only the open is guarded)
        except OSError as exc:
            yield Line(path, 0, None, [f"cannot read ({exc.strerror})"])
            continue
        with handle:
            number = 0
            try:
                for number, raw in enumerate(handle, start=1):
                    record, problems = read_line(raw, sites)
                    yield Line(path, number, record, problems)
            except OSError as exc:  # an I/O error half-way
                yield Line(path, 0, None, [f"cannot read ({exc.strerror})"])


def validate_files(paths: Iterable[str | os.PathLike[str]], out: TextIO, sites: Collection[str] | None = None) -> int:
    """Report every bad line as FILE:LINE: reason, then the counts; 0 when every line of
    every file is good, else 1. Folders are read for their ``*.jsonl`` files; a missing path
    raises PathError before anything is printed."""
    paths = list(paths)
    files = jsonl_files(paths)
    for given in paths:
        if Path(given).is_dir() and not any(_under(f, Path(given)) for f in files):
            print(f"{given}: no .jsonl files in this folder", file=out)
    good = bad = unreadable = 0
    for line in read_lines(files, sites):
        if line.number == 0:
            print(f"{line.path}: {line.problems[0]}", file=out)
            unreadable += 1
            continue
        for problem in line.problems:
            print(f"{line.path}:{line.number}: {problem}", file=out)
        if line.problems:
            bad += 1
        else:
            good += 1
    summary = f"{good} good {'line' if good == 1 else 'lines'}, {bad} bad, in {len(files)} {'file' if len(files) == 1 else 'files'}"
    if unreadable:
        summary += f" ({unreadable} unreadable)"
    print(summary, file=out)
    return 1 if bad or unreadable else 0


def _under(path: Path, folder: Path) -> bool:
    return folder == path.parent or folder in path.parents
