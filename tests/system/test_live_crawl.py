"""Crawls over real HTTP: the le360 fixtures played by a local server (tests/helpers/httpsite.py).

The server answers as the site would, misbehaving on purpose: a 301 from an old slug, a
404, a 500 then 200, a 429 with Retry-After, a first answer slower than the timeout, gzip
everywhere, conditional requests. Between runs its feed and sitemap gain new articles.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from clippings.replay import WarcStore
from clippings.sites import SITES
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES, ROOT
from tests.helpers.httpsite import Answer, LocalSite, listing
from tests.helpers.le360site import (
    ARTICLES,
    BOURITA,
    CASA,
    CONTACT,
    HOST,
    OLD_SLUG,
    crawl,
    publish,
    published,
)

NEW = 3  # articles that appear between the first run and the third


if len(ARTICLES) < NEW + 6:  # pragma: no cover - the fixture set is still being written
    pytest.skip("not enough le360 article fixtures yet", allow_module_level=True)

MISSING = f"{HOST}/politique/un-article-retire_AAAAAAAAAAAAAAAAAAAAAAAAAA/"
FORBIDDEN = f"{HOST}/recherche/resultats_BBBBBBBBBBBBBBBBBBBBBBBBBB/"  # robots.txt: Disallow: /recherche/
OFFSITE = "https://example.com/politique/ailleurs_CCCCCCCCCCCCCCCCCCCCCCCCCC/"
VIDEO = next(json.loads(p.read_text("utf-8"))["url"] for p in FIXTURES.glob("le360/*video*/meta.json"))


def article_hits(site: LocalSite) -> Counter[str]:
    known = {f.url for f in ARTICLES} | {OLD_SLUG, MISSING, VIDEO}
    return Counter(hit.url for hit in site.log() if hit.url in known)


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory):
    """First run; an immediate re-run; a re-run after NEW articles appear."""
    out = tmp_path_factory.mktemp("live")
    warc = tmp_path_factory.mktemp("warc") / "first-run.warc.gz"
    first, new = ARTICLES[:-NEW], ARTICLES[-NEW:]
    with LocalSite(FIXTURES) as site:
        for page in site.pages.values():
            page.delay = 0.02  # every answer a little slow
        publish(site, first, extra=[MISSING, FORBIDDEN, OFFSITE, VIDEO])
        flaky, limited, slow = first[1], first[2], first[3]
        site.page(flaky.url).first = [Answer(500, {}, b"oops")]
        site.page(limited.url).first = [Answer(429, {"Retry-After": "1"}, b"slow down")]
        site.page(slow.url).first = [Answer(200, {"Content-Type": "text/html"}, b"<html></html>", delay=3)]
        runs = []
        for phase in range(3):
            if phase == 2:
                publish(site, ARTICLES, extra=[MISSING, FORBIDDEN, OFFSITE, VIDEO])
            site.clear_log()
            before = read_output(out)
            record = ("--record", str(warc)) if phase == 0 else ()
            done = crawl(site, out, "-s", "DOWNLOAD_TIMEOUT=1", *record)
            assert done.returncode == 0, done.stdout + done.stderr[-3000:]
            after = read_output(out)
            runs.append({"log": site.log(), "hits": article_hits(site), "written": after[len(before) :], "done": done})
    return {
        "out": out,
        "runs": runs,
        "warc": warc,
        "first": first,
        "new": new,
        "flaky": flaky,
        "limited": limited,
        "slow": slow,
    }


def test_first_run_writes_every_listed_article_once(three_runs):
    run = three_runs["runs"][0]
    urls = Counter(r["url"] for r in run["written"])
    assert set(urls) == {f.url for f in three_runs["first"]}
    assert max(urls.values()) == 1
    # The old slug was followed to the canonical URL; 404, video and soft pages wrote nothing.
    assert BOURITA.url in urls and MISSING not in urls and VIDEO not in urls


def test_first_run_is_polite(three_runs):
    run = three_runs["runs"][0]
    log = run["log"]
    hosts = {hit.host for hit in log}
    assert hosts == {"fr.le360.ma"}, "nothing off the site's hosts is requested"
    assert not any(hit.path.startswith("/recherche/") for hit in log), "robots.txt is obeyed"
    assert log[0].path == "/robots.txt"
    assert all(CONTACT in hit.headers.get("user-agent", "") for hit in log)
    assert all("gzip" in hit.headers.get("accept-encoding", "") for hit in log)
    # 500 then 200, and a timed-out first answer: retried once each.
    assert run["hits"][three_runs["flaky"].url] == 2
    assert run["hits"][three_runs["slow"].url] == 2
    # 429 with Retry-After: 1 -> the retry waits at least a second.
    limited = [hit.at for hit in log if hit.url == three_runs["limited"].url]
    assert len(limited) == 2 and limited[1] - limited[0] >= 1.0
    # Every other article page, the 404 and the video page: fetched once.
    others = {
        u: n
        for u, n in run["hits"].items()
        if u not in {three_runs["flaky"].url, three_runs["slow"].url, three_runs["limited"].url}
    }
    assert set(others.values()) == {1}


def test_immediate_rerun_fetches_no_article_and_writes_nothing(three_runs):
    run = three_runs["runs"][1]
    assert run["written"] == []
    assert run["hits"] == Counter()
    # Only robots.txt, and the feed and sitemap index answered 304 to conditional requests.
    assert sorted((hit.path, hit.status) for hit in run["log"]) == sorted(
        [("/robots.txt", 200), ("/arc/outboundfeeds/rss/?outputType=xml", 304), ("/sitemap_index.xml", 304)]
    )


def test_rerun_after_new_articles_fetches_the_feeds_and_those_pages_only(three_runs):
    run = three_runs["runs"][2]
    new = {f.url for f in three_runs["new"]}
    assert {r["url"] for r in run["written"]} == new
    assert run["hits"] == Counter({url: 1 for url in new})
    discovery = sorted(hit.path for hit in run["log"] if hit.url not in new)
    assert discovery == sorted(
        ["/robots.txt", "/arc/outboundfeeds/rss/?outputType=xml", "/sitemap_index.xml", "/sitemaps/articles.xml"]
    )
    per_article = len(run["log"]) / len(new)
    print(f"\nre-run after {len(new)} new articles: {len(run['log'])} requests, {per_article:.2f} per new article")


def test_a_recorded_live_crawl_replays_to_the_same_items(three_runs, tmp_path):
    warc = three_runs["warc"]
    store = WarcStore(warc)
    recorded = set(store.urls())
    assert {f.url for f in three_runs["first"]} <= recorded
    assert OLD_SLUG in recorded and f"{HOST}/robots.txt" in recorded
    assert store.get(OLD_SLUG).status == 301
    done = run_clippings("crawl", "le360", "--replay", str(warc), "--output", str(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]

    def key(records):
        return sorted((r["url"], r["content_sha256"], r["published"]) for r in records)

    assert key(read_output(tmp_path)) == key(three_runs["runs"][0]["written"])


def test_record_command_saves_single_pages(tmp_path):
    warc = tmp_path / "pages.warc.gz"
    with LocalSite(FIXTURES) as site:
        done = run_clippings("record", OLD_SLUG, ARTICLES[0].url, "--to", str(warc), *site.settings())
        assert done.returncode == 0, done.stderr[-3000:]
        assert "responses" in done.stdout
    store = WarcStore(warc)
    assert {OLD_SLUG, BOURITA.url, ARTICLES[0].url, f"{HOST}/robots.txt"} <= set(store.urls())
    out = tmp_path / "out"
    done = run_clippings("crawl", "le360", "--replay", str(warc), "--url", OLD_SLUG, "--output", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    assert [r["url"] for r in read_output(out)] == [BOURITA.url]


def test_record_refuses_urls_of_other_sites(tmp_path):
    done = run_clippings("record", "https://example.com/", "--to", str(tmp_path / "x.warc.gz"))
    assert done.returncode == 2 and "example.com" in done.stderr


# --- backfills ------------------------------------------------------------------------------
def test_backfill_pages_listings_until_since_and_keeps_to_the_dates(tmp_path):
    """--since/--until: listing pages until entries are older than since; dates filter fetches."""
    newest_first = sorted(ARTICLES, key=published, reverse=True)
    pages = [newest_first[i : i + 3] for i in range(0, len(newest_first), 3)]
    since, until = published(pages[2][1]).date(), published(pages[0][-1]).date()
    section = f"{HOST}/politique/"
    with LocalSite(FIXTURES) as site:
        publish(site, [])  # empty feed and sitemap: the listings do the work
        for other in SITES["le360"].listing_urls:  # the fixtures' other sections: nothing listed here
            if other != section:
                site.add(other, listing([], None), headers={"Content-Type": "text/html; charset=utf-8"})
        for n, page in enumerate(pages, 1):
            url = section if n == 1 else f"{section}?page={n}"
            following = f"{section}?page={n + 1}" if n < len(pages) else None
            site.add(
                url,
                listing([(f.url, published(f).astimezone(CASA)) for f in page], following),
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
        done = crawl(site, tmp_path, "--since", since.isoformat(), "--until", until.isoformat())
        assert done.returncode == 0, done.stderr[-3000:]
        requested = {hit.url for hit in site.log()}
    # Page 3 holds the first entry older than since: page 4 is never asked for.
    assert {section, f"{section}?page=2", f"{section}?page=3"} <= requested
    assert f"{section}?page=4" not in requested
    wanted = {f.url for f in ARTICLES if since <= published(f).date() <= until}
    assert {r["url"] for r in read_output(tmp_path)} == wanted
    assert {f.url for f in ARTICLES} & requested == wanted, "out-of-range articles are not fetched"


def test_max_articles_caps_article_fetches(tmp_path):
    with LocalSite(FIXTURES) as site:
        publish(site, ARTICLES)
        done = crawl(site, tmp_path, "--max-articles", "2")
        assert done.returncode == 0, done.stderr[-3000:]
        assert sum(article_hits(site).values()) == 2
    assert len(read_output(tmp_path)) == 2


# --- stopping: killed, paused -----------------------------------------------------------------
def start_crawl(site: LocalSite, out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "clippings.cli", "crawl", "le360", "--output", str(out), *site.settings(), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_lines(out: Path, count: int, process: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = sum(p.read_bytes().count(b"\n") for p in out.glob("le360/*.jsonl"))
        if lines >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"crawl ended before {count} lines: {process.stderr.read()[-2000:]}")
        time.sleep(0.02)
    raise AssertionError(f"no {count} lines within {timeout}s")


def slow_site(site: LocalSite) -> None:
    publish(site, ARTICLES)
    for fixture in ARTICLES:
        site.page(fixture.url).delay = 0.15


@pytest.mark.parametrize("workers", ["1", "2"])
def test_killed_crawl_resumes_without_loss_or_duplicates(tmp_path, workers):
    """SIGKILL mid-crawl, then a power-cut line: the next run writes what is missing, once.
    With workers the crawl's process is killed while its pool holds pages."""
    with LocalSite(FIXTURES) as site:
        slow_site(site)
        process = start_crawl(site, tmp_path, "--workers", workers)
        try:
            wait_for_lines(tmp_path, 3, process)
        finally:
            process.send_signal(signal.SIGKILL)
            # Returns once every process holding the crawl's stdout is gone: with workers,
            # the pool and its fork server too (they exit when the crawl's process dies).
            process.communicate(timeout=30)
        files = list(tmp_path.glob("le360/*.jsonl"))
        assert all(p.read_bytes().endswith(b"\n") for p in files), "no partial line after a kill"
        first = {r["url"] for r in read_output(tmp_path)}
        assert 3 <= len(first) < len(ARTICLES)
        with files[0].open("ab") as handle:  # and a line cut short by a power loss
            handle.write(b'{"url": "https://fr.le360.ma/cut-sh')
        site.clear_log()
        done = crawl(site, tmp_path, "--workers", workers)
        assert done.returncode == 0, done.stderr[-3000:]
        refetched = article_hits(site)
    records = read_output(tmp_path)
    urls = Counter(r["url"] for r in records)
    assert set(urls) == {f.url for f in ARTICLES} and max(urls.values()) == 1
    assert not set(refetched) & first, "articles on disk before the kill are not fetched again"


