"""Live pages in a real browser: headless Chromium (Debian ``chromium``, Playwright) against the
real uvicorn server on 127.0.0.1 (a thread), a real SQLite journal and real signed payloads.
Two browser contexts are two counters; a third is the TV of the hall board. Every wait is on the
page's own signals, bounded for a loaded machine; the one timing promised (a call on the board
within 1 s) is measured from the journal's commit to the board's DOM."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from cases.case import Priority
from cases.journal import Journal
from tests.desk.browser import KEY_DELAY_MS, new_page, press, ready, scan, shot, sign_in
from tests.desk.support import PIN, Clock, ThreadServer, make_case, payload_of

pytestmark = pytest.mark.real


def slip(settings, n: int, priority: Priority = Priority.NONE) -> str:
    created = datetime.now().replace(microsecond=0) - timedelta(minutes=5)
    return payload_of(make_case(n, priority, created=created), settings.key)


def test_the_queue_updates_on_another_counter_without_reloading(
    browser, server, real_settings
) -> None:
    with new_page(browser, server) as a, new_page(browser, server) as b:
        sign_in(a, server)
        sign_in(b, server)
        b.wait_for_selector("html[data-live='1']", state="attached")
        b.evaluate("window.notReloaded = true")
        assert b.is_visible("#queue-empty")
        scan(a, slip(real_settings, 1), key_by_key=False)
        scan(a, slip(real_settings, 2, Priority.ELDERLY), key_by_key=False)
        b.wait_for_function("() => document.querySelectorAll('#waiting-rows tr').length === 2")
        tickets = [t.strip().lstrip("★ ").strip()
                   for t in b.locator("#waiting td.ticket").all_inner_texts()]
        assert tickets == ["U-002", "A-001"]  # priority first, in the order they will be called
        assert b.inner_text("#waiting-count") == "2" and b.is_hidden("#queue-empty")
        press(a, "#call-next")
        b.wait_for_function("() => document.querySelectorAll('#waiting-rows tr').length === 1")
        b.wait_for_selector("#at-counters li >> text=U-002")
        assert "Quầy 1" in b.inner_text("#at-counters")
        assert b.evaluate("window.notReloaded === true")  # the same page all along
        assert b.evaluate("document.activeElement.id") == "payload"  # ready for the scanner
        shot(b, "desk-live-queue.png")


def test_a_call_for_staff_rings_on_every_counter_until_one_takes_it(
    browser, server, real_settings
) -> None:
    with new_page(browser, server) as a, new_page(browser, server) as b:
        sign_in(a, server)
        sign_in(b, server)
        for pg in (a, b):
            pg.wait_for_selector("html[data-live='1']", state="attached")
        with Journal(real_settings.journal_path) as j:  # a terminal on the same machine
            j.record_event("call_staff", "print_failed", origin="T1")
        for pg in (a, b):
            pg.wait_for_selector("#help .alert.help")
            assert "Máy T1 gọi cán bộ lúc" in pg.inner_text("#help")
            assert "máy in bị lỗi" in pg.inner_text("#help")
        shot(a, "desk-call-staff.png")
        press(a, "#help button.take")
        assert "Đã nhận. Hãy đến máy T1." in a.inner_text("#note")
        b.wait_for_function("() => document.querySelectorAll('#help .alert').length === 0")
        assert a.query_selector("#help .alert") is None


def test_a_page_whose_session_ended_says_so(browser, settings) -> None:
    """The server's clock (a fake one) passes the 30 minutes without a staff action; the next
    change in the journal reaches the open page as "ended"."""
    clock = Clock(datetime.now().replace(microsecond=0))
    timed = replace(settings, clock=clock, announcer=None)
    with ThreadServer(timed) as server, new_page(browser, server) as pg:
        sign_in(pg, server)
        pg.wait_for_selector("html[data-live='1']", state="attached")
        assert pg.is_hidden("#session-ended")
        clock.advance(31)
        with Journal(timed.journal_path) as j:
            j.record_event("printer", "paper_out")
        pg.wait_for_selector("#session-ended", state="visible")
        assert "Phiên làm việc đã hết" in pg.inner_text("#session-ended")
        assert pg.evaluate("document.documentElement.dataset.live") == "ended"


def test_a_slip_scanned_on_the_sign_in_page_opens_after_sign_in(
    page, server, real_settings
) -> None:
    page.goto(server.url + "/")
    page.wait_for_url("**/signin")
    ready(page)
    payload = slip(real_settings, 9)
    for _ in range(6):  # the scanner into the PIN box, more often than 5 wrong PINs
        page.keyboard.type(payload, delay=KEY_DELAY_MS)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        ready(page)
        assert "Đã nhận mã phiếu" in page.inner_text("#signin-slip")
        assert page.query_selector("#signin-error") is None
    page.keyboard.type(PIN, delay=KEY_DELAY_MS)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    ready(page)
    assert page.inner_text("#case-ticket").strip() == "A-009"
    assert page.evaluate("document.activeElement.id") == "payload"


def test_the_board_shows_each_call_within_a_second(browser, server, real_settings) -> None:
    """No sign-in on the board; the counter calls; the board's own DOM is watched from the
    moment the call is in the journal."""
    with new_page(browser, server) as board, new_page(browser, server) as counter:
        board.goto(server.url + "/board")
        board.wait_for_selector("body[data-live='1']", state="attached")
        assert board.url.endswith("/board")  # no sign-in
        sign_in(counter, server)
        for n in range(1, 4):
            scan(counter, slip(real_settings, n), key_by_key=False)
        desk = server.app.state.desk
        delays = []
        for number in (1, 2, 3):
            began = time.monotonic()
            called = desk.call_next(number)
            assert called is not None
            board.wait_for_function(
                "t => document.getElementById('call-ticket').textContent === t", arg=called.ticket
            )
            delays.append(time.monotonic() - began)
            assert board.inner_text("#call-counter") == f"Quầy {number}"
        assert max(delays) < 1.0, delays
        assert board.inner_text("#recent").split() == ["A-002", "Quầy", "2", "A-001", "Quầy", "1"]
        assert board.inner_text("#waiting") == "Đang chờ: 0 người"
        shot(board, "board.png")


def test_the_board_comes_back_by_itself_when_the_hub_restarts(browser, real_settings) -> None:
    first = ThreadServer(real_settings).__enter__()
    port = first.port
    with new_page(browser, first) as board:
        board.goto(first.url + "/board")
        board.wait_for_selector("body[data-live='1']", state="attached")
        first.__exit__()
        board.wait_for_selector("#offline", state="visible")
        with ThreadServer(real_settings, port=port) as again:
            board.wait_for_selector("body[data-live='1']", state="attached")
            assert board.is_hidden("#offline")
            assert again.app.state.desk.scan(slip(real_settings, 4)).ok
            again.app.state.desk.call_next(2)
            board.wait_for_function(
                "() => document.getElementById('call-ticket').textContent === 'A-004'")
