"""A tiny ``sd_notify`` client: tells systemd the terminal is up and still alive (no dependency).

The terminal's unit is ``Type=notify`` with ``WatchdogSec=``: the app calls ``ready()`` once its
first frame is drawn, then ``watchdog_ping()`` from its UI loop at least every
``watchdog_interval() / 2`` seconds, so a frozen UI is restarted by systemd. Outside systemd
(``$NOTIFY_SOCKET`` unset) every call does nothing and returns False, so the same code runs on a
developer's desktop and in tests.

Protocol (``man sd_notify``): one datagram of newline-separated ``KEY=VALUE`` lines to the unix
socket named by ``$NOTIFY_SOCKET``; a name starting with ``@`` is in the abstract namespace.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

SEND_TIMEOUT_S = 1.0
"""A notification never blocks the UI longer than this."""


def _address(name: str) -> str | bytes | None:
    if not name:
        return None
    if name.startswith("@"):
        return b"\0" + name[1:].encode("utf-8")
    if name.startswith("/"):
        return name
    return None  # vsock: and other forms are not used on a kiosk


def notify(message: str, env: Mapping[str, str] | None = None) -> bool:
    """Send ``message`` (e.g. ``"READY=1"``) to systemd. True when it was sent.

    Never raises: a missing or broken socket only returns False.
    """
    env = os.environ if env is None else env
    address = _address(env.get("NOTIFY_SOCKET", ""))
    if address is None or not message:
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.settimeout(SEND_TIMEOUT_S)
            sock.connect(address)
            data = message.encode("utf-8")
            return sock.send(data) == len(data)
    except OSError:
        return False


def ready(status: str = "", env: Mapping[str, str] | None = None) -> bool:
    """Tell systemd start-up is complete (``READY=1``), with an optional status line."""
    lines = ["READY=1"]
    if status:
        lines.append(f"STATUS={_one_line(status)}")
    return notify("\n".join(lines), env)


def status(text: str, env: Mapping[str, str] | None = None) -> bool:
    """Set the one-line status shown by ``systemctl status``."""
    return notify(f"STATUS={_one_line(text)}", env)


def stopping(env: Mapping[str, str] | None = None) -> bool:
    """Tell systemd the terminal is shutting down on purpose (``STOPPING=1``)."""
    return notify("STOPPING=1", env)


def watchdog_ping(env: Mapping[str, str] | None = None) -> bool:
    """Tell systemd the terminal is still alive (``WATCHDOG=1``)."""
    return notify("WATCHDOG=1", env)


def watchdog_interval(
    env: Mapping[str, str] | None = None, pid: int | None = None, parent: int | None = None
) -> float | None:
    """The watchdog timeout in seconds, or None when systemd expects no pings from this process.

    ``$WATCHDOG_USEC`` holds the timeout in microseconds; when ``$WATCHDOG_PID`` is set it must
    be this process (``pid``, default ``os.getpid()``) or the one that started it (``parent``,
    default ``os.getppid()``): on the kiosk the unit's main process is ``xinit``, which starts
    the terminal as its X client, so systemd names ``xinit`` and the unit's
    ``NotifyAccess=all`` takes the terminal's pings for it. Any other process: the pings are
    meant for someone else. Ping at least twice per interval.
    """
    env = os.environ if env is None else env
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    owner = env.get("WATCHDOG_PID", "")
    if owner:
        try:
            mine = (os.getpid() if pid is None else pid, os.getppid() if parent is None else parent)
            if int(owner) not in mine:
                return None
        except ValueError:
            return None
    return usec / 1_000_000


def _one_line(text: str) -> str:
    return " ".join(text.split())
