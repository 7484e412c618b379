"""An article written as text runs between blocks (no ``<p>``: text and its inline elements
cut by ``<br>``s, or by empty ``<span>``s the stylesheet draws as line breaks, between image
and advertisement ``<div>``s) weighs where the article block is looked for, and each run is
read as a paragraph of its own, the text after an advertisement's ``<div>`` included. Pages
built here, read as le360 reads a page of a template it does not know."""

from __future__ import annotations

import lxml.html

from clippings.core.page import Page, ReadingContext
from clippings.extract import read_article
from clippings.extract.block import article_block, block_copy
from clippings.extract.main_block import _block_weights
from clippings.extract.runs import loose_runs
from clippings.sites import get_site
from tests.helpers.pages import le360_url

SITE = get_site("le360")
URL = le360_url("port-tanger-lignes")

RUNS = [
    "TANGER : le port de Tanger Med a traité cette année un volume record de conteneurs, selon son autorité.",
    "Les quais du terminal 4, ouverts au printemps, ont absorbé à eux seuls le tiers de la hausse annoncée.",
    "Un record de conteneurs",
    "Les armateurs asiatiques y font désormais escale deux fois par semaine, contre une seule l'an passé.",
    "Les élus de la région demandent que la voie ferrée vers Kénitra soit doublée avant la fin de la décennie.",
    "Le rapport sera présenté mardi devant le conseil régional, qui votera son budget le même jour.",
]
BREAK = "<span class='lz-br'></span>"
STORY = (
    "<div class='lz-story'><div class='lz-media'><img src='/port.jpg' alt=''></div>"
    f"{RUNS[0]}{BREAK}{RUNS[1]}{BREAK}<div class='lz-photo'><img src='/quai.jpg' alt=''></div>{BREAK}"
    f"<span class='lz-strong'>{RUNS[2]}</span>{BREAK}{BREAK}{RUNS[3]}"
    f"<div class='lz-ad'><div id='lz-slot'></div></div>{BREAK}{RUNS[4]}<br>{RUNS[5]}<br></div>"
)
SIDE = (
    "<aside class='lz-side'><p>À lire aussi : le port de Nador ouvrira son premier terminal à conteneurs en 2027.</p>"
    "<p>À lire aussi : la gare de Tanger Ville accueillera deux nouveaux quais pour le train à grande vitesse.</p>"
    "</aside>"
)


def page(body: str) -> bytes:
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le port de Tanger</title>'
        '<meta property="og:type" content="article"></head><body class="lz-layout">'
        f"<h1>Le port de Tanger</h1><div class='lz-main'>{body}</div></body></html>"
    ).encode()


def test_text_runs_weigh_as_paragraphs_of_their_element():
    root = lxml.html.fromstring(page(STORY + SIDE))
    block = article_block(_block_weights(root))
    # The teasers' <p>s are the page's only paragraphs; the runs outweigh them.
    assert block is not None and block.get("class") == "lz-story"


def test_each_run_is_a_paragraph_of_the_body_the_text_after_the_advertisement_included():
    article = read_article(Page(URL, page(STORY + SIDE)), ReadingContext(SITE))
    assert article.provenance["body"] == "page"
    assert article.body.split("\n\n") == RUNS


def test_the_body_is_a_function_of_the_element_a_learned_container_selecting_it_agrees():
    alone = read_article(Page(URL, page(STORY + SIDE)), ReadingContext(SITE))
    assert alone.container_hint is not None and "lz-story" in alone.container_hint[1]
    learned = read_article(Page(URL, page(STORY + SIDE)), ReadingContext(SITE, (alone.container_hint,)))
    assert learned.provenance["body"] == "learned"
    assert learned.body == alone.body
    # The copy read is the same whatever the page around the element.
    other = lxml.html.fromstring(page(f"<div class='lz-other'>{SIDE}</div>{STORY}"))
    story = other.find_class("lz-story")[0]
    first = lxml.html.fromstring(page(STORY + SIDE)).find_class("lz-story")[0]
    assert lxml.html.tostring(block_copy(story)) == lxml.html.tostring(block_copy(first))


def test_words_run_together_stay_one_line_and_spaced_empty_elements_cut_nothing():
    html = (
        "<div><div class='lz-media'></div>Le port a publié son rap<!-- -->port annuel mardi matin, "
        "un document de <i class='lz-icon'></i> quarante pages.<span></span>"
        "<span>Le conseil régional en débattra jeudi après-midi.</span></div>"
    )
    runs = [text for text, _ in loose_runs(lxml.html.fragment_fromstring(html))]
    # A comment joins a word's halves; an empty element with spaces around it is no break;
    # between two words with no space it is one.
    assert runs == [
        "Le port a publié son rapport annuel mardi matin, un document de  quarante pages.",
        "Le conseil régional en débattra jeudi après-midi.",
    ]


def test_an_element_of_paragraphs_alone_has_no_loose_runs():
    element = lxml.html.fragment_fromstring(f"<div>\n<p>{RUNS[0]}</p>\n<p>{RUNS[1]}</p>\n</div>")
    assert list(loose_runs(element)) == []
