"""``clippings validate``: check JSON-lines files against the output schema."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from clippings.normalize import schema_errors


def validate_files(paths: Iterable[str], out: TextIO) -> int:
    """Report every bad line as FILE:LINE: reason; 0 when all lines are good, else 1."""
    bad = 0
    total = 0
    for path in paths:
        try:
            handle = open(path, "rb")
        except OSError as exc:
            print(f"{path}: cannot read ({exc.strerror})", file=out)
            bad += 1
            continue
        with handle:
            for number, raw in enumerate(handle, start=1):
                total += 1
                problems: list[str]
                if not raw.endswith(b"\n"):
                    problems = ["incomplete last line (no newline)"]
                else:
                    try:
                        record = json.loads(raw.decode("utf-8"))
                    except UnicodeDecodeError as exc:
                        problems = [f"not UTF-8 ({exc.reason})"]
                    except ValueError as exc:
                        problems = [f"not JSON ({exc})"]
                    else:
                        problems = (
                            schema_errors(record)
                            if isinstance(record, dict)
                            else ["not a JSON object"]
                        )
                for problem in problems:
                    print(f"{path}:{number}: {problem}", file=out)
                bad += bool(problems)
    print(f"{total - bad} good lines, {bad} bad", file=out)
    return 1 if bad else 0
