"""The crawl's stats collector: Scrapy's ``MemoryStatsCollector`` with plain attribute access.

Scrapy's ``StatsCollector`` looks every attribute up through a Python ``__getattribute__``
(it wraps its methods to warn about a deprecated ``spider`` argument): each ``inc_value`` then
costs an f-string and a caught ``AttributeError`` (for ``_stats``), about twenty times a plain
method call. A crawl counts some forty stats a page (its own ``clippings/...`` counts and
Scrapy's), so this collector keeps Scrapy's methods and their behaviour, and drops only the
look-up. Nothing of clippings passes the deprecated ``spider`` argument.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class CrawlStats(MemoryStatsCollector):
    """``MemoryStatsCollector``, its attributes looked up as any object's."""

    __getattribute__ = object.__getattribute__
