"""The duplicates pipeline: one line per article and content within a crawl."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from clippings.core.items import Article
from clippings.core.normalize import derive
from clippings.crawl.pipelines import DuplicatesPipeline


def _article(article_id: str, body: str, url: str = "https://fr.le360.ma/x/y_ABC/") -> Article:
    article = Article(url=url, site="le360", article_id=article_id, title="t", body=body)
    derive(article)
    return article


def test_the_same_article_and_text_twice_is_written_once():
    crawler = get_crawler()
    pipeline = DuplicatesPipeline(crawler)
    pipeline.process_item(_article("A1", "Un texte."))
    with pytest.raises(DropItem, match="duplicate"):
        # The AMP rendering of the same story, reached through another feed.
        pipeline.process_item(_article("A1", "Un texte.", url="https://fr.le360.ma/x/y_ABC/?outputType=amp"))
    assert crawler.stats.get_value("clippings/le360/dropped/duplicate") == 1


def test_another_text_or_another_article_is_kept():
    pipeline = DuplicatesPipeline(get_crawler())
    pipeline.process_item(_article("A1", "Un texte."))
    pipeline.process_item(_article("A1", "Un texte mis à jour."))  # the story changed
    pipeline.process_item(_article("A2", "Un texte."))  # another story, same words
    almaghribtoday = _article("A1", "Un texte.")
    almaghribtoday.site = "almaghribtoday"
    pipeline.process_item(almaghribtoday)
    assert len(pipeline.seen) == 4
