"""Furniture and standfirsts known by their shape and place, on pages built here in several
languages and read as pages of templates the sites do not know (no class a site rule names):

- a standfirst is the lead, not the body's first paragraph, when it sits with the headline
  apart from the article's paragraphs, when a word of its class names it (class names cut
  into words, never matched as substrings), or when it is set wholly in bold above plain
  paragraphs; a first paragraph showing none of these stays in the body;
- the one short text beside an image in a wrapper is a caption, never body, and so are a
  caption and its credit line beside an image in boxes of its own (three texts are body);
- the body's opening lines that are not yet the article (a label the page shows before its
  headline, the headline again with a kicker) are left out; the same words further down stay.
"""

from __future__ import annotations

import lxml.html

from clippings.core.page import Page, ReadingContext
from clippings.extract import extract_article
from clippings.extract.furniture import without_closing, without_opening
from clippings.extract.sources import PageParts
from clippings.extract.standfirst import class_words
from clippings.sites import get_site
from tests.helpers.pages import le360_url

LE360 = get_site("le360")
URL = le360_url("bahnstrecke-eroeffnet")

GERMAN = [
    "Die neue Bahnstrecke zwischen den beiden Städten wurde am Dienstag nach vier Jahren Bauzeit "
    f"feierlich eröffnet, und die ersten Züge fuhren pünktlich ab (Absatz {n})."
    for n in range(6)
]
STANDFIRST = (
    "Nach vier Jahren Bauzeit fahren die ersten Züge: Pendler sparen täglich eine halbe Stunde, "
    "die Gemeinden hoffen auf neue Betriebe."
)
TITLE = "Neue Bahnstrecke feierlich eröffnet"


def page(body: str, title: str = TITLE, lang: str = "de", before: str = "") -> bytes:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}"><meta property="og:type" content="article"></head>'
        f"<body>{before}{body}</body></html>"
    ).encode()


def plain(texts: list[str]) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def read(html: bytes, url: str = URL, site: str = "le360"):
    return extract_article(
        Page(url, html, {"Content-Type": "text/html; charset=utf-8"}), ReadingContext(get_site(site))
    )


def test_a_standfirst_in_the_headline_block_is_the_lead():
    html = page(
        f"<article><header><h1>{TITLE}</h1><p>{STANDFIRST}</p></header><section>{plain(GERMAN)}</section></article>"
    )
    article = read(html)
    assert article.lead == STANDFIRST
    assert article.body.split("\n\n") == GERMAN


def test_a_standfirst_named_by_a_word_of_its_class_is_the_lead():
    html = page(f'<article><h1>{TITLE}</h1><div><p class="Article_elementLeadText__x9Qz">{STANDFIRST}</p>{plain(GERMAN)}</div></article>')  # fmt: skip
    article = read(html)
    assert article.lead == STANDFIRST
    assert article.body.split("\n\n") == GERMAN


def test_class_words_are_words_not_substrings():
    element = lxml.html.fromstring('<p class="c-article__leadText leaderboard" id="mainIntro"></p>')
    assert {"lead", "text", "leaderboard", "intro"} <= class_words(element)
    assert "leader" not in class_words(element)
    # "leaderboard" holds "lead" as a substring only: the paragraph is the article's first.
    html = page(f'<article><h1>{TITLE}</h1><div><p class="leaderboard">{STANDFIRST}</p>{plain(GERMAN)}</div></article>')
    article = read(html)
    assert article.lead is None
    assert article.body.split("\n\n") == [STANDFIRST, *GERMAN]


def test_a_bold_standfirst_above_plain_paragraphs_is_the_lead():
    swedish = [
        f"Den nya järnvägen mellan städerna invigdes på tisdagen efter fyra års byggande, och de första tågen gick i tid ({n})."
        for n in range(5)
    ]
    lead = "Efter fyra års bygge rullar de första tågen: pendlarna sparar en halvtimme om dagen och kommunerna hoppas på nya jobb."
    html = page(f"<article><h1>Ny järnväg invigd</h1><div><p><strong>{lead}</strong></p>{plain(swedish)}</div></article>", title="Ny järnväg invigd", lang="sv")  # fmt: skip
    article = read(html)
    assert article.lead == lead
    assert article.body.split("\n\n") == swedish


def test_an_article_set_all_in_bold_keeps_its_first_paragraph():
    bold = "".join(f"<p><b>{t}</b></p>" for t in GERMAN)
    article = read(page(f"<article><h1>{TITLE}</h1><div>{bold}</div></article>"))
    assert article.lead is None
    assert article.body.split("\n\n") == GERMAN


