"""The state the nodes plan with: each written article's state row, copied into Redis by the
writer (``rebuild`` at its start, ``put`` after each line it records), and ``MirrorStore``,
what a node's incremental state reads instead of the SQLite file.

A node reads the mirror and never writes it: what it learns (a 304, an unchanged article,
a URL that gave no article, the sources' validators) goes to the writer as a message, and the
writer records it in SQLite and then in the mirror. A node therefore never fetches what the
collection holds unchanged, and the SQLite file stays the one truth.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from clippings.cluster import keys
from clippings.cluster.messages import encode, moment
from clippings.state import Dropped, Seen, StateStore

SEEN_COLUMNS = ("site", "article_id", "url", "content_sha256", "published", "modified", "listed", "etag",
                "last_modified", "published_date")  # fmt: skip


def rebuild(client: Any, store: StateStore, batch: int = 2000) -> int:
    """The mirror made again from SQLite (every site's articles, drops, sources); returns the
    articles copied. Run by the writer at start, before it reads the stream."""
    copied = 0
    db = store.db
    # Every site's, not only those SQLite knows: a mirror of another collection must not stay.
    for pattern in (keys.mirror("*"), keys.dropped("*")):
        for key in client.scan_iter(match=pattern, count=1000):
            client.delete(key)
    query = f"SELECT {', '.join(SEEN_COLUMNS)} FROM articles"
    rows = db.execute(query)
    while chunk := rows.fetchmany(batch):
        pipe = client.pipeline(transaction=False)
        for row in chunk:
            seen = dict(zip(SEEN_COLUMNS, row, strict=True))
            pipe.hset(keys.mirror(seen["site"]), seen["article_id"], json.dumps(seen, ensure_ascii=False))
        pipe.execute()
        copied += len(chunk)
    rows = db.execute("SELECT site, article_id, reason, listed, checked_at FROM dropped")
    while chunk := rows.fetchmany(batch):
        pipe = client.pipeline(transaction=False)
        for site, article_id, reason, listed, checked in chunk:
            pipe.hset(
                keys.dropped(site), article_id, json.dumps({"reason": reason, "listed": listed, "checked_at": checked})
            )
        pipe.execute()
    client.delete(keys.SOURCES)
    for url, etag, last_modified, listed in db.execute("SELECT url, etag, last_modified, listed FROM sources"):
        client.hset(keys.SOURCES, url, json.dumps({"etag": etag, "last_modified": last_modified, "listed": listed}))
    return copied


def put(pipe: Any, store: StateStore, site: str, article_id: str) -> None:
    """Copy one article's row (as SQLite holds it now) into the mirror; its drop forgotten."""
    seen = store.get(site, article_id)
    if seen is not None:
        pipe.hset(keys.mirror(site), article_id, json.dumps(asdict(seen), ensure_ascii=False))
        pipe.hdel(keys.dropped(site), article_id)


class MirrorStore:
    """What ``clippings.crawl.incremental.Incremental`` asks of a ``StateStore``, for a node:
    reads from the mirror, changes sent to the writer (``send``: a stream entry)."""

    def __init__(self, client: Any, site: str, send: Callable[[dict[str, str]], None], url: str, run: str) -> None:
        self.client = client
        self.site = site
        self.run = run
        self.send = send
        self.path = Path(url)  # named in messages only
        self.db = None  # no learned containers on a node: each reads pages as if nothing were learned

    def close(self) -> None:
        pass

    def get(self, site: str, article_id: str) -> Seen | None:
        found = self.client.hget(keys.mirror(site), article_id)
        return Seen(**{k: v for k, v in json.loads(found).items() if k in SEEN_COLUMNS}) if found else None

    def get_dropped(self, site: str, article_id: str) -> Dropped | None:
        found = self.client.hget(keys.dropped(site), article_id)
        return Dropped(**json.loads(found)) if found else None

    def count(self, site: str | None = None) -> int:
        return self.client.hlen(keys.mirror(site or self.site))

    def reconcile(self, directory: str | Path, site: str) -> int:
        return 0  # the writer reconciles the collection's files; a node holds none

    def record_dropped(self, site: str, article_id: str, url: str, reason: str, listed: datetime | None = None) -> None:
        self.send(encode("dropped", site=site, article_id=article_id, url=url, reason=reason, listed=moment(listed)))

    def touch(
        self,
        site: str,
        article_id: str,
        *,
        listed: datetime | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        self.send(
            encode(
                "touch", site=site, article_id=article_id, listed=moment(listed), etag=etag, last_modified=last_modified
            )
        )

    def refetch(self, site: str, article_id: str) -> None:
        self.send(encode("refetch", site=site, article_id=article_id))

    def source(self, url: str) -> dict[str, str | None] | None:
        found = self.client.hget(keys.SOURCES, url)
        return json.loads(found) if found else None

    def save_sources(self, sources: dict[str, dict[str, str | None]]) -> None:
        # Kept by the writer until the run closes: saved only if no node of the run was lost
        # (the next run trusts a 304 only because everything the source listed was dealt with).
        self.send(encode("sources", run=self.run, site=self.site, sources=sources))

    def record_written(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a cluster node writes no line: its articles go to the writer's stream")


def json_of(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)


def dropped_json(found: Dropped) -> str:
    return json_of(asdict(found))
