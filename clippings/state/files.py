"""The collection's JSON-lines files read back for the reconciliation: where the last whole
line ends, and each whole line after an offset."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

logger = logging.getLogger("clippings.state")


def line_end_before(handle: BinaryIO, limit: int) -> int:
    """Offset just after the last newline at or before ``limit`` in an open file (0 when
    there is none), read backwards a block at a time."""
    position = limit
    while position > 0:
        step = min(65536, position)
        position -= step
        handle.seek(position)
        index = handle.read(step).rfind(b"\n")
        if index != -1:
            return position + index + 1
    return 0


def last_line_end(path: Path, limit: int) -> int:
    """Offset just after the last newline at or before ``limit`` (0 when none)."""
    with path.open("rb") as handle:
        return line_end_before(handle, limit)


def complete_lines(path: Path, start: int) -> Iterator[tuple[dict[str, Any] | None, int]]:
    """(record, offset after the line) for each whole line from ``start``; a partial tail is left."""
    with path.open("rb") as handle:
        handle.seek(start)
        position = start
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            position += len(raw)
            try:
                record = json.loads(raw)
            except ValueError:
                logger.warning("state: %s: unreadable line ending at byte %d, skipped", path, position)
                record = None
            yield (record if isinstance(record, dict) else None), position
