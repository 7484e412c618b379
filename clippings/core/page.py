"""One fetched page (``Page``) and what it is read with (``ReadingContext``): the two values
every reader of a page is handed, in the crawl, in its workers, in ``reextract``, alone
(``clippings.extract_page``), in the fixture tools and the benchmarks.

``Page`` is shaped like web-poet's ``HttpResponse`` (``url``, ``body`` bytes, ``headers``),
with the time it was fetched: the response as the reader sees it, whoever fetched or saved
it. ``ReadingContext`` is the site the page belongs to and the article containers learned
from its earlier pages (``clippings.state.learned``), which never change what is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from clippings.core.site import Site

# Article containers learned for a site: (template, xpath) pairs.
Learned = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Page:
    """A fetched page: its URL, its body as bytes, its response headers (names to values, the
    first value of a repeated header) and when it was fetched (None: not known)."""

    url: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    fetched_at: datetime | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.body, bytes | bytearray | memoryview):
            raise TypeError(f"{self.url}: a Page's body is bytes, not {type(self.body).__name__}")
        # A plain dict of its own: a Page travels to worker processes, and a caller's mapping
        # changed later must not change it.
        object.__setattr__(self, "body", bytes(self.body))
        object.__setattr__(self, "headers", dict(self.headers or {}))

    def header(self, name: str) -> str | None:
        """A header's value, its name in any case; None when the response had none."""
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), None)


@dataclass(frozen=True)
class ReadingContext:
    """What a page is read with: its ``site``, and the article containers ``learned`` from
    earlier pages of that site (each checked against the page's own reading, never read
    instead of it)."""

    site: Site
    learned: Learned = ()
