"""The repository's fixtures for the tests: ``clippings.replay.fixture`` over ``fixtures/``."""

from __future__ import annotations

from pathlib import Path

from clippings.replay.fixture import Fixture, leaked, load_fixtures, token_f1

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"

__all__ = ["FIXTURES", "ROOT", "Fixture", "all_fixtures", "article_fixtures", "leaked", "token_f1"]


def all_fixtures() -> list[Fixture]:
    return load_fixtures(FIXTURES)


def article_fixtures() -> list[Fixture]:
    return [f for f in all_fixtures() if f.expected is not None]
