"""Incremental state: what a collection already holds, so a re-run fetches only what is new.

Imports no Scrapy. The JSON-lines files are the source of truth; this SQLite database is an
index of them plus what the sources told us (feed and sitemap dates, ETag, Last-Modified).

Exactly-once: an article is recorded only after its line is on disk, together with the byte
offset where that line ends. ``reconcile`` runs when a crawl opens: complete lines past the
recorded offset of each file (written, then the process died before recording them) are
read and recorded, so a kill never loses an article and never makes one written twice; a
file found shorter than recorded (power loss before the lines reached the disk) forgets the
articles that were past its end, so they are fetched again.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from clippings.contract import as_current, split_date
from clippings.dates import CASABLANCA
from clippings.stamps import utc_stamp

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    site TEXT NOT NULL,
    article_id TEXT NOT NULL,
    url TEXT NOT NULL,
    content_sha256 TEXT,
    published TEXT,         -- a full instant, or null (schema 2.0; older rows may hold a day)
    modified TEXT,
    listed TEXT,            -- latest feed/sitemap date seen for it (ISO 8601, UTC)
    etag TEXT,
    last_modified TEXT,     -- the Last-Modified header, as sent
    file TEXT,              -- the output file holding its latest line
    line_end INTEGER,       -- byte offset where that line ends
    recorded_at TEXT NOT NULL,
    published_date TEXT,    -- YYYY-MM-DD in Morocco's calendar (added with schema 2.0)
    PRIMARY KEY (site, article_id)
);
CREATE TABLE IF NOT EXISTS dropped (
    -- article URLs that gave no article (video page, soft 404, HTTP 404/410)
    site TEXT NOT NULL,
    article_id TEXT NOT NULL,
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    listed TEXT,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (site, article_id)
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,  -- resolved path of an output file
    recorded INTEGER NOT NULL  -- bytes whose lines are recorded in ``articles``
);
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY,   -- a feed or sitemap
    etag TEXT,
    last_modified TEXT,
    listed TEXT,            -- the sitemap index's lastmod for it, if any
    checked_at TEXT NOT NULL
);
"""

# A listed date this close to the article's own date says nothing new (feeds round, CMSs
# stamp the sitemap a little after the page).
LISTED_SLACK = timedelta(minutes=2)


def state_path(settings: Any) -> Path:
    """Where the state database is: ``CLIPPINGS_STATE``, else ``<output>/.state/state.sqlite``."""
    given = settings.get("CLIPPINGS_STATE")
    if given:
        return Path(given)
    return Path(settings.get("CLIPPINGS_OUTPUT_DIR", "output")) / ".state" / "state.sqlite"


utc_iso = utc_stamp


