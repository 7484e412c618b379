"""langdetect's profiles, read once a process and made into rows as texts need them
(``factory``): the factory ``langdetect_exact`` detects with, seeded.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

from langdetect import detector_factory

SEED = 0


@lru_cache(maxsize=1)
def factory() -> detector_factory.DetectorFactory:
    """langdetect's factory over its profiles (``Profiles``), read on first use (a crawl
    whose pages are read in worker processes never reads them in its own)."""
    profiles = Profiles(detector_factory.PROFILES_DIRECTORY)
    factory = detector_factory.DetectorFactory()
    factory.word_lang_prob_map = profiles
    factory.langlist = profiles.langlist
    factory.set_seed(SEED)
    return factory


class Profiles:
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
            row = self._rows[word] = self.row(word)
        return row

    def row(self, word: str) -> list[float]:
        """The n-gram's row, made again (``Langdetect`` keeps its own rows, made of these)."""
        if word not in self._words:
            raise KeyError(word)
        row = [0.0] * self.size
        length = len(word)
        if 1 <= length <= 3:
            for index, freq, n_words in self._profiles:
                count = freq.get(word)
                if count is not None:
                    row[index] = 1.0 * count / n_words[length - 1]
        return row

    def __len__(self) -> int:
        return len(self._words)
