"""``clippings reextract SOURCE... --output DIR``: WARC archives read again into the
collection (``clippings.reextract``), on Dask when it is installed. Loads no Scrapy."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from clippings.cli.options import UsageError, check_folders, checked, set_options
from clippings.core.config import DEFAULTS
from clippings.core.health import LIMIT_SETTINGS

# The settings ``clippings reextract`` reads, with their defaults (``clippings.core.config``;
# the two Scrapy ones as clippings/settings.py sets them, a test holds them equal), kept here
# so that the command loads no Scrapy.
REEXTRACT_SETTINGS: dict[str, Any] = {
    **{
        name: DEFAULTS[name]
        for name in (
            *LIMIT_SETTINGS.values(),
            "CLIPPINGS_HEALTH_MAX_DROP",
            "CLIPPINGS_HEALTH_MAX_NEW_VALUES",
            "CLIPPINGS_HEALTH_MIN_PAGES",
            "CLIPPINGS_HEALTH_ENABLED",
            "CLIPPINGS_INCREMENTAL",
            "CLIPPINGS_STATE",
            "CLIPPINGS_LOCK_WAIT",
            "CLIPPINGS_LOG_LEVEL",
        )
    },
    "DOWNLOAD_MAXSIZE": 16 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 4 * 1024 * 1024,
}


class _Values(dict):
    """Settings as a plain mapping, read as Scrapy's ``Settings`` reads them."""

    def getbool(self, name: str, default: bool = False) -> bool:
        value = self.get(name, default)
        return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true")


def _reextract_settings(args: argparse.Namespace) -> _Values:
    from clippings.core.config import check_value

    values = _Values(REEXTRACT_SETTINGS)
    for name, value in set_options(args):
        if name not in REEXTRACT_SETTINGS:
            raise UsageError(f"-s {name}: not a setting reextract reads (it reads {', '.join(REEXTRACT_SETTINGS)})")
        if name.startswith("DOWNLOAD_"):
            try:
                values[name] = int(value)
                if values[name] < 0:
                    raise ValueError(value)
            except ValueError:
                raise UsageError(f"{name} {value!r}: expected a whole number of bytes from 0") from None
        else:
            values[name] = checked(partial(check_value, name, value))
    values["CLIPPINGS_OUTPUT_DIR"] = args.output
    if args.state:
        values["CLIPPINGS_STATE"] = args.state
    level = args.loglevel or values["CLIPPINGS_LOG_LEVEL"]
    values["LOG_LEVEL"] = checked(lambda: check_value("LOG_LEVEL", level))
    return values


def _dask_target(value: str | None) -> tuple[str, Any] | None:
    """``--dask``: ("local", N or None), ("address", URL), or None (one process)."""
    from clippings.reextract.engine import dask_installed

    if value is None:
        return ("local", None) if dask_installed() else None
    target: tuple[str, Any] | None = None
    if value == "local":
        target = ("local", None)
    elif value.startswith("local:") and value[6:].isdigit() and int(value[6:]) >= 1:
        target = ("local", int(value[6:]))
    elif "://" in value and value.split("://", 1)[1]:
        target = ("address", value)
    if target is None:
        raise UsageError(f"--dask {value}: expected local, local:N (N from 1) or tcp://HOST:PORT")
    if not dask_installed():
        raise UsageError(f"--dask {value}: Dask is not installed (pip install 'clippings[dask]')")
    return target


@contextmanager
def _sigterm_as_ctrl_c() -> Iterator[None]:
    """SIGTERM (a scheduler's stop, ``kill``) stops a re-read as Ctrl-C does: what is written
    stays, the run history says ``stopped``, the exit status is 1. A second SIGTERM or Ctrl-C
    ends it at once, as a crawl's does: the run history says ``forced``, the exit status is
    143 or 130 (``Forced``); a third ends the process where it stands."""
    from clippings.reextract import Deferred, Forced

    stops = (signal.SIGINT, signal.SIGTERM)

    def stop(signum: int, _frame: object) -> None:
        for each in stops:
            signal.signal(each, force)
        Deferred.stop(KeyboardInterrupt())

    def force(signum: int, _frame: object) -> None:
        for each in stops:
            signal.signal(each, signal.SIG_DFL)
        Deferred.stop(Forced(signum))

    try:
        previous = [signal.signal(each, stop) for each in stops]
    except ValueError:  # not the main thread (a test calling the command in a thread)
        yield
        return
    try:
        yield
    finally:
        for each, handler in zip(stops, previous, strict=True):
            signal.signal(each, handler)


def reextract(args: argparse.Namespace) -> int:
    from clippings.core.arguments import parse_day
    from clippings.reextract import ArchiveError, Options, run
    from clippings.reextract.task import Reading
    from clippings.reextract.writer import Health
    from clippings.state import state_path

    try:
        since, until = parse_day(args.since, "--since"), parse_day(args.until, "--until")
    except ValueError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    values = _reextract_settings(args)
    target = _dask_target(args.dask)
    from clippings.reextract.archive import warc_files

    try:
        warc_files(args.sources)
    except ArchiveError as exc:
        raise UsageError(str(exc)) from None
    labels = {"CLIPPINGS_STATE": "-s CLIPPINGS_STATE="} if not args.state and values["CLIPPINGS_STATE"] else {}
    check_folders(values, labels)
    logging.basicConfig(
        level=values["LOG_LEVEL"], stream=sys.stderr, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s"
    )
    incremental = values.getbool("CLIPPINGS_INCREMENTAL")
    options = Options(
        sources=list(args.sources),
        output=Path(args.output),
        state=state_path(values) if incremental else None,
        since=since,
        until=until,
        dask=target,
        reading=Reading(values["DOWNLOAD_MAXSIZE"], values["DOWNLOAD_WARNSIZE"]),
        health=Health(
            enabled=values.getbool("CLIPPINGS_HEALTH_ENABLED"),
            limits={check: float(values[name]) for check, name in LIMIT_SETTINGS.items()},
            min_pages=int(values["CLIPPINGS_HEALTH_MIN_PAGES"]),
            max_drop=float(values["CLIPPINGS_HEALTH_MAX_DROP"]),
            max_new=float(values["CLIPPINGS_HEALTH_MAX_NEW_VALUES"]),
        ),
        lock_wait=float(values["CLIPPINGS_LOCK_WAIT"]),
    )
    from clippings.collection import lock

    try:
        with _sigterm_as_ctrl_c():
            return run(options)
    except ArchiveError as exc:
        raise UsageError(str(exc)) from None
    except lock.Busy as exc:  # a crawl writes a site of this collection: try again later
        print(exc, file=sys.stderr)
        return lock.BUSY_STATUS
    except OSError as exc:
        if exc.filename and ".state" in str(exc.filename):
            raise UsageError(
                f"--output {args.output}: cannot create its .state folder ({exc.strerror or exc})"
            ) from None
        raise
