"""``scrapy crawl SITE``, exiting as ``clippings crawl`` does.

Scrapy's own command exits 0 whatever the crawl's end, unless the crawler could not start:
an operator's script or scheduler running ``scrapy crawl`` would take a crawl stopped by
SIGTERM (a Scrapyd cancel), one whose output could not be written or one that raised an
extraction-health alarm for a good run. This command runs the crawl the same way and then
exits with the status the run history records for it (``clippings.collection.run_line``):
0 for a crawl that finished with no alarm, 1 for a failure or an alarm, 2 for a bad setting
or spider argument (the crawl closed before it started), 75 when another crawl held the
collection's lock. A second signal still ends the process at once with 130
or 143 (``clippings.crawl.extensions.stops``).
"""

from __future__ import annotations

import argparse
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from clippings.collection.lock import BUSY_STATUS
from clippings.collection.run_line import failures
from clippings.core.stats import stat_key
from clippings.crawl.extensions.stops import stop_signals

# A bad setting or spider argument: the crawl closed before it started, as `clippings crawl`
# refuses it up front (exit status 2, argparse's for a bad command line).
BAD_SETTING_STATUS = 2


def exit_status(site: str, stats: dict[str, Any]) -> int:
    """The status of one site's finished crawl, from its stats: what its history line says."""
    reason = stats.get("finish_reason")
    if reason == "locked":
        return BUSY_STATUS
    if reason == "bad_setting":
        return BAD_SETTING_STATUS
    return 1 if failures(stats) or stats.get(stat_key(site, "health/alarms")) else 0


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Run a spider of the current project, by name (exit status as `clippings crawl`'s)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        # Ctrl-C and SIGTERM (a Scrapyd cancel) are the crawl's from now on, Scrapy's handlers
        # left out (``clippings.crawl.stopsignals``): one that comes while the crawl starts
        # stops it as it starts, recorded, exit status 1.
        stop_signals(crawler).install()
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start(install_signal_handlers=False)
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats is not None:
            self.exitcode = exit_status(crawler.spidercls.name, crawler.stats.get_stats())
