"""The collection: what a crawl writes and what reads it back. Imports no Scrapy.

The JSON-lines writer (``output``), the collection lock (``lock``), the run history
(``runs``), ``clippings validate``, ``clippings export``, ``clippings status``, the overview
and the HTML report of ``clippings report`` (``overview``, ``attention``, ``report_html``).
"""
