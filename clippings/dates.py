"""Normalise the date texts of the monitored sites to ISO 8601 in Moroccan civil time.

Pure functions, no Scrapy. Table-driven: the vocabulary (months in four Arabic families
and French/English, weekdays, relative words) is data in `clippings.datetables`; this
module folds text, compiles the tables into a few regular expressions once, and turns a
match into a date. dateparser was measured against this on the same 2,000 texts
(`python bench/dates.py`): 60 to 110 times slower, and 581 wrong answers against none (it
refuses any text with a prefix or byline and Levantine+Egyptian month pairs), so it is
not a dependency.

Output is "YYYY-MM-DDTHH:MM:SS+HH:MM" in Africa/Casablanca local time with that
instant's real offset, or "YYYY-MM-DD" when the text has no time: a time is never
invented. The offset comes from the zone rules of the tzdata package: +01:00 with a
+00:00 Ramadan break until 2026-09-20, permanent +00:00 after (tzdb 2026c). Local wall
times go through `localize`, which resolves transitions deterministically.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TypeVar
from zoneinfo import ZoneInfo

from clippings import datetables as tables

__all__ = ["CASABLANCA", "DateError", "fold", "localize", "morocco_day", "parse_date", "plausibility"]


class _ShippedZone(ZoneInfo):
    """A zone read from the tzdata package, pickled by reference to CASABLANCA."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return _casablanca, ()


def _casablanca() -> ZoneInfo:
    return CASABLANCA


def _load_casablanca() -> ZoneInfo:
    """Africa/Casablanca from the tzdata package (a dependency), never the host's files.

    Plain ZoneInfo("Africa/Casablanca") prefers the host's /usr/share/zoneinfo, which can
    be stale: Morocco left UTC+1 for permanent UTC on 2026-09-20 (tzdb 2026c), and a host
    on tzdb 2025b still answers +01:00 for every later date. Without the package the import
    fails: a crawl never falls back to the host's rules.
    """
    source = importlib.resources.files("tzdata.zoneinfo").joinpath("Africa", "Casablanca")
    with source.open("rb") as stream:
        return _ShippedZone.from_file(stream, key="Africa/Casablanca")


# The one definition of Morocco's zone: every module of clippings takes it from here
# (tests/test_zone.py fails on any other).
CASABLANCA: ZoneInfo = _load_casablanca()


def morocco_day(moment: datetime) -> date:
    """The day of Morocco's civil calendar an aware instant falls on."""
    return moment.astimezone(CASABLANCA).date()

# Longer inputs are not a date text but a page; refusing them bounds the work per call.
MAX_LENGTH = 500
OLDEST = date(1990, 1, 1)


class DateError(ValueError):
    """A date text that cannot be normalised.

    `reason` is a short machine code for stats and logs: empty, too_long, unrecognised,
    bad_value (impossible day/month/hour/offset), month_mismatch ("آذار (نيسان)"),
    weekday_mismatch ("lundi 9 septembre 2025"), imprecise ("منذ ساعات"),
    needs_now (relative text without a fetch time), naive_now.
    """

    def __init__(self, reason: str, text: str | None = None) -> None:
        super().__init__(f"{reason}: {text[:80]!r}" if text else reason)
        self.reason = reason


# --- Folding ---------------------------------------------------------------------------


def _combining_marks() -> str:
    """Combining marks of the Latin and Arabic blocks: accents, harakat, hamza seats."""
    blocks = (range(0x0300, 0x0370), range(0x0610, 0x0700), range(0x08D3, 0x0900))
    return "".join(
        ch for block in blocks for ch in map(chr, block) if unicodedata.category(ch) == "Mn"
    )


