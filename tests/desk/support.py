"""Helpers shared by the desk tests (fixtures live in conftest.py)."""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import uvicorn

from cases.case import Case, Delivery, Need, Priority, Ticket
from cases.codec import encode
from desk.app import create_app
from desk.service import DeskSettings
from procedures import load_catalogue

PIN = "246810"
BIRTH = "1.001193"  # Đăng ký khai sinh
BIRTH_PAPERS = len(load_catalogue().procedures[BIRTH].papers)


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 9, 0, 0))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def make_case(
    number: int = 12,
    priority: Priority = Priority.ELDERLY,
    have: tuple[bool, ...] | None = None,
    created: datetime = datetime(2026, 11, 23, 8, 45, 0),
    terminal: str = "T1",
) -> Case:
    return Case(
        terminal,
        Ticket(number, priority is not Priority.NONE),
        BIRTH,
        have if have is not None else tuple(i in (0, 2) for i in range(BIRTH_PAPERS)),
        priority=priority,
        needs=frozenset({Need.HARD_OF_HEARING}),
        delivery=Delivery.POST,
        created=created,
    )


def payload_of(case: Case, key: bytes) -> str:
    return encode(case, key)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThreadServer:
    """The real uvicorn server in a thread, on a free loopback port."""

    def __init__(self, settings: DeskSettings, port: int | None = None) -> None:
        self.port = port or free_port()
        self.app = create_app(settings)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
