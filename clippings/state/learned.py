"""Article containers learned from the pages a crawl reads whole. Imports no Scrapy.

A page of a template the site module does not know is read from its article block (the
element holding most of its paragraphs, ``clippings.extract.block``), and its reading names
that element when an id or class finds it alone (``Article.container_hint``). Once
``LEARN_AFTER`` pages of one template name the same element, the container is learned. A
learned container never changes a body: every page of its template is read as without it,
and the container checked against that body (``Article.learned_check``): selecting the very
element the body was read from, it gives that body by construction; another element is read
and compared, to the character (and the page then names its block to be learned too, so
that later pages of the template are checked by identity). Equal, the body's source is
``learned``; at the first
difference the container is forgotten (and can be learned again) and the difference counted
(``learned/forgotten``). What a page gives is
therefore the same whatever was learned before it, in whichever process.

What is learned is kept with the collection, in the state database (table ``containers``),
or in memory for a crawl without state.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clippings.core.items import Article

LEARN_AFTER = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS containers (
    site TEXT NOT NULL,
    template TEXT NOT NULL,
    xpath TEXT NOT NULL,
    pages INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 0,
    forgotten INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site, template, xpath)
)
"""


class ContainerMemory:
    """Learned containers, by site and template; ``db`` None keeps them in memory."""

    def __init__(self, db: sqlite3.Connection | None = None) -> None:
        self.db = db
        # (site, template, xpath) -> [pages, active, forgotten]
        self._rows: dict[tuple[str, str, str], list[int]] = {}
        self._known: dict[str, tuple[tuple[str, str], ...]] = {}
        if db is not None:
            try:
                db.execute(_SCHEMA)
                rows = db.execute("SELECT site, template, xpath, pages, active, forgotten FROM containers").fetchall()
            except sqlite3.Error:
                self.db, rows = None, []  # see _save: kept in memory for this crawl
            for site, template, xpath, pages, active, forgotten in rows:
                self._rows[(site, template, xpath)] = [pages, active, forgotten]

    def known(self, site: str) -> tuple[tuple[str, str], ...]:
        """The active (template, xpath) containers of a site."""
        if site not in self._known:
            self._known[site] = tuple(
                (template, xpath)
                for (s, template, xpath), (_, active, _) in sorted(self._rows.items())
                if s == site and active
            )
        return self._known[site]

    def suggest(self, site: str, template: str, xpath: str) -> bool:
        """A page of ``template`` read whole had its body in ``xpath``; True when that makes
        the container known (learned)."""
        row = self._rows.setdefault((site, template, xpath), [0, 0, 0])
        row[0] += 1
        learned = not row[1] and row[0] >= LEARN_AFTER
        if learned:
            row[1] = 1
            self._known.pop(site, None)
        self._save(site, template, xpath, row)
        return learned

    def forget(self, site: str, template: str, xpath: str) -> None:
        """The container's reading of a page differed from the page's body: no longer trusted."""
        row = self._rows.setdefault((site, template, xpath), [0, 0, 0])
        row[0], row[1] = 0, 0
        row[2] += 1
        self._known.pop(site, None)
        self._save(site, template, xpath, row)

    def _save(self, site: str, template: str, xpath: str, row: list[int]) -> None:
        if self.db is None:
            return
        try:
            self.db.execute(
                "INSERT INTO containers (site, template, xpath, pages, active, forgotten)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, template, xpath) DO UPDATE SET"
                " pages = excluded.pages, active = excluded.active, forgotten = excluded.forgotten",
                (site, template, xpath, *row),
            )
        except sqlite3.Error:
            # What is learned is an optimisation: a state that cannot take it (a full disk is
            # reported by the writes that matter) leaves it in memory for this crawl.
            self.db = None


def learn_containers(memory: ContainerMemory, site: str, article: Article) -> list[tuple[str, str | None]]:
    """Learn (or forget) the article container a page's reading points to; what to count,
    each with a line to log at INFO or None."""
    counts: list[tuple[str, str | None]] = []
    if article.container_hint and memory.suggest(site, *article.container_hint):
        counts.append(("learned/containers", f"{site}: learned the article container {article.container_hint[1]}"))
    if article.learned_check:
        (template, xpath), agreed = article.learned_check
        if agreed:
            counts.append(("learned/verified", None))
        else:
            memory.forget(site, template, xpath)
            counts.append(
                (
                    "learned/forgotten",
                    f"{site}: forgot the article container {xpath}: its reading of {article.url} differed from the page's body",
                )
            )
    return counts
