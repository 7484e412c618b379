"""Extraction in worker processes (``CLIPPINGS_WORKERS``): a crawl's CPU-bound part on every core.

Only ``read_article`` (decoding, parsing, metadata, trafilatura, language) moves to the
workers; requests, incremental state, the item pipelines and the JSON-lines files stay in
the crawl's own process, so output and state keep one writer whatever the number of workers
and a run with workers writes the same articles as one without. Imports no Scrapy.

Workers are forked from a server process that has imported the extraction code once
(``forkserver``): they start in milliseconds, share that memory, and never inherit the
crawl's threads or event loop. Each talks to the crawl over a socket that the crawl's event
loop writes pages to and reads answers from. A worker that dies (a crash in a C library,
the OOM killer) is replaced, and the page it was reading is tried once more before it is
reported as an error naming its URL. Workers exit by themselves when the crawl's process
dies, so a crawl killed outright leaves no process behind.
"""

from __future__ import annotations

from clippings.workers.pool import ExtractionPool
from clippings.workers.worker import (
    QUEUED_PAGES,
    RESET_CACHES_EVERY,
    WorkerCrashed,
    serve,
    watch_crawl,
)

__all__ = [
    "QUEUED_PAGES",
    "RESET_CACHES_EVERY",
    "ExtractionPool",
    "WorkerCrashed",
    "serve",
    "watch_crawl",
]
