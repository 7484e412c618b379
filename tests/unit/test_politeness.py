"""Politeness defaults and the pieces behind them, without a crawl."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import UTC, datetime

import pytest
from scrapy.settings import Settings

from clippings.crawl.addon import Clippings, user_agent
from clippings.crawl.retry import retry_after


def project_settings(**overrides: object) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    Clippings().update_settings(settings)
    return settings


def test_defaults_are_polite():
    settings = project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert 0 < settings.getfloat("DOWNLOAD_TIMEOUT") <= 60
    assert {429, 500, 502, 503, 504} <= {int(c) for c in settings.getlist("RETRY_HTTP_CODES")}
    assert settings["DOWNLOADER_MIDDLEWARES"]["clippings.crawl.retry.BackoffRetryMiddleware"]
    assert settings["USER_AGENT"].startswith("clippings/")
    assert settings["CLIPPINGS_CONTACT_URL"] in settings["USER_AGENT"]


def test_contact_url_given_with_dash_s_reaches_the_user_agent():
    settings = project_settings(CLIPPINGS_CONTACT_URL="https://example.org/press-desk")
    assert "+https://example.org/press-desk" in settings["USER_AGENT"]
    # Even with a User-Agent of one's own.
    settings = project_settings(USER_AGENT="acme-monitor/2", CLIPPINGS_CONTACT_URL="mailto:ops@example.org")
    assert settings["USER_AGENT"] == "acme-monitor/2 (+mailto:ops@example.org)"


def test_user_agent_composition():
    assert user_agent("bot (+{contact})", "https://x") == "bot (+https://x)"
    assert user_agent("bot (https://x)", "https://x") == "bot (https://x)"
    assert user_agent("bot (press; +{contact})", "") == "bot (press)"


def test_origins_install_the_download_handler_only_when_given():
    assert "https" not in project_settings().getdict("DOWNLOAD_HANDLERS")
    settings = project_settings(CLIPPINGS_ORIGINS='{"https://fr.le360.ma": "http://127.0.0.1:9"}')
    assert settings.getdict("DOWNLOAD_HANDLERS")["https"] == "clippings.crawl.handlers.OriginsDownloadHandler"


def test_a_replay_cannot_reach_the_network():
    settings = project_settings(
        CLIPPINGS_REPLAY="fixtures", CLIPPINGS_ORIGINS='{"https://fr.le360.ma": "http://127.0.0.1:9"}'
    )
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert handlers["http"] == handlers["https"] == "clippings.crawl.middlewares.NoNetworkDownloadHandler"
    from scrapy import Request
    from scrapy.exceptions import IgnoreRequest
    from scrapy.utils.test import get_crawler

    from clippings.crawl.middlewares import NoNetworkDownloadHandler

    handler = NoNetworkDownloadHandler.from_crawler(get_crawler())
    with pytest.raises(IgnoreRequest, match=re.escape("https://fr.le360.ma/x: a replay never fetches")):
        asyncio.run(handler.download_request(Request("https://fr.le360.ma/x")))


def test_crawls_run_no_remote_control_or_telnet_server():
    settings = project_settings()
    assert not settings.getbool("REMOTE_CONTROL_ENABLED") and not settings.getbool("TELNETCONSOLE_ENABLED")
    loaded = settings.getwithbase("EXTENSIONS")
    assert "scrapy.extensions.remote_control.RemoteControl" not in loaded
    assert "scrapy.extensions.telnet.TelnetConsole" not in loaded
    assert "scrapy.extensions.corestats.CoreStats" in loaded and "clippings.crawl.extensions.Progress" in loaded


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 4, 8, 10, 0, 0, tzinfo=UTC)
    assert retry_after(b"120") == 120.0
    assert retry_after("Wed, 08 Apr 2026 10:00:30 GMT", now) == 30.0
    assert retry_after("Wed, 08 Apr 2026 09:00:00 GMT", now) == 0.0
    assert retry_after(None) is None
    assert retry_after(b"soon") is None


def test_a_replay_does_not_retry_a_recording_unless_told_to():
    from scrapy.exceptions import NotConfigured

    from clippings.crawl.retry import BackoffRetryMiddleware

    assert BackoffRetryMiddleware(project_settings()).max_retry_times == 3
    with pytest.raises(NotConfigured):  # the middleware manager leaves it out
        BackoffRetryMiddleware(project_settings(CLIPPINGS_REPLAY="fixtures"))
    assert BackoffRetryMiddleware(project_settings(CLIPPINGS_REPLAY="fixtures", RETRY_ENABLED=True))


def test_the_cookies_middleware_is_not_even_imported_while_cookies_are_off():
    cookies = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
    settings = project_settings()
    assert not settings.getbool("COOKIES_ENABLED")
    loaded = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert cookies not in loaded and "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware" in loaded
    assert cookies in project_settings(COOKIES_ENABLED=True).getwithbase("DOWNLOADER_MIDDLEWARES")
