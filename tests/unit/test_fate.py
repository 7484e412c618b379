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


def test_an_article_in_doubt_is_counted_named_and_said_in_a_warning():
    from clippings.extract.truncation import doubt

    url = le360_url("souss-1")
    whole = redesigned(1)
    raw = whole[: whole.rindex(b"</p>")]  # cut inside the article's last paragraph
    article = read_article(Page(url, raw), ReadingContext(LE360))
    said = doubt(raw, "text/html; charset=utf-8", article)
    assert said is not None and said.kind == "truncated"
    fate = decide(url, article, said)
    assert fate.kind == "article" and fate.doubt is said
    assert fate.counts[-1] == "errors/truncated"
    assert fate.named("errors/truncated") and not fate.named("pages/article")
    level, message = fate.logs[-1]
    assert level == logging.WARNING and message.startswith(f"{url}: cut by the server: ")
    # The same page whole: no doubt, and nothing of it is named.
    whole_article = read_article(Page(url, whole), ReadingContext(LE360))
    assert doubt(whole, "text/html; charset=utf-8", whole_article) is None
    assert not decide(url, whole_article).named("pages/article")
