"""Decoding and parsing of HTML pages: the bytes a page came as made into an lxml tree
(``read_html``), capped in size, with the characters an lxml tree refuses replaced."""

from __future__ import annotations

import re
from collections.abc import Mapping

import lxml.etree
import lxml.html
from w3lib.encoding import html_to_unicode

# Pages larger than this are cut before parsing: no article needs more, and a hostile
# multi-megabyte page must not cost the crawl its memory.
MAX_HTML_CHARS = 3_000_000
# Elements kept of a parsed page (document order): trafilatura's time grows faster than
# linearly with the element count (40,000 cost 5 s, 90,000 30 s), and real article pages
# have a few thousand.
MAX_ELEMENTS = 20_000

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Characters an lxml tree accepts from the parser but refuses when the text is set again
# (pruning moves tails): C0 controls other than tab and newlines, U+FFFE, U+FFFF, surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The C0 controls of ``_NOT_XML``, as UTF-8 bytes: each is its own byte there, and no byte of a
# longer sequence is below 0x80.
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_UTF8_BOM = b"\xef\xbb\xbf"


def _parser(encoding: str | None = None) -> lxml.html.HTMLParser:
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, encoding=encoding)
    # Every element an ``HtmlElement``, its class chosen in C: lxml.html's own lookup is a Python
    # method run each time Python (ours or trafilatura's) touches an element, to give forms and
    # inputs classes of their own that nothing here uses.
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_PARSER = _parser()
# The same parser for a page's UTF-8 bytes: libxml2 reads them as they are, where a Python
# string is first converted to the encoding of its own storage (two or four bytes a character
# for a page in Arabic). A declaration on the page (a meta charset) does not override it.
_UTF8_PARSER = _parser("utf-8")


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


def read_html(body: bytes, content_type: str | None) -> lxml.html.HtmlElement:
    """``parse_html(decode_html(body, content_type))``; the bytes of a page in UTF-8 (most
    are) are what is looked at for the characters XML refuses, not its text encoded again."""
    text, utf8 = _decode(body, content_type)
    if utf8 and len(body) <= MAX_HTML_CHARS and not _XML_DECL.match(text) and _xml_compatible(text, body):
        # The tree ``parse_html(text)`` gives, parsed from the bytes the text was decoded from:
        # nothing to cut, no declaration to drop, no character to replace.
        return _parsed(body[3:] if body.startswith(_UTF8_BOM) else body, body.count(b"<"))
    return parse_html(text, body if utf8 else None)


def decode_html(body: bytes, content_type: str | None) -> str:
    """Text of a page: the HTTP charset first, then the page's own declaration.

    A charset that lies (UTF-8 declared, windows-1256 served) shows as replacement
    characters; the page's own declaration is then tried before giving up.
    """
    return _decode(body, content_type)[0]


def _decode(body: bytes, content_type: str | None) -> tuple[str, bool]:
    """(text, whether it is the UTF-8 decoding of ``body``): see ``decode_html``."""
    if not body or not body.strip():
        raise NotHTML("empty body")
    head = body[:1024].lstrip()
    if head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")):
        raise NotHTML("binary content labelled as HTML")
    if body[:4096].count(b"\x00") > 16:
        raise NotHTML("binary content (NUL bytes) labelled as HTML")
    if not body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 byte-order marks
        try:
            # Valid UTF-8 with non-ASCII bytes is UTF-8, whatever the labels say
            # (a windows-1256 or latin-1 label on it would give mojibake).
            return body.decode("utf-8-sig"), True
        except UnicodeDecodeError:
            pass
    _, text = html_to_unicode(content_type, body)
    if text.count("\ufffd") > 20:
        _, retry = html_to_unicode(None, body)
        if retry.count("\ufffd") < text.count("\ufffd"):
            text = retry
    if text.count("\ufffd") > 20:
        # Not UTF-8, though both labels say so: windows-1256, the legacy encoding of
        # Moroccan sites, holds Arabic letters and the French accented ones alike.
        text = body.decode("cp1256", "replace")
    return text, False


def parse_html(text: str, utf8: bytes | None = None) -> lxml.html.HtmlElement:
    """An lxml tree of the page, comments and processing instructions dropped. ``utf8``:
    the page's bytes, when ``text`` is their UTF-8 decoding."""
    text = _XML_DECL.sub("", text[:MAX_HTML_CHARS], count=1)
    if not _xml_compatible(text, utf8):
        text = _NOT_XML.sub(" ", text)
    return _parsed(text, text.count("<"))


def _parsed(markup: str | bytes, tags: int) -> lxml.html.HtmlElement:
    """The tree of ``markup`` (a string, or UTF-8 bytes), cut to ``MAX_ELEMENTS`` elements;
    ``tags``: the "<" it holds."""
    try:
        root = lxml.html.document_fromstring(markup, parser=_PARSER if isinstance(markup, str) else _UTF8_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotHTML(f"unparseable HTML: {exc}") from None
    if root is None:
        raise NotHTML("unparseable HTML")
    if 2 * tags + 4 >= MAX_ELEMENTS:
        # Every element the parser makes opens at a "<", but the html, head and body it adds
        # and a paragraph around text it finds loose (one at most a tag): fewer "<" than this
        # and the page has fewer elements than the cap, with no need to walk the tree.
        _keep_first_elements(root, MAX_ELEMENTS)
    return root


def _xml_compatible(text: str, utf8: bytes | None = None) -> bool:
    """Whether ``text`` holds none of ``_NOT_XML``'s characters, known in C passes rather than
    the regex's scan (a page has none, as a rule): a surrogate cannot be encoded as UTF-8, a
    C0 control is a byte of its own in UTF-8, and U+FFFE and U+FFFF are looked for. ``utf8``:
    bytes ``text`` was decoded from as UTF-8, whole or in part (then it holds no surrogate, and
    a control in the text is one in them too: a False may only send the text to the regex)."""
    data = utf8
    if data is None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return len(data.translate(None, _C0_BYTES)) == len(data) and "\ufffe" not in text and "\uffff" not in text


def new_document() -> lxml.html.HtmlElement:
    """An empty page (``<html><body>``), whose elements are of the same classes as a parsed
    page's."""
    return lxml.html.document_fromstring("<html><body></body></html>", parser=_PARSER)


def _keep_first_elements(root: lxml.html.HtmlElement, limit: int) -> None:
    """Cut the tree after its ``limit``-th element in document order (in place)."""
    last = None
    for count, element in enumerate(root.iter(), start=1):
        if count == limit:
            last = element
            break
    if last is None:
        return
    for child in list(last):
        last.remove(child)
    node = last
    while (parent := node.getparent()) is not None:
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        node = parent
