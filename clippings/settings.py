"""Scrapy settings for clippings: the one configuration system.

Every ``clippings`` command-line option maps to one of these (README.md lists them), so
``scrapy crawl`` and Scrapyd users get the same behaviour with ``-s NAME=value``.
"""

from scrapy.settings import default_settings as _scrapy_defaults

from clippings.core.config import DEFAULTS as _CLIPPINGS_DEFAULTS

BOT_NAME = "clippings"
SPIDER_MODULES = ["clippings.spiders"]
NEWSPIDER_MODULE = "clippings.spiders"
# `scrapy crawl` exiting as `clippings crawl` does (non-zero after a stop, a failure or an
# alarm; Scrapy's own exits 0): clippings/crawl/commands/crawl.py.
COMMANDS_MODULE = "clippings.crawl.commands"

# --- clippings' own settings ------------------------------------------------------------
# Every CLIPPINGS_* setting, with its default and what it does, is in clippings.core.config
# (DEFAULTS; docs/settings.md lists them): project settings here, as if written out one by
# one. Each has a declared type and range there too: `clippings crawl` refuses a bad value
# up front.
globals().update(_CLIPPINGS_DEFAULTS)

# --- politeness ---------------------------------------------------------------------------
# {contact} is replaced by CLIPPINGS_CONTACT_URL, even one given with -s (clippings.crawl.addon).
USER_AGENT = "clippings/0.1 (press monitoring; +{contact})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Items handled at once per response: the pipelines are synchronous, so more buys nothing,
# and Scrapy starts this many tasks for every callback's output (its default, 100, cost
# replays ~2.5 ms a page). Raise it only for a pipeline that waits on I/O.
CONCURRENT_ITEMS = 1
DOWNLOAD_DELAY = 0.5
# No random draw around the delay (Scrapy's default draws it from 0.5-1.5 x): DOWNLOAD_DELAY
# is the least time between two requests to a host, and the floor of AutoThrottle's delay
# (docs/decisions/download-delay-without-jitter.md).
DOWNLOAD_DELAY_JITTER = 0.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Scrapy's "Gave up retrying" line at INFO: the spider names each page given up in one ERROR
# line, with its reason, and counts it under errors (clippings.crawl.failures).
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control runs Python sent to a local HTTP port; a scheduled crawler has no
# use for one. Neither it nor the Telnet console is even loaded: Scrapy imports every
# extension named in EXTENSIONS_BASE, disabled or not (aiohttp, twisted.conch: ~0.15 s).
REMOTE_CONTROL_ENABLED = False
EXTENSIONS_BASE = {
    name: order
    for name, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if name not in {"scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl"}
}

DOWNLOADER_MIDDLEWARES = {
    # Last before the downloader: everything else sees replayed responses as live ones.
    "clippings.crawl.middlewares.ReplayMiddleware": 950,
    # Just before it: once a crawl is stopping (Ctrl-C, SIGTERM), nothing new is fetched.
    "clippings.crawl.extensions.stops.StopsMiddleware": 945,
    # Sees 3xx responses before Scrapy's RedirectMiddleware (600) follows them.
    "clippings.crawl.middlewares.RedirectGuardMiddleware": 605,
    # Scrapy's meta-refresh redirects, without decoding every page to look for one.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "clippings.crawl.middlewares.MetaRefreshMiddleware": 580,
    # Records responses as they arrive, before redirects are followed and bodies decoded.
    "clippings.crawl.recording.RecordMiddleware": 610,
    # Flags a body cut short (gzip stream not ended, Content-Length not met) before the
    # recorder (610) would save it and Scrapy's HttpCompressionMiddleware (590) inflate what
    # there is; the retry middleware retries it.
    "clippings.crawl.transfer.TransferCheckMiddleware": 615,
    # Retries with backoff and Retry-After, in place of Scrapy's RetryMiddleware.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "clippings.crawl.retry.BackoffRetryMiddleware": 550,
}

ADDONS = {
    "clippings.crawl.addon.Clippings": 0,
}

EXTENSIONS = {
    # What the crawl holds (admission, state, the shared pool, stores, recorders), owned by
    # its crawler and reachable as crawler.get_extension(Resources).
    "clippings.crawl.resources.Resources": 0,
    "clippings.crawl.extensions.ExtractionHealth": 500,
    "clippings.crawl.extensions.Progress": 500,
    # Scrapy's LogStats, its line each site's progress (CLIPPINGS_PROGRESS_INTERVAL).
    "scrapy.extensions.logstats.LogStats": None,
    "clippings.crawl.extensions.SiteLogStats": 0,
    # After ExtractionHealth: a run's line holds its health figures and alarms.
    "clippings.crawl.extensions.RunHistory": 900,
    # Ctrl-C and SIGTERM: the first stops fetching and says so, the second ends the process
    # (exit status 130/143) with every open crawl's history line (clippings.crawl.extensions.stops).
    "clippings.crawl.extensions.Stops": 0,
    # Settings and arguments checked, the collection's lock taken, and let go last, once the
    # run history is appended (clippings.crawl.admission).
    "clippings.crawl.admission.Admit": 1000,
}

ITEM_PIPELINES = {
    "clippings.crawl.pipelines.DatesPipeline": 100,
    "clippings.crawl.pipelines.DateRangePipeline": 150,
    "clippings.crawl.pipelines.DerivedFieldsPipeline": 200,
    "clippings.crawl.pipelines.DuplicatesPipeline": 300,
    "clippings.crawl.pipelines.SchemaPipeline": 400,
    "clippings.crawl.pipelines.UnchangedPipeline": 800,
    "clippings.crawl.pipelines.JsonLinesPipeline": 900,
}

# Dropped items are one INFO line each ("not written: URL: reason"), never the item itself
# (Scrapy's own formatter logs the whole item, body included, at WARNING).
LOG_FORMATTER = "clippings.crawl.logformat.LogFormatter"

# Scrapy's MemoryStatsCollector without its per-attribute look-up shim (clippings.crawl.stats).
STATS_CLASS = "clippings.crawl.stats.CrawlStats"

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
