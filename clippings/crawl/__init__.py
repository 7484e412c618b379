"""The crawl engine: everything that imports Scrapy or Twisted.

The spider and its parts (``spider``, ``listings``, ``outcomes``, ``failures``; ``parts`` what
they see of the spider), the crawl's signals (``signals``), the item pipelines, the
downloader middlewares (replay, redirects, the polite retries of ``retry``, cut
transfers), the extensions (health, progress, history, stops), the add-on, recording, the
download handlers, the log formatter, the Spidermon monitors, the end-of-crawl summary, the
reader choice (``readers``: this process or worker processes), resources and admission. The
library it drives (``extract``, ``sites``, ``core``, ``state``, ``discovery``, ``replay``)
imports none of it.
"""
