"""The node's connection (``node_of``) and its extension (``ClusterNode``).

- **Seeding.** The first node of a run and site (``SET ... NX`` on the run's ``seeded`` key)
  sends the entry points; the others take their requests from the shared frontier.
- **Heartbeat.** Every second a node busy (a request in flight, an item in the pipelines,
  requests in the frontier) writes the moment into the run's ``nodes`` hash.
- **Idle close.** A node ends when the run's frontier is empty and no node has been busy
  for ``CLIPPINGS_CLUSTER_IDLE`` seconds (a node seeding the run is busy until its entry
  points are in the frontier). It then deletes the run's frontier and dupefilter; the seeded
  mark and the heartbeats expire a minute later (a node of the run starting late does not
  seed it again, and the writer tells a node that ended from one killed by its heartbeat).
- **Lease.** A live crawl (no replay) holds the site's lease: one node fetches from a
  site's origin at a time, so the cluster is as polite as one crawl. A node that finds the
  lease taken pauses its engine until it can take it (or the run ends).
- **Messages.** ``start`` when it opens, ``end`` with its counts when it closes.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import weakref
from datetime import UTC, datetime
from typing import Any

from redis import RedisError
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from clippings.cluster import keys
from clippings.cluster.connect import connect
from clippings.cluster.messages import encode
from clippings.core.config import WithDefaults
from clippings.core.drift import drift_limits
from clippings.core.health import health_limits

logger = logging.getLogger("clippings.cluster")

LEASE_SECONDS = 10.0
BEAT = 1.0
FEED = 0.05  # seconds between two looks at whether the node can take more of the frontier
_NODES: weakref.WeakKeyDictionary[Crawler, Node] = weakref.WeakKeyDictionary()


class Node:
    """One crawl's place in the cluster: its connections, run, site and name."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.url = settings.get("CLIPPINGS_CLUSTER")
        self.run = settings.get("CLIPPINGS_CLUSTER_RUN")
        self.site = crawler.spidercls.name
        self.idle = WithDefaults(settings).getfloat("CLIPPINGS_CLUSTER_IDLE")
        self.name = f"{socket.gethostname()}-{os.getpid()}-{self.site}"
        self.client = connect(self.url)  # text replies
        import redis

        self.raw = redis.Redis.from_url(self.url, socket_timeout=30)  # scrapy-redis's pickled requests
        self.live = not settings.get("CLIPPINGS_REPLAY")

    def key(self, part: str) -> str:
        return keys.run(self.run, self.site, part)

    def send(self, entry: dict[str, str]) -> None:
        self.client.xadd(keys.STREAM, entry)


def node_of(crawler: Crawler) -> Node:
    found = _NODES.get(crawler)
    if found is None:
        found = _NODES[crawler] = Node(crawler)
    return found


def seeds(crawler: Crawler) -> bool:
    """Whether this node sends the run's entry points (the first node of the run and site)."""
    node = node_of(crawler)
    return bool(node.client.set(node.key("seeded"), node.name, nx=True))


def mirror_store(crawler: Crawler) -> Any:
    from clippings.cluster.mirror import MirrorStore

    node = node_of(crawler)
    return MirrorStore(node.client, node.site, node.send, node.url, node.run)


