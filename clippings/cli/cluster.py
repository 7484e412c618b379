"""The command line of crawls past one machine: ``clippings writer`` and the node options of
``clippings crawl`` (``--cluster``, ``--run``); docs/cluster.md."""

from __future__ import annotations

import argparse
from typing import Any

from clippings.cli.options import UsageError

CLUSTER_METAVAR = "redis://[:PASSWORD@]HOST:PORT/DB"


def add_node_options(crawl: argparse.ArgumentParser) -> None:
    crawl.add_argument(
        "--cluster",
        metavar=CLUSTER_METAVAR,
        help="run as a node of a cluster run: the run's frontier in this Redis, articles to its writer"
        " (clippings writer), never to files (-s CLIPPINGS_CLUSTER=URL; needs clippings[cluster])",
    )
    crawl.add_argument(
        "--run", metavar="RUN_ID", help="the cluster run this node is part of (-s CLIPPINGS_CLUSTER_RUN=RUN_ID)"
    )


def add_writer(commands: Any, epilog: Any) -> None:
    writer = commands.add_parser(
        "writer", **epilog("writer"), help="the collection's only writer for crawl nodes (--cluster)"
    )
    writer.add_argument("--cluster", required=True, metavar=CLUSTER_METAVAR, help="the cluster's Redis")
    writer.add_argument("--output", required=True, metavar="DIR", help="the collection to write into")
    writer.add_argument(
        "--until-idle",
        metavar="SECONDS",
        help="end after SECONDS with no message and no open run, printing the summary (default: run until stopped)",
    )
    writer.add_argument("--loglevel", default="INFO", help="log level (default: INFO)")


def check_node_options(args: argparse.Namespace) -> None:
    """--cluster and --run go together; the URL and the run id checked as their settings are."""
    from clippings.core.config import SettingError, check_value

    if bool(args.cluster) != bool(args.run):
        raise UsageError("--cluster and --run go together: a node is part of one run of one cluster")
    for option, name in (("cluster", "CLIPPINGS_CLUSTER"), ("run", "CLIPPINGS_CLUSTER_RUN")):
        try:
            check_value(name, getattr(args, option))
        except SettingError as exc:
            raise UsageError(str(exc).replace(f"{name}=", f"--{option} ", 1)) from None
    if args.state or args.new:
        given = "--state" if args.state else "--new"
        raise UsageError(f"{given}: a cluster node writes no files (its writer does)")


def reachable(url: str, run: str | None) -> None:
    """UsageError, one line, when the cluster's Redis cannot be used (or redis is not installed)."""
    from clippings.cluster.connect import ClusterError, connect

    if not run:
        raise UsageError("CLIPPINGS_CLUSTER: a node needs its run, --run RUN_ID (-s CLIPPINGS_CLUSTER_RUN)")
    try:
        connect(url).close()
    except ClusterError as exc:
        raise UsageError(str(exc)) from None


def node_note(text: str, stats: list[dict[str, Any]], settings: Any) -> str:
    """A node's summary: its ``written`` column is the writer's to fill; its last line says
    how many articles it sent, to which cluster and run."""
    from clippings.cluster.connect import shown

    sent = sum(found.get("clippings/cluster/sent", 0) for found in stats)
    lines = text.splitlines()
    if lines and lines[-1].startswith("output: "):
        lines.pop()
    url, run = shown(settings.get("CLIPPINGS_CLUSTER")), settings.get("CLIPPINGS_CLUSTER_RUN")
    return "\n".join([*lines, f"sent to the writer: {sent} articles (run {run} of {url})"])
