"""The reading's shortcuts give what the long way gives: the test of a page's text for the
characters an lxml tree refuses (on its text, or on the bytes it was decoded from), and a
paragraph's text when the element holds text alone."""

from __future__ import annotations

import random

import lxml.etree
import lxml.html

from clippings.extract.document import (
    _NOT_XML,
    MAX_ELEMENTS,
    MAX_HTML_CHARS,
    _xml_compatible,
    decode_html,
    parse_html,
    read_html,
)
from clippings.extract.main_block import paragraph_text, visible_text


def test_the_xml_test_agrees_with_the_pattern_on_every_character():
    disagree = [c for c in range(0x110000) if _xml_compatible(chr(c)) != (_NOT_XML.search(chr(c)) is None)]
    assert disagree == []


def test_the_xml_test_agrees_with_the_pattern_on_mixed_texts():
    pieces = ["a", "é", "ع", "\x00", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x0e", "\x1f", "\x7f"]
    pieces += ["\ud7ff", "\ud800", "\udfff", "\ue000", "\ufffd", "\ufffe", "\uffff", "\U00010000"]
    rng = random.Random(5)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(20_000)]
    assert [t for t in texts if _xml_compatible(t) != (_NOT_XML.search(t) is None)] == []
    assert any(not _xml_compatible(t) for t in texts) and any(_xml_compatible(t) for t in texts)


def test_a_page_with_controls_and_surrogates_is_parsed_with_them_as_spaces():
    root = parse_html("<html><body><p>un\x0bdeux\ud800trois\ufffequatre</p></body></html>")
    assert root.findtext(".//p") == "un deux trois quatre"


def _pages() -> list[bytes]:
    page = "<html><body><h1>Fès</h1><p>un{}deux</p><p>المغرب</p></body></html>"
    far = " " * MAX_HTML_CHARS  # beyond the cut: a control there is never parsed
    return [
        page.format(" ").encode(),
        page.format("\x0b").encode(),  # a control: a space in the tree
        b"\xef\xbb\xbf" + page.format(" ").encode(),  # a byte-order mark
        page.format(" ").encode("cp1256"),  # not UTF-8: decoded otherwise, its text tested
        page.format("\x0b").encode("cp1256"),
        (page.format(" ") + far + "\x01").encode(),
        page.format("\ufffe").encode(),  # refused by XML, no control: looked for in the text
        ('<?xml version="1.0"?>' + page.format("\x1f")).encode(),
        # UTF-8 read from its bytes whatever the page declares
        page.replace("<html>", '<html><head><meta charset="windows-1256"></head>').format(" ").encode(),
        page.replace("<html>", '<html><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
        .format(" ")
        .encode(),
        page.format("<b>x</b>" * MAX_ELEMENTS).encode(),  # cut to the first elements
    ]


def test_a_page_read_from_its_bytes_is_the_page_its_text_gives():
    for body in _pages():
        long_way = parse_html(decode_html(body, "text/html; charset=windows-1256"))
        read = read_html(body, "text/html; charset=windows-1256")
        assert lxml.etree.tostring(read, encoding=str) == lxml.etree.tostring(long_way, encoding=str)
    assert read_html(_pages()[1], None).findtext(".//p") == "un deux"


def test_the_xml_test_on_bytes_agrees_with_the_test_on_their_text():
    for body in _pages():
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        cut = text[:MAX_HTML_CHARS]
        # The whole page's bytes for the cut text: False only where the pattern finds in the
        # text what the test looks for, or where the bytes hold a control the cut left out.
        assert _xml_compatible(cut, body) == (_NOT_XML.search(text) is None)
        assert _xml_compatible(cut) == (_NOT_XML.search(cut) is None)


def _long_way(element: lxml.html.HtmlElement) -> str | None:
    """``paragraph_text`` as it reads an element with children: its visible text, unless short
    or mostly links."""
    text = visible_text(element)
    if len(text) < 40:
        return None
    linked = sum(len(a.text_content()) for a in element.iter("a"))
    return None if linked > len(text) / 2 else text


def test_an_element_of_text_alone_reads_as_the_long_way_reads_it():
    long = "  Le conseil municipal a adopté mardi un budget de rénovation des écoles.  "
    root = lxml.html.fromstring(
        f"<div><p>{long}</p><div>{long}</div><p>Trop court.</p><p>{long}&amp; la suite</p><p></p></div>"
    )
    alone = [e for e in root.iter("p", "div") if len(e) == 0]
    assert len(alone) == 5
    assert [paragraph_text(e) for e in alone] == [_long_way(e) for e in alone]
    assert paragraph_text(alone[0]) == long.strip() and paragraph_text(alone[2]) is None


def test_a_comment_inside_makes_the_element_one_with_children():
    text = "Le conseil municipal a adopté mardi un budget de rénovation des écoles"
    element = lxml.html.fromstring(f"<p>{text[:30]}<!-- ad -->{text[30:]}</p>")
    assert len(element) == 1 and isinstance(element[0], lxml.etree._Comment)
    assert paragraph_text(element) == text
