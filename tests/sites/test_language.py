"""Language tagging: clippings' faster langdetect detector gives langdetect's own answers."""

from __future__ import annotations

import random

import pytest
from langdetect.lang_detect_exception import LangDetectException

from clippings.extract import langprofiles, language
from tests.helpers.fixturelib import article_fixtures

OTHERS = [
    "Hello world, this is an English sentence about the economy of Morocco and its exports.",
    "El gobierno de España anunció nuevas medidas para la economía y el empleo juvenil.",
    "Il governo italiano ha annunciato nuove misure per l'economia e il lavoro.",
    "Die Regierung hat neue Maßnahmen für die Wirtschaft angekündigt.",
    "O governo anunciou novas medidas para a economia e o emprego.",
]


def _langdetect_itself(text: str) -> str | None:
    """What detect_language answers, through langdetect's own Detector."""
    detector = langprofiles.factory().create()
    detector.set_max_text_length(language.SAMPLE_CHARS)
    detector.n_trial = 1
    detector.append(text[: language.SAMPLE_CHARS * 2])
    try:
        return detector.detect().split("-")[0]
    except LangDetectException:
        return None


def _texts() -> list[str]:
    bodies = [f.expected.get("body") or "" for f in article_fixtures()]
    latin = [b for b in bodies if b and not language._script_says_arabic(b[:500])]
    rng = random.Random(7)
    words = " ".join(latin + OTHERS).split()
    salads = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 60))) for _ in range(300)]
    mixed = [rng.choice(OTHERS) + " " + rng.choice(latin)[: rng.randint(0, 300)] for _ in range(100)]
    return latin + OTHERS + salads + mixed


@pytest.mark.parametrize("text", _texts())
def test_same_answer_as_langdetect(text):
    # Word salads and mixed languages included: where probabilities are close, any change in
    # the arithmetic would show.
    assert language.detect_language(text) == _langdetect_itself(text)


def test_languages_are_told_apart():
    assert [language.detect_language(t) for t in OTHERS] == ["en", "es", "it", "de", "pt"]
    assert language.detect_language("الرباط - أعلنت الحكومة المغربية عن إجراءات جديدة لدعم المقاولات الصغيرة") == "ar"


def test_english_news_full_of_moroccan_names_is_english():
    texts = [
        "Moroccan Foreign Minister Nasser Bourita held talks on Tuesday with his Russian counterpart"
        " Sergei Lavrov, the ministry said in Rabat, reviewing the in-depth strategic partnership.",
        "Bank Al-Maghrib kept its key rate at 2.25% after its quarterly meeting in Rabat on Tuesday,"
        " citing easing inflation and a recovery in cereal harvests around Meknes and Fez.",
        "Wydad Casablanca beat FUS Rabat 2-1 at the Mohammed V stadium on Friday night, climbing to"
        " third place in the Botola Pro standings ahead of the Raja derby.",
    ]
    assert [language.detect_language(t) for t in texts] == ["en", "en", "en"]


def test_the_profiles_are_langdetects_own():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    own = DetectorFactory()
    own.load_profile(PROFILES_DIRECTORY)
    ours = langprofiles.factory()
    assert ours.langlist == own.langlist
    assert len(ours.word_lang_prob_map) == len(own.word_lang_prob_map)
    assert all(ours.word_lang_prob_map[w] == row for w, row in own.word_lang_prob_map.items())
    assert "no such n-gram" not in ours.word_lang_prob_map
