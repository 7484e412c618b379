"""A read page's fate, decided once (``clippings.core.fate.decide``) for the crawl's spider and
``clippings reextract``: the article with its counts, or the drop with its reason, or an error."""

from __future__ import annotations

import logging

from clippings.core.fate import decide
from clippings.core.items import NotArticle
from clippings.core.page import Page, ReadingContext
from clippings.extract import read_article
from clippings.sites import get_site
from tests.helpers.pages import le360_url, redesigned

LE360 = get_site("le360")


def test_an_article_is_counted_with_where_its_fields_came_from():
    url = le360_url("souss-1")
    article = read_article(Page(url, redesigned(1)), ReadingContext(LE360))
    fate = decide(url, article)
    assert fate.kind == "article" and fate.article is article
    assert fate.counts[0] == "pages/article"
    assert "source/body/page" in fate.counts and "pages/unknown_template" in fate.counts
    assert fate.remember is None and fate.reason is None


def test_a_page_that_is_no_article_is_dropped_and_remembered():
    url = le360_url("clip-1")
    fate = decide(url, NotArticle("video", "og:type video.other"))
    assert (fate.kind, fate.reason, fate.counts, fate.remember) == (
        "dropped",
        "video",
        ["dropped/video", "refused/video"],
        "video",
    )
    assert fate.logs == [(logging.INFO, f"{url}: no article (video: og:type video.other)")]


def test_unreadable_bytes_are_dropped_with_a_warning_and_tried_again_next_run():
    url = le360_url("cut-1")
    fate = decide(url, NotArticle("not_html", "binary"))
    assert (fate.kind, fate.counts, fate.remember) == ("dropped", ["dropped/not_html"], None)
    assert fate.logs[0][0] == logging.WARNING


def test_a_failure_is_an_error_named_with_its_page():
    url = le360_url("boom-1")
    fate = decide(url, ValueError("bad tree"))
    assert (fate.kind, fate.article, fate.counts, fate.remember) == ("error", None, ["errors/extraction"], None)
    assert fate.logs == [(logging.ERROR, f"{url}: extraction failed: ValueError: bad tree")]


def test_both_engines_decide_through_it():
    import clippings.crawl.spider as spider
    import clippings.reextract.task as task

    assert spider.decide is decide and task.decide is decide
