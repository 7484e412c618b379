"""Scrapy settings for clippings: the one configuration system.

Every ``clippings`` command-line option maps to one of these (README.md lists them), so
``scrapy crawl`` and Scrapyd users get the same behaviour with ``-s NAME=value``.
"""

from scrapy.settings import default_settings as _scrapy_defaults

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
# Extraction health (clippings.crawl.extensions.ExtractionHealth): the largest share of article
# pages with no body, and of written articles with no date / no author, before the crawl
# is failed ("layout may have changed"); checked once a site has this many pages.
CLIPPINGS_HEALTH_MAX_NO_BODY = 0.5
CLIPPINGS_HEALTH_MAX_NO_DATE = 0.5
CLIPPINGS_HEALTH_MAX_NO_AUTHOR = 0.8
# ... and of the other fields (1: never an alarm on the share alone, only against the site's
# last runs: almaghribtoday has no leads, and tags on a third of its articles), of pages the crawl was sent to fetch that
# failed, and of pages at article URLs refused as no article (video, not an article...).
CLIPPINGS_HEALTH_MAX_NO_TITLE = 0.5
CLIPPINGS_HEALTH_MAX_NO_LEAD = 1.0
CLIPPINGS_HEALTH_MAX_NO_SECTION = 1.0
CLIPPINGS_HEALTH_MAX_NO_TAGS = 1.0
CLIPPINGS_HEALTH_MAX_NO_IMAGE = 1.0
CLIPPINGS_HEALTH_MAX_ERRORS = 0.05
CLIPPINGS_HEALTH_MAX_REFUSED = 0.3
# Against the site's last runs in the run history (clippings.core.drift): a field's coverage
# more than this below their median alarms, and so do sections none of them had on more
# than this share of the run's articles.
CLIPPINGS_HEALTH_MAX_DROP = 0.25
CLIPPINGS_HEALTH_MAX_NEW_VALUES = 0.25
CLIPPINGS_HEALTH_MIN_PAGES = 10
CLIPPINGS_HEALTH_ENABLED = True
# Run history (clippings.crawl.extensions.RunHistory): one JSON line a crawl, however it ends, in
# <CLIPPINGS_OUTPUT_DIR>/.state/runs.ndjson (read by clippings status and clippings report).
CLIPPINGS_RUN_HISTORY = True
# Spidermon monitors of the health figures (clippings.crawl.monitoring, `pip install
# 'clippings[monitoring]'`); the Spidermon actions run when one fails (docs/monitoring.md).
CLIPPINGS_MONITORING = False
CLIPPINGS_MONITORING_ACTIONS = []
# Progress (clippings.crawl.extensions.Progress): a live line on a terminal, else a log line
# every this many seconds (0: off). CLIPPINGS_PROGRESS_LIVE = True/False forces the mode.
CLIPPINGS_PROGRESS_INTERVAL = 60.0
CLIPPINGS_PROGRESS_LIVE = None
# One writer per collection and site (clippings.collection.lock): a crawl holds an exclusive lock on
# <CLIPPINGS_OUTPUT_DIR>/.state/<site>.lock; a second crawl of the same site into the same
# folder waits this many seconds for it, then is refused (exit status 75 under `clippings`).
CLIPPINGS_LOCK_WAIT = 0
# Incremental state (clippings.crawl.incremental): on by default, kept with the collection in
# <CLIPPINGS_OUTPUT_DIR>/.state/state.sqlite unless CLIPPINGS_STATE names another file.
CLIPPINGS_INCREMENTAL = True
CLIPPINGS_STATE = None
# Save every response fetched into this WARC file (.warc.gz), readable by CLIPPINGS_REPLAY.
CLIPPINGS_RECORD = None
# A crawl node of a cluster (clippings crawl --cluster URL --run RUN_ID; docs/cluster.md): the
# Redis holding the run's frontier and the writer's stream, the run's id, and how long the
# run's frontier stays empty with nothing in flight on any node before the node ends.
CLIPPINGS_CLUSTER = None
CLIPPINGS_CLUSTER_RUN = None
CLIPPINGS_CLUSTER_IDLE = 10
# Send a site's requests to another origin: {"https://fr.le360.ma": "http://127.0.0.1:8000"}
# (mirrors, staging copies, tests). Installs clippings.crawl.handlers.OriginsDownloadHandler.
CLIPPINGS_ORIGINS = {}
# Pages are read (parsed, extracted) in this many worker processes; "auto": one per core.
# Requests, state, pipelines and output stay in the crawl's process (clippings.workers).
CLIPPINGS_WORKERS = 1
# Backfills: at most this many pages of each section listing (pagination stops earlier
# once a page's entries are older than ``since``).
CLIPPINGS_LISTING_MAX_PAGES = 50
# An article URL that gave no article (video page, soft 404, HTTP 404/410) is not fetched
# again for this many days, unless its feed or sitemap date moves.
CLIPPINGS_RECHECK_DROPPED_DAYS = 7
# Retries (429, 5xx, timeouts): the pause before retry n is BACKOFF * 2**(n-1) seconds, at
# most BACKOFF_MAX; a Retry-After header sets the pause instead, and one longer than
# RETRY_AFTER_MAX seconds is not waited for (the page is given up). The pause holds the
# whole host, not just the one request.
CLIPPINGS_RETRY_BACKOFF = 2.0
CLIPPINGS_RETRY_BACKOFF_MAX = 60.0
CLIPPINGS_RETRY_AFTER_MAX = 600.0

# The `clippings` command's log level when --loglevel is not given (LOG_LEVEL is for
# scrapy crawl and Scrapyd).
CLIPPINGS_LOG_LEVEL = "WARNING"
# Every CLIPPINGS_* setting, and the Scrapy settings below that the project relies on, has a
# declared type and range in clippings.core.config: `clippings crawl` refuses a bad value up front.

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
    "clippings.crawl.politeness.BackoffRetryMiddleware": 550,
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

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
