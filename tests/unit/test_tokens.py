"""One tokenizer for every count: whitespace-separated words, CJK characters one by one."""

from __future__ import annotations

import pytest

from clippings.core.items import Article
from clippings.core.normalize import derive
from clippings.core.page import Page, ReadingContext
from clippings.core.tokens import bag, count, words
from clippings.extract.reading import token_f1


def test_latin_and_arabic_text_counts_whitespace_separated_pieces():
    for text in ("Le Maroc — l'État investit, dit-il.", "أعلنت الحكومة عن استثمارات جديدة في الرباط"):
        assert count(text) == len(text.split())
        assert words(text) == text.split()


def test_a_run_of_cjk_characters_counts_per_character():
    assert words("東京都の人口は増えた。") == ["東", "京", "都", "の", "人", "口", "は", "増", "え", "た"]
    assert words("「NHK」が2024年に報じた") == ["NHK", "が", "2024", "年", "に", "報", "じ", "た"]
    assert count("서울 시장은 말했다") == 8  # Hangul syllables one by one
    assert bag("東京 東京") == bag("東東京京")


def test_agreement_of_two_japanese_readings_is_measured_per_character():
    assert token_f1("東京都の人口は増えた", "東京都の人口は減った") == pytest.approx(0.8)


def test_word_count_of_the_output_uses_the_tokenizer():
    item = Article(url="https://fr.le360.ma/monde/x_A/", site="le360", article_id="A", title="t",
                   body="東京都の人口は増えた。\n\nLe Maroc investit.")  # fmt: skip
    derive(item)
    assert item.word_count == 10 + 3


JAPANESE = [
    "東京都は十日、都内の公立小学校で給食の無償化を来年四月から始めると発表した。対象は約六十万人になる見込みだ。",
    "都の担当者によると、財源には今年度の税収の増加分を充て、区市町村の負担は求めない方針だという。",
    "保護者からは歓迎する声が上がる一方、食材費の高騰が続く中で質を保てるのかを心配する意見も出ている。",
    "都は今後、学校ごとの献立や調達の方法について、区市町村と協議を進めるとしている。",
]


def test_a_short_check_counts_a_japanese_page_per_character():
    """A paywall notice in the site's article container is short beside the page's block of
    Japanese paragraphs: counted by whitespace, the notice had more "words" than the article."""
    from clippings.extract import read_article
    from clippings.sites import get_site
    from tests.helpers.pages import le360_url

    notice = "<div id='article-body'><p>この記事は会員限定です。 続きは 会員登録 の上 ログイン して お読みください。</p></div>"
    article = "<div class='honbun'>" + "".join(f"<p>{p}</p>" for p in JAPANESE) + "</div>"
    html = (
        "<!doctype html><html lang='ja'><head><meta charset='utf-8'><title>給食無償化</title>"
        f"<meta property='og:type' content='article'></head><body><h1>給食無償化</h1>{notice}{article}</body></html>"
    )
    read = read_article(Page(le360_url("kyushoku"), html.encode()), ReadingContext(get_site("le360")))
    assert read.provenance["body"] != "rule:le360.body[1]"
    assert read.body.split("\n\n")[-4:] == JAPANESE
