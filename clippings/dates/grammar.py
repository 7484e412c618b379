"""The tables compiled once into the regular expressions the parser matches."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from clippings.dates import tables
from clippings.dates.spelling import spelling_key

V = TypeVar("V")


def _folded(pairs: Iterable[tuple[str, V]], what: str) -> dict[str, V]:
    """Index words by their folded form, refusing a folded word with two meanings."""
    index: dict[str, V] = {}
    for word, value in pairs:
        key = spelling_key(word)
        if index.setdefault(key, value) != value:
            raise ValueError(f"{what} {word!r} means both {index[key]!r} and {value!r}")
    return index


def _by_number(table: Mapping[int, Iterable[str]]) -> Iterable[tuple[str, int]]:
    return ((word, number) for number, words in table.items() for word in words)


MONTHS = _folded(
    [
        *_by_number(tables.LATIN_MONTHS),
        *(pair for family in tables.ARABIC_MONTH_FAMILIES.values() for pair in _by_number(family)),
    ],
    "month",
)
WEEKDAYS = _folded(_by_number(tables.WEEKDAYS), "weekday")
MERIDIEM = _folded(tables.MERIDIEM.items(), "meridiem")
ZONES = _folded(tables.ZONE_NAMES.items(), "zone")
UNITS = _folded(tables.RELATIVE_UNITS.items(), "unit")
NUMBERS = _folded(tables.NUMBER_WORDS.items(), "number")
DAY_WORDS = _folded(tables.DAY_WORDS.items(), "day word")


def _words(words: Iterable[str]) -> str:
    """Alternation of folded words, longest first, not glued to other letters."""
    alternatives = sorted({spelling_key(w) for w in words}, key=len, reverse=True)
    return rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, alternatives))})(?![^\W\d_])"


_MONTH = _words(MONTHS)
_DAY = r"(?<!\d)\d{1,2}(?!\d)"
_DAY_SUFFIX = rf"(?:{'|'.join(tables.DAY_SUFFIXES)})?"
_YEAR = r"(?<!\d)\d{4}(?!\d)"

DATE_RE = re.compile(
    "|".join(
        [
            # 2025-09-09, 2025/09/09
            (
                rf"(?P<ymd>(?P<ymd_y>{_YEAR})(?P<ymd_sep>[-/.])(?P<ymd_m>{_DAY})"
                rf"(?P=ymd_sep)(?P<ymd_d>{_DAY}))"
            ),
            # 09/09/2025, 06-03-2026
            (
                rf"(?P<dmy>(?P<dmy_d>{_DAY})(?P<dmy_sep>[-/.])(?P<dmy_m>{_DAY})"
                rf"(?P=dmy_sep)(?P<dmy_y>{_YEAR}))"
            ),
            # 1er mars 2026, 09 Sep 2025, 7 آذار (مارس) 2026, 7 آذار/مارس 2026
            (
                rf"(?P<text>(?P<text_d>{_DAY}){_DAY_SUFFIX}[\s\-./,]*"
                rf"(?P<text_m>{_MONTH})\.?(?:\s*[(/]\s*(?P<text_m2>{_MONTH})\.?\s*\)?)?"
                rf"[\s\-./,،]*(?P<text_y>{_YEAR}))"
            ),
            # Month first (English): September 9, 2025; Sep. 9 2025; Sept. 9th, 2025
            (
                rf"(?P<mdy>(?P<mdy_m>{_MONTH})\.?\s*(?P<mdy_d>{_DAY}){_DAY_SUFFIX}"
                rf"\s*[,،]?\s*(?P<mdy_y>{_YEAR}))"
            ),
        ]
    )
)
WEEKDAY_BEFORE_RE = re.compile(rf"(?P<weekday>{_words(WEEKDAYS)})\.?[\s,،]*\Z")

_MERIDIEM_WORDS = _words(MERIDIEM)
# Between a date and its time: punctuation and connector words ("à", "الساعة").
_GAP = rf"(?:[\s,،|\-–—·•:]|{_words(tables.TIME_CONNECTORS)})*"
TIME_RE = re.compile(
    _GAP
    + r"(?P<hour>\d{1,2})(?!\d)\s*"
    + r"(?:[:h]\s*(?P<minute>\d{2})(?!\d)(?:\s*:\s*(?P<second>\d{2})(?!\d)(?:[.,]\d+)?)?"
    + rf"|h(?![^\W\d_])|(?=\s*{_MERIDIEM_WORDS}))"  # 18h36, 18h, 6 PM
    + rf"(?:\s*(?P<meridiem>{_MERIDIEM_WORDS}))?"
    # A zone word, with the offset it may carry ("GMT+1", "UTC+01:00")
    + rf"(?:\s*(?P<zone>{_words(ZONES)})(?:\s*(?P<zone_offset>[+-]\d{{1,2}}(?::?\d{{2}})?)(?![\d:]))?)?"
    # +01:00, +0100 (never "-19", which is more likely the end of "18h36-19h00")
    + r"(?:\s*(?P<offset>[+-]\d{2}:?\d{2})(?!\d))?"
)

RELATIVE_RE = re.compile(
    rf"{_words(tables.RELATIVE_PREFIXES)}\s*"
    rf"(?:(?P<count>\d{{1,4}})(?!\d)|(?P<count_word>{_words(NUMBERS)}))?\s*"
    rf"(?P<unit>{_words(UNITS)})"
)
# English puts the count first and the relative word last: "3 hours ago", "an hour ago".
RELATIVE_AFTER_RE = re.compile(
    rf"(?:(?P<count>\d{{1,4}})(?!\d)|(?P<count_word>{_words(NUMBERS)}))?\s*"
    rf"(?P<unit>{_words(UNITS)})\s*{_words(tables.RELATIVE_SUFFIXES)}"
)
DAY_WORD_RE = re.compile(rf"(?P<day_word>{_words(DAY_WORDS)})")
NOISE_RE = re.compile(_words(tables.NOISE_PHRASES))
