"""The tests' own layout: one ``conftest.py`` (tests/conftest.py), the shared helpers in
``tests/helpers/``, and no test module importing another test module or the conftest."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FOLDERS = ("unit", "sites", "crawl", "system")


def imported(path: Path) -> set[str]:
    """The modules ``path`` imports, at any depth (inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def not_helpers(names: set[str]) -> list[str]:
    """Of ``names``, the ones that are a test module or the conftest."""
    return sorted(
        name
        for name in names
        if name in ("conftest", "tests.conftest") or name.split(".")[:2] in (["tests", f] for f in FOLDERS)
    )


def test_there_is_one_conftest():
    assert sorted(p.relative_to(TESTS).as_posix() for p in TESTS.rglob("conftest.py")) == ["conftest.py"]


def test_no_test_module_imports_another_or_the_conftest():
    found = {
        path.relative_to(TESTS).as_posix(): bad
        for path in sorted(TESTS.rglob("*.py"))
        if (bad := not_helpers(imported(path)))
    }
    assert found == {}


def test_the_check_sees_such_an_import(tmp_path):
    # The check above can fail: an import of a test module, or of the conftest, is named.
    module = tmp_path / "test_x.py"
    module.write_text(
        "import os\nfrom tests.helpers.crawl import run_clippings\n\ndef f():\n    from tests.system.test_stops import A\n"
    )
    assert not_helpers(imported(module)) == ["tests.system.test_stops"]
    module.write_text("from tests.conftest import snapshot\nimport tests.unit.test_zone\n")
    assert not_helpers(imported(module)) == ["tests.conftest", "tests.unit.test_zone"]
