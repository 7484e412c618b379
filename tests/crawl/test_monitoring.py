"""Spidermon monitors of the extraction-health figures (``clippings[monitoring]``).

A real crawl with ``CLIPPINGS_MONITORING`` on: a layout change (bodies emptied, bodies halved)
fails the monitor of its figure, with the site, figure, value and threshold in Spidermon's
report, and runs the actions named in ``CLIPPINGS_MONITORING_ACTIONS``; a healthy crawl
passes every monitor and runs none.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.utils.python import global_object_name
from spidermon.core.actions import Action

import clippings.settings as project
from clippings.cli import main
from clippings.core import config
from clippings.core.config import SettingError, check_value
from clippings.crawl import addon
from clippings.crawl.addon import HEALTH_SUITE, SPIDERMON_EXTENSION, Clippings
from tests.helpers.crawl import FAST, run_clippings
from tests.helpers.pages import ReplayFolder, article_html, halved_article, le360_url

ACTION = f"{__name__}.WriteFailures"
# The summary's figures, one monitor each, and the comparison with the last runs.
FIGURES = (
    "no title",
    "no lead",
    "no section",
    "no tags",
    "no image",
    "no date",
    "no author",
    "no body",
    "errors",
    "refused",
)
MONITORS = len(FIGURES) + 1


class WriteFailures(Action):
    """The test's stand-in for an e-mail or a Slack message: the failed monitors, in the file
    named by ``CLIPPINGS_TEST_MONITOR_FILE``."""

    def run_action(self) -> None:
        failed = [
            {"monitor": result.item.name, "error": str(result.error)} for result in self.result.monitors_failed_results
        ]
        Path(os.environ["CLIPPINGS_TEST_MONITOR_FILE"]).write_text(json.dumps(failed), encoding="utf-8")


def _crawl(tmp_path: Path, pages: dict[str, bytes], *settings: str, replay: str = "replay"):
    store = ReplayFolder(tmp_path / replay)
    args = [
        "crawl",
        "le360",
        "--replay",
        str(tmp_path / replay),
        "--output",
        str(tmp_path / "out"),
        *FAST,
    ]
    for slug, body in pages.items():
        store.add(le360_url(slug), body)
        args += ["--url", le360_url(slug)]
    args += [
        "--loglevel",
        "INFO",
        "-s",
        "CLIPPINGS_MONITORING=True",
        "-s",
        f"CLIPPINGS_MONITORING_ACTIONS={ACTION}",
    ]
    return run_clippings(
        *args,
        *settings,
        timeout=180,
        env={"CLIPPINGS_TEST_MONITOR_FILE": str(tmp_path / "failed.json")},
    )


def _report(stderr: str) -> list[str]:
    """Spidermon's report of the monitors, as logged."""
    return [line.split("[Spidermon] ", 1)[1] for line in stderr.splitlines() if "[Spidermon] " in line]


LAYOUT_CHANGES = {
    "emptied": (
        {f"vide-{i}": article_html(title=f"Sans texte {i}", body=False).encode() for i in range(8)}
        | {f"bon-{i}": article_html(title=f"Bon {i}").encode() for i in range(4)},
        (
            "le360: no_body 0.667 (8 of 12 article pages had no body) is above"
            " CLIPPINGS_HEALTH_MAX_NO_BODY=0.5 — layout may have changed"
        ),
        ["no body"],
    ),
    "halved": (
        {f"moitie-{i}": halved_article(f"Moitié {i}") for i in range(10)},
        (
            "le360: no_body 1.000 (10 of 10 article pages had no body) is above"
            " CLIPPINGS_HEALTH_MAX_NO_BODY=0.5 — layout may have changed"
        ),
        ["no date", "no body"],  # the redesigned page lost its date too (the summary's order)
    ),
}


@pytest.mark.parametrize("change", LAYOUT_CHANGES)
def test_a_layout_change_fails_the_no_body_monitor(change, tmp_path):
    pages, message, failing = LAYOUT_CHANGES[change]
    done = _crawl(tmp_path, pages)
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    report = _report(done.stderr)
    for monitor in failing:
        assert f"{monitor}/share within its threshold... FAIL" in report, report
    assert f"AssertionError: {message}" in done.stderr
    footer = next(i for i, line in enumerate(report) if line.startswith(f"{MONITORS} monitors in "))
    assert report[footer + 1].startswith(f"FAILED (failures={len(failing)}"), report
    failed = json.loads((tmp_path / "failed.json").read_text(encoding="utf-8"))
    assert [entry["monitor"] for entry in failed] == [f"{m}/share within its threshold" for m in failing]
    assert any(message in entry["error"] for entry in failed)
    assert done.stderr.count("Traceback") == len(failing)  # the failed monitors', in Spidermon's report
    assert "Warning" not in done.stderr


def test_a_healthy_crawl_passes_every_monitor(tmp_path):
    pages = {f"article-{i}": article_html(title=f"Article {i}").encode() for i in range(10)}
    pages["vide"] = article_html(title="Sans texte", body=False).encode()  # 1 of 11: within 0.5
    done = _crawl(tmp_path, pages)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    report = _report(done.stderr)
    for monitor in FIGURES:
        assert f"{monitor}/share within its threshold... OK" in report, report
    # A first run has no earlier runs to be compared with: skipped, not passed.
    assert (
        "against the last runs/coverage and values as usual... SKIPPED "
        "(le360: fewer than 3 earlier runs in the run history to compare with)"
    ) in report
    footer = next(i for i, line in enumerate(report) if line.startswith(f"{MONITORS} monitors in "))
    assert report[footer + 1] == "OK (skipped=1)"
    assert not (tmp_path / "failed.json").exists()  # no action ran


