"""What every subcommand shares: the usage error, ``-s NAME=VALUE`` options checked against
the settings' declaration (``clippings.core.config``), and the output and state paths checked
before anything is created."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any


class UsageError(Exception):
    """Bad command line: one clear line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        print(f"{self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def version() -> str:
    """The installed package's version (pyproject.toml's, through its metadata)."""
    from clippings.collection.run_line import package_version

    return package_version() or "(not installed)"


def checked(check: Callable[[], Any]) -> Any:
    """``check()``, a bad setting made a UsageError: ``NAME 'value': expected ...``."""
    from clippings.core.config import SettingError

    try:
        return check()
    except SettingError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None


def set_options(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The ``-s NAME=VALUE`` options and ``--loglevel``, checked against the settings'
    declaration (``clippings.core.config``) before anything is started or loaded."""
    from clippings.core.config import SettingError, check_value

    options = []
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-s takes NAME=VALUE, got {item!r}")
        checked(partial(check_value, name, value))
        options.append((name, value))
    if args.loglevel is not None:
        try:
            check_value("LOG_LEVEL", args.loglevel)
        except SettingError as exc:
            raise UsageError(str(exc).replace("LOG_LEVEL=", "--loglevel ", 1)) from None
    return options


def holds_collection(output: Path) -> bool:
    """Whether ``output`` holds a collection: its state folder, or a site's JSON lines."""
    return (output / ".state").is_dir() or any(output.glob("*/*.jsonl"))


def edits(a: str, b: str) -> int:
    """The edits (insert, delete, replace, swap two neighbours) from ``a`` to ``b``."""
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            best = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                best = min(best, before[j - 2] + 1)
            current.append(best)
        before, row = row, current
    return row[-1]


def unknown_settings(given: list[tuple[str, str]], known: set[str]) -> list[str]:
    """The WARNING lines for ``-s`` names that are no setting of Scrapy or clippings; a
    UsageError for one that is one or two edits from one (a typo: the crawl would run with
    the default): ``-s DOWNLOD_DELAY: no such setting; did you mean DOWNLOAD_DELAY?``."""
    warnings = []
    for name, _ in given:
        if name in known:
            continue
        near = sorted((edits(name, other), other) for other in known if abs(len(other) - len(name)) <= 2)
        if near and near[0][0] <= 2:
            raise UsageError(f"-s {name}: no such Scrapy or clippings setting; did you mean {near[0][1]}?")
        warnings.append(f"WARNING: -s {name}: not a Scrapy or clippings setting; passed on as given")
    return list(dict.fromkeys(warnings))


def labels(args: argparse.Namespace) -> dict[str, str]:
    """How the command line named each path setting, for its error messages."""
    given = {name for name, _ in set_options(args)}
    labels = {}
    for option, name in (
        ("--output", "CLIPPINGS_OUTPUT_DIR"),
        ("--state", "CLIPPINGS_STATE"),
        ("--record", "CLIPPINGS_RECORD"),
    ):
        attribute = option.lstrip("-")
        if not getattr(args, attribute, None) and name in given:
            labels[name] = f"-s {name}="
    return labels


def _path_kind(path: Path) -> str | None:
    """What is at ``path`` ("a folder", "a file", "a FIFO"...), None when nothing is."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a broken symlink" if path.is_symlink() else None
    except NotADirectoryError:
        return None  # an ancestor is not a folder: _blocking_ancestor names it
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file or folder"


def _blocking_ancestor(path: Path) -> tuple[Path, str] | None:
    """The nearest existing ancestor of ``path`` that is not a folder, and what it is."""
    for ancestor in path.parents:
        kind = _path_kind(ancestor)
        if kind == "a folder":
            return None
        if kind is not None:
            return ancestor, kind
    return None


def named(label: str, path: Path) -> str:
    """``--output DIR`` or ``-s CLIPPINGS_OUTPUT_DIR=DIR``, as the command line had it."""
    return f"{label}{path}" if label.endswith("=") else f"{label} {path}"


def _refuse_wrong_kind(path: Path, label: str, wanted: str, what: str = "") -> None:
    """UsageError saying what ``path`` is when it, or an ancestor, is of the wrong kind:
    ``wanted`` is "a folder" or "a file" (a missing path is fine: it will be created)."""
    kind = _path_kind(path)
    if kind not in (None, wanted):
        raise UsageError(f"{named(label, path)}: is {kind}, not {wanted}{what}")
    blocking = _blocking_ancestor(path) if kind is None else None
    if blocking:
        raise UsageError(f"{named(label, path)}: {blocking[0]} is {blocking[1]}, not a folder")


def check_record(path: Path, label: str) -> None:
    """A WARC file to record into: its name a WARC's (what ``--replay`` reads), a file if it
    exists. Responses are appended to it: any other file (a collection's ``.jsonl``) would be
    corrupted."""
    if not path.name.lower().endswith((".warc", ".warc.gz")):
        raise UsageError(
            f"{named(label, path)}: not a WARC file name (.warc.gz or .warc); responses are appended to it"
        )
    _refuse_wrong_kind(path, label, "a file", " (a WARC file)")


def _make_folder(folder: Path, label: str, path: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{named(label, path)}: cannot create folder ({exc.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{named(label, path)}: folder is not writable")


def check_folders(settings: Any, labels: dict[str, str] | None = None) -> None:
    """The output folder and the state database's: each a writable folder (created if
    missing), the state itself a file if it exists. A path of the wrong kind (``--state``
    naming a folder, ``--output`` a file) is a UsageError saying what the path is, found
    before anything is created. ``labels`` names the option each setting came from
    (default ``--output``, ``--state``)."""
    from clippings.core.config import WithDefaults

    labels = {
        "CLIPPINGS_OUTPUT_DIR": "--output",
        "CLIPPINGS_STATE": "--state",
        "CLIPPINGS_RECORD": "--record",
        **(labels or {}),
    }
    output = Path(settings.get("CLIPPINGS_OUTPUT_DIR"))
    _refuse_wrong_kind(output, labels["CLIPPINGS_OUTPUT_DIR"], "a folder")
    state = None
    if WithDefaults(settings).getbool("CLIPPINGS_INCREMENTAL"):
        from clippings.state import state_path

        state = state_path(settings)
        _refuse_wrong_kind(state, labels["CLIPPINGS_STATE"], "a file", " (the state database)")
    if settings.get("JOBDIR"):
        _refuse_wrong_kind(Path(settings.get("JOBDIR")), "-s JOBDIR=", "a folder")
    if settings.get("CLIPPINGS_RECORD"):
        check_record(Path(settings.get("CLIPPINGS_RECORD")), labels["CLIPPINGS_RECORD"])
    _make_folder(output, labels["CLIPPINGS_OUTPUT_DIR"], output)
    if state is not None:
        _make_folder(state.parent, labels["CLIPPINGS_STATE"], state)
