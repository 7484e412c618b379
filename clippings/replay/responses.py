"""A saved response (and the ``Page`` it is to a reader), and what every store shares: its
URL key and its error."""

from __future__ import annotations

import re
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


def payload(record) -> bytes:
    """The body of a warcio response record, its transfer and content encodings undone as
    Scrapy undoes them for a live page (``x-gzip`` is gzip). ValueError for an encoding
    warcio cannot undo: its bytes would be read as the page."""
    from warcio.bufferedreaders import BufferedReader

    http = record.http_headers
    encoding = (http.get_header("Content-Encoding") or "").strip().lower()
    if encoding == "x-gzip":
        http.replace_header("Content-Encoding", "gzip")
    elif encoding not in ("", "identity") and encoding not in BufferedReader.get_supported_decompressors():
        raise ValueError(f"its Content-Encoding {encoding!r} cannot be decoded")
    return record.content_stream().read()


def response_headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The headers as a crawl's spider hands them to extraction: Scrapy's names (title case),
    each with its first value."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        headers.setdefault(name.title(), value)
    return headers


# A URL in a form w3lib's canonicalisation leaves as it is: http(s); a lower-case host of
# letters, digits, dots and hyphens whose last label starts with a letter (no IDNA label,
# no address, no port); a path of unreserved characters and upper-case escapes of
# non-ASCII bytes, without dots (no "." or ".." segment to resolve); at most one query
# parameter of letters, digits, "_" and "-" with a value; no fragment. Most captured URLs
# are in it, and spare the canonicalisation (the costliest part of a replay's index of
# canonical keys).
_CANONICAL_AS_IS = re.compile(
    r"https?://(?:(?!xn--)[a-z0-9]+(?:-+[a-z0-9]+)*\.)*(?!xn--)[a-z][a-z0-9]*(?:-+[a-z0-9]+)*"
    r"(?:/(?:[A-Za-z0-9_~-]|%[89A-F][0-9A-F])*)+"
    r"(?:\?[A-Za-z0-9_-]+=[A-Za-z0-9_-]+)?"
)


def url_key(url: str) -> str:
    """The lookup key of a URL: canonical form, fragment dropped, query sorted."""
    if _CANONICAL_AS_IS.fullmatch(url):
        return url
    return canonicalize_url(url.strip(), keep_fragments=False)


def parse_stamp(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