def test_a_first_paragraph_with_no_sign_of_a_standfirst_stays_in_the_body():
    article = read(page(f"<article><h1>{TITLE}</h1><div><p>{STANDFIRST}</p>{plain(GERMAN)}</div></article>"))
    assert article.lead is None
    assert article.body.split("\n\n") == [STANDFIRST, *GERMAN]


def test_an_arabic_standfirst_beside_the_headline_is_the_lead():
    text = [
        f"افتتحت السلطات يوم الثلاثاء خط السكك الحديدية الجديد بين المدينتين بعد أربع سنوات من الأشغال، وانطلقت القطارات الأولى في موعدها ({n})."
        for n in range(5)
    ]
    lead = "بعد أربع سنوات من الأشغال تنطلق القطارات الأولى على الخط الجديد، ويوفر المسافرون نصف ساعة يوميا وتأمل الجماعات في استثمارات جديدة."
    title = "افتتاح خط السكك الحديدية الجديد"
    html = page(f"<div><div><h1>{title}</h1><div>{lead}</div></div><div>{plain(text)}</div></div>", title=title, lang="ar")  # fmt: skip
    article = read(html, "https://www.almaghribtoday.net/12/123456-iftitah-khat", "almaghribtoday")
    assert article.lead == lead
    assert article.body.split("\n\n") == text


def test_the_short_text_beside_an_image_is_a_caption():
    caption = "Der erste Zug im neuen Bahnhof am Dienstagmorgen"
    figure = f'<div><img src="/img/zug.jpg" alt=""><p>{caption}</p></div>'
    inline = f'<p><img src="/img/icon.png" alt="">{GERMAN[5]}</p>'
    html = page(
        f"<article><h1>{TITLE}</h1><div>{plain(GERMAN[:2])}{figure}{plain(GERMAN[2:5])}{inline}</div></article>"
    )
    body = read(html).body
    assert caption not in body
    assert body.split("\n\n") == GERMAN  # a paragraph holding an image is still a paragraph


def test_a_caption_and_its_credit_beside_an_image_in_boxes_of_its_own_are_not_body():
    # The image inside boxes holding it alone, then a caption and a credit line; a video's
    # description, date and length beside the player's picture, a script between them.
    caption = "Der neue Bahnhof am Dienstagmorgen, kurz vor der Abfahrt des ersten Zuges."
    photo = (
        '<div><div><div><picture><img src="/img/zug.jpg" alt=""></picture></div></div>'
        f"<div>{caption}</div><div>Quelle: dpa</div><hr></div>"
    )
    described = "Die Bahnchefin über die ersten Wochen auf der neuen Strecke."
    video = (
        '<div><div><picture><img src="/img/video.jpg" alt=""></picture><figure></figure></div>'
        f'<script type="application/ld+json">{{}}</script><span>{described}</span><span>21.04.2024 | 3:18 min</span>'
        "<hr></div>"
    )
    # The article's paragraphs are <div>s, as the captions are.
    html = page(
        f"<article><h1>{TITLE}</h1><div>{divs(GERMAN[:2])}{photo}{divs(GERMAN[2:4])}{video}"
        f"{divs(GERMAN[4:])}</div></article>"
    )
    assert read(html).body.split("\n\n") == GERMAN


def divs(texts: list[str]) -> str:
    return "".join(f"<div>{t}</div>" for t in texts)


def test_more_than_a_caption_and_its_credit_beside_an_image_stays_in_the_body():
    short = ["Der erste Zug fuhr pünktlich ab.", "Die Fahrgäste applaudierten.", "Der Bürgermeister winkte."]
    box = f'<div><img src="/img/zug.jpg" alt="">{plain(short)}</div>'
    html = page(f"<article><h1>{TITLE}</h1><div>{plain(GERMAN[:3])}{box}{plain(GERMAN[3:])}</div></article>")
    assert read(html).body.split("\n\n") == GERMAN[:3] + short + GERMAN[3:]


def test_a_label_shown_before_the_headline_does_not_open_the_body():
    # A page read whole may open its body with the breaking-news label of a ticker above the
    # headline: the label is left out of the opening, the same word further down stays.
    ticker = "<div><b>Eilmeldung</b> <marquee>Sturm legt den Verkehr lahm ••• Flughafen geschlossen</marquee></div>"
    root = lxml.html.fromstring(page(f"<div>{ticker}</div><div><h1>{TITLE}</h1><div>{plain(GERMAN)}</div></div>"))
    sources = PageParts(LE360, URL, root)
    start = sources.index_of(root.find(".//h1"))
    body = "\n\n".join(["Eilmeldung", GERMAN[0], "Eilmeldung", *GERMAN[1:]])
    assert without_opening(sources, body, (TITLE,), start).split("\n\n") == [GERMAN[0], "Eilmeldung", *GERMAN[1:]]
    # Found by the headline's text when no rule finds its element (start 0).
    assert without_opening(sources, body, (TITLE,), 0).split("\n\n")[0] == GERMAN[0]
    # A short opening line the page does not show before its headline is the article's.
    opening = "\n\n".join(["Vorgeschichte", *GERMAN])
    assert without_opening(sources, opening, (TITLE,), start) == opening


