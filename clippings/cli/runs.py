"""``clippings runs DIR``: the run history, one JSON line a run (``DIR/.state/runs.ndjson``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from clippings.cli.options import UsageError


def runs(args: argparse.Namespace) -> int:
    from clippings.collection.runs import read_runs

    if not Path(args.directory).is_dir():
        raise UsageError(f"runs: {args.directory}: no such folder")
    if args.last is not None and args.last < 0:
        raise UsageError(f"runs: --last {args.last}: expected a count, 0 or more")
    problems: list[str] = []
    history = read_runs(args.directory, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.site:
        history = [run for run in history if run["site"] in args.site]
    if args.last is not None:
        history = history[-args.last :] if args.last else []
    for run in history:
        print(json.dumps(run, ensure_ascii=False, separators=(",", ":")))
    return 1 if problems else 0
