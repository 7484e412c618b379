"""The embedded Arc story (``Fusion.globalContent``): read first, checked, never a crash."""

from __future__ import annotations

import json

import lxml.html
import pytest

from clippings.core.page import Page, ReadingContext
from clippings.extract import ans, extract_article
from clippings.sites import get_site
from tests.helpers.fixturelib import article_fixtures

LE360 = get_site("le360")
URL = "https://fr.le360.ma/economie/le-port-de-tanger-med-bat-un-record_ABCDEFGHIJKLMNOPQRSTUVWXYZ/"
PARAGRAPHS = [
    "Le port de Tanger Med a traité 10,2 millions de conteneurs en 2025, un record depuis son ouverture.",
    "Selon l’Autorité portuaire, la hausse tient aux nouvelles lignes vers l’Afrique de l’Ouest & l’Europe.",
]


def story(**fields):
    base = {
        "_id": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "type": "story",
        "headlines": {"basic": "Le port de Tanger Med bat un record"},
        "subheadlines": {"basic": "Un chapeau &amp; sa suite."},
        "credits": {"by": [{"type": "author", "name": "Hicham Berrada"}, {"type": "reference", "referent": {}}]},
        "first_publish_date": "2026-01-05T09:30:00.000Z",
        "last_updated_date": "2026-01-05T09:30:00.412Z",
        "taxonomy": {"primary_section": {"_id": "/economie", "name": "Économie"}, "tags": [{"text": "Ports"}]},
        "promo_items": {"basic": {"type": "image", "url": "https://img.example/a.jpg", "caption": "Le <b>port</b>"}},
        "canonical_url": "/economie/le-port-de-tanger-med-bat-un-record_ABCDEFGHIJKLMNOPQRSTUVWXYZ/",
        "content_elements": [
            {
                "type": "text",
                "content": "Le port de <a href='/x'>Tanger Med</a> a traité 10,2 millions de conteneurs en 2025, un record depuis son ouverture.",
            },
            {"type": "interstitial_link", "url": "/autre/", "content": "Lire aussi : un autre article"},
            {"type": "header", "level": 2, "content": "Des lignes nouvelles"},
            {
                "type": "element_group",
                "content_elements": [
                    {
                        "type": "text",
                        "content": "Selon l&#8217;Autorité portuaire, la hausse tient aux nouvelles lignes vers l’Afrique de l’Ouest &amp; l’Europe.",
                    },
                ],
            },
            {
                "type": "list",
                "list_type": "unordered",
                "items": [
                    {"type": "text", "content": "Dakar"},
                    {"type": "list", "items": [{"type": "text", "content": "Abidjan"}]},
                ],
            },
            {"type": "quote", "subtype": "pullquote", "content_elements": [{"type": "text", "content": "Un record"}]},
            {
                "type": "quote",
                "content_elements": [{"type": "text", "content": "« Nous visons plus »"}],
                "citation": {"content": "Le directeur"},
            },
            {
                "type": "table",
                "header": [{"content": "Année"}, {"content": "EVP"}],
                "rows": [[{"content": "2025"}, {"content": "10,2 M"}]],
            },
            {"type": "image", "caption": "Une grue"},
            {"type": "raw_html", "content": "<div>pub</div>"},
            {"type": "oembed_response", "raw_oembed": {"html": "<blockquote>tweet</blockquote>"}},
            {"type": "link_list", "items": [{"content": "Autres"}]},
            {"type": "divider"},
            {"type": "correction", "text": "Une erreur a été corrigée."},
        ],
    }
    base.update(fields)
    return base


def page(global_content, *, visible: str = "", jsonld: dict | None = None, raw: str | None = None) -> bytes:
    script = raw if raw is not None else json.dumps(global_content, ensure_ascii=False)
    ld = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    html = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le port | Le360</title>'
        f'<meta property="og:type" content="article">{ld}</head><body>'
        f'<div class="layout"><h1>Le port de Tanger Med bat un record</h1>{visible}</div>'
        '<script id="fusion-metadata" type="application/javascript">window.Fusion=window.Fusion||{};'
        f'Fusion.arcSite="le360";Fusion.globalContent={script};'
        'Fusion.globalContentConfig={"source":"content-api","query":{}};Fusion.lastModified=1;</script>'
        "</body></html>"
    )
    return html.encode("utf-8")


def read(body: bytes):
    return extract_article(Page(URL, body, {"Content-Type": "text/html; charset=utf-8"}), ReadingContext(LE360))


def test_the_story_gives_every_field_and_its_body_in_order():
    article = read(page(story()))
    assert article.body.split("\n\n") == [
        PARAGRAPHS[0],
        "Des lignes nouvelles",
        PARAGRAPHS[1],
        "Dakar",
        "Abidjan",
        "« Nous visons plus »",
        "Année | EVP",
        "2025 | 10,2 M",
    ]
    assert article.title == "Le port de Tanger Med bat un record"
    assert article.lead == "Un chapeau & sa suite."
    assert article.authors == ["Hicham Berrada"]
    assert article.section == "Économie"
    assert article.tags == ["Ports"]
    assert article.image == {"url": "https://img.example/a.jpg", "caption": "Le port"}
    assert article.published == "2026-01-05T10:30:00+01:00"
    assert article.modified is None  # updated 412 ms after publication: never edited
    assert article.article_id == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for name in ("title", "lead", "authors", "section", "tags", "body", "published"):
        assert article.provenance[name] == "ans", name


