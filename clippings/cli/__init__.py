"""The ``clippings`` command: a thin layer over Scrapy, one module per subcommand.

Every crawl option is a Scrapy setting or spider argument (README.md lists the equivalents),
so ``scrapy crawl`` and Scrapyd runs behave the same as this command. A subcommand's module
is imported only when it runs: ``clippings status`` loads neither Scrapy nor the extraction.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from clippings.cli.options import UsageError
from clippings.cli.parser import build_parser

__all__ = ["COMMANDS", "UsageError", "build_parser", "main"]

# Each subcommand and the module whose function of the same name runs it.
COMMANDS = (
    "crawl",
    "validate",
    "export",
    "status",
    "runs",
    "report",
    "pack",
    "fixture",
    "record",
    "reextract",
    "writer",
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        command = getattr(importlib.import_module(f"clippings.cli.{args.command}"), args.command)
        return command(args)
    except UsageError as exc:
        print(f"clippings: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `clippings report DIR | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
