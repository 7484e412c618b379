"""Append-only JSON-lines files: ``DIR/<site>/<YYYY-MM-DD>.jsonl``. Imports no Scrapy.

Each line goes to the file in one ``write`` on a descriptor opened with O_APPEND, so a killed
process leaves whole lines behind. A file found ending in half a line (power loss, full
disk) is cut back to its last complete line before anything is appended. Files are
fsynced when the writer closes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from clippings.state.files import line_end_before

logger = logging.getLogger(__name__)


class OutputError(OSError):
    """Output cannot be written (unwritable folder, full disk): the crawl must stop."""


def encode_line(record: dict[str, Any]) -> bytes:
    """One JSON line, UTF-8 with Arabic readable (never \\u-escaped)."""
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def repair_tail(path: Path) -> int:
    """Cut a trailing partial line; returns the bytes removed."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    if size == 0:
        return 0
    with path.open("rb+") as handle:
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        keep = line_end_before(handle, size)
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    logger.warning("%s: removed a partial last line (%d bytes) left by an earlier run", path, size - keep)
    return size - keep


def repair_tails(folder: Path) -> int:
    """Cut the trailing partial line of every ``*.jsonl`` file in ``folder`` (a site's), under
    the collection's lock: a line a killed crawl left cut stays in a file no later article is
    appended to otherwise. Returns the files repaired; a file that cannot be read or written
    is left to the writer, which says so when it appends to it."""
    repaired = 0
    for path in sorted(folder.glob("*.jsonl")):
        with contextlib.suppress(OSError):
            repaired += repair_tail(path) > 0
    return repaired


class JsonLinesWriter:
    """Writes records to ``<directory>/<site>/<day>.jsonl``."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._fds: dict[Path, int] = {}
        self.last_line_end = 0

    def path_for(self, site: str, day: str) -> Path:
        return self.directory / site / f"{day}.jsonl"

    def prepare(self, site: str) -> Path:
        """The site's folder, created; OutputError when it cannot be."""
        folder = self.directory / site
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(exc.errno, f"cannot write to {folder}: {exc.strerror or exc}") from None
        return folder

    def _fd(self, path: Path) -> int:
        fd = self._fds.get(path)
        if fd is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                repair_tail(path)
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OutputError(exc.errno, f"cannot write to {path}: {exc.strerror or exc}") from None
            self._fds[path] = fd
        return fd

    def write(self, site: str, day: str, record: dict[str, Any]) -> Path:
        """Append one record as one line; on a short or failed write, leave the file whole."""
        path = self.path_for(site, day)
        line = encode_line(record)
        fd = self._fd(path)
        before = os.fstat(fd).st_size
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(28, "short write (disk full?)")
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, before)
            raise OutputError(exc.errno, f"cannot write to {path}: {exc.strerror or exc}") from None
        # Where the line just written ends (the incremental state records it).
        self.last_line_end = before + written
        return path

    def sync(self) -> None:
        for path, fd in self._fds.items():
            try:
                os.fsync(fd)
            except OSError as exc:
                raise OutputError(exc.errno, f"cannot sync {path}: {exc.strerror or exc}") from None

    def close(self) -> None:
        try:
            self.sync()
        finally:
            for fd in self._fds.values():
                os.close(fd)
            self._fds.clear()
