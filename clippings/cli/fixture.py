"""``clippings fixture save|show|update``: save a page as a fixture; show what is read from
one; recompute its expected.json's derived fields."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clippings.cli.options import UsageError


def _folder(given: str, fixtures: str) -> Path:
    """A fixture folder as given, or ``SITE/NAME`` below the fixtures folder."""
    path = Path(given)
    if not path.exists() and (Path(fixtures) / given).is_dir():
        return Path(fixtures) / given
    return path


def fixture(args: argparse.Namespace) -> int:
    from clippings.cli import fixtures as devtools

    try:
        if args.action == "show":
            return max(devtools.show(Path(folder), sys.stdout) for folder in args.folders)
        if args.action == "update":
            for name in args.names:
                devtools.update(_folder(name, args.fixtures), sys.stdout)
            return 0
        devtools.save(args.url, args.source, Path(args.fixtures), args.name, sys.stdout)
    except (KeyError, FileExistsError, OSError, ValueError) as exc:
        raise UsageError(f"fixture {args.action}: {str(exc).strip(chr(39) + chr(34))}") from None
    return 0
