"""The reading's exact shortcuts against the long way they replace, on the throughput bench's
pages: the same answers, and the CPU time of each.

A benchmark, not a test: it prints figures and never fails. Run:
    python bench/shortcuts.py [--pages N] [--sites SITE...] [--rounds R]

1. The test of a page's text for the characters an lxml tree refuses: the regex scan
   (``_NOT_XML.search``) against ``html._xml_compatible`` (UTF-8 encoding and a byte
   translation, in C), on every page's decoded text.
2. A paragraph's text (``main_block.paragraph_text``) against the long way (the element's visible
   text, measured against its links' text, however many children it has), on every ``<p>``
   and ``<div>`` of every page.

Each is timed ``--rounds`` times, interleaved, and its best kept (CPU time of this process).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import lxml.html
from throughput import build_pages

from clippings.extract.document import _NOT_XML, _xml_compatible, decode_html, header_value, parse_html
from clippings.extract.main_block import _INLINE, visible_text
from clippings.extract.main_block import paragraph_text as shortcut_paragraph


def long_paragraph(element: lxml.html.HtmlElement) -> str | None:
    """``paragraph_text`` as it was: every element read through ``visible_text``."""
    if element.tag == "div" and any(not isinstance(c.tag, str) or c.tag not in _INLINE for c in element):
        return None
    if element.tag not in ("p", "div"):
        return None
    text = visible_text(element)
    if len(text) < 40:
        return None
    linked = sum(len(a.text_content()) for a in element.iter("a"))
    return None if linked > len(text) / 2 else text


def timed(function, items) -> tuple[float, list]:
    start = time.process_time()
    out = [function(item) for item in items]
    return time.process_time() - start, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--sites", nargs="+", default=["le360", "almaghribtoday"], metavar="SITE")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    pages = build_pages(args.pages, unknown=True, sites=args.sites)
    texts = [decode_html(r.body, header_value(dict(r.headers), "Content-Type")) for _, r in pages]
    elements = [e for text in texts for e in parse_html(text).iter("p", "div")]
    print(f"{len(texts)} pages of {', '.join(args.sites)} (unknown templates), {len(elements)} <p> and <div>")

    cases = {
        "XML test": (lambda t: _NOT_XML.search(t) is None, _xml_compatible, texts),
        "paragraph_text": (long_paragraph, shortcut_paragraph, elements),
    }
    for name, (long_way, shortcut, items) in cases.items():
        best_long = best_short = float("inf")
        same = True
        for number in range(args.rounds):
            order = [(long_way, "long"), (shortcut, "short")]
            for function, kind in order if number % 2 == 0 else order[::-1]:
                seconds, out = timed(function, items)
                if kind == "long":
                    best_long, expected = min(best_long, seconds), out
                else:
                    best_short, got = min(best_short, seconds), out
            same = same and expected == got
        print(
            f"{name}: long way {best_long:.3f} s, shortcut {best_short:.3f} s CPU (best of {args.rounds});"
            f" {best_long / best_short:.2f} x; same answers on every item: {same}"
        )


if __name__ == "__main__":
    main()
