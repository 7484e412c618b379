"""``Page`` and ``ReadingContext``: the two values every reader of a page is handed (the crawl,
its workers, ``reextract``, ``extract_page``, the fixture tools)."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest

from clippings.core.page import Page, ReadingContext
from clippings.extract import NotArticle, extract_article, read_article
from clippings.replay import SavedResponse
from clippings.sites import get_site
from tests.helpers.fixturelib import article_fixtures

URL = "https://fr.le360.ma/politique/x_6VUZYMXQWNCSXNQ7TRBFVQKIDI/"
WHEN = datetime(2025, 9, 9, 19, 5, tzinfo=UTC)


def test_a_page_holds_what_a_response_gives_a_reader():
    page = Page(URL, b"<html></html>", {"content-TYPE": "text/html; charset=utf-8"}, WHEN)
    assert (page.url, page.body, page.fetched_at) == (URL, b"<html></html>", WHEN)
    assert page.header("Content-Type") == "text/html; charset=utf-8"
    assert page.header("ETag") is None
    bare = Page(URL, b"")
    assert (bare.headers, bare.fetched_at) == ({}, None)
    assert Page(URL, b"", None).headers == {}


def test_a_page_keeps_its_own_headers_and_bytes():
    given = {"Content-Type": "text/html"}
    body = bytearray(b"<p>x</p>")
    page = Page(URL, body, given)
    given["Content-Type"] = "application/json"
    body[:] = b"changed!"
    assert page.header("content-type") == "text/html"
    assert page.body == b"<p>x</p>" and isinstance(page.body, bytes)


def test_a_page_body_given_as_text_is_refused_naming_the_url():
    with pytest.raises(TypeError, match=rf"^{URL}: a Page's body is bytes, not str$"):
        Page(URL, "<html></html>")  # type: ignore[arg-type]


def test_a_page_and_its_context_travel_to_a_worker_process_unchanged():
    page = Page(URL, b"<html>\xc3\xa9</html>", {"Content-Type": "text/html"}, WHEN)
    assert pickle.loads(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)) == page
    context = ReadingContext(get_site("le360"), (("tpl", "//article"),))
    assert pickle.loads(pickle.dumps(context)) == context


def test_a_context_holds_the_site_and_what_was_learned_of_it():
    site = get_site("le360")
    assert ReadingContext(site).learned == ()
    learned = (("body-class", "//div[@id='story']"),)
    context = ReadingContext(site, learned)
    assert (context.site, context.learned) == (site, learned)


def test_a_fixture_and_a_saved_response_give_their_page():
    fixture = article_fixtures()[0]
    page = fixture.page()
    assert (page.url, page.body, page.headers, page.fetched_at) == (
        fixture.url,
        fixture.body,
        fixture.headers,
        fixture.fetched_at,
    )
    pairs = [("content-type", "text/html"), ("etag", "a"), ("ETag", "b")]
    saved = SavedResponse(URL, 200, pairs, b"<html></html>", WHEN).page()
    # As the crawl's spider hands headers over: Scrapy's names, each with its first value.
    assert saved == Page(URL, b"<html></html>", {"Content-Type": "text/html", "Etag": "a"}, WHEN)


def test_the_page_and_the_context_are_what_the_article_is_read_from():
    fixture = next(f for f in article_fixtures() if f.site == "le360")
    context = ReadingContext(get_site("le360"))
    read = read_article(fixture.page(), context)
    assert (read.url, read.site) == (fixture.expected["url"], "le360")
    assert read.fetched_at == fixture.expected["fetched_at"]
    record = extract_article(fixture.page(), context).to_record()
    assert {name: record[name] for name in fixture.expected} == fixture.expected
    # The context's site decides, not the page: another site's URL rules refuse the URL.
    with pytest.raises(NotArticle) as refused:
        read_article(fixture.page(), ReadingContext(get_site("almaghribtoday")))
    assert refused.value.reason == "not_article"


def test_extract_article_keeps_its_positional_form():
    fixture = next(f for f in article_fixtures() if f.site == "almaghribtoday")
    page = fixture.page()
    site = get_site("almaghribtoday")
    given = extract_article(site, page.url, page.body, dict(page.headers), page.fetched_at)
    assert given.to_record() == extract_article(page, ReadingContext(site)).to_record()
    with pytest.raises(TypeError):
        extract_article(site, page.url)
    with pytest.raises(TypeError, match=page.url):
        extract_article(page, site)


def test_a_page_read_is_let_go_at_once_with_its_tree():
    """Reading a page leaves no reference cycle: its page object, its parts and the lxml tree
    they hold go when the reading is done, not when the garbage collector next runs."""
    import gc
    import weakref

    from clippings.extract import page as page_module
    from clippings.extract import sources

    made: list[weakref.ref] = []
    originals = {cls: cls.__init__ for cls in (page_module.ArticlePage, sources.PageParts)}

    def watched(cls):
        def init(self, *args, **kwargs):
            made.append(weakref.ref(self))
            originals[cls](self, *args, **kwargs)

        return init

    fixtures = [f for f in article_fixtures() if f.site in ("le360", "almaghribtoday")][:6]
    assert len(fixtures) == 6
    collecting = gc.isenabled()
    gc.disable()
    try:
        with pytest.MonkeyPatch.context() as patch:
            for cls in originals:
                patch.setattr(cls, "__init__", watched(cls))
            for fixture in fixtures:
                read_article(fixture.page(), ReadingContext(get_site(fixture.site)))
        assert len(made) == 2 * len(fixtures)
        assert [ref for ref in made if ref() is not None] == []
    finally:
        if collecting:
            gc.enable()
