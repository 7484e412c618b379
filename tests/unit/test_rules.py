"""Rules that hold on real pages, not only on ours: each test is a page built to show the
failure the rule once had (class substrings, ``<div>`` paragraphs, split containers, glued
inline texts, undecoded entities, tatweel)."""

from __future__ import annotations

import json

import lxml.html

from clippings.core.page import Page, ReadingContext
from clippings.extract import extract_article
from clippings.extract.xpaths import compiled, with_class_words
from clippings.sites import get_site
from clippings.sites.base import class_words

LE360 = get_site("le360")
ALMAGHRIB = get_site("almaghribtoday")
URL = "https://fr.le360.ma/societe/le-tramway-de-rabat-prolonge_ABCDEFGHIJKLMNOPQRSTUVWXYZ/"
AR_URL = "https://www.almaghribtoday.net/1187/151700-%D8%AA%D8%AC%D8%B1%D8%A8%D8%A9"
TEXTS = [
    "La société du tramway de Rabat-Salé a annoncé lundi le prolongement de sa ligne 2 vers Témara.",
    "Les travaux, d’un coût de 1,2 milliard de dirhams, doivent s’achever avant la fin de l’année 2027.",
    "Douze nouvelles stations desserviront les quartiers du sud, selon le communiqué de la société.",
]


def le360_page(main: str, head: str = "", before: str = "") -> bytes:
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Le tramway de Rabat prolongé | Le360</title>"
        f'<meta property="og:type" content="article">{head}</head><body>'
        '<nav class="b-header"><a href="/">Accueil</a><a href="/politique/">Politique</a></nav>'
        f"{before}<h1>Le tramway de Rabat prolongé</h1>{main}"
        '<footer class="b-footer"><p>© 2008 - 2026 Le360. Tous droits réservés.</p></footer>'
        "</body></html>"
    ).encode()


def read(body: bytes, site=LE360, url=URL):
    return extract_article(Page(url, body, {"Content-Type": "text/html; charset=utf-8"}), ReadingContext(site))


def test_class_words_match_whole_words_of_tokens_never_substrings():
    root = lxml.html.fromstring(
        '<div><p class="ad-leaderboard">a</p><p class="c-article__lead">b</p><p class="lead">c</p>'
        '<p class="b-most-read__list">d</p><p class="mostly-read">e</p></div>'
    )
    assert [e.text for e in compiled(f"//*[@class][{class_words('lead')}]")(root)] == ["b", "c"]
    assert [e.text for e in with_class_words(root, ("most-read",))] == ["d"]


def test_a_leaderboard_is_never_the_lead():
    leaderboard = (
        '<div class="ad-leaderboard"><a href="/politique/">Politique</a> <a href="/economie/">Économie</a>'
        ' <a href="/societe/">Société</a> <a href="/sport/">Sport</a></div>'
    )
    main = (
        '<p class="c-standfirst">Le chantier commence en mars.</p><div class="article-text">'
        + "".join(f"<p>{t}</p>" for t in TEXTS)
        + "</div>"
    )
    article = read(le360_page(main, before=leaderboard))
    assert article.lead == "Le chantier commence en mars."
    assert article.provenance["lead"] == "rule:le360.lead[1]"


def test_div_paragraphs_come_out_whole():
    main = '<div class="article-text">' + "".join(f'<div class="para">{t}</div>' for t in TEXTS) + "</div>"
    assert read(le360_page(main)).body.split("\n\n") == TEXTS


def test_a_rule_matching_sibling_paragraphs_reads_their_parent_and_keeps_the_headings():
    main = (
        '<div class="content">'
        f'<p class="article-text">{TEXTS[0]}</p><h2>Un chantier de deux ans</h2>'
        f'<p class="article-text">{TEXTS[1]}</p><h2>Douze stations</h2>'
        f'<p class="article-text">{TEXTS[2]}</p></div>'
    )
    article = read(le360_page(main))
    assert article.body.split("\n\n") == [TEXTS[0], "Un chantier de deux ans", TEXTS[1], "Douze stations", TEXTS[2]]
    assert article.provenance["body"] == "rule:le360.body[2]"


def test_adjacent_inline_texts_are_kept_apart():
    byline = '<div class="c-byline"><span class="c-author">Par Hicham Berrada</span><span class="c-date">Le 12/11/2025 à 10h05</span></div>'
    main = byline + '<div class="article-text">' + "".join(f"<p>{t}</p>" for t in TEXTS) + "</div>"
    article = read(le360_page(main))
    assert article.authors == ["Hicham Berrada"]
    assert article.published == "2025-11-12T10:05:00+01:00"
    assert article.body.split("\n\n") == TEXTS


