"""Retrying politely: a pause before each retry, and Retry-After honoured for the whole host.

Scrapy's RetryMiddleware retries 429 and 5xx answers (and timeouts, dropped connections) at
once. A site that says "too many requests" or "unavailable" wants us to wait, so this one
pauses first: ``Retry-After`` (seconds or an HTTP date) when the answer gives it, else
``CLIPPINGS_RETRY_BACKOFF * 2**(n-1)`` seconds capped at ``CLIPPINGS_RETRY_BACKOFF_MAX``.
During the pause no other request goes to that host either (``hold_host``): not one waiting
in the host's download slot, not one still on its way to it. A Retry-After longer than
``CLIPPINGS_RETRY_AFTER_MAX`` is not waited for: the page is given up and logged.

A response whose bytes were cut (``clippings.crawl.transfer``) is retried like a reset
connection; once the retries are spent it fails with ``CutTransfer``, an error the spider
counts and names.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater

from clippings.core.config import WithDefaults
from clippings.crawl.transfer import CutTransfer, cut_flag

logger = logging.getLogger(__name__)


def retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent/bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    backoff: float
    backoff_max: float
    retry_after_max: float

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held: dict[str, float] = {}  # host -> the monotonic time its hold ends

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = super().from_crawler(crawler)
        defaults = WithDefaults(crawler.settings)
        middleware.backoff = defaults.getfloat("CLIPPINGS_RETRY_BACKOFF")
        middleware.backoff_max = defaults.getfloat("CLIPPINGS_RETRY_BACKOFF_MAX")
        middleware.retry_after_max = defaults.getfloat("CLIPPINGS_RETRY_AFTER_MAX")
        return middleware

    def backoff_for(self, attempt: int) -> float:
        return min(self.backoff * 2 ** (attempt - 1), self.backoff_max)

    async def process_request(self, request: Request) -> None:
        """A request on its way to a held host waits for the hold to end (whatever the
        download delay: with none, the slot keeps no clock to move)."""
        host = urlparse_cached(request).hostname or ""
        while (wait := self.held.get(host, 0.0) - monotonic()) > 0:  # a hold may grow meanwhile
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        self.held.pop(host, None)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        cut = cut_flag(response)
        if cut is not None:
            return await self.retry_cut(request, cut)
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        attempt = request.meta.get("retry_times", 0) + 1
        asked = retry_after(response.headers.get("Retry-After"))
        if asked is not None and asked > self.retry_after_max:
            self.crawler.stats.inc_value("clippings/retry/retry_after_too_long")
            logger.warning(
                "%s: HTTP %d with Retry-After %.0fs (more than CLIPPINGS_RETRY_AFTER_MAX %.0fs), given up",
                request.url,
                response.status,
                asked,
                self.retry_after_max,
            )
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        pause = asked if asked is not None else self.backoff_for(attempt)
        if asked is not None:
            self.crawler.stats.inc_value("clippings/retry/retry_after_honoured")
        logger.info("%s: HTTP %d, retry %d in %.1fs", request.url, response.status, attempt, pause)
        await self.pause(request, pause)
        return retry

    async def retry_cut(self, request: Request, reason: str) -> Request:
        """A cut transfer: retried like a reset connection, else ``CutTransfer``."""
        attempt = request.meta.get("retry_times", 0) + 1
        retry = None if request.meta.get("dont_retry", False) else self._retry(request, "cut transfer")
        if retry is None:
            raise CutTransfer(reason)
        logger.info("%s: cut transfer (%s), retry %d", request.url, reason, attempt)
        await self.pause(request, self.backoff_for(attempt))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        attempt = request.meta.get("retry_times", 0) + 1
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            await self.pause(request, self.backoff_for(attempt))
        return retry

    async def pause(self, request: Request, seconds: float) -> None:
        if seconds <= 0:
            return
        self.hold_host(request, seconds)
        await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))

    def hold_host(self, request: Request, seconds: float) -> None:
        """No request leaves for this host for ``seconds``: those on their way wait in
        ``process_request``, those queued in its download slot wait for the slot's clock,
        set so that the slot's next delay, whatever its draw or AutoThrottle's change of it,
        starts at the end of the hold."""
        until = monotonic() + seconds
        host = urlparse_cached(request).hostname or ""
        self.held[host] = max(self.held.get(host, 0.0), until)
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None) if engine else None
        slot = downloader.slots.get(request.meta.get("download_slot")) if downloader else None
        if slot is not None:
            slot.lastseen = max(slot.lastseen, until)
