"""The settings that make a crawl a node of a cluster run (from the add-on)."""

from __future__ import annotations

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.utils.misc import load_object

from clippings.cluster import keys

# Components by import path, as settings.py names them (loaded when the add-on runs, as
# Scrapy would load them a moment later).
WRITER = "clippings.crawl.pipelines.JsonLinesPipeline"
STREAM = "clippings.crawl.cluster.pipeline.StreamPipeline"
NODE = "clippings.crawl.cluster.node.ClusterNode"
# A node writes neither history nor health: the writer does, from the lines it wrote.
OFF_EXTENSIONS = ("clippings.crawl.extensions.RunHistory", "clippings.crawl.extensions.ExtractionHealth")


def node_settings(settings: BaseSettings) -> None:
    run = settings.get("CLIPPINGS_CLUSTER_RUN") or ""
    top = SETTINGS_PRIORITIES["addon"]

    def put(name: str, value: object) -> None:
        settings.set(name, value, priority=max(settings.getpriority(name) or 0, top))

    put("SCHEDULER", "clippings.crawl.cluster.scheduler.RunScheduler")
    put("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter")
    put("SCHEDULER_PERSIST", True)  # the first node idle must not flush the others' frontier
    put("SCHEDULER_QUEUE_KEY", keys.run(run, "%(spider)s", "requests"))
    put("SCHEDULER_DUPEFILTER_KEY", keys.run(run, "%(spider)s", "dupefilter"))
    put("REDIS_URL", settings.get("CLIPPINGS_CLUSTER"))
    put("JOBDIR", None)
    # The stream pipeline at the writer's place (by class or path; there even if the writer was
    # left off), the node's extension on and the history and health extensions off.
    stream = load_object(STREAM)
    try:
        settings.replace_in_component_priority_dict("ITEM_PIPELINES", load_object(WRITER), stream, 900)
    except KeyError:
        settings.set_in_component_priority_dict("ITEM_PIPELINES", stream, 900)
    for extension in OFF_EXTENSIONS:
        settings.set_in_component_priority_dict("EXTENSIONS", load_object(extension), None)
    settings.set_in_component_priority_dict("EXTENSIONS", load_object(NODE), 100)
