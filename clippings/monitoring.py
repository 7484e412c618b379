"""The documented path of the Spidermon monitors: they live in ``clippings.crawl.monitoring``."""

from clippings.crawl.monitoring import HealthMonitor, HealthMonitorSuite, LastRunsMonitor  # noqa: F401
