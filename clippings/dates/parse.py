"""A date text to ISO 8601: the first absolute date, else a relative one against the fetch time."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from clippings.dates import tables
from clippings.dates.grammar import (
    DATE_RE,
    DAY_WORD_RE,
    DAY_WORDS,
    MERIDIEM,
    MONTHS,
    NOISE_RE,
    NUMBERS,
    RELATIVE_AFTER_RE,
    RELATIVE_RE,
    TIME_RE,
    UNITS,
    WEEKDAY_BEFORE_RE,
    WEEKDAYS,
    ZONES,
)
from clippings.dates.spelling import spelling_key
from clippings.dates.zone import CASABLANCA, localize

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
    text = NOISE_RE.sub(" | ", spelling_key(raw or ""))
    if not text:
        raise DateError("empty", raw)
    if found := DATE_RE.search(text):
        return _absolute(text, found, raw)
    return _relative(text, raw, now)


def plausibility(iso: str, *, now: datetime, future_tolerance: timedelta = timedelta(days=1)) -> str | None:
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
        month, second_name = MONTHS[month], found["text_m2"]
        if second_name is not None and MONTHS[second_name] != month:
            raise DateError("month_mismatch", raw)
    elif form == "mdy":
        month = MONTHS[month]
    try:
        the_date = date(int(year), int(month), int(day))
    except ValueError:
        raise DateError("bad_value", raw) from None
    weekday = WEEKDAY_BEFORE_RE.search(text, 0, found.start())
    if weekday and WEEKDAYS[weekday["weekday"]] != the_date.weekday():
        raise DateError("weekday_mismatch", raw)
    return _combine(the_date, TIME_RE.match(text, found.end()), raw)


def _relative(text: str, raw: str, now: datetime | None) -> str:
    patterns = (RELATIVE_RE, RELATIVE_AFTER_RE, DAY_WORD_RE)
    matches = [m for m in (p.search(text) for p in patterns) if m]
    if not matches:
        raise DateError("unrecognised", raw)
    if now is None:
        raise DateError("needs_now", raw)
    found = min(matches, key=lambda m: m.start())
    today = now.astimezone(CASABLANCA).date()
    if found.re is DAY_WORD_RE:
        the_date = today + timedelta(days=DAY_WORDS[found["day_word"]])
        return _combine(the_date, TIME_RE.match(text, found.end()), raw)
    unit, count = UNITS[found["unit"]]
    if found["count"]:
        count = int(found["count"])
    elif found["count_word"]:
        count = NUMBERS[found["count_word"]]
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
        pm = MERIDIEM[clock["meridiem"]]
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
    minutes_east = ZONES[clock["zone"]]
    return None if minutes_east is None else timedelta(minutes=minutes_east)


def _iso(aware: datetime) -> str:
    return aware.isoformat(timespec="seconds")
