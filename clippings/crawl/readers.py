"""Where a crawl reads its article pages: in its own process, or in worker processes.

The spider holds one ``Extractor``, chosen once per crawl from ``CLIPPINGS_WORKERS`` by
``extractor_for``, and awaits ``read``; both give the same ``Article`` for the same page
(``tests/crawl/test_workers.py``). Imports no Scrapy.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from clippings.core.items import Article
from clippings.core.page import Page, ReadingContext
from clippings.crawl.resources import Shared

logger = logging.getLogger(__name__)


class Extractor(Protocol):
    """Reads one page into an ``Article``; raises ``NotArticle`` for a page that is none."""

    async def read(self, page: Page, context: ReadingContext) -> Article: ...

    def close(self) -> dict[str, int]:
        """Done with it; what to keep in the crawl's stats (``workers/replaced``...)."""
        ...


class InProcess:
    """``read_article`` in the crawl's own process."""

    async def read(self, page: Page, context: ReadingContext) -> Article:
        from clippings.extract import read_article  # not imported by a crawl with workers

        return read_article(page, context)

    def close(self) -> dict[str, int]:
        return {}


class InWorkers:
    """The worker pool (``clippings.workers``) of the crawl's ``Shared``, one for the crawls of a process. It needs
    the asyncio event loop (Scrapy's asyncio reactor); without one, pages are read in the
    crawl's process, with a warning."""

    def __init__(self, workers: int, shared: Shared) -> None:
        self.shared = shared
        self.pool: Any = shared.pool(workers)
        self.fallback: InProcess | None = None

    async def read(self, page: Page, context: ReadingContext) -> Article:
        if self.fallback is None and not _in_asyncio_loop():
            logger.warning(
                "CLIPPINGS_WORKERS needs Scrapy's asyncio reactor (TWISTED_REACTOR): pages are read in the crawl's own process"
            )
            self.fallback = InProcess()
            self._release()
        if self.fallback is not None:
            return await self.fallback.read(page, context)
        return await self.pool.read(page, context)

    def _release(self) -> dict[str, int]:
        if self.pool is None:
            return {}
        figures = {"workers/replaced": self.pool.replaced} if self.pool.replaced else {}
        self.shared.release_pool(self.pool)
        self.pool = None
        return figures

    def close(self) -> dict[str, int]:
        return self._release()


def extractor_for(workers: int, shared: Shared) -> Extractor:
    """``InWorkers`` (the pool of ``shared``) for two workers or more, else ``InProcess``."""
    return InWorkers(workers, shared) if workers > 1 else InProcess()


def _in_asyncio_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
