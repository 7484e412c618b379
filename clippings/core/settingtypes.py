"""What a setting can take: one ``Setting`` per name, built by its kind (``number``,
``boolean``, ``path``, ``log_level``...), whose ``check`` turns a value (typed, or a string from
``-s``) into what the code reads or raises ``SettingError``, one line naming the setting, the
value and what is expected. The declaration of every setting is ``clippings.core.config``.
Imports no Scrapy."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from clippings.core.arguments import parse_workers

LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class SettingError(ValueError):
    """A setting with a value it cannot take: ``NAME='value': expected ...``."""


@dataclass(frozen=True)
class Setting:
    """One setting: ``parse`` turns a value (typed, or a string from ``-s``) into what the
    code reads, or raises ValueError; ``expected`` says in words what it takes."""

    name: str
    expected: str
    parse: Callable[[Any], Any]
    optional: bool = False  # None (or "" from -s) means "not set": the code's own fallback
    kind: str = "other"  # number, bool, path, log_level, url, origins, workers, redis_url, run_id
    low: float | None = None
    high: float | None = None
    whole: bool = False

    def check(self, value: Any) -> Any:
        if value is None or (self.optional and value == ""):
            if self.optional:
                return None
            raise SettingError(f"{self.name}: not set; expected {self.expected}")
        try:
            return self.parse(value)
        except SettingError:
            raise
        except (TypeError, ValueError):
            raise SettingError(f"{self.name}={shown_value(value)}: expected {self.expected}") from None


def shown_value(value: Any) -> str:
    return repr(value) if isinstance(value, str) else repr(str(value))


# --- kinds ------------------------------------------------------------------------------
def _number(value: Any, whole: bool) -> float | int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        value = value.strip()
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    if whole:
        if isinstance(value, str):
            return int(value)  # as Scrapy's getint: "10.0" is not a whole number
        if number != int(number):
            raise ValueError(value)
        return int(number)
    return number


def _range_words(low: float | None, high: float | None, above: bool) -> str:
    def shown(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if low is not None and high is not None:
        return f"from {shown(low)} to {shown(high)}"
    if low is not None:
        return f"above {shown(low)}" if above else f"{shown(low)} or more"
    return ""


def number(
    name: str,
    low: float | None = None,
    high: float | None = None,
    above: bool = False,
    whole: bool = False,
    optional: bool = False,
) -> Setting:
    """A number (``whole``: an integer) within ``low``..``high`` (``above``: low excluded)."""

    def parse(value: Any) -> float | int:
        got = _number(value, whole)
        if low is not None and (got < low or (above and got == low)):
            raise ValueError(value)
        if high is not None and got > high:
            raise ValueError(value)
        return got

    kind = "a whole number" if whole else "a number"
    words = _range_words(low, high, above)
    expected = f"{kind}, {words}" if words.endswith("or more") else f"{kind} {words}".strip()
    return Setting(name, expected, parse, optional, "number", low, high, whole)


_TRUE, _FALSE = {"1", "True", "true"}, {"0", "False", "false"}


def parse_bool(value: Any) -> bool:
    # What Scrapy's getbool takes (" 1" but not "True "), without its quirk of reading any
    # integer ("2") as True.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _TRUE | _FALSE:
        return value in _TRUE
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    if int(value) in (0, 1):
        return bool(int(value))
    raise ValueError(value)


def boolean(name: str, optional: bool = False) -> Setting:
    return Setting(name, "True or False", parse_bool, optional, "bool")


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        raise ValueError(value)
    return value


def path(name: str, what: str, optional: bool = True) -> Setting:
    return Setting(name, what, _path, optional, "path")


def _warc_path(value: Any) -> str:
    # Recorded responses are appended: a name of another kind (a collection's .jsonl) is refused.
    if not _path(value).lower().endswith((".warc", ".warc.gz")):
        raise ValueError(value)
    return value


def warc_path(name: str) -> Setting:
    return Setting(name, "a WARC file path (.warc.gz or .warc)", _warc_path, True, "warc_path")


def _log_level(value: Any) -> str:
    if not isinstance(value, str) or value.strip().upper() not in LOG_LEVELS:
        raise ValueError(value)
    return value.strip().upper()


def log_level(name: str) -> Setting:
    return Setting(name, f"one of {', '.join(LOG_LEVELS)}", _log_level, kind="log_level")


def parse_url(value: Any) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or ord(c) < 32 for c in value)
    ):
        raise ValueError(value)
    return value


def parse_redis_url(value: Any) -> str:
    """A Redis URL, ``redis://[:PASSWORD@]HOST:PORT/DB`` (or ``rediss://``)."""
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme not in ("redis", "rediss")
        or not parts.hostname
        or any(c.isspace() for c in value)
    ):
        raise ValueError(value)
    parts.port  # noqa: B018 -- a port that is not a number raises ValueError
    return value


def parse_run_id(value: Any) -> str:
    """A cluster run's id: letters, digits, '.', '_' or '-', at most 100."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", value):
        raise ValueError(value)
    return value


def parse_origins(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else {}
    if not isinstance(value, Mapping):
        raise ValueError(value)
    return {parse_url(source): parse_url(target) for source, target in value.items()}


def parse_worker_count(value: Any) -> int:
    return parse_workers(value)


_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")


def parse_objects(value: Any) -> list[str]:
    """Import paths, as a list or as ``-s`` gives them: comma-separated, or a JSON list."""
    if isinstance(value, str):
        text = value.strip()
        value = json.loads(text) if text.startswith("[") else [p.strip() for p in text.split(",") if p.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(p, str) and _DOTTED.match(p) for p in value):
        raise ValueError(value)
    return list(value)