_FOLD_TABLE = str.maketrans(
    {**tables.CHAR_MAP, **dict.fromkeys(tables.DROPPED_CHARS + _combining_marks())}
)
_ISO_T = re.compile(r"(?<=\d)t(?=\d)")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold spelling variants together so one table entry matches them all.

    NFKD then dropping combining marks removes French accents, Arabic harakat and hamza
    seats (أ إ آ -> ا), and splits ligatures and presentation forms; the character map
    converts Eastern digits and look-alike letters; the ISO "T" becomes a space.
    """
    text = unicodedata.normalize("NFKD", text).translate(_FOLD_TABLE).lower()
    return _SPACES.sub(" ", _ISO_T.sub(" ", text)).strip()


# --- Tables compiled once -------------------------------------------------------------

V = TypeVar("V")


def _folded(pairs: Iterable[tuple[str, V]], what: str) -> dict[str, V]:
    """Index words by their folded form, refusing a folded word with two meanings."""
    index: dict[str, V] = {}
    for word, value in pairs:
        key = fold(word)
        if index.setdefault(key, value) != value:
            raise ValueError(f"{what} {word!r} means both {index[key]!r} and {value!r}")
    return index


def _by_number(table: Mapping[int, Iterable[str]]) -> Iterable[tuple[str, int]]:
    return ((word, number) for number, words in table.items() for word in words)


_MONTHS = _folded(
    [
        *_by_number(tables.LATIN_MONTHS),
        *(pair for family in tables.ARABIC_MONTH_FAMILIES.values() for pair in _by_number(family)),
    ],
    "month",
)
_WEEKDAYS = _folded(_by_number(tables.WEEKDAYS), "weekday")
_MERIDIEM = _folded(tables.MERIDIEM.items(), "meridiem")
_ZONES = _folded(tables.ZONE_NAMES.items(), "zone")
_UNITS = _folded(tables.RELATIVE_UNITS.items(), "unit")
_NUMBERS = _folded(tables.NUMBER_WORDS.items(), "number")
_DAY_WORDS = _folded(tables.DAY_WORDS.items(), "day word")


def _words(words: Iterable[str]) -> str:
    """Alternation of folded words, longest first, not glued to other letters."""
    alternatives = sorted({fold(w) for w in words}, key=len, reverse=True)
    return rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, alternatives))})(?![^\W\d_])"


_MONTH = _words(_MONTHS)
_DAY = r"(?<!\d)\d{1,2}(?!\d)"
_DAY_SUFFIX = rf"(?:{'|'.join(tables.DAY_SUFFIXES)})?"
_YEAR = r"(?<!\d)\d{4}(?!\d)"

_DATE_RE = re.compile(
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
_WEEKDAY_BEFORE_RE = re.compile(rf"(?P<weekday>{_words(_WEEKDAYS)})\.?[\s,،]*\Z")

_MERIDIEM_WORDS = _words(_MERIDIEM)
# Between a date and its time: punctuation and connector words ("à", "الساعة").
_GAP = rf"(?:[\s,،|\-–—·•:]|{_words(tables.TIME_CONNECTORS)})*"
_TIME_RE = re.compile(
    _GAP
    + r"(?P<hour>\d{1,2})(?!\d)\s*"
    + r"(?:[:h]\s*(?P<minute>\d{2})(?!\d)(?:\s*:\s*(?P<second>\d{2})(?!\d)(?:[.,]\d+)?)?"
    + rf"|h(?![^\W\d_])|(?=\s*{_MERIDIEM_WORDS}))"  # 18h36, 18h, 6 PM
    + rf"(?:\s*(?P<meridiem>{_MERIDIEM_WORDS}))?"
    # A zone word, with the offset it may carry ("GMT+1", "UTC+01:00")
    + rf"(?:\s*(?P<zone>{_words(_ZONES)})(?:\s*(?P<zone_offset>[+-]\d{{1,2}}(?::?\d{{2}})?)(?![\d:]))?)?"
    # +01:00, +0100 (never "-19", which is more likely the end of "18h36-19h00")
    + r"(?:\s*(?P<offset>[+-]\d{2}:?\d{2})(?!\d))?"
)

_RELATIVE_RE = re.compile(
    rf"{_words(tables.RELATIVE_PREFIXES)}\s*"
    rf"(?:(?P<count>\d{{1,4}})(?!\d)|(?P<count_word>{_words(_NUMBERS)}))?\s*"
    rf"(?P<unit>{_words(_UNITS)})"
)
# English puts the count first and the relative word last: "3 hours ago", "an hour ago".
_RELATIVE_AFTER_RE = re.compile(
    rf"(?:(?P<count>\d{{1,4}})(?!\d)|(?P<count_word>{_words(_NUMBERS)}))?\s*"
    rf"(?P<unit>{_words(_UNITS)})\s*{_words(tables.RELATIVE_SUFFIXES)}"
)
_DAY_WORD_RE = re.compile(rf"(?P<day_word>{_words(_DAY_WORDS)})")
_NOISE_RE = re.compile(_words(tables.NOISE_PHRASES))


# --- Public API ------------------------------------------------------------------------


def localize(naive: datetime) -> datetime:
    """Attach Africa/Casablanca to a naive local wall time, deterministically.

    Resolved with the fold=0 rule, then normalised through UTC so the result shows a
    wall time that really exists: a repeated time (fall-back at the start of Ramadan,
    e.g. 2025-02-23 02:30, or 2026-09-20 01:30) is its FIRST occurrence (+01:00); a
    non-existent time (spring-forward gap at the end of Ramadan, e.g. 2025-04-06 02:30)
    keeps the offset in force before the gap (+00:00) and so comes out shifted forward
    by the gap's length (03:30+01:00). A caller's fold=1 is ignored.
    """
    if naive.tzinfo is not None:
        raise ValueError("localize() takes a naive datetime")
    first = naive.replace(tzinfo=CASABLANCA, fold=0)
    return first.astimezone(UTC).astimezone(CASABLANCA)


def parse_date(raw: str, *, now: datetime | None = None) -> str:
    """Normalise one date text to ISO 8601 in Moroccan civil time.

    Returns "YYYY-MM-DDTHH:MM:SS+HH:MM" (Casablanca wall time and that instant's real
    offset) or "YYYY-MM-DD" when the text carries no time. The first absolute date in the
    text wins, so bylines and "Publié le" prefixes are ignored; relative forms ("il y a 3
    heures", "منذ يومين", "3 hours ago", "hier à 22h00") are read against `now`, the aware
    fetch time. English month-first dates ("September 9, 2025 at 6:36 PM") read as well;
    numbers alone are always day first ("09/10/2025" is 9 October).
    Raises DateError(reason) rather than guess.
    """
    if now is not None and now.utcoffset() is None:
        raise DateError("naive_now", str(now))
    if raw and len(raw) > MAX_LENGTH:
        raise DateError("too_long", raw)
    text = _NOISE_RE.sub(" | ", fold(raw or ""))
    if not text:
        raise DateError("empty", raw)
    if found := _DATE_RE.search(text):
        return _absolute(text, found, raw)
    return _relative(text, raw, now)


def plausibility(
    iso: str, *, now: datetime, future_tolerance: timedelta = timedelta(days=1)
) -> str | None:
    """Flag a parsed date that cannot be a publication date: "future", "too_old" or None.

    A date without time counts from local midnight; a naive ISO text is local time.
    """
    if now.utcoffset() is None:
        raise DateError("naive_now", str(now))
    try:
        instant = datetime.fromisoformat(iso)
    except ValueError:
        raise DateError("bad_value", iso) from None
    if instant.tzinfo is None:
        instant = localize(instant)
    if instant.astimezone(CASABLANCA).date() < OLDEST:
        return "too_old"
    if instant > now + future_tolerance:
        return "future"
    return None


# --- Building the answer ---------------------------------------------------------------


def _absolute(text: str, found: re.Match[str], raw: str) -> str:
    form = found.lastgroup
    year, month, day = (found[f"{form}_{part}"] for part in "ymd")
    if form == "text":
        month, second_name = _MONTHS[month], found["text_m2"]
        if second_name is not None and _MONTHS[second_name] != month:
            raise DateError("month_mismatch", raw)
    elif form == "mdy":
        month = _MONTHS[month]
    try:
        the_date = date(int(year), int(month), int(day))
    except ValueError:
        raise DateError("bad_value", raw) from None
    weekday = _WEEKDAY_BEFORE_RE.search(text, 0, found.start())
    if weekday and _WEEKDAYS[weekday["weekday"]] != the_date.weekday():
        raise DateError("weekday_mismatch", raw)
    return _combine(the_date, _TIME_RE.match(text, found.end()), raw)


def _relative(text: str, raw: str, now: datetime | None) -> str:
    patterns = (_RELATIVE_RE, _RELATIVE_AFTER_RE, _DAY_WORD_RE)
    matches = [m for m in (p.search(text) for p in patterns) if m]
    if not matches:
        raise DateError("unrecognised", raw)
    if now is None:
        raise DateError("needs_now", raw)
    found = min(matches, key=lambda m: m.start())
    today = now.astimezone(CASABLANCA).date()
    if found.re is _DAY_WORD_RE:
        the_date = today + timedelta(days=_DAY_WORDS[found["day_word"]])
        return _combine(the_date, _TIME_RE.match(text, found.end()), raw)
    unit, count = _UNITS[found["unit"]]
    if found["count"]:
        count = int(found["count"])
    elif found["count_word"]:
        count = _NUMBERS[found["count_word"]]
    if count is None:
        raise DateError("imprecise", raw)
    ago = timedelta(**{unit: count})
    if unit in tables.DAY_GRANULARITY_UNITS:
        return (today - ago).isoformat()
    instant = (now - ago).astimezone(CASABLANCA)
    return _iso(instant.replace(second=0, microsecond=0))


def _combine(the_date: date, clock: re.Match[str] | None, raw: str) -> str:
    """Date plus the time that follows it, if any; an explicit zone keeps its instant."""
    if clock is None:
        return the_date.isoformat()
    try:
        naive = datetime.combine(the_date, _time_of_day(clock))
        offset = _utc_offset(clock)
        if offset is None:
            return _iso(localize(naive))
        return _iso(naive.replace(tzinfo=timezone(offset)).astimezone(CASABLANCA))
    except (ValueError, OverflowError):  # impossible values; years 1 and 9999 overflow
        raise DateError("bad_value", raw) from None


def _time_of_day(clock: re.Match[str]) -> time:
    hour = int(clock["hour"])
    if clock["meridiem"] is not None:
        pm = _MERIDIEM[clock["meridiem"]]
        if hour > 12 and not pm:
            raise ValueError("morning hour past 12")
        if hour <= 12:
            hour = hour % 12 + (12 if pm else 0)
    return time(hour, int(clock["minute"] or 0), int(clock["second"] or 0))


def _utc_offset(clock: re.Match[str]) -> timedelta | None:
    """Offset written after the time, or None for Moroccan local time."""
    if written := clock["offset"] or clock["zone_offset"]:
        digits = written[1:].replace(":", "")
        hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        if hours > 14 or minutes > 59:
            raise ValueError("offset out of range")
        sign = -1 if written[0] == "-" else 1
        return sign * timedelta(hours=hours, minutes=minutes)
    if clock["zone"] is None:
        return None
    minutes_east = _ZONES[clock["zone"]]
    return None if minutes_east is None else timedelta(minutes=minutes_east)


def _iso(aware: datetime) -> str:
    return aware.isoformat(timespec="seconds")
