"""Headless Chromium (Debian's package ``chromium``), driven over the DevTools protocol on
a pipe (``--remote-debugging-pipe``: fds 3 and 4, messages ended by NUL): no port, no
WebSocket library. Opens a page, collects console messages, exceptions, log entries and
every network request, evaluates JavaScript and takes full-page screenshots."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    pass


def _above_four(fd: int) -> int:
    import fcntl

    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


@dataclass
class Page:
    """What the browser reported while the page loaded."""

    console: list[dict[str, Any]] = field(default_factory=list)  # Runtime.consoleAPICalled
    exceptions: list[dict[str, Any]] = field(default_factory=list)  # Runtime.exceptionThrown
    log: list[dict[str, Any]] = field(default_factory=list)  # Log.entryAdded
    requests: list[str] = field(default_factory=list)  # every URL requested
    failed: list[dict[str, Any]] = field(default_factory=list)  # Network.loadingFailed

    def errors(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, error log entries, failed loads."""
        found = [
            f"console.{c['type']}: "
            + " ".join(str(a.get("value", a.get("description", ""))) for a in c.get("args", []))
            for c in self.console
            if c.get("type") in ("error", "warning", "assert")
        ]
        found += [
            f"exception: {e['exceptionDetails'].get('text')} {e['exceptionDetails'].get('exception', {}).get('description', '')}"
            for e in self.exceptions
        ]
        found += [
            f"log {e['entry']['level']}: {e['entry'].get('text')} {e['entry'].get('url', '')}"
            for e in self.log
            if e["entry"]["level"] in ("error", "warning")
        ]
        found += [f"failed load: {f.get('errorText')}" for f in self.failed]
        return found


class Browser:
    def __init__(self, binary: str | None = None, width: int = 1280, height: int = 900) -> None:
        self.binary = binary or chromium()
        if self.binary is None:
            raise BrowserError("Chromium is not installed (Debian package chromium)")
        self.width, self.height = width, height
        self.profile = tempfile.mkdtemp(prefix="clippings-chromium-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # The child's ends, numbered above 4, so that putting them at 3 and 4 clobbers neither.
        to_browser_read, from_browser_write = (_above_four(fd) for fd in (to_browser_read, from_browser_write))

        def pipes() -> None:  # in the child: fd 3 reads our commands, fd 4 writes answers
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (kept open for the browser's life, closed in close())
        self.process = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            preexec_fn=pipes,
            close_fds=False,  # our other descriptors are not inheritable (PEP 446)
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next = 0
        self._events: list[dict[str, Any]] = []
        self.session: str | None = None
        try:
            version = self.call("Browser.getVersion", timeout=30)
        except BrowserError:
            self.close()
            raise
        self.version = version.get("product", "")

    # --- the protocol ---------------------------------------------------------------------------
    def _send(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"no answer from Chromium in {timeout} s")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                self.stderr.seek(0)
                raise BrowserError(f"Chromium exited: {self.stderr.read().decode(errors='replace')[-2000:]}")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def call(
        self, method: str, params: dict[str, Any] | None = None, timeout: float = 60, browser: bool = False
    ) -> dict[str, Any]:
        ident = self._send(method, params, None if browser else self.session)
        while True:
            message = self._read(timeout)
            if message.get("id") == ident:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._events.append(message)

    def wait_for(self, event: str, timeout: float = 60) -> dict[str, Any]:
        for index, message in enumerate(self._events):
            if message.get("method") == event:
                return self._events.pop(index)
        while True:
            message = self._read(timeout)
            if message.get("method") == event:
                return message
            self._events.append(message)

    # --- pages ----------------------------------------------------------------------------------
    def open(self, url: str) -> Page:
        """A new tab on ``url``, loaded; what it reported while loading."""
        target = self.call("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, browser=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )
        self._events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))", await_promise=True)
        page = Page()
        for message in self._events:
            method, params = message.get("method"), message.get("params", {})
            if method == "Runtime.consoleAPICalled":
                page.console.append(params)
            elif method == "Runtime.exceptionThrown":
                page.exceptions.append(params)
            elif method == "Log.entryAdded":
                page.log.append(params)
            elif method == "Network.requestWillBeSent":
                page.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                page.failed.append(params)
        return page

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise}
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params |= {
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": self.width, "height": size["height"], "scale": 1},
            }
        data = self.call("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                try:
                    self._send("Browser.close", None, None)
                    self.process.wait(10)
                except (OSError, subprocess.TimeoutExpired):
                    self.process.kill()
                    self.process.wait(10)
        finally:
            for fd in (self._to_browser, self._from_browser):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self.stderr.close()
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
