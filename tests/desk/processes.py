"""A centre with several machines on this one: the real hub (``hotro desk``) and real terminals
(``hotro run --text``) as separate processes, each with its own ``HOTRO_HOME`` (its own journal),
sharing the centre key. Waits are on what the processes print or store, bounded for a loaded
machine."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from tests.desk.support import PIN, csrf_of, free_port

ROOT = Path(__file__).resolve().parents[2]
HOTRO = [sys.executable, "-m", "terminal.cli"]
LOADED = 60.0
"""Seconds any one step may take on a loaded machine (a bound, not a wait)."""


def wait_for(check: Callable[[], object], what: str, timeout: float = LOADED) -> object:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class Process:
    """A child whose output lines are collected by a thread."""

    def __init__(self, args: list[str], home: Path, stdin: bool = False) -> None:
        env = dict(os.environ, HOTRO_HOME=str(home), PYTHONUNBUFFERED="1")
        env.pop("SDL_AUDIODRIVER", None)
        self.home = home
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def type(self, *lines: str) -> None:
        """Type lines one by one, a few milliseconds apart, like a keypad."""
        assert self.proc.stdin is not None
        for line in lines:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
            time.sleep(0.005)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)


class Hub(Process):
    """``hotro desk`` on a free loopback port (the same port again after a restart)."""

    def __init__(self, home: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        super().__init__([*HOTRO, "desk", "--port", str(self.port)], home)
        wait_for(self._up, f"hotro desk on port {self.port}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _up(self) -> bool:
        assert self.proc.poll() is None, self.output
        try:
            return httpx.get(self.url + "/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    @contextlib.contextmanager
    def client(self) -> Iterator[httpx.Client]:
        """A signed-in staff client (a counter) with its CSRF token in ``.csrf``."""
        with httpx.Client(base_url=self.url, follow_redirects=True, timeout=LOADED) as client:
            token = csrf_of(client.get("/signin").text)
            page = client.post("/signin", data={"password": PIN, "csrf": token})
            client.csrf = csrf_of(page.text)  # type: ignore[attr-defined]
            yield client


class Terminal(Process):
    """``hotro run --text`` driven over stdin."""

    def __init__(self, home: Path) -> None:
        super().__init__([*HOTRO, "run", "--text"], home, stdin=True)
        wait_for(lambda: any(ln.startswith("[attract]") for ln in self.lines) or self._dead(),
                 "the attract screen")

    def _dead(self) -> bool:
        assert self.proc.poll() is None, self.output
        return False

    def screens(self) -> list[str]:
        return [ln.split("]")[0][1:] for ln in self.lines if ln.startswith("[")]


def make_hub_home(home: Path, key: Path) -> Path:
    """A hub's home: the centre key and a staff PIN (``hotro desk passwd``)."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(key, home / "centre.key")
    done = subprocess.run([*HOTRO, "desk", "passwd", "--stdin"], input=PIN + "\n", cwd=ROOT,
                          env=dict(os.environ, HOTRO_HOME=str(home)), capture_output=True,
                          text=True, timeout=LOADED)
    assert done.returncode == 0, done.stderr
    return home


def make_terminal_home(home: Path, key: Path, terminal_id: str, hub: str) -> Path:
    """A terminal's home: the centre key and a configuration that forwards to ``hub``."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(key, home / "centre.key")
    (home / "hotro.toml").write_text(
        f'[centre]\nterminal_id = "{terminal_id}"\nhub = "{hub}"\nretry_max_seconds = 2.0\n',
        encoding="utf-8",
    )
    return home
