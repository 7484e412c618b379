"""``clippings validate``: check JSON-lines files against the output schema."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from clippings.normalize import schema_errors

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


def line_problems(raw: bytes) -> list[str]:
    """What is wrong with one line of a JSON-lines file (with its newline); [] when nothing."""
    if not raw.strip():
        return ["blank line"]
    if not raw.endswith(b"\n"):
        return ["incomplete last line (no newline)"]
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return [f"not UTF-8 ({exc.reason})"]
    except ValueError as exc:
        return [f"not JSON ({exc})"]
    return schema_errors(record) if isinstance(record, dict) else ["not a JSON object"]


def validate_files(paths: Iterable[str | os.PathLike[str]], out: TextIO) -> int:
    """Report every bad line as FILE:LINE: reason, then the counts; 0 when every line of
    every file is good, else 1. Folders are read for their ``*.jsonl`` files; a missing path
    raises PathError before anything is printed."""
    paths = list(paths)
    files = jsonl_files(paths)
    for given in paths:
        if Path(given).is_dir() and not any(_under(f, Path(given)) for f in files):
            print(f"{given}: no .jsonl files in this folder", file=out)
    good = bad = unreadable = 0
    for path in files:
        try:
            handle = open(path, "rb")
        except OSError as exc:
            print(f"{path}: cannot read ({exc.strerror})", file=out)
            unreadable += 1
            continue
        with handle:
            try:
                for number, raw in enumerate(handle, start=1):
                    problems = line_problems(raw)
                    for problem in problems:
                        print(f"{path}:{number}: {problem}", file=out)
                    if problems:
                        bad += 1
                    else:
                        good += 1
            except OSError as exc:  # an I/O error half-way
                print(f"{path}: cannot read ({exc.strerror})", file=out)
                unreadable += 1
    summary = f"{good} good {'line' if good == 1 else 'lines'}, {bad} bad, in {len(files)} {'file' if len(files) == 1 else 'files'}"
    if unreadable:
        summary += f" ({unreadable} unreadable)"
    print(summary, file=out)
    return 1 if bad or unreadable else 0


def _under(path: Path, folder: Path) -> bool:
    return folder == path.parent or folder in path.parents
