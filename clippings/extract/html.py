"""Decoding and parsing of HTML pages, and small text helpers shared by the extractors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

import lxml.etree
import lxml.html
from w3lib.encoding import html_to_unicode

# Pages larger than this are cut before parsing: no article needs more, and a hostile
# multi-megabyte page must not cost the crawl its memory.
MAX_HTML_CHARS = 3_000_000

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TATWEEL = "\u0640"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff\xad"))

_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)

# Elements whose text a reader sees as a block of its own.
BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 figcaption blockquote td th dd dt section article header "
    "footer aside main nav address pre ul ol table tr form label button".split()
)
INVISIBLE_TAGS = frozenset("script style noscript template svg iframe head".split())


class NotHTML(ValueError):
    """The bytes are not an HTML document we can read."""


def header_value(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    lname = name.lower()
    for key, value in headers.items():
        if key.lower() == lname:
            return value
    return None


def decode_html(body: bytes, content_type: str | None) -> str:
    """Text of a page: the HTTP charset first, then the page's own declaration.

    A charset that lies (UTF-8 declared, windows-1256 served) shows as replacement
    characters; the page's own declaration is then tried before giving up.
    """
    if not body or not body.strip():
        raise NotHTML("empty body")
    head = body[:1024].lstrip()
    if head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")):
        raise NotHTML("binary content labelled as HTML")
    if body[:4096].count(b"\x00") > 16:
        raise NotHTML("binary content (NUL bytes) labelled as HTML")
    _, text = html_to_unicode(content_type, body)
    if content_type and text.count("\ufffd") > 20:
        _, retry = html_to_unicode(None, body)
        if retry.count("\ufffd") < text.count("\ufffd"):
            text = retry
    return text


def parse_html(text: str) -> lxml.html.HtmlElement:
    """An lxml tree of the page, comments and processing instructions dropped."""
    text = _XML_DECL.sub("", text[:MAX_HTML_CHARS], count=1)
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotHTML(f"unparseable HTML: {exc}") from None
    if root is None:
        raise NotHTML("unparseable HTML")
    return root


def fold(text: str | None) -> str:
    """Whitespace folded, tatweel and invisible marks removed, NFC: the form we compare."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace(_TATWEEL, "")
    return _SPACES.sub(" ", text).strip()


def marker_key(text: str | None) -> str:
    """A looser form for comparing headings with markers: case and trailing colons ignored."""
    return fold(text).rstrip(" :：").casefold()


def text_of(element: lxml.html.HtmlElement) -> str:
    return fold(element.text_content())


def leaf_blocks(root: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, str]]:
    """Visible innermost blocks in document order, with their folded text.

    A byline such as ``<div>Par <a>La Rédaction</a></div>`` comes out as one line,
    which is how a reader sees it; scripts and styles never do.
    """
    body = root.find("body")
    if body is None:
        body = root
    not_leaf: set[lxml.html.HtmlElement] = set()
    blocks: list[lxml.html.HtmlElement] = []
    for el in body.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in INVISIBLE_TAGS:
            continue
        if tag in BLOCK_TAGS:
            blocks.append(el)
            for anc in el.iterancestors():
                if anc in not_leaf:
                    break
                not_leaf.add(anc)
    for el in blocks:
        if el in not_leaf or any(a.tag in INVISIBLE_TAGS for a in el.iterancestors()):
            continue
        text = text_of(el)
        if text:
            yield el, text
