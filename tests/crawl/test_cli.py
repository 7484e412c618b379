"""The ``clippings`` command's own checks: --version, paths of the wrong kind, bad settings."""

from __future__ import annotations

import os
import tomllib
from importlib.metadata import version

import pytest

from clippings.cli import main
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import ROOT


def test_version_is_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert capsys.readouterr().out == f"clippings {pyproject['project']['version']}\n"
    assert version("clippings") == pyproject["project"]["version"]


def test_version_command():
    done = run_clippings("--version", timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"clippings {version('clippings')}\n", "")


def _refused(args: list[str], monkeypatch, capsys) -> str:
    """Run ``clippings crawl ARGS`` in this process; it must fail before Scrapy starts."""
    import scrapy.crawler

    def no_crawl(*args, **kwargs):
        raise AssertionError("the crawl started")

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    monkeypatch.setattr(scrapy.crawler, "CrawlerProcess", no_crawl)
    assert main(["crawl", "le360", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


@pytest.mark.parametrize(
    ("make", "args", "expected"),
    [
        (
            lambda t: (t / "f").write_text("x"),
            lambda t: ["--output", str(t / "f")],
            lambda t: f"--output {t / 'f'}: is a file, not a folder",
        ),
        (
            lambda t: (t / "f").write_text("x"),
            lambda t: ["--output", str(t / "f" / "out")],
            lambda t: f"--output {t / 'f' / 'out'}: {t / 'f'} is a file, not a folder",
        ),
        (
            lambda t: os.mkfifo(t / "pipe"),
            lambda t: ["--output", str(t / "pipe")],
            lambda t: f"--output {t / 'pipe'}: is a FIFO, not a folder",
        ),
        (
            lambda t: (t / "gone").symlink_to(t / "nowhere"),
            lambda t: ["--output", str(t / "gone")],
            lambda t: f"--output {t / 'gone'}: is a broken symlink, not a folder",
        ),
        (
            lambda t: (t / "f").write_text("x"),
            lambda t: ["-s", f"CLIPPINGS_OUTPUT_DIR={t / 'f'}"],
            lambda t: f"-s CLIPPINGS_OUTPUT_DIR={t / 'f'}: is a file, not a folder",
        ),
        (
            lambda t: (t / "d").mkdir(),
            lambda t: ["--output", str(t / "o"), "--state", str(t / "d")],
            lambda t: f"--state {t / 'd'}: is a folder, not a file (the state database)",
        ),
        (
            lambda t: (t / "f").write_text("x"),
            lambda t: ["--output", str(t / "o"), "--state", str(t / "f" / "state.sqlite")],
            lambda t: f"--state {t / 'f' / 'state.sqlite'}: {t / 'f'} is a file, not a folder",
        ),
        (
            lambda t: (t / "d").mkdir(),
            lambda t: ["--output", str(t / "o"), "-s", f"CLIPPINGS_STATE={t / 'd'}"],
            lambda t: f"-s CLIPPINGS_STATE={t / 'd'}: is a folder, not a file (the state database)",
        ),
        (
            lambda t: (t / "o" / ".state" / "state.sqlite").mkdir(parents=True),
            lambda t: ["--output", str(t / "o")],
            lambda t: f"--state {t / 'o' / '.state' / 'state.sqlite'}: is a folder, not a file (the state database)",
        ),
    ],
    ids=[
        "output-is-a-file",
        "output-under-a-file",
        "output-is-a-fifo",
        "output-is-a-broken-symlink",
        "output-setting-is-a-file",
        "state-is-a-folder",
        "state-under-a-file",
        "state-setting-is-a-folder",
        "default-state-is-a-folder",
    ],
)
def test_a_path_of_the_wrong_kind_is_refused(make, args, expected, tmp_path, monkeypatch, capsys):
    make(tmp_path)
    assert _refused(args(tmp_path), monkeypatch, capsys) == f"clippings: {expected(tmp_path)}"


def test_the_state_is_not_checked_when_incremental_crawling_is_off(tmp_path, monkeypatch, capsys):
    from clippings.cli import crawl as cli

    (tmp_path / "d").mkdir()
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    monkeypatch.setattr(cli, "_run_crawls", lambda *args: 0)
    args = ["crawl", "le360", "--output", str(tmp_path / "o"), "--state", str(tmp_path / "d")]
    assert main([*args, "-s", "CLIPPINGS_INCREMENTAL=False"]) == 0
    assert main(args) == 2


def test_a_state_folder_is_refused_by_the_command(tmp_path):
    (tmp_path / "d").mkdir()
    done = run_clippings("crawl", "le360", "--output", str(tmp_path / "o"), "--state", str(tmp_path / "d"), timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"clippings: --state {tmp_path / 'd'}: is a folder, not a file (the state database)"
    ]
    assert not (tmp_path / "o").exists()


def test_nothing_is_created_when_a_path_is_refused(tmp_path, monkeypatch, capsys):
    (tmp_path / "d").mkdir()
    _refused(["--output", str(tmp_path / "o"), "--state", str(tmp_path / "d")], monkeypatch, capsys)
    assert not (tmp_path / "o").exists()
