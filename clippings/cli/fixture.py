"""``clippings fixture save|show``: save a page as a fixture; show what is read from one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clippings.cli.options import UsageError


def fixture(args: argparse.Namespace) -> int:
    from clippings import devtools

    if args.action == "show":
        return max(devtools.show(Path(folder), sys.stdout) for folder in args.folders)
    try:
        devtools.save(args.url, args.source, Path(args.fixtures), args.name, sys.stdout)
    except (KeyError, FileExistsError, OSError, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    return 0
