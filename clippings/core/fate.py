"""A page's fate, decided in one place for every engine. Imports no Scrapy.

A page at an article URL, once read (``clippings.extract.read_article``, in the crawl's
process, in a worker, or in ``clippings reextract``), is an article, a drop or an error.
``decide`` turns the reading's result into that verdict: the article, or the drop with its
reason; what to count (keys below ``clippings/<site>/``); what to log; the drop the
state remembers, so that later crawls do not fetch the page again; and the doubt on an
article written as it came (a page cut inside its article, an article nothing on its page
vouches for: ``clippings.extract.truncation``), which the state marks for the next run to
fetch again, whole. The crawl's spider
(``clippings.crawl.spider``) and ``clippings reextract`` (``clippings.reextract.task``) both
act on it, so that they count, log and remember alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from clippings.core.finish import REMEMBERED_DROPS
from clippings.core.items import Article, NotArticle

INFO, WARNING, ERROR = logging.INFO, logging.WARNING, logging.ERROR


@dataclass(frozen=True)
class Doubt:
    """Why an article read from its page may not be the page's whole article, though it is
    written: ``truncated`` (the server cut the page inside or before its article) or
    ``unvouched`` (a few sentences nothing on the page vouches for: maybe an error page
    answered with 200). ``reason`` says what was seen."""

    kind: str
    reason: str

    @property
    def key(self) -> str:
        """What it is counted as: the cut page is an error, the other a page figure."""
        return "errors/truncated" if self.kind == "truncated" else "pages/unvouched"

    def message(self, url: str) -> str:
        if self.kind == "truncated":
            return f"{url}: cut by the server: {self.reason}; written as it came, fetched again by the next run"
        return (
            f"{url}: nothing on the page vouches for an article ({self.reason}); written, fetched again by the next run"
        )


@dataclass
class Fate:
    """``kind`` is ``article`` (``article`` set), ``dropped`` (``reason`` set) or ``error``."""

    kind: str
    article: Article | None = None
    reason: str | None = None
    counts: list[str] = field(default_factory=list)
    logs: list[tuple[int, str]] = field(default_factory=list)
    remember: str | None = None  # a drop the state keeps
    # An article written as it came, in doubt: counted, named in a WARNING line, learned
    # nothing from, recorded without validators and fetched again by the next run.
    doubt: Doubt | None = None

    def named(self, key: str) -> bool:
        """Whether the count ``key`` keeps the page's URL as an example (run history)."""
        return self.kind != "article" or (self.doubt is not None and key == self.doubt.key)


def decide(url: str, result: Article | BaseException, doubt: Doubt | None = None) -> Fate:
    """The fate of the page at ``url`` from its reading: the article read, or the exception
    the reading raised (``NotArticle``: the page holds none; anything else: a failure, which
    never stops a run). ``doubt``: what the page says against the article read from it
    (``clippings.extract.truncation.doubt``)."""
    if isinstance(result, Article):
        fate = Fate("article", article=result, counts=["pages/article"], doubt=doubt)
        for key, message in reading_counts(result):
            fate.counts.append(key)
            if message:
                fate.logs.append((INFO, message))
        if doubt is not None:
            fate.counts.append(doubt.key)
            fate.logs.append((WARNING, doubt.message(url)))
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
