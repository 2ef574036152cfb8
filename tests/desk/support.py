"""Helpers shared by the desk tests (fixtures live in conftest.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cases.case import Case, Delivery, Need, Priority, Ticket
from cases.codec import encode
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
