"""Crawls past one machine, with real parts: Debian's ``redis-server`` (no persistence) on
127.0.0.1, ``clippings writer`` and ``clippings crawl --cluster`` nodes as subprocesses,
replaying a generated WARC. Exactly once through each crash point of issue 27: a node
SIGKILLed mid-run, the writer SIGKILLed after writing a line and before acknowledging it,
the writer SIGKILLed after reading and before writing, Redis restarted empty mid-run, the
same article sent twice; and the runs after them write nothing."""

from __future__ import annotations

import json
import signal

import pytest

from clippings.cluster import keys
from clippings.cluster.messages import encode
from clippings.collection.runs import read_runs
from tests.helpers.bulk import build_pages, write_warc
from tests.helpers.cluster import (
    finish,
    lines_per_article,
    node,
    running_redis,
    wait_for,
    writer,
    written_lines,
)
from tests.helpers.collection import article
from tests.helpers.crawl import read_output, run_clippings, summary_rows

PAGES = 240
BOTH = ("le360", "almaghribtoday")


@pytest.fixture
def redis_server(tmp_path):
    with running_redis(tmp_path / "redis") as server:
        yield server


@pytest.fixture(scope="module")
def warc(tmp_path_factory):
    path = tmp_path_factory.mktemp("cluster-warc") / "pages.warc.gz"
    write_warc(build_pages(PAGES), path, entry_points=True)
    return path


