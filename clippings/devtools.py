"""The edit-compare loop for extraction rules: save a page as a fixture, re-run one, diff.

``clippings fixture save URL --from SOURCE`` copies a saved response (WARC or fixtures
folder) into ``fixtures/<site>/<date>_<name>/``, with the current extraction as a draft
``expected.json`` to correct by hand. ``clippings fixture show DIR`` re-runs extraction on a
fixture and prints each field that differs from expected.json.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from clippings.core.items import Article
from clippings.core.stamps import utc_stamp
from clippings.extract import NotArticle, extract_article
from clippings.replay import open_store
from clippings.sites import site_for_url


def _load(folder: Path) -> tuple[dict[str, Any], bytes]:
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    body = (folder / meta["body"]).read_bytes() if meta.get("body") else b""
    return meta, body


def read_fixture(folder: Path) -> Article | str:
    """The article extraction gives for a fixture folder, or the not-an-article reason."""
    meta, body = _load(folder)
    site = site_for_url(meta["url"])
    if site is None:
        return f"no site owns {meta['url']}"
    fetched = datetime.fromisoformat(meta["fetched_at"].replace("Z", "+00:00"))
    try:
        return extract_article(site, meta["url"], body, meta.get("headers"), fetched)
    except NotArticle as exc:
        return f"not an article: {exc}"


def extract_fixture(folder: Path) -> dict[str, Any] | str:
    """The record extraction gives for a fixture folder, or the not-an-article reason."""
    article = read_fixture(folder)
    return article if isinstance(article, str) else article.to_record()


def show(folder: Path, out: TextIO) -> int:
    """Print where each field came from, then the fields that differ from expected.json
    (all fields when there is none)."""
    article = read_fixture(folder)
    if isinstance(article, str):
        print(article, file=out)
        return 1
    got = article.to_record()
    print("sources:", file=out)
    for name in got:
        if name in article.provenance:
            print(f"  {name:<10} {article.provenance[name]}", file=out)
    if article.body_short:
        print("  (the body is much shorter than the page's other evidence of it)", file=out)
    expected_path = folder / "expected.json"
    if not expected_path.exists():
        print(json.dumps(got, ensure_ascii=False, indent=2), file=out)
        return 0
    expected = json.loads(expected_path.read_text("utf-8"))
    differing = [k for k in expected if got.get(k) != expected[k]]
    for key in differing:
        print(f"--- {key}\n  expected: {expected[key]!r}\n  got:      {got.get(key)!r}", file=out)
    print(f"{folder}: {len(differing)} field(s) differ", file=out)
    return 1 if differing else 0


def save(url: str, source: str, fixtures: Path, name: str | None, out: TextIO) -> Path:
    """Copy one saved response into a new fixture folder with a draft expected.json."""
    saved = open_store(source).get(url)
    if saved is None:
        raise KeyError(f"{url}: not in {source}")
    site = site_for_url(url)
    if site is None:
        raise KeyError(f"{url}: belongs to no known site")
    fetched = saved.fetched_at or datetime.now(UTC)
    slug = name or re.sub(r"[^a-z0-9]+", "-", url.lower().rsplit("/", 2)[-2])[:40].strip("-")
    folder = fixtures / site.name / f"{fetched:%Y-%m-%d}_{slug}"
    folder.mkdir(parents=True, exist_ok=False)
    (folder / "body.html").write_bytes(saved.body)
    meta = {
        "url": saved.url,
        "status": saved.status,
        "headers": dict(saved.headers),
        "fetched_at": utc_stamp(fetched),
        "body": "body.html",
        "kind": "article" if site.is_article_url(url) else "page",
        "template": None,
        "must_not_contain": [],
        "drop_reason": None,
        "note": f"saved from {Path(source).name}; expected.json is a DRAFT: check it by hand",
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    got = extract_fixture(folder)
    if isinstance(got, dict):
        (folder / "expected.json").write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{folder}: saved; review expected.json and add must_not_contain strings", file=out)
    return folder
