"""One Morocco zone: Africa/Casablanca is built once, in clippings/dates/zone.py, from the shipped
tzdata package, and every day boundary (``--since``/``--until``) is computed with it."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from scrapy.utils.test import get_crawler

from clippings.dates import CASABLANCA, morocco_day
from clippings.spiders import spider_class

Le360Spider = spider_class("le360")

PACKAGE = Path(__file__).resolve().parents[2] / "clippings"
# The one place allowed to build the zone: (module, function).
THE_ONE_PLACE = ("dates/zone.py", "_load_casablanca")
ZONE_CALLS = {"ZoneInfo", "from_file", "no_cache", "gettz", "tzfile", "timezone"}
ZONE_MODULES = {"zoneinfo", "pytz", "dateutil", "dateutil.tz", "backports.zoneinfo", "tzdata"}


def zone_builders(source: str, module: str) -> list[str]:
    """Every place in a module's source that builds a time zone or names Casablanca's:
    a call to ZoneInfo (or from_file, pytz.timezone, dateutil's gettz...), the key
    "Africa/Casablanca" or "Casablanca" as a string, an import of a zone library. Each is
    reported as "module:line: what", except inside THE_ONE_PLACE."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (module, node.name) == THE_ONE_PLACE:
            allowed |= {id(inner) for inner in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        what = None
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            owner = func.value if isinstance(func, ast.Attribute) else None
            owner_name = getattr(owner, "id", getattr(owner, "attr", None))
            # datetime.timezone(timedelta(...)) is a fixed offset, not a zone.
            if name in ZONE_CALLS and not (name == "timezone" and owner_name in (None, "datetime")):
                what = f"calls {name}()"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.strip() in ("Africa/Casablanca", "Casablanca"):
                what = f"names the zone {node.value!r}"
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.split(".")[0] in ZONE_MODULES]
            if names:
                what = f"imports {', '.join(names)}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ZONE_MODULES:
            what = f"imports from {node.module}"
        if what:
            found.append(f"{module}:{node.lineno}: {what}")
    return found


def test_no_module_builds_the_zone_another_way():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        found += zone_builders(path.read_text(encoding="utf-8"), module)
    # dates/zone.py may import ZoneInfo for its subclass and annotations: nothing else.
    allowed = {f"dates/zone.py:{line}: imports from zoneinfo" for line in _import_lines(PACKAGE / "dates" / "zone.py")}
    offending = [f for f in found if f not in allowed]
    assert not offending, (
        "Africa/Casablanca must come from clippings.dates.CASABLANCA (the tzdata package):\n" + "\n".join(offending)
    )


def _import_lines(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "zoneinfo"]


def test_the_scan_finds_each_other_way():
    source = (
        "import zoneinfo\n"
        "from zoneinfo import ZoneInfo\n"
        "import pytz\n"
        "from datetime import timezone, timedelta\n"
        "A = ZoneInfo('Africa/Casablanca')\n"
        "B = zoneinfo.ZoneInfo(KEY)\n"
        "C = pytz.timezone(KEY)\n"
        "KEY = 'Africa/' + 'Casablanca'\n"
        "D = timezone(timedelta(hours=1))\n"  # a fixed offset: not a zone
        "'''ZoneInfo(\"Africa/Casablanca\") in a docstring is only words'''\n"
    )
    assert sorted(zone_builders(source, "spiders/base.py")) == [
        "spiders/base.py:1: imports zoneinfo",
        "spiders/base.py:2: imports from zoneinfo",
        "spiders/base.py:3: imports pytz",
        "spiders/base.py:5: calls ZoneInfo()",
        "spiders/base.py:5: names the zone 'Africa/Casablanca'",
        "spiders/base.py:6: calls ZoneInfo()",
        "spiders/base.py:7: calls timezone()",
        "spiders/base.py:8: names the zone 'Casablanca'",
    ]


def test_the_zone_has_the_tzdata_rules_after_2026_09_20():
    # tzdb 2026c: permanent UTC+0 from 2026-09-20; older rules (as on hosts with stale zone
    # files) keep UTC+1 for every later date.
    assert datetime(2026, 9, 19, 12, tzinfo=UTC).astimezone(CASABLANCA).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 10, 1, 12, tzinfo=UTC).astimezone(CASABLANCA).utcoffset() == timedelta(0)


def test_a_day_boundary_after_2026_09_20():
    late = datetime(2026, 10, 1, 23, 30, tzinfo=UTC)
    assert morocco_day(late) == date(2026, 10, 1)  # UTC+1 rules would say 2026-10-02
    assert morocco_day(datetime(2025, 10, 1, 23, 30, tzinfo=UTC)) == date(2025, 10, 2)  # UTC+1


def _spider(**arguments: str) -> Le360Spider:
    crawler = get_crawler(Le360Spider, {"CLIPPINGS_INCREMENTAL": False})
    return Le360Spider.from_crawler(crawler, **arguments)


ARTICLE = "https://fr.le360.ma/politique/le-maroc_6VUZYMXQWNCSXNQ7TRBFVQKIDI/"


def test_since_and_until_use_the_tzdata_day():
    listed = "2026-10-01T23:30:00Z"  # 23:30 on 1 October in Morocco, not 00:30 on the 2nd
    assert _spider(until="2026-10-01").article_request(ARTICLE, listed) is not None
    skipping = _spider(since="2026-10-02")
    assert skipping.article_request(ARTICLE, listed) is None
    assert skipping.crawler.stats.get_value("clippings/le360/skipped/out_of_range") == 1
    # Before the change, the same hour of UTC is already the next day in Morocco.
    assert _spider(since="2025-10-02").article_request(ARTICLE, "2025-10-01T23:30:00Z") is not None
    assert _spider(until="2025-10-01").article_request(ARTICLE, "2025-10-01T23:30:00Z") is None
