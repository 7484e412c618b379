"""One short write to the state database: ``BEGIN IMMEDIATE`` to ``COMMIT``, an SQLite
error in it rolled back and raised as one line (``StateError``)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from clippings.state.records import StateError


def write_error(path: Path, exc: sqlite3.Error) -> StateError:
    return StateError(f"cannot write the incremental state {path}: {exc}")


class Transaction:
    """One short write; an SQLite error in it (``database or disk is full``) is rolled back
    and raised as a StateError, one line, instead of sqlite3's exception."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise write_error(self.path, exc) from None

    def __exit__(self, exc_type: object, exc: BaseException | None, traceback: object) -> bool:
        failure = exc if isinstance(exc, sqlite3.Error) else None
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
                return False
            except sqlite3.Error as error:
                failure = error
        if self.db.in_transaction:
            # A failed ROLLBACK: the transaction is gone with the connection's state; nothing to keep.
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
        if failure is not None:
            raise write_error(self.path, failure) from None
        return False
