"""``clippings crawl``: one Scrapy crawl per site, in one process, and the summary.

Every option is a Scrapy setting or spider argument (README.md lists the equivalents), so
``scrapy crawl`` and Scrapyd runs behave the same as this command."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from clippings.cli.options import (
    UsageError,
    check_folders,
    checked,
    holds_collection,
    labels,
    named,
    set_options,
    unknown_settings,
)
from clippings.sites import SITES

# A Ctrl-C or SIGTERM that came before any crawl started (while Scrapy loaded, or while the
# command waited for another crawl's lock): exit status 1, as for a crawl stopped.
STOPPED_BEFORE = "clippings: stopped before the crawl started: nothing was fetched or written"


def scrapy_settings(args: argparse.Namespace):  # -> scrapy.settings.Settings
    from clippings.core.config import WithDefaults, check_settings, check_value

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for warning in unknown_settings(set_options(args), {str(name) for name in settings}):
        print(f"clippings: {warning}", file=sys.stderr)
    for name, value in set_options(args):
        settings.set(name, value, priority="cmdline")
    for option, name in (
        ("replay", "CLIPPINGS_REPLAY"),
        ("output", "CLIPPINGS_OUTPUT_DIR"),
        ("state", "CLIPPINGS_STATE"),
        ("record", "CLIPPINGS_RECORD"),
        ("workers", "CLIPPINGS_WORKERS"),
        ("cluster", "CLIPPINGS_CLUSTER"),
        ("run", "CLIPPINGS_CLUSTER_RUN"),
    ):
        if getattr(args, option, None):
            settings.set(name, getattr(args, option), priority="cmdline")
    checked(lambda: check_settings(settings))
    given = dict(set_options(args))
    level = args.loglevel or given.get("LOG_LEVEL") or WithDefaults(settings).get("CLIPPINGS_LOG_LEVEL")
    level = checked(lambda: check_value("LOG_LEVEL", level))  # "info" -> "INFO"
    settings.set("LOG_LEVEL", level, priority="cmdline")
    return settings


def _spider_urls(args: argparse.Namespace) -> dict[str, list[str]]:
    if "all" in args.sites:
        args.sites = [*(s for s in args.sites if s != "all"), *sorted(SITES)]
    unknown = [s for s in args.sites if s not in SITES]
    if unknown:
        raise UsageError(f"unknown site {unknown[0]!r} (known: {', '.join(sorted(SITES))})")
    urls: dict[str, list[str]] = {name: [] for name in dict.fromkeys(args.sites)}
    for url in args.url:
        # The site that owns the URL (sites sharing a host own it by path); a URL that several
        # of the named sites own (their host's robots.txt) goes to the first of them.
        site = next((name for name in urls if SITES[name].owns(url)), None)
        if site is None:
            raise UsageError(f"--url {url}: not a URL of {' or '.join(urls)}")
        urls[site].append(url)
    if args.url:
        # Only the sites some URL was given for are crawled.
        urls = {name: given for name, given in urls.items() if given}
    return urls


def crawl(args: argparse.Namespace) -> int:
    per_site = _spider_urls(args)
    spider_args = _spider_args(args)
    if args.cluster or args.run:
        from clippings.cli.cluster import check_node_options

        check_node_options(args)
    set_options(args)
    if args.replay and not Path(args.replay).exists():  # the quick check; the rest below
        raise UsageError(f"--replay {args.replay}: no such file or folder")
    # What takes a while before the first page overlaps: the workers start in the background
    # (their fork server imports the extraction code and langdetect's profiles, about a
    # second), a thread indexes the replay source, and this process loads Scrapy. --workers
    # has the last word over the settings, so with it the workers start before Scrapy loads.
    from clippings.crawl.resources import Shared
    from clippings.crawl.stopsignals import StopSignals

    shared = Shared()  # what the crawls of this command share: the pool, the WARC, the locks
    # Ctrl-C and SIGTERM are the crawls' from now on, not a KeyboardInterrupt in the middle of
    # Scrapy's start-up (which it would swallow, and report a crawl that never ran as one that
    # went well): a first signal stops each crawl as it starts, a second ends the process.
    shared.stops = StopSignals()
    shared.stops.install()
    pool = None
    try:
        if args.workers is not None:
            pool = _start_pool(shared, _worker_count(args.workers, "--workers"))
        settings = scrapy_settings(args)
        if args.workers is None:
            from clippings.core.config import WithDefaults

            workers = WithDefaults(settings).get("CLIPPINGS_WORKERS")
            pool = _start_pool(shared, _worker_count(workers, "CLIPPINGS_WORKERS"))
        if settings.get("JOBDIR") and len(per_site) > 1:
            raise UsageError("JOBDIR holds one crawl: crawl one site per JOBDIR")
        from clippings.crawl.extensions.stops import job_finished

        finished = job_finished(settings.get("JOBDIR"))
        if finished:
            raise UsageError(finished)
        if settings.get("CLIPPINGS_CLUSTER"):  # a node: its writer holds the collection
            from clippings.cli.cluster import reachable

            reachable(settings.get("CLIPPINGS_CLUSTER"), settings.get("CLIPPINGS_CLUSTER_RUN"))
            return _run_crawls(per_site, spider_args, settings, _open_replay(args.replay, shared), shared)
        new = not args.new and not holds_collection(Path(settings.get("CLIPPINGS_OUTPUT_DIR")))
        check_folders(settings, labels(args))
        from clippings.collection import lock

        try:
            busy = _take_locks(per_site, settings, labels(args), shared)
            if shared.stops.stopping:  # a Ctrl-C or SIGTERM before any crawl started
                print(STOPPED_BEFORE, file=sys.stderr)
                return 1
            for refused in busy:  # at once: the other sites' crawls may take a while
                print(refused, file=sys.stderr)
                del per_site[refused.site]
            if not per_site:
                return lock.BUSY_STATUS
            status = _run_crawls(per_site, spider_args, settings, _open_replay(args.replay, shared), shared, new)
            return status or (lock.BUSY_STATUS if busy else 0)
        finally:
            shared.release_reserved()
    finally:
        if pool is not None:
            shared.release_pool(pool)


def _take_locks(per_site: dict[str, list[str]], settings: Any, labels: dict[str, str], shared: Any) -> list[Any]:
    """The writer's lock of each site's part of the collection (``clippings.collection.lock``), all
    waited for at once, up to ``CLIPPINGS_LOCK_WAIT`` seconds, before Scrapy starts; each
    crawl claims its own. Returns the ``Busy`` of the sites another crawl holds."""
    from clippings.collection import lock

    output = settings.get("CLIPPINGS_OUTPUT_DIR")
    held = [lock.WriterLock(output, site) for site in per_site]
    try:
        stops = shared.stops
        busy = lock.acquire_all(held, settings.getfloat("CLIPPINGS_LOCK_WAIT"), given_up=lambda: stops.stopping)
    except OSError as exc:
        label = {"CLIPPINGS_OUTPUT_DIR": "--output", **labels}["CLIPPINGS_OUTPUT_DIR"]
        raise UsageError(
            f"{named(label, Path(output))}: cannot create {Path(output) / '.state'} ({exc.strerror or exc})"
        ) from None
    for taken in held:
        if taken.held:
            shared.reserve(taken)
    return busy


def _worker_count(value: object, name: str) -> int:
    from clippings.core.arguments import parse_workers

    try:
        return parse_workers(value, name)
    except ValueError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None


def _start_pool(shared: Any, count: int):  # -> clippings.workers.ExtractionPool | None
    if count < 2:
        return None
    return shared.pool(count).start()


def _open_replay(source: str | None, shared: Any) -> Callable[[], None]:
    """Open the replay source (a WARC is indexed: it is read whole) in a thread; the function
    returned waits for it, and raises UsageError if it cannot be read. zlib lets go of the
    GIL while it inflates, so the indexing runs beside Scrapy's imports."""
    if not source:
        return lambda: None
    from concurrent.futures import ThreadPoolExecutor

    from clippings.replay import ReplaySourceError

    executor = ThreadPoolExecutor(1, thread_name_prefix="replay-index")
    opening = executor.submit(shared.store, source)
    executor.shutdown(wait=False)

    def opened() -> None:
        try:
            opening.result()
        except ReplaySourceError as exc:
            raise UsageError(f"--replay {exc}") from None

    return opened


