"""The cluster's pure parts: its messages, the password kept out of what is shown, and a run's
counts summed from its nodes with the writer's own put in place of theirs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.utils.python import global_object_name

from clippings.cluster.connect import shown
from clippings.cluster.messages import decode, encode
from clippings.cluster.runs import Run


def test_a_message_goes_through_the_stream_as_it_was_sent():
    record = {"site": "almaghribtoday", "article_id": "123", "title": "المغرب اليوم"}
    entry = encode("article", run="r1", record=record, listed=None)
    assert "المغرب" in entry["m"]  # readable, never \u-escaped
    assert decode(entry) == {"kind": "article", "run": "r1", "record": record, "listed": None}


def test_an_entry_that_is_no_message_is_refused():
    with pytest.raises(ValueError, match="not a clippings message"):
        decode({"m": '{"kind": "other"}'})
    with pytest.raises(ValueError, match="unknown message kind"):
        encode("other")


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("redis://:secret@10.0.0.5:6379/0", "redis://:***@10.0.0.5:6379/0"),
        ("redis://clippings:secret@h:6379/1", "redis://clippings:***@h:6379/1"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ],
)
def test_the_password_is_never_shown(url, said):
    assert shown(url) == said


def test_a_runs_counts_are_the_nodes_summed_and_the_writers_own():
    run = Run("r1", "le360", datetime(2026, 1, 1, tzinfo=UTC))
    for node in (
        {"response_received_count": 10, "clippings/le360/written": 0, "clippings/le360/cluster/sent": 7,
         "clippings/le360/missing/lead": 7, "clippings/le360/examples/dropped/video": ["a"], "finish_reason": "x"},
        {"response_received_count": 5, "clippings/le360/cluster/sent": 4, "clippings/le360/examples/dropped/video": ["a", "b"]},
    ):  # fmt: skip
        run.merge(node)
    run.written.inc_value("clippings/le360/written", 9)
    assert run.stats() == {
        "response_received_count": 15,
        "clippings/le360/cluster/sent": 11,
        "clippings/le360/examples/dropped/video": ["a", "b"],
        "clippings/le360/written": 9,
    }


def _by_path(components) -> dict[str, int | None]:
    return {key if isinstance(key, str) else global_object_name(key): order for key, order in components.items()}


@pytest.mark.parametrize("by_class", [False, True])
def test_a_node_streams_at_the_writers_place_and_writes_no_history(by_class):
    from scrapy.settings import Settings

    import clippings.settings as project
    from clippings.crawl.addon import Clippings
    from clippings.crawl.pipelines import JsonLinesPipeline

    given = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    writer = "clippings.crawl.pipelines.JsonLinesPipeline"
    if by_class:  # a project naming the writer by its class: still the one replaced
        given["ITEM_PIPELINES"] = {
            (JsonLinesPipeline if key == writer else key): order for key, order in given["ITEM_PIPELINES"].items()
        }
    settings = Settings(given)
    settings.set("CLIPPINGS_CLUSTER", "redis://127.0.0.1:9/0", priority="cmdline")
    Clippings().update_settings(settings)
    pipelines = _by_path(settings.getdict("ITEM_PIPELINES"))
    assert writer not in pipelines and pipelines["clippings.crawl.cluster.pipeline.StreamPipeline"] == 900
    assert len(pipelines) == len(given["ITEM_PIPELINES"])  # one in place of the other
    extensions = _by_path(settings.getwithbase("EXTENSIONS"))
    assert extensions["clippings.crawl.cluster.node.ClusterNode"] == 100
    off = {"clippings.crawl.extensions.history.RunHistory", "clippings.crawl.extensions.health.ExtractionHealth"}
    assert {name for name in extensions if name.rsplit(".", 1)[1] in {"RunHistory", "ExtractionHealth"}} == off
    assert all(extensions[name] is None for name in off)
