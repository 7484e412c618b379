"""Scrapy commands of the project (``COMMANDS_MODULE``): ``scrapy crawl`` with the exit
statuses of ``clippings crawl`` (``crawl``)."""
