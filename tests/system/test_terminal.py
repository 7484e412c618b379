"""The live display and the summary in a real terminal: tmux, read back pane by pane.

Both sites are crawled over HTTP (the fixtures played by a local server, a little slowly)
in a tmux pane 80 columns wide, and in one 40 wide. The pane is read as the crawl runs:
there is never more than one line per site, each within the width, nothing wrapped; and
at 80 columns the summary that ends it fits too. (CI installs tmux: .ci/run.)
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time

import pytest

from tests.helpers.fixturelib import FIXTURES, ROOT, article_fixtures
from tests.helpers.httpsite import LocalSite

NEEDS_TMUX = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")

PROGRESS = re.compile(r"^(le360|almaghribtoday): \d+ pages done, \d+ queued, \d+ written, \d+ errors, \d+ pages/min")
CUT = re.compile(r"^(le360|almaghribtoday): \d+")  # the line's start, as narrow panes show it


class Pane:
    def __init__(self, socket, name: str, width: int, command: str) -> None:
        self.socket, self.name, self.width = str(socket), name, width
        self.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", "30", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=30
        ).stdout

    def read(self, joined: bool = True) -> list[str]:
        """The pane's lines; ``joined``: a line the terminal wrapped is given back whole."""
        text = self.tmux("capture-pane", "-p", *(["-J"] if joined else []), "-t", self.name)
        return [line.rstrip() for line in text.splitlines()]


def _command(site: LocalSite, out) -> str:
    args = [
        sys.executable,
        "-m",
        "clippings.cli",
        "crawl",
        "le360",
        "almaghribtoday",
        "--output",
        str(out),
        "--new",  # the screen holds the live lines and the summary, no other WARNING
        *site.settings(),
        "-s",
        "DOWNLOAD_DELAY=0.1",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
    ]
    return f"cd {shlex.quote(str(ROOT))} && {shlex.join(args)}; echo EXIT:$?; sleep 60"


@NEEDS_TMUX
def test_one_line_per_site_cut_to_the_width_and_a_summary_within_80_columns(tmp_path):
    socket = tmp_path / "tmux.sock"
    with LocalSite(FIXTURES) as site:
        for fixture in article_fixtures():  # over one scheme, a saved http -> https redirect would hide its page
            site.add(fixture.url, fixture.body, headers=fixture.headers)
        for page in site.pages.values():
            page.delay = 0.15  # a crawl of a few seconds: the display redraws a few times
        panes = [Pane(socket, f"w{width}", width, _command(site, tmp_path / f"out-{width}")) for width in (80, 40)]
        try:
            seen: dict[int, list[list[str]]] = {pane.width: [] for pane in panes}
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                for pane in panes:
                    seen[pane.width].append(pane.read())
                if all(any(line.startswith("EXIT:") for line in seen[p.width][-1]) for p in panes):
                    break
                time.sleep(0.1)
            final = {pane.width: (pane.read(), pane.read(joined=False)) for pane in panes}
        finally:
            subprocess.run(["tmux", "-S", str(socket), "kill-server"], capture_output=True, timeout=30)

    for width, snapshots in seen.items():
        assert any(line == "EXIT:0" for line in snapshots[-1]), "\n".join(snapshots[-1])
        live = [snapshot for snapshot in snapshots if any(CUT.match(line) for line in snapshot)]
        assert len(live) >= 3, f"{width} columns: the display was seen {len(live)} times"
        # Both sites at once, each on its own line.
        assert any({CUT.match(line)[1] for line in s if CUT.match(line)} == {"le360", "almaghribtoday"} for s in live)
        if width == 80:  # wide enough for the whole line
            assert all(PROGRESS.match(line) for s in live for line in s if CUT.match(line) and ", finished" not in line)
        for snapshot in snapshots:
            shown = [line for line in snapshot if line.startswith(("le360:", "almaghribtoday:"))]
            sites = [line.split(":", 1)[0] for line in shown]
            assert len(sites) == len(set(sites)), f"{width} columns, a site twice:\n" + "\n".join(snapshot)
            assert all(len(line) < width for line in shown), f"{width} columns, wrapped:\n" + "\n".join(snapshot)
        joined, raw = final[width]
        assert not [line for line in joined if line.startswith(("le360:", "almaghribtoday:"))], "cleared at the end"
    joined, raw = final[80]
    assert joined == raw, "nothing wrapped at 80 columns"
    summary = joined[: joined.index("EXIT:0")]
    assert summary[0].split() == ["site", "pages", "written", "updated", "skipped", "dropped", "errors"]
    assert re.match(r"^le360 +\d+ +\d+ +0 +0 +\d+ +0$", next(line for line in summary if line.startswith("le360 ")))
    assert re.match(
        r"^almaghribtoday +\d+ +\d+ +0 +0 +\d+ +0$",
        next(line for line in summary if line.startswith("almaghribtoday ")),
    )
    assert all(len(line) <= 80 for line in summary)


def test_the_readme_shows_the_live_lines_as_they_are_drawn():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(le360: .*?)```", readme, re.S)
    assert block, "README shows the live display"
    lines = block[1].splitlines()
    assert [PROGRESS.match(line)[1] for line in lines] == ["le360", "almaghribtoday"]
    assert all(len(line) < 80 for line in lines)
