"""langdetect's detection made with its profiles, its steps and its arithmetic but without its
``Detector`` objects (``Langdetect``): its answers, and its probabilities to the last bit, with
less work (``docs/decisions/langdetect-without-its-detector.md``). ``language`` says when it
is asked.
"""

from __future__ import annotations

import random
import re
import threading
from functools import lru_cache
from itertools import chain

from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

from clippings.extract.langprofiles import Profiles, factory

SAMPLE_CHARS = 250


class Langdetect:
    """langdetect's ``Detector.detect`` with the factory's profiles and seed and one trial,
    without a ``Detector`` (each one seeds a new generator from the system before it is seeded
    again) and with the work that is the same for every text done once:

    - the trial's weight: the generator is seeded again before the trial, so the Gaussian draw
      the weight is made of is the same for every text;
    - the n-grams drawn: the generator then picks positions in the list of the text's
      n-grams, and which positions depends on nothing but the list's length; each length's
      positions are drawn once, by a generator in the same state (``_positions``);
    - an n-gram's factors, the weight plus its frequency in each language (``_Factors``);
    - a word's n-grams: langdetect's n-gram buffer starts again after each space, so a word,
      read after a space, has the same n-grams wherever it is (``_Words``), and so has a
      piece of the text between two spaces, as written (``_Pieces``).

    The same characters, n-grams and draws, the same float operations in the same order, so
    the same answers as langdetect's own detector.
    """

    def __init__(self, factory: detector_factory.DetectorFactory) -> None:
        self.langlist: list[str] = factory.langlist
        self.seed = factory.seed
        generator = random.Random(self.seed)
        alpha = Detector.ALPHA_DEFAULT + generator.gauss(0.0, 1.0) * Detector.ALPHA_WIDTH
        self.prior = [1.0 / len(self.langlist)] * len(self.langlist)
        profiles = factory.word_lang_prob_map
        factors = _Factors(profiles, alpha / Detector.BASE_FREQ)
        known = profiles.words
        inner = _Words(known, factors, " ")
        self._inner = _Pieces(inner, None)
        self._last = _Pieces(inner, _Words(known, factors, ""))
        self._drawn: dict[int, tuple[list[int], random.Random]] = {}
        self._drawing = threading.Lock()

    def detect(self, text: str) -> str | None:
        """langdetect's language code for ``text``, or None where it finds no n-gram."""
        prob = self.probabilities(text)
        if prob is None:
            return None
        # Detector._sort_probability and detect: the most probable language above the
        # threshold, the first of the list among equals (its sort is stable).
        best, top = Detector.UNKNOWN_LANG, Detector.PROB_THRESHOLD
        for lang, p in zip(self.langlist, prob, strict=False):
            if p > top:
                best, top = lang, p
        return best

    def probabilities(self, text: str) -> list[float] | None:
        """langdetect's probabilities of the languages (``Detector.langprob``) for ``text``,
        or None where it raises "No features in text"."""
        # Detector.append: URLs and e-mail addresses out, a Vietnamese letter and its mark as
        # one, the first characters, runs of spaces as one. (None of the three patterns
        # matches a text without its "http", its "@" or one of the marks.)
        if "http" in text:
            text = Detector.URL_RE.sub(" ", text)
        if "@" in text:
            text = Detector.MAIL_RE.sub(" ", text)
        if any(mark in text for mark in NGram.DMARK_CLASS):
            text = NGram.normalize_vi(text)
        text = _SPACE_RUNS.sub(" ", text[:SAMPLE_CHARS])
        # Detector.cleaning_text: Latin letters out of a text mostly in another script.
        if _mostly_not_latin(text):
            text = _LATIN.sub("", text)
        # Detector._extract_ngrams: the n-grams of each piece between two spaces, the last
        # one's without a space after it.
        pieces = text.split(" ")
        last = pieces.pop()
        ngrams = list(chain.from_iterable(map(self._inner.__getitem__, pieces)))
        ngrams += self._last[last]
        return self._trial(ngrams) if ngrams else None

    def _trial(self, ngrams: list[list[float]]) -> list[float]:
        """Detector._detect_block's trial, ``ngrams`` each n-gram's factors: each n-gram drawn
        multiplies every language's probability by its factor; the probabilities are
        normalised after the first draw and then after every fifth, until one language passes
        ``CONV_THRESHOLD``. A normalisation and the five draws after it are made in one pass,
        left to right: the quotients and products langdetect computes one draw at a time. (With one
        trial, langdetect's average of the trials is this trial's probabilities.)"""
        count = len(ngrams)
        drawn = self._positions(count, 6)
        prob = [p * f for p, f in zip(self.prior, ngrams[drawn[0]], strict=False)]
        i = 0
        while True:
            total = sum(prob)
            # The largest probability once normalised is the largest divided by the sum (a
            # division by the same positive number, correctly rounded, keeps the order).
            if max(prob) / total > Detector.CONV_THRESHOLD or i >= Detector.ITERATION_LIMIT:
                return [p / total for p in prob]
            if len(drawn) < i + 6:
                drawn = self._positions(count, i + 6)
            a, b, c, d, e = [ngrams[k] for k in drawn[i + 1 : i + 6]]
            # Normalised and multiplied by the five draws' factors in one pass, in langdetect's order.
            prob = [p / total * v * w * x * y * z for p, v, w, x, y, z in zip(prob, a, b, c, d, e, strict=False)]
            i += 5

    def _positions(self, count: int, needed: int) -> list[int]:
        """The positions langdetect's trial draws in a list of ``count`` n-grams, at least
        ``needed`` of them: ``random.choice`` after the seed and the Gaussian draw. The list
        only grows (under a lock, so that two threads never share out one generator's draws)."""
        found = self._drawn.get(count)
        if found is not None and len(found[0]) >= needed:
            return found[0]
        with self._drawing:
            found = self._drawn.get(count)
            if found is None:
                generator = random.Random(self.seed)
                generator.gauss(0.0, 1.0)
                found = self._drawn[count] = ([], generator)
            drawn, generator = found
            if len(drawn) < needed:
                choice, population = generator.choice, range(count)
                drawn.extend([choice(population) for _ in range(needed - len(drawn) + _DRAWN_AHEAD)])
        return drawn


