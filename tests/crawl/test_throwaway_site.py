"""A site added by following docs/adding-a-site.md alone, outside the clippings package.

The test writes what the guide asks for, in a temporary folder: the site's package (``SITE`` in
``__init__.py``, its page class in ``page.py``), the distribution's metadata naming it as an
entry point of the ``clippings.sites`` group (what ``pip install`` of a plug-in leaves in
site-packages), and the fixtures: robots.txt, a feed, three article pages with their
``expected.json``. With that folder on ``PYTHONPATH`` the real commands know the site: ``scrapy
list``, ``clippings crawl`` (every article written, field by field as expected, schema-valid),
``clippings validate`` and ``clippings fixture show``. Nothing in clippings changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import clippings.sites
from clippings.replay.fixture import Fixture
from tests.helpers.crawl import FAST, read_output, run_clippings
from tests.helpers.fixturelib import ROOT

HOST = "https://www.gazette.example"
FETCHED_AT = "2026-05-12T12:00:00Z"

PACKAGE = {
    "__init__.py": '''"""The Gazette (www.gazette.example): a site kept outside clippings, in a plug-in."""

from __future__ import annotations

import re

from clippings.sites.base import Site, class_words

HOST = "www.gazette.example"

SITE = Site(
    name="gazette",
    hosts=frozenset({HOST}),
    # /<section>/<slug>-<numeric id>.html
    article_url=re.compile(r"^https?://www\\.gazette\\.example/(?:[a-z-]+/)+[a-z0-9-]+-(?P<id>\\d{5,})\\.html$"),
    robots_url=f"https://{HOST}/robots.txt",
    feed_urls=(f"https://{HOST}/feed.xml",),
    non_article_urls=((re.compile(r"^https?://[^/]+/video/"), "video"),),
    byline_xpaths=("//*[@class][{}]".format(class_words("byline")),),
    author_prefixes=("By ",),
    body_xpaths=(f"//*[@class][{class_words('story-text')}]",),
    prune_classes=("most-read", "newsletter"),
    page="clippings_gazette.page:GazettePage",
)
''',
    "page.py": '''"""The Gazette's article page object."""

from __future__ import annotations

from clippings.extract.page import ArticlePage


class GazettePage(ArticlePage):
    """The Gazette reads as any page does: JSON-LD and metas first, then its ``SITE``'s rules."""
