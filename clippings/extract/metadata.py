"""Structured metadata a page declares about itself: JSON-LD, OpenGraph and other metas."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import lxml.html

from clippings.extract.html import clean_text

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "Report",
    }
)


# \uXXXX escapes of UTF-16 surrogates: a pair is a character, a lone one cannot be written.
_SURROGATE_ESCAPES = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"  # a pair: kept
    r"|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"  # a lone one: U+FFFD
)


def _loads(raw: str) -> Any:
    raw = _SURROGATE_ESCAPES.sub(lambda m: m[0] if len(m[0]) == 12 else "\\ufffd", raw)
    return json.loads(raw, strict=False)


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk_jsonld(child)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _walk_jsonld(node["@graph"])


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    if isinstance(kind, str):
        return {kind}
    return {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def jsonld_article(root: lxml.html.HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD article object, or {} when it has none (or only broken JSON)."""
    for script in root.iterdescendants("script"):
        if script.get("type") != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = _loads(raw)
        except (ValueError, RecursionError):  # broken, or nested deeper than Python recurses
            continue
        for node in _walk_jsonld(data):
            if _types(node) & ARTICLE_TYPES:
                return node
    return {}


_LINES = re.compile(r"\s*\n\s*")


def article_body(article: dict[str, Any]) -> list[str]:
    """The JSON-LD ``articleBody`` as paragraphs (its own line breaks), [] when absent."""
    value = article.get("articleBody")
    if isinstance(value, list):
        value = " ".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str) or not value.strip():
        return []
    if "<" in value and ">" in value:  # some CMSs put the body's HTML there
        value = re.sub(r"(?i)</p\s*>|<br\s*/?>", "\n", value)
    return [t for t in (decoded(line) for line in _LINES.split(value.strip())) if t]


def metas(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Every <meta property|name|itemprop> value, keys lower-cased, in page order."""
    found: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content is not None and content.strip():
            found.setdefault(key.strip().lower(), []).append(content.strip())
    return found


_TAGS = re.compile(r"<[^>]*>")


def decoded(value: str) -> str:
    """A declared string as plain text: entities decoded (``&quot;`` is ``"``, also when a
    CMS encoded it twice), tags stripped, whitespace folded."""
    for _ in range(2):
        if "&" not in value:
            break
        value = html.unescape(value)
    if "<" in value and ">" in value:
        value = _TAGS.sub(" ", value)
    return clean_text(value)


def first_meta(found: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in found.get(key, ()):
            text = decoded(value)
            if text:
                return text
    return None


def link_href(root: lxml.html.HtmlElement, rel: str, base_url: str) -> str | None:
    for link in root.iter("link"):
        if (link.get("rel") or "").strip().lower() == rel and link.get("href"):
            try:
                return urljoin(base_url, link.get("href").strip())
            except ValueError:  # not a URL ("http://[::1")
                continue
    return None


def as_text(value: Any) -> str | None:
    """A JSON-LD value read as text: strings as they are, {"name": ...} by name."""
    if isinstance(value, str):
        return decoded(value) or None
    if isinstance(value, dict):
        return as_text(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return as_text(value[0])
    return None


def as_texts(value: Any) -> list[str]:
    """A JSON-LD value read as a list of texts (authors, keywords, sections)."""
    if value is None:
        return []
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(as_texts(item))
        return out
    text = as_text(value)
    return [text] if text else []


def jsonld_image(article: dict[str, Any]) -> tuple[str | None, str | None]:
    """(url, caption) of the JSON-LD article's first image."""
    image = article.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, str):
        return image, None
    if isinstance(image, dict):
        url = image.get("url") or image.get("contentUrl")
        caption = as_text(image.get("caption") or image.get("description"))
        return (url if isinstance(url, str) else None), caption
    return None, None
