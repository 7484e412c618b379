"""A page no known container reads is read from its article block alone, and a learned
container is checked against that reading: the very element gives the body by construction,
another element is read and compared to the character. Pages built here, read as le360 reads
a page of a template it does not know."""

from __future__ import annotations

import lxml.html

from clippings.core.page import Page, ReadingContext
from clippings.extract import containers, read_article
from clippings.extract.block import article_block
from clippings.extract.main_block import _block_weights
from clippings.sites import get_site
from tests.helpers.pages import le360_url, unknown_page

SITE = get_site("le360")
URL = le360_url("port-tanger")


def sentence(n: int) -> str:
    return (
        f"Phrase {n} : le port de Tanger Med a traité cette année un volume record de conteneurs, "
        "selon le rapport que son autorité a publié mardi devant les élus de la région."
    )


def paragraphs(start: int, count: int) -> str:
    return "".join(f"<p>{sentence(n)}</p>" for n in range(start, start + count))


def page(body: str) -> bytes:
    return unknown_page("Le port de Tanger", body, ' class="xqz-layout"')


def block_of(html: str) -> lxml.html.HtmlElement | None:
    return article_block(_block_weights(lxml.html.fromstring(html)))


def test_the_block_is_the_main_block_when_it_holds_most_of_the_paragraphs():
    block = block_of(
        f"<html><body><div id='a'>{paragraphs(0, 5)}</div><aside>{paragraphs(10, 2)}</aside></body></html>"
    )
    assert block.get("id") == "a"


def test_an_article_split_into_blocks_is_read_from_the_element_around_them():
    # Each section is smaller than the teasers' box, the sections together are most of the text.
    sections = "".join(f"<section>{paragraphs(n * 3, 3)}</section>" for n in range(3))
    block = block_of(f"<html><body><div id='story'>{sections}</div><aside>{paragraphs(20, 2)}</aside></body></html>")
    assert block.get("id") == "story"


def test_paragraphs_beside_the_block_take_the_element_around_it():
    # The article's opening, then the rest in a paywall's span: the span holds most of the text.
    html = f"<html><body><div id='story'>{paragraphs(0, 2)}<span>{paragraphs(2, 6)}</span></div></body></html>"
    assert block_of(html).get("id") == "story"
    # A line beside the block holding under a tenth of the text does not.
    line = "<p>Abonnez-vous à notre lettre d'information pour ne rien manquer.</p>"
    html = f"<html><body><div id='page'>{line}<div id='story'>{paragraphs(0, 8)}</div></div></body></html>"
    assert block_of(html).get("id") == "story"


def test_no_block_short_of_the_body_holding_most_of_the_text_means_the_whole_page():
    boxes = "".join(f"<div>{paragraphs(n * 10, 2)}</div>" for n in range(3))
    assert block_of(f"<html><body>{boxes}</body></html>") is None
    assert block_of("<html><body><p>Court.</p></body></html>") is None


def test_an_article_in_sections_of_a_body_class_is_read_whole():
    # Three sections of the class trafilatura takes for the article's frame, advertisements
    # between: the first is the page's main block, the three together most of the text.
    ad = "<div class='xqz-pub'><span>Publicité</span></div>"
    sections = [paragraphs(0, 4), paragraphs(4, 3), paragraphs(7, 2)]
    story = ad.join(f"<div class='article-body'>{s}</div>" for s in sections)
    article = read_article(Page(URL, page(f"<div class='xqz-story'>{story}</div>")), ReadingContext(SITE))
    assert article.provenance["body"] == "page"
    assert article.body.split("\n\n") == [sentence(n) for n in range(9)]


def teaser(n: int) -> str:
    """A teaser card: a picture, a headline and its blurb, all one link."""
    return (
        f"<li><a href='/societe/sujet-{n}'><div><img src='/{n}.jpg'><h3>Sujet {n} du jour</h3>"
        f"<p>{sentence(100 + n)} {sentence(200 + n)}</p></div></a></li>"
    )


def test_text_inside_a_link_weighs_nothing_where_the_block_is_looked_for():
    cards = "<ul class='xqz-more'>" + "".join(teaser(n) for n in range(4)) + "</ul>"
    html = page(f"<div class='xqz-story'>{paragraphs(0, 6)}</div>{cards}")
    assert block_of(html.decode()).get("class") == "xqz-story"
    article = read_article(Page(URL, html), ReadingContext(SITE))
    assert article.body.split("\n\n") == [sentence(n) for n in range(6)]


