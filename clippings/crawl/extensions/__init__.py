"""Scrapy extensions: extraction-health alarms (``health``), crawl progress (``progress``),
run history (``history``), Ctrl-C and SIGTERM (``stops``).

They work from the crawl's stats, so ``clippings crawl``, ``scrapy crawl`` and Scrapyd jobs
get the same figures in their stats, logs and run history; the ``clippings`` command turns a
health alarm into a non-zero exit status (see ``clippings.core.summary``).
"""

from clippings.core.health import health_figures
from clippings.core.stats import site_stat
from clippings.crawl.extensions.health import ExtractionHealth
from clippings.crawl.extensions.history import RunHistory
from clippings.crawl.extensions.progress import Progress, SiteLogStats, queued
from clippings.crawl.extensions.stops import Stopped, Stops

__all__ = [
    "ExtractionHealth",
    "Progress",
    "RunHistory",
    "SiteLogStats",
    "Stopped",
    "Stops",
    "health_figures",
    "queued",
    "site_stat",
]
