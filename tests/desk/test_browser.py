"""The desk in a real browser: headless Chromium (Debian ``chromium``) driven by Playwright,
against a real uvicorn server on 127.0.0.1, a real SQLite journal and real signed payloads.

Payloads are typed key by key and finished with Enter, the way a keyboard-wedge scanner types.
Screenshots go to ``test-artifacts/desk/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta

import pytest

from cases.case import Priority
from cases.journal import Journal
from tests.desk.browser import (
    ARTIFACTS,
    KEY_DELAY_MS,
    LOADED_MS,
    press,
    ready,
    scan,
    shot,
    sign_in,
)
from tests.desk.support import PIN, free_port, make_case, payload_of

pytestmark = pytest.mark.real


def test_sign_in_is_required_and_a_wrong_pin_is_refused(page, server) -> None:
    page.goto(server.url + "/")
    assert page.url.endswith("/signin")
    ready(page)
    page.keyboard.type("0000", delay=KEY_DELAY_MS)
    page.keyboard.press("Enter")
    page.wait_for_selector("#signin-error")
    assert "không đúng" in page.inner_text("#signin-error")
    shot(page, "desk-signin.png")
    page.fill("#password", PIN)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")
    assert page.is_visible("#payload")
    cookie = next(c for c in page.context.cookies() if c["name"] == "hotro_desk")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"


def test_a_typed_slip_opens_its_case(page, server, real_settings) -> None:
    sign_in(page, server)
    created = datetime.now().replace(microsecond=0) - timedelta(minutes=7)
    payload = payload_of(make_case(12, Priority.ELDERLY, created=created), real_settings.key)
    scan(page, payload)
    page.wait_for_selector("#case")
    assert page.inner_text("#case-ticket").strip().endswith("U-012")
    assert page.inner_text("#case-procedure") == "Đăng ký khai sinh"
    missing = page.inner_text("#papers-missing")
    assert "Giấy tờ về việc sinh" in missing and "Xin lại giấy chứng sinh tại bệnh viện" in missing
    assert "Tờ khai khai sinh" in page.inner_text("#papers-have")
    assert "Người cao tuổi" in page.inner_text("#case-priority")
    assert "Nghe kém" in page.inner_text("#case-needs")
    assert page.inner_text("#case-waited").startswith(("7 phút", "8 phút"))
    assert page.evaluate("document.activeElement.id") == "payload"  # ready for the next slip
    shot(page, "desk-case.png")
    with Journal(real_settings.journal_path) as j:
        row = j.case_by_payload(payload)
        assert row is not None and row.ticket_label == "U-012"
        assert [e.kind for e in j.events_of(row.id)] == ["handed_off"]


def test_a_scan_after_clicking_elsewhere_still_lands_in_the_scan_box(
    page, server, real_settings
) -> None:
    sign_in(page, server)
    page.click("#queue h2")  # staff clicked on plain text: nothing has the focus now
    assert page.evaluate("document.activeElement === document.body")
    payload = payload_of(make_case(7, Priority.NONE), real_settings.key)
    page.keyboard.type(payload, delay=KEY_DELAY_MS)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    ready(page)
    assert page.inner_text("#case-ticket").strip() == "A-007"


def test_a_forged_slip_is_refused_on_screen_and_nothing_is_recorded(
    page, server, real_settings
) -> None:
    sign_in(page, server)
    payload = payload_of(make_case(3, Priority.NONE), real_settings.key)
    forged = payload[:-3] + ("0" if payload[-3] != "0" else "1") + payload[-2:]
    scan(page, forged)
    page.wait_for_selector("#refused")
    text = page.inner_text("#refused")
    assert "KHÔNG NHẬN MÃ NÀY" in text
    assert "sai chữ ký" in text and "Không ghi gì vào sổ" in text
    assert page.query_selector("#case") is None
    shot(page, "desk-refused.png")
    with Journal(real_settings.journal_path) as j:
        assert j.cases() == [] and j.case_events() == []


def test_the_queue_follows_the_fairness_rule(page, server, real_settings) -> None:
    """Limit 2: handed in A-001, A-002, U-001, U-002, U-003 → called U-001, U-002, A-001,
    A-002, U-003."""
    sign_in(page, server)
    now = datetime.now().replace(microsecond=0)
    arrivals = [(1, Priority.NONE), (2, Priority.NONE), (1, Priority.ELDERLY),
                (2, Priority.PREGNANT), (3, Priority.DISABLED)]
    for i, (n, prio) in enumerate(arrivals):
        created = now - timedelta(minutes=20 - 3 * i)
        scan(page, payload_of(make_case(n, prio, created=created), real_settings.key),
             key_by_key=i == 0)
        page.wait_for_selector("#case")
    expected = ["U-001", "U-002", "A-001", "A-002", "U-003"]
    tickets = [t.strip().lstrip("★ ").strip()
               for t in page.locator("#waiting td.ticket").all_inner_texts()]
    assert tickets == expected
    shot(page, "desk-queue.png")
    called = []
    for _ in expected:
        page.select_option("#call-counter", "2")
        press(page, "#call-next")
        called.append(page.inner_text("#called .alert-title"))
    assert called == [f"Đã gọi số {t} đến quầy 2." for t in expected]
    press(page, "#call-next")
    assert "Không còn ai chờ" in page.inner_text("#note")


def test_a_post_without_the_csrf_token_is_refused(page, server, real_settings) -> None:
    sign_in(page, server)
    payload = payload_of(make_case(5), real_settings.key)
    response = page.request.post(server.url + "/scan", form={"payload": payload})
    assert response.status == 403
    wrong = page.request.post(server.url + "/scan", form={"payload": payload, "csrf": "x" * 43})
    assert wrong.status == 403
    with Journal(real_settings.journal_path) as j:
        assert j.cases() == []


def test_the_report_page_and_the_printable_summary_show_the_month(
    page, server, real_settings
) -> None:
    sign_in(page, server)
    now = datetime.now().replace(microsecond=0)
    for n, prio in ((1, Priority.ELDERLY), (2, Priority.NONE), (3, Priority.SMALL_CHILD)):
        scan(page, payload_of(make_case(n, prio, created=now - timedelta(minutes=9)),
                              real_settings.key), key_by_key=False)
        page.wait_for_selector("#case")
    for _ in range(2):
        press(page, "#call-next")
        press(page, "#action-start")
        press(page, "#action-done")
    with Journal(real_settings.journal_path) as j:
        for row in j.cases():
            j.record_satisfaction(row.id, "satisfied" if row.ticket_number != 3 else "neutral")
    page.goto(server.url + "/report")
    assert page.inner_text("#residents") == "3"
    img_ok = page.evaluate("document.querySelector('img.chart').naturalWidth > 500")
    assert img_ok
    shot(page, "desk-report.png")
    with page.expect_navigation():  # the printable summary: a page without a script
        page.click("#summary-link")
    body = page.inner_text("body")
    assert "đã hỗ trợ 3 lượt người dân" in body and "2 lượt thuộc diện ưu tiên" in body
    assert "66,7% hài lòng" in body
    shot(page, "report-summary.png")
    page.emulate_media(media="print")
    page.pdf(path=str(ARTIFACTS / "report-summary.pdf"), format="A4")
    # One printed page for the chairman.
    pdf = (ARTIFACTS / "report-summary.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf)) == 1


def test_hotro_desk_command_serves_the_sign_in_page(browser, tmp_path, key) -> None:
    """The real ``hotro desk`` command in its own process, with a temp HOTRO_HOME."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(tmp_path / "centre.key", home / "centre.key")
    env = {**os.environ, "HOTRO_HOME": str(home)}
    hotro = [sys.executable, "-m", "terminal.cli"]
    done = subprocess.run([*hotro, "desk", "passwd", "--stdin"], input=PIN + "\n", env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    port = free_port()
    proc = subprocess.Popen([*hotro, "desk", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "hotro desk did not start"
                time.sleep(0.2)
        context = browser.new_context()
        pg = context.new_page()
        pg.set_default_timeout(LOADED_MS)
        pg.set_default_navigation_timeout(LOADED_MS)
        pg.goto(f"http://127.0.0.1:{port}/")
        assert pg.url.endswith("/signin")
        ready(pg)
        pg.keyboard.type(PIN, delay=KEY_DELAY_MS)
        pg.keyboard.press("Enter")
        pg.wait_for_url(f"http://127.0.0.1:{port}/")
        ready(pg)
        assert pg.evaluate("document.activeElement.id") == "payload"
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert (home / "journal.sqlite3").exists()


def test_a_counter_set_to_digital_help_calls_only_those_tickets(page, server, real_settings):
    """Issue 18, in Chromium: staff tick "Quầy Hỗ trợ dịch vụ công trực tuyến" alone for counter
    2 on the page "Quầy phục vụ"; with a priority birth registration and a result pick-up waiting
    before a VNeID ticket, counter 2's "Gọi số tiếp" calls the VNeID ticket, then nobody."""
    from dataclasses import replace as changed

    from cases.case import Case, Ticket
    from cases.codec import encode

    sign_in(page, server)
    now = datetime.now().replace(microsecond=0)
    cat = real_settings.catalogue
    vneid = Case("T1", Ticket(103, False), "", (), created=now - timedelta(minutes=5),
                 service="vneid_help")
    result = changed(vneid, ticket=Ticket(102, True), priority=Priority.ELDERLY,
                     service="pick_up_result", created=now - timedelta(minutes=8))
    for payload in (payload_of(make_case(101, Priority.ELDERLY, created=now - timedelta(
            minutes=10)), real_settings.key), encode(result, real_settings.key, cat),
            encode(vneid, real_settings.key, cat)):
        scan(page, payload, key_by_key=False)
    assert page.inner_text("#case-procedure") == "Hỗ trợ VNeID"
    assert "Quầy Hỗ trợ dịch vụ công trực tuyến" in page.inner_text("#case-counter-type")
    press(page, "#counters-link")
    form = "#counter-2"
    for box in page.query_selector_all(f"{form} input[name=serves]"):
        if box.get_attribute("value") == "digital":
            box.check()
        else:
            box.uncheck()
    press(page, f"{form} button[type=submit]")
    assert "quầy 2 phục vụ Quầy Hỗ trợ dịch vụ công trực tuyến" in page.inner_text("#note")
    shot(page, "desk-counters.png")
    page.goto(server.url + "/")
    ready(page)
    page.select_option("#call-counter", "2")
    assert page.inner_text("#counter-serves") == \
        "Quầy 2 phục vụ: Quầy Hỗ trợ dịch vụ công trực tuyến"
    press(page, "#call-next")
    assert "Đã gọi số A-103 đến quầy 2." in page.inner_text("#called")
    assert page.inner_text("#case-ticket").strip() == "A-103"
    press(page, "#call-next")  # counter 2 stays chosen: nobody else is its to call
    assert "Không còn ai chờ." in page.inner_text("#note")
    page.select_option("#call-counter", "1")
    press(page, "#call-next")
    assert "Đã gọi số U-101 đến quầy 1." in page.inner_text("#called")
    with Journal(real_settings.journal_path) as j:
        called = [(j.case(e.case_id).ticket_label, e.counter)
                  for e in j.case_events() if e.kind == "called"]
    assert called == [("A-103", 2), ("U-101", 1)]


def test_the_feedback_list_shows_a_call_back_number_until_the_call_is_made(
    page, server, real_settings
):
    """Issue 18, in Chromium: feedback forwarded by the terminals, the number shown to signed-in
    staff; "Đã gọi xong" closes it and the number is gone from the page and the journal file."""
    phone = "0912345678"
    with Journal(real_settings.journal_path) as j:
        j.record_feedback("wrong_data", True, phone, "A-104", "T1")
        j.record_feedback("waiting", ticket="A-201", origin="T2")
    sign_in(page, server)
    press(page, "#feedback-link")
    rows = page.inner_text("#feedback-open")
    assert phone in rows and "Hồ sơ sai hoặc trùng thông tin" in rows and "Không cần gọi" in rows
    shot(page, "desk-feedback.png")
    press(page, "#feedback-open tr:has-text('A-104') button.done")
    assert "đã được xoá hẳn" in page.inner_text("#note")
    assert phone not in page.content()
    path = real_settings.journal_path
    files = [path, path.with_name(path.name + "-wal")]
    assert not any(phone.encode() in f.read_bytes() for f in files if f.exists())
