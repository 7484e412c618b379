"""Every setting clippings reads, with its type and range, and the one check of their values.

``DECLARED`` names every ``CLIPPINGS_*`` setting (their defaults are in
``clippings.settings``) and the Scrapy settings the project relies on. ``check_settings``
checks a whole set of settings (a Scrapy ``Settings`` or any mapping with ``get``), and
``check_value`` one value: a bad value raises ``SettingError``, whose text is one line
naming the setting, the value and what is expected. The ``clippings`` command runs it before
Scrapy starts (``-s`` values before anything at all is started). Imports no Scrapy.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
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
            raise SettingError(f"{self.name}={_shown(value)}: expected {self.expected}") from None


def _shown(value: Any) -> str:
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


def _bool(value: Any) -> bool:
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
    return Setting(name, "True or False", _bool, optional, "bool")


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        raise ValueError(value)
    return value


def path(name: str, what: str, optional: bool = True) -> Setting:
    return Setting(name, what, _path, optional, "path")


def _log_level(value: Any) -> str:
    if not isinstance(value, str) or value.strip().upper() not in LOG_LEVELS:
        raise ValueError(value)
    return value.strip().upper()


def log_level(name: str) -> Setting:
    return Setting(name, f"one of {', '.join(LOG_LEVELS)}", _log_level, kind="log_level")


def _url(value: Any) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or ord(c) < 32 for c in value)
    ):
        raise ValueError(value)
    return value


def _origins(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else {}
    if not isinstance(value, Mapping):
        raise ValueError(value)
    return {_url(source): _url(target) for source, target in value.items()}


def _workers(value: Any) -> int:
    return parse_workers(value)


def _monitoring(value: Any) -> bool:
    on = _bool(value)
    if on and find_spec("spidermon") is None:
        raise SettingError(
            f"CLIPPINGS_MONITORING={_shown(value)}: Spidermon is not installed; pip install 'clippings[monitoring]'"
        )
    return on


_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")


def _redis_url(value: Any) -> str:
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


def _run_id(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", value):
        raise ValueError(value)
    return value


def _objects(value: Any) -> list[str]:
    """Import paths, as a list or as ``-s`` gives them: comma-separated, or a JSON list."""
    if isinstance(value, str):
        text = value.strip()
        value = json.loads(text) if text.startswith("[") else [p.strip() for p in text.split(",") if p.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(p, str) and _DOTTED.match(p) for p in value):
        raise ValueError(value)
    return list(value)


# --- the declaration ------------------------------------------------------------------------
DECLARED: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        path("CLIPPINGS_OUTPUT_DIR", "a folder path", optional=False),
        path("CLIPPINGS_REPLAY", "a fixtures folder or a WARC file"),
        Setting("CLIPPINGS_CONTACT_URL", "an http(s) URL, without spaces", _url, optional=True, kind="url"),
        number("CLIPPINGS_HEALTH_MAX_NO_BODY", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_DATE", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_AUTHOR", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_TITLE", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_LEAD", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_SECTION", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_TAGS", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NO_IMAGE", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_ERRORS", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_REFUSED", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_DROP", 0, 1),
        number("CLIPPINGS_HEALTH_MAX_NEW_VALUES", 0, 1),
        number("CLIPPINGS_HEALTH_MIN_PAGES", 0, whole=True),
        boolean("CLIPPINGS_HEALTH_ENABLED"),
        boolean("CLIPPINGS_RUN_HISTORY"),
        Setting("CLIPPINGS_MONITORING", "True or False", _monitoring, kind="bool"),
        Setting(
            "CLIPPINGS_MONITORING_ACTIONS",
            "import paths of Spidermon actions, comma-separated",
            _objects,
            kind="objects",
        ),
        number("CLIPPINGS_PROGRESS_INTERVAL", 0),
        boolean("CLIPPINGS_PROGRESS_LIVE", optional=True),
        number("CLIPPINGS_LOCK_WAIT", 0),
        boolean("CLIPPINGS_INCREMENTAL"),
        path("CLIPPINGS_STATE", "a file path (the state database)"),
        path("CLIPPINGS_RECORD", "a WARC file path (.warc.gz)"),
        Setting(
            "CLIPPINGS_ORIGINS",
            'a JSON object of origins, {"https://fr.le360.ma": "http://127.0.0.1:8000"}',
            _origins,
            optional=True,
            kind="origins",
        ),
        Setting("CLIPPINGS_WORKERS", "a whole number above 0, or auto", _workers, kind="workers"),
        number("CLIPPINGS_LISTING_MAX_PAGES", 1, whole=True),
        Setting(
            "CLIPPINGS_CLUSTER",
            "a Redis URL, redis://[:PASSWORD@]HOST:PORT/DB",
            _redis_url,
            optional=True,
            kind="redis_url",
        ),
        Setting(
            "CLIPPINGS_CLUSTER_RUN",
            "a run id (letters, digits, '.', '_' or '-')",
            _run_id,
            optional=True,
            kind="run_id",
        ),
        number("CLIPPINGS_CLUSTER_IDLE", 0, above=True),
        number("CLIPPINGS_RECHECK_DROPPED_DAYS", 0),
        number("CLIPPINGS_RETRY_BACKOFF", 0),
        number("CLIPPINGS_RETRY_BACKOFF_MAX", 0),
        number("CLIPPINGS_RETRY_AFTER_MAX", 0),
        log_level("CLIPPINGS_LOG_LEVEL"),
        # Scrapy's own, which the project relies on.
        number("DOWNLOAD_DELAY", 0),
        number("DOWNLOAD_DELAY_JITTER", 0, 1),
        number("DOWNLOAD_TIMEOUT", 0, above=True),
        number("CONCURRENT_REQUESTS", 1, whole=True),
        number("CONCURRENT_REQUESTS_PER_DOMAIN", 1, whole=True),
        number("CONCURRENT_REQUESTS_PER_IP", 0, whole=True, optional=True),  # deprecated by Scrapy
        number("CONCURRENT_ITEMS", 1, whole=True),
        log_level("LOG_LEVEL"),
        path("JOBDIR", "a folder path"),
    )
}


def check_value(name: str, value: Any) -> Any:
    """One value of one setting, as the code reads it; SettingError when it cannot be, or
    when ``name`` is a ``CLIPPINGS_*`` setting that does not exist (a typo would otherwise
    be ignored)."""
    setting = DECLARED.get(name)
    if setting is None:
        if name.startswith("CLIPPINGS_"):
            close = difflib.get_close_matches(name, [n for n in DECLARED if n.startswith("CLIPPINGS_")], 1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SettingError(f"{name}: no such setting{hint}")
        return value
    return setting.check(value)


def check_settings(settings: Any, names: Iterable[str] | None = None) -> dict[str, Any]:
    """Every declared setting (or ``names``) of ``settings`` checked; the values as read.
    The first bad one raises SettingError."""
    return {name: check_value(name, settings.get(name)) for name in (DECLARED if names is None else names)}
