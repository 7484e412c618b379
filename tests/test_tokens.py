"""One tokenizer for every count: whitespace-separated words, CJK characters one by one."""

from __future__ import annotations

import pytest

from clippings.core.items import Article
from clippings.core.normalize import derive
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
