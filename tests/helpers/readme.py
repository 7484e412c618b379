"""README's code blocks, run by the tests that hold them true."""

from __future__ import annotations

import re

from tests.helpers.fixturelib import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_block(language: str, containing: str) -> str:
    for block in re.findall(rf"```{language}\n(.*?)```", README, re.S):
        if containing in block:
            return block
    raise AssertionError(f"README has no {language} block with {containing!r}")
