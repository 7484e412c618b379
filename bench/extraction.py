"""Extraction quality and cost: plain trafilatura beside clippings, on every fixture article.

A benchmark, not a test: it prints figures and never fails. Run: python bench/extraction.py
For each article page: body token-F1 against the expected body, boilerplate strings leaked
into the body (from the fixture's must_not_contain), and milliseconds per page; then the share
of pages by the source the body was read from (``Article.provenance["body"]``, every site rule
as "rule") and the number of bodies flagged short (``Article.body_short``).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

import trafilatura

from clippings.extract import ReadingContext, extract_article
from clippings.extract.document import decode_html, header_value
from clippings.replay.fixture import article_fixtures, leaked, token_f1
from clippings.sites import get_site

REPEAT = 5


def plain(fixture) -> str:
    text = decode_html(fixture.body, header_value(fixture.headers, "Content-Type"))
    return trafilatura.extract(text, url=fixture.url) or ""


def read(fixture):
    return extract_article(fixture.page(), ReadingContext(get_site(fixture.site)))


def ours(fixture) -> str:
    return read(fixture).body


def body_source(article) -> str:
    """Where the body came from, every site rule (``rule:<site>.body[N]``) as "rule"."""
    source = article.provenance.get("body") or "none"
    return "rule" if source.startswith("rule:") else source


def timed(function, fixture) -> tuple[str, float]:
    result = function(fixture)
    start = time.perf_counter()
    for _ in range(REPEAT):
        function(fixture)
    return result, (time.perf_counter() - start) * 1000 / REPEAT


def main() -> None:
    rows = []
    sources: Counter[str] = Counter()
    short: list[str] = []
    for fixture in article_fixtures(FIXTURES):
        article = read(fixture)
        sources[body_source(article)] += 1
        if article.body_short:
            short.append(fixture.name)
        want = fixture.expected["body"]
        got_plain, ms_plain = timed(plain, fixture)
        got_ours, ms_ours = timed(ours, fixture)
        rows.append(
            (
                fixture.name,
                token_f1(got_plain, want),
                len(leaked(got_plain, fixture.meta)),
                ms_plain,
                token_f1(got_ours, want),
                len(leaked(got_ours, fixture.meta)),
                ms_ours,
            )
        )
    width = max(len(r[0]) for r in rows)
    print(f"{'page':<{width}}  {'plain F1':>8} {'leaks':>5} {'ms':>6}   {'ours F1':>8} {'leaks':>5} {'ms':>6}")
    for name, f1p, lp, mp, f1o, lo, mo in rows:
        print(f"{name:<{width}}  {f1p:>8.3f} {lp:>5} {mp:>6.1f}   {f1o:>8.3f} {lo:>5} {mo:>6.1f}")
    print(
        f"{'mean / total':<{width}}  {statistics.mean(r[1] for r in rows):>8.3f} {sum(r[2] for r in rows):>5}"
        f" {statistics.mean(r[3] for r in rows):>6.1f}   {statistics.mean(r[4] for r in rows):>8.3f}"
        f" {sum(r[5] for r in rows):>5} {statistics.mean(r[6] for r in rows):>6.1f}"
    )
    print(
        f"pages: {len(rows)}; pages at F1>=0.98: plain {sum(r[1] >= 0.98 for r in rows)},"
        f" ours {sum(r[4] >= 0.98 for r in rows)}; pages with leaks: plain {sum(r[2] > 0 for r in rows)},"
        f" ours {sum(r[5] > 0 for r in rows)}"
    )
    print("(ours includes metadata, dates, language and derived fields; plain is the body only)")
    print(
        "body source (ours): "
        + ", ".join(f"{source} {count} ({count / len(rows):.0%})" for source, count in sources.most_common())
    )
    print(f"short bodies (ours): {len(short)}" + (f" ({', '.join(short)})" if short else ""))


if __name__ == "__main__":
    main()
