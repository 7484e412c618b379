"""The crawl engine: everything that imports Scrapy or Twisted.

The spider and its mixins (``spider``, ``listings``, ``outcomes``, ``failures``), the item
pipelines, the downloader middlewares (replay, redirects, politeness and its retry, cut
transfers), the extensions (health, progress, history, stops), the add-on, recording, the
download handlers, the log formatter, the Spidermon monitors, the end-of-crawl summary, the
reader choice (``readers``: this process or worker processes), resources and admission. The
library it drives (``extract``, ``sites``, ``core``, ``state``, ``discovery``, ``replay``)
imports none of it.
"""
