"""docs/sites/ holds what the code and the fixtures rely on about the sites: every registered
site and every fixture template is described there, and nothing in the repository cites a
file the repository does not hold (its links are checked with the other docs'
in tests/unit/test_readme.py)."""

from __future__ import annotations

import re
import subprocess

from clippings.sites import SITES
from tests.helpers.fixturelib import ROOT, all_fixtures

SITE_DOCS = ROOT / "docs" / "sites"
# Files of the material the project started from, which the repository does not hold (the
# names are built so that this file does not cite them itself).
OUTSIDE = re.compile("|".join([r"\bSITES" + r"\.md\b", "ARC-" + r"ANS\.md", "shared/" + "seeds/"]))


def _doc_of(site: str) -> str:
    return "le360.md" if site.startswith("le360") else "almaghribtoday.md"


def test_every_site_is_described_with_every_template_its_fixtures_follow():
    index = (SITE_DOCS / "README.md").read_text("utf-8")
    for name in SITES:
        assert f"`{name}`" in index, f"docs/sites/README.md names no {name}"
    templates: dict[str, set[str]] = {}
    for fixture in all_fixtures():
        if fixture.meta.get("template"):
            templates.setdefault(_doc_of(fixture.site), set()).add(fixture.meta["template"])
    assert set(templates) == {"le360.md", "almaghribtoday.md"} and all(len(t) >= 4 for t in templates.values())
    for doc, names in templates.items():
        text = (SITE_DOCS / doc).read_text("utf-8")
        missing = sorted(t for t in names if f"`{t}`" not in text)
        assert not missing, f"docs/sites/{doc} does not describe the templates {missing}"


def test_nothing_in_the_repository_cites_a_file_outside_it():
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.split(b"\0")
    citing = []
    for name in filter(None, listed):
        path = ROOT / name.decode()
        if not path.is_file() or path.suffix not in {".py", ".md", ".json", ".toml", ".txt", ".cfg", ""}:
            continue
        if OUTSIDE.search(path.read_text("utf-8", errors="replace")):
            citing.append(name.decode())
    assert not citing, f"these files cite files outside the repository (write it in docs/sites/): {citing}"


def test_the_outside_files_pattern_finds_a_citation():
    assert OUTSIDE.search("as " + "ARC-" + "ANS.md says") and not OUTSIDE.search("as docs/sites/arc-story.md says")
