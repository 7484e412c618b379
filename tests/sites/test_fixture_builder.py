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


def copy_fixtures(tmp_path: Path) -> Path:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(REPO / "fixtures", fixtures, ignore=shutil.ignore_patterns("__pycache__"))
    return fixtures


def edit_data(fixtures: Path, site: str, change) -> None:
    data = fixtures / "_build" / "data" / f"{site}.json"
    edition = json.loads(data.read_text(encoding="utf-8"))
    change(edition)
    data.write_text(json.dumps(edition, ensure_ascii=False, indent=1), encoding="utf-8")


def test_every_le360_edition_is_drawn_by_one_template():
    code = (
        "import sys; sys.argv = ['build.py']; import build\n"
        "print(sorted({site: f'{type(make()).__module__}.{type(make()).__name__}' for site, make in build.ARC_TEMPLATES.items()}.items()))"
    )
    done = subprocess.run(
        [sys.executable, "-B", "-c", code],
        cwd=REPO / "fixtures" / "_build",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    family = "tpl_le360_edition.Edition"
    assert done.stdout.strip() == str([("le360", family), ("le360_ar", family), ("le360_en", family)])


def test_a_french_word_is_data_of_the_french_edition_only(tmp_path):
    fixtures = copy_fixtures(tmp_path)
    edit_data(fixtures, "le360", lambda d: d["strings"].update(share_label="Partager cette page"))

    done = run_check(fixtures)

    assert done.returncode == 1
    changed = [line for line in done.stderr.splitlines() if line.endswith("differs from the committed file")]
    assert changed and all(line.startswith("le360/") for line in changed), changed


def test_a_page_piece_of_one_edition_is_a_feature_another_edition_can_name(tmp_path):
    fixtures = copy_fixtures(tmp_path)
    edit_data(fixtures, "le360_en", lambda d: d["features"].append("share_linkedin"))
    first = json.loads((fixtures / "_build" / "data" / "le360_en.json").read_text(encoding="utf-8"))["articles"][0]
    page = fixtures / "le360_en" / f"{first['published'][:10]}_{first['key']}" / "body.html"
    assert "c-share__btn--linkedin" not in page.read_text(encoding="utf-8")

    done = subprocess.run(
        [sys.executable, str(fixtures / "_build" / "build.py")], capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr
    assert "c-share__btn--linkedin" in page.read_text(encoding="utf-8")
    french = sorted(p.relative_to(fixtures) for p in (fixtures / "le360").rglob("*") if p.is_file())
    assert french and all((fixtures / p).read_bytes() == (REPO / "fixtures" / p).read_bytes() for p in french)
