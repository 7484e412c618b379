"""One shard read into finished records: what a worker does. Imports no Scrapy; writes nothing.

Each response record of our sites is handled as a replay's crawl handles the same saved
response: a redirect is not read (its target is read from its own record, if the archive
holds one), a status outside 2xx is dropped as ``http_<status>``, a body over
DOWNLOAD_MAXSIZE is an error, an article page is read (``clippings.extract.read_article``)
and finished with the crawl's own steps (``clippings.core.finish``: dates, derived fields, the
schema check). What the crawl's process counts and logs travels back with each record, for
the client to count and log: the worker's own log is not the operator's.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from clippings.core.fate import decide
from clippings.core.finish import dates_step, schema_problem
from clippings.core.items import Article
from clippings.core.normalize import derive
from clippings.core.page import Page, ReadingContext
from clippings.discovery import sniff
from clippings.extract import read_article  # once per worker process, when it unpickles a task
from clippings.extract.truncation import doubt
from clippings.reextract.archive import Problem, Shard
from clippings.reextract.reader import ShardReader
from clippings.replay import SavedResponse
from clippings.sites import SITES, site_for_url
from clippings.workers import RESET_CACHES_EVERY

INFO, WARNING, ERROR = logging.INFO, logging.WARNING, logging.ERROR

# As Scrapy's MetaRefreshMiddleware, which a replay runs (METAREFRESH_MAXDELAY, _IGNORE_TAGS),
# with the project's quick test first (clippings.crawl.middlewares.MetaRefreshMiddleware).
_REFRESH = re.compile(rb"(?i)refresh")
_SCANNED = 4 * 4096
_REFRESH_MAXDELAY = 100
_REFRESH_IGNORE_TAGS = ("noscript",)


@dataclass(frozen=True)
class Reading:
    """What a worker needs to know of the run: the crawl's size limits."""

    max_size: int = 16 * 1024 * 1024
    warn_size: int = 4 * 1024 * 1024


@dataclass
class Outcome:
    """One record, finished: ``kind`` is ``article`` (``article`` set, ``problem`` the reason
    it may not be written, if any), ``dropped``, ``skipped``, ``error`` or ``bad_record``."""

    kind: str
    site: str | None
    url: str | None
    path: str
    offset: int
    counts: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # the counts that keep the URL as an example
    logs: list[tuple[int, str]] = field(default_factory=list)
    article: Article | None = None
    problem: tuple[str, str] | None = None
    remember: str | None = None  # a drop the state keeps, so that crawls do not fetch it again
    validators: tuple[str | None, str | None] = (None, None)  # ETag, Last-Modified
    # An article written as it came, in doubt (a page cut inside its article, an article
    # nothing vouches for): learned nothing from, recorded without validators and marked
    # for the next crawl to fetch again, whole, as a crawl does.
    again: bool = False
    date_warnings: list[str] = field(default_factory=list)  # WARNINGs of an article written


@dataclass
class ShardResult:
    shard: Shard
    outcomes: list[Outcome]
    foreign: int = 0  # response records of other hosts, left out
    other: int = 0  # records that are no HTTP response
    worker: str = ""
    started: float = 0.0  # wall clock (time.time) in the worker
    seconds: float = 0.0  # how long the worker took


def owned(uri: str) -> bool:
    return site_for_url(uri) is not None


_pages_read = 0


def _count_page() -> None:
    """trafilatura's and htmldate's caches emptied every so many pages, as a crawl's workers
    do (``clippings.workers``): a worker's memory stays where it started over a long run."""
    global _pages_read
    _pages_read += 1
    if _pages_read % RESET_CACHES_EVERY == 0:
        from trafilatura.meta import reset_caches

        reset_caches()


def read(shard: Shard, learned: Mapping[str, tuple[tuple[str, str], ...]], reading: Reading) -> ShardResult:
    """Every record of ``shard`` finished; ``learned`` the article containers the run has
    learned so far, by site (as a crawl sends them with each page)."""
    started, clock = time.time(), time.perf_counter()
    reader = ShardReader(shard, owned, reading.max_size)
    outcomes = []
    for found in reader.records():
        if isinstance(found, Problem):
            outcomes.append(_problem(found))
        else:
            offset, saved = found
            outcomes.append(read_record(saved, shard.path, offset, learned, reading))
            if offset in reader.longer:  # as the replay says it
                extra = reader.longer[offset]
                where = f"{shard.path} at byte {offset} ({saved.url})"
                said = f"{where}: {extra} bytes longer than its Content-Length says; read to its Content-Length"
                outcomes[-1].logs.insert(0, (WARNING, said))
    return ShardResult(
        shard,
        outcomes,
        reader.foreign,
        reader.other,
        f"{os.uname().nodename}:{os.getpid()}",
        started,
        time.perf_counter() - clock,
    )


def list_records(shard: Shard) -> list[tuple[int, int, str]]:
    """(offset, length, target URI) of each record of our sites in ``shard``, none of them
    read as a page: for a shard that killed its workers, to read its records one by one."""
    reader = ShardReader(shard, owned)
    found = []
    for item in reader.records():
        offset, url = (item.offset, item.url) if isinstance(item, Problem) else (item[0], item[1].url)
        found.append((offset, reader.lengths.get(offset, 0), url or ""))
    return found


