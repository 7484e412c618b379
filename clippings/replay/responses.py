"""A saved response, and what every store shares: its URL key and its error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from w3lib.url import canonicalize_url

# Headers describing the transfer, not the content: the body is stored decoded.
TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class ReplaySourceError(ValueError):
    """The replay source cannot be read (missing, not a fixtures folder, broken WARC)."""


@dataclass(frozen=True)
class SavedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime | None


def url_key(url: str) -> str:
    """The lookup key of a URL: canonical form, fragment dropped, query sorted."""
    return canonicalize_url(url.strip(), keep_fragments=False)


def parse_stamp(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
