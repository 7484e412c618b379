"""Run history: one JSON line per crawl in ``DIR/.state/runs.ndjson``. Imports no Scrapy.

The file does not end in ``.jsonl``: under the output folder only the sites' article files
do, so any glob over them (``DIR/*/*.jsonl``, ``DIR/**/*.jsonl``) reads articles only. A
collection whose history is still in ``.state/runs.jsonl`` (written before) has it moved on
its next run (``migrate_runs``); until then ``read_runs`` reads it there.

The line itself, its fields and how a crawl's stats become one, is
``clippings.collection.run_line``. ``clippings.crawl.extensions.RunHistory`` writes it for
every crawl, however it ends (``clippings crawl``, ``scrapy crawl`` and Scrapyd jobs alike);
``append_run`` appends it whole; ``read_runs`` reads the history back for ``clippings
status``, ``clippings report`` and the export's ``runs`` table. A crawl killed without a
line (SIGKILL) is found by its ``started`` mark (``clippings.state.marks``).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

RUNS_FILE = Path(".state") / "runs.ndjson"
LEGACY_RUNS_FILE = Path(".state") / "runs.jsonl"  # before: a glob of *.jsonl found it


def runs_path(directory: str | os.PathLike[str]) -> Path:
    return Path(directory) / RUNS_FILE


def migrate_runs(directory: str | os.PathLike[str]) -> bool:
    """Move a history left in ``DIR/.state/runs.jsonl`` to ``runs.ndjson`` (one INFO line);
    True when there was one. Crawls of other sites may migrate at the same time: the move is
    made holding a lock on the old file, by a hard link (never over a history already there:
    then the old lines are appended to it whole), and the old name removed."""
    legacy = Path(directory) / LEGACY_RUNS_FILE
    try:
        fd = os.open(legacy, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(legacy).st_ino != os.fstat(fd).st_ino:
                return False  # another process moved it while this one waited
        except FileNotFoundError:
            return False
        path = runs_path(directory)
        try:
            os.link(legacy, path)
        except FileExistsError:
            size = os.fstat(fd).st_size
            _append_bytes(path, os.pread(fd, size, 0) if size else b"")
        os.unlink(legacy)
    finally:
        os.close(fd)
    logger.info("Run history moved from %s to %s (only articles end in .jsonl under %s)", legacy, path, directory)
    return True


def _append_bytes(path: Path, data: bytes) -> None:
    """Append ``data`` (whole lines) to ``path`` in one ``write`` on an O_APPEND descriptor,
    after a newline of its own when the file's last line was cut."""
    if not data:
        return
    if not data.endswith(b"\n"):
        data += b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)  # read: its last byte
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data  # after a cut line, start a line of our own
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(28, "short write (disk full?)")
        os.fsync(fd)
    finally:
        os.close(fd)


def append_run(directory: str | os.PathLike[str], record: dict[str, Any]) -> Path:
    """Append one run's line to ``DIR/.state/runs.ndjson`` whole: one ``write`` of the
    encoded line on a descriptor opened with O_APPEND (concurrent crawls of other sites
    append their own lines beside it; a reader skips a line cut by a power loss). The
    writer holds the site's lock (``clippings.collection.lock``) meanwhile: a crawl lets go of it after
    this, ``clippings reextract`` too."""
    migrate_runs(directory)
    path = runs_path(directory)
    _append_bytes(path, (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    return path


def read_runs(directory: str | os.PathLike[str], problems: list[str] | None = None) -> list[dict[str, Any]]:
    """Every run recorded for the collection in ``directory``, in the order appended. A line
    that is not a run (cut short, not JSON) is skipped; ``problems`` gets ``FILE:LINE:
    reason`` for each."""
    runs: list[dict[str, Any]] = []
    for path in (Path(directory) / LEGACY_RUNS_FILE, runs_path(directory)):  # the old file until moved
        _read_file(path, runs, problems)
    return runs


def _read_file(path: Path, runs: list[dict[str, Any]], problems: list[str] | None) -> None:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                run = json.loads(raw)
            except ValueError:
                run = None
            if not isinstance(run, dict) or not isinstance(run.get("site"), str) or not raw.endswith(b"\n"):
                if problems is not None:
                    problems.append(f"{path}:{number}: not a run (cut short, or not JSON)")
                continue
            runs.append(run)


def last_runs(runs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The latest run of each site (by end time; of equal ones, the one appended last)."""
    latest: dict[str, dict[str, Any]] = {}
    for run in runs:
        site = run["site"]
        if site not in latest or str(run.get("finished") or "") >= str(latest[site].get("finished") or ""):
            latest[site] = run
    return dict(sorted(latest.items()))
