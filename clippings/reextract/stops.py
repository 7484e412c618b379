"""How ``clippings reextract`` takes stop signals it cannot act on at once. No Scrapy.

The command's handlers (``clippings.cli.reextract``) turn a first Ctrl-C or SIGTERM into a
``KeyboardInterrupt`` (what is written stays, the history says ``stopped``) and a second into
``Forced``; while the engine starts, both wait here until it is up.
"""

from __future__ import annotations


class Forced(BaseException):
    """A second stop signal (Ctrl-C, SIGTERM): the run ends at once, the shards in flight
    abandoned; what is written stays, the run history says ``forced``, and the exit status is
    128 + the signal's number, as a crawl's."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Deferred:
    """Stops that came while the engine started (a Dask cluster half started, interrupted,
    fails in its own threads, a traceback at exit): the signal handlers keep them here, and
    the run takes the last one once the engine is up."""

    starting = False
    pending: BaseException | None = None

    @classmethod
    def stop(cls, stop: BaseException) -> None:
        """Raise ``stop`` now, or keep it for when the engine is up."""
        if not cls.starting:
            raise stop
        cls.pending = stop

    @classmethod
    def started(cls) -> None:
        cls.starting, stop, cls.pending = False, cls.pending, None
        if stop is not None:
            raise stop
