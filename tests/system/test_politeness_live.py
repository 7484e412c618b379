"""Politeness as documented, read from a local server's request log (tests/helpers/httpsite.py):
the gaps between request starts never under DOWNLOAD_DELAY (no jitter), a Retry-After that
holds the whole host, at most CONCURRENT_REQUESTS_PER_DOMAIN in flight, feeds asked
conditionally on the next run (almaghribtoday's /rss looks like a listing URL), and
AutoThrottle pacing a slow origin reached through CLIPPINGS_ORIGINS.

The gaps are floors taken from the server's log, never a limit on how long a crawl takes.
A request is logged when it arrives, a little after it left: ``SLACK`` allows for that.
"""

from __future__ import annotations

import statistics
from itertools import pairwise
from pathlib import Path

from clippings.collection.runs import read_runs
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES
from tests.helpers.httpsite import Answer, LocalSite
from tests.helpers.politeness import ARTICLES, DELAY, FEEDS, SLACK, publish


def crawl(site: LocalSite, out: Path, *extra: str):
    return run_clippings(
        "crawl", "almaghribtoday", "--output", str(out), *site.settings(), *extra, "-s", "RETRY_TIMES=2", timeout=120
    )


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in pairwise(times)]


def test_delay_hold_concurrency_and_conditional_feeds(tmp_path):
    articles = ARTICLES[:8]
    limited = articles[2]
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        for fixture in articles:
            site.page(fixture.url).delay = 0.7  # slower than the delay: two may be in flight
        site.page(limited.url).first = [Answer(429, {"Retry-After": "1"}, b"slow down")]
        done = crawl(site, tmp_path, "-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        assert done.returncode == 0, done.stderr[-3000:]
        first = site.log()
        peak = site.peak["www.almaghribtoday.net"]
        site.clear_log()
        done = crawl(site, tmp_path, "-s", f"DOWNLOAD_DELAY={DELAY}")
        assert done.returncode == 0, done.stderr[-3000:]
        second = site.log()
    assert {r["url"] for r in read_output(tmp_path)} == {f.url for f in articles}
    assert {hit.host for hit in first} == {"www.almaghribtoday.net"}
    starts = sorted(hit.at for hit in first)
    assert len(starts) >= len(articles) + 4
    # Never two requests to the host closer than DOWNLOAD_DELAY.
    assert min(gaps(starts)) >= DELAY - SLACK, sorted(gaps(starts))[:5]
    # The 429 with Retry-After: 1 holds the whole host for a second: nothing goes out meanwhile.
    refused = next(hit.at for hit in first if hit.url == limited.url and hit.status == 429)
    after = [at for at in starts if at > refused]
    assert after and after[0] - refused >= 1.0 - SLACK, [round(at - refused, 3) for at in after[:3]]
    assert peak <= 2, f"{peak} requests in flight at once"
    # The second run asks both feeds with their validators: 304, and no article again.
    for feed in FEEDS:
        asked = [hit for hit in second if hit.url == feed]
        assert len(asked) == 1 and asked[0].headers.get("if-none-match"), feed
        assert asked[0].status == 304, feed
    assert not {f.url for f in articles} & {hit.url for hit in second}
    runs = [run for run in read_runs(tmp_path) if run["site"] == "almaghribtoday"]
    assert [run["errors"] for run in runs] == [{}, {}]


def test_a_retry_after_holds_the_host_whatever_the_jitter(tmp_path):
    """An operator who turns Scrapy's jitter back on still gets the whole hold. (It used to
    be cut short by the slot's draw, about one hold in two: six holds here.)"""
    articles = ARTICLES[:8]
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        for limited in articles[1:4]:
            site.page(limited.url).first = [Answer(503, {"Retry-After": "1"}, b"busy")] * 2
        done = crawl(site, tmp_path, "-s", "DOWNLOAD_DELAY=0.4", "-s", "DOWNLOAD_DELAY_JITTER=0.5")
        assert done.returncode == 0, done.stderr[-3000:]
        log = site.log()
    starts = sorted(hit.at for hit in log)
    refusals = [hit.at for hit in log if hit.status == 503]
    assert len(refusals) == 6
    for refused in refusals:
        after = [at for at in starts if at > refused]
        assert after and after[0] - refused >= 1.0 - SLACK, [round(at - refused, 3) for at in after[:3]]
    assert {r["url"] for r in read_output(tmp_path)} == {f.url for f in articles}


def test_autothrottle_paces_a_slow_origin_reached_through_origins(tmp_path):
    articles = ARTICLES[:12]
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        for fixture in articles:
            site.page(fixture.url).delay = 0.5
        done = crawl(
            site,
            tmp_path,
            "-s",
            "DOWNLOAD_DELAY=0.01",
            "-s",
            "AUTOTHROTTLE_START_DELAY=0.01",
            "-s",
            "AUTOTHROTTLE_MAX_DELAY=2",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=4",
        )
        assert done.returncode == 0, done.stderr[-3000:]
        urls = {f.url for f in articles}
        starts = sorted(hit.at for hit in site.log() if hit.url in urls)
    assert len(starts) == len(articles)
    # Once the first answers are in, AutoThrottle spaces requests by the origin's latency
    # (0.5 s, target concurrency 1); at the start delay they would leave 0.01 s apart.
    later = gaps(starts[4:])
    assert statistics.median(later) >= 0.25, [round(g, 3) for g in later]


def test_feeds_are_never_listings_though_their_path_looks_like_one():
    from clippings.sites import SITES

    for name in ("almaghribtoday", "almaghribtoday_en"):
        site = SITES[name]
        assert site.listing_url is not None and site.listing_url.match(site.feed_urls[0]), "the trap is real"
        assert not any(site.is_listing_url(feed) for feed in site.feed_urls)
        assert site.listing_urls and all(site.is_listing_url(url) for url in site.listing_urls)
