"""What the whole suite shares: it leaves the checkout's ``output/`` as it found it; the
``browser`` fixture (headless Chromium) of the report's tests; the ``no_dask`` environment of
``reextract`` run in one process. Shared helpers are modules of
``tests/helpers/``; no test module imports another.

A test writes its collections under its ``tmp_path``; one that wrote into the checkout's
``output/`` (a crawl, ``clippings record`` run from the checkout without ``--output``)
would leave a run history there that ``clippings status`` then reports. The session's
last teardown compares ``output/`` with what it held when the session began, and fails
naming what is new or changed.
"""

from __future__ import annotations

import os

import pytest

from tests.helpers.browser import Browser, BrowserError, chromium
from tests.helpers.checkout import left_behind, snapshot
from tests.helpers.fixturelib import ROOT

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session", autouse=True)
def checkout_output_untouched():
    folder = ROOT / "output"
    before = snapshot(folder)
    yield
    new = left_behind(before, snapshot(folder))
    if new:
        pytest.fail(f"the test suite wrote into {folder}: {', '.join(new[:10])}", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    """Chromium, or a skip saying why it cannot run; under CI=true it must run."""
    binary = chromium()
    if binary is None:
        if IN_CI:
            pytest.fail(
                "CI=true: Chromium must run the report test, and is not installed (.ci/run installs Debian's chromium)"
            )
        pytest.skip("Chromium is not installed: apt-get install chromium (.ci/run does it for CI)")
    try:
        browser = Browser(binary)
    except BrowserError as exc:
        if IN_CI:
            pytest.fail(f"CI=true: Chromium must run the report test, and cannot: {exc}")
        pytest.skip(f"Chromium is installed but cannot run here: {exc}")
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def no_dask(tmp_path_factory):
    """PYTHONPATH under which Dask cannot be imported: ``reextract`` in one process, as on a
    machine without it (an ``env`` for ``run_clippings``)."""
    folder = tmp_path_factory.mktemp("no-dask")
    for name in ("dask", "distributed"):
        (folder / f"{name}.py").write_text("raise ImportError('not installed here')\n")
    return {"PYTHONPATH": str(folder)}
