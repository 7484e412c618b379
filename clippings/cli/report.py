"""``clippings report DIR [--to FILE.html]``: the collection's figures, as text or a page."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clippings.cli.options import UsageError


def report(args: argparse.Namespace) -> int:
    from functools import partial

    from clippings.collection.overview import as_text
    from clippings.collection.overview import gather as gather_overview
    from clippings.collection.status import parse_age
    from clippings.core.arguments import parse_count
    from clippings.sites import SITES

    try:
        days = parse_count(args.days, "--days")
    except ValueError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None
    try:
        gather = partial(gather_overview, max_age=parse_age(args.max_age), sites=SITES)
    except ValueError as exc:
        raise UsageError(f"report: {exc}") from None
    if not days:
        raise UsageError("--days 0: expected a whole number above 0")
    if not Path(args.directory).is_dir():
        raise UsageError(f"report: {args.directory}: no such folder")
    target = Path(args.to) if args.to else None
    if target is not None and (target.is_dir() or not target.parent.is_dir()):
        raise UsageError(f"report --to {target}: give a file in an existing folder")
    if target is None:
        print(as_text(gather(args.directory, days=days)))
        return 0
    from clippings.collection.report_html import MissingPlotting, render

    try:
        html = render(gather(args.directory, days=days))
    except MissingPlotting as exc:
        raise UsageError(f"report --to: {exc}") from None
    temporary = target.parent / f".{target.name}.tmp-{os.getpid()}"
    try:
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        print(f"clippings: report --to {target}: cannot write ({exc.strerror})", file=sys.stderr)
        return 1
    print(f"{target}: {len(html.encode()) / 1024:.0f} KB")
    return 0
