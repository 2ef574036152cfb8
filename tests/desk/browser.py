"""Helpers for the desk's browser tests: headless Chromium (Debian ``chromium``) driven by
Playwright against the real uvicorn server. Every wait is on the page's own signals (a URL, a
selector, ``html[data-ready]``), bounded by ``LOADED_MS`` for a loaded machine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.desk.support import PIN, ThreadServer

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "desk"
KEY_DELAY_MS = 8
LOADED_MS = 60_000
"""The longest any one step may take on a loaded machine: a bound on waiting for the page's own
signals (a selector, a URL, ``html[data-ready]``), never a fixed sleep."""


def launch(p):  # noqa: ANN001, ANN201 - a Playwright instance and its browser
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run",
              "--autoplay-policy=no-user-gesture-required"],
    )


@contextmanager
def new_page(browser, server: ThreadServer, outside_ok: bool = False) -> Iterator:  # noqa: ANN001
    """A fresh browser context (its own cookies: another counter) with one page; the page may
    ask for nothing outside the desk server."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(LOADED_MS)
    pg.set_default_navigation_timeout(LOADED_MS)
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url)
          if not r.url.startswith(server.url) and not r.url.startswith("data:") else None)
    try:
        yield pg
    finally:
        context.close()
    assert outside_ok or outside == [], f"the page asked for outside files: {outside}"


def ready(page) -> None:
    """The page's own signal that its script is set up (the scan box takes what is typed)."""
    page.wait_for_selector("html[data-ready='1']", state="attached")


def sign_in(page, server: ThreadServer) -> None:
    page.goto(server.url + "/")
    page.wait_for_url("**/signin")
    ready(page)
    page.keyboard.type(PIN, delay=KEY_DELAY_MS)  # the PIN box has focus by default
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")
    ready(page)


def scan(page, payload: str, key_by_key: bool = True) -> None:
    """Type like a wedge scanner into whatever has focus (the scan box by default), then Enter.

    ``key_by_key=False`` inserts the text in one go (to seed a queue quickly); Enter is still a
    real key press."""
    ready(page)
    assert page.evaluate("document.activeElement.id") == "payload"
    if key_by_key:
        page.keyboard.type(payload, delay=KEY_DELAY_MS)
    else:
        page.keyboard.insert_text(payload)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    ready(page)


def press(page, selector: str) -> None:
    """Click a form button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)
    ready(page)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


