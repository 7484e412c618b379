"""Every setting clippings reads, with its type and range, and the one check of their values.

``DEFAULTS`` holds every ``CLIPPINGS_*`` setting's default; ``DECLARED`` names every
``CLIPPINGS_*`` setting (its kind: ``clippings.core.settingtypes``) and the Scrapy settings
the project relies on. ``check_settings``
checks a whole set of settings (a Scrapy ``Settings`` or any mapping with ``get``), and
``check_value`` one value: a bad value raises ``SettingError``, whose text is one line
naming the setting, the value and what is expected. The ``clippings`` command runs it before
Scrapy starts (``-s`` values before anything at all is started). Imports no Scrapy.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from importlib.util import find_spec
from typing import Any

from clippings.core.settingtypes import (
    LOG_LEVELS,
    Setting,
    SettingError,
    boolean,
    log_level,
    number,
    parse_bool,
    parse_objects,
    parse_origins,
    parse_redis_url,
    parse_run_id,
    parse_url,
    parse_worker_count,
    path,
    shown_value,
    warc_path,
)

__all__ = [
    "DECLARED",
    "DEFAULTS",
    "LOG_LEVELS",
    "Setting",
    "SettingError",
    "WithDefaults",
    "check_settings",
    "check_value",
]

# --- the defaults ---------------------------------------------------------------------------
# Every CLIPPINGS_* setting's default, the one place it is written: clippings/settings.py makes
# them project settings (so `scrapy crawl`, `scrapy settings --get` and Scrapyd see them), and
# the components read a setting with the default from here when it is not set at all.
DEFAULTS: dict[str, Any] = {
    # Where JSON lines go: <dir>/<site>/<YYYY-MM-DD>.jsonl (anything else under <dir>/.state/).
    "CLIPPINGS_OUTPUT_DIR": "output",
    # Answer every request from this fixtures folder or WARC file instead of the network.
    "CLIPPINGS_REPLAY": None,
    # Contact URL sent in the User-Agent, so a site's operators can reach us.
    "CLIPPINGS_CONTACT_URL": "https://github.com/clippings-project/clippings",
    # Extraction health (clippings.crawl.extensions.ExtractionHealth): the largest share of article
    # pages with no body, and of written articles with no date / no author, before the crawl
    # is failed ("layout may have changed"); checked once a site has this many pages.
    "CLIPPINGS_HEALTH_MAX_NO_BODY": 0.5,
    "CLIPPINGS_HEALTH_MAX_NO_DATE": 0.5,
    "CLIPPINGS_HEALTH_MAX_NO_AUTHOR": 0.8,
    # ... and of the other fields (1: never an alarm on the share alone, only against the site's
    # last runs: almaghribtoday has no leads, and tags on a third of its articles), of pages the crawl was sent to fetch that
    # failed, and of pages at article URLs refused as no article (video, not an article...).
    "CLIPPINGS_HEALTH_MAX_NO_TITLE": 0.5,
    "CLIPPINGS_HEALTH_MAX_NO_LEAD": 1.0,
    "CLIPPINGS_HEALTH_MAX_NO_SECTION": 1.0,
    "CLIPPINGS_HEALTH_MAX_NO_TAGS": 1.0,
    "CLIPPINGS_HEALTH_MAX_NO_IMAGE": 1.0,
    "CLIPPINGS_HEALTH_MAX_ERRORS": 0.05,
    "CLIPPINGS_HEALTH_MAX_REFUSED": 0.3,
    # Against the site's last runs in the run history (clippings.core.drift): a field's coverage
    # more than this below their median alarms, and so do sections none of them had on more
    # than this share of the run's articles.
    "CLIPPINGS_HEALTH_MAX_DROP": 0.25,
    "CLIPPINGS_HEALTH_MAX_NEW_VALUES": 0.25,
    "CLIPPINGS_HEALTH_MIN_PAGES": 10,
    "CLIPPINGS_HEALTH_ENABLED": True,
    # Run history (clippings.crawl.extensions.RunHistory): one JSON line a crawl, however it ends, in
    # <CLIPPINGS_OUTPUT_DIR>/.state/runs.ndjson (read by clippings status and clippings report).
    "CLIPPINGS_RUN_HISTORY": True,
    # Spidermon monitors of the health figures (clippings.crawl.monitoring, `pip install
    # 'clippings[monitoring]'`); the Spidermon actions run when one fails (docs/monitoring.md).
    "CLIPPINGS_MONITORING": False,
    "CLIPPINGS_MONITORING_ACTIONS": [],
    # Progress (clippings.crawl.extensions.Progress): a live line on a terminal, else a log line
    # every this many seconds (0: off). CLIPPINGS_PROGRESS_LIVE = True/False forces the mode.
    "CLIPPINGS_PROGRESS_INTERVAL": 60.0,
    "CLIPPINGS_PROGRESS_LIVE": None,
    # One writer per collection and site (clippings.collection.lock): a crawl holds an exclusive lock on
    # <CLIPPINGS_OUTPUT_DIR>/.state/<site>.lock; a second crawl of the same site into the same
    # folder waits this many seconds for it, then is refused (exit status 75 under `clippings`).
    "CLIPPINGS_LOCK_WAIT": 0,
    # Incremental state (clippings.crawl.incremental): on by default, kept with the collection in
    # <CLIPPINGS_OUTPUT_DIR>/.state/state.sqlite unless CLIPPINGS_STATE names another file.
    "CLIPPINGS_INCREMENTAL": True,
    "CLIPPINGS_STATE": None,
    # Save every response fetched into this WARC file (.warc.gz), readable by CLIPPINGS_REPLAY.
    "CLIPPINGS_RECORD": None,
    # A crawl node of a cluster (clippings crawl --cluster URL --run RUN_ID; docs/cluster.md): the
    # Redis holding the run's frontier and the writer's stream, the run's id, and how long the
    # run's frontier stays empty with nothing in flight on any node before the node ends.
    "CLIPPINGS_CLUSTER": None,
    "CLIPPINGS_CLUSTER_RUN": None,
    "CLIPPINGS_CLUSTER_IDLE": 10,
    # Send a site's requests to another origin: {"https://fr.le360.ma": "http://127.0.0.1:8000"}
    # (mirrors, staging copies, tests). Installs clippings.crawl.handlers.OriginsDownloadHandler.
    "CLIPPINGS_ORIGINS": {},
    # Pages are read (parsed, extracted) in this many worker processes; "auto": one per core.
    # Requests, state, pipelines and output stay in the crawl's process (clippings.workers).
    "CLIPPINGS_WORKERS": 1,
    # Backfills: at most this many pages of each section listing (pagination stops earlier
    # once a page's entries are older than ``since``).
    "CLIPPINGS_LISTING_MAX_PAGES": 50,
    # An article URL that gave no article (video page, soft 404, HTTP 404/410) is not fetched
    # again for this many days, unless its feed or sitemap date moves.
    "CLIPPINGS_RECHECK_DROPPED_DAYS": 7,
    # Retries (429, 5xx, timeouts): the pause before retry n is BACKOFF * 2**(n-1) seconds, at
    # most BACKOFF_MAX; a Retry-After header sets the pause instead, and one longer than
    # RETRY_AFTER_MAX seconds is not waited for (the page is given up). The pause holds the
    # whole host, not just the one request.
    "CLIPPINGS_RETRY_BACKOFF": 2.0,
    "CLIPPINGS_RETRY_BACKOFF_MAX": 60.0,
    "CLIPPINGS_RETRY_AFTER_MAX": 600.0,
    # The `clippings` command's log level when --loglevel is not given (LOG_LEVEL is for
    # scrapy crawl and Scrapyd).
    "CLIPPINGS_LOG_LEVEL": "WARNING",
}


class WithDefaults:
    """Settings read with the defaults above: ``WithDefaults(crawler.settings).getfloat(NAME)``
    is the value given (at any priority), or ``DEFAULTS[NAME]`` when none is; what the
    components read, in their ``from_crawler``, instead of repeating a default. ``settings``:
    Scrapy's ``Settings`` (typed getters) or, for ``get`` alone, any mapping with ``get``."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def get(self, name: str) -> Any:
        return self.settings.get(name, DEFAULTS[name])

    def getbool(self, name: str) -> bool:
        return self.settings.getbool(name, DEFAULTS[name])

    def getint(self, name: str) -> int:
        return self.settings.getint(name, DEFAULTS[name])

    def getfloat(self, name: str) -> float:
        return self.settings.getfloat(name, DEFAULTS[name])


