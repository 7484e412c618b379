"""What a folder holds, to tell what a test left behind in it (the checkout's ``output/``:
``tests/conftest.py`` fails the session naming what is new or changed there)."""

from __future__ import annotations

import os
from pathlib import Path


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
