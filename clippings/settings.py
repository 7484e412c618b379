"""Scrapy settings for clippings: the one configuration system.

Every ``clippings`` command-line option maps to one of these (README.md lists them), so
``scrapy crawl`` and Scrapyd users get the same behaviour with ``-s NAME=value``.
"""

BOT_NAME = "clippings"
SPIDER_MODULES = ["clippings.spiders"]
NEWSPIDER_MODULE = "clippings.spiders"

# --- clippings' own settings ------------------------------------------------------------
# Where JSON lines go: <dir>/<site>/<YYYY-MM-DD>.jsonl (anything else under <dir>/.state/).
CLIPPINGS_OUTPUT_DIR = "output"
# Answer every request from this fixtures folder or WARC file instead of the network.
CLIPPINGS_REPLAY = None
# Contact URL sent in the User-Agent, so a site's operators can reach us.
CLIPPINGS_CONTACT_URL = "https://github.com/clippings-project/clippings"

# --- politeness ---------------------------------------------------------------------------
USER_AGENT = f"clippings/0.1 (press monitoring; +{CLIPPINGS_CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # Last before the downloader: everything else sees replayed responses as live ones.
    "clippings.middlewares.ReplayMiddleware": 950,
}

ITEM_PIPELINES = {
    "clippings.pipelines.DatesPipeline": 100,
    "clippings.pipelines.DerivedFieldsPipeline": 200,
    "clippings.pipelines.DuplicatesPipeline": 300,
    "clippings.pipelines.SchemaPipeline": 400,
    "clippings.pipelines.JsonLinesPipeline": 900,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
