"""Running the real ``clippings`` command in a subprocess (Scrapy's reactor runs once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers.fixturelib import ROOT

# Replays need no politeness: no delay between requests, no AutoThrottle.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def run_clippings(
    *args: str, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clippings.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def replay_fixtures(out: Path, site: str = "le360", timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """``clippings crawl SITE`` replaying the fixtures into ``out``, quickly."""
    return run_clippings(
        "crawl", site, "--replay", str(ROOT / "fixtures"), "--output", str(out), *FAST, timeout=timeout
    )


def read_output(directory: Path) -> list[dict[str, Any]]:
    """Every JSON line under ``directory`` (not under .state/)."""
    records = []
    for path in sorted(directory.glob("[a-z]*/*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle)
    return records


def summary_rows(stdout: str) -> dict[str, dict[str, int]]:
    """The summary table a run prints, by site: {site: {"pages": n, "written": n, ...}}."""
    from clippings.core.summary import HEADER
    from clippings.sites import SITES

    columns = HEADER.split()[1:]
    rows = {}
    for line in stdout.splitlines():
        words = line.split()
        if words and words[0] in SITES and len(words) == len(columns) + 1 and all(w.isdigit() for w in words[1:]):
            rows[words[0]] = dict(zip(columns, map(int, words[1:]), strict=True))
    return rows
