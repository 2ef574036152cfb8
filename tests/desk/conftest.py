"""Shared desk fixtures: a real centre key, the real catalogue, a temp journal, a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cases.keys import init_key
from desk.app import create_app
from desk.auth import hash_password
from desk.service import DeskSettings
from procedures.catalogue import load_catalogue
from tests.desk.support import BIRTH, PIN, Clock, csrf_of


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


@pytest.fixture
def client_factory(settings):
    """Another desk server on the same journal, signed in (a second counter's browser)."""
    from contextlib import contextmanager

    @contextmanager
    def make():
        with TestClient(create_app(settings), base_url="http://127.0.0.1") as other:
            token = csrf_of(other.get("/signin").text)
            other.post("/signin", data={"password": PIN, "csrf": token})
            yield other

    return make


# -- the browser (tests marked real) ----------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian ``chromium``) through Playwright, one per test session."""
    from playwright.sync_api import sync_playwright

    from tests.desk.browser import CHROMIUM, launch

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the Debian package chromium")
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def real_settings(settings: DeskSettings) -> DeskSettings:
    """The shared settings with the real clock and no hall speaker."""
    from dataclasses import replace

    return replace(settings, clock=None, announcer=None)


@pytest.fixture
def server(real_settings: DeskSettings) -> Iterator:
    from tests.desk.support import ThreadServer

    with ThreadServer(real_settings) as s:
        yield s


@pytest.fixture
def page(browser, server):
    from tests.desk.browser import new_page

    with new_page(browser, server) as pg:
        yield pg
