"""What nodes send the writer: one stream entry a message, its JSON in the field ``m``.

- ``article``: the finished line (``record``, exactly as the pipelines would write it), the
  day file it goes to, and the node's incremental data: the listing date, ETag and
  Last-Modified the state records with it (without them the next run would fetch again
  every article whose feed date is newer than its own);
- ``touch``: an article revalidated and unchanged (a 304, or the same text again);
- ``dropped``: an article URL that gave no article;
- ``sources``: the feed and sitemap validators of a complete run;
- ``start`` and ``end``: a node began or ended its part of a run (``end`` carries its counts).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from clippings.core.stamps import utc_stamp
from clippings.state import parse_iso

KINDS = ("article", "touch", "refetch", "dropped", "sources", "start", "end")


def encode(kind: str, **fields: Any) -> dict[str, str]:
    """The stream entry of one message."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    return {"m": json.dumps({"kind": kind, **fields}, ensure_ascii=False, separators=(",", ":"), default=str)}


def decode(entry: dict[str, str]) -> dict[str, Any]:
    """A stream entry back into its message; ValueError when it is not one."""
    message = json.loads(entry["m"])
    if not isinstance(message, dict) or message.get("kind") not in KINDS:
        raise ValueError(f"not a clippings message: {entry['m'][:80]!r}")
    return message


def moment(value: datetime | None) -> str | None:
    return utc_stamp(value) if value else None


def moment_back(text: str | None) -> datetime | None:
    return parse_iso(text)
