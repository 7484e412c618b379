"""A page is refused only on positive evidence: og:type is a hint, a missing </html> is no
truncation. Every page here is built by the test, read as le360 reads a page of a template it
does not know."""

from __future__ import annotations

import json

import lxml.html
import pytest

from clippings.core.items import NotArticle
from clippings.core.page import Page, ReadingContext
from clippings.extract import read_article
from clippings.extract.evidence import glued, holds_two_articles, repeats_itself
from clippings.extract.main_block import main_block
from clippings.sites import get_site
from tests.helpers.pages import le360_url

SITE = get_site("le360")
SENTENCE = (
    "Le conseil municipal a adopté mardi soir un budget de rénovation des écoles du quartier, "
    "après trois heures de débat et un vote serré entre la majorité et l'opposition. "
)


def page(og_type: str, head: str = "", body: str = "", end: str = "</body></html>") -> bytes:
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Budget des écoles</title>'
        f'<meta property="og:type" content="{og_type}">{head}</head><body>'
        f"<header><nav><a href='/'>Accueil</a> <a href='/monde/'>Monde</a></nav></header>"
        f"<h1>Budget des écoles</h1>{body}<footer><p>Tous droits réservés.</p></footer>{end}"
    ).encode()


def paragraphs(n: int) -> str:
    return "".join(f"<p>{n}. {SENTENCE * 2}</p>" for n in range(n))


ARTICLE_LD = json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, {"@type": "BlogPosting"}]})


@pytest.mark.parametrize(
    ("og_type", "head", "body"),
    [
        # microdata Article on the article's wrapper, og:type website
        ("website", "", f'<div itemscope itemtype="https://schema.org/Article"><div>{paragraphs(2)}</div></div>'),
        # RDFa typeof schema:NewsArticle
        ("website", "", f'<div vocab="https://schema.org/" typeof="NewsArticle">{paragraphs(2)}</div>'),
        # JSON-LD BlogPosting inside a @graph
        ("website", f'<script type="application/ld+json">{ARTICLE_LD}</script>', paragraphs(2)),
        # an <article> of article size, its paragraphs in several blocks
        ("website", "", "<article>" + "".join(f"<section>{paragraphs(2)}</section>" for _ in range(4)) + "</article>"),
        # a text article that embeds a video: og:type video.other, JSON-LD NewsArticle
        ("video.other", f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle"})}</script>',
         paragraphs(4)),
    ],
    ids=["microdata", "rdfa", "jsonld-graph", "article-element", "video-with-article"],
)  # fmt: skip
def test_a_labelled_page_holding_an_article_is_read(og_type, head, body):
    article = read_article(Page(le360_url("budget-ecoles"), page(og_type, head, body)), ReadingContext(SITE))
    assert "rénovation des écoles" in article.body
    assert article.body.count("rénovation des écoles") >= 4


@pytest.mark.parametrize(("og_type", "reason"), [("website", "not_article"), ("video.other", "video")])
def test_a_labelled_page_holding_no_article_is_refused(og_type, reason):
    body = "<div><p>Regardez la vidéo de la séance du conseil municipal.</p></div>"
    with pytest.raises(NotArticle) as refused:
        read_article(Page(le360_url("seance-video"), page(og_type, body=body)), ReadingContext(SITE))
    assert refused.value.reason == reason
    assert "no article on the page" in str(refused.value)


@pytest.mark.parametrize("end", ["", "</body>", "<div class='ads'>"], ids=["no-end-tags", "no-html-end", "open-div"])
def test_a_page_without_closing_tags_is_not_truncated(end):
    article = read_article(
        Page(le360_url("budget-ecoles"), page("article", body=paragraphs(5), end=end)), ReadingContext(SITE)
    )
    assert article.body.count("rénovation des écoles") == 10


# --- evidence checked before it is trusted ---------------------------------------------------

TOPICS = ["les cantines", "les toitures", "le chauffage", "les cours", "les bibliothèques", "les gymnases",
          "les sanitaires", "les fenêtres"]  # fmt: skip
ARTICLE = [
    f"Pour {topic}, le conseil prévoit {n + 2} millions de dirhams cette année, a précisé l'adjoint "
    f"chargé de {topic} devant {n * 7 + 11} élus, avant un vote prévu au printemps numéro {n}."
    for n, topic in enumerate(TOPICS)
]


def ld_page(article_body: str, body: str) -> bytes:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Budget des écoles", "articleBody": article_body})
    return page("article", f'<script type="application/ld+json">{ld}</script>', body)


def test_an_article_body_holding_the_article_twice_does_not_outrank_the_page():
    visible = "<article><div class='text'>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</div></article>"
    doubled = "".join(ARTICLE) + "".join(ARTICLE)  # twice, its paragraphs glued together
    assert repeats_itself([doubled])
    article = read_article(Page(le360_url("budget-ecoles"), ld_page(doubled, visible)), ReadingContext(SITE))
    assert article.body.split("\n\n") == ARTICLE
    assert article.provenance["body"] == "page"


def test_words_running_together_much_more_than_the_pages_are_found():
    page_text = " ".join(ARTICLE)
    assert not glued(ARTICLE, page_text)
    assert glued(
        [page_text.replace(", ", ",").replace(" de ", "de").replace(" la ", "la").replace(" et ", "et")], page_text
    )
    assert not repeats_itself(ARTICLE)


def tree(body: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><body>{body}</body></html>")


def test_a_main_block_holding_a_second_article_is_found():
    first = "".join(f"<p>{p}</p>" for p in ARTICLE[:4])
    second = "".join(f"<p>{p}</p>" for p in ARTICLE[4:])
    headline = tree(f"<div id='feed'><h1>Budget</h1>{first}<h1>Une autre affaire</h1>{second}</div>")
    assert holds_two_articles(main_block(headline))
    articles = tree(f"<div id='feed'><article>{first}</article><article>{second}</article></div>")
    assert holds_two_articles(articles.find(".//div"))


def test_a_second_byline_with_a_date_followed_by_an_article_is_a_second_article():
    first = "".join(f"<p>{p}</p>" for p in ARTICLE[:4])
    second = "".join(f"<p>{p}</p>" for p in ARTICLE[4:])
    byline = "<div>Par <span itemprop='author'>Samira Benali</span>, le <time>3 mai 2026</time></div>"
    assert holds_two_articles(main_block(tree(f"<div id='feed'>{byline}{first}{byline}{second}</div>")))
    teaser = f"<div><a href='/x/'>Une autre affaire</a>{byline}<p>Une ligne de résumé.</p></div>"
    assert not holds_two_articles(main_block(tree(f"<div id='feed'>{byline}{first}{teaser}</div>")))


def test_teasers_and_a_single_article_are_one_article():
    text = "".join(f"<p>{p}</p>" for p in ARTICLE)
    teasers = "".join(f"<h2 itemprop='headline'>Titre {n}</h2><p>Une ligne de résumé.</p>" for n in range(4))
    assert not holds_two_articles(main_block(tree(f"<div><h1>Budget</h1>{text}{teasers}</div>")))
    assert not holds_two_articles(main_block(tree(f"<article><h1>Budget</h1>{text}</article>")))
