"""Benchmark: ``clippings export`` of a collection of N articles (default 10,000).

Not a test. Run `python bench/export.py [--articles N] [--rounds R]`. Writes a seeded
collection to bench/out/export/ as a crawl writes it (both sites, one file a site and fetch
day, bodies of 150-600 words in French or Arabic, a tenth of the articles written twice,
some date-only and undated), then times, best of R rounds each, the export to one Parquet
file, to a DuckDB database, to a Parquet folder partitioned by site and month, and with
``--all-versions``; beside them DuckDB's own ``read_json_auto`` over the same files (no
checks, no dedup), and ``clippings validate`` (the checks alone), for scale.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clippings.collection.export import export
from clippings.collection.output import encode_line
from clippings.collection.validate import validate_files
from clippings.core.contract import morocco_date

OUT = Path(__file__).resolve().parent / "out" / "export"
START = datetime(2025, 9, 1, 6, 0, tzinfo=UTC)
FR = [
    "le",
    "Maroc",
    "a",
    "annoncé",
    "mercredi",
    "un",
    "programme",
    "national",
    "pour",
    "le",
    "rail",
    "et",
    "les",
    "ports",
    "selon",
    "le",
    "ministère",
]
AR = [
    "أعلن",
    "المغرب",
    "يوم",
    "الأربعاء",
    "عن",
    "برنامج",
    "وطني",
    "لتطوير",
    "السكك",
    "الحديدية",
    "والموانئ",
    "حسب",
    "الوزارة",
]


def collection(directory: Path, articles: int, seed: int = 17) -> tuple[int, int]:
    """(lines, bytes) written."""
    rng = random.Random(seed)
    shutil.rmtree(directory, ignore_errors=True)
    handles: dict[Path, io.BufferedWriter] = {}
    lines = size = 0
    for n in range(articles):
        site = "le360" if n % 3 else "almaghribtoday"
        words = AR if site == "almaghribtoday" else FR
        published = START + timedelta(minutes=13 * n)
        body = "\n\n".join(
            " ".join(rng.choice(words) for _ in range(rng.randint(30, 120))) for _ in range(rng.randint(4, 6))
        )
        instant = published.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        date_only, undated = n % 50 == 0, n % 211 == 0
        record = {
            "url": f"https://fr.le360.ma/politique/article-{n}_{n}/"
            if site == "le360"
            else f"https://www.almaghribtoday.net/1195/{n}-x",
            "site": site,
            "article_id": str(n) if site == "almaghribtoday" else f"A{n:025d}",
            "title": " ".join(words[:8]) + f" {n}",
            "lead": None,
            "authors": ["Karim Alaoui"] if n % 4 else [],
            "section": "Politique",
            "tags": ["Maroc", "Rail"][: n % 3],
            "language": "ar" if site == "almaghribtoday" else "fr",
            "published": None if date_only or undated else instant,
            "published_date": None if undated else morocco_date(instant),
            "modified": None,
            "body": body,
            "word_count": len(body.split()),
            "image": {"url": f"https://fr.le360.ma/i/{n}.jpg", "caption": None} if n % 2 else None,
            "fetched_at": (published + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "content_sha256": hashlib.sha256(body.encode()).hexdigest(),
            "schema_version": "2.0",
            "published_raw": instant,
            "modified_raw": None,
        }
        versions = [record]
        if n % 10 == 0:  # updated a day later
            changed = body + "\n\nMise à jour."
            versions.append(
                {
                    **record,
                    "body": changed,
                    "word_count": len(changed.split()),
                    "content_sha256": hashlib.sha256(changed.encode()).hexdigest(),
                    "modified": (published + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                    "fetched_at": (published + timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
            )
        for version in versions:
            path = directory / site / f"{version['fetched_at'][:10]}.jsonl"
            if path not in handles:
                path.parent.mkdir(parents=True, exist_ok=True)
                handles[path] = path.open("ab")
            line = encode_line(version)
            handles[path].write(line)
            lines += 1
            size += len(line)
    for handle in handles.values():
        handle.close()
    return lines, size


def best(rounds: int, work) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    source, targets = OUT / "collection", OUT / "targets"
    started = time.perf_counter()
    lines, size = collection(source, args.articles)
    files = len(list(source.glob("*/*.jsonl")))
    print(
        f"collection: {args.articles:,} articles, {lines:,} lines, {size / 1e6:.1f} MB in {files} files"
        f" (written in {time.perf_counter() - started:.1f} s)"
    )
    shutil.rmtree(targets, ignore_errors=True)
    targets.mkdir(parents=True)
    quiet = io.StringIO()
    import duckdb

    cases = [
        ("--to articles.parquet", lambda: export(source, str(targets / "articles.parquet"), errors=quiet)),
        ("--to clippings.duckdb", lambda: export(source, str(targets / "clippings.duckdb"), errors=quiet)),
        ("--to lake/ (site, month)", lambda: export(source, f"{targets / 'lake'}/", errors=quiet)),
        (
            "--to all.parquet --all-versions",
            lambda: export(source, str(targets / "all.parquet"), all_versions=True, errors=quiet),
        ),
        (
            "duckdb read_json_auto -> parquet (no checks, no dedup)",
            lambda: duckdb.connect().execute(
                f"COPY (SELECT * FROM read_json_auto('{source}/[a-z]*/*.jsonl')) TO '{targets / 'raw.parquet'}' (FORMAT parquet)"
            ),
        ),
        ("clippings validate (the checks alone)", lambda: validate_files([source], io.StringIO())),
    ]
    print(f"best of {args.rounds} rounds:")
    for name, work in cases:
        seconds = best(args.rounds, work)
        print(f"  {name:<58} {seconds:6.2f} s  {args.articles / seconds:8,.0f} articles/s")
    rows = duckdb.connect().execute(f"SELECT count(*) FROM '{targets / 'articles.parquet'}'").fetchone()[0]
    print(
        f"articles.parquet: {rows:,} rows, {(targets / 'articles.parquet').stat().st_size / 1e6:.1f} MB;"
        f" clippings.duckdb {(targets / 'clippings.duckdb').stat().st_size / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
