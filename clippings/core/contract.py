"""The output contract's versions, and reading the lines of either as the current one.

Schema 1.0 (collections written before 2.0) put a page's date without a time in
``published`` (``2018-07-24``), beside full instants, and the same in ``modified``. Schema
2.0 types them: ``published`` and ``modified`` are full instants or null, ``published_date``
is the day of publication in Morocco's calendar (the local day of ``published``, or the
page's own date when it gives no time), and a date-only update stays in ``modified_raw``.

Whatever reads lines that may be old (``clippings validate``, the state's recovery, the
export, the report) reads them through ``as_current``. Imports no Scrapy.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from clippings.core.items import OUTPUT_FIELDS, SCHEMA_VERSION
from clippings.dates import CASABLANCA

CURRENT = SCHEMA_VERSION
KNOWN_VERSIONS = ("1.0", "2.0")

_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_instant(value: object) -> bool:
    """A full ISO 8601 instant with its offset, as the contract writes them."""
    return isinstance(value, str) and _INSTANT.fullmatch(value) is not None


def is_day(value: object) -> bool:
    return isinstance(value, str) and _DAY.fullmatch(value) is not None


def morocco_date(instant: str) -> str:
    """The day of Morocco's calendar an instant (with its offset) falls on, ``YYYY-MM-DD``."""
    return datetime.fromisoformat(instant).astimezone(CASABLANCA).date().isoformat()


def split_date(value: str | None) -> tuple[str | None, str | None]:
    """(instant, day) of a normalised date: an instant gives itself and its Moroccan day, a
    bare day gives (None, day), anything else (None, None)."""
    if is_instant(value):
        assert value is not None
        return value, morocco_date(value)
    if is_day(value):
        return None, value
    return None, None


def as_current(record: dict[str, Any]) -> dict[str, Any]:
    """A valid line of any known version read as the current one: a 1.0 line's bare dates
    move out of ``published`` and ``modified`` (into ``published_date``; a date-only update
    keeps only its raw text), keys in the current order. ``schema_version`` still says what
    the line was written as. A current line is returned as it is."""
    if record.get("schema_version") != "1.0":
        return record
    published, day = split_date(record.get("published"))
    modified, _ = split_date(record.get("modified"))
    upgraded = {**record, "published": published, "published_date": day, "modified": modified}
    return {name: upgraded.get(name) for name in OUTPUT_FIELDS}


def published_day(record: dict[str, Any]) -> date | None:
    """The day of publication of a line of either version, or None when none is known."""
    day = as_current(record).get("published_date")
    return date.fromisoformat(day) if is_day(day) else None


def date_errors(record: dict[str, Any]) -> list[str]:
    """What the schema cannot say about a 2.0 line: ``published_date`` is the Moroccan day
    of ``published`` whenever there is one."""
    if record.get("schema_version") != CURRENT:
        return []
    published, day = record.get("published"), record.get("published_date")
    if not is_instant(published):
        return []
    try:
        local = morocco_date(published)
    except ValueError:
        return [f"published: {published!r} is not a date and time"]
    if day != local:
        return [f"published_date: {day!r} is not the day of published in Morocco ({local})"]
    return []
