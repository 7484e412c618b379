"""Language of the body, deterministic (langdetect is random unless seeded).

Arabic-script text that uses none of the letters proper to Persian, Urdu and the other
languages written in the Arabic script is Arabic: that is decided by counting letters, for
a few microseconds. Everything else goes to langdetect, on its first 250 characters with one
trial (langdetect's defaults, the whole text and seven trials, cost more than trafilatura
itself; this sample and one trial tell French, English, German or Spanish apart as well: a
second trial changed no language langdetect knows on the fixtures, the real pages of other
publishers or the bench's pages, see ``bench/RESULTS.md``).
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache

from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

SAMPLE_CHARS = 250
TRIALS = 1
SEED = 0


@lru_cache(maxsize=1)
def _factory() -> detector_factory.DetectorFactory:
    """langdetect's factory over its profiles (``_Profiles``), read on first use (a crawl
    whose pages are read in worker processes never reads them in its own)."""
    profiles = _Profiles(detector_factory.PROFILES_DIRECTORY)
    factory = detector_factory.DetectorFactory()
    factory.word_lang_prob_map = profiles
    factory.langlist = profiles.langlist
    factory.set_seed(SEED)
    return factory


class _Profiles:
    """langdetect's ``word_lang_prob_map`` (n-gram -> its frequency in each language, in the
    order of ``langlist``), each n-gram's row made the first time a text has it. langdetect
    makes every row of its 55 profiles when it loads them, which costs a crawl's start-up
    more than reading the profiles; a crawl's texts use a small share of them.

    The same rows as langdetect's ``DetectorFactory.load_profile``: its languages in the
    directory's order, rows as long as the directory has entries, ``1.0 * count / n_words``
    for the n-grams of one to three characters, 0.0 elsewhere."""

    def __init__(self, directory: str) -> None:
        names = os.listdir(directory)
        self.size = len(names)
        self.langlist: list[str] = []
        self._profiles: list[tuple[int, dict[str, int], list[int]]] = []
        for name in names:
            path = os.path.join(directory, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            self._profiles.append((len(self.langlist), data["freq"], data["n_words"]))
            self.langlist.append(data["name"])
        self._words = set().union(*(freq for _, freq, _ in self._profiles))
        self._rows: dict[str, list[float]] = {}

    @property
    def words(self) -> set[str]:
        """Every n-gram some profile knows."""
        return self._words

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __getitem__(self, word: str) -> list[float]:
        row = self._rows.get(word)
        if row is None:
            if word not in self._words:
                raise KeyError(word)
            row = [0.0] * self.size
            length = len(word)
            if 1 <= length <= 3:
                for index, freq, n_words in self._profiles:
                    count = freq.get(word)
                    if count is not None:
                        row[index] = 1.0 * count / n_words[length - 1]
            self._rows[word] = row
        return row

    def __len__(self) -> int:
        return len(self._words)


class _Detector(Detector):
    """langdetect's detector with its per-character and per-trial loops done with less
    Python work: the same characters, n-grams and random draws, the same arithmetic in the
    same order, so the same answers.

    A character's normalised form and class are looked up once (``_CHARS``); a trial's draws
    are multiplied five at a time (``_trial``).
    """

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        # langdetect keeps the first ``max_text_length`` characters, runs of spaces as one.
        self.text += _SPACE_RUNS.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        latin = non_latin = 0
        for ch in self.text:
            kind = (_CHARS.get(ch) or _char(ch))[2]
            if kind == _LATIN:
                latin += 1
            elif kind == _NON_LATIN:
                non_latin += 1
        if latin * 2 < non_latin:
            self.text = "".join(ch for ch in self.text if ch < "A" or ch > "z")

    def _extract_ngrams(self) -> list[str]:
        """langdetect's n-grams of the text, in its order: after each character, the last one,
        two and three characters of the word so far (a space before it) that its profiles
        know; none inside a word written in capitals."""
        known, chars = self.word_lang_prob_map, _CHARS
        if isinstance(known, _Profiles):
            known = known.words  # the set itself: no Python call a lookup
        result: list[str] = []
        grams, capital = " ", False  # langdetect's NGram buffer and its capitalword flag
        for ch in self.text:
            ch, upper, _ = chars.get(ch) or _char(ch)
            last = grams[-1]
            if last == " ":
                grams, capital = " ", False
                if ch == " ":
                    continue
            elif len(grams) >= 3:
                grams = grams[1:]
            grams += ch
            if upper:
                if last.isupper():
                    capital = True
            else:
                capital = False
            if capital:
                continue
            if ch != " " and ch in known:
                result.append(ch)
            if len(grams) > 1:
                if grams[-2:] in known:
                    result.append(grams[-2:])
                if len(grams) > 2 and grams in known:
                    result.append(grams)
        return result

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        self.langprob = [0.0] * len(self.langlist)
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            prob = self._trial(ngrams, alpha / self.BASE_FREQ)
            self.langprob = [lp + p / self.n_trial for lp, p in zip(self.langprob, prob, strict=False)]

    def _trial(self, ngrams: list[str], weight: float) -> list[float]:
        """One trial: n-grams drawn at random, each multiplying every language's probability
        by ``weight`` plus that language's frequency of it; normalised after the first draw
        and then after every fifth, until one language passes ``CONV_THRESHOLD``. The five
        draws between two normalisations are multiplied in one pass, left to right: the
        products langdetect computes one draw at a time."""
        known, choice = self.word_lang_prob_map, self.random.choice
        prob = [p * (weight + q) for p, q in zip(self._init_probability(), known[choice(ngrams)], strict=False)]
        i = 0
        while True:
            total = sum(prob)
            prob = [p / total for p in prob]
            if max(prob) > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                return prob
            a, b, c, d, e = (known[choice(ngrams)] for _ in range(5))
            prob = [
                p * (weight + v) * (weight + w) * (weight + x) * (weight + y) * (weight + z)
                for p, v, w, x, y, z in zip(prob, a, b, c, d, e, strict=False)
            ]
            i += 5


_SPACE_RUNS = re.compile("  +")
_LATIN, _NON_LATIN, _OTHER = 0, 1, 2
# char -> (its form in langdetect's n-grams, whether that form is upper case, its class for
# langdetect's cleaning: Latin letter, other script, neither)
_CHARS: dict[str, tuple[str, bool, int]] = {}


def _char(ch: str) -> tuple[str, bool, int]:
    found = _CHARS.get(ch)
    if found is None:
        normal = NGram.normalize(ch)
        if "A" <= ch <= "z":
            kind = _LATIN
        elif ch >= "\u0300":
            # langdetect means to leave Latin Extended Additional out here, but compares the
            # block's number with its name: every character from U+0300 on counts.
            kind = _NON_LATIN
        else:
            kind = _OTHER
        found = _CHARS[ch] = (normal, normal.isupper(), kind)
    return found


def load_profiles() -> None:
    """Load langdetect's profiles now rather than at the first detection."""
    _factory()


_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Arabic-script letters (Arabic, Arabic Supplement, Extended-A, presentation forms).
_ARABIC_SCRIPT = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
# Letters that Arabic does not use but Persian, Urdu, Pashto, Kurdish... do (ڤ and ڭ, used
# in Maghreb Arabic for v and g, are not among them).
_NOT_ARABIC = re.compile(
    "[\u067e\u0686\u0698\u06af\u06a9\u06cc\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2\u06c6\u06d0\u067c\u0681\u0685\u0689\u0693\u0696\u069a\u06ab\u06bc\u06cd]"
)


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
