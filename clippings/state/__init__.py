"""Incremental state: what a collection already holds, so a re-run fetches only what is new.

Imports no Scrapy. The JSON-lines files are the source of truth; this SQLite database is an
index of them plus what the sources told us (feed and sitemap dates, ETag, Last-Modified).

Exactly-once: an article is recorded only after its line is on disk, together with the byte
offset where that line ends. ``reconcile`` runs when a crawl opens: complete lines past the
recorded offset of each file (written, then the process died before recording them) are
read and recorded, so a kill never loses an article and never makes one written twice; a
file found shorter than recorded (power loss before the lines reached the disk) forgets the
articles that were past its end, so they are fetched again.
"""

from __future__ import annotations

from clippings.state.records import (
    LISTED_SLACK,
    Action,
    Dropped,
    Seen,
    StateError,
    conditional_headers,
    decide,
    is_unchanged,
    parse_iso,
    state_path,
)
from clippings.state.store import StateStore

__all__ = [
    "LISTED_SLACK",
    "Action",
    "Dropped",
    "Seen",
    "StateError",
    "StateStore",
    "conditional_headers",
    "decide",
    "is_unchanged",
    "parse_iso",
    "state_path",
]
