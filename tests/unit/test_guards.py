"""No guard may delete the article. Pages built here, read as le360 reads a page of a
template it does not know: a prune rule whose class word matches the article's wrapper, inline
scripts that must not count as paragraph text, the title's element kept for re-reads."""

from __future__ import annotations

import json

import lxml.html

from clippings.core.page import Page, ReadingContext
from clippings.extract import read_article
from clippings.extract.main_block import holders_of_text, main_block
from clippings.sites import get_site
from tests.helpers.pages import le360_url, unknown_page

SITE = get_site("le360")
URL = le360_url("ecoles-budget")


def sentence(n: int) -> str:
    return (
        f"Phrase {n} : le conseil municipal a adopté mardi un budget de rénovation des écoles, "
        "après un long débat entre la majorité et l'opposition sur les priorités du quartier."
    )


def paragraphs(start: int, count: int) -> str:
    return "".join(f"<p>{sentence(n)} {sentence(n + 100)}</p>" for n in range(start, start + count))


def page(body: str) -> bytes:
    return unknown_page("Budget des écoles", body)


SCRIPTS = "".join(f'<span><script>window.cfg{n} = {{"data": "{"x" * 3000}"}};</script></span>' for n in range(4))


def test_inline_scripts_are_no_paragraph_text():
    root = lxml.html.fromstring(
        f"<html><body><div>{SCRIPTS}</div><main><div class='story'>{paragraphs(0, 3)}</div></main></body></html>"
    )
    assert main_block(root).get("class") == "story"


def test_a_prune_rule_never_removes_the_wrapper_of_the_article():
    # 12 kB of script in <span>s beside the article; its wrapper's class holds the prune word "social".
    body = (
        f'<div class="tracking">{SCRIPTS}</div><main class="container js-social-anchor-start">{paragraphs(0, 6)}</main>'
    )
    article = read_article(Page(URL, page(body)), ReadingContext(SITE))
    assert all(sentence(n) in article.body for n in range(6))


def test_a_prune_rule_never_removes_the_element_holding_most_of_the_text():
    # The article is split into three blocks inside a wrapper the rule matches; a teaser block
    # elsewhere is larger than any one of them (so it is the main block), not than all three.
    article_blocks = "".join(f"<section>{paragraphs(n * 3, 3)}</section>" for n in range(3))
    teasers = "".join(f"<p>{sentence(n)}</p>" for n in range(500, 509))
    html = f'<html><body><div class="share-wrapper">{article_blocks}</div><aside>{teasers}</aside></body></html>'
    root = lxml.html.fromstring(html)
    wrapper = root.find(".//div")
    assert main_block(root).tag == "aside"
    assert wrapper in holders_of_text(root)
    article = read_article(Page(URL, page(f'<div class="share-wrapper">{article_blocks}</div>')), ReadingContext(SITE))
    assert all(sentence(n) in article.body for n in range(9))


def test_the_title_is_left_out_of_the_body_by_its_text():
    article = read_article(Page(URL, page(f"<article>{paragraphs(0, 4)}</article>")), ReadingContext(SITE))
    assert article.title == "Budget des écoles"
    assert "Budget des écoles" not in article.body
    assert all(sentence(n) in article.body for n in range(4))


def test_a_short_reading_reaches_the_container_holding_many_times_its_words():
    # The article's block holds less than half of the page's paragraph text (three boxes of
    # teasers hold the rest), so the page is read whole; the whole-page readings leave out the
    # wrapper (a "comments" box, to trafilatura) and give the site's strapline alone; the block
    # holding the paragraphs, read alone, is the article.
    strapline = "<header><p>Le site des nouvelles du quartier, chaque jour, depuis vingt ans.</p></header>"
    teasers = "".join(f"<section><div>{paragraphs(n, 3)}</div></section>" for n in (20, 30, 40))
    article = read_article(
        Page(URL, page(f"{strapline}<div id='comments'><div>{paragraphs(0, 6)}</div></div><aside>{teasers}</aside>")),
        ReadingContext(SITE),
    )
    assert article.provenance["body"] == "container:main"
    assert all(sentence(n) in article.body for n in range(6))
    assert "strapline" not in article.body and "vingt ans" not in article.body
    assert not article.body_short


def test_a_page_of_an_unknown_template_is_read_from_its_article_block_alone():
    # The block holding the paragraphs is read alone: what is outside it (a strapline, a
    # "comments" wrapper that trafilatura would drop with the article in it) never reaches it.
    strapline = "<header><p>Le site des nouvelles du quartier, chaque jour, depuis vingt ans.</p></header>"
    article = read_article(
        Page(URL, page(f"{strapline}<div id='comments'><div>{paragraphs(0, 6)}</div></div>")), ReadingContext(SITE)
    )
    assert article.provenance["body"] == "page"
    assert article.body.split("\n\n") == [f"{sentence(n)} {sentence(n + 100)}" for n in range(6)]
    assert not article.body_short


def test_a_page_rendered_in_the_browser_is_read_from_the_html_its_script_holds():
    # No paragraph in the markup; the article is an HTML string (escaped) in the app's state.
    content = "".join(f"<p class='editor-p'>{sentence(n)}</p>" for n in range(5))
    state = json.dumps({"queries": [{"data": {"title": "Budget des écoles", "contentHtml": content}}]})
    state = state.replace("<", "\\u003c").replace(">", "\\u003e")
    body = f"<div id='app'><nav><a href='/'>Accueil</a></nav></div><script>window.__STATE__ = {state};</script>"
    article = read_article(Page(URL, page(body)), ReadingContext(SITE))
    assert article.provenance["body"] == "script"
    assert article.body.split("\n\n") == [sentence(n) for n in range(5)]
