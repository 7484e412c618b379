"""Morocco's civil time: Africa/Casablanca from the tzdata package, built here only."""

from __future__ import annotations

import importlib.resources
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


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
# (tests/unit/test_zone.py fails on any other).
CASABLANCA: ZoneInfo = _load_casablanca()


def morocco_day(moment: datetime) -> date:
    """The day of Morocco's civil calendar an aware instant falls on."""
    return moment.astimezone(CASABLANCA).date()


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
