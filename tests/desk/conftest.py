"""Shared desk fixtures: a real centre key, the real catalogue, a temp journal, a fake clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cases.case import Case, Delivery, Need, Priority, Ticket
from cases.codec import encode
from cases.keys import init_key
from desk.app import create_app
from desk.auth import hash_password
from desk.service import DeskSettings
from procedures.catalogue import load_catalogue

PIN = "246810"
BIRTH = "1.001193"  # Đăng ký khai sinh, 6 papers


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 9, 0, 0))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture(scope="session")
def catalogue():
    cat = load_catalogue()
    assert cat.get(BIRTH) is not None
    return cat


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PIN)


@pytest.fixture
def key(tmp_path: Path) -> bytes:
    return init_key(tmp_path / "centre.key")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def announced() -> list[str]:
    return []


@pytest.fixture
def settings(tmp_path, key, catalogue, password_hash, clock, announced) -> DeskSettings:
    return DeskSettings(
        journal_path=tmp_path / "journal.sqlite3",
        key=key,
        catalogue=catalogue,
        password_hash=password_hash,
        centre_name="Trung tâm Phục vụ hành chính công xã Lạc Phượng",
        fairness_limit=2,
        counters=3,
        announcer=announced.append,
        clock=clock,
    )


def make_case(
    number: int = 12,
    priority: Priority = Priority.ELDERLY,
    have: tuple[bool, ...] = (True, False, True, False, False, False),
    created: datetime = datetime(2026, 11, 23, 8, 45, 0),
    terminal: str = "T1",
) -> Case:
    return Case(
        terminal,
        Ticket(number, priority is not Priority.NONE),
        BIRTH,
        have,
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


@pytest.fixture
def client(settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def signed_in(client: TestClient) -> TestClient:
    token = csrf_of(client.get("/signin").text)
    response = client.post("/signin", data={"password": PIN, "csrf": token})
    assert response.status_code == 200 and "/signin" not in str(response.url)
    return client