def _run_crawls(
    per_site: dict[str, list[str]],
    spider_args: dict[str, str],
    settings: Any,
    replay_opened: Callable[[], None],
    shared: Any,
    new: bool = False,
) -> int:
    from scrapy.crawler import CrawlerProcess

    from clippings.crawl.resources import share
    from clippings.crawl.stopsignals import StopSignals
    from clippings.crawl.summary import crawl_report

    process = CrawlerProcess(settings)  # imports the spiders, the extraction code...
    replay_opened()
    crawlers = []
    output = Path(settings.get("CLIPPINGS_OUTPUT_DIR"))
    if new:  # a mistyped --output would otherwise start a full re-crawl without a word
        logging.getLogger("clippings.cli").warning("starting a new collection in %s", output)
    shared.stops = shared.stops or StopSignals()
    # A second Ctrl-C or SIGTERM ends the process from its signal handler: the summary first.
    shared.stops.on_forced.append(lambda signum: os.write(1, (crawl_report(crawlers, output)[0] + "\n").encode()))
    for name, urls in per_site.items():
        crawler = process.create_crawler(name)
        share(crawler, shared)
        crawlers.append(crawler)
        process.crawl(crawler, urls=urls or None, **spider_args)
    records_from(settings.get("LOG_LEVEL"))
    with collector_for_crawls():
        process.start(install_signal_handlers=False)  # Ctrl-C and SIGTERM are shared.stops'
    text, status = crawl_report(crawlers, output)
    if settings.get("CLIPPINGS_CLUSTER"):  # a node: its articles went to the writer
        from clippings.cli.cluster import node_note

        text = node_note(text, [crawler.stats.get_stats() for crawler in crawlers], settings)
    print(text)
    return status