def test_declared_strings_are_entity_decoded():
    ld = {
        "@type": "NewsArticle",
        "headline": "Le &quot;tram&quot; de Rabat &amp; Salé",
        "author": {"name": "Sa&#239;d Ben"},
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>' + (
        '<meta property="og:description" content="Le chantier &amp;amp; ses douze stations">'
    )
    main = '<div class="article-text">' + "".join(f"<p>{t}</p>" for t in TEXTS) + "</div>"
    article = read(le360_page(main, head=head))
    assert article.title == 'Le "tram" de Rabat & Salé'
    assert article.authors == ["Saïd Ben"]
    assert article.lead == "Le chantier & ses douze stations"


def test_a_wrapper_whose_class_matches_a_prune_word_keeps_the_article():
    """``share`` prunes share bars; a wrapper named ``article share-enabled`` holding the
    paragraphs is not one of them."""
    main = (
        '<div class="article share-enabled"><div class="c-share"><a>Facebook</a><a>X</a></div>'
        + "".join(f"<p>{t}</p>" for t in TEXTS)
        + "</div>"
    )
    assert read(le360_page(main)).body.split("\n\n") == TEXTS


def test_tatweel_is_kept_as_the_page_writes_it():
    texts = [
        "أعلنت وزارة الصحة عن إطلاق حملة جـديـدة للتلقيح في المدارس الابتدائية بمختلف جهات المملكة.",
        "وتستهدف الحملة أزيد من مليون تلميذ وتلميذة خلال الأسابيع المقبلة حسب بلاغ للوزارة.",
    ]
    html = (
        '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>حملة جديدة</title></head>'
        '<body><h1>حملة جـديـدة للتلقيح</h1><div id="NewsStory">'
        + "".join(f"<p>{t}</p>" for t in texts)
        + "<h3>قد يهمك أيضــــــــــــــا</h3><p>عنوان مقال آخر لا علاقة له بهذا الموضوع على الإطلاق هنا</p>"
        "</div></body></html>"
    ).encode("utf-8")
    article = read(html, ALMAGHRIB, AR_URL)
    assert article.title == "حملة جـديـدة للتلقيح"
    assert article.body.split("\n\n") == texts  # the stop marker, tatweel and all, ends the body


def test_a_box_set_inside_the_article_does_not_end_it():
    """A newsletter box between two paragraphs: its heading is a stop marker, but article
    text goes on after it, so only the box is left out."""
    long = [
        t + " Le projet mobilise aussi les communes voisines, qui financent une part des travaux." * 2 for t in TEXTS
    ]
    main = (
        '<div class="article-text">'
        f"<p>{long[0]}</p><h3>Newsletter</h3><p>Inscrivez-vous</p>"
        f"<p>{long[1]}</p><p>{long[2]}</p>"
        "</div>"
    )
    assert read(le360_page(main)).body.split("\n\n") == long


def test_a_stop_marker_followed_by_cards_ends_the_article():
    main = (
        '<div class="article-text">'
        + "".join(f"<p>{t}</p>" for t in TEXTS)
        + "<h3>Les contenus liés</h3><p>Rabat: un nouveau pont sur le Bouregreg</p><p>Salé: la médina rénovée</p>"
        "</div>"
    )
    assert read(le360_page(main)).body.split("\n\n") == TEXTS


def test_a_declared_page_title_loses_the_publishers_name():
    head = '<meta property="og:title" content="Le tramway de Rabat prolongé - Le Journal"><meta property="og:site_name" content="Le Journal">'
    main = '<div class="article-text">' + "".join(f"<p>{t}</p>" for t in TEXTS) + "</div>"
    assert read(le360_page(main, head=head)).title == "Le tramway de Rabat prolongé"
    head = '<meta property="og:title" content="Le tramway de Rabat prolongé · Le Journal du soir">'
    assert read(le360_page(main, head=head)).title == "Le tramway de Rabat prolongé"  # the page's own h1


def test_english_date_and_update_lines_give_published_and_modified():
    dates = "<p>September 9, 2025 at 6:36 PM</p><p>Updated: Sept. 10, 2025 at 8:05 a.m.</p>"
    article = read(le360_page(dates + "".join(f"<p>{t}</p>" for t in TEXTS)))
    assert (article.published, article.modified) == ("2025-09-09T18:36:00+01:00", "2025-09-10T08:05:00+01:00")
    assert "Updated" not in article.body and "September" not in article.body
