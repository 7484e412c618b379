"""The clippings Scrapy add-on: settings that depend on other settings, resolved once.

Scrapy applies add-ons after every other source of settings (project, ``-s``, Scrapyd), so
a value given on the command line is seen here too:

- ``CLIPPINGS_CONTACT_URL`` is put into ``USER_AGENT`` (``{contact}`` is replaced, or
  ``(+URL)`` appended), so a site's operators can always reach us.
- ``CLIPPINGS_ORIGINS`` installs ``clippings.crawl.handlers.OriginsDownloadHandler``.
- ``CLIPPINGS_REPLAY`` installs ``clippings.crawl.middlewares.NoNetworkDownloadHandler``: a replay
  never reaches the network, and does not set up Scrapy's HTTP download handler. It also
  turns retries off (a recording answers the same each time it is asked), unless
  ``RETRY_ENABLED`` was given on the command line: loading the retry middleware imports
  Scrapy's HTTP/TLS stack (``RETRY_EXCEPTIONS`` names its ``TunnelError``), a fifth of a
  replay's start-up.
- With ``COOKIES_ENABLED`` off (clippings' default), Scrapy's cookies middleware is taken out
  of ``DOWNLOADER_MIDDLEWARES_BASE`` rather than loaded only to say it is not configured: its
  module imports tldextract and its suffix list, 50 ms of every start. (Naming it ``None``
  in ``DOWNLOADER_MIDDLEWARES`` would not do: Scrapy imports every key named there.)
- ``CLIPPINGS_CLUSTER`` makes the crawl a node of a cluster run
  (``clippings.crawl.cluster.setup.node_settings``): scrapy-redis's scheduler, the stream
  pipeline at the writer's place, the node extension.
- ``CLIPPINGS_MONITORING`` turns Spidermon's extension on with the health monitors
  (``clippings.crawl.monitoring``) run when the spider closes, unless
  ``SPIDERMON_SPIDER_CLOSE_MONITORS`` names suites already. Without Spidermon installed nothing
  is added: the setting's check refuses the crawl with the line that says what to install.

Components go into Scrapy's component priority dictionaries (``EXTENSIONS``, ``ITEM_PIPELINES``)
through Scrapy's own helpers, ``setdefault_in_component_priority_dict``,
``set_in_component_priority_dict`` and ``replace_in_component_priority_dict``: given the
component's class, they find it whether the dict names it by class or by import path, and
leave the setting's priority as it was. The cookies middleware alone is taken out by hand
(above).
"""

from __future__ import annotations

from importlib.util import find_spec

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.utils.misc import load_object

COOKIES_MIDDLEWARE = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
SPIDERMON_EXTENSION = "spidermon.contrib.scrapy.extensions.Spidermon"
HEALTH_SUITE = "clippings.crawl.monitoring.HealthMonitorSuite"


def user_agent(template: str, contact: str | None) -> str:
    if not contact:
        return template.replace("; +{contact}", "").replace("{contact}", "")
    if "{contact}" in template:
        return template.replace("{contact}", contact)
    if contact in template:
        return template
    return f"{template} (+{contact})"


class Clippings:
    def update_settings(self, settings: BaseSettings) -> None:
        priority = settings.getpriority("USER_AGENT") or 0
        agent = user_agent(settings.get("USER_AGENT") or "", settings.get("CLIPPINGS_CONTACT_URL"))
        settings.set("USER_AGENT", agent, priority=max(priority, settings.getpriority("CLIPPINGS_CONTACT_URL") or 0))
        handler = None
        if settings.get("CLIPPINGS_REPLAY"):
            handler = "clippings.crawl.middlewares.NoNetworkDownloadHandler"
        elif settings.getdict("CLIPPINGS_ORIGINS"):
            handler = "clippings.crawl.handlers.OriginsDownloadHandler"
        if handler:
            settings.set(
                "DOWNLOAD_HANDLERS",
                {**settings.getdict("DOWNLOAD_HANDLERS"), "http": handler, "https": handler},
                priority="addon",
            )
        if (
            settings.get("CLIPPINGS_REPLAY")
            and (settings.getpriority("RETRY_ENABLED") or 0) < SETTINGS_PRIORITIES["cmdline"]
        ):
            settings.set("RETRY_ENABLED", False, priority=settings.getpriority("RETRY_ENABLED") or "addon")
        if not settings.getbool("COOKIES_ENABLED"):
            # By hand, the one place Scrapy's priority-dict helpers cannot serve: they take the
            # component's class (importing it) and load every key the dict names, and not
            # importing this middleware is the point.
            base = settings.getdict("DOWNLOADER_MIDDLEWARES_BASE")
            if COOKIES_MIDDLEWARE in base:
                del base[COOKIES_MIDDLEWARE]
                settings.set(
                    "DOWNLOADER_MIDDLEWARES_BASE",
                    base,
                    priority=max(
                        settings.getpriority("DOWNLOADER_MIDDLEWARES_BASE") or 0, SETTINGS_PRIORITIES["addon"]
                    ),
                )
        if settings.get("CLIPPINGS_CLUSTER"):
            from clippings.crawl.cluster.setup import node_settings

            node_settings(settings)
        if _monitoring(settings):
            settings.set("SPIDERMON_ENABLED", True, priority="addon")
            # Unless EXTENSIONS names it already, by class or by path (None included: left off).
            settings.setdefault_in_component_priority_dict("EXTENSIONS", load_object(SPIDERMON_EXTENSION), 500)
            if not settings.getlist("SPIDERMON_SPIDER_CLOSE_MONITORS"):
                settings.set("SPIDERMON_SPIDER_CLOSE_MONITORS", [HEALTH_SUITE], priority="addon")


def _monitoring(settings: BaseSettings) -> bool:
    """CLIPPINGS_MONITORING on and Spidermon there to do it (a bad value is the check's to refuse)."""
    try:
        on = settings.getbool("CLIPPINGS_MONITORING")
    except ValueError:
        return False
    return on and find_spec("spidermon") is not None