def parse_iso(text: str | None) -> datetime | None:
    """ISO 8601 (``Z``, offsets, or a bare date read as midnight UTC) -> aware datetime."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class StateError(Exception):
    """The state database cannot be opened or written (a full disk): the crawl must not run
    without it. Its text is one line naming the file and the reason."""


@dataclass(frozen=True)
class Seen:
    """What the state knows of one article."""

    site: str
    article_id: str
    url: str
    content_sha256: str | None
    published: str | None
    modified: str | None
    listed: str | None
    etag: str | None
    last_modified: str | None
    published_date: str | None = None

    def __post_init__(self) -> None:
        # Rows recorded from schema 1.0 lines may hold a bare day in published or modified:
        # read them as 2.0 says (a day of publication, an update with no known instant).
        published, day = split_date(self.published)
        object.__setattr__(self, "published", published)
        object.__setattr__(self, "published_date", self.published_date or day)
        object.__setattr__(self, "modified", split_date(self.modified)[0])

    def own_time(self) -> datetime | None:
        """The article's latest date of its own: modified, else published, else the start
        of its day of publication (Morocco's calendar)."""
        moment = parse_iso(self.modified) or parse_iso(self.published)
        if moment is None and self.published_date:
            day = date.fromisoformat(self.published_date)
            moment = datetime.combine(day, datetime.min.time(), tzinfo=CASABLANCA)
        return moment

    def conditional_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Dropped:
    """An article URL that gave no article last time it was fetched."""

    reason: str
    listed: str | None
    checked_at: str


class Action(Enum):
    FETCH = "fetch"  # not in the collection
    REVALIDATE = "revalidate"  # in it, but the source says it may have changed
    SKIP = "skip"  # in it, nothing says it changed


def decide(
    seen: Seen | None,
    listed: datetime | None,
    given: bool = False,
    dropped: Dropped | None = None,
    recheck: timedelta | None = None,
    now: datetime | None = None,
) -> Action:
    """Whether to fetch an article URL found in a feed, sitemap or listing (or given by hand).

    A date from the source newer than both the one seen last time and the article's own
    date means it may have changed: fetch it again (conditionally when validators are
    known). An article named explicitly (``--url``) is always revalidated. Otherwise an
    article already written is not fetched. A URL that gave no article (video, soft 404,
    404) is not fetched again for ``recheck`` unless its source date moves.
    """
    if seen is None:
        if dropped is None or given:
            return Action.FETCH
        before = parse_iso(dropped.listed)
        if listed is not None and (before is None or listed > before):
            return Action.FETCH
        checked = parse_iso(dropped.checked_at)
        if recheck is not None and checked is not None and (now or datetime.now(UTC)) - checked > recheck:
            return Action.FETCH
        return Action.SKIP
    if given:
        return Action.REVALIDATE
    if listed is None:
        return Action.SKIP
    before = parse_iso(seen.listed)
    if before is not None:
        return Action.REVALIDATE if listed > before else Action.SKIP
    own = seen.own_time()
    if own is None or listed > own + LISTED_SLACK:
        return Action.REVALIDATE
    return Action.SKIP


def is_unchanged(seen: Seen | None, record: dict[str, Any]) -> bool:
    """A refetched article with the same text and the same ``modified`` is not written again
    (lines of either schema version: a bare day is no ``modified`` instant)."""
    return (
        seen is not None
        and seen.content_sha256 == record.get("content_sha256")
        and seen.modified == split_date(record.get("modified"))[0]
    )


class StateStore:
    """The SQLite file; one per collection (``<output>/.state/state.sqlite``) by default.

    Several crawls (one per site, in one process or several) may share it: every change is
    its own short transaction and SQLite serialises writers.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._resolved: dict[str | Path, str] = {}  # output file -> its key in ``files``
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            self._add_missing_columns()
        except (OSError, sqlite3.Error) as exc:
            raise StateError(f"cannot open the incremental state {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    def _add_missing_columns(self) -> None:
        """A state made before a column existed gets it (null until its rows are written again)."""
        have = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
        if "published_date" not in have:
            try:
                self.db.execute("ALTER TABLE articles ADD COLUMN published_date TEXT")
            except sqlite3.OperationalError as exc:  # another crawl added it first
                if "duplicate column" not in str(exc):
                    raise

    # --- articles -----------------------------------------------------------------------
    def get(self, site: str, article_id: str) -> Seen | None:
        row = self.db.execute(
            "SELECT site, article_id, url, content_sha256, published, modified, listed, etag,"
            " last_modified, published_date FROM articles WHERE site = ? AND article_id = ?",
            (site, article_id),
        ).fetchone()
        return Seen(**dict(row)) if row else None

    def get_dropped(self, site: str, article_id: str) -> Dropped | None:
        row = self.db.execute(
            "SELECT reason, listed, checked_at FROM dropped WHERE site = ? AND article_id = ?",
            (site, article_id),
        ).fetchone()
        return Dropped(**dict(row)) if row else None

    def record_dropped(
        self, site: str, article_id: str, url: str, reason: str, listed: datetime | None = None
    ) -> None:
        with self._transaction():
            self.db.execute(
                "INSERT INTO dropped (site, article_id, url, reason, listed, checked_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, article_id) DO UPDATE SET"
                " url = excluded.url, reason = excluded.reason,"
                " listed = coalesce(excluded.listed, listed), checked_at = excluded.checked_at",
                (site, article_id, url, reason, utc_iso(listed) if listed else None, utc_iso(datetime.now(UTC))),
            )

    def count(self, site: str | None = None) -> int:
        if site is None:
            return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM articles WHERE site = ?", (site,)).fetchone()[0]

    def record_written(
        self,
        record: dict[str, Any],
        path: Path,
        line_end: int,
        *,
        listed: datetime | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """An article's line is on disk, ending at ``line_end`` in ``path``: remember both."""
        key = self._resolved.get(path)
        if key is None:
            key = self._resolved[path] = str(Path(path).resolve())
        with self._transaction():
            self._upsert(record, key, line_end, listed, etag, last_modified)
            self._advance(key, line_end)
            self.db.execute(
                "DELETE FROM dropped WHERE site = ? AND article_id = ?",
                (record["site"], str(record["article_id"])),
            )

    def touch(
        self,
        site: str,
        article_id: str,
        *,
        listed: datetime | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Revalidated and found unchanged: keep the newer source date and validators."""
        with self._transaction():
            self.db.execute(
                "UPDATE articles SET"
                " listed = CASE WHEN ? IS NOT NULL AND (listed IS NULL OR ? > listed) THEN ?"
                "   ELSE listed END,"
                " etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),"
                " recorded_at = ? WHERE site = ? AND article_id = ?",
                (
                    *([utc_iso(listed) if listed else None] * 3),
                    etag,
                    last_modified,
                    utc_iso(datetime.now(UTC)),
                    site,
                    article_id,
                ),
            )

    def _upsert(
        self,
        record: dict[str, Any],
        file: str,
        line_end: int,
        listed: datetime | None,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        record = as_current(record)  # a 1.0 line recovered from an older collection
        self.db.execute(
            "INSERT INTO articles (site, article_id, url, content_sha256, published, modified,"
            " listed, etag, last_modified, file, line_end, recorded_at, published_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (site, article_id) DO UPDATE SET url = excluded.url,"
            " content_sha256 = excluded.content_sha256, published = excluded.published,"
            " modified = excluded.modified, published_date = excluded.published_date,"
            " listed = CASE WHEN excluded.listed IS NULL THEN listed"
            "   WHEN listed IS NULL OR excluded.listed > listed THEN excluded.listed"
            "   ELSE listed END,"
            " etag = coalesce(excluded.etag, etag),"
            " last_modified = coalesce(excluded.last_modified, last_modified),"
            " file = excluded.file, line_end = excluded.line_end,"
            " recorded_at = excluded.recorded_at",
            (
                record["site"],
                str(record["article_id"]),
                record["url"],
                record.get("content_sha256"),
                record.get("published"),
                record.get("modified"),
                utc_iso(listed) if listed else None,
                etag,
                last_modified,
                file,
                line_end,
                utc_iso(datetime.now(UTC)),
                record.get("published_date"),
            ),
        )

    def _advance(self, file: str, offset: int) -> None:
        self.db.execute(
            "INSERT INTO files (path, recorded) VALUES (?, ?) ON CONFLICT (path)"
            " DO UPDATE SET recorded = max(recorded, excluded.recorded)",
            (file, offset),
        )

    # --- reconciling with the output files ----------------------------------------------
    def reconcile(self, directory: str | Path, site: str) -> int:
        """Bring the state in line with ``<directory>/<site>/*.jsonl``; returns lines recovered."""
        recovered = 0
        for path in sorted(Path(directory, site).glob("*.jsonl")):
            key = str(path.resolve())
            row = self.db.execute("SELECT recorded FROM files WHERE path = ?", (key,)).fetchone()
            recorded = row[0] if row else 0
            size = path.stat().st_size
            with self._transaction():
                if size < recorded:
                    # Lines recorded past the end never reached the disk: fetch them again.
                    self._forget_past(key, site, size)
                    recorded = _last_line_end(path, size)
                for record, end in _complete_lines(path, recorded):
                    recorded = end
                    if record and record.get("site") == site and record.get("article_id"):
                        self._upsert(record, key, end, None, None, None)
                        recovered += 1
                self._set_recorded(key, recorded)
        if recovered:
            logger.info("state: recorded %d %s lines found in the output files", recovered, site)
        return recovered

    def _forget_past(self, file: str, site: str, size: int) -> None:
        lost = self.db.execute(
            "DELETE FROM articles WHERE site = ? AND file = ? AND line_end > ?", (site, file, size)
        ).rowcount
        if lost:
            logger.warning(
                "state: %s is shorter than recorded; %d articles will be fetched again", file, lost
            )

    def _set_recorded(self, file: str, offset: int) -> None:
        self.db.execute(
            "INSERT INTO files (path, recorded) VALUES (?, ?) ON CONFLICT (path)"
            " DO UPDATE SET recorded = excluded.recorded",
            (file, offset),
        )

    # --- feeds and sitemaps -------------------------------------------------------------
    def source(self, url: str) -> dict[str, str | None] | None:
        row = self.db.execute(
            "SELECT etag, last_modified, listed FROM sources WHERE url = ?", (url,)
        ).fetchone()
        return dict(row) if row else None

    def save_sources(self, sources: dict[str, dict[str, str | None]]) -> None:
        now = utc_iso(datetime.now(UTC))
        with self._transaction():
            for url, seen in sources.items():
                self.db.execute(
                    "INSERT INTO sources (url, etag, last_modified, listed, checked_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                    " etag = excluded.etag, last_modified = excluded.last_modified,"
                    " listed = excluded.listed, checked_at = excluded.checked_at",
                    (url, seen.get("etag"), seen.get("last_modified"), seen.get("listed"), now),
                )

    # --- plumbing -----------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self)

    def write_error(self, exc: sqlite3.Error) -> StateError:
        return StateError(f"cannot write the incremental state {self.path}: {exc}")


class _Transaction:
    """One short write; an SQLite error in it (``database or disk is full``) is rolled back
    and raised as a StateError, one line, instead of sqlite3's exception."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self.db = store.db

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self.store.write_error(exc) from None

    def __exit__(self, exc_type: object, exc: BaseException | None, traceback: object) -> bool:
        failure = exc if isinstance(exc, sqlite3.Error) else None
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
                return False
            except sqlite3.Error as error:
                failure = error
        if self.db.in_transaction:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the transaction is gone with the connection's state; nothing to keep
        if failure is not None:
            raise self.store.write_error(failure) from None
        return False


def _last_line_end(path: Path, limit: int) -> int:
    """Offset just after the last newline at or before ``limit`` (0 when none)."""
    with path.open("rb") as handle:
        position = limit
        while position > 0:
            step = min(65536, position)
            position -= step
            handle.seek(position)
            index = handle.read(step).rfind(b"\n")
            if index != -1:
                return position + index + 1
    return 0


def _complete_lines(path: Path, start: int) -> Iterator[tuple[dict[str, Any] | None, int]]:
    """(record, offset after the line) for each whole line from ``start``; a partial tail is left."""
    with path.open("rb") as handle:
        handle.seek(start)
        position = start
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            position += len(raw)
            try:
                record = json.loads(raw)
            except ValueError:
                logger.warning("state: %s: unreadable line ending at byte %d, skipped", path, position)
                record = None
            yield (record if isinstance(record, dict) else None), position
