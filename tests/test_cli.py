"""The ``clippings`` command's own checks: --version, paths of the wrong kind, bad settings."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest

from clippings.cli import main
from tests.crawl import run_clippings
from tests.fixturelib import ROOT


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
