"""The layout change the run must not pass in silence: every class name of almaghribtoday's
pages reversed and their JSON-LD removed. Bodies come out the same, but tags vanish; after a
history of normal runs the crawl exits 1 with an alarm naming the field, and ``clippings
status`` shows ``ALARM``. The language-switch link of the header is never taken for a section.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html

from clippings.extract.lines import breadcrumb
from clippings.extract.sources import PageParts
from clippings.sites import SITES
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES

CLASS = re.compile(rb"""(\sclass\s*=\s*)(["'])(.*?)\2""", re.S | re.I)
JSON_LD = re.compile(rb"<script[^>]*application/ld\+json[^>]*>.*?</script>", re.S | re.I)
RUN = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CLIPPINGS_INCREMENTAL=False"]


def _reversed(markup: bytes) -> bytes:
    """Every class token spelled backwards (``lang-switch`` -> ``hctiws-gnal``), no JSON-LD."""
    markup = JSON_LD.sub(b"", markup)
    return CLASS.sub(lambda m: m[1] + m[2] + b" ".join(w[::-1] for w in m[3].split()) + m[2], markup)


def _altered_fixtures(target: Path) -> int:
    shutil.copytree(FIXTURES / "almaghribtoday", target / "almaghribtoday")
    changed = 0
    for meta in sorted((target / "almaghribtoday").glob("*/meta.json")):
        if json.loads(meta.read_text(encoding="utf-8")).get("kind") == "article":
            body = meta.parent / "body.html"
            body.write_bytes(_reversed(body.read_bytes()))
            changed += 1
    return changed


def _lines(out: Path) -> dict[Path, list[str]]:
    return {path: path.read_text(encoding="utf-8").splitlines() for path in sorted(out.glob("[a-z]*/*.jsonl"))}


def _appended(out: Path, before: dict[Path, list[str]]) -> dict[str, dict]:
    """The articles of the lines appended since ``before``, by URL."""
    new = [json.loads(line) for path, lines in _lines(out).items() for line in lines[len(before.get(path, [])) :]]
    return {record["url"]: record for record in new}


def test_class_names_reversed_make_the_run_exit_1_naming_the_field(tmp_path):
    altered = tmp_path / "altered"
    assert _altered_fixtures(altered) == 17
    out = tmp_path / "out"
    for _ in range(3):  # the history: three normal hourly runs
        done = run_clippings("crawl", "almaghribtoday", "--replay", str(FIXTURES), "--output", str(out), *RUN)
        assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    normal = {record["url"]: record for record in read_output(out)}
    before = _lines(out)
    done = run_clippings("crawl", "almaghribtoday", "--replay", str(altered), "--output", str(out), *RUN)
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    changed = _appended(out, before)
    # What the layout change does: the same bodies, the tags gone.
    assert changed.keys() == normal.keys() and len(changed) == 17
    assert all(changed[url]["body"] == normal[url]["body"] for url in normal)
    had_tags = sum(1 for record in normal.values() if record["tags"])
    assert had_tags >= 5 and not any(record["tags"] for record in changed.values())
    # The alarm names the field, the figure and its usual value, in the summary and the log.
    usual = f"{had_tags / 17:.0%}"
    alarm = (
        f"almaghribtoday: tags on 0 of 17 articles written (0%), usually {usual} (median of its last 3 runs),"
        " a fall over CLIPPINGS_HEALTH_MAX_DROP=0.25 — layout may have changed"
    )
    assert alarm in " ".join(line.strip() for line in done.stdout.splitlines())
    assert f"ERROR: {alarm}" in done.stderr
    # The header's language switch is no section, whatever the classes are called.
    assert not {record["section"] for record in changed.values()} - {r["section"] for r in normal.values()}
    status = run_clippings("status", str(out))
    assert status.returncode == 1
    row = next(line for line in status.stdout.splitlines() if line.startswith("almaghribtoday "))
    assert row.split()[3] == "ALARM" and "tags on 0 of 17" in row


def test_a_menu_ending_on_another_edition_is_not_a_breadcrumb():
    """The header of almaghribtoday's older pages: "Home | Contact | English" comes before the
    real breadcrumb; its last item links to the English edition (another site)."""
    site = SITES["almaghribtoday"]
    home = "https://www.almaghribtoday.net/"
    markup = (
        f'<html><body><div id="links"><a href="{home}">الرئيسية</a> | <a href="{home}contact">اتصل بنا</a>'
        f' | <a href="{home}en/">English</a></div><h1>عنوان</h1>'
        f'<div><a href="{home}">الرئيسية</a> » <a href="{home}sport">رياضة</a></div></body></html>'
    )
    page = PageParts(site, f"{home}1/2-x", lxml.html.fromstring(markup))
    assert breadcrumb(page, "عنوان").value == "رياضة"
    # A switch that names its language, wherever it links, is no section either.
    switch = markup.replace(f'<a href="{home}en/">English</a>', f'<a href="{home}x" hreflang="en">English</a>')
    assert breadcrumb(PageParts(site, f"{home}1/2-x", lxml.html.fromstring(switch)), "عنوان").value == "رياضة"


def test_trafilatura_lines_that_name_no_page_stay_out_of_the_log(caplog):
    """trafilatura says ``discarding data: None`` for a tree it gives up on; the log never
    shows it (the page's reader names the URL of what it could not read)."""
    import logging

    import trafilatura

    from clippings.extract import body  # noqa: F401 -- what quiets trafilatura's logger

    tree = lxml.html.fromstring("<html><body><p></p></body></html>")
    caplog.set_level(logging.DEBUG)
    quiet = logging.getLogger("trafilatura").level
    try:
        logging.getLogger("trafilatura").setLevel(logging.NOTSET)  # trafilatura as it ships
        trafilatura.bare_extraction(lxml.html.fromstring(lxml.html.tostring(tree)))
        assert any(r.getMessage() == "discarding data: None" for r in caplog.records)  # what it says
    finally:
        logging.getLogger("trafilatura").setLevel(quiet)
    caplog.clear()
    trafilatura.bare_extraction(tree)
    assert not [r for r in caplog.records if r.name.startswith("trafilatura")]


def test_a_date_warning_only_for_an_article_written(tmp_path):
    from tests.helpers.pages import ReplayFolder, article_html, le360_url

    store = ReplayFolder(tmp_path / "replay")
    pages = {
        "ecrit": article_html(title="Écrit", published="le 31 du mois 99").encode(),
        "vide": article_html(title="Vide", published="le 32 du mois 99", body=False).encode(),
    }
    args = ["crawl", "le360", "--replay", str(tmp_path / "replay"), "--output", str(tmp_path / "out"), *RUN[:4]]
    for slug, page in pages.items():
        store.add(le360_url(slug), page)
        args += ["--url", le360_url(slug)]
    done = run_clippings(*args)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    warnings = [line for line in done.stderr.splitlines() if "date problem" in line]
    assert len(warnings) == 1 and le360_url("ecrit") in warnings[0], done.stderr[-3000:]
    assert "WARNING" in warnings[0]
    assert "  dropped: empty_body 1" in done.stdout  # the other page was read, and dropped


def test_reextract_judges_the_altered_pages_against_the_crawls_before_it(tmp_path):
    """``clippings reextract`` of the altered pages, after three normal crawls into the same
    collection, says the same alarm and exits 1 (in this process: Dask hidden)."""
    no_dask = tmp_path / "no-dask"
    no_dask.mkdir()
    for name in ("dask", "distributed"):
        (no_dask / f"{name}.py").write_text("raise ImportError('not installed here')\n")
    _altered_fixtures(tmp_path / "altered")
    warc = tmp_path / "altered.warc.gz"
    done = run_clippings("pack", str(tmp_path / "altered"), "--to", str(warc))
    assert done.returncode == 0, done.stderr[-3000:]
    out = tmp_path / "out"
    for _ in range(3):
        done = run_clippings("crawl", "almaghribtoday", "--replay", str(FIXTURES), "--output", str(out), *RUN)
        assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    args = ["reextract", str(warc), "--output", str(out), "-s", "CLIPPINGS_INCREMENTAL=False"]
    done = run_clippings(*args, env={"PYTHONPATH": str(no_dask)})
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    assert "in this process" in done.stdout
    shown = " ".join(done.stdout.split())
    assert "almaghribtoday: tags on 0 of 17 articles written (0%), usually" in shown
    assert "a fall over CLIPPINGS_HEALTH_MAX_DROP=0.25 — layout may have changed" in shown
