"""A page's fate, decided in one place for every engine. Imports no Scrapy.

A page at an article URL, once read (``clippings.extract.read_article``, in the crawl's
process, in a worker, or in ``clippings reextract``), is an article, a drop or an error.
``decide`` turns the reading's result into that verdict: the article, or the drop with its
reason; what to count (keys below ``clippings/<site>/``); what to log; and the drop the
state remembers, so that later crawls do not fetch the page again. The crawl's spider
(``clippings.crawl.spider``) and ``clippings reextract`` (``clippings.reextract.task``) both
act on it, so that they count, log and remember alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from clippings.core.finish import REMEMBERED_DROPS
from clippings.core.items import Article, NotArticle

INFO, WARNING, ERROR = logging.INFO, logging.WARNING, logging.ERROR


@dataclass
class Fate:
    """``kind`` is ``article`` (``article`` set), ``dropped`` (``reason`` set) or ``error``."""

    kind: str
    article: Article | None = None
    reason: str | None = None
    counts: list[str] = field(default_factory=list)
    logs: list[tuple[int, str]] = field(default_factory=list)
    remember: str | None = None  # a drop the state keeps


def decide(url: str, result: Article | BaseException) -> Fate:
    """The fate of the page at ``url`` from its reading: the article read, or the exception
    the reading raised (``NotArticle``: the page holds none; anything else: a failure, which
    never stops a run)."""
    if isinstance(result, Article):
        fate = Fate("article", article=result, counts=["pages/article"])
        for key, message in reading_counts(result):
            fate.counts.append(key)
            if message:
                fate.logs.append((INFO, message))
        return fate
    if isinstance(result, NotArticle):
        reason = result.reason
        # Unreadable bytes at an article URL (empty, binary, truncated) are worth a warning.
        level = WARNING if reason == "not_html" else INFO
        return Fate(
            "dropped",
            reason=reason,
            # an article URL refused on purpose is also a health figure (refused/<reason>)
            counts=[f"dropped/{reason}", *([f"refused/{reason}"] if reason in REMEMBERED_DROPS else [])],
            logs=[(level, f"{url}: no article ({result})")],
            remember=reason if reason in REMEMBERED_DROPS else None,
        )
    return Fate(
        "error",
        reason="extraction",
        counts=["errors/extraction"],
        logs=[(ERROR, f"{url}: extraction failed: {type(result).__name__}: {result}")],
    )


def reading_counts(article: Article) -> list[tuple[str, str | None]]:
    """What a page's reading counts (keys below ``clippings/<site>/``), each with a line to
    log at INFO or None: where each field came from, the embedded story's status, a short body,
    a template read whole."""
    counts: list[tuple[str, str | None]] = [
        (f"source/{name}/{source}", None) for name, source in article.provenance.items()
    ]
    if article.story:
        counts.append((f"story/{article.story}", None))
    if article.body_short:
        counts.append(("body/short", f"{article.url}: the body is much shorter than the page's other evidence of it"))
    if article.provenance.get("body") == "page":
        # Not a template the site module or the crawl knows: slower, maybe a new layout.
        counts.append(("pages/unknown_template", None))
    return counts
