"""``clippings validate FILE...``: JSON-lines files checked against the output schema."""

from __future__ import annotations

import argparse
import sys

from clippings.cli.options import UsageError


def validate(args: argparse.Namespace) -> int:
    from clippings.collection.validate import PathError, validate_files
    from clippings.sites import SITES

    try:
        return validate_files(args.files, out=sys.stdout, sites=SITES)
    except PathError as exc:
        raise UsageError(f"validate: {exc}") from None
