"""Every setting declared once (clippings.core.config) with its type and range, and checked in one
place: a table test over every declared setting, the declaration against the code, the
defaults and README, and ``clippings crawl`` refusing a bad value with one line (exit 2)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from scrapy.settings import Settings

import clippings.settings as project
from clippings.cli import main
from clippings.core.config import (
    DECLARED,
    LOG_LEVELS,
    Setting,
    SettingError,
    check_settings,
    check_value,
)
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import FIXTURES, ROOT

PACKAGE = ROOT / "clippings"


def _default(setting: Setting) -> Any:
    return Settings({name: getattr(project, name) for name in dir(project) if name.isupper()}).get(setting.name)


def _bad_values(setting: Setting) -> list[str]:
    """Values ``-s`` could give that the setting cannot take."""
    if setting.kind == "number":
        bad = ["abc", "", "nan", "inf", "1,5"]
        if setting.low is not None:
            bad.append(str(setting.low - 1))
        if setting.high is not None:
            bad.append(str(setting.high + 1))
        if setting.whole:
            bad.append("1.5")
        return [b for b in bad if not (setting.optional and b == "")]
    return {
        "bool": ["maybe", "2", "yes", "on", "True ", "1.0"],
        "path": ["a\0b"] + ([] if setting.optional else [""]),
        "warc_path": ["a\0b", "/srv/clippings/le360/2026-01-01.jsonl", "/srv/clippings/x"],
        "log_level": ["LOUD", "", "10"],
        "url": ["not a url", "ftp://example.org/", "https://example.org/a b", "https://example.org/\r\nX: y"],
        "origins": ["not json", "[1, 2]", '{"https://fr.le360.ma": "127.0.0.1:8000"}'],
        "workers": ["0", "-1", "lots", ""],
        "objects": ["Slack please", "a..b", "[1]", "not.json]["],
        "redis_url": ["not a url", "http://127.0.0.1:6379/0", "redis://", "redis://h:port/0", "redis://a b:6379/0"],
        "run_id": ["a b", "r/1", "x" * 101, "run:1"],
    }[setting.kind]


def _good_values(setting: Setting) -> list[Any]:
    """Values the setting takes: its default, typed and as ``-s`` would give it, and others."""
    default = _default(setting)
    good = [default]
    if default is not None:
        good.append(json.dumps(default) if isinstance(default, dict) else str(default))
    good += {
        "number": [str(setting.low if setting.low is not None and setting.whole else 0.5 if setting.high else 2)],
        "bool": ["True", "false", "1", "0", " 1", True, False, 0],
        "path": ["/srv/clippings/x"],
        "warc_path": ["/srv/clippings/x.warc.gz", "/srv/x.WARC"],
        "log_level": [*LOG_LEVELS, "info"],
        "url": ["https://example.org/contact"],
        "origins": ['{"https://fr.le360.ma": "http://127.0.0.1:8000"}', {}],
        "workers": ["1", "4", "auto", 2],
        "objects": ["a.B, c.d.E", '["a.B"]', ["a.B"], ""],
        "redis_url": ["redis://127.0.0.1:6379/0", "redis://:secret@10.0.0.5:6379/1", "rediss://h.example:6380/0"],
        "run_id": ["20260101T10", "replay-2025.1_a"],
    }[setting.kind]
    if setting.optional:
        good += [None, ""]
    return good


@pytest.mark.parametrize("setting", DECLARED.values(), ids=list(DECLARED))
def test_every_declared_setting(setting: Setting) -> None:
    for value in _good_values(setting):
        check_value(setting.name, value)
    bad = _bad_values(setting)
    assert bad
    for value in bad:
        with pytest.raises(SettingError) as refused:
            check_value(setting.name, value)
        message = str(refused.value)
        assert "\n" not in message
        if value == "" and not setting.optional:
            assert message in (
                f"{setting.name}: not set; expected {setting.expected}",
                f"{setting.name}={value!r}: expected {setting.expected}",
            )
        else:
            assert message == f"{setting.name}={value!r}: expected {setting.expected}"


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("CLIPPINGS_HEALTH_MAX_NO_BODY", " 0.25 ", 0.25),
        ("CLIPPINGS_HEALTH_MIN_PAGES", "4", 4),
        ("CLIPPINGS_INCREMENTAL", "false", False),
        ("CLIPPINGS_PROGRESS_LIVE", None, None),
        ("CLIPPINGS_WORKERS", "3", 3),
        ("LOG_LEVEL", "debug", "DEBUG"),
        (
            "CLIPPINGS_ORIGINS",
            '{"https://fr.le360.ma": "http://127.0.0.1:8000"}',
            {"https://fr.le360.ma": "http://127.0.0.1:8000"},
        ),
        ("DOWNLOAD_TIMEOUT", "0.5", 0.5),
    ],
)
def test_values_are_read_as_the_code_reads_them(name, value, read):
    assert check_value(name, value) == read


def test_ranges_are_enforced_at_their_ends():
    assert (
        check_value("CLIPPINGS_HEALTH_MAX_NO_BODY", "0") == 0 and check_value("CLIPPINGS_HEALTH_MAX_NO_BODY", "1") == 1
    )
    with pytest.raises(SettingError):
        check_value("CLIPPINGS_HEALTH_MAX_NO_BODY", "1.01")
    with pytest.raises(SettingError, match="expected a number above 0"):
        check_value("DOWNLOAD_TIMEOUT", "0")
    with pytest.raises(SettingError, match="expected a whole number, 1 or more"):
        check_value("CONCURRENT_REQUESTS", "0")


def test_an_unknown_clippings_setting_is_refused_with_a_hint():
    with pytest.raises(
        SettingError,
        match=r"^CLIPPINGS_HEALTH_MAX_NOBODY: no such setting \(did you mean CLIPPINGS_HEALTH_MAX_NO_BODY\?\)$",
    ):
        check_value("CLIPPINGS_HEALTH_MAX_NOBODY", "0.3")
    assert check_value("SOME_SCRAPY_SETTING", "anything") == "anything"  # Scrapy's own are open-ended


def test_the_project_settings_pass_their_own_check():
    checked = check_settings(Settings({n: getattr(project, n) for n in dir(project) if n.isupper()}))
    assert set(checked) == set(DECLARED)
    with pytest.raises(SettingError, match=r"^DOWNLOAD_DELAY='x': "):
        check_settings(
            Settings({**{n: getattr(project, n) for n in dir(project) if n.isupper()}, "DOWNLOAD_DELAY": "x"})
        )


def test_every_clippings_setting_is_declared_and_has_a_default():
    in_settings = {name for name in dir(project) if name.startswith("CLIPPINGS_")}
    declared = {name for name in DECLARED if name.startswith("CLIPPINGS_")}
    assert in_settings == declared
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\bCLIPPINGS_[A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8")))
    assert used - declared == set(), "a setting the code reads is missing from clippings.core.config.DECLARED"


def test_readme_names_every_setting_with_its_default():
    # README and the reference pages it links to (docs/settings.md has every setting).
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    readme = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    declared = {name for name in DECLARED if name.startswith("CLIPPINGS_")}
    assert {n for n in declared if f"`{n}" not in readme and f"{n}=" not in readme} == set()
    # Table rows "| `NAME` | `default` | ..." give the default clippings.settings has.
    rows = re.findall(r"^\| `(CLIPPINGS_[A-Z_]+)` \| `([^`]*)`", readme, re.M)
    assert len(rows) >= 10
    for name, shown in rows:
        assert name in DECLARED, name
        default = getattr(project, name)
        assert shown == (json.dumps(default) if isinstance(default, dict) else str(default)), name
    mentioned = set(re.findall(r"\bCLIPPINGS_[A-Z0-9_]*[A-Z0-9]\b", readme))
    assert mentioned - declared == set(), "README names a setting that does not exist"


# --- the command ----------------------------------------------------------------------------
REFUSED = [
    (["-s", "CLIPPINGS_HEALTH_MAX_NO_BODY=abc"], "CLIPPINGS_HEALTH_MAX_NO_BODY 'abc': expected a number from 0 to 1"),
    (["-s", "CLIPPINGS_PROGRESS_INTERVAL=soon"], "CLIPPINGS_PROGRESS_INTERVAL 'soon': expected a number, 0 or more"),
    (["-s", "CLIPPINGS_HEALTH_MIN_PAGES=ten"], "CLIPPINGS_HEALTH_MIN_PAGES 'ten': expected a whole number, 0 or more"),
    (["-s", "DOWNLOAD_DELAY=-1"], "DOWNLOAD_DELAY '-1': expected a number, 0 or more"),
    (["-s", "CLIPPINGS_RECHECK_DROPPED_DAYS=x"], "CLIPPINGS_RECHECK_DROPPED_DAYS 'x': expected a number, 0 or more"),
    (["-s", "CLIPPINGS_INCREMENTAL=maybe"], "CLIPPINGS_INCREMENTAL 'maybe': expected True or False"),
    (["--loglevel", "LOUD"], "--loglevel 'LOUD': expected one of CRITICAL, ERROR, WARNING, INFO, DEBUG"),
    (["-s", "CONCURRENT_REQUESTS=0"], "CONCURRENT_REQUESTS '0': expected a whole number, 1 or more"),
    (["-s", "DOWNLOAD_TIMEOUT=0"], "DOWNLOAD_TIMEOUT '0': expected a number above 0"),
    (["-s", "LOG_LEVEL=LOUD"], "LOG_LEVEL 'LOUD': expected one of CRITICAL, ERROR, WARNING, INFO, DEBUG"),
    (
        ["-s", "CLIPPINGS_HEALTH_MAX_NOBODY=0.3"],
        "CLIPPINGS_HEALTH_MAX_NOBODY: no such setting (did you mean CLIPPINGS_HEALTH_MAX_NO_BODY?)",
    ),
]


@pytest.mark.parametrize(("args", "line"), REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_the_command_refuses_a_bad_setting_before_starting_anything(args, line, tmp_path, monkeypatch, capsys):
    import scrapy.crawler

    from clippings.crawl.resources import Shared

    def started(*args, **kwargs):
        raise AssertionError("started")

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    monkeypatch.setattr(scrapy.crawler, "CrawlerProcess", started)
    monkeypatch.setattr(Shared, "pool", started)
    out = tmp_path / "out"
    assert main(["crawl", "le360", "--replay", str(FIXTURES), "--output", str(out), "--workers", "2", *args]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"clippings: {line}\n")
    assert not out.exists()


def test_a_bad_setting_from_the_project_is_refused_too(tmp_path, monkeypatch, capsys):
    """Not only ``-s``: the whole set of settings is checked once it is built."""
    import scrapy.crawler

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    monkeypatch.setattr(project, "CLIPPINGS_LISTING_MAX_PAGES", "fifty")
    monkeypatch.setattr(scrapy.crawler, "CrawlerProcess", lambda *a, **k: pytest.fail("started"))
    assert main(["crawl", "le360", "--output", str(tmp_path / "o")]) == 2
    assert (
        capsys.readouterr().err
        == "clippings: CLIPPINGS_LISTING_MAX_PAGES 'fifty': expected a whole number, 1 or more\n"
    )


def test_a_jobdir_that_is_a_file_is_refused(tmp_path, monkeypatch, capsys):
    import scrapy.crawler

    (tmp_path / "job").write_text("x")
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    monkeypatch.setattr(scrapy.crawler, "CrawlerProcess", lambda *a, **k: pytest.fail("started"))
    assert main(["crawl", "le360", "--output", str(tmp_path / "o"), "-s", f"JOBDIR={tmp_path / 'job'}"]) == 2
    assert capsys.readouterr().err == f"clippings: -s JOBDIR={tmp_path / 'job'}: is a file, not a folder\n"


@pytest.mark.parametrize("args", [["-s", "CLIPPINGS_HEALTH_MAX_NO_BODY=abc"], ["--loglevel", "LOUD"]])
def test_the_real_command_prints_one_line_and_exits_2(args, tmp_path):
    done = run_clippings(
        "crawl", "le360", "--replay", str(FIXTURES), "--output", str(tmp_path / "o"), *args, timeout=60
    )
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("clippings: ")
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "o").exists()


def test_loglevel_is_read_in_any_case_and_s_log_level_is_obeyed(monkeypatch):
    from clippings.cli import build_parser as _parser
    from clippings.cli.crawl import scrapy_settings as _settings

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    settings = _settings(_parser().parse_args(["crawl", "le360", "--loglevel", "info"]))
    assert settings.get("LOG_LEVEL") == "INFO"
    settings = _settings(_parser().parse_args(["crawl", "le360", "-s", "LOG_LEVEL=error"]))
    assert settings.get("LOG_LEVEL") == "ERROR"
    settings = _settings(_parser().parse_args(["crawl", "le360"]))
    assert settings.get("LOG_LEVEL") == "WARNING"


# --- scrapy crawl and Scrapyd: the crawl checks its settings itself -----------------------
def _project_settings(**given: Any) -> Settings:
    settings = Settings({name: getattr(project, name) for name in dir(project) if name.isupper()})
    for name, value in given.items():
        settings.set(name, value, priority="cmdline")
    return settings


@pytest.mark.parametrize(
    ("name", "value"),
    [(s.name, v) for s in DECLARED.values() for v in _bad_values(s)],
    ids=[f"{s.name}={v!r}" for s in DECLARED.values() for v in _bad_values(s)],
)
def test_the_crawl_itself_refuses_every_bad_value_and_puts_the_default_back(name, value):
    from clippings.crawl.admission import checked_settings

    settings = _project_settings(**{name: value})
    problem = checked_settings(settings)
    assert problem is not None and problem.startswith(name), problem
    assert settings.get(name) == _default(DECLARED[name])  # nothing fails reading it now
    assert checked_settings(settings) is None


def test_the_crawl_itself_takes_every_good_value_and_refuses_an_unknown_name():
    from clippings.crawl.admission import checked_settings

    for setting in DECLARED.values():
        for value in _good_values(setting):
            assert checked_settings(_project_settings(**{setting.name: value})) is None, (setting.name, value)
    assert checked_settings(_project_settings(CLIPPINGS_HEALTH_MAX_NOBODY="0.3")) == (
        "CLIPPINGS_HEALTH_MAX_NOBODY: no such setting (did you mean CLIPPINGS_HEALTH_MAX_NO_BODY?)"
    )


SCRAPY_REFUSED = [
    (["-s", "CLIPPINGS_HEALTH_MAX_NO_BODY=abc"], "CLIPPINGS_HEALTH_MAX_NO_BODY='abc': expected a number from 0 to 1"),
    (["-s", "CLIPPINGS_PROGRESS_INTERVAL=soon"], "CLIPPINGS_PROGRESS_INTERVAL='soon': expected a number, 0 or more"),
    (["-s", "CLIPPINGS_HEALTH_MIN_PAGES=ten"], "CLIPPINGS_HEALTH_MIN_PAGES='ten': expected a whole number, 0 or more"),
    (["-s", "DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY='abc': expected a number, 0 or more"),
    (["-s", "CLIPPINGS_RECHECK_DROPPED_DAYS=x"], "CLIPPINGS_RECHECK_DROPPED_DAYS='x': expected a number, 0 or more"),
    (["-s", "CLIPPINGS_INCREMENTAL=maybe"], "CLIPPINGS_INCREMENTAL='maybe': expected True or False"),
    (["-s", "CLIPPINGS_WORKERS=lots"], "CLIPPINGS_WORKERS='lots': expected a whole number above 0, or auto"),
    (["-s", "CLIPPINGS_HEALTH_MAX_NOBODY=0.3"], "CLIPPINGS_HEALTH_MAX_NOBODY: no such setting"),
    (["-a", "since=2025-13-01"], "since='2025-13-01': expected a date as YYYY-MM-DD"),
    (["-a", "since=2025-09-10", "-a", "until=2025-09-01"], "since=2025-09-10 is after until=2025-09-01"),
    (["-a", "max_articles=0"], "max_articles='0': expected a whole number above 0"),
    (
        ["-a", "urls=https://www.almaghribtoday.net/rss"],
        "urls='https://www.almaghribtoday.net/rss': not a URL of le360",
    ),
]


@pytest.mark.parametrize(("args", "line"), SCRAPY_REFUSED, ids=[" ".join(a) for a, _ in SCRAPY_REFUSED])
def test_under_scrapy_crawl_a_bad_setting_or_argument_closes_the_spider_at_once(args, line, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy.cmdline",
            "crawl",
            "le360",
            "-s",
            f"CLIPPINGS_REPLAY={FIXTURES}",
            "-s",
            f"CLIPPINGS_OUTPUT_DIR={out}",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr[-3000:]  # as `clippings crawl`'s: a bad command line
    errors = [entry for entry in done.stderr.splitlines() if " ERROR: " in entry]
    assert len(errors) == 1, done.stderr[-3000:]
    assert errors[0].endswith(f"[le360] ERROR: {line}; the crawl is not started") or (
        line in errors[0] and errors[0].endswith("; the crawl is not started")
    ), errors[0]
    assert "Traceback" not in done.stderr
    assert "'finish_reason': 'bad_setting'" in done.stderr
    assert "'response_received_count'" not in done.stderr  # nothing fetched
    # nothing read or written but the run's own line in the history (issue 17: every crawl, however it ends)
    assert not out.exists() or sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        ".state/runs.ndjson"
    ]
