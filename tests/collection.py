"""Small collections written as a crawl writes them (``DIR/<site>/<fetch day>.jsonl``), for
the tests of what reads them: export, status, report, DuckDB and pandas."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from clippings.contract import morocco_date
from clippings.normalize import schema_errors
from clippings.output import encode_line

URLS = {
    "le360": "https://fr.le360.ma/politique/article-{id}_{id}/",
    "almaghribtoday": "https://www.almaghribtoday.net/1195/{id}-article",
}


def article(
    site: str,
    article_id: str,
    *,
    published: str | None = "2025-09-09T18:36:00+01:00",
    day: str | None = None,
    modified: str | None = None,
    fetched_at: str = "2025-09-09T19:05:00Z",
    title: str | None = None,
    body: str = "Un paragraphe.\n\nUn autre.",
    authors: tuple[str, ...] = ("Karim Alaoui",),
    language: str | None = None,
    image: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A valid 2.0 line; ``published=None, day="2018-07-24"`` is a page giving no time."""
    record = {
        "url": URLS[site].format(id=article_id),
        "site": site,
        "article_id": article_id,
        "title": title or f"Article {article_id}",
        "lead": None,
        "authors": list(authors),
        "section": "Politique",
        "tags": ["Maroc"],
        "language": language or ("ar" if site == "almaghribtoday" else "fr"),
        "published": published,
        "published_date": day if published is None else morocco_date(published),
        "modified": modified,
        "body": body,
        "word_count": len(body.split()),
        "image": image,
        "fetched_at": fetched_at,
        "content_sha256": hashlib.sha256(body.encode()).hexdigest(),
        "schema_version": "2.0",
        "published_raw": published or day,
        "modified_raw": modified,
    }
    assert schema_errors(record) == [], schema_errors(record)
    return record


def write(directory: Path, records: list[dict[str, Any]]) -> list[Path]:
    """Append each record to ``directory/<site>/<fetch day>.jsonl``; the files written."""
    paths = []
    for record in records:
        path = directory / record["site"] / f"{record['fetched_at'][:10]}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as handle:
            handle.write(encode_line(record))
        if path not in paths:
            paths.append(path)
    return paths


def write_raw(path: Path, lines: list[bytes | dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        for line in lines:
            handle.write(encode_line(line) if isinstance(line, dict) else line)
    return path


def one_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)
