"""The edit-compare loop for extraction rules: save a page as a fixture, re-run one, diff.

``clippings fixture save URL --from SOURCE`` copies a saved response (WARC or fixtures
folder) into ``fixtures/<site>/<publication date>_<short name>/`` (the short name from the
URL's slug, or ``--name``), with the current extraction as a draft ``expected.json`` to
correct by hand. ``clippings fixture show DIR`` re-runs extraction on a fixture and prints
each field that differs from expected.json. ``clippings fixture update DIR`` recomputes
expected.json's derived fields from its hand-written ones. A fixture that cannot be read
is a ``FixtureError``: one line naming the file and why.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

from clippings.core.contract import is_instant, morocco_date
from clippings.core.items import Article
from clippings.core.page import Page, ReadingContext
from clippings.core.stamps import utc_stamp
from clippings.core.tokens import count as count_words
from clippings.extract import NotArticle, extract_article
from clippings.replay import open_store
from clippings.replay.fixture import EXPECTED, Fixture, FixtureError, dumps
from clippings.replay.responses import ReplaySourceError
from clippings.sites import site_for_url


def read_fixture(folder: Path | Fixture) -> Article | str:
    """The article extraction gives for a fixture (or its folder), or the not-an-article
    reason."""
    fixture = folder if isinstance(folder, Fixture) else Fixture.load(folder)
    site = site_for_url(fixture.url)
    if site is None:
        return f"no site owns {fixture.url}"
    try:
        return extract_article(fixture.page(), ReadingContext(site))
    except NotArticle as exc:
        return f"not an article: {exc}"


def extract_fixture(folder: Path) -> dict[str, Any] | str:
    """The record extraction gives for a fixture folder, or the not-an-article reason."""
    article = read_fixture(folder)
    return article if isinstance(article, str) else article.to_record()


def show(folder: Path, out: TextIO) -> int:
    """Print where each field came from, then the fields that differ from expected.json
    (all fields when there is none)."""
    fixture = Fixture.load(folder)
    article = read_fixture(fixture)
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
    expected = fixture.expected
    if expected is None:
        print(dumps(got).rstrip("\n"), file=out)
        return 0
    differing = [k for k in expected if got.get(k) != expected[k]]
    for key in differing:
        print(f"--- {key}\n  expected: {expected[key]!r}\n  got:      {got.get(key)!r}", file=out)
    print(f"{folder}: {len(differing)} field(s) differ", file=out)
    return 1 if differing else 0


_STOP_WORDS = frozenset(
    ["the", "and", "for", "with", "from", "les", "des", "une", "dans", "pour", "sur", "avec", "par", "est"]
)
_ID_WORD = re.compile(r"^(?:\d+|[a-z0-9]{20,})$")  # an article number, an Arc story id


def short_name(url: str, words: int = 4) -> str:
    """A fixture's short name from its URL's slug: the first words of the last path segment,
    decoded (Arabic stays Arabic), ids and short words left out; ``page`` when none is left."""
    segment = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]).lower()
    segment = re.sub(r"\.(?:html?|php|aspx?)$", "", segment)
    tokens = [t for t in re.split(r"[\W_]+", segment) if t and not _ID_WORD.match(t)]
    kept = [t for t in tokens if len(t) > 2 and t not in _STOP_WORDS] or tokens
    return "-".join(kept[:words])[:40].strip("-") or "page"


def save(url: str, source: str, fixtures: Path, name: str | None, out: TextIO) -> Path:
    """Copy one saved response into a new fixture folder with a draft expected.json, named
    ``<publication date>_<short name>`` (the fetch day for a page with no date; ``name``
    replaces the short name)."""
    if not Path(source).exists():
        raise FixtureError(f"--from {source}: no such file or folder")
    try:
        saved = open_store(source).get(url)
    except ReplaySourceError as exc:
        raise FixtureError(f"--from {source}: {exc}") from None
    if saved is None:
        raise KeyError(f"{url}: not in {source}")
    site = site_for_url(url)
    if site is None:
        raise KeyError(f"{url}: belongs to no known site")
    if name is not None and (not name or "/" in name or name.startswith(".")):
        raise FixtureError(f"--name {name!r}: a short name, without / (the folder is DATE_NAME)")
    fetched = saved.fetched_at or datetime.now(UTC)
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
    got: dict[str, Any] | str
    try:
        article = extract_article(Page(saved.url, saved.body, meta["headers"], fetched), ReadingContext(site))
        got = article.to_record()
    except NotArticle as exc:
        got = f"not an article: {exc}"
    day = (got.get("published_date") if isinstance(got, dict) else None) or f"{fetched:%Y-%m-%d}"
    folder = fixtures / site.name / f"{day}_{name or short_name(saved.url)}"
    if folder.exists():
        raise FileExistsError(f"{folder}: exists already (give another --name)")
    Fixture(folder, meta, saved.body, got if isinstance(got, dict) else None).save()
    print(f"{folder}: saved; review expected.json and add must_not_contain strings", file=out)
    return folder


def update(folder: Path, out: TextIO) -> list[str]:
    """Recompute expected.json's derived fields from its hand-written ones, as the crawl
    derives them: ``content_sha256`` and ``word_count`` from ``body``, ``published_date``
    from ``published`` (a page giving only its day keeps the day written by hand). Returns
    the fields changed."""
    fixture = Fixture.load(folder)
    path = folder / EXPECTED
    expected = fixture.expected
    if expected is None:
        raise FixtureError(f"{path}: missing (no expected.json to update: clippings fixture save writes a draft)")
    if not isinstance(expected.get("body"), str):
        raise FixtureError(f"{path}: not an article's fields (no body)")
    derived: dict[str, Any] = {
        "content_sha256": hashlib.sha256(expected["body"].encode("utf-8")).hexdigest(),
        "word_count": count_words(expected["body"]),  # the crawl's count (CJK characters one by one)
    }
    published = expected.get("published")
    if is_instant(published):
        derived["published_date"] = morocco_date(published)
    changed = [key for key, value in derived.items() if expected.get(key) != value]
    if changed:
        replace(fixture, expected={**expected, **derived}).save_expected()
        print(f"{path}: {', '.join(changed)} updated", file=out)
    else:
        print(f"{path}: derived fields already right", file=out)
    return changed
