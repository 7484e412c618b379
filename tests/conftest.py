"""What the whole suite shares: it leaves the checkout's ``output/`` as it found it.

A test writes its collections under its ``tmp_path``; one that wrote into the checkout's
``output/`` (a crawl, ``clippings record`` run from the checkout without ``--output``)
would leave a run history there that ``clippings status`` then reports. The session's
last teardown compares ``output/`` with what it held when the session began, and fails
naming what is new or changed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.fixturelib import ROOT


def snapshot(folder: Path) -> dict[str, tuple[int, int] | None]:
    """Every file (size, mtime) and folder (None) under ``folder``, dot-folders included."""
    found: dict[str, tuple[int, int] | None] = {}
    for top, folders, files in os.walk(folder):
        for name in folders:
            found[os.path.relpath(os.path.join(top, name), folder)] = None
        for name in files:
            path = os.path.join(top, name)
            try:
                stat = os.lstat(path)
            except FileNotFoundError:
                continue
            found[os.path.relpath(path, folder)] = (stat.st_size, stat.st_mtime_ns)
    return found


def left_behind(before: dict[str, tuple[int, int] | None], after: dict[str, tuple[int, int] | None]) -> list[str]:
    """What is new or changed in ``after``."""
    return sorted(name for name, state in after.items() if name not in before or before[name] != state)


@pytest.fixture(scope="session", autouse=True)
def checkout_output_untouched():
    folder = ROOT / "output"
    before = snapshot(folder)
    yield
    new = left_behind(before, snapshot(folder))
    if new:
        pytest.fail(f"the test suite wrote into {folder}: {', '.join(new[:10])}", pytrace=False)