# Spidermon's monitors need Spidermon (``find_spec`` here, where a test replaces it).
def _monitoring(value: Any) -> bool:
    on = parse_bool(value)
    if on and find_spec("spidermon") is None:
        raise SettingError(
            f"CLIPPINGS_MONITORING={shown_value(value)}: Spidermon is not installed; pip install 'clippings[monitoring]'"
        )
    return on


# --- the declaration ------------------------------------------------------------------------
DECLARED: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        path("CLIPPINGS_OUTPUT_DIR", "a folder path", optional=False),
        path("CLIPPINGS_REPLAY", "a fixtures folder or a WARC file"),
        Setting("CLIPPINGS_CONTACT_URL", "an http(s) URL, without spaces", parse_url, optional=True, kind="url"),
        number("CLIPPINGS_HEALTH_MAX_NO_BODY", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_DATE", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_AUTHOR", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_TITLE", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_LEAD", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_SECTION", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_TAGS", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_IMAGE", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_ERRORS", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_REFUSED", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_DROP", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NEW_VALUES", 0, 1),
        number("CLIPPINGS_HEALTH_MIN_PAGES", 0, whole=True),
        boolean("CLIPPINGS_HEALTH_ENABLED"),
        boolean("CLIPPINGS_RUN_HISTORY"),
        Setting("CLIPPINGS_MONITORING", "True or False", _monitoring, kind="bool"),
        Setting(
            "CLIPPINGS_MONITORING_ACTIONS",
            "import paths of Spidermon actions, comma-separated",
            parse_objects,
            kind="objects",
        ),
        number("CLIPPINGS_PROGRESS_INTERVAL", 0),
        boolean("CLIPPINGS_PROGRESS_LIVE", optional=True),
        number("CLIPPINGS_LOCK_WAIT", 0),
        boolean("CLIPPINGS_INCREMENTAL"),
        path("CLIPPINGS_STATE", "a file path (the state database)"),
        warc_path("CLIPPINGS_RECORD"),
        Setting(
            "CLIPPINGS_ORIGINS",
            'a JSON object of origins, {"https://fr.le360.ma": "http://127.0.0.1:8000"}',
            parse_origins,
            optional=True,
            kind="origins",
        ),
        Setting("CLIPPINGS_WORKERS", "a whole number above 0, or auto", parse_worker_count, kind="workers"),
        number("CLIPPINGS_LISTING_MAX_PAGES", 1, whole=True),
        Setting(
            "CLIPPINGS_CLUSTER",
            "a Redis URL, redis://[:PASSWORD@]HOST:PORT/DB",
            parse_redis_url,
            optional=True,
            kind="redis_url",
        ),
        Setting(
            "CLIPPINGS_CLUSTER_RUN",
            "a run id (letters, digits, '.', '_' or '-')",
            parse_run_id,
            optional=True,
            kind="run_id",
        ),
        number("CLIPPINGS_CLUSTER_IDLE", 0, above=True),
        number("CLIPPINGS_RECHECK_DROPPED_DAYS", 0),
        number("CLIPPINGS_RETRY_BACKOFF", 0),
        number("CLIPPINGS_RETRY_BACKOFF_MAX", 0),
        number("CLIPPINGS_RETRY_AFTER_MAX", 0),
        log_level("CLIPPINGS_LOG_LEVEL"),
        # Scrapy's own, which the project relies on.
        number("DOWNLOAD_DELAY", 0),
        number("DOWNLOAD_DELAY_JITTER", 0, 1),
        number("DOWNLOAD_TIMEOUT", 0, above=True),
        number("CONCURRENT_REQUESTS", 1, whole=True),
        number("CONCURRENT_REQUESTS_PER_DOMAIN", 1, whole=True),
        number("CONCURRENT_REQUESTS_PER_IP", 0, whole=True, optional=True),  # deprecated by Scrapy
        number("CONCURRENT_ITEMS", 1, whole=True),
        log_level("LOG_LEVEL"),
        path("JOBDIR", "a folder path"),
    )
}


def check_value(name: str, value: Any) -> Any:
    """One value of one setting, as the code reads it; SettingError when it cannot be, or
    when ``name`` is a ``CLIPPINGS_*`` setting that does not exist (a typo would otherwise
    be ignored)."""
    setting = DECLARED.get(name)
    if setting is None:
        if name.startswith("CLIPPINGS_"):
            close = difflib.get_close_matches(name, [n for n in DECLARED if n.startswith("CLIPPINGS_")], 1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SettingError(f"{name}: no such setting{hint}")
        return value
    return setting.check(value)


def check_settings(settings: Any, names: Iterable[str] | None = None) -> dict[str, Any]:
    """Every declared setting (or ``names``) of ``settings`` checked; the values as read.
    The first bad one raises SettingError."""
    return {name: check_value(name, settings.get(name)) for name in (DECLARED if names is None else names)}