# A breaking-news line above the article, a photo's caption beside it: outside the block.
OUTSIDE = "<div class='xqz-breaking'><p>Dernière minute : un séisme ressenti dans le nord du pays ce matin.</p></div>"
ALSO = "<p>Une vue du port de Tanger Med au lever du jour, depuis la colline qui domine ses quais.</p>"
STORY = f"<div class='xqz-story'>{paragraphs(0, 6)}</div>"
ARTICLE = f"<div class='xqz-wrap'>{ALSO}{STORY}</div>"


def test_a_page_is_read_from_its_block_and_names_it_as_the_container_to_learn():
    article = read_article(Page(URL, page(OUTSIDE + ARTICLE)), ReadingContext(SITE))
    assert article.provenance["body"] == "page"
    assert article.body.split("\n\n") == [sentence(n) for n in range(6)]
    _template, xpath = article.container_hint
    assert "xqz-story" in xpath


def test_a_learned_container_selecting_the_block_gives_the_same_body():
    alone = read_article(Page(URL, page(OUTSIDE + ARTICLE)), ReadingContext(SITE))
    learned = read_article(Page(URL, page(OUTSIDE + ARTICLE)), ReadingContext(SITE, (alone.container_hint,)))
    assert learned.provenance["body"] == "learned"
    assert learned.learned_check == (alone.container_hint, True)
    assert learned.body == alone.body
    assert learned.container_hint is None  # nothing more to learn


def test_a_learned_container_selecting_another_element_is_compared_and_forgotten_when_it_differs():
    alone = read_article(Page(URL, page(OUTSIDE + ARTICLE)), ReadingContext(SITE))
    template = alone.container_hint[0]
    # The wrapper holds the caption: its reading is not the body.
    wrapper = (template, "//div[@class][contains(concat(' ', normalize-space(@class), ' '), ' xqz-wrap ')]")
    got = read_article(Page(URL, page(OUTSIDE + ARTICLE)), ReadingContext(SITE, (wrapper,)))
    assert got.body == alone.body
    assert got.provenance["body"] == "page"
    assert got.learned_check == (wrapper, False)


def test_a_learned_container_selecting_another_element_that_reads_the_same_is_kept():
    html = page(f"<div id='xqz-around'>{STORY}</div>")
    alone = read_article(Page(URL, html), ReadingContext(SITE))
    # Around the block, with nothing else in it: another element, the same reading.
    around = (alone.container_hint[0], "//*[@id='xqz-around']")
    got = read_article(Page(URL, html), ReadingContext(SITE, (around,)))
    assert got.body == alone.body
    assert got.provenance["body"] == "learned"
    assert got.learned_check == (around, True)


def test_agreeing_by_a_second_reading_names_the_block_to_learn_too():
    html = page(f"<div id='xqz-around'>{STORY}</div>")
    alone = read_article(Page(URL, html), ReadingContext(SITE))
    around = (alone.container_hint[0], "//*[@id='xqz-around']")
    got = read_article(Page(URL, html), ReadingContext(SITE, (around,)))
    # The block itself is named, so that later pages of the template are checked by identity.
    assert got.learned_check == (around, True)
    assert got.container_hint == alone.container_hint


def test_of_several_learned_containers_the_block_itself_is_checked_first(monkeypatch):
    html = page(f"<div id='xqz-around'>{STORY}</div>")
    alone = read_article(Page(URL, html), ReadingContext(SITE))
    around = (alone.container_hint[0], "//*[@id='xqz-around']")
    readings = []
    real = containers.read_tree
    monkeypatch.setattr(containers, "read_tree", lambda *a, **k: readings.append(a) or real(*a, **k))
    got = read_article(Page(URL, html), ReadingContext(SITE, (around, alone.container_hint)))
    assert got.body == alone.body
    assert got.provenance["body"] == "learned"
    assert got.learned_check == (alone.container_hint, True)
    assert got.container_hint is None
    assert readings == []  # checked by identity: no second reading
    read_article(Page(URL, html), ReadingContext(SITE, (around,)))
    assert len(readings) == 1  # the container around the block alone is read and compared


def test_no_container_is_learned_from_a_name_that_finds_more_than_the_block():
    # The block's class is also a teaser box's: its XPath would select both.
    teaser = "<div class='xqz-story'><p>Voir aussi : le port de Nador.</p></div>"
    article = read_article(Page(URL, page(ARTICLE + teaser)), ReadingContext(SITE))
    assert article.provenance["body"] == "page"
    assert article.container_hint is None
