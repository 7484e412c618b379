"""Loading fixtures and comparing items: shared by the tests and the benchmarks."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Fixture:
    path: Path
    meta: dict[str, Any]

    @property
    def site(self) -> str:
        return self.path.parent.name

    @property
    def name(self) -> str:
        return f"{self.site}/{self.path.name}"

    @property
    def url(self) -> str:
        return self.meta["url"]

    @property
    def body(self) -> bytes:
        name = self.meta.get("body")
        return (self.path / name).read_bytes() if name else b""

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.meta.get("headers") or {})

    @property
    def fetched_at(self) -> datetime:
        return datetime.fromisoformat(self.meta["fetched_at"].replace("Z", "+00:00"))

    @property
    def expected(self) -> dict[str, Any] | None:
        path = self.path / "expected.json"
        return json.loads(path.read_text("utf-8")) if path.exists() else None


def all_fixtures() -> list[Fixture]:
    found = []
    for meta_path in sorted(FIXTURES.glob("*/*/meta.json")):
        found.append(Fixture(meta_path.parent, json.loads(meta_path.read_text("utf-8"))))
    return found


def article_fixtures() -> list[Fixture]:
    return [f for f in all_fixtures() if (f.path / "expected.json").exists()]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def token_f1(got: str, want: str) -> float:
    """Bag-of-words F1 between two texts (1.0 when identical)."""
    a, b = Counter(tokens(got)), Counter(tokens(want))
    if not a and not b:
        return 1.0
    overlap = sum((a & b).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def leaked(body: str, meta: dict[str, Any]) -> list[str]:
    """Boilerplate strings of the page that reached the body."""
    return [s for s in meta.get("must_not_contain", []) if s and s in body]