def _problem(problem: Problem) -> Outcome:
    site = site_for_url(problem.url) if problem.url else None
    return Outcome(
        "bad_record" if problem.kind == "bad_record" else "error",
        site.name if site else None,
        problem.url,
        problem.path,
        problem.offset,
        counts=[f"errors/{problem.kind}"],
        logs=[(WARNING if problem.kind == "bad_record" else ERROR, f"{problem}; skipped")],
    )


def last_header(pairs: list[tuple[str, str]], name: str) -> str | None:
    """A header's value as Scrapy's ``Headers.get`` gives it: the last one sent."""
    wanted = name.lower()
    found = None
    for key, value in pairs:
        if key.lower() == wanted:
            found = value
    return found


def read_record(
    saved: SavedResponse,
    path: str,
    offset: int,
    learned: Mapping[str, tuple[tuple[str, str], ...]],
    reading: Reading,
) -> Outcome:
    url = saved.url
    site = site_for_url(url)
    out = Outcome("skipped", site.name, url, path, offset)
    if site.article_id(url) is None:
        out.counts.append("skipped/not_article_url")  # feeds, sitemaps, listings, robots.txt...
        return out
    size, status = len(saved.body), saved.status
    if reading.max_size and size > reading.max_size:
        out.kind = "error"
        out.counts.append("errors/download")
        out.logs.append((ERROR, f"{url}: download failed: {size} bytes, over DOWNLOAD_MAXSIZE ({reading.max_size})"))
        return out
    location = last_header(saved.headers, "Location")
    if 300 <= status < 400 and location:
        out.counts.append("skipped/redirect")
        out.logs.append((INFO, f"{url}: HTTP {status} to {location}; its target is read from its own record"))
        return out
    if status in (404, 410):  # gone: the site's answer, a drop (as in a crawl)
        out.kind = "dropped"
        out.counts.append(f"dropped/http_{status}")
        # As in the crawl: a 404 or 410 is the site's answer (a page taken down), INFO.
        out.logs.append((INFO, f"{url}: HTTP {status}, nothing written"))
        out.remember = f"http_{status}"
        return out
    if not 200 <= status < 300:  # a page that could not be had: an error (as in a crawl)
        out.kind = "error"
        out.counts.append(f"errors/http_{status}")
        out.logs.append((ERROR, f"{url}: HTTP {status} after the retries, nothing written"))
        return out
    if reading.warn_size and size > reading.warn_size:
        out.logs.append(
            (WARNING, f"{url}: response of {size} bytes is larger than DOWNLOAD_WARNSIZE ({reading.warn_size})")
        )
    page = saved.page()
    refresh = _meta_refresh(page.body, url, page.headers)
    if refresh:
        out.counts.append("skipped/redirect")
        out.logs.append((INFO, f"{url}: a meta refresh to {refresh}; its target is read from its own record"))
        return out
    if sniff(saved.body) != "html":
        out.counts.append("skipped/not_article_url")  # a feed or sitemap at an article URL
        return out
    if page.fetched_at is None:
        page = replace(page, fetched_at=datetime.now(UTC))
    return _read_page(out, saved, page, ReadingContext(site, learned.get(site.name, ())))


def _read_page(out: Outcome, saved: SavedResponse, page: Page, context: ReadingContext) -> Outcome:
    url = page.url
    _count_page()
    result: Article | BaseException
    try:
        result = read_article(page, context)
    except Exception as exc:  # a page must never stop the run: ``decide`` says what it is
        result = exc
    said = doubt(saved.body, page.header("Content-Type"), result) if isinstance(result, Article) else None
    fate = decide(url, result, said)
    out.kind = fate.kind
    out.counts.extend(fate.counts)
    out.named = [key for key in fate.counts if fate.named(key)]
    out.logs.extend(fate.logs)
    out.remember = fate.remember
    article = fate.article
    if article is None:
        return out
    counts, warnings = dates_step(article)
    out.counts.extend(counts)
    out.date_warnings = warnings  # logged once the article is written
    derive(article)
    out.problem = schema_problem(article, SITES)
    out.article = article
    out.again = fate.doubt is not None
    if not out.again:
        out.validators = (last_header(saved.headers, "ETag"), last_header(saved.headers, "Last-Modified"))
    return out


def _meta_refresh(body: bytes, url: str, headers: dict[str, str]) -> str | None:
    """The URL a page's <meta http-equiv="refresh"> sends to, as a replay's crawl follows it."""
    if not _REFRESH.search(body, 0, _SCANNED) and b"\x00" not in body[:_SCANNED]:
        return None
    from w3lib.html import get_meta_refresh

    from clippings.extract.document import NotHTML, decode_html

    try:
        text = decode_html(body, headers.get("Content-Type"))
    except NotHTML:
        return None
    interval, target = get_meta_refresh(text[:4096], url, ignore_tags=_REFRESH_IGNORE_TAGS)
    if target and interval is not None and interval < _REFRESH_MAXDELAY:
        return target
    return None
