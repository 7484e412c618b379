"""What the state knows of one article (``Seen``, ``Dropped``) and the decision it gives for a
link (``decide``): pure functions over its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from clippings.core.config import WithDefaults
from clippings.core.contract import split_date
from clippings.dates import CASABLANCA

# A listed date this close to the article's own date says nothing new (feeds round, CMSs
# stamp the sitemap a little after the page).
LISTED_SLACK = timedelta(minutes=2)
# The ``listed`` of an article whose page came cut (``StateStore.refetch``): the next run that
# finds it listed, with a date or without, fetches it again.
REFETCH = "1970-01-01T00:00:00Z"


def state_path(settings: Any) -> Path:
    """Where the state database is: ``CLIPPINGS_STATE``, else ``<output>/.state/state.sqlite``."""
    given = settings.get("CLIPPINGS_STATE")
    if given:
        return Path(given)
    return Path(WithDefaults(settings).get("CLIPPINGS_OUTPUT_DIR")) / ".state" / "state.sqlite"


def parse_iso(text: str | None) -> datetime | None:
    """ISO 8601 (``Z``, offsets, or a bare date read as midnight UTC) -> aware datetime."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class StateError(Exception):
    """The state database cannot be opened or written (a full disk): the crawl must not run
    without it. Its text is one line naming the file and the reason."""


@dataclass(frozen=True)
class Seen:
    """What the state knows of one article."""

    site: str
    article_id: str
    url: str
    content_sha256: str | None
    published: str | None
    modified: str | None
    listed: str | None
    etag: str | None
    last_modified: str | None
    published_date: str | None = None

    def __post_init__(self) -> None:
        # Rows recorded from schema 1.0 lines may hold a bare day in published or modified:
        # read them as 2.0 says (a day of publication, an update with no known instant).
        published, day = split_date(self.published)
        object.__setattr__(self, "published", published)
        object.__setattr__(self, "published_date", self.published_date or day)
        object.__setattr__(self, "modified", split_date(self.modified)[0])

    def own_time(self) -> datetime | None:
        """The article's latest date of its own: modified, else published, else the start
        of its day of publication (Morocco's calendar)."""
        moment = parse_iso(self.modified) or parse_iso(self.published)
        if moment is None and self.published_date:
            day = date.fromisoformat(self.published_date)
            moment = datetime.combine(day, datetime.min.time(), tzinfo=CASABLANCA)
        return moment

    def conditional_headers(self) -> dict[str, str]:
        return conditional_headers(self.etag, self.last_modified)


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The headers that let a server answer 304 Not Modified: the one place they are built."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


@dataclass(frozen=True)
class Dropped:
    """An article URL that gave no article last time it was fetched."""

    reason: str
    listed: str | None
    checked_at: str


class Action(Enum):
    FETCH = "fetch"  # not in the collection
    REVALIDATE = "revalidate"  # in it, but the source says it may have changed
    SKIP = "skip"  # in it, nothing says it changed


def decide(
    seen: Seen | None,
    listed: datetime | None,
    given: bool = False,
    dropped: Dropped | None = None,
    recheck: timedelta | None = None,
    now: datetime | None = None,
) -> Action:
    """Whether to fetch an article URL found in a feed, sitemap or listing (or given by hand).

    A date from the source newer than both the one seen last time and the article's own
    date means it may have changed: fetch it again (conditionally when validators are
    known). An article named explicitly (``--url``), or whose page came cut (``REFETCH``), is
    always revalidated. Otherwise an article already written is not fetched. A URL that gave
    no article (video, soft 404, 404) is not fetched again for ``recheck`` unless its source
    date moves.
    """
    if seen is None:
        if dropped is None or given:
            return Action.FETCH
        before = parse_iso(dropped.listed)
        if listed is not None and (before is None or listed > before):
            return Action.FETCH
        checked = parse_iso(dropped.checked_at)
        if recheck is not None and checked is not None and (now or datetime.now(UTC)) - checked > recheck:
            return Action.FETCH
        return Action.SKIP
    if given or seen.listed == REFETCH:
        return Action.REVALIDATE
    if listed is None:
        return Action.SKIP
    before = parse_iso(seen.listed)
    if before is not None:
        return Action.REVALIDATE if listed > before else Action.SKIP
    own = seen.own_time()
    if own is None or listed > own + LISTED_SLACK:
        return Action.REVALIDATE
    return Action.SKIP


def is_unchanged(seen: Seen | None, record: dict[str, Any]) -> bool:
    """A refetched article with the same text and the same ``modified`` is not written again
    (lines of either schema version: a bare day is no ``modified`` instant)."""
    return (
        seen is not None
        and seen.content_sha256 == record.get("content_sha256")
        and seen.modified == split_date(record.get("modified"))[0]
    )
