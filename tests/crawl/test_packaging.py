"""The package's metadata as an install reads it: the license an SPDX string (no setuptools
warning about ``project.license``), and the ``export`` extra, which ``make`` installs and the
README gives, bringing what ``pd.read_parquet`` needs."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.helpers.fixturelib import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_the_license_is_an_spdx_string_setuptools_reads_without_a_warning():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]  # the first to read SPDX strings
    code = (
        "import warnings\n"
        "from setuptools.config.pyprojecttoml import read_configuration\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    config = read_configuration('pyproject.toml')\n"
        "print(config['project']['license'])\n"
        "print(sum('license' in str(w.message) for w in caught))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["MIT", "0"]


def test_the_export_extra_brings_pyarrow_and_make_installs_it():
    extra = PYPROJECT["project"]["optional-dependencies"]["export"]
    assert any(requirement.startswith("pyarrow") for requirement in extra)
    assert any(requirement.startswith("pandas") for requirement in extra)
    assert ",export]" in (ROOT / "Makefile").read_text("utf-8")
    assert "pip install -e '.[export]'" in (ROOT / "README.md").read_text("utf-8")
