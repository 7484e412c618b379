"""Real article pages of other publishers, read as pages of templates the sites do not know.

A benchmark, not a test: it prints figures and never fails. Run:
    python bench/real_pages.py --pages DIR [--only TEXT] [--worst N] [--save FILE]

``DIR`` is a folder of real pages with hand-checked expected output: a ``manifest.jsonl`` of
one page a line (``file``, gzip-compressed page bytes relative to ``DIR``; ``url``,
``crawl_date``, ``language``, ``body`` a list of paragraphs). Nothing of it is kept in the
repository.

Each page's own bytes are handed to a site's extractor (``extract_article``) under that
site's article URL, as a page of a template the site does not know, fetched at the page's
``crawl_date`` (read as UTC): Arabic pages under an almaghribtoday article URL
(``/<section number>/<article number>-<slug>``), every other page under a le360 one
(``/<section>/<slug>_<26 upper-case letters or digits>/``). The same page bytes go to plain
``trafilatura.extract(html, url=url)``, with its defaults and with ``favor_precision``.

Body token-F1 against the expected body (its paragraphs joined): tokens are ``\\w+`` runs,
lower-cased, a run holding CJK characters split into single characters; bags of tokens.
It prints the mean, median and minimum F1 of each reader, the share of pages where clippings
is at or above trafilatura (defaults) - 0.02, the pages where trafilatura reaches 0.80 and
clippings stays under 0.50, the pages refused (with the reason) and the worst pages with the
source of their body.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from clippings.core.items import NotArticle
from clippings.extract import Page, ReadingContext, extract_article
from clippings.sites import get_site

_TOKEN = re.compile(r"\w+")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_SLUG = re.compile(r"[^a-z0-9]+")


def tokens(text: str) -> list[str]:
    """``\\w+`` runs, lower-cased; a run holding CJK characters as its single characters."""
    out: list[str] = []
    for run in _TOKEN.findall(text.lower()):
        if _CJK.search(run):
            out.extend(run)
        else:
            out.append(run)
    return out


def body_f1(got: str, want: str) -> float:
    a, b = Counter(tokens(got)), Counter(tokens(want))
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def site_url(entry: dict) -> tuple[str, str]:
    """(site, article URL) the page is read under: its own slug, an id made from its file."""
    digest = hashlib.sha256(entry["file"].encode()).digest()
    slug = _SLUG.sub("-", urlsplit(entry["url"]).path.lower()).strip("-")[-80:] or "article"
    if entry.get("language") == "ar":
        number = int.from_bytes(digest[:4], "big") % 900_000 + 100_000
        return "almaghribtoday", f"https://www.almaghribtoday.net/{number % 90 + 10}/{number}-{slug}"
    ident = "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:26])
    return "le360", f"https://fr.le360.ma/monde/{slug}_{ident}/"


def fetch_time(entry: dict) -> datetime:
    return datetime.fromisoformat(entry["crawl_date"]).replace(tzinfo=UTC)


def read_page(folder: Path, entry: dict) -> dict:
    body = gzip.decompress((folder / entry["file"]).read_bytes())
    want = "\n".join(entry["body"])
    site_name, url = site_url(entry)
    row = {"file": entry["file"], "language": entry.get("language")}
    try:
        page = Page(url, body, {"Content-Type": "text/html"}, fetch_time(entry))
        article = extract_article(page, ReadingContext(get_site(site_name)))
    except NotArticle as exc:
        row.update(f1=0.0, source="refused", refused=str(exc))
    else:
        row.update(f1=body_f1(article.body, want), source=article.provenance.get("body") or "none")
        row["short"] = bool(article.body_short)
    plain = trafilatura.extract(body, url=entry["url"]) or ""
    precise = trafilatura.extract(body, url=entry["url"], favor_precision=True) or ""
    row["trafilatura"] = body_f1(plain, want)
    row["precision"] = body_f1(precise, want)
    return row


def figures(values: list[float]) -> str:
    return f"mean {statistics.fmean(values):.3f}  median {statistics.median(values):.3f}  min {min(values):.3f}"


def report(rows: list[dict], worst: int) -> None:
    ours = [r["f1"] for r in rows]
    print(f"{len(rows)} pages")
    print(f"clippings                     {figures(ours)}")
    print(f"trafilatura, defaults         {figures([r['trafilatura'] for r in rows])}")
    print(f"trafilatura, favor_precision  {figures([r['precision'] for r in rows])}")
    near = sum(r["f1"] >= r["trafilatura"] - 0.02 for r in rows)
    near_precise = sum(r["f1"] >= r["precision"] - 0.02 for r in rows)
    print(f"pages >= trafilatura - 0.02: {near}/{len(rows)} ({near / len(rows):.1%}) (defaults); "
          f"{near_precise}/{len(rows)} ({near_precise / len(rows):.1%}) (favor_precision)")  # fmt: skip
    lost = [r for r in rows if r["f1"] < 0.5 and max(r["trafilatura"], r["precision"]) >= 0.8]
    print(f"pages under 0.50 where trafilatura reaches 0.80: {len(lost)}")
    sources = Counter(r["source"].split("[")[0] for r in rows)
    print("body sources: " + ", ".join(f"{s} {n}" for s, n in sources.most_common()))
    print(f"bodies flagged short: {sum(bool(r.get('short')) for r in rows)}")
    refused = [r for r in rows if r["source"] == "refused"]
    print(f"refused: {len(refused)}")
    for r in refused:
        print(f"  {r['file']}: {r['refused']}")
    print(f"worst {worst}:")
    for r in sorted(rows, key=lambda r: (r["f1"], r["f1"] - r["trafilatura"]))[:worst]:
        print(f"  {r['f1']:.3f} (trafilatura {r['trafilatura']:.3f}, precision {r['precision']:.3f}) "
              f"{r['source']:<28} {r['file']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, required=True, help="folder holding manifest.jsonl and the pages")
    parser.add_argument("--only", default="", help="only the pages whose file name holds this text")
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst pages to list")
    parser.add_argument("--save", type=Path, help="write each page's figures to this JSON-lines file")
    args = parser.parse_args()
    manifest = args.pages / "manifest.jsonl"
    if not manifest.is_file():
        sys.exit(f"{manifest}: no such file (--pages must name a folder holding manifest.jsonl)")
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [read_page(args.pages, e) for e in entries if args.only in e["file"]]
    if not rows:
        sys.exit(f"{manifest}: no page matches --only {args.only!r}")
    if args.save:
        args.save.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report(rows, args.worst)


if __name__ == "__main__":
    main()
