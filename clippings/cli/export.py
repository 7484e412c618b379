"""``clippings export DIR --to FILE.duckdb``: the collection as a DuckDB database."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clippings.cli.options import UsageError


class _StatusLine:
    """One line redrawn in place on a terminal (progress); cleared before anything else is
    written to the same stream."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.shown = False

    def show(self, text: str) -> None:
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def write(self, text: str) -> int:  # the stream's other writers go through here
        self.clear()
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def export(args: argparse.Namespace) -> int:
    import duckdb

    from clippings.collection.export import ExportError
    from clippings.collection.export import export as run_export
    from clippings.sites import SITES

    line = _StatusLine(sys.stderr)
    progress = line.show if sys.stderr.isatty() and not args.quiet else None
    try:
        result = run_export(
            args.directory, args.to, all_versions=args.all_versions, errors=line, progress=progress, sites=SITES
        )
    except ExportError as exc:
        raise UsageError(f"export: {exc}") from None
    except (OSError, duckdb.Error) as exc:
        line.clear()
        print(f"clippings: export to {args.to} failed: {exc}", file=sys.stderr)
        return 1
    finally:
        line.clear()
    if not args.quiet:
        what = (
            f"{result.rows:,} lines of {result.articles:,} articles"
            if args.all_versions
            else f"{result.articles:,} articles"
        )
        files = f"{result.files:,} {'file' if result.files == 1 else 'files'}"
        print(
            f"{args.to}: {what} (from {result.lines:,} lines in {files}; {result.skipped:,} skipped) in {result.seconds:.1f} s"
        )
    return 1 if result.skipped else 0
