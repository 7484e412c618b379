"""One saved response as a fixture folder, read and written in one place.

A fixture is a folder ``<root>/<site>/<YYYY-MM-DD>_<short name>/`` holding ``meta.json`` (what
was fetched and how it answered), the body file ``meta.json`` names, and for an article page
``expected.json`` (the record the crawl must produce); fixtures/README.md describes the format.
The fixtures store (``clippings.replay.stores.FixtureStore``), ``clippings fixture``, the
tests, the benchmarks and the fixture builder (``fixtures/_build/``) all go through
``Fixture``. A folder that cannot be read is a ``FixtureError``: one line naming the file and
why.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from clippings.core.page import Page
from clippings.replay.responses import ReplaySourceError, SavedResponse, parse_stamp

META = "meta.json"
EXPECTED = "expected.json"


class FixtureError(ReplaySourceError):
    """A fixture folder that cannot be read: the message names the file and why."""


def dumps(value: Any) -> str:
    """A fixture's JSON file as it is written: UTF-8 text kept as is, two-space indent, a
    final newline (so that a rebuilt fixture is byte for byte the one committed)."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def read_json(path: Path, what: str) -> Any:
    """A fixture's JSON file; ``what`` says what the file is for when it is missing."""
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


def read_meta(folder: Path, required: tuple[str, ...] = ("url", "fetched_at")) -> dict[str, Any]:
    """A fixture's ``meta.json``, checked: a JSON object with the ``required`` keys as text,
    its ``fetched_at`` (when it has one) an ISO 8601 time. A replay asks only for a ``url``."""
    if not folder.is_dir():
        raise FixtureError(f"{folder}: no such fixture folder")
    path = folder / META
    meta = read_json(path, "a fixture folder holds meta.json, see fixtures/README.md")
    if not isinstance(meta, dict):
        raise FixtureError(f"{path}: not a JSON object")
    for key in required:
        if not isinstance(meta.get(key), str):
            raise FixtureError(f"{path}: no {key} (see fixtures/README.md)")
    try:
        parse_stamp(meta.get("fetched_at"))
    except (AttributeError, TypeError, ValueError):
        raise FixtureError(f"{path}: fetched_at {meta['fetched_at']!r} is not an ISO 8601 time") from None
    return meta


@dataclass(frozen=True)
class Fixture:
    """A fixture folder's content: where it is (``path``), its meta, its body and, for an
    article page, its expected record."""

    path: Path
    meta: dict[str, Any]
    body: bytes = b""
    expected: dict[str, Any] | None = field(default=None)

    @classmethod
    def load(cls, folder: Path, required: tuple[str, ...] = ("url", "fetched_at")) -> Fixture:
        """The fixture in ``folder``; a ``FixtureError`` names the file that is wrong
        (``required``: the meta keys it must have, see ``read_meta``)."""
        meta = read_meta(folder, required)
        name = meta.get("body")
        try:
            body = (folder / name).read_bytes() if name else b""
        except OSError as exc:
            raise FixtureError(f"{folder / str(name)}: meta.json's body cannot be read ({exc.strerror})") from None
        expected = None
        if (folder / EXPECTED).exists():
            expected = read_json(folder / EXPECTED, "the record the page gives")
            if not isinstance(expected, dict):
                raise FixtureError(f"{folder / EXPECTED}: not a JSON object")
        return cls(folder, meta, body, expected)

    def save(self) -> None:
        """Write the folder: meta.json, the body file it names, expected.json when there is
        one (the folder is made as needed; files of the same names are replaced)."""
        self.path.mkdir(parents=True, exist_ok=True)
        name = self.meta.get("body")
        if name:
            (self.path / name).write_bytes(self.body)
        (self.path / META).write_text(dumps(self.meta), "utf-8")
        if self.expected is not None:
            self.save_expected()

    def save_expected(self) -> None:
        """Write expected.json alone (after a correction of the record)."""
        if self.expected is None:
            raise FixtureError(f"{self.path / EXPECTED}: no expected record to write")
        (self.path / EXPECTED).write_text(dumps(self.expected), "utf-8")

    @property
    def site(self) -> str:
        return self.path.parent.name

    @property
    def name(self) -> str:
        """``<site>/<folder>``, as tests and messages name a fixture."""
        return f"{self.site}/{self.path.name}"

    @property
    def url(self) -> str:
        return self.meta["url"]

    @property
    def status(self) -> int:
        return int(self.meta.get("status", 200))

    @property
    def headers(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in (self.meta.get("headers") or {}).items()}

    @property
    def fetched_at(self) -> datetime | None:
        """The fetch time (UTC when the stamp names no zone); None for a meta without one,
        which only a replay accepts."""
        return parse_stamp(self.meta.get("fetched_at"))

    @property
    def must_not_contain(self) -> list[str]:
        return list(self.meta.get("must_not_contain") or [])

    def page(self) -> Page:
        """The page a reader is handed: the fixture's URL, body, headers and fetch time."""
        return Page(self.url, self.body, self.headers, self.fetched_at)

    def response(self) -> SavedResponse:
        """The saved response a replay answers with."""
        return SavedResponse(
            url=self.url,
            status=self.status,
            headers=list(self.headers.items()),
            body=self.body,
            fetched_at=self.fetched_at,
        )


def load_fixtures(root: Path, pattern: str = "*/*/" + META) -> list[Fixture]:
    """Every fixture below ``root`` (``<site>/<folder>/meta.json``), in path order."""
    return [Fixture.load(meta.parent) for meta in sorted(root.glob(pattern))]


def article_fixtures(root: Path) -> list[Fixture]:
    """The fixtures below ``root`` that hold an expected record (article pages)."""
    return [fixture for fixture in load_fixtures(root) if fixture.expected is not None]


_WORD = re.compile(r"\w+", re.UNICODE)


def token_f1(got: str, want: str) -> float:
    """How close a body read from a fixture is to its expected one: the bag-of-words F1 of
    the two texts' casefolded words (1.0 when identical)."""
    a, b = Counter(_WORD.findall(got.casefold())), Counter(_WORD.findall(want.casefold()))
    if not a and not b:
        return 1.0
    overlap = sum((a & b).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def leaked(body: str, meta: dict[str, Any]) -> list[str]:
    """The page's boilerplate strings (meta's ``must_not_contain``) that reached ``body``."""
    return [s for s in meta.get("must_not_contain", []) if s and s in body]
