"""How Scrapy's own log lines about items read (``LOG_FORMATTER``): one line, the URL, never
the item.

Scrapy logs a dropped item at WARNING with the whole item under the reason: for an article,
its body and internal fields, kilobytes a line. Here a dropped item is one line, "not
written: URL: reason", at INFO unless the ``DropItem`` names its own level (the schema
pipeline's refusals are WARNINGs: they mean a bug, not a routine skip). A scraped item is
logged at DEBUG by its URL alone, and an error in the pipelines names the URL instead of the
item (its traceback stays).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter as ScrapyLogFormatter
from scrapy.logformatter import LogFormatterResult
from twisted.python.failure import Failure

from clippings.crawl.failures import failure_reason


def _url(item: Any) -> str:
    url = getattr(item, "url", None)
    if url is None and isinstance(item, dict):
        url = item.get("url")
    return str(url) if url else type(item).__name__


class LogFormatter(ScrapyLogFormatter):
    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        level = getattr(exception, "log_level", None) or logging.INFO
        if isinstance(level, str):
            level = logging.getLevelName(level.upper())
        # The reasons the pipelines give start with the URL ("URL: unchanged since ...").
        text = str(exception)
        url = _url(item)
        message = text if text.startswith(url) else f"{url}: {text}"
        return {"level": level, "msg": "not written: %(message)s", "args": {"message": message}}

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        return {"level": logging.DEBUG, "msg": "scraped %(url)s", "args": {"url": _url(item)}}

    def item_error(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        return {"level": logging.ERROR, "msg": "%(url)s: error in the item pipelines", "args": {"url": _url(item)}}


class RobotsTxtFailure(logging.Filter):
    """Scrapy logs a robots.txt it could not download at ERROR with the whole traceback, under
    the URL of the request that asked for it; here it is one line naming robots.txt's URL and
    what Scrapy does then (every URL of the host allowed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.exc_info and isinstance(record.args, dict):
            request = record.args.get("request")
            problem = record.args.get("f_exception") or record.exc_info[1]
            parts = urlsplit(getattr(request, "url", "") or "")
            where = f"{parts.scheme}://{parts.netloc}/robots.txt" if parts.netloc else "robots.txt"
            # A cut transfer's exception says nothing by itself: its reason, as for a page.
            detail = failure_reason(Failure(problem))[2] if isinstance(problem, Exception) else problem
            if not str(detail).startswith("download failed"):
                detail = f"download failed: {detail}"
            record.msg = "%s: %s (robots.txt unread: every URL allowed)"
            record.args = (where, detail)
            record.exc_info = record.exc_text = None
        return True


def quiet_robots_txt_failures() -> None:
    """Installs ``RobotsTxtFailure`` on Scrapy's robots.txt middleware's logger, once."""
    scrapy_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, RobotsTxtFailure) for f in scrapy_logger.filters):
        scrapy_logger.addFilter(RobotsTxtFailure())
