"""Language of the body, deterministic (langdetect is random unless seeded).

Arabic-script text that uses none of the letters proper to Persian, Urdu and the other
languages written in the Arabic script is Arabic: that is decided by counting letters, for
a few microseconds. Everything else goes to langdetect, on its first 250 characters with two
trials (langdetect's defaults, the whole text and seven trials, cost more than trafilatura
itself; this sample tells French, English or Spanish apart as well).
"""

from __future__ import annotations

import re
from functools import lru_cache

from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

SAMPLE_CHARS = 250
TRIALS = 2
SEED = 0


@lru_cache(maxsize=1)
def _factory() -> detector_factory.DetectorFactory:
    """langdetect's profiles, loaded on first use (0.5 s: a crawl whose pages are read in
    worker processes never loads them in its own)."""
    detector_factory.init_factory()
    factory = detector_factory._factory
    factory.set_seed(SEED)
    return factory


class _Detector(Detector):
    """langdetect's detector with its two inner loops (run hundreds of times a text, over 55
    languages) as list comprehensions: the same arithmetic in the same order, so the same
    answers, in about half the time."""

    def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
        lang_prob_map = self.word_lang_prob_map.get(word) if word is not None else None
        if lang_prob_map is None:
            return False
        weight = alpha / self.BASE_FREQ
        prob[:] = [p * (weight + q) for p, q in zip(prob, lang_prob_map)]
        return True

    def _normalize_prob(self, prob: list[float]) -> float:
        total = sum(prob)
        prob[:] = [p / total for p in prob]
        return max(0.0, max(prob))


def load_profiles() -> None:
    """Load langdetect's profiles now rather than at the first detection."""
    _factory()


_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Arabic-script letters (Arabic, Arabic Supplement, Extended-A, presentation forms).
_ARABIC_SCRIPT = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
# Letters that Arabic does not use but Persian, Urdu, Pashto, Kurdish... do (ڤ and ڭ, used
# in Maghreb Arabic for v and g, are not among them).
_NOT_ARABIC = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2\u06c6\u06d0\u067c\u0681\u0685\u0689\u0693\u0696\u069a\u06ab\u06bc\u06cd]")


def _script_says_arabic(sample: str) -> bool:
    letters = len(_LETTER.findall(sample))
    if letters < 20:
        return False
    arabic = len(_ARABIC_SCRIPT.findall(sample))
    return arabic >= 0.8 * letters and not _NOT_ARABIC.search(sample)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` ('fr', 'ar', ...), or None when there is too little to tell."""
    sample = text[: SAMPLE_CHARS * 2]
    if not sample.strip():
        return None
    if _script_says_arabic(sample):
        return "ar"
    detector = _Detector(_factory())
    detector.set_max_text_length(SAMPLE_CHARS)
    detector.n_trial = TRIALS
    detector.append(sample)
    try:
        code = detector.detect()
    except LangDetectException:
        return None
    return code.split("-")[0]
