"""Spidermon monitors of the extraction-health figures: ``pip install 'clippings[monitoring]'``.

``CLIPPINGS_MONITORING = True`` has the add-on (``clippings.crawl.addon``) turn Spidermon's extension
on with ``HealthMonitorSuite`` run when the spider closes, unless
``SPIDERMON_SPIDER_CLOSE_MONITORS`` names suites of its own (this one, or a subclass, among
them). One monitor a figure (each field's coverage, errors, refusals) judges the crawl's site
with ``clippings.core.health.checks``: the figures and thresholds ``ExtractionHealth`` alarms
on, so a monitor fails exactly when the alarm fires, with a message naming the site, the
figure, its value and the threshold. One more compares the run with the site's last runs as
the extension does (``clippings.core.drift``), from the baseline the extension read. A
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
from clippings.core.drift import MIN_RUNS, drift_alarms
from clippings.core.health import LIMIT_SETTINGS, WHAT, Check, checks, health_limits

# Spidermon's runner writes its report through ``Spider.log``, which Scrapy deprecates: the
# warning would be the one line a crawl prints at the command's WARNING level.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", module=r"spidermon\.")

ACTIONS = "CLIPPINGS_MONITORING_ACTIONS"


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
            why = "the site or the network failed" if self.figure == "errors" else "layout may have changed"
            self.fail(
                f"{site}: {self.figure} {check.share:.3f} ({check.count} of {check.total} "
                f"{WHAT[self.figure]}) is above {LIMIT_SETTINGS[self.figure]}={check.limit:g}"
                f" — {why}"
            )


def _monitor(figure: str) -> type[HealthMonitor]:
    """The monitor of one figure, named as the summary names it (``no body``, ``errors``)."""
    label = figure.replace("_", " ")
    cls = type(
        f"{''.join(part.title() for part in figure.split('_'))}Monitor",
        (HealthMonitor,),
        {
            "figure": figure,
            "__doc__": f"The share of {WHAT[figure].split(' had ')[0]}: {label}.",
            "__module__": __name__,
        },
    )
    return monitors.name(label)(cls)


# One monitor a figure, in the summary's order: NoTitleMonitor ... NoBodyMonitor, ErrorsMonitor,
# RefusedMonitor.
FIGURE_MONITORS: list[type[HealthMonitor]] = [_monitor(figure) for figure in LIMIT_SETTINGS]
NoBodyMonitor = next(cls for cls in FIGURE_MONITORS if cls.figure == "no_body")
NoDateMonitor = next(cls for cls in FIGURE_MONITORS if cls.figure == "no_date")
NoAuthorMonitor = next(cls for cls in FIGURE_MONITORS if cls.figure == "no_author")


@monitors.name("against the last runs")
class LastRunsMonitor(BaseScrapyMonitor):
    """Each field's coverage and the sections against the site's last runs in the run history
    (``clippings.core.drift``): fails exactly when the health extension's comparison alarms."""

    @monitors.name("coverage and values as usual")
    def test_as_usual(self) -> None:
        from clippings.crawl.extensions.health import ExtractionHealth

        health = self.data.crawler.get_extension(ExtractionHealth)
        site = self.data.spider.name
        if health is None or not (health.baseline.shares or health.baseline.values):
            self.skipTest(f"{site}: fewer than {MIN_RUNS} earlier runs in the run history to compare with")
        limits, min_pages = health_limits(self.data.crawler.settings)
        alarmed = frozenset(c.check for c in checks(self.data.stats, site, limits, min_pages) if c.alarm)
        found = drift_alarms(
            self.data.stats, site, health.baseline, health.max_drop, health.max_new, min_pages, alarmed
        )
        if found:
            self.fail("; ".join(found))


@monitors.name("Extraction health")
class HealthMonitorSuite(MonitorSuite):
    """The health monitors, one a figure and one against the site's last runs;
    ``CLIPPINGS_MONITORING_ACTIONS`` run when one fails. A
    subclass may add monitors, or actions of its own in ``monitors_failed_actions``."""

    monitors: ClassVar[list[Any]] = [*FIGURE_MONITORS, LastRunsMonitor]

    def __init__(self, *args: Any, crawler: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is not None:
            named = check_value(ACTIONS, crawler.settings.get(ACTIONS))
            self.add_monitors_failed_actions([load_object(path) for path in named])