''',
}

# The articles as data; their pages and expected.json are written from it.
ARTICLES = [
    {
        "slug": "economy/port-traffic-rises-10481",
        "title": "Port traffic rises for a third month",
        "authors": ["Nadia Benali"],
        "published": "2026-05-12T09:15:00+01:00",
        "section": "Economy",
        "jsonld": True,
        "paragraphs": [
            "Container traffic through the main port rose again in April, the port authority said.",
            "Volumes were up on last year, driven by transshipment and new lines to West Africa.",
            "The authority expects the trend to last through the summer, when new berths open.",
        ],
    },
    {
        "slug": "culture/book-fair-opens-10482",
        "title": "The international book fair opens its doors",
        "authors": ["Salma Idrissi"],
        "published": "2026-05-11T18:40:00+01:00",
        "section": "Culture",
        "jsonld": False,  # the byline and the metas only: the SITE's rules are read
        "paragraphs": [
            "The international book fair opened on Monday evening with seven hundred publishers.",
            "Organisers have put children's literature at the centre of this year's programme.",
            "The fair runs for ten days, with free entry for students and for their teachers.",
        ],
    },
    {
        "slug": "sports/marathon-record-field-10483",
        "title": "A record field for the city marathon",
        "authors": ["Karim Alaoui", "Leila Amrani"],
        "published": "2026-05-10T07:05:00+01:00",
        "section": "Sports",
        "jsonld": True,
        "paragraphs": [
            "More than twelve thousand runners have registered for the city marathon, a record.",
            "The course avoids the steepest climbs this year, and should bring faster times.",
            "Roads along the course will be closed to traffic from five o'clock in the morning.",
        ],
    },
]
BOILERPLATE = [
    "Most read",
    "Port traffic: a look back at 2025",
    "Subscribe to our newsletter",
    "© The Gazette",
]


def _url(article: dict) -> str:
    return f"{HOST}/{article['slug']}.html"


def _page(article: dict) -> str:
    title, authors = article["title"], article["authors"]
    head = f"<title>{title} | The Gazette</title>"
    if article["jsonld"]:
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": article["published"],
            "articleSection": article["section"],
            "author": [{"@type": "Person", "name": name} for name in authors],
        }
        head += f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    else:
        head += f'<meta property="article:published_time" content="{article["published"]}">'
        head += f'<meta property="article:section" content="{article["section"]}">'
    paragraphs = "".join(f"<p>{text}</p>" for text in article["paragraphs"])
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">{head}'
        '<meta property="og:type" content="article"></head><body>'
        '<nav><a href="/">Home</a> <a href="/economy/">Economy</a></nav>'
        f'<article><h1>{title}</h1><p class="byline">By {" and ".join(authors)}</p>'
        f'<div class="story-text">{paragraphs}'
        '<div class="newsletter">Subscribe to our newsletter</div></div></article>'
        '<aside class="most-read"><h2>Most read</h2><a href="/economy/x-10400.html">'
        "Port traffic: a look back at 2025</a></aside><footer>© The Gazette</footer></body></html>"
    )


def _expected(article: dict) -> dict:
    """What the page shows, written from the data (never by the extractor)."""
    return {
        "url": _url(article),
        "site": "gazette",
        "article_id": article["slug"].rsplit("-", 1)[1],
        "title": article["title"],
        "lead": None,  # no standfirst, no declared description
        "authors": article["authors"],
        "section": article["section"],
        "tags": [],
        "language": "en",
        "published": article["published"],
        "published_date": article["published"][:10],
        "modified": None,
        "body": "\n\n".join(article["paragraphs"]),
        "image": None,
        "fetched_at": FETCHED_AT,
        "schema_version": "2.0",
    }


def _save(folder: Path, url: str, body: bytes, kind: str, content_type: str, **extra) -> None:
    meta = {
        "url": url,
        "status": 200,
        "headers": {"Content-Type": content_type},
        "fetched_at": FETCHED_AT,
        "body": "body.bin",
        "kind": kind,
        "template": "jsonld" if extra.pop("jsonld", False) else None,
        "must_not_contain": extra.pop("must_not_contain", []),
        "drop_reason": None,
    }
    Fixture(folder, meta, body).save()


@pytest.fixture(scope="module")
def plugin(tmp_path_factory) -> dict[str, Path]:
    """The plug-in on disk (package and dist-info) and the site's fixtures folder."""
    root = tmp_path_factory.mktemp("throwaway")
    package = root / "plugins" / "clippings_gazette"
    package.mkdir(parents=True)
    for name, text in PACKAGE.items():
        (package / name).write_text(text, "utf-8")
    info = root / "plugins" / "clippings_gazette-0.1.dist-info"
    info.mkdir()
    metadata = "Metadata-Version: 2.1\nName: clippings-gazette\nVersion: 0.1\n"
    (info / "METADATA").write_text(metadata, "utf-8")
    (info / "entry_points.txt").write_text("[clippings.sites]\ngazette = clippings_gazette\n", "utf-8")

    fixtures = root / "fixtures" / "gazette"
    links = [_url(a) for a in ARTICLES] + [f"{HOST}/video/port-at-night-10490.html"]
    items = "".join(f"<item><link>{link}</link></item>" for link in links)
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    for name, body, kind, content_type in (
        ("robots.txt", "User-agent: *\nDisallow: /search\n", "robots", "text/plain"),
        ("feed.xml", feed, "feed", "application/rss+xml"),
    ):
        _save(fixtures / f"2026-05-12_{kind}", f"{HOST}/{name}", body.encode(), kind, content_type)
    for article in ARTICLES:
        folder = fixtures / f"{article['published'][:10]}_{article['slug'].split('/')[1]}"
        _save(
            folder,
            _url(article),
            _page(article).encode(),
            "article",
            "text/html; charset=utf-8",
            jsonld=article["jsonld"],
            must_not_contain=BOILERPLATE,
        )
        (folder / "expected.json").write_text(json.dumps(_expected(article), indent=2), "utf-8")
    return {"plugins": root / "plugins", "fixtures": root / "fixtures", "root": root}


def _env(plugin: dict[str, Path]) -> dict[str, str]:
    """The plug-in's folder on the path, as site-packages would be for an installed one."""
    paths = [str(plugin["plugins"]), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(paths)}


def test_the_crawl_writes_every_article_of_the_throwaway_site(plugin):
    out = plugin["root"] / "out"
    replay = ["--replay", str(plugin["fixtures"]), "--output", str(out), *FAST]
    done = run_clippings("crawl", "gazette", *replay, timeout=180, env=_env(plugin))
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    written = {record["url"]: record for record in read_output(out)}
    assert sorted(written) == sorted(_url(a) for a in ARTICLES)  # the video link fetched nothing
    assert list((out / "gazette").glob("*.jsonl"))  # output/<site>/
    for article in ARTICLES:
        record = written[_url(article)]
        expected = _expected(article)
        for field, value in expected.items():
            assert record[field] == value, (article["slug"], field)
        derived = {"word_count", "content_sha256", "published_raw", "modified_raw"}
        assert set(record) == set(expected) | derived
        assert not [text for text in BOILERPLATE if text in record["body"]]
    valid = run_clippings("validate", str(out), env=_env(plugin))
    assert valid.returncode == 0, valid.stdout + valid.stderr
    # Without the plug-in, the same lines name a site nobody registered.
    refused = run_clippings("validate", str(out))
    assert refused.returncode != 0 and "'gazette' is not a registered site" in refused.stdout + refused.stderr


def test_the_commands_know_the_throwaway_site(plugin):
    env = {**os.environ, **_env(plugin), "SCRAPY_SETTINGS_MODULE": "clippings.settings"}
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "list"],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "gazette" in listed.stdout.split(), listed.stdout + listed.stderr
    for folder in sorted((plugin["fixtures"] / "gazette").glob("*/expected.json")):
        shown = run_clippings("fixture", "show", str(folder.parent), env=_env(plugin))
        assert shown.returncode == 0 and "0 field(s) differ" in shown.stdout, shown.stdout + shown.stderr


# --- the registry's checks of an entry point -------------------------------------------------
def test_an_entry_point_must_name_a_site_of_its_own_name(monkeypatch):
    def discover(name: str, value: str) -> dict:
        entry = EntryPoint(name=name, value=value, group=clippings.sites.ENTRY_POINTS)
        monkeypatch.setattr(clippings.sites, "entry_points", lambda group: [entry])
        return clippings.sites._discover()

    # An entry point naming a site the package has (the same object) is that one site.
    assert discover("le360_en", "clippings.sites.le360_en:SITE") == clippings.sites.SITES
    mismatch = r"entry point gazette = 'clippings.sites.le360_en' declares the site 'le360_en'"
    with pytest.raises(ValueError, match=mismatch):
        discover("gazette", "clippings.sites.le360_en")
    with pytest.raises(TypeError, match=r"gazette = 'clippings.sites.base' names no Site"):
        discover("gazette", "clippings.sites.base")
