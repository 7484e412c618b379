"""Several captures of one article in the archives read (a page saved again after an update,
archives of different months): each version written once, whatever order the records come
back in, and the state kept on the latest capture. No Scrapy.

The state knows one line an article, its latest. A capture whose text differs from it and
that was fetched before it is an earlier version: written if the file of its fetch day (where
it would be) does not hold it yet, without moving the state back to it. Without this, each
rerun over an archive of two captures wrote both again (each differed from the other, which
the state held), and on Dask the state could end on the earlier one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from clippings.core.contract import as_current
from clippings.state import StateStore, parse_iso
from clippings.state.files import complete_lines, line_end_before


def _key(record: dict[str, Any]) -> bytes:
    text = f"{record.get('article_id')}\0{record.get('content_sha256')}\0{record.get('modified')}"
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class Versions:
    """What the collection holds of an article beside the line the state points to."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self._held: dict[Path, set[bytes]] = {}  # a day file read -> its lines' keys

    def recorded_later(self, site: str, article_id: str, record: dict[str, Any]) -> bool:
        """Whether the article's line the state points to was fetched after ``record``."""
        line = self.store.line_of(site, article_id)
        if line is None:
            return False
        recorded = _fetched_at(*line)
        mine = parse_iso(record.get("fetched_at"))
        return recorded is not None and mine is not None and recorded > mine

    def holds(self, path: Path, record: dict[str, Any]) -> bool:
        """Whether the file ``path`` holds a line of this article with this text."""
        held = self._held.get(path)
        if held is None:
            held = self._held[path] = set()
            if path.exists():
                held.update(_key(as_current(line)) for line, _ in complete_lines(path, 0) if line is not None)
        return _key(record) in held

    def written(self, path: Path, record: dict[str, Any]) -> None:
        if path in self._held:
            self._held[path].add(_key(record))


def _fetched_at(path: Path, line_end: int):  # -> datetime | None
    """``fetched_at`` of the line ending at ``line_end`` in ``path``; None if it cannot be read."""
    try:
        with path.open("rb") as handle:
            start = line_end_before(handle, line_end - 1)
            handle.seek(start)
            line = json.loads(handle.read(line_end - start))
        return parse_iso(line.get("fetched_at")) if isinstance(line, dict) else None
    except (OSError, ValueError):
        return None
