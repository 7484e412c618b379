"""The node's last pipeline, at the writer's place: each finished article to the stream."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from clippings.cluster.messages import encode, moment
from clippings.core.finish import output_day
from clippings.core.items import Article
from clippings.core.stats import count
from clippings.crawl.cluster.node import node_of
from clippings.crawl.resources import resources


class StreamPipeline:
    """The line exactly as ``JsonLinesPipeline`` would write it, the day file it goes to, and
    what the incremental state records with it (listing date, ETag, Last-Modified): the
    writer writes and records it. Counted ``cluster/sent``; ``written`` is the writer's."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.node = node_of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StreamPipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        record: dict[str, Any] = item.to_record()
        # The crawl's incremental state, opened by the spider's first plan (the state module
        # reaches this package for the mirror: importing it back would make a cycle).
        held = resources(self.crawler)
        state = held.incremental if held.incremental_opened else None
        fetched = state.pending.pop((item.site, str(item.article_id)), None) if state is not None else None
        node = self.node
        node.send(
            encode(
                "article",
                run=node.run,
                node=node.name,
                site=item.site,
                day=output_day(item),
                record=record,
                listed=moment(fetched.listed) if fetched else None,
                etag=fetched.etag if fetched else None,
                last_modified=fetched.last_modified if fetched else None,
                again=bool(fetched and fetched.again),
            )
        )
        count(self.crawler.stats, "cluster/sent", item.site)
        return item
