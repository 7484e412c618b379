"""``clippings status DIR``: each site's last run, from the run history (for monitoring)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clippings.cli.options import UsageError


def status(args: argparse.Namespace) -> int:
    import json

    from clippings.collection.status import as_text, parse_age
    from clippings.collection.status import status as site_statuses
    from clippings.sites import SITES

    try:
        max_age = parse_age(args.max_age)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not Path(args.directory).is_dir():
        raise UsageError(f"status: {args.directory}: no such folder")
    report, problems = site_statuses(args.directory, max_age, sites=SITES)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else as_text(report))
    return 0 if report["ok"] else 1
