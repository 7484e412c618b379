"""``StateStore``: the SQLite database, written only after a line is on disk, and reconciled
with the JSON-lines files when a crawl opens it."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clippings.core.contract import as_current
from clippings.core.stamps import utc_stamp
from clippings.state.files import complete_lines, last_line_end
from clippings.state.records import REFETCH, Dropped, Seen, StateError
from clippings.state.schema import SCHEMA
from clippings.state.transaction import Transaction, write_error

logger = logging.getLogger("clippings.state")


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

    def line_of(self, site: str, article_id: str) -> tuple[Path, int] | None:
        """The file and end offset of the article's line the state points to, if known."""
        row = self.db.execute(
            "SELECT file, line_end FROM articles WHERE site = ? AND article_id = ?", (site, article_id)
        ).fetchone()
        return (Path(row["file"]), row["line_end"]) if row and row["file"] and row["line_end"] else None

    def get_dropped(self, site: str, article_id: str) -> Dropped | None:
        row = self.db.execute(
            "SELECT reason, listed, checked_at FROM dropped WHERE site = ? AND article_id = ?",
            (site, article_id),
        ).fetchone()
        return Dropped(**dict(row)) if row else None

    def record_dropped(self, site: str, article_id: str, url: str, reason: str, listed: datetime | None = None) -> None:
        with self._transaction():
            self.db.execute(
                "INSERT INTO dropped (site, article_id, url, reason, listed, checked_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, article_id) DO UPDATE SET"
                " url = excluded.url, reason = excluded.reason,"
                " listed = coalesce(excluded.listed, listed), checked_at = excluded.checked_at",
                (site, article_id, url, reason, utc_stamp(listed) if listed else None, utc_stamp(datetime.now(UTC))),
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

    def record_earlier(self, path: Path, line_end: int) -> None:
        """A line on disk that is an earlier version than the article's recorded one (an
        earlier capture read from an archive): its file counts as read past it, the
        article's row keeps its later line."""
        with self._transaction():
            self._advance(str(Path(path).resolve()), line_end)

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
                    *([utc_stamp(listed) if listed else None] * 3),
                    etag,
                    last_modified,
                    utc_stamp(datetime.now(UTC)),
                    site,
                    article_id,
                ),
            )

    def refetch(self, site: str, article_id: str) -> None:
        """The article's page came cut: its line is kept, and the next run that finds it
        listed fetches it again, whole (``REFETCH``; no validators, so no 304)."""
        with self._transaction():
            self.db.execute(
                "UPDATE articles SET listed = ?, etag = NULL, last_modified = NULL WHERE site = ? AND article_id = ?",
                (REFETCH, site, article_id),
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
                utc_stamp(listed) if listed else None,
                etag,
                last_modified,
                file,
                line_end,
                utc_stamp(datetime.now(UTC)),
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
        recovered = lost = 0
        present = set()
        for path in sorted(Path(directory, site).glob("*.jsonl")):
            key = str(path.resolve())
            present.add(key)
            row = self.db.execute("SELECT recorded FROM files WHERE path = ?", (key,)).fetchone()
            recorded = row[0] if row else 0
            size = path.stat().st_size
            with self._transaction():
                if size < recorded:
                    # Lines recorded past the end never reached the disk: fetch them again.
                    lost += self._forget_past(key, site, size)
                    recorded = last_line_end(path, size)
                for record, end in complete_lines(path, recorded):
                    recorded = end
                    if record and record.get("site") == site and record.get("article_id"):
                        self._upsert(record, key, end, None, None, None)
                        recovered += 1
                self._set_recorded(key, recorded)
        lost += self._forget_gone(site, present)
        if lost:
            # The feeds' and sitemaps' validators were saved when these lines were had: a
            # 304 now would hide the articles forgotten. The next run asks without them.
            with self._transaction():
                self.db.execute("DELETE FROM sources")
        if recovered:
            logger.info("state: recorded %d %s lines found in the output files", recovered, site)
        return recovered

    def _forget_past(self, file: str, site: str, size: int) -> int:
        lost = self.db.execute(
            "DELETE FROM articles WHERE site = ? AND file = ? AND line_end > ?", (site, file, size)
        ).rowcount
        if lost:
            logger.warning("state: %s is shorter than recorded; %d articles will be fetched again", file, lost)
        return lost

    def _forget_gone(self, site: str, present: set[str]) -> int:
        """Articles recorded in an output file of ``site`` that is gone (deleted, moved away):
        fetched again, as the files are the collection."""
        lost = 0
        files = {row[0] for row in self.db.execute("SELECT DISTINCT file FROM articles WHERE site = ?", (site,))}
        for file in sorted(files - present - {None}):
            if Path(file).exists():
                continue  # another folder's file (a state shared with --state): not this one's
            with self._transaction():
                gone = self.db.execute("DELETE FROM articles WHERE site = ? AND file = ?", (site, file)).rowcount
                self.db.execute("DELETE FROM files WHERE path = ?", (file,))
            logger.warning("state: %s is gone; %d articles will be fetched again", file, gone)
            lost += gone
        return lost

    def _set_recorded(self, file: str, offset: int) -> None:
        self.db.execute(
            "INSERT INTO files (path, recorded) VALUES (?, ?) ON CONFLICT (path)"
            " DO UPDATE SET recorded = excluded.recorded",
            (file, offset),
        )

    # --- feeds and sitemaps -------------------------------------------------------------
    def source(self, url: str) -> dict[str, str | None] | None:
        row = self.db.execute("SELECT etag, last_modified, listed FROM sources WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def save_sources(self, sources: dict[str, dict[str, str | None]]) -> None:
        now = utc_stamp(datetime.now(UTC))
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
    def _transaction(self) -> Transaction:
        return Transaction(self.db, self.path)

    def write_error(self, exc: sqlite3.Error) -> StateError:
        return write_error(self.path, exc)

    def read_error(self, exc: sqlite3.Error) -> StateError:
        """A state that cannot be read (a damaged file): one line, and what to do about it."""
        return StateError(
            f"cannot read the incremental state {self.path}: {exc}"
            " (move the file away: the next run rebuilds it from the output files)"
        )
