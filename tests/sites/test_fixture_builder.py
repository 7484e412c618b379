"""The fixture builder (``fixtures/_build/``, ``make fixtures``): the committed fixtures are its
output byte for byte, and its check names what differs, writing nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_check(fixtures: Path) -> subprocess.CompletedProcess:
    """``build.py --check`` of the builder in ``fixtures/_build`` (what ``make fixtures CHECK=1`` runs)."""
    return subprocess.run(
        [sys.executable, str(fixtures / "_build" / "build.py"), "--check"], capture_output=True, text=True, check=False
    )


def test_committed_fixtures_are_the_builders_output():
    done = run_check(REPO / "fixtures")
    assert done.returncode == 0, done.stderr
    assert "every one byte-identical to the committed fixtures" in done.stdout


def test_check_names_the_fixture_a_data_change_would_rewrite(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(REPO / "fixtures", fixtures, ignore=shutil.ignore_patterns("__pycache__"))
    data = fixtures / "_build" / "data" / "le360_en.json"
    edition = json.loads(data.read_text(encoding="utf-8"))
    first = edition["articles"][0]
    first["lead"] += " One more sentence."
    data.write_text(json.dumps(edition, ensure_ascii=False, indent=1), encoding="utf-8")
    folder = f"{first['published'][:10]}_{first['key']}"
    committed = (fixtures / "le360_en" / folder / "expected.json").read_bytes()

    done = run_check(fixtures)

    assert done.returncode == 1
    assert f"le360_en/{folder}/expected.json differs from the committed file" in done.stderr
    assert f"le360_en/{folder}/body.html differs from the committed file" in done.stderr
    assert "le360_ar/" not in done.stderr and "almaghribtoday/" not in done.stderr
    assert (fixtures / "le360_en" / folder / "expected.json").read_bytes() == committed  # a check writes nothing
