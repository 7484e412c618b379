"""The documented path of the log formatter: it lives in ``clippings.crawl.logformat``."""

from clippings.crawl.logformat import LogFormatter as LogFormatter
