"""The crawl's stats collector: Scrapy's ``MemoryStatsCollector`` as the project's settings
name it, every method counting as Scrapy's does, the attribute look-up shim aside."""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from clippings import settings as project_settings
from clippings.core.stats import count
from clippings.crawl.stats import CrawlStats


def test_a_crawl_of_the_project_counts_with_crawl_stats():
    stats = get_crawler(settings_dict={"STATS_CLASS": project_settings.STATS_CLASS}).stats
    assert type(stats) is CrawlStats
    assert type(stats).__getattribute__ is object.__getattribute__


def test_it_counts_as_scrapys_collector_does():
    ours, scrapys = CrawlStats(get_crawler()), MemoryStatsCollector(get_crawler())
    for stats in (ours, scrapys):
        count(stats, "written", "le360")
        count(stats, "written", "le360", value=2)
        count(stats, "dropped/invalid", "le360", example="https://fr.le360.ma/a/")
        stats.max_value("peak", 3)
        stats.max_value("peak", 2)
        stats.min_value("least", 3)
        stats.min_value("least", 1)
        stats.set_value("clippings/refused", "no")
    assert ours.get_stats() == scrapys.get_stats()
    assert ours.get_value("clippings/le360/written") == 3
    assert ours.get_value("clippings/le360/examples/dropped/invalid") == ["https://fr.le360.ma/a/"]
    assert ours.get_value("peak") == 3 and ours.get_value("least") == 1
    ours.clear_stats()
    assert ours.get_stats() == {}
