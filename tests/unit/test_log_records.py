"""The crawl command builds no log record below the crawl's level, Scrapy's own included."""

from __future__ import annotations

import logging

import pytest
from scrapy.utils.log import DEFAULT_LOGGING

from clippings.cli.crawl import records_from


@pytest.fixture
def built(monkeypatch):
    """The records built by loggers, by name and level; the loggers' levels restored after."""
    root, scrapy_logger = logging.getLogger(), logging.getLogger("scrapy")
    levels = root.level, scrapy_logger.level
    made: list[tuple[str, int]] = []
    factory = logging.getLogRecordFactory()

    def counting(name, level, *args, **kwargs):
        made.append((name, level))
        return factory(name, level, *args, **kwargs)

    logging.setLogRecordFactory(counting)
    try:
        yield made
    finally:
        logging.setLogRecordFactory(factory)
        root.setLevel(levels[0])
        scrapy_logger.setLevel(levels[1])


def _log_as_a_crawl_does() -> None:
    logging.getLogger("scrapy.core.engine").debug("Crawled (200) <GET %s>", "https://example.org/a")
    logging.getLogger("scrapy.core.scraper").debug("scraped %s", "https://example.org/a")
    logging.getLogger("le360").debug("a spider's DEBUG line")
    logging.getLogger("scrapy.core.engine").info("Spider closed (finished)")
    logging.getLogger("clippings.crawl.middlewares").warning("replay: no saved response")


def _as_scrapy_leaves_them() -> None:
    # What every crawl's start does: the root logger lets everything through, and Scrapy's
    # own logger is set to DEBUG (its DEFAULT_LOGGING).
    assert DEFAULT_LOGGING["loggers"]["scrapy"]["level"] == "DEBUG"
    logging.getLogger().setLevel(logging.NOTSET)
    logging.getLogger("scrapy").setLevel(logging.DEBUG)


def test_below_the_level_no_record_is_built_scrapys_own_included(built):
    _as_scrapy_leaves_them()
    records_from("WARNING")
    _log_as_a_crawl_does()
    assert built == [("clippings.crawl.middlewares", logging.WARNING)]


def test_at_info_scrapys_info_lines_stay(built):
    _as_scrapy_leaves_them()
    records_from("INFO")
    _log_as_a_crawl_does()
    assert built == [("scrapy.core.engine", logging.INFO), ("clippings.crawl.middlewares", logging.WARNING)]


def test_at_debug_every_record_is_built(built):
    _as_scrapy_leaves_them()
    records_from("DEBUG")
    _log_as_a_crawl_does()
    assert [level for _, level in built] == [logging.DEBUG] * 3 + [logging.INFO, logging.WARNING]
