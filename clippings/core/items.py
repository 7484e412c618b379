"""The one item definition: what a line of output holds.

The field order here is the order of keys in every JSON line. Fields whose metadata says
``internal`` travel between extraction and pipelines but are never written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA_VERSION = "2.0"


def _internal() -> Any:
    return field(default_factory=dict, metadata={"internal": True})


@dataclass(kw_only=True)
class Article:
    url: str
    site: str
    article_id: str
    title: str
    lead: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    published: str | None = None
    published_date: str | None = None
    modified: str | None = None
    body: str = ""
    word_count: int = 0
    image: dict[str, str | None] | None = None
    fetched_at: str = ""
    content_sha256: str = ""
    schema_version: str = SCHEMA_VERSION
    published_raw: str | None = None
    modified_raw: str | None = None
    # Raw date texts found on the page, best first: {"published": [...], "modified": [...]},
    # and the source of each (``date_sources``, same shape). The dates pipeline picks from
    # them and fills published, published_date, modified and their *_raw.
    date_candidates: dict[str, list[str]] = _internal()
    date_sources: dict[str, list[str]] = _internal()
    # Where each field came from: {"body": "ans", "authors": "jsonld", "section":
    # "rule:le360.section[1]", ...} (see ``clippings.extract.sources``).
    provenance: dict[str, str] = _internal()
    # The embedded story: "story" when the page carries a standard one, else why not
    # ("absent", "not_story", "not_json", "too_large"; see ``clippings.extract.ans``).
    story: str = field(default="", metadata={"internal": True})
    # The body is much shorter than the page's other evidence of it, even read again.
    body_short: bool = field(default=False, metadata={"internal": True})
    # (template, xpath) of the element that held a body read from the whole page.
    container_hint: tuple[str, str] | None = field(default=None, metadata={"internal": True})
    # ((template, xpath), agreed): a learned container's reading, equal to the body or not.
    learned_check: tuple[tuple[str, str], bool] | None = field(default=None, metadata={"internal": True})

    def to_record(self) -> dict[str, Any]:
        """The public JSON object: every non-internal field, in declaration order."""
        return {name: getattr(self, name) for name in OUTPUT_FIELDS}


OUTPUT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article) if not f.metadata.get("internal"))


class NotArticle(Exception):
    """The page is not an article (or not one we can read); ``reason`` is counted in stats.

    Raised by ``clippings.extract.read_article``; it lives here, beside ``Article``, so that a
    crawl reading its pages in worker processes need not import the extraction code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