class ClusterNode:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.node = node_of(crawler)
        self.beat = task.LoopingCall(self.heartbeat)
        self.feeder = task.LoopingCall(self.feed)
        self.holds_lease = False
        self.paused = False
        self.started = datetime.now(UTC)
        self.leased = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterNode:
        if not crawler.settings.get("CLIPPINGS_CLUSTER"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        node, settings = self.node, self.crawler.settings
        limits, min_pages = health_limits(settings)
        node.client.hset(node.key("nodes"), node.name, time.time())
        node.client.persist(node.key("nodes"))
        node.send(
            encode(
                "start",
                run=node.run,
                site=node.site,
                node=node.name,
                started=self.started.isoformat(),
                idle=node.idle,
                health={"limits": limits, "min_pages": min_pages, "drift": list(drift_limits(settings))},
            )
        )
        if getattr(spider, "max_articles", None):  # --max-articles: N for the whole run
            from clippings.crawl.cluster.budget import SharedBudget

            spider.policy = SharedBudget(spider.policy, node.client, node.key("budget"))
        # A backfill (since) of one site may be shared, as a replay may: it does not take the lease.
        self.leased = node.live and not getattr(spider, "since", None)
        if self.leased and not self.take_lease():
            logger.info("%s: another node crawls %s now; waiting for its lease", node.name, node.site)
            self.crawler.engine.pause()
            self.paused = True
        self.beat.start(BEAT, now=False)
        self.feeder.start(FEED, now=False)

    def take_lease(self) -> bool:
        node = self.node
        ms = int(LEASE_SECONDS * 1000)
        if node.client.set(keys.lease(node.site), node.name, nx=True, px=ms):
            self.holds_lease = True
        elif node.client.get(keys.lease(node.site)) == node.name:
            node.client.pexpire(keys.lease(node.site), ms)
            self.holds_lease = True
        return self.holds_lease

    def busy(self) -> bool:
        engine = self.crawler.engine
        if engine is None or engine.spider is None or self.paused:
            return False
        try:
            return not engine.spider_is_idle()
        except RuntimeError:
            return False

    def heartbeat(self) -> None:
        node = self.node
        try:
            if self.leased and self.take_lease() and self.paused:
                self.paused = False
                self.crawler.engine.unpause()
            if self.busy():
                node.client.hset(node.key("nodes"), node.name, time.time())

        except Exception as exc:  # Redis gone for a moment: the next beat tries again
            logger.warning("%s: heartbeat failed: %s", node.name, exc)

    def feed(self) -> None:
        """Ask the engine for the frontier's next requests as soon as this node holds fewer
        responses than it reads at once: Scrapy asks by itself only when something of its
        own happens (a request scheduled, a download done) or every five seconds, and the
        scheduler refuses more while the node holds enough (``RunScheduler.intake``)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        scheduler = getattr(slot, "scheduler", None)
        if self.paused or scheduler is None or not hasattr(scheduler, "intake"):
            return
        if scheduler._holding() < scheduler.intake:
            slot.nextcall.schedule()

    def run_idle(self) -> bool:
        """The run's frontier empty, and no node busy for CLIPPINGS_CLUSTER_IDLE seconds."""
        node = self.node
        if node.client.zcard(node.key("requests")):
            return False
        beats = node.client.hvals(node.key("nodes"))
        last = max((float(b) for b in beats), default=0.0)
        return time.time() - last >= node.idle

    def spider_idle(self, spider: Spider) -> None:
        try:
            idle = not self.paused and self.run_idle()
        except RedisError:  # out of reach: wait for it (the heartbeat says so)
            idle = False
        if not idle:
            raise DontCloseSpider

    def spider_closed(self, spider: Spider, reason: str) -> None:
        node = self.node
        for loop in (self.beat, self.feeder):
            if loop.running:
                loop.stop()
        try:
            stats = self.crawler.stats.get_stats()
            numbers = {k: v for k, v in stats.items() if isinstance(v, int | float | list) and not isinstance(v, bool)}
            node.send(encode("end", run=node.run, site=node.site, node=node.name, reason=reason, stats=numbers))
            if reason == "finished":
                # The run is over for every node: its frontier goes; the heartbeats stay
                # long enough for the writer to hear the other nodes' ends.
                node.client.delete(node.key("requests"), node.key("dupefilter"), node.key("budget"))
                for part in ("seeded", "nodes"):
                    node.client.expire(node.key(part), int(3 * node.idle + 60))
            if self.holds_lease and node.client.get(keys.lease(node.site)) == node.name:
                node.client.delete(keys.lease(node.site))
        except Exception as exc:
            logger.error("%s: could not tell the writer the run ended: %s", node.name, exc)
