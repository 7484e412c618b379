"""Retrying politely: a pause before each retry, and Retry-After honoured for the whole host.

Scrapy's RetryMiddleware retries 429 and 5xx answers (and timeouts, dropped connections) at
once. A site that says "too many requests" or "unavailable" wants us to wait, so this one
pauses first: ``Retry-After`` (seconds or an HTTP date) when the answer gives it, else
``CLIPPINGS_RETRY_BACKOFF * 2**(n-1)`` seconds capped at ``CLIPPINGS_RETRY_BACKOFF_MAX``.
During the pause no other request goes to that host either. A Retry-After longer than
``CLIPPINGS_RETRY_AFTER_MAX`` is not waited for: the page is given up and logged.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater

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

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = super().from_crawler(crawler)
        settings = crawler.settings
        middleware.backoff = settings.getfloat("CLIPPINGS_RETRY_BACKOFF", 2.0)
        middleware.backoff_max = settings.getfloat("CLIPPINGS_RETRY_BACKOFF_MAX", 60.0)
        middleware.retry_after_max = settings.getfloat("CLIPPINGS_RETRY_AFTER_MAX", 600.0)
        return middleware

    def backoff_for(self, attempt: int) -> float:
        return min(self.backoff * 2 ** (attempt - 1), self.backoff_max)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
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
        """No request leaves for this host's download slot for ``seconds``."""
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None) if engine else None
        slot = downloader.slots.get(request.meta.get("download_slot")) if downloader else None
        if slot is None or not slot.delay:
            return  # without a download delay the slot keeps no clock: only this request waits
        slot.lastseen = max(slot.lastseen, monotonic() + seconds - slot.delay)
