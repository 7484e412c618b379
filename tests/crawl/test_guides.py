"""The guides' samples run as written: each Python block of docs/adding-a-site.md and
docs/python.md, and the ``clippings fixture`` commands of docs/fixing-a-selector.md, are taken
from the Markdown and run, from the checkout, which they leave as they found it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import FIXTURES, ROOT, all_fixtures

DOCS = ROOT / "docs"


def blocks(name: str, language: str) -> list[str]:
    found = re.findall(rf"^ *```{language}\n(.*?)^ *```", (DOCS / name).read_text("utf-8"), re.S | re.M)
    assert found, f"docs/{name} has no {language} block"
    return found


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_site_sample_of_adding_a_site_runs_and_declares_a_site_that_reads_its_urls():
    site_block, page_block = blocks("adding-a-site.md", "python")
    urls = [f.url for f in all_fixtures() if f.site == "le360_en" and f.meta.get("kind") == "article"]
    check = (
        f"\nurls = {urls!r}"
        "\nfrom clippings.sites import SITES"
        "\nreal = SITES['le360_en']"
        "\nassert SITE.name == 'le360_en' and urls"
        "\nfor url in urls:"
        "\n    assert SITE.owns(url) and SITE.is_article_url(url), url"
        "\n    assert SITE.article_url.match(url)['id'] == real.article_url.match(url)['id'], url"
        "\nprint('ok', len(urls))"
    )
    done = run_python(site_block + check)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "ok"
    page = run_python(
        page_block
        + "\nfrom clippings.sites.le360.page import Le360Page as Real"
        + "\nprint(issubclass(Le360Page, ArticlePage), Le360Page.lead_sources.__code__.co_code"
        + " == Real.lead_sources.__code__.co_code)"
    )
    assert page.returncode == 0 and page.stdout.split() == ["True", "True"], page.stderr


def test_the_python_guide_runs_as_written():
    code = "\n".join(blocks("python.md", "python"))
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith("le360 2025-09-09T18:36:00+01:00 Le partenariat stratégique")


@pytest.mark.parametrize("action", ["show", "update"])
def test_the_selector_guides_fixture_commands_run_as_written(action):
    (line,) = [
        line.strip()
        for block in blocks("fixing-a-selector.md", "sh")
        for line in block.splitlines()
        if line.strip().startswith(f"clippings fixture {action} ")
    ]
    before = {p: p.read_bytes() for p in FIXTURES.glob("le360/*/*.json")}
    done = run_clippings(*line.split()[1:])  # from the checkout, as the guide does
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert {p: p.read_bytes() for p in FIXTURES.glob("le360/*/*.json")} == before
    assert ("0 field(s) differ" if action == "show" else "derived fields already right") in done.stdout
