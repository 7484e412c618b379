"""Recording responses into a WARC file (``CLIPPINGS_RECORD``), so a live crawl becomes a
fixture set that ``CLIPPINGS_REPLAY`` answers from.

The middleware sits just above Scrapy's redirect middleware: it sees redirects (301 to the
canonical URL is replayed as a 301) and each attempt of a retried page (the last capture of
a URL wins on replay). Bodies are stored decoded, as ``clippings.replay`` expects; 304
answers are not recorded (they carry no page).
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from clippings.crawl.resources import resources
from clippings.crawl.transfer import cut_flag
from clippings.replay import SavedResponse

logger = logging.getLogger(__name__)


def decoded_body(body: bytes, encodings: list[str]) -> bytes | None:
    """The body without its Content-Encoding(s); None when one is unknown."""
    for encoding in reversed(encodings):
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            continue
        if encoding in ("gzip", "x-gzip"):
            body = gzip.decompress(body)
        elif encoding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        elif encoding == "br":
            try:
                import brotli
            except ImportError:
                return None
            body = brotli.decompress(body)
        else:
            return None
    return body


def saved_response(response: Response, fetched_at: datetime | None) -> SavedResponse | None:
    headers: list[tuple[str, str]] = []
    encodings: list[str] = []
    for name, values in response.headers.items():
        key = name.decode("latin-1")
        for value in values:
            text = value.decode("latin-1")
            if key.lower() == "content-encoding":
                encodings.extend(text.split(","))
            headers.append((key, text))
    try:
        body = decoded_body(response.body, encodings)
    except (OSError, EOFError, zlib.error):
        body = None
    if body is None:
        return None
    return SavedResponse(
        url=response.url,
        status=response.status,
        headers=headers,
        body=body,
        fetched_at=fetched_at or datetime.now(UTC),
    )


class RecordMiddleware:
    """Writes every response the crawl fetches into ``CLIPPINGS_RECORD`` (a .warc.gz file)."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.stats = crawler.stats
        self.path = Path(path).resolve()
        # Crawls of one process recording into the same file share one writer.
        self.shared = resources(crawler).shared
        self.recorder = self.shared.recorder(self.path)
        self.closed = False
        crawler.signals.connect(self.close, signal=signals.engine_stopped)
        logger.info("recording responses into %s", path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordMiddleware:
        path = crawler.settings.get("CLIPPINGS_RECORD")
        if not path:
            raise NotConfigured
        return cls(crawler, path)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304:
            return response
        if cut_flag(response) is not None:
            # A cut transfer is not a page: its retry is recorded, should it come whole.
            self.stats.inc_value("clippings/record/cut")
            return response
        saved = saved_response(response, request.meta.get("fetched_at"))
        if saved is None:
            self.stats.inc_value("clippings/record/undecodable")
            logger.warning("%s: body in an unknown Content-Encoding, not recorded", response.url)
            return response
        self.recorder.write(saved)
        self.recorder.flush()
        self.stats.inc_value("clippings/record/responses")
        return response

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.shared.release_recorder(self.path)


class RecordSpider(scrapy.Spider):
    """``clippings record URL... --to FILE``: fetch single pages, politely, into a WARC."""

    name = "record"
    writes_history = False  # it writes no collection: no run history (clippings.crawl.extensions.RunHistory)

    def __init__(
        self, *args: Any, urls: list[str] | None = None, hosts: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls_given = list(urls or [])
        self.allowed_domains = sorted(hosts or [])

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls_given:
            yield Request(url, callback=self.parse, errback=self.on_error, dont_filter=True)

    def parse(self, response: Response) -> None:
        self.crawler.stats.inc_value("clippings/record/pages")
        logger.info("%s: recorded (HTTP %d)", response.url, response.status)

    def on_error(self, failure: Any) -> None:
        response = getattr(failure.value, "response", None)
        if response is not None:
            self.crawler.stats.inc_value("clippings/record/pages")
            logger.warning("%s: HTTP %d (recorded)", failure.request.url, response.status)
        else:
            self.crawler.stats.inc_value("clippings/record/failed")
            logger.error("%s: %s", failure.request.url, failure.getErrorMessage())
