"""Small collections written as a crawl writes them (``DIR/<site>/<fetch day>.jsonl``), for
the tests of what reads them: export, status, report, DuckDB and pandas."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from clippings.collection.output import encode_line
from clippings.core.contract import morocco_date
from clippings.core.normalize import schema_errors
from clippings.sites import SITES

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
    assert schema_errors(record, sites=SITES) == [], schema_errors(record, sites=SITES)
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


ARABIC_TITLES = (
    "تحويلات المغاربة المقيمين بالخارج ترتفع",
    "مجلس النواب يصادق على مشروع القانون المالي",
    "ارتفاع نسبة ملء السدود بعد التساقطات الأخيرة",
)


def demo(directory: Path, now: datetime, days: int = 60) -> dict[str, Any]:
    """A collection over the ``days`` days before ``now``, with its run history: both sites,
    French and Arabic titles, a date-only article, an undated one, an updated one; hourly-ish
    runs, one with an alarm and drops, one that failed. Returns what was written, to check
    the report's figures against."""
    records: list[dict[str, Any]] = []
    for n in range(days):
        moment = now - timedelta(days=n, hours=3)
        for k in range(n % 3 + 1):
            at = moment - timedelta(minutes=17 * k)
            local = at.astimezone(timezone(timedelta(hours=1))).replace(microsecond=0)
            records.append(
                article(
                    "le360",
                    f"LE{n:03d}{k}",
                    published=local.isoformat(),
                    fetched_at=(at + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    title=f"Le Maroc, jour {n}, article {k}",
                )
            )
        if n % 2 == 0:
            local = moment.astimezone(timezone(timedelta(hours=1))).replace(microsecond=0)
            records.append(
                article(
                    "almaghribtoday",
                    f"{7000 + n}",
                    published=local.isoformat(),
                    fetched_at=(moment + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    title=ARABIC_TITLES[n % 3] + f" {n}",
                )
            )
    day = (now - timedelta(days=5)).date().isoformat()
    records.append(
        article(
            "almaghribtoday",
            "6999",
            published=None,
            day=day,
            fetched_at=(now - timedelta(days=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            title="خبر بتاريخ فقط",
        )
    )
    records.append(
        article(
            "almaghribtoday",
            "6998",
            published=None,
            day=None,
            fetched_at=(now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            title="خبر بلا تاريخ",
        )
    )
    first = records[0]
    records.append(
        {
            **first,
            "body": "Texte mis à jour.",
            "word_count": 3,
            "content_sha256": hashlib.sha256("Texte mis à jour.".encode()).hexdigest(),
            "fetched_at": (now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    write(directory, sorted(records, key=lambda r: r["fetched_at"]))
    from clippings.collection.runs import append_run

    runs = []
    for n in range(24, 0, -1):
        finished = now - timedelta(hours=6 * n)
        for site, base in (("almaghribtoday", 6), ("le360", 12)):
            alarm = site == "le360" and n == 7
            failed = site == "almaghribtoday" and n == 3
            share = 0.6 if alarm else 0.02 * (n % 3)
            pages = 20 + n % 5
            alarms = [f"{site}: 12 of {pages} article pages had no body — layout may have changed"] if alarm else []
            problems = (["crawl ended early (shutdown)"] if failed else []) + alarms
            run = {
                "run_id": f"{site}-{n}",
                "job": None,
                "site": site,
                "started": (finished - timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "finished": finished.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "seconds": 180.0,
                "exit_status": 1 if problems else 0,
                "finish_reason": "shutdown" if failed else "finished",
                "problems": problems,
                "pages": pages,
                "written": base + n % 4,
                "updated": n % 2,
                "skipped": {"seen": 30 + n, "unchanged": n % 3},
                "dropped": {"video": n % 2, "empty_body": 12 if alarm else 0},
                "errors": {"download": 1} if n % 8 == 0 else {},
                "examples": {"dropped/video": [f"https://fr.le360.ma/videos/v-{n}_V{n}/"]} if n % 2 else {},
                "health": {
                    "no_body": {"count": round(share * pages), "total": pages, "share": share},
                    "no_date": {"count": 0, "total": base, "share": 0.0},
                    "no_author": {"count": 1, "total": base, "share": round(1 / base, 4)},
                },
                "alarms": alarms,
                "sources": {
                    "body": {"ans": base - 2, "page": 2} if site == "le360" else {"rule:almaghribtoday.body[1]": base}
                },
                "pages_per_minute": 7.0,
                "peak_rss_mb": 140.0,
                "version": "0.1.0",
            }
            append_run(directory, run)
            runs.append(run)
    return {"records": records, "runs": runs}
