"""What happens to an article once its page is read, up to its line on disk. Imports no Scrapy.

The crawl's item pipelines (``clippings.crawl.pipelines``) run these steps one pipeline each, and
``clippings reextract`` runs the same steps without Scrapy, so both write the same lines:
dates -> date range -> derived fields -> duplicates -> schema -> unchanged -> write. Each
step says what to count (stat keys below ``clippings/<site>/``) rather than counting, so
the caller keeps its own stats (Scrapy's, or a plain dict).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import UTC, date, datetime

from clippings.core.health import VALUE_FIELDS, WRITTEN_FIELDS
from clippings.core.items import SCHEMA_VERSION, Article
from clippings.core.normalize import apply_dates, schema_errors

# Pages at article URLs that are not articles, remembered so re-runs do not fetch them again
# (a page that could not be read, or had no body, is tried again next run).
REMEMBERED_DROPS = frozenset({"video", "soft_404", "not_article", "listing"})


def fetch_time(article: Article) -> datetime | None:
    if not article.fetched_at:
        return None
    return datetime.fromisoformat(article.fetched_at.replace("Z", "+00:00"))


def dates_step(article: Article) -> tuple[list[str], list[str]]:
    """published/modified normalised in place (Morocco's civil time): (keys to count,
    warnings to log). A date problem is counted and the article kept."""
    counts, warnings = [], []
    for problem in apply_dates(article, fetch_time(article)):
        counts.append(f"dates/{problem}")
        warnings.append(f"{article.url}: date problem {problem} (raw: {article.published_raw!r})")
    for name in ("published", "modified"):
        source = article.provenance.get(name)
        if source:
            counts.append(f"source/{name}/{source}")
    return counts, warnings


def in_range(day: str, since: date | None, until: date | None) -> bool:
    """``YYYY-MM-DD`` within ``since``..``until`` (both included)."""
    return not ((since and day < since.isoformat()) or (until and day > until.isoformat()))


def out_of_range(article: Article, since: date | None, until: date | None) -> bool:
    """An article whose own date is outside ``since``..``until``; one without a date is kept."""
    return bool(article.published_date) and not in_range(article.published_date, since, until)


class Duplicates:
    """One line per article and content within a run (AMP and canonical URLs, feeds + sitemaps)."""

    def __init__(self) -> None:
        # 16-byte digests of (site, id, content hash): a long backfill keeps one per article
        # written, ~50 bytes each instead of ~330 for the strings themselves.
        self.seen: set[bytes] = set()

    def is_duplicate(self, article: Article) -> bool:
        """True when this article with this text came earlier in the run (then remembered)."""
        key = hashlib.blake2b(
            f"{article.site}\0{article.article_id}\0{article.content_sha256}".encode(), digest_size=16
        ).digest()
        if key in self.seen:
            return True
        self.seen.add(key)
        return False


def schema_problem(article: Article, sites: Collection[str] | None = None) -> tuple[str, str] | None:
    """Why the article may not be written, as (reason counted under ``dropped/``, message);
    None when it fits the output contract (``sites``: the registered names, as
    ``schema_errors`` takes them)."""
    if not article.body:
        return "empty_body", f"{article.url}: no article text found (empty body)"
    errors = schema_errors(article.to_record(), versions=(SCHEMA_VERSION,), sites=sites)
    if errors:
        return "invalid", f"{article.url}: does not fit the output schema: {'; '.join(errors)}"
    return None


def output_day(article: Article) -> str:
    """The file an article goes to: its fetch day (UTC)."""
    return (article.fetched_at or datetime.now(UTC).strftime("%Y-%m-%d"))[:10]


def written_counts(record: dict) -> list[str]:
    """What a written line counts for the extraction-health figures: ``missing/<field>`` for
    each field it lacks (``clippings.core.health.WRITTEN_FIELDS``), ``values/section/<value>``."""
    counts = []
    for name in WRITTEN_FIELDS:
        # published: no date at all (a day without a time is a date)
        value = record.get("published_date") if name == "published" else record.get(name)
        if not value:
            counts.append(f"missing/{name}")
    for name in VALUE_FIELDS:
        value = record.get(name)
        if isinstance(value, str) and value:
            counts.append(f"values/{name}/{value}")
    return counts
