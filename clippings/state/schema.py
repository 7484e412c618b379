"""The state database's tables."""

from __future__ import annotations

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
