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
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

from clippings.core.contract import is_instant, morocco_date
from clippings.core.items import Article
from clippings.core.stamps import utc_stamp
from clippings.extract import NotArticle, extract_article
from clippings.replay import open_store
from clippings.sites import site_for_url


class FixtureError(ValueError):
    """A fixture folder that cannot be read (exit status 2): the message names the file."""


def _json_file(path: Path, what: str) -> Any:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise FixtureError(f"{path}: missing ({what})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"{path}: unreadable ({exc})") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise FixtureError(f"{path}: not JSON ({exc})") from None


def _load(folder: Path) -> tuple[dict[str, Any], bytes]:
    if not folder.is_dir():
        raise FixtureError(f"{folder}: no such fixture folder")
    meta = _json_file(folder / "meta.json", "a fixture folder holds meta.json, see fixtures/README.md")
    if not isinstance(meta, dict):
        raise FixtureError(f"{folder / 'meta.json'}: not a JSON object")
    for key in ("url", "fetched_at"):
        if not isinstance(meta.get(key), str):
            raise FixtureError(f"{folder / 'meta.json'}: no {key} (see fixtures/README.md)")
    try:
        datetime.fromisoformat(meta["fetched_at"].replace("Z", "+00:00"))
    except ValueError:
        raise FixtureError(
            f"{folder / 'meta.json'}: fetched_at {meta['fetched_at']!r} is not an ISO 8601 time"
        ) from None
    name = meta.get("body")
    try:
        body = (folder / name).read_bytes() if name else b""
    except OSError as exc:
        raise FixtureError(f"{folder / str(name)}: meta.json's body cannot be read ({exc.strerror})") from None
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
    expected = _json_file(expected_path, "expected.json")
    if not isinstance(expected, dict):
        raise FixtureError(f"{expected_path}: not a JSON object")
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
    from clippings.replay.responses import ReplaySourceError

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
        article = extract_article(site, saved.url, saved.body, meta["headers"], fetched)
        got = article.to_record()
    except NotArticle as exc:
        got = f"not an article: {exc}"
    day = (got.get("published_date") if isinstance(got, dict) else None) or f"{fetched:%Y-%m-%d}"
    folder = fixtures / site.name / f"{day}_{name or short_name(saved.url)}"
    if folder.exists():
        raise FileExistsError(f"{folder}: exists already (give another --name)")
    folder.mkdir(parents=True)
    (folder / "body.html").write_bytes(saved.body)
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    if isinstance(got, dict):
        (folder / "expected.json").write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{folder}: saved; review expected.json and add must_not_contain strings", file=out)
    return folder


def update(folder: Path, out: TextIO) -> list[str]:
    """Recompute expected.json's derived fields from its hand-written ones, as the crawl
    derives them: ``content_sha256`` and ``word_count`` from ``body``, ``published_date``
    from ``published`` (a page giving only its day keeps the day written by hand). Returns
    the fields changed."""
    _load(folder)
    path = folder / "expected.json"
    expected = _json_file(path, "no expected.json to update: clippings fixture save writes a draft")
    if not isinstance(expected, dict) or not isinstance(expected.get("body"), str):
        raise FixtureError(f"{path}: not an article's fields (no body)")
    derived: dict[str, Any] = {
        "content_sha256": hashlib.sha256(expected["body"].encode("utf-8")).hexdigest(),
        "word_count": len(expected["body"].split()),
    }
    published = expected.get("published")
    if is_instant(published):
        derived["published_date"] = morocco_date(published)
    changed = [key for key, value in derived.items() if expected.get(key) != value]
    if changed:
        expected.update(derived)
        path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"{path}: {', '.join(changed)} updated", file=out)
    else:
        print(f"{path}: derived fields already right", file=out)
    return changed
