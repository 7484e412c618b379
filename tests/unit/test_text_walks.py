"""The page walks the reading repeats on every element: the page's lines, a text as a reader
sees it, an element holding loose text. Their answers at the edges the fast paths take
(invisible elements holding blocks, blank text of Unicode spaces, ASCII text)."""

from __future__ import annotations

import lxml.html

from clippings.extract import html
from clippings.extract.document import parse_html
from clippings.extract.html import clean_text, leaf_elements, marker_key, text_of
from clippings.extract.runs import holds_loose_text, run_paragraphs

LONG = "A sentence long enough to weigh as a paragraph of the article."


def _ids(elements: list[lxml.html.HtmlElement]) -> list[str | None]:
    return [e.get("id") for e in elements]


def test_lines_skip_blocks_inside_invisible_elements() -> None:
    root = parse_html(
        "<html><head><title>t</title></head><body>"
        "<div id='a'><noscript><div id='hidden'>x</div></noscript><span>y</span></div>"
        "<svg><div id='in-svg'>q</div></svg>"
        "<div id='c'><p id='d'>one</p><script>var p = '<p>';</script><p id='e'>two</p></div>"
        "<p id='f'>three</p>"
        "</body></html>"
    )
    # A block whose only block inside is in a <noscript> is innermost itself; blocks inside
    # invisible elements are never lines; the rest in document order.
    assert _ids(leaf_elements(root)) == ["a", "d", "e", "f"]


def test_lines_of_nested_blocks_are_the_innermost() -> None:
    root = parse_html("<body><div id='o'><div id='m'><p id='i'>x</p></div><p id='j'>y</p></div><p id='k'>z</p></body>")
    assert _ids(leaf_elements(root)) == ["i", "j", "k"]


def test_lines_through_inline_elements_and_inside_blocks_hidden() -> None:
    root = parse_html(
        "<body><div id='o'><span><a><p id='i'>x</p></a></span></div>"
        "<noscript><div id='n'><span><p id='deep'>y</p></span></div></noscript>"
        "<div id='s'><b><script>z</script></b></div></body>"
    )
    # A block's nearest block may stand above inline elements; a block inside a hidden block
    # is hidden too, however deep.
    assert _ids(leaf_elements(root)) == ["i", "s"]
    # An element given in place of a page (no <body>) is never a line of its own.
    assert _ids(leaf_elements(lxml.html.fragment_fromstring("<div><p id='p'>x</p></div>"))) == ["p"]
    assert leaf_elements(lxml.html.fragment_fromstring("<div>x</div>")) == []


def test_fold_of_ascii_and_of_other_text() -> None:
    assert clean_text("  Rabat \t et\n Casablanca ") == "Rabat et Casablanca"
    assert clean_text("\xa0Fès\xa0") == "Fès"
    assert clean_text("e\u0301te\u0301") == "été"  # NFC
    assert clean_text("Mar\u200boc\xad") == "Maroc"  # invisible marks dropped
    assert clean_text(" \u200b ") == ""
    assert clean_text(None) == ""


def test_each_invisible_mark_is_dropped_alone_and_among_others() -> None:
    marks = "\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff\xad"
    for mark in marks:
        assert clean_text(f"Mar{mark}oc") == "Maroc", hex(ord(mark))
        assert (
            clean_text(f"\u0627\u0644{mark}\u0645\u063a\u0631\u0628 {mark}") == "\u0627\u0644\u0645\u063a\u0631\u0628"
        )
    assert clean_text(f"F\u00e8s{marks}Rabat{marks[::-1]}") == "F\u00e8sRabat"
    assert clean_text("Fès, l'été") == "Fès, l'été"  # no mark: the text as it is


def test_a_mark_between_spaces_leaves_one_space() -> None:
    # Marks are dropped before the whitespace is folded, whatever else the text holds.
    assert clean_text("F\u00e8s \u200b Rabat") == "F\u00e8s Rabat"
    assert clean_text("\ue000 F\u00e8s \ufeff\n Rabat") == "\ue000 F\u00e8s Rabat"  # a private-use icon
    assert clean_text("\ue000 F\u00e8s") == "\ue000 F\u00e8s"  # not printable, no mark


def test_invisible_marks_outlive_the_folding_and_are_not_printable() -> None:
    # ``clean_text`` takes a folded text that is all printable for one with no mark.
    for mark in html._INVISIBLE_MARKS:
        assert not mark.isspace() and not mark.isprintable(), hex(ord(mark))


def test_marker_key_ignores_tatweel_case_and_trailing_colons() -> None:
    assert marker_key("قد يهمك أيضــــــا :") == marker_key("قد يهمك أيضا") == "قد يهمك أيضا"
    assert marker_key("\u0640\u0640") == ""
    assert marker_key("  Lire AUSSI\u200b： ") == "lire aussi"
    assert marker_key(None) == ""


def test_text_of_keeps_side_by_side_pieces_apart_and_formatting_together() -> None:
    element = lxml.html.fromstring(
        "<div><span>Hicham</span><span>Le 09/09/2025</span> <b>Rab</b>at<script>x()</script>!<p>fin</p></div>"
    )
    assert text_of(element) == "Hicham Le 09/09/2025 Rabat! fin"


def test_loose_text_beside_a_block() -> None:
    holds = [
        ("<div>Loose text<div>block</div></div>", True),
        ("<div><div>block</div>tail text</div>", True),
        ("<div><span>inline text</span><div>block</div></div>", True),
        ("<div>\xa0\u2003<div>block</div>\n</div>", False),  # Unicode spaces are blank
        ("<div><span><div>inline holding a block</div></span></div>", False),
        ("<div>text<span>inline</span></div>", False),  # no block beside it
        ("<div><script>var x;</script><div>block</div></div>", False),
    ]
    for markup, expected in holds:
        assert holds_loose_text(lxml.html.fromstring(markup)) is expected, markup


def test_run_paragraphs_of_an_element_with_and_without_loose_text() -> None:
    element = lxml.html.fromstring(f"<div>{LONG}<br>{LONG}<div>an image box</div>short</div>")
    assert run_paragraphs(element) == [LONG, LONG]
    assert run_paragraphs(lxml.html.fromstring(f"<div><p>{LONG}</p></div>")) == []
