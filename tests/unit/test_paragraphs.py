"""A page's paragraphs are measured once (``main_block.Paragraphs``): the weights, the main
block and its words read from that one measure are what measuring each again gives, for
every element, loose text runs included, in elements ``runs.holders`` looks at and in others."""

from __future__ import annotations

import lxml.html

from clippings.extract.main_block import Paragraphs, block_words, paragraph_text
from clippings.extract.runs import HOLDER_TAGS, run_paragraphs

LONG = "Le conseil régional a voté mardi le budget du port, après trois heures de débat public."
OTHER = "Les armateurs y font désormais escale deux fois par semaine, contre une seule l'an passé."
PAGE = (
    "<html><body><div class='main'>"
    f"<p>{LONG}</p><div>{OTHER}</div><p><a href='/x'>{LONG}</a></p><p>court</p>"
    # Loose runs in a holder (a <div>) and in elements no holder search looks at (<li>, <blockquote>).
    f"<div class='runs'>{LONG}<br>{OTHER}<div class='ad'></div>{LONG}</div>"
    f"<ul><li>{OTHER}<div class='box'><p>{LONG}</p></div>{LONG}</li></ul>"
    f"<blockquote>{LONG}<p>{OTHER}</p>{OTHER}</blockquote>"
    f"<span>{OTHER}<div><p>{LONG}</p></div></span>"
    "</div><aside><p>" + LONG + "</p><script>var x = 1;</script></aside></body></html>"
)


def test_the_words_of_every_element_are_its_block_words_measured_again():
    root = lxml.html.fromstring(PAGE)
    measured = Paragraphs(root)
    elements = list(root.iter())
    assert any(e.tag not in HOLDER_TAGS and run_paragraphs(e) for e in elements)  # the page shows both cases
    assert any(e.tag in HOLDER_TAGS and run_paragraphs(e) for e in elements)
    for element in elements:
        assert measured.words(element) == block_words(element), lxml.html.tostring(element)[:80]


def test_the_children_texts_are_the_paragraph_texts_of_each_element_in_order():
    root = lxml.html.fromstring(PAGE)
    measured = Paragraphs(root)
    for element in root.iter():
        texts = [t for t in (paragraph_text(c) for c in element if isinstance(c.tag, str)) if t]
        assert measured.children.get(element, []) == texts
    main = root.find_class("main")[0]
    assert measured.children[main] == [LONG, OTHER]  # the linked line and the short one are none


def test_weights_count_children_then_runs_in_document_order():
    root = lxml.html.fromstring(PAGE)
    weight = Paragraphs(root).weights()
    main, runs = root.find_class("main")[0], root.find_class("runs")[0]
    assert weight[main] == len(LONG) + len(OTHER)
    assert weight[runs] == 2 * len(LONG) + len(OTHER)
    assert next(iter(weight)) is main  # the first parent met first: ties go to it, as ever
