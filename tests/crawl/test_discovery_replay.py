"""Discovery from the default entry points, offline: the fixture copy of each site, no --url.

robots.txt -> sitemap index -> sitemaps, and the feeds, find the articles; video, tag,
section and missing pages write nothing; an immediate re-run fetches no article page.
"""

from __future__ import annotations

from collections import Counter

import pytest

from clippings.replay import WarcStore
from clippings.sites import SITES as REGISTERED
from tests.helpers.crawl import read_output, run_clippings, summary_rows
from tests.helpers.fixturelib import FIXTURES, all_fixtures, article_fixtures

SITES = tuple(sorted(REGISTERED))
ARTICLES = article_fixtures()
# AMP fixtures are saved at ?outputType=amp only; the feeds name their canonical URL, which
# answers 404, and le360's article_fallbacks fetch the AMP rendering.
AMP = [f for f in ARTICLES if f.url != f.expected["url"]]
NOT_ARTICLES = [f for f in all_fixtures() if f.meta.get("kind") in ("video", "tag", "section", "listing", "notfound")]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("replay")
    warcs = tmp_path_factory.mktemp("warcs")
    runs = []
    for n in range(2):
        warc = warcs / f"run{n}.warc.gz"
        before = len(read_output(out))
        done = run_clippings("crawl", *SITES, "--replay", str(FIXTURES), "--output", str(out), "--record", str(warc))
        assert done.returncode == 0, done.stdout + done.stderr[-3000:]
        runs.append({"written": read_output(out)[before:], "fetched": list(WarcStore(warc).urls()), "done": done})
    return runs


def test_default_entry_points_find_every_article(two_runs):
    written = Counter(r["url"] for r in two_runs[0]["written"])
    assert set(written) == {f.expected["url"] for f in ARTICLES}
    assert max(written.values()) == 1
    fetched = two_runs[0]["fetched"]
    assert {f.url for f in AMP} <= set(fetched)


def test_no_item_for_video_tag_section_or_missing_pages(two_runs):
    written = {r["url"] for r in two_runs[0]["written"]}
    assert written <= {f.expected["url"] for f in ARTICLES}
    assert not written & {f.url for f in NOT_ARTICLES}


def test_discovery_starts_from_robots_feeds_and_sitemaps(two_runs):
    fetched = two_runs[0]["fetched"]
    assert "https://fr.le360.ma/robots.txt" in fetched
    assert "https://www.almaghribtoday.net/robots.txt" in fetched
    kinds = {f.url: f.meta.get("kind") for f in all_fixtures()}
    assert {kinds.get(u) for u in fetched} >= {"robots", "feed", "sitemap", "article"}
    # Tag and section listings are not followed outside backfills.
    assert not {u for u in fetched if kinds.get(u) in ("tag", "listing")}


def test_immediate_rerun_writes_nothing_and_fetches_no_article_page(two_runs):
    rerun = two_runs[1]
    assert rerun["written"] == []
    articles = {f.url for f in ARTICLES} | {f.expected["url"] for f in ARTICLES}
    kinds = {f.url: f.meta.get("kind") for f in all_fixtures()}
    assert not [u for u in rerun["fetched"] if u in articles or kinds.get(u) in ("video", "notfound")]
    assert {kinds.get(u) for u in rerun["fetched"]} <= {"robots", "feed", "sitemap"}


def test_each_site_writes_only_its_own_articles(two_runs):
    site_of = {f.expected["url"]: f.site for f in ARTICLES}
    assert [(r["site"], r["url"]) for r in two_runs[0]["written"] if site_of[r["url"]] != r["site"]] == []


# --- a backfill (--since) from the same fixtures ---------------------------------------------
LISTINGS = [f for f in all_fixtures() if f.meta.get("kind") == "listing"]


@pytest.mark.parametrize("since", ["2015-01-01", "2026-01-01"], ids=["every-article", "recent-only"])
def test_a_backfill_pages_through_the_listings_without_a_warning(tmp_path, since, two_runs):
    """Every section listing a site declares is a fixture, paged as a backfill pages it (the
    older entries on page 2, then a page with none): --since asks for nothing the fixtures
    lack, and says nothing at the command's default level."""
    declared = {url for site in REGISTERED.values() for url in site.listing_urls}
    assert declared <= {f.url for f in LISTINGS}
    assert any(f.url.endswith("?page=2") and f.meta["kind"] == "listing" for f in LISTINGS)
    routine = summary_rows(two_runs[0]["done"].stdout)
    out = tmp_path / "out"
    done = run_clippings("crawl", *SITES, "--replay", str(FIXTURES), "--output", str(out), "--since", since, "--new")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr == "", done.stderr[-3000:]  # no "no saved response", no 404
    written = {r["url"] for r in read_output(out)}
    in_range = {f.expected["url"] for f in ARTICLES if (f.expected["published_date"] or since) >= since}
    assert written == in_range
    from clippings.collection.runs import read_runs

    for run in read_runs(out):
        assert run["errors"] == {} and set(run["dropped"]) <= {"video"}, run
        if since == "2015-01-01":  # every listing page fetched once, and nothing else beyond a routine run
            listings = len([f for f in LISTINGS if f.site == run["site"]])
            assert run["pages"] == routine[run["site"]]["pages"] + listings, run["site"]
