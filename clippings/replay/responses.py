"""A saved response (and the ``Page`` it is to a reader), and what every store shares: its
URL key and its error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from w3lib.url import canonicalize_url

from clippings.core.page import Page

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

    def page(self) -> Page:
        """The response as a reader is handed it, its headers as the crawl's spider hands
        them (``response_headers``)."""
        return Page(self.url, self.body, response_headers(self.headers), self.fetched_at)


def response_headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The headers as a crawl's spider hands them to extraction: Scrapy's names (title case),
    each with its first value."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        headers.setdefault(name.title(), value)
    return headers


def url_key(url: str) -> str:
    """The lookup key of a URL: canonical form, fragment dropped, query sorted."""
    return canonicalize_url(url.strip(), keep_fragments=False)


def parse_stamp(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
