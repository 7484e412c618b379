"""The cluster's command line (``clippings writer``, ``clippings crawl --cluster --run``):
what it refuses, in one line with exit status 2, before anything starts; the optional extra;
and a crawl without ``--cluster``, which imports neither redis nor scrapy-redis."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from clippings.cli import main
from tests.helpers.fixturelib import FIXTURES, ROOT
from tests.helpers.pages import free_port

CLOSED = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--cluster", CLOSED], "clippings: --cluster and --run go together: a node is part of one run of one cluster"),
        (["--run", "r1"], "clippings: --cluster and --run go together: a node is part of one run of one cluster"),
        (
            ["--cluster", "http://127.0.0.1:6379/0", "--run", "r1"],
            "clippings: --cluster 'http://127.0.0.1:6379/0': expected a Redis URL, redis://[:PASSWORD@]HOST:PORT/DB",
        ),
        (
            ["--cluster", CLOSED, "--run", "a b"],
            "clippings: --run 'a b': expected a run id (letters, digits, '.', '_' or '-')",
        ),
        (
            ["--cluster", CLOSED, "--run", "r1", "--new"],
            "clippings: --new: a cluster node writes no files (its writer does)",
        ),
    ],
)
def test_a_node_refuses_a_bad_command_line_in_one_line(args, line, tmp_path, capsys):
    assert main(["crawl", "le360", "--replay", str(FIXTURES), *args]) == 2
    assert capsys.readouterr().err.strip() == line


def test_a_node_or_writer_whose_redis_cannot_be_reached_says_so_in_one_line(tmp_path, capsys):
    assert main(["crawl", "le360", "--replay", str(FIXTURES), "--cluster", CLOSED, "--run", "r1"]) == 2
    node = capsys.readouterr().err.strip()
    assert main(["writer", "--cluster", CLOSED, "--output", str(tmp_path / "out")]) == 2
    writer = capsys.readouterr().err.strip()
    for said in (node, writer):
        assert said.startswith(f"clippings: --cluster {CLOSED}: cannot use this Redis (") and "\n" not in said
    assert not (tmp_path / "out").exists()


def test_the_writer_refuses_a_bad_until_idle(tmp_path, capsys):
    assert main(["writer", "--cluster", CLOSED, "--output", str(tmp_path), "--until-idle", "soon"]) == 2
    assert capsys.readouterr().err.strip() == "clippings: --until-idle 'soon': expected a number of seconds, 0 or more"


def test_the_cluster_extra_and_make_install_it():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    assert sorted(r.split(">")[0] for r in extras["cluster"]) == ["redis", "scrapy-redis"]
    assert ",cluster," in (ROOT / "Makefile").read_text("utf-8")


def test_a_crawl_without_cluster_imports_no_redis(tmp_path):
    code = (
        "import sys\n"
        "from clippings.cli import main\n"
        f"status = main(['crawl', 'le360', '--replay', {str(FIXTURES)!r}, '--output', {str(tmp_path)!r}])\n"
        "print(status, sorted(m for m in sys.modules if m.split('.')[0] in ('redis', 'scrapy_redis')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[-1] == "0 []"
    assert list(tmp_path.glob("le360/*.jsonl"))  # the crawl wrote its lines: it did run