def test_paused_backfill_resumes_from_jobdir(tmp_path):
    out, jobdir = tmp_path / "out", tmp_path / "job"
    with LocalSite(FIXTURES) as site:
        slow_site(site)
        # Two requests at a time: a Ctrl-C lets the requests in flight finish, and with
        # Scrapy's default of 16 nearly all 13 articles would be in flight at once.
        process = start_crawl(site, out, "-s", f"JOBDIR={jobdir}", "-s", "CONCURRENT_REQUESTS=2")
        try:
            wait_for_lines(out, 2, process)
        finally:
            process.send_signal(signal.SIGINT)  # one Ctrl-C: finish what is in flight, keep the queue
            process.communicate(timeout=30)
        paused = {r["url"] for r in read_output(out)}
        assert len(paused) < len(ARTICLES)
        assert any(jobdir.iterdir())
        done = crawl(site, out, "-s", f"JOBDIR={jobdir}")
        assert done.returncode == 0, done.stderr[-3000:]
        hits = article_hits(site)
    urls = Counter(r["url"] for r in read_output(out))
    assert set(urls) == {f.url for f in ARTICLES} and max(urls.values()) == 1
    assert max(hits.values()) == 1, "no article page fetched twice across pause and resume"
    assert os.path.isdir(jobdir)
