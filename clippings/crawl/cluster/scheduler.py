"""scrapy-redis's scheduler, on the cluster's connection, and patient with Redis: while Redis
cannot be reached the node schedules nothing new (a request it cannot push is lost for this
run, and fetched by the next one: it was never written) and waits, instead of its engine
failing in the middle of a crawl."""

from __future__ import annotations

import logging
from typing import Any

from redis import RedisError
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from clippings.core.arguments import parse_workers
from clippings.core.config import WithDefaults
from clippings.core.stats import count
from clippings.crawl.cluster.node import node_of

logger = logging.getLogger("clippings.cluster")


class RunScheduler(Scheduler):
    """The run's shared frontier (``clippings:run:<RUN_ID>:<site>:requests``) and dupefilter;
    never flushed by a node (``SCHEDULER_PERSIST``): the run's end deletes them."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunScheduler:
        settings = crawler.settings
        scheduler = cls(
            server=node_of(crawler).raw,
            persist=True,
            queue_key=settings.get("SCHEDULER_QUEUE_KEY"),
            dupefilter_key=settings.get("SCHEDULER_DUPEFILTER_KEY"),
            dupefilter_cls=settings.get("DUPEFILTER_CLASS"),
        )
        scheduler.stats = crawler.stats
        scheduler.unreachable = False
        scheduler.crawler = crawler
        # Responses a node holds waiting to be read, at most: a replay answers at once, and a
        # node taking all it could download would leave its readers' work to no other node.
        scheduler.intake = 2 * parse_workers(WithDefaults(settings).get("CLIPPINGS_WORKERS")) + 2
        return scheduler

    def _holding(self) -> int:
        """Responses downloaded and not yet read (Scrapy's scraper slot); downloads in flight
        are bounded by the downloader's own concurrency."""
        slot = getattr(getattr(self.crawler.engine, "scraper", None), "slot", None)
        return len(getattr(slot, "queue", ())) + len(getattr(slot, "active", ())) if slot is not None else 0

    def open(self, spider: Any) -> None:
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key % {"spider": spider.name}, serializer=self.serializer
        )
        self.df = load_object(self.dupefilter_cls).from_spider(spider)

    def _failed(self, exc: RedisError) -> None:
        if not self.unreachable:
            logger.warning("%s: Redis out of reach (%s): waiting for it", self.spider.name, exc)
        self.unreachable = True

    def enqueue_request(self, request: Any) -> bool:
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except RedisError as exc:
            self._failed(exc)
            count(self.stats, "cluster/requests_lost", self.spider.name)
            return False
        self.unreachable = False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Any:
        if self._holding() >= self.intake:
            return None  # enough in hand: the rest of the frontier is for the other nodes
        try:
            request = self.queue.pop(0)
        except RedisError as exc:
            self._failed(exc)
            return None
        self.unreachable = False
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        try:
            return len(self.queue) > 0
        except RedisError as exc:
            self._failed(exc)
            return False
