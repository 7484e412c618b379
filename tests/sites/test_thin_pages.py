"""A page whose only text is a few words of page furniture is no article, wherever its bytes
came from: a server's error page answered with 200, or a page the server cut before its
article. It is dropped as having no body (tried again next run), never written as an article
of five words. A short text is kept when something vouches for it: the page's own story or
``articleBody``, the site's own article container, or a date."""

from __future__ import annotations

import json

import pytest

from clippings import extract_page
from clippings.extract import THIN_BODY_WORDS, NotArticle

URL = "https://fr.le360.ma/politique/le-rail-avance_6VUZYMXQWNCSXNQ7TRBFVQKIDI/"
AMT = "https://www.almaghribtoday.net/1225/61904-%D8%AF%D8%B1%D8%A7%D8%B3%D8%A9"


def _page(body: str, head: str = "", title: str = "Service indisponible") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "body",
    [
        "<h1>Service indisponible</h1><p>Veuillez réessayer plus tard.</p>",
        '<a href="#main">Aller au contenu principal</a><header><h1>Le rail avance</h1></header>',
        "<h1>Erreur</h1><div>Une erreur est survenue. Merci de revenir dans quelques minutes.</div>",
    ],
)
def test_a_page_of_a_few_words_of_furniture_is_dropped_as_having_no_body(body):
    with pytest.raises(NotArticle) as dropped:
        extract_page(_page(body), URL)
    assert dropped.value.reason == "empty_body"
    assert "words of page text" in str(dropped.value)


def test_an_arabic_error_page_is_dropped_too():
    body = "<h1>الخدمة غير متوفرة</h1><p>يرجى المحاولة لاحقا</p>"
    with pytest.raises(NotArticle) as dropped:
        extract_page(_page(body, title="خطأ"), AMT)
    assert dropped.value.reason == "empty_body"


def test_a_short_article_the_page_declares_is_kept():
    text = "Le train à grande vitesse reliera Rabat à Agadir en 2030, annonce l'ONCF."
    assert len(text.split()) < THIN_BODY_WORDS
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Le rail avance",
          "articleBody": text, "datePublished": "2025-09-09T18:36:00+01:00"}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    record = extract_page(_page(f"<h1>Le rail avance</h1><p>{text}</p>", head, "Le rail avance"), URL)
    assert record["body"] == text


def test_a_page_of_enough_words_is_an_article_whatever_it_declares():
    text = " ".join(["Le train à grande vitesse reliera Rabat à Agadir en 2030, annonce l'ONCF."] * 2)
    assert len(text.split()) >= THIN_BODY_WORDS
    record = extract_page(_page(f"<h1>Le rail avance</h1><p>{text}</p>", title="Le rail avance"), URL)
    assert record["body"] == text


def test_a_short_article_in_the_sites_own_container_is_kept():
    text = "عاجل: وزير الخارجية يستقبل نظيره الروسي في الرباط"
    assert len(text.split()) < THIN_BODY_WORDS
    page = _page(f'<h1>وزير الخارجية يستقبل نظيره الروسي</h1><div id="NewsStory"><p>{text}</p></div>', title="خبر")
    assert extract_page(page, AMT)["body"] == text


def test_a_short_text_on_a_dated_page_is_kept():
    text = "Le train à grande vitesse reliera Rabat à Agadir en 2030, annonce l'ONCF."
    head = '<meta property="article:published_time" content="2025-09-09T18:36:00+01:00">'
    record = extract_page(_page(f"<h1>Le rail avance</h1><p>{text}</p>", head, "Le rail avance"), URL)
    assert record["body"] == text
