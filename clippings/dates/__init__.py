"""Normalise the date texts of the monitored sites to ISO 8601 in Moroccan civil time.

Pure functions, no Scrapy. Table-driven: the vocabulary (months in four Arabic families
and French/English, weekdays, relative words) is data in `tables`; `spelling` folds spelling variants (`spelling_key`), `grammar`
compiles the tables into a few regular expressions once, and `parse` turns a match into a
date; `zone` is Morocco's zone, built once. dateparser was measured against this on the same 2,000 texts
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

from clippings.dates.parse import MAX_LENGTH, OLDEST, DateError, parse_date, plausibility
from clippings.dates.spelling import spelling_key
from clippings.dates.zone import CASABLANCA, localize, morocco_day

__all__ = [
    "CASABLANCA",
    "MAX_LENGTH",
    "OLDEST",
    "DateError",
    "localize",
    "morocco_day",
    "parse_date",
    "plausibility",
    "spelling_key",
]