def test_the_headline_again_with_a_kicker_does_not_open_the_body():
    kicker = f"<p>Verkehr: {TITLE}</p>"
    html = page(f"<article><h1>{TITLE}</h1><div>{kicker}{plain(GERMAN)}</div></article>")
    assert read(html).body.split("\n\n") == GERMAN


def test_a_closing_run_of_short_lines_and_what_follows_it_is_not_body():
    box = ["Neue Bilder", "Aktienkurs", "Beiträge aus dem Forum", "Beliebt im Vergleich", "Weiterführende Links"]
    shop = "Ab 06:45 Uhr ein Angebot des Tages mit einem Preis, der nur für kurze Zeit gilt, solange der Vorrat reicht."
    assert without_closing("\n\n".join([*GERMAN, *box, shop])) == "\n\n".join(GERMAN)
    # The same short lines inside the article (a list followed by paragraphs) stay.
    inside = "\n\n".join([*GERMAN[:3], *box, *GERMAN[3:]])
    assert without_closing(inside) == inside
    # A body made mostly of short lines (a list article) is kept whole.
    listing = "\n\n".join([GERMAN[0], *box, *box])
    assert without_closing(listing) == listing
    # Read from a page: the box after the article, and the line after it, are left out.
    items = "".join(f"<li>{t}</li>" for t in box)
    html = page(
        f"<article><h1>{TITLE}</h1><div>{plain(GERMAN)}<div><ul>{items}</ul><p>{shop}</p></div></div></article>"
    )
    assert read(html).body.split("\n\n") == GERMAN


def test_a_second_headline_and_a_reading_time_do_not_open_the_body():
    subtitle = "<h2>Pendler sparen täglich eine halbe Stunde</h2>"
    html = page(f"<article><h1>{TITLE}</h1><div>{subtitle}<p>Lesezeit: 3 Minuten</p>{plain(GERMAN)}</div></article>")
    assert read(html).body.split("\n\n") == GERMAN
    # A heading further down the article is a section headline: it stays.
    html = page(f"<article><h1>{TITLE}</h1><div>{plain(GERMAN[:3])}{subtitle}{plain(GERMAN[3:])}</div></article>")
    assert "Pendler sparen täglich eine halbe Stunde" in read(html).body.split("\n\n")


def test_a_paragraph_above_the_byline_is_the_lead():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ana Pereira"}}</script>'
    byline = "<div><span>von</span> <a href='/autor/ana'>Ana Pereira</a></div>"
    html = f"{ld}<article><h1>{TITLE}</h1><div><p>{STANDFIRST}</p>{byline}<div>{plain(GERMAN)}</div></div></article>"
    article = read(page(html))
    assert article.lead == STANDFIRST
    assert article.body.split("\n\n") == GERMAN
    # A byline under the article is no sign: the first paragraph stays the article's.
    tail = "<div><span>von</span> <a href='/autor/ana'>Ana Pereira</a></div>"
    article = read(page(f"{ld}<article><h1>{TITLE}</h1><div><p>{STANDFIRST}</p>{plain(GERMAN)}{tail}</div></article>"))
    assert article.lead is None
    assert article.body.split("\n\n")[0] == STANDFIRST


def test_a_rule_standfirst_is_trusted_only_where_a_standfirst_stands():
    # le360's lead rule names elements by the class word "lead": on another template the word
    # may name the headline block (kicker and headline) or a blurb far below the article.
    header = f'<div class="lead">Verkehr {TITLE}</div>'
    article = read(page(f"<article>{header}<h1>{TITLE}</h1><div>{plain(GERMAN)}</div></article>"))
    assert article.lead is None
    blurb = '<p class="lead">Melden Sie sich an und lesen Sie jeden Morgen die wichtigsten Nachrichten des Tages.</p>'
    more = "".join(f"<p>{t} Noch ein Satz.</p>" for t in GERMAN * 3)
    article = read(page(f"<article><h1>{TITLE}</h1><div>{plain(GERMAN)}{more}</div>{blurb}</article>"))
    assert article.lead is None
    # Where a standfirst stands, under the headline, the rule is trusted.
    html = page(f'<article><h1>{TITLE}</h1><p class="lead">{STANDFIRST}</p><div>{plain(GERMAN)}</div></article>')
    article = read(html)
    assert article.lead == STANDFIRST
    assert article.body.split("\n\n") == GERMAN
