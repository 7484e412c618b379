"""``clippings writer``: the collection's only writer for the crawl nodes of a cluster
(``clippings.cluster.writer``); docs/cluster.md."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from types import FrameType

from clippings.cli.options import UsageError
from clippings.collection.lock import BUSY_STATUS


def writer(args: argparse.Namespace) -> int:
    from clippings.cluster.connect import ClusterError, connect
    from clippings.core.config import SettingError, check_value

    try:
        check_value("CLIPPINGS_CLUSTER", args.cluster)
        level = check_value("LOG_LEVEL", args.loglevel)
    except SettingError as exc:
        raise UsageError(
            str(exc).replace("CLIPPINGS_CLUSTER=", "--cluster ").replace("LOG_LEVEL=", "--loglevel ")
        ) from None
    until_idle = None
    if args.until_idle is not None:
        try:
            until_idle = float(args.until_idle)
            if not until_idle >= 0:
                raise ValueError
        except ValueError:
            raise UsageError(f"--until-idle {args.until_idle!r}: expected a number of seconds, 0 or more") from None
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output}: not a folder")
    logging.basicConfig(level=level, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s", stream=sys.stderr)
    try:
        client = connect(args.cluster)
    except ClusterError as exc:
        raise UsageError(str(exc)) from None
    from clippings.cluster.writer import Busy, Writer
    from clippings.crawl.summary import summary

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--output {output}: cannot create it ({exc.strerror or exc})") from None
    process = Writer(client, output)
    try:
        process.start()
    except Busy as exc:
        print(f"clippings: {exc}", file=sys.stderr)
        return BUSY_STATUS

    def stop(signum: int, frame: FrameType | None) -> None:
        process.stopping = True  # the batch in hand is finished and acknowledged first

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        process.run(until_idle)
    finally:
        process.release()
    text, status = summary(process.runs.closed_stats, output)
    totals = process.totals
    print(text)
    print(
        f"writer: {totals['written']} lines written, {totals['known']} articles already in the collection"
        f" not written again, {totals['claimed']} messages claimed, {len(process.runs.open)} runs still open"
    )
    return status
