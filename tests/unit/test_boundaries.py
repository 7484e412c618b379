"""Extraction, site knowledge, learning and the steps from a read page to a written line
import no Scrapy or Twisted themselves: they run in worker processes, in tests and in tools
with no crawl. (web-poet's itemadapter imports Scrapy
when it is installed; no clippings module below does.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "clippings"
SCRAPY_FREE = sorted(
    [
        *ROOT.joinpath("extract").rglob("*.py"),
        *ROOT.joinpath("sites").rglob("*.py"),
        *ROOT.joinpath("core").glob("*.py"),
        *(ROOT / "crawl" / name for name in ("summary.py", "readers.py", "resources.py")),
        *ROOT.joinpath("discovery").glob("*.py"),
        *ROOT.joinpath("state").glob("*.py"),
        *ROOT.joinpath("workers").glob("*.py"),
        *ROOT.joinpath("dates").glob("*.py"),
        *ROOT.joinpath("replay").glob("*.py"),
        *(p for p in ROOT.joinpath("reextract").glob("*.py") if p.name != "plugin.py"),
    ]
)


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", SCRAPY_FREE, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_no_scrapy(path):
    assert not imported(path) & {"scrapy", "twisted"}


def test_the_scan_sees_the_modules():
    assert len(SCRAPY_FREE) >= 15
    assert "scrapy" in imported(ROOT / "crawl" / "spider.py")
