"""``clippings.extract_page``: one page, read as the crawl reads it, into the line the crawl
would write. Imports no Scrapy.

The site is found from the URL (``clippings.sites.site_for_url``); the page is read
(``clippings.extract.read_article``) and finished with the crawl's own steps
(``clippings.core.finish``: dates in Morocco's civil time, derived fields, the schema check).
What the crawl would not write raises ``NotArticle`` with the reason it counts: a URL of no
site (``not_site``), a video page, a soft 404, a page that is not an article, one with no body
(``empty_body``), one the schema refuses (``invalid``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from clippings.core.finish import dates_step, schema_problem
from clippings.core.items import NotArticle
from clippings.core.normalize import derive
from clippings.core.page import Page, ReadingContext

__all__ = ["NotArticle", "extract_page"]


def _fetch_time(fetched_at: datetime | str | None, url: str) -> datetime:
    if fetched_at is None:
        return datetime.now(UTC)
    if isinstance(fetched_at, str):
        try:
            fetched_at = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{url}: fetched_at {fetched_at!r} is not an ISO 8601 instant") from None
    if fetched_at.tzinfo is None:
        raise ValueError(f"{url}: fetched_at {fetched_at.isoformat()} has no offset (give an aware datetime)")
    return fetched_at


def extract_page(
    html_or_bytes: str | bytes,
    url: str,
    *,
    fetched_at: datetime | str | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The line the crawl writes for the page at ``url``, as a dict (the output contract's
    fields, in order).

    ``html_or_bytes``: the response body as bytes (decoded as the crawl decodes it: the
    ``Content-Type`` header's charset, the page's own, or a guess), or as text already
    decoded. ``fetched_at``: when it was fetched (an aware datetime or an ISO 8601 string;
    default now), which the line records and the dates are checked against. ``headers``:
    the response headers, if kept. Raises ``NotArticle`` (``.reason``, ``.detail``) for a page
    the crawl would not write, ``ValueError`` for a ``fetched_at`` that is no instant.
    """
    from clippings.extract import read_article
    from clippings.sites import SITES, site_for_url

    site = site_for_url(url)
    if site is None:
        raise NotArticle("not_site", f"{url} belongs to none of the sites ({', '.join(sorted(SITES))})")
    given = dict(headers or {})
    if isinstance(html_or_bytes, str):
        given = {k: v for k, v in given.items() if k.lower() != "content-type"}
        given["Content-Type"] = "text/html; charset=utf-8"  # the text is encoded here, as UTF-8
        body = html_or_bytes.encode("utf-8")
    else:
        body = bytes(html_or_bytes)
    article = read_article(Page(url, body, given, _fetch_time(fetched_at, url)), ReadingContext(site))
    dates_step(article)
    derive(article)
    problem = schema_problem(article, SITES)
    if problem is not None:
        reason, message = problem
        raise NotArticle(reason, message)
    return article.to_record()