@pytest.fixture(scope="module")
def single(warc, tmp_path_factory):
    """The same WARC crawled by one process: the records the cluster must give."""
    out = tmp_path_factory.mktemp("cluster-single")
    done = run_clippings("crawl", *BOTH, "--replay", str(warc), "--output", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    return {(r["site"], str(r["article_id"])): r for r in read_output(out)}


def one_run(server, out, tmp_path, run, warc, nodes=1, sites=BOTH, **writer_env):
    """A writer (``--until-idle``) and ``nodes`` nodes of ``run``; the writer's output."""
    wlog = tmp_path / f"writer-{run}.log"
    w = writer(server, out, wlog, **writer_env)
    started = [node(server, run, tmp_path / f"{run}-{n}.log", *sites, "--replay", str(warc)) for n in range(nodes)]
    texts = [finish(p, tmp_path / f"{run}-{n}.log") for n, p in enumerate(started)]
    return finish(w, wlog), texts


def assert_once(out, single):
    counts = lines_per_article(out)
    assert [key for key, n in counts.items() if n > 1] == []
    assert set(counts) == set(single)
    for record in read_output(out):
        assert record == single[(record["site"], str(record["article_id"]))]


def test_two_nodes_write_each_article_once_as_one_process_does(redis_server, warc, single, tmp_path):
    out = tmp_path / "out"
    summary, nodes = one_run(redis_server, out, tmp_path, "r1", warc, nodes=2)
    assert_once(out, single)
    # Both nodes fetched pages of the run's shared frontier (only one of them seeded it).
    for text in nodes:
        assert sum(row["pages"] for row in summary_rows(text).values()) > 0, text[-2000:]
    rows = summary_rows(summary)
    assert sum(row["written"] for row in rows.values()) == len(single)
    history = [r for r in read_runs(out) if r["run_id"] == "r1"]
    assert sorted(r["site"] for r in history) == sorted(BOTH)
    assert sum(r["written"] for r in history) == len(single)
    assert all(r["pages"] > 0 and r["outcome"] == "finished" for r in history), history
    # The run's keys are gone; the stream is trimmed to what was acknowledged.
    client = redis_server.client()
    for site in BOTH:
        left = client.keys(f"{keys.PREFIX}:run:r1:{site}:*")
        assert sorted(k.rsplit(":", 1)[1] for k in left) in ([], ["nodes", "seeded"])  # the frontier is gone
        assert all(0 < client.ttl(k) <= 70 for k in left)  # the rest expiring
    assert client.xlen(keys.STREAM) <= 1
    assert client.hlen(keys.mirror("le360")) == sum(1 for site, _ in single if site == "le360")
    # A second and a third run write nothing: the nodes planned from the mirror.
    before = (out / ".state" / "runs.ndjson").read_bytes().count(b"\n")
    for run in ("r2", "r3"):
        summary, nodes = one_run(redis_server, out, tmp_path, run, warc)
        assert sum(row["written"] for row in summary_rows(summary).values()) == 0, summary
        assert sum(row["skipped"] for row in summary_rows(nodes[0]).values()) == len(single)
        assert_once(out, single)
    assert (out / ".state" / "runs.ndjson").read_bytes().count(b"\n") == before + 4


def test_a_node_killed_mid_run_loses_nothing_and_doubles_nothing(redis_server, warc, single, tmp_path):
    out = tmp_path / "out"
    wlog = tmp_path / "writer.log"
    w = writer(redis_server, out, wlog)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    a, b = (node(redis_server, "r1", log, *BOTH, "--replay", str(warc)) for log in logs)
    wait_for(lambda: written_lines(out) >= 30, what="30 lines written")
    a.send_signal(signal.SIGKILL)
    a.wait(timeout=30)
    finish(b, logs[1])
    finish(w, wlog)
    first = lines_per_article(out)
    assert max(first.values()) == 1
    # The next run fetches what the killed node held, and nothing already written.
    one_run(redis_server, out, tmp_path, "r2", warc)
    assert_once(out, single)
    history = {(r["run_id"], r["site"]): r for r in read_runs(out)}
    assert sum(history[("r2", site)]["written"] for site in BOTH) == len(single) - len(first)


def test_the_writer_killed_between_writing_and_acknowledging(redis_server, warc, single, tmp_path):
    out = tmp_path / "out"
    wlog = tmp_path / "writer-1.log"
    w = writer(redis_server, out, wlog, CLUSTER_WRITER_KILL_AT="written:25")
    n = node(redis_server, "r1", tmp_path / "node.log", *BOTH, "--replay", str(warc))
    assert w.wait(timeout=300) == -signal.SIGKILL
    finish(n, tmp_path / "node.log")  # the node never waits for the writer
    assert written_lines(out) == 25  # the 25th line is on disk, not recorded, not acknowledged
    pending = redis_server.client().xpending(keys.STREAM, keys.GROUP)["pending"]
    assert pending > 0
    # Restarted: the line is recorded from the file, its redelivery skipped, the rest written.
    summary = finish(writer(redis_server, out, tmp_path / "writer-2.log"), tmp_path / "writer-2.log")
    assert_once(out, single)
    assert "0 articles already in the collection" not in summary, summary


def test_the_writer_killed_between_reading_and_writing(redis_server, warc, single, tmp_path):
    out = tmp_path / "out"
    w = writer(redis_server, out, tmp_path / "writer-1.log", CLUSTER_WRITER_KILL_AT="read:1")
    n = node(redis_server, "r1", tmp_path / "node.log", *BOTH, "--replay", str(warc))
    assert w.wait(timeout=300) == -signal.SIGKILL
    finish(n, tmp_path / "node.log")
    assert written_lines(out) == 0
    assert redis_server.client().xpending(keys.STREAM, keys.GROUP)["pending"] > 0  # read, never acknowledged
    summary = finish(writer(redis_server, out, tmp_path / "writer-2.log"), tmp_path / "writer-2.log")
    assert_once(out, single)
    claimed = int(summary.rsplit(" messages claimed", 1)[0].rsplit(" ", 1)[1])
    assert claimed > 0, summary


def test_redis_restarted_empty_mid_run(redis_server, warc, single, tmp_path):
    out = tmp_path / "out"
    wlog = tmp_path / "writer.log"
    w = writer(redis_server, out, wlog)
    n = node(redis_server, "r1", tmp_path / "node.log", *BOTH, "--replay", str(warc))
    wait_for(lambda: written_lines(out) >= 30, what="30 lines written")
    redis_server.stop(signal.SIGKILL)  # no persistence: the stream, the frontier, the mirror are gone
    redis_server.start()
    finish(n, tmp_path / "node.log")  # it waited for Redis, found the run's frontier gone, and ended
    finish(w, wlog)
    assert max(lines_per_article(out).values()) == 1
    one_run(redis_server, out, tmp_path, "r2", warc)
    assert_once(out, single)


def test_the_same_article_sent_twice_in_two_runs_is_one_line(redis_server, tmp_path):
    out = tmp_path / "out"
    record = article("le360", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    amp = {**record, "url": record["url"] + "?outputType=amp"}  # the AMP page read: same article, same text
    client = redis_server.client()
    for run, sent in (("r1", record), ("r2", amp)):
        client.xadd(keys.STREAM, encode("start", run=run, site="le360", node="n1", started=None, idle=1))
        client.xadd(
            keys.STREAM,
            encode("article", run=run, node="n1", site="le360", day=sent["published_date"], record=sent,
                   listed="2025-09-09T17:40:00Z", etag='"v1"', last_modified=None),
        )  # fmt: skip
        client.xadd(keys.STREAM, encode("end", run=run, site="le360", node="n1", reason="finished", stats={}))
    finish(writer(redis_server, out, tmp_path / "writer.log"), tmp_path / "writer.log")
    assert read_output(out) == [record]
    history = {r["run_id"]: r["written"] for r in read_runs(out)}
    assert history == {"r1": 1, "r2": 0}
    mirrored = json.loads(client.hget(keys.mirror("le360"), record["article_id"]))
    assert (mirrored["etag"], mirrored["listed"]) == ('"v1"', "2025-09-09T17:40:00Z")
    # A writer of another collection on the same Redis: the nodes plan from that one only.
    other = tmp_path / "other"
    finish(writer(redis_server, other, tmp_path / "other.log", until_idle=0), tmp_path / "other.log")
    assert client.keys(f"{keys.PREFIX}:mirror:*") == []


def test_a_page_a_node_had_cut_is_marked_for_the_next_run_to_fetch_again(redis_server, tmp_path):
    # A node read a page the server cut (clippings.extract.truncation): the writer writes its
    # line and marks it, in SQLite and in the mirror the nodes plan from, as one process does.
    from clippings.state import StateStore
    from clippings.state.records import REFETCH

    out = tmp_path / "out"
    cut = article("le360", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    whole = article("le360", "ZYXWVUTSRQPONMLKJIHGFEDCBA")
    client = redis_server.client()
    client.xadd(keys.STREAM, encode("start", run="r1", site="le360", node="n1", started=None, idle=1))
    for sent, again in ((cut, True), (whole, False)):
        client.xadd(
            keys.STREAM,
            encode("article", run="r1", node="n1", site="le360", day=sent["published_date"], record=sent,
                   listed="2025-09-09T17:40:00Z", etag=None, last_modified=None, again=again),
        )  # fmt: skip
    client.xadd(keys.STREAM, encode("refetch", site="le360", article_id=whole["article_id"]))  # the unchanged path
    client.xadd(keys.STREAM, encode("end", run="r1", site="le360", node="n1", reason="finished", stats={}))
    finish(writer(redis_server, out, tmp_path / "writer.log"), tmp_path / "writer.log")
    assert sorted(r["article_id"] for r in read_output(out)) == sorted([cut["article_id"], whole["article_id"]])
    store = StateStore(out / ".state" / "state.sqlite")
    try:
        for sent in (cut, whole):
            assert store.get("le360", sent["article_id"]).listed == REFETCH
            mirrored = json.loads(client.hget(keys.mirror("le360"), sent["article_id"]))
            assert mirrored["listed"] == REFETCH
    finally:
        store.close()


def test_three_le360_nodes_and_one_almaghribtoday_node_through_a_node_and_the_writer_killed(
    redis_server, warc, single, tmp_path
):
    """Issue 27's closing case: one le360 node SIGKILLed and the writer SIGKILLed (from
    outside) and restarted mid-run, then a second run: every article once, as one process
    writes it; a third run writes nothing; ``clippings status`` shows the runs."""
    out = tmp_path / "out"
    w = writer(redis_server, out, tmp_path / "writer-1.log")
    logs = [tmp_path / f"r1-{n}.log" for n in range(4)]
    nodes = [node(redis_server, "r1", log, "le360", "--replay", str(warc)) for log in logs[:3]]
    nodes.append(node(redis_server, "r1", logs[3], "almaghribtoday", "--replay", str(warc)))
    wait_for(lambda: written_lines(out) >= 30, what="30 lines written")
    nodes[0].send_signal(signal.SIGKILL)
    w.send_signal(signal.SIGKILL)
    nodes[0].wait(timeout=30)
    w.wait(timeout=30)
    w = writer(redis_server, out, tmp_path / "writer-2.log")
    for process, log in zip(nodes[1:], logs[1:], strict=True):
        finish(process, log)
    finish(w, tmp_path / "writer-2.log")
    assert max(lines_per_article(out).values()) == 1
    one_run(redis_server, out, tmp_path, "r2", warc)
    assert_once(out, single)
    summary, _ = one_run(redis_server, out, tmp_path, "r3", warc)
    assert sum(row["written"] for row in summary_rows(summary).values()) == 0
    assert_once(out, single)
    status = run_clippings("status", str(out))
    assert status.returncode == 0, status.stdout + status.stderr
    assert {line.split()[0] for line in status.stdout.splitlines()[1:]} == set(BOTH)
    history = {(r["run_id"], r["site"]) for r in read_runs(out)}
    assert {(run, site) for run in ("r1", "r2", "r3") for site in BOTH} <= history


def test_max_articles_caps_the_whole_run_not_each_node(redis_server, warc, tmp_path):
    out = tmp_path / "out"
    w = writer(redis_server, out, tmp_path / "writer.log")
    logs = [tmp_path / f"node-{n}.log" for n in range(2)]
    nodes = [node(redis_server, "r1", log, "le360", "--replay", str(warc), "--max-articles", "20") for log in logs]
    for process, log in zip(nodes, logs, strict=True):
        finish(process, log)
    finish(w, tmp_path / "writer.log")
    # The run's planned count is shared: two nodes planning at once may each pass it by one.
    assert 20 <= written_lines(out) <= 21
    assert max(lines_per_article(out).values()) == 1
