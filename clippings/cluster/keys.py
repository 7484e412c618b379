"""Every Redis key of a cluster, in one place.

The stream and its consumer group last for the collection; the mirror and the sources are
rebuilt by the writer at start; a run's keys (``run_keys``) are deleted when the run ends.
"""

from __future__ import annotations

PREFIX = "clippings"
STREAM = f"{PREFIX}:stream"  # nodes -> writer: articles, state changes, run starts and ends
GROUP = "writer"  # the stream's one consumer group: the writer
SOURCES = f"{PREFIX}:sources"  # feed and sitemap validators, by URL (JSON)
WRITER_RUNS = f"{PREFIX}:writer:runs"  # the runs the writer has open, and their counts so far (JSON)


def mirror(site: str) -> str:
    """The site's written articles: article id -> the state row (JSON)."""
    return f"{PREFIX}:mirror:{site}"


def dropped(site: str) -> str:
    """The site's article URLs that gave no article: article id -> reason, listed, checked_at (JSON)."""
    return f"{PREFIX}:dropped:{site}"


def lease(site: str) -> str:
    """The node crawling the site's live origin now (a value with an expiry)."""
    return f"{PREFIX}:lease:{site}"


def run(run_id: str, site: str, part: str) -> str:
    """One of a run's keys: requests (the frontier), dupefilter, seeded, nodes (node ->
    its last busy moment), budget (the article requests planned, with --max-articles)."""
    return f"{PREFIX}:run:{run_id}:{site}:{part}"


RUN_PARTS = ("requests", "dupefilter", "seeded", "nodes", "budget")


def run_keys(run_id: str, site: str) -> list[str]:
    return [run(run_id, site, part) for part in RUN_PARTS]
