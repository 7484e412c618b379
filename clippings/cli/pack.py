"""``clippings pack SOURCE --to FILE.warc.gz``: a fixtures folder (or WARC) into one WARC."""

from __future__ import annotations

import argparse

from clippings.cli.options import UsageError


def pack(args: argparse.Namespace) -> int:
    from clippings.replay import ReplaySourceError, copy_store, open_store

    try:
        store = open_store(args.source)
    except ReplaySourceError as exc:
        raise UsageError(str(exc)) from None
    count = copy_store(store, args.to)
    print(f"{args.to}: {count} responses")
    return 0
