"""``clippings writer``: the collection's only writer, fed by the nodes' stream.

At start it takes the collection's lock of every site, reconciles the state with the files
(lines written by a writer killed before it recorded them are recorded now), makes the
mirror again from SQLite, and claims (``XAUTOCLAIM``) what an earlier writer read and never
acknowledged. Then, message by message: an article the state already holds as it is
(redelivered, or sent twice) is not written again; any other is written through the
JSON-lines writer and recorded in SQLite exactly as the crawl's pipelines do, then mirrored.
Only then is the message acknowledged, and the stream trimmed below what is acknowledged.
A writer killed at any point therefore leaves nothing written twice and nothing lost.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from pathlib import Path
from typing import Any

from clippings.cluster import keys, mirror
from clippings.cluster.messages import decode, moment_back
from clippings.cluster.runs import RunBook
from clippings.collection import lock
from clippings.collection.output import JsonLinesWriter
from clippings.sites import SITES
from clippings.state import StateStore, is_unchanged

logger = logging.getLogger("clippings.cluster")

BATCH = 200
CLAIM_EVERY = 30.0  # seconds between two claims of stale pending messages
CLAIM_IDLE_MS = 60_000  # a message read this long ago and not acknowledged is claimed


class Busy(Exception):
    """Another process holds the collection's lock."""


