"""Spidermon monitors of the extraction-health figures: ``pip install 'clippings[monitoring]'``.

``CLIPPINGS_MONITORING = True`` has the add-on (``clippings.addon``) turn Spidermon's extension
on with ``HealthMonitorSuite`` run when the spider closes, unless
``SPIDERMON_SPIDER_CLOSE_MONITORS`` names suites of its own (this one, or a subclass, among
them). One monitor a figure judges the crawl's site with ``clippings.core.health.checks``: the
figures and thresholds ``ExtractionHealth`` alarms on, so a monitor fails exactly when the
alarm fires, with a message naming the site, the figure, its value and the threshold. A
figure counted on fewer pages than ``CLIPPINGS_HEALTH_MIN_PAGES`` is skipped, not passed.

When a monitor fails, Spidermon runs the actions named in ``CLIPPINGS_MONITORING_ACTIONS``
(its own: e-mail, Slack, Sentry...), each configured by Spidermon's settings
(docs/monitoring.md). Without Spidermon this module cannot be imported; nothing else imports it.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

from scrapy.utils.misc import load_object
from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import BaseScrapyMonitor

from clippings.core.config import check_value
from clippings.core.health import LIMIT_SETTINGS, Check, checks, health_limits

# Spidermon's runner writes its report through ``Spider.log``, which Scrapy deprecates: the
# warning would be the one line a crawl prints at the command's WARNING level.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", module=r"spidermon\.")

ACTIONS = "CLIPPINGS_MONITORING_ACTIONS"

# What each figure counts, after "N of M".
_COUNTED = {
    "no_body": "article pages had no body",
    "no_date": "articles written had no date",
    "no_author": "articles written had no author",
}


class HealthMonitor(BaseScrapyMonitor):
    """One extraction-health figure of the crawl's site against its threshold."""

    figure: ClassVar[str]

    def _check(self) -> Check:
        limits, min_pages = health_limits(self.data.crawler.settings)
        judged = checks(self.data.stats, self.data.spider.name, limits, min_pages)
        return next(check for check in judged if check.check == self.figure)

    @monitors.name("share within its threshold")
    def test_share_within_threshold(self) -> None:
        check = self._check()
        site = self.data.spider.name
        if not check.judged:
            self.skipTest(
                f"{site}: {self.figure} counted on {check.total}, "
                f"fewer than CLIPPINGS_HEALTH_MIN_PAGES={check.min_pages}"
            )
        if check.alarm:
            self.fail(
                f"{site}: {self.figure} {check.share:.3f} ({check.count} of {check.total} "
                f"{_COUNTED[self.figure]}) is above {LIMIT_SETTINGS[self.figure]}={check.limit:g}"
                " — layout may have changed"
            )


@monitors.name("no body")
class NoBodyMonitor(HealthMonitor):
    """The share of article pages with no body (or one much shorter than the page's evidence)."""

    figure = "no_body"


@monitors.name("no date")
class NoDateMonitor(HealthMonitor):
    """The share of articles written with no date."""

    figure = "no_date"


@monitors.name("no author")
class NoAuthorMonitor(HealthMonitor):
    """The share of articles written with no author."""

    figure = "no_author"


@monitors.name("Extraction health")
class HealthMonitorSuite(MonitorSuite):
    """The three health monitors; ``CLIPPINGS_MONITORING_ACTIONS`` run when one fails. A
    subclass may add monitors, or actions of its own in ``monitors_failed_actions``."""

    monitors: ClassVar[list[Any]] = [NoBodyMonitor, NoDateMonitor, NoAuthorMonitor]

    def __init__(self, *args: Any, crawler: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is not None:
            named = check_value(ACTIONS, crawler.settings.get(ACTIONS))
            self.add_monitors_failed_actions([load_object(path) for path in named])