def test_a_field_falling_against_the_last_runs_fails_its_monitor(tmp_path):
    """Three runs whose articles all had an author, then one where 4 of 10 have none: 0.4 is
    within CLIPPINGS_HEALTH_MAX_NO_AUTHOR=0.8, but a fall of 0.4 against the usual 100%."""
    for run in range(3):
        pages = {f"r{run}-{i}": article_html(title=f"Article {run} {i}").encode() for i in range(10)}
        done = _crawl(tmp_path, pages, replay=f"replay{run}")
        assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    pages = {
        f"r3-{i}": article_html(title=f"Article 3 {i}", author=None if i < 4 else "A. B.").encode() for i in range(10)
    }
    done = _crawl(tmp_path, pages, replay="replay3")
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    report = _report(done.stderr)
    assert "no author/share within its threshold... OK" in report, report
    assert "against the last runs/coverage and values as usual... FAIL" in report, report
    message = (
        "le360: authors on 6 of 10 articles written (60%), usually 100% (median of its last 3 runs),"
        " a fall over CLIPPINGS_HEALTH_MAX_DROP=0.25 — layout may have changed"
    )
    assert f"AssertionError: {message}" in done.stderr
    assert message in " ".join(line.strip() for line in done.stdout.splitlines())  # the extension's alarm
    failed = json.loads((tmp_path / "failed.json").read_text(encoding="utf-8"))
    assert [entry["monitor"] for entry in failed] == ["against the last runs/coverage and values as usual"]


def test_a_figure_on_too_few_pages_is_skipped_not_passed(tmp_path):
    pages = {f"anonyme-{i}": article_html(title=f"Anonyme {i}", author=None).encode() for i in range(3)}
    done = _crawl(tmp_path, pages)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert (
        "no author/share within its threshold... SKIPPED "
        "(le360: no_author counted on 3, fewer than CLIPPINGS_HEALTH_MIN_PAGES=10)"
    ) in _report(done.stderr)


# --- enabling it ----------------------------------------------------------------------------
def _resolved(**given) -> Settings:
    settings = Settings({name: getattr(project, name) for name in dir(project) if name.isupper()})
    for name, value in given.items():
        settings.set(name, value, priority="cmdline")
    Clippings().update_settings(settings)
    return settings


def _extensions(settings: Settings) -> dict[str, int | None]:
    """EXTENSIONS by import path, whether the add-on put a component in by class or by path."""
    named = settings.getdict("EXTENSIONS").items()
    return {key if isinstance(key, str) else global_object_name(key): order for key, order in named}


def test_the_setting_turns_spidermon_on_with_the_health_suite():
    off = _resolved()
    assert SPIDERMON_EXTENSION not in _extensions(off) and not off.getbool("SPIDERMON_ENABLED")
    on = _resolved(CLIPPINGS_MONITORING="True")
    assert on.getbool("SPIDERMON_ENABLED")
    assert _extensions(on)[SPIDERMON_EXTENSION] == 500
    assert on.getlist("SPIDERMON_SPIDER_CLOSE_MONITORS") == [HEALTH_SUITE]
    own = _resolved(CLIPPINGS_MONITORING=True, SPIDERMON_SPIDER_CLOSE_MONITORS=["myproject.monitors.Suite"])
    assert own.getlist("SPIDERMON_SPIDER_CLOSE_MONITORS") == ["myproject.monitors.Suite"]


def test_spidermon_named_in_extensions_keeps_its_order_or_stays_off():
    # Named by path or by class, with an order or None: the add-on adds no second entry.
    from spidermon.contrib.scrapy.extensions import Spidermon

    given = {**project.EXTENSIONS, SPIDERMON_EXTENSION: None}
    kept_off = _resolved(CLIPPINGS_MONITORING=True, EXTENSIONS=given)
    assert _extensions(kept_off)[SPIDERMON_EXTENSION] is None
    by_class = _resolved(CLIPPINGS_MONITORING=True, EXTENSIONS={**project.EXTENSIONS, Spidermon: 300})
    assert by_class.getdict("EXTENSIONS")[Spidermon] == 300
    assert list(_extensions(by_class)).count(SPIDERMON_EXTENSION) == 1


def test_without_spidermon_the_setting_says_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(config, "find_spec", lambda name: None)
    monkeypatch.setattr(addon, "find_spec", lambda name: None)
    line = "CLIPPINGS_MONITORING='True': Spidermon is not installed; pip install 'clippings[monitoring]'"
    with pytest.raises(SettingError) as refused:
        check_value("CLIPPINGS_MONITORING", "True")
    assert str(refused.value) == line
    assert check_value("CLIPPINGS_MONITORING", "False") is False  # off needs nothing
    assert SPIDERMON_EXTENSION not in _extensions(_resolved(CLIPPINGS_MONITORING=True))
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    out = tmp_path / "out"
    assert main(["crawl", "le360", "--output", str(out), "-s", "CLIPPINGS_MONITORING=True"]) == 2
    assert capsys.readouterr().err == f"clippings: {line.replace('=', ' ', 1)}\n"
    assert not out.exists()


def test_actions_are_import_paths():
    assert check_value("CLIPPINGS_MONITORING_ACTIONS", f"{ACTION}, a.B") == [ACTION, "a.B"]
    assert check_value("CLIPPINGS_MONITORING_ACTIONS", f'["{ACTION}"]') == [ACTION]
    assert check_value("CLIPPINGS_MONITORING_ACTIONS", "") == []
    with pytest.raises(SettingError, match="expected import paths of Spidermon actions"):
        check_value("CLIPPINGS_MONITORING_ACTIONS", "Slack please")