class Writer:
    def __init__(self, client: Any, output: Path) -> None:
        self.client = client
        self.output = Path(output)
        self.consumer = f"{socket.gethostname()}-{os.getpid()}"
        self.locks = [lock.WriterLock(self.output, site) for site in SITES]
        self.store: StateStore | None = None
        self.lines = JsonLinesWriter(self.output)
        self.runs = RunBook(self.output, client, self.save_sources)
        self.totals = {"written": 0, "known": 0, "messages": 0, "claimed": 0}
        self.last_message = time.monotonic()
        self.last_claim = 0.0
        self.stopping = False
        self._kill_at = _kill_point()

    # --- start and stop ---------------------------------------------------------------------
    def start(self) -> None:
        busy = lock.acquire_all(self.locks, 0.0)
        if busy:
            self.release()
            raise Busy(str(busy[0]))
        self.store = StateStore(self.output / ".state" / "state.sqlite")
        for folder in sorted(p for p in self.output.iterdir() if p.is_dir() and not p.name.startswith(".")):
            self.store.reconcile(self.output, folder.name)
        self.prepare_stream()
        self.runs.load()
        self.claim(idle_ms=0)  # one writer at a time (the lock): what others read is ours

    def prepare_stream(self) -> None:
        """The stream's consumer group (made once), and the mirror made again from SQLite."""
        try:
            self.client.xgroup_create(keys.STREAM, keys.GROUP, id="0", mkstream=True)
        except Exception as exc:  # redis.ResponseError BUSYGROUP: made by an earlier writer
            if "BUSYGROUP" not in str(exc):
                raise
        copied = mirror.rebuild(self.client, self.store)
        logger.info("writer: mirror rebuilt from the state (%d articles)", copied)

    def release(self) -> None:
        self.lines.close()
        if self.store is not None:
            self.store.close()
        for held in self.locks:
            held.release()

    # --- the loop ---------------------------------------------------------------------------
    def run(self, until_idle: float | None = None) -> None:
        """Until stopped (``stopping``), or ``until_idle`` seconds without a message and
        with no open run. Redis out of reach is waited for; a Redis that came back empty
        (restarted without persistence) gets its group and mirror made again: what it lost
        was never acknowledged, so never written, and the next run fetches it."""
        import redis

        while not self.stopping:
            try:
                self.step()
            except redis.ConnectionError as exc:
                logger.warning("writer: Redis out of reach (%s); trying again", exc)
                time.sleep(1.0)
                continue
            except redis.ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                logger.warning("writer: the stream's group is gone (Redis restarted empty): making it again")
                self.prepare_stream()
            if until_idle is not None and not self.runs.open and time.monotonic() - self.last_message >= until_idle:
                break

    def step(self) -> None:
        if time.monotonic() - self.last_claim >= CLAIM_EVERY:
            self.claim()
        answer = self.client.xreadgroup(keys.GROUP, self.consumer, {keys.STREAM: ">"}, count=BATCH, block=1000)
        entries = answer[0][1] if answer else []
        if entries:
            self.handle(entries)
        self.runs.close_finished()

    def claim(self, idle_ms: int = CLAIM_IDLE_MS) -> None:
        """Messages read and never acknowledged (a writer killed), taken over and handled."""
        self.last_claim = time.monotonic()
        start = "0-0"
        while True:
            start, entries, *_ = self.client.xautoclaim(
                keys.STREAM, keys.GROUP, self.consumer, idle_ms, start, count=BATCH
            )
            entries = [(ident, fields) for ident, fields in entries if fields]
            if entries:
                self.totals["claimed"] += len(entries)
                logger.info("writer: claimed %d messages read by a writer that stopped", len(entries))
                self.handle(entries)
            if start == "0-0":
                break
        for consumer in self.client.xinfo_consumers(keys.STREAM, keys.GROUP):
            if consumer["name"] != self.consumer and not consumer["pending"]:
                self.client.xgroup_delconsumer(keys.STREAM, keys.GROUP, consumer["name"])

    def handle(self, entries: list[tuple[str, dict[str, str]]]) -> None:
        self.last_message = time.monotonic()
        self._maybe_die("read", len(entries))
        pipe = self.client.pipeline(transaction=False)
        for _ident, fields in entries:
            self.totals["messages"] += 1
            try:
                message = decode(fields)
            except (KeyError, ValueError) as exc:
                logger.error("writer: message %s skipped: %s", _ident, exc)
                continue
            if message.get("run") and message.get("node") and message.get("site"):
                self.runs.heard(message["run"], message["site"], message["node"])
            getattr(self, f"on_{message['kind']}")(message, pipe)
        self.lines.sync()  # on disk before the acknowledgement
        pipe.set(keys.WRITER_RUNS, self.runs.dumps())
        pipe.execute()
        ids = [ident for ident, _fields in entries]
        self.client.xack(keys.STREAM, keys.GROUP, *ids)
        self.trim()

    def trim(self) -> None:
        """Drop the stream's entries below the oldest one not yet acknowledged."""
        pending = self.client.xpending(keys.STREAM, keys.GROUP)
        if pending["pending"]:
            floor = pending["min"]
        else:
            groups = self.client.xinfo_groups(keys.STREAM)
            floor = next((g["last-delivered-id"] for g in groups if g["name"] == keys.GROUP), None)
        if floor:
            self.client.xtrim(keys.STREAM, minid=floor, approximate=False)

    # --- messages ---------------------------------------------------------------------------
    def on_article(self, message: dict[str, Any], pipe: Any) -> None:
        record, store = message["record"], self.store
        site, article_id = record["site"], str(record["article_id"])
        seen = store.get(site, article_id)
        listed, etag, modified = moment_back(message.get("listed")), message.get("etag"), message.get("last_modified")
        if is_unchanged(seen, record):  # redelivered, or the same article sent twice
            self.totals["known"] += 1
            store.touch(site, article_id, listed=listed, etag=etag, last_modified=modified)
        else:
            path = self.lines.write(site, message["day"], record)
            self._maybe_die("written", 1)
            store.record_written(
                record, path, self.lines.last_line_end, listed=listed, etag=etag, last_modified=modified
            )
            self.totals["written"] += 1
            self.runs.wrote(message.get("run"), site, record, updated=seen is not None)
        if message.get("again"):  # its page came cut: the next run fetches it again, whole
            store.refetch(site, article_id)
        mirror.put(pipe, store, site, article_id)

    def on_refetch(self, message: dict[str, Any], pipe: Any) -> None:
        site, article_id = message["site"], message["article_id"]
        self.store.refetch(site, article_id)
        mirror.put(pipe, self.store, site, article_id)

    def on_touch(self, message: dict[str, Any], pipe: Any) -> None:
        site, article_id = message["site"], message["article_id"]
        self.store.touch(
            site,
            article_id,
            listed=moment_back(message.get("listed")),
            etag=message.get("etag"),
            last_modified=message.get("last_modified"),
        )
        mirror.put(pipe, self.store, site, article_id)

    def on_dropped(self, message: dict[str, Any], pipe: Any) -> None:
        site, article_id = message["site"], message["article_id"]
        self.store.record_dropped(
            site, article_id, message["url"], message["reason"], moment_back(message.get("listed"))
        )
        found = self.store.get_dropped(site, article_id)
        if found is not None:
            pipe.hset(keys.dropped(site), article_id, mirror.dropped_json(found))

    def on_sources(self, message: dict[str, Any], pipe: Any) -> None:
        self.runs.run(message["run"], message["site"]).sources.update(message["sources"])

    def save_sources(self, sources: dict[str, Any]) -> None:
        """A complete run's feed and sitemap validators: recorded, then mirrored."""
        self.store.save_sources(sources)
        for url in sources:
            found = self.store.source(url)
            if found is not None:
                self.client.hset(keys.SOURCES, url, mirror.json_of(found))

    def on_start(self, message: dict[str, Any], pipe: Any) -> None:
        self.runs.started(message)

    def on_end(self, message: dict[str, Any], pipe: Any) -> None:
        self.runs.ended(message)

    # --- tests' crash points ----------------------------------------------------------------
    def _maybe_die(self, point: str, step: int) -> None:
        """``CLUSTER_WRITER_KILL_AT=written:N`` (or ``read:N``): SIGKILL this process once
        N lines are written and not yet recorded (N messages read and none handled): the
        crash tests' real kill at an exact point."""
        if self._kill_at is None or self._kill_at[0] != point:
            return
        self._kill_at[1] -= step
        if self._kill_at[1] <= 0:
            os.kill(os.getpid(), signal.SIGKILL)


def _kill_point() -> list[Any] | None:
    given = os.environ.get("CLUSTER_WRITER_KILL_AT", "")
    point, _, count = given.partition(":")
    if point in ("read", "written") and count.isdigit():
        return [point, int(count)]
    return None
