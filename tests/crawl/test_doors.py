"""The doors open one way: import-linter's three contracts (pyproject.toml, run by ``make
lint``) hold on the package, and each breaks when a copy of the package is given an import
it forbids, a type-only one included."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

DOORS = "Doors one way: each room imports only the rooms below it"
ACYCLIC = "No import cycle, type-only ones included"
ENGINES = "Scrapy and Twisted only in crawl, Dask only in reextract"
CONTRACTS = (DOORS, ACYCLIC, ENGINES)

TYPE_ONLY = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from clippings.crawl.spider import NewsSpider\n"

# (module, line added to it, the contract it breaks)
FORBIDDEN = [
    ("extract/xpaths.py", "import scrapy", ENGINES),
    ("extract/xpaths.py", "from clippings.sites import SITES", DOORS),
    ("dates/zone.py", "from clippings.core import items", DOORS),
    ("core/items.py", "from clippings.state import StateError", DOORS),
    ("collection/status.py", "from clippings.sites import SITES", DOORS),
    ("state/store.py", "from clippings.extract import read_article", DOORS),
    ("discovery/policy.py", "from clippings.workers import ExtractionPool", DOORS),
    ("reextract/task.py", "from clippings.crawl.spider import NewsSpider", DOORS),
    ("crawl/spider.py", "from clippings.reextract import task", DOORS),
    ("reextract/task.py", "import twisted.internet", ENGINES),
    ("crawl/spider.py", "import distributed", ENGINES),
    ("cli/status.py", "import scrapy", ENGINES),
    ("crawl/listings.py", TYPE_ONLY, ACYCLIC),
]


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The package and its contracts, copied where only they are on the path."""
    where = tmp_path_factory.mktemp("doors")
    shutil.copytree(ROOT / "clippings", where / "clippings", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", where / "pyproject.toml")
    return where


def lint(where: Path) -> dict[str, str]:
    """Each contract's verdict (KEPT or BROKEN) on the package in ``where``."""
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(where / "pyproject.toml")],
        cwd=where,
        env={**os.environ, "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    verdicts = {
        name: verdict for name, verdict in re.findall(r"^(.+?) (KEPT|BROKEN)\b", done.stdout, flags=re.MULTILINE)
    }
    assert set(verdicts) == set(CONTRACTS), done.stdout + done.stderr
    assert (done.returncode == 0) == (set(verdicts.values()) == {"KEPT"}), done.stdout
    return verdicts


def test_the_package_keeps_every_contract(copy):
    assert lint(copy) == dict.fromkeys(CONTRACTS, "KEPT")


@pytest.mark.parametrize(("module", "line", "broken"), FORBIDDEN, ids=[f"{m}:{c.split()[0]}" for m, _, c in FORBIDDEN])
def test_a_forbidden_import_breaks_its_contract(copy, module, line, broken):
    path = copy / "clippings" / module
    original = path.read_text("utf-8")
    path.write_text(f"{original}\n{line}\n", "utf-8")
    try:
        verdicts = lint(copy)
    finally:
        path.write_text(original, "utf-8")
    assert verdicts[broken] == "BROKEN", (module, line, verdicts)