class _Factors(dict):
    """n-gram -> the factor a draw of it multiplies each language's probability by: the trial's
    weight plus the n-gram's frequency in the language (langdetect's ``_update_lang_prob``).
    Where the frequency is 0.0 the factor is the weight itself, the one float object."""

    def __init__(self, profiles: Profiles, weight: float) -> None:
        super().__init__()
        self.profiles, self.weight = profiles, weight

    def __missing__(self, ngram: str) -> list[float]:
        weight = self.weight
        found = self[ngram] = [weight if q == 0.0 else weight + q for q in self.profiles.row(ngram)]
        return found


class _Words(dict):
    """A word (normalised characters, no space) -> the factors of the n-grams langdetect takes
    from it when it is read after a space and followed by ``after``; kept for the last
    ``_WORDS_KEPT`` words at most (all are forgotten when that many are kept)."""

    def __init__(self, known: set[str], factors: _Factors, after: str) -> None:
        super().__init__()
        self.known, self.factors, self.after = known, factors, after

    def __missing__(self, word: str) -> tuple[list[float], ...]:
        if len(self) >= _WORDS_KEPT:
            self.clear()
        found = self[word] = tuple(map(self.factors.__getitem__, _ngrams(word + self.after, self.known)))
        return found


class _Pieces(dict):
    """A piece of text as written, no space in it -> the factors of the n-grams langdetect
    takes from it when it is read after a space and followed by one (``last`` None) or by
    nothing, its words' (``_Words``): its characters normalised, the spaces among them (from
    punctuation) separate words. Kept for the last ``_WORDS_KEPT`` pieces at most."""

    def __init__(self, inner: _Words, last: _Words | None) -> None:
        super().__init__()
        self.inner, self.last = inner, last

    def __missing__(self, piece: str) -> tuple[list[float], ...]:
        if len(self) >= _WORDS_KEPT:
            self.clear()
        words = piece.translate(_NORMAL).split(" ")
        end = self.last[words.pop()] if self.last is not None else ()
        found = self[piece] = (*chain.from_iterable(map(self.inner.__getitem__, words)), *end)
        return found


def _ngrams(text: str, known: set[str]) -> list[str]:
    """langdetect's n-grams of ``text`` (normalised characters) read from a space on, in its
    order (``Detector._extract_ngrams`` with ``NGram.add_char``): after each character, the
    last one, two and three characters of the word so far, a space before it, that its
    profiles know; none inside a word written in capitals."""
    result: list[str] = []
    grams, capital = " ", False
    for ch in text:
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
            if ch == " ":
                continue
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
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


class _Normal(dict):
    """Code point -> langdetect's form of the character in its n-grams (``NGram.normalize``),
    made the first time a text has it: the table ``str.translate`` reads."""

    def __missing__(self, code: int) -> str:
        found = self[code] = NGram.normalize(chr(code))
        return found


def _mostly_not_latin(text: str) -> bool:
    """Detector.cleaning_text's test: fewer than half as many Latin letters as characters of
    other scripts. The Latin letters of the first characters are often enough to say no."""
    non_latin = count_outside(_NOT_NON_LATIN, text)
    if not non_latin:
        return False
    if count_outside(_NOT_LATIN, text[: 4 * non_latin + 16]) * 2 >= non_latin:
        return False
    return count_outside(_NOT_LATIN, text) * 2 < non_latin


def count_outside(others: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` are not matched by ``others`` (runs of the others)."""
    return len(others.sub("", text))


_SPACE_RUNS = re.compile("  +")
_NORMAL = _Normal()
# Detector.cleaning_text's classes: a Latin letter is from "A" to "z"; a character of another
# script is any from U+0300 on (langdetect means to leave Latin Extended Additional out, but
# compares the block's number with its name).
_LATIN = re.compile("[A-z]")
_NOT_LATIN = re.compile("[^A-z]+")
_NOT_NON_LATIN = re.compile("[\x00-\u02ff]+")
# Words and pieces whose n-grams are kept, in each of the four tables (a crawl's texts repeat
# most of their words; the bound keeps a long crawl's tables to a few megabytes).
_WORDS_KEPT = 20_000
# Positions drawn beyond those a trial asks for, for the next text with as many n-grams.
_DRAWN_AHEAD = 60


@lru_cache(maxsize=1)
def detector() -> Langdetect:
    return Langdetect(factory())
