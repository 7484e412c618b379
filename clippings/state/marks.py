"""A running crawl's ``started`` mark (``DIR/.state/<site>.started``), replaced by its run-history
line when it ends: a mark left behind, its process gone, is a crawl that was killed (SIGKILL, a
crash), shown by ``clippings status`` as ``interrupted``. Imports no Scrapy."""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Any


def started_path(directory: str | os.PathLike[str], site: str) -> Path:
    """Where a site's running crawl leaves its ``started`` mark, until its line is appended."""
    return Path(directory) / ".state" / f"{site}.started"


def mark_started(directory: str | os.PathLike[str], site: str, run_id: str, started: datetime) -> None:
    """The ``started`` mark of a run (``site``, ``run_id``, ``started``, this process's
    ``pid`` and ``host``), put in place whole (written aside, then renamed)."""
    mark = {
        "site": site,
        "run_id": run_id,
        "started": started.isoformat().replace("+00:00", "Z"),
        "pid": os.getpid(),
        "host": socket.gethostname(),
    }
    path = started_path(directory, site)
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    aside.write_text(json.dumps(mark, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(aside, path)


def clear_started(directory: str | os.PathLike[str], site: str, run_id: str) -> None:
    """The crawl's line is appended: its mark goes (only its own: a later crawl's stays)."""
    path = started_path(directory, site)
    found = _read_mark(path)
    if found is not None and found.get("run_id") == run_id:
        path.unlink(missing_ok=True)


def _read_mark(path: Path) -> dict[str, Any] | None:
    try:
        mark = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return mark if isinstance(mark, dict) and isinstance(mark.get("site"), str) else None


def started_marks(directory: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """The ``started`` marks in the collection, by site: crawls running, or ended without
    their line (SIGKILL, a crash, a power cut)."""
    marks = {}
    for path in sorted((Path(directory) / ".state").glob("*.started")):
        mark = _read_mark(path)
        if mark is not None:
            marks[mark["site"]] = mark
    return marks
