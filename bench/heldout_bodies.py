"""Bodies of held-out-style pages: the fixture articles as templates the site modules do not know.

A benchmark, not a test: it prints figures and never fails. Run:
    python bench/heldout_bodies.py [--pages N] [--sites SITE...]

Builds N article pages as ``bench/throughput.py --unknown-templates`` does (every fixture
article in turn under a fresh URL and id, every class token and id renamed, scripts and metas
kept), reads each alone with ``extract_article`` (no learned container: the body every path
gives, see docs/decisions/one-reading.md) and sets its body against the fixture's expected
one. It prints the mean and minimum body token-F1, the pages whose body holds a line the
expected body does not (and the most frequent such lines), and the pages whose body holds a
string the fixture lists in ``must_not_contain`` (captions, share bars, teasers).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throughput import build_pages

from clippings.extract import ReadingContext, extract_article
from clippings.sites import get_site
from tests.helpers.fixturelib import article_fixtures, leaked, token_f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="how many pages to build (default 2000)")
    parser.add_argument("--sites", nargs="*", default=["le360", "almaghribtoday"], help="sites of the fixtures")
    args = parser.parse_args()
    sources = [f for f in article_fixtures() if f.site in args.sites]
    pages = build_pages(args.pages, unknown=True, sites=args.sites)
    scores: list[float] = []
    extra: Counter[str] = Counter()
    with_extra = with_leak = 0
    for n, (site, response) in enumerate(pages):
        fixture = sources[n % len(sources)]
        article = extract_article(response.page(), ReadingContext(get_site(site)))
        want = fixture.expected["body"]
        scores.append(token_f1(article.body, want))
        lines = [p for p in article.body.split("\n\n") if p not in want.split("\n\n")]
        with_extra += bool(lines)
        extra.update(line[:60] for line in lines)
        with_leak += bool(leaked(article.body, fixture.meta))
    print(f"{len(pages)} pages of {len(sources)} fixture articles ({', '.join(args.sites)}), templates unknown")
    print(f"body F1: mean {statistics.fmean(scores):.4f}  min {min(scores):.3f}")
    print(f"bodies with a line the expected body lacks: {with_extra}")
    print(f"bodies holding a must_not_contain string: {with_leak}")
    for line, count in extra.most_common(10):
        print(f"  {count:5d}  {line}")


if __name__ == "__main__":
    main()