def test_an_update_a_day_later_is_kept():
    article = read(page(story(last_updated_date="2026-01-06T08:00:00.000Z")))
    assert article.modified == "2026-01-06T09:00:00+01:00"
    assert article.provenance["modified"] == "ans"


def test_a_wire_story_without_authors_credits_the_agency():
    article = read(page(story(credits={"by": []}, distributor={"name": "MAP"})))
    assert article.authors == ["MAP"]


@pytest.mark.parametrize(
    "content, problem",
    [
        ({"type": "results", "content_elements": [story()]}, "not_story"),
        ({"_id": "X", "type": "le360-article", "body": [{"p": "texte"}]}, "not_story"),
        ({"type": "story", "headlines": "not an object", "content_elements": []}, "not_story"),
        ("[1, 2", "not_json"),
        ("undefined", "not_json"),
    ],
)
def test_another_shape_is_no_story_and_the_page_is_read(content, problem):
    visible = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    raw = content if isinstance(content, str) else None
    body = page(content, visible=visible, raw=raw)
    assert ans.find_story(lxml.html.document_fromstring(body)).problem == problem
    article = read(body)
    assert article.body == "\n\n".join(PARAGRAPHS)
    assert article.provenance["body"] != "ans"
    assert article.story == problem


def test_a_story_larger_than_the_cap_is_not_decoded(monkeypatch):
    monkeypatch.setattr(ans, "MAX_STORY_CHARS", 500)
    root = lxml.html.document_fromstring(page(story()))
    assert ans.find_story(root).problem == "too_large"


def test_a_page_without_the_script_has_no_story():
    root = lxml.html.document_fromstring(b"<html><body><p>x</p></body></html>")
    assert not ans.find_story(root)
    assert ans.find_story(root).problem == "absent"


def test_a_story_body_much_shorter_than_the_visible_text_is_read_again():
    """A story whose text elements hold the first paragraph only (the rest in raw_html, as
    some publishers do): the page's paragraphs win."""
    long_text = [f"{p} Une phrase de plus pour que le paragraphe compte assez de mots." for p in PARAGRAPHS * 3]
    elements = [{"type": "text", "content": "Court."}, {"type": "raw_html", "content": "".join(long_text)}]
    visible = "<article>" + "".join(f"<p>{t}</p>" for t in long_text) + "</article>"
    article = read(page(story(content_elements=elements), visible=visible))
    assert article.provenance["body"] != "ans"
    assert article.body.split("\n\n") == long_text
    assert not article.body_short


def test_jsonld_article_body_is_evidence_on_a_page_without_the_story():
    """The page shows a third of the text its articleBody declares: the body is short, read
    again, and the declared articleBody is used."""
    declared = [f"Paragraphe {i} : le texte complet de l’article, tel que le CMS le déclare." for i in range(9)]
    visible = "<article>" + "".join(f"<p>{t}</p>" for t in declared[:3]) + "</article>"
    ld = {"@type": "NewsArticle", "headline": "Le port", "articleBody": "\n".join(declared)}
    html = page({}, visible=visible, jsonld=ld, raw="null")
    article = read(html)
    assert article.provenance["body"] == "jsonld"
    assert article.body.split("\n\n") == declared


def test_every_arc_fixture_with_a_story_is_read_from_it():
    found = 0
    for fixture in article_fixtures():
        root = lxml.html.document_fromstring(fixture.body)
        if fixture.site == "le360" and ans.find_story(root):
            found += 1
            article = extract_article(fixture.page(), ReadingContext(LE360))
            assert article.provenance["body"] == "ans", fixture.name
            assert article.body == fixture.expected["body"], fixture.name
    assert found >= 5


def test_the_story_is_found_whatever_the_script_is_called_and_spaced():
    html = page(story()).decode().replace('<script id="fusion-metadata" type="application/javascript">', "<script>")
    html = html.replace("Fusion.globalContent=", "Fusion.globalContent = ")
    root = lxml.html.document_fromstring(html)
    assert ans.find_story(root)
    assert read(html.encode()).provenance["body"] == "ans"


RELATED = [
    {"type": "text", "content": "You may also like…"},
    *(
        {"type": "text", "content": f"<a href='/monde/{n}/'><b>Related story number {n} of five</b></a>"}
        for n in range(5)
    ),
]


def test_link_only_elements_ending_the_story_are_related_links_in_any_language():
    elements = [*story()["content_elements"][:4], *RELATED]
    article = read(page(story(content_elements=elements)))
    assert article.body.split("\n\n") == [PARAGRAPHS[0], "Des lignes nouvelles", PARAGRAPHS[1]]


def test_a_link_only_element_inside_the_story_is_left_out_and_text_with_links_kept():
    linked = {"type": "text", "content": "<a href='/x/'>Un autre article sur les ports du Royaume</a>"}
    elements = [story()["content_elements"][0], linked, *story()["content_elements"][2:4]]
    article = read(page(story(content_elements=elements)))
    assert article.body.split("\n\n") == [PARAGRAPHS[0], "Des lignes nouvelles", PARAGRAPHS[1]]
    assert "Tanger Med" in article.body  # the first paragraph's link is part of its sentence


def test_a_story_paragraph_equal_to_the_description_stays_in_the_body():
    elements = [{"type": "text", "content": "Un chapeau &amp; sa suite."}, *story()["content_elements"][:4]]
    article = read(page(story(content_elements=elements)))
    assert article.lead == "Un chapeau & sa suite."
    assert article.body.split("\n\n")[:2] == ["Un chapeau & sa suite.", PARAGRAPHS[0]]
