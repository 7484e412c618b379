"""Many article pages for one crawl: the fixture articles re-rendered under fresh URLs and
ids, with one feed per site listing them, in a WARC that ``--replay`` reads, as
``bench/throughput.py`` builds them; for the tests that need volume (quiet logs, workers
killed mid-crawl)."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from clippings.replay import SavedResponse, WarcRecorder
from clippings.sites import get_site
from tests.helpers.fixturelib import article_fixtures

FEEDS = {
    "le360": "https://fr.le360.ma/arc/outboundfeeds/rss/?outputType=xml",
    "almaghribtoday": "https://www.almaghribtoday.net/rss",
}


def _new_id(old_id: str, rng: random.Random, n: int) -> str:
    if not old_id.isdigit():  # an Arc id
        return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(26))
    return str(int(old_id) * 10 + 500000 + n)


def build_pages(count: int, seed: int = 7, start: int = 0) -> list[tuple[str, SavedResponse]]:
    """``count`` article responses re-rendered from the fixtures under fresh URLs; pages
    ``start`` to ``start + count`` of one endless series (another ``start``, other ids)."""
    rng = random.Random(seed if not start else f"{seed}-{start}")
    sources = [f for f in article_fixtures() if f.site in FEEDS]  # the sites whose feed the WARC holds
    pages: list[tuple[str, SavedResponse]] = []
    for n in range(start, start + count):
        fixture = sources[n % len(sources)]
        site = get_site(fixture.site)
        old_id = site.article_id(fixture.expected["url"])
        new_id = _new_id(old_id, rng, n)
        body = fixture.body
        encoding = "cp1256" if b"1256" in body[:3000] or "1256" in str(fixture.headers) else "utf-8"
        old_urls = {fixture.url, fixture.expected["url"]}
        for old in old_urls:
            new = old.replace(old_id, new_id)
            body = body.replace(old.encode(encoding, "ignore"), new.encode(encoding, "ignore"))
        body = body.replace(old_id.encode(), new_id.encode())
        url = fixture.url.replace(old_id, new_id)
        pages.append(
            (
                fixture.site,
                SavedResponse(
                    url=url,
                    status=200,
                    headers=list(fixture.headers.items()),
                    body=body,
                    fetched_at=fixture.fetched_at,
                ),
            )
        )
    return pages


def write_warc(pages: list[tuple[str, SavedResponse]], path: Path, entry_points: bool = False) -> None:
    """The feeds listing ``pages``, then the pages. ``entry_points``: every other entry point
    of both sites answers too (robots.txt naming no sitemap, the other feeds, the sitemaps and
    the section listings empty), so that a crawl of the WARC asks for nothing it lacks, as a routine run would."""
    when = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)
    with WarcRecorder(path) as recorder:
        if entry_points:
            for site in FEEDS:
                rules = get_site(site)
                recorder.write(
                    SavedResponse(
                        rules.robots_url, 200, [("Content-Type", "text/plain")], b"User-agent: *\nAllow: /\n", when
                    )
                )
                for url in rules.feed_urls:
                    if url != FEEDS[site]:
                        empty = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{site}</title></channel></rss>'
                        recorder.write(
                            SavedResponse(url, 200, [("Content-Type", "application/rss+xml")], empty.encode(), when)
                        )
                for url in rules.listing_urls:  # backfills page through them
                    empty = "<!DOCTYPE html><html><head><title>rubrique</title></head><body></body></html>"
                    recorder.write(
                        SavedResponse(url, 200, [("Content-Type", "text/html; charset=utf-8")], empty.encode(), when)
                    )
                for url in rules.sitemap_urls:
                    empty = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
                    recorder.write(SavedResponse(url, 200, [("Content-Type", "application/xml")], empty.encode(), when))
        for site, feed_url in FEEDS.items():
            items = "".join(
                f"<item><title>x</title><link>{r.url.replace('&', '&amp;')}</link>"
                f"<pubDate>{format_datetime(when - timedelta(minutes=i), usegmt=True)}</pubDate></item>"
                for i, (s, r) in enumerate(pages)
                if s == site
            )
            feed = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{site}</title>{items}</channel></rss>'
            recorder.write(
                SavedResponse(
                    feed_url, 200, [("Content-Type", "application/rss+xml; charset=utf-8")], feed.encode(), when
                )
            )
        for _, response in pages:
            recorder.write(response)
