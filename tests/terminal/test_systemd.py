"""terminal.systemd against a real unix datagram socket (what systemd listens on)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminal import systemd


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(2)
    yield sock, str(path)
    sock.close()


@pytest.fixture
def abstract_listener() -> Iterator[tuple[socket.socket, str]]:
    name = f"hotro-test-{uuid.uuid4().hex}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    yield sock, "@" + name
    sock.close()


def test_ready_sends_ready_1_to_the_notify_socket(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    assert systemd.ready(env={"NOTIFY_SOCKET": path}) is True
    assert sock.recv(4096) == b"READY=1"


def test_ready_with_status_sends_both_lines(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    assert systemd.ready("first frame\ndrawn", env={"NOTIFY_SOCKET": path})
    assert sock.recv(4096).decode().split("\n") == ["READY=1", "STATUS=first frame drawn"]


def test_watchdog_ping_sends_watchdog_1(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    assert systemd.watchdog_ping(env={"NOTIFY_SOCKET": path})
    assert sock.recv(4096) == b"WATCHDOG=1"


def test_status_and_stopping_messages(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    assert systemd.status("printer out of paper", env={"NOTIFY_SOCKET": path})
    assert sock.recv(4096) == b"STATUS=printer out of paper"
    assert systemd.stopping(env={"NOTIFY_SOCKET": path})
    assert sock.recv(4096) == b"STOPPING=1"


def test_abstract_namespace_socket_is_supported(
    abstract_listener: tuple[socket.socket, str],
) -> None:
    sock, name = abstract_listener
    assert systemd.notify("READY=1", env={"NOTIFY_SOCKET": name})
    assert sock.recv(4096) == b"READY=1"


def test_notify_reads_the_real_environment(
    listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sock, path = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    assert systemd.watchdog_ping()
    assert sock.recv(4096) == b"WATCHDOG=1"


def test_notify_without_socket_returns_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert systemd.ready() is False
    assert systemd.notify("READY=1", env={}) is False


def test_notify_to_a_missing_socket_returns_false(tmp_path: Path) -> None:
    assert systemd.notify("READY=1", env={"NOTIFY_SOCKET": str(tmp_path / "gone.sock")}) is False


def test_notify_to_an_unsupported_address_returns_false() -> None:
    assert systemd.notify("READY=1", env={"NOTIFY_SOCKET": "vsock:2:1234"}) is False


def test_empty_message_is_not_sent(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    assert systemd.notify("", env={"NOTIFY_SOCKET": path}) is False
    sock.settimeout(0.1)
    with pytest.raises(TimeoutError):
        sock.recv(4096)


def test_watchdog_interval_in_seconds_for_this_process() -> None:
    env = {"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": str(os.getpid())}
    assert systemd.watchdog_interval(env) == 60.0


def test_watchdog_interval_without_pid_applies_to_this_process() -> None:
    assert systemd.watchdog_interval({"WATCHDOG_USEC": "1500000"}) == 1.5


def test_watchdog_interval_for_another_process_is_none() -> None:
    env = {"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "4242"}
    assert systemd.watchdog_interval(env, pid=42, parent=1) is None


def test_watchdog_interval_for_the_parent_xinit_applies_to_its_client() -> None:
    """The kiosk unit's main process is xinit; systemd names it in $WATCHDOG_PID."""
    env = {"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": str(os.getppid())}
    assert systemd.watchdog_interval(env) == 60.0


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"WATCHDOG_USEC": ""},
        {"WATCHDOG_USEC": "abc"},
        {"WATCHDOG_USEC": "0"},
        {"WATCHDOG_USEC": "-5"},
        {"WATCHDOG_USEC": "1000", "WATCHDOG_PID": "x"},
    ],
)
def test_watchdog_interval_unset_or_invalid_is_none(env: dict[str, str]) -> None:
    assert systemd.watchdog_interval(env) is None


def test_watchdog_interval_with_explicit_pid() -> None:
    env = {"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "42"}
    assert systemd.watchdog_interval(env, pid=42) == 2.0
