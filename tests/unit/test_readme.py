"""README is the user's guide, under its cap, and its links and the docs' lead to files and
headings that exist (reference material lives in docs/, linked from README)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README_CAP = 350
LINK = re.compile(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)")


def anchors(text: str) -> set[str]:
    """GitHub's anchors of a Markdown file's headings (code blocks left out)."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", text, re.M)
    }


def test_readme_is_under_its_cap():
    lines = (ROOT / "README.md").read_text("utf-8").count("\n")
    assert lines <= README_CAP, f"README.md has {lines} lines: move reference material into docs/ (cap {README_CAP})"


def test_the_links_of_readme_and_docs_lead_somewhere():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for page in pages:
        for target, anchor in LINK.findall(page.read_text("utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path = (page.parent / target) if target else page
            if not path.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
            elif anchor and path.suffix == ".md" and anchor not in anchors(path.read_text("utf-8")):
                broken.append(f"{page.relative_to(ROOT)}: {target}#{anchor}")
    assert not broken, broken


def test_the_anchor_of_a_heading_is_githubs():
    assert anchors("# Dates: Morocco's civil time\n## Throughput: `--workers`\n") == {
        "dates-moroccos-civil-time",
        "throughput---workers",
    }
