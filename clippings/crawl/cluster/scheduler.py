"""scrapy-redis's scheduler, on the cluster's checked connection."""

from __future__ import annotations

from typing import Any

from scrapy_redis.scheduler import Scheduler

from clippings.crawl.cluster.node import node_of


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
        return scheduler

    def enqueue_request(self, request: Any) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Any:
        request = self.queue.pop(0)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
