"""``clippings.extract_page``: for every fixture, the line a replay crawl writes for the same
page, the site found from the URL; a page that is none raises ``NotArticle`` with the reason
the fixture's meta.json gives; text and bytes read alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import clippings
from clippings import NotArticle, extract_page
from clippings.sites import get_site
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import ROOT, all_fixtures

FIXTURES = all_fixtures()
ARTICLES = [f for f in FIXTURES if f.meta.get("kind") == "article"]
DROPPED = [f for f in FIXTURES if f.meta.get("drop_reason")]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Every article fixture's page, crawled from the fixtures by URL: its written line."""
    out = tmp_path_factory.mktemp("crawl") / "out"
    urls = [arg for f in ARTICLES for arg in ("--url", f.url)]
    done = run_clippings("crawl", "all", "--replay", str(ROOT / "fixtures"), "--output", str(out), *urls)
    assert done.returncode == 0, done.stderr[-3000:]
    return {(r["site"], r["article_id"]): r for r in read_output(out)}


def test_every_article_fixture_gives_the_crawls_line(crawled):
    assert len(ARTICLES) >= 70
    seen = set()
    for fixture in ARTICLES:
        record = extract_page(fixture.body, fixture.url, fetched_at=fixture.fetched_at, headers=fixture.headers)
        key = (record["site"], record["article_id"])
        assert record["site"] == fixture.site, fixture.name
        assert key in crawled, f"{fixture.name}: the crawl wrote no line for {key}"
        assert record == crawled[key], fixture.name
        assert list(record) == list(crawled[key])  # the fields in the contract's order
        seen.add(key)
    assert seen == set(crawled)  # and the crawl wrote nothing else


@pytest.mark.parametrize("fixture", DROPPED, ids=[f.name for f in DROPPED])
def test_a_page_that_is_no_article_raises_its_reason(fixture):
    with pytest.raises(NotArticle) as raised:
        extract_page(fixture.body, fixture.url, fetched_at=fixture.meta["fetched_at"], headers=fixture.headers)
    if get_site(fixture.site).is_article_url(fixture.url):
        assert raised.value.reason == fixture.meta["drop_reason"]
    else:  # a section page at a URL of no article: never read as one
        assert raised.value.reason in (fixture.meta["drop_reason"], "not_article")


def test_text_or_bytes_and_a_string_fetch_time_read_alike():
    fixture = next(f for f in ARTICLES if f.site == "le360_ar")
    from_bytes = extract_page(fixture.body, fixture.url, fetched_at=fixture.fetched_at, headers=fixture.headers)
    text = fixture.body.decode("utf-8")
    from_text = extract_page(text, fixture.url, fetched_at=fixture.meta["fetched_at"])
    assert from_text == from_bytes
    assert from_text["fetched_at"] == fixture.meta["fetched_at"]
    assert clippings.extract_page is extract_page


def test_a_url_of_no_site_and_a_naive_fetch_time_are_named():
    fixture = ARTICLES[0]
    with pytest.raises(NotArticle) as raised:
        extract_page(fixture.body, "https://example.org/a/1")
    assert raised.value.reason == "not_site" and "https://example.org/a/1" in str(raised.value)
    with pytest.raises(ValueError, match="has no offset"):
        extract_page(fixture.body, fixture.url, fetched_at=datetime(2025, 1, 1))
    record = extract_page(fixture.body, fixture.url)  # fetched now
    assert record["fetched_at"][:10] == datetime.now(UTC).strftime("%Y-%m-%d")
