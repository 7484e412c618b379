"""A real Redis (Debian's ``redis-server``) on 127.0.0.1 at a free port, without persistence,
in its own folder, stopped by its PID; and the cluster's processes (the writer, crawl nodes)
as subprocesses of the real ``clippings`` command."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.crawl import read_output
from tests.helpers.fixturelib import ROOT
from tests.helpers.pages import free_port

REDIS = shutil.which("redis-server")


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server ended: {(self.folder / 'redis.log').read_text()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not answer")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, sig)
            self.process.wait(timeout=20)
        self.process = None

    def client(self) -> Any:
        import redis

        return redis.Redis.from_url(self.url, decode_responses=True)


@contextlib.contextmanager
def running_redis(folder: Path) -> Iterator[RedisServer]:
    """A started RedisServer, stopped by its PID at the end (the test skipped without the binary)."""
    if REDIS is None:
        pytest.skip("needs Debian's redis-server (apt-get install redis-server; .ci/run installs it)")
    server = RedisServer(folder).start()
    try:
        yield server
    finally:
        server.stop()


def clippings(*args: str, env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen[str]:
    """The ``clippings`` command started in the background (stdout and stderr to ``log``)."""
    out = (log or Path(os.devnull)).open("w")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "clippings.cli", *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
        )
    finally:
        out.close()


def writer(server: RedisServer, output: Path, log: Path, until_idle: float = 10, **env: str) -> subprocess.Popen[str]:
    """The writer, ending ``until_idle`` seconds after the last message once no run is open
    (long enough for nodes started with it to load Scrapy and say they started)."""
    return clippings(
        "writer", "--cluster", server.url, "--output", str(output), "--until-idle", str(until_idle), env=env, log=log
    )


def node(server: RedisServer, run: str, log: Path, *args: str, idle: float = 2) -> subprocess.Popen[str]:
    """A crawl node of ``run`` (``args``: the sites and any crawl option)."""
    return clippings(
        "crawl", *args, "--cluster", server.url, "--run", run, "-s", f"CLIPPINGS_CLUSTER_IDLE={idle}", log=log
    )


def finish(process: subprocess.Popen[str], log: Path, timeout: float = 300) -> str:
    """Wait for a process; its log, which must say it ended with status 0."""
    status = process.wait(timeout=timeout)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert status == 0, f"exit status {status}: {text[-3000:]}"
    return text


def lines_per_article(output: Path) -> Counter[tuple[str, str]]:
    return Counter((r["site"], str(r["article_id"])) for r in read_output(output))


def written_lines(output: Path) -> int:
    return sum(path.read_bytes().count(b"\n") for path in output.glob("[a-z]*/*.jsonl"))


def wait_for(check: Any, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.1)
