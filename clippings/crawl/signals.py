"""The crawl's own signals, as Scrapy keeps its own in ``scrapy.signals``: sent through
``crawler.signals``, connected to by the components that listen.

``article_written`` (item, record, path, end): an article's line is on disk, in ``path``,
ending at byte offset ``end``. Sent by the writer pipeline; the incremental state records the
offset, the extraction-health extension counts the written fields.
"""

article_written = object()