def records_from(level: str) -> None:
    """Log records built from ``level`` up only. Scrapy filters by level in its log handler
    only, and each crawl resets the root logger to let everything through; its own "scrapy"
    logger it sets to DEBUG (``DEFAULT_LOGGING``), past the root's level. Every request's and
    item's DEBUG record ("Crawled (200)", "scraped URL") would be built, then thrown away."""
    logging.getLogger().setLevel(level)
    logging.getLogger("scrapy").setLevel(level)


# Young objects collected in batches of this many allocations (Python's default is 700).
YOUNG_BATCH = 5000


@contextlib.contextmanager
def collector_for_crawls() -> Iterator[None]:
    """Python's garbage collector while the crawls run. What is built before them (modules,
    settings, spiders, middlewares) lives as long as the crawls: frozen (``gc.freeze``), it
    is no longer walked by every full collection. A page's objects are collected in larger
    batches (``YOUNG_BATCH``). Both are undone after, for what the process runs next."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_BATCH, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _spider_args(args: argparse.Namespace) -> dict[str, str]:
    """--since/--until/--max-articles, checked here, passed on as strings (as Scrapyd does)."""
    from clippings.core.arguments import parse_count, parse_day

    given = {"since": args.since, "until": args.until, "max_articles": args.max_articles}
    try:
        since, until = parse_day(args.since, "--since"), parse_day(args.until, "--until")
        parse_count(args.max_articles, "--max-articles")
    except ValueError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    return {name: value for name, value in given.items() if value not in (None, "")}
