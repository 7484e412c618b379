"""What a crawl holds, owned by its crawler: ``resources(crawler)``, also the extension
``Resources`` (``crawler.get_extension(Resources)``), and nothing at module level.

A crawler's ``Resources`` hold its admission (settings checked, the writer's lock), its
incremental state, and the ``Shared`` things it draws from: the worker pool, the open WARC
stores, the recorders, the collection locks taken before Scrapy started, the terminal's live
display. The crawls of one ``clippings crawl`` share one ``Shared`` (one pool of workers for
every site, one index of a WARC, one writer per recorded file), which the command attaches
to each crawler before it starts (``share``); a crawl started otherwise (``scrapy crawl``, a
Scrapyd job: one crawl a process) has one of its own. Imports no Scrapy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_ATTRIBUTE = "_clippings_resources"
_SHARED = "_clippings_shared"
OPEN_WARCS = 4  # WARC stores kept open (and indexed) by one Shared


class Shared:
    """The resources the crawls of one process share, each given out and taken back."""

    def __init__(self) -> None:
        self._pools: dict[int, tuple[Any, int]] = {}
        self._stores: dict[tuple[str, int, int], Any] = {}
        self._recorders: dict[Path, tuple[Any, int]] = {}
        self._locks: dict[str, Any] = {}
        self.live: Any = None  # the live display (clippings.crawl.extensions.progress), once drawn
        self.stops: Any = None  # Ctrl-C and SIGTERM (clippings.crawl.extensions.stops), once a crawl opens

    # --- the worker pool: one per number of workers ----------------------------------------
    def pool(self, workers: int) -> Any:
        from clippings.workers import ExtractionPool

        pool, users = self._pools.get(workers, (None, 0))
        if pool is None:
            pool = ExtractionPool(workers)
        self._pools[workers] = (pool, users + 1)
        return pool

    def release_pool(self, pool: Any) -> None:
        """One user is done with ``pool``; the last one closes it."""
        shared, users = self._pools.get(pool.workers, (None, 0))
        if shared is not pool:
            pool.close()
        elif users <= 1:
            del self._pools[pool.workers]
            pool.close()
        else:
            self._pools[pool.workers] = (pool, users - 1)

    # --- replay stores: a WARC is indexed once -----------------------------------------------
    def store(self, source: str | Path) -> Any:
        """The store behind a ``--replay`` SOURCE (``clippings.replay.open_store``); a WARC's,
        once per file version."""
        from clippings.replay import open_store

        path = Path(source)
        if not path.is_file():
            return open_store(path)  # a fixtures folder (nothing to index), or the error naming it
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        store = self._stores.get(key)
        if store is None:
            store = open_store(path)
            if len(self._stores) >= OPEN_WARCS:
                self._stores.pop(next(iter(self._stores)))
            self._stores[key] = store
        return store

    # --- recorders: one writer per file ------------------------------------------------------
    def recorder(self, path: Path) -> Any:
        from clippings.replay import WarcRecorder

        recorder, users = self._recorders.get(path) or (WarcRecorder(path), 0)
        self._recorders[path] = (recorder, users + 1)
        return recorder

    def release_recorder(self, path: Path) -> None:
        recorder, users = self._recorders.pop(path)
        if users > 1:
            self._recorders[path] = (recorder, users - 1)
        else:
            recorder.close()

    # --- collection locks taken before Scrapy started ----------------------------------------
    def reserve(self, lock: Any) -> None:
        """A held writer lock (``clippings.collection.lock``), kept for its site's crawl to claim."""
        self._locks[_lock_key(lock.output, lock.site)] = lock

    def claim(self, output: Any, site: str) -> Any:
        """The lock reserved for this site and collection, once: a second crawl of the same
        site takes its own, and finds it busy."""
        return self._locks.pop(_lock_key(output, site), None)

    def release_reserved(self) -> None:
        """Let go of the reserved locks no crawl claimed."""
        while self._locks:
            self._locks.popitem()[1].release()


def _lock_key(output: Any, site: str) -> str:
    from clippings.collection.lock import lock_path

    return str(lock_path(output, site).resolve())


class Resources:
    """One crawler's: its admission and incremental state (made on first use, by
    ``clippings.crawl.admission`` and ``clippings.crawl.incremental``), and its ``shared``."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.shared: Shared = getattr(crawler, _SHARED, None) or Shared()
        self.admission: Any = None
        self.incremental: Any = None
        self.incremental_opened = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> Resources:
        """As an extension: the crawler's own (made already by whatever needed it first)."""
        return resources(crawler)


def resources(crawler: Any) -> Resources:
    """The crawler's ``Resources``, made on first use (the spider needs them before Scrapy
    builds the extensions)."""
    found = getattr(crawler, _ATTRIBUTE, None)
    if found is None:
        found = Resources(crawler)
        setattr(crawler, _ATTRIBUTE, found)
    return found


def share(crawler: Any, shared: Shared) -> None:
    """Make ``crawler`` draw from ``shared`` (before its crawl starts: its Resources may
    exist already, made with the extensions, but have handed nothing out yet)."""
    setattr(crawler, _SHARED, shared)
    found = getattr(crawler, _ATTRIBUTE, None)
    if found is not None:
        found.shared = shared
