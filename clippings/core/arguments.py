"""Checks of the values operators pass in (command line, ``-a``, ``-s``), shared by the
``clippings`` command and the spiders; imports neither Scrapy nor the extraction code, so
the command can check its arguments and start its workers before loading either."""

from __future__ import annotations

import os
from datetime import date


def parse_day(value: str | date | None, name: str) -> date | None:
    """``-a since=2025-09-01`` (a string, as Scrapyd passes it) -> a date; ValueError names it."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{name}={value!r}: expected a date as YYYY-MM-DD") from None


def parse_count(value: str | int | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 1:
        raise ValueError(f"{name}={value!r}: expected a whole number above 0")
    return number


def parse_workers(value: object, name: str = "CLIPPINGS_WORKERS") -> int:
    """A worker count: a whole number from 1, or ``auto`` (one per core)."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return os.cpu_count() or 1
    try:
        count = int(str(value).strip())
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise ValueError(f"{name}={value!r}: expected a whole number above 0, or auto")
    return count
