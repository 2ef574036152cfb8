"""Issue 18 at the desk, over HTTP with the real app, journal (SQLite) and centre key: counters by
service type ("call next" takes only what a counter serves, in the fair order), service slips
scanned and shown, the feedback list with its call-back numbers, the month report by service."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from cases.case import Case, Priority, Ticket
from cases.codec import encode
from cases.stats import month_report
from desk.app import create_app
from tests.desk.support import BIRTH, PIN, csrf_of, make_case

PHONE = "0912345678"


def service_case(number: int, service: str, priority: Priority = Priority.NONE, topic: str = "",
                 call_back: bool = False) -> Case:
    return Case("T1", Ticket(number, priority is not Priority.NONE), "", (), priority=priority,
                created=datetime(2026, 11, 23, 8, 50), service=service, topic=topic,
                call_back=call_back)


def scan(client: TestClient, case: Case, key: bytes, catalogue) -> str:
    payload = encode(case, key, catalogue)
    page = client.post("/scan", data={"payload": payload, "csrf": csrf_of(client.get("/").text)})
    assert page.status_code == 200, page.text
    return page.text


def call(client: TestClient, counter: int) -> str:
    return client.post("/call", data={"counter": str(counter),
                                      "csrf": csrf_of(client.get("/").text)}).text


def test_a_scanned_service_slip_shows_the_service_not_a_checklist(signed_in, key, catalogue):
    html = scan(signed_in, service_case(105, "vneid_help"), key, catalogue)
    assert 'id="case-procedure">Hỗ trợ VNeID<' in html
    assert "Quầy Hỗ trợ dịch vụ công trực tuyến" in html
    assert "Thẻ căn cước; Điện thoại thông minh" in html
    assert 'id="papers-have"' not in html


def test_a_counter_for_digital_help_calls_only_those_tickets(signed_in, settings, key, catalogue):
    """Counter 2 serves digital help only; the priority birth registration that came first is
    not its to call, the VNeID help ticket is; counter 1 (everything) then calls the birth."""
    for case in (make_case(101, Priority.ELDERLY), service_case(102, "vneid_help"),
                 service_case(103, "pick_up_result", Priority.ELDERLY)):
        scan(signed_in, case, key, catalogue)
    token = csrf_of(signed_in.get("/counters").text)
    saved = signed_in.post("/counters/2", data={"serves": "digital", "csrf": token})
    assert "Đã lưu: quầy 2 phục vụ Quầy Hỗ trợ dịch vụ công trực tuyến." in saved.text
    assert "Đã gọi số A-102 đến quầy 2." in call(signed_in, 2)
    assert "Không còn ai chờ." in call(signed_in, 2)  # nothing else is counter 2's
    assert "Đã gọi số U-101 đến quầy 1." in call(signed_in, 1)  # the priority birth first
    desk = signed_in.app.state.desk
    assert desk.counter(2).services == frozenset({"vneid_help", "submit_online",
                                                  "track_application", "pay_online"})
    assert desk.counter(1).services is None  # not set: everything
    home = signed_in.get("/").text
    assert "Quầy 1 phục vụ: Quầy Một cửa, Quầy Hỗ trợ dịch vụ công trực tuyến, Quầy Trả kết quả" \
        in home


def test_the_configured_counters_are_the_default_and_the_page_changes_them(
    tmp_path, settings, key, catalogue
):
    configured = replace(settings, counter_services=(("general", "results"), ("digital",)))
    with TestClient(create_app(configured), base_url="http://127.0.0.1") as c:
        c.post("/signin", data={"password": PIN, "csrf": csrf_of(c.get("/signin").text)})
        desk = c.app.state.desk
        assert desk.counter_types(1) == {"general", "results"}
        assert desk.counter_types(3) is None  # past the configured list: everything
        assert "" in desk.counter(1).services and "pick_up_result" in desk.counter(1).services
        page = c.get("/counters").text
        assert 'name="serves" value="digital" checked' in page
        assert "thủ tục hành chính, Góp ý, phản ánh" in page  # what "general" serves
        token = csrf_of(page)
        refused = c.post("/counters/1", data={"csrf": token})  # nothing chosen
        assert "Hãy chọn ít nhất một việc cho quầy." in refused.text
        assert desk.counter_types(1) == {"general", "results"}
        c.post("/counters/1", data={"serves": ["results", "digital"], "csrf": token})
        assert desk.counter_types(1) == {"results", "digital"}
        assert "" not in desk.counter(1).services  # procedures are "general"
        assert c.post("/counters/1", data={"serves": "window", "csrf": token}).status_code == 200
        assert desk.counter_types(1) == {"results", "digital"}


def test_procedures_count_as_the_configured_counter_type(settings, key, catalogue):
    configured = replace(settings, counter_services=(("results",),), procedure_counter="results")
    with TestClient(create_app(configured), base_url="http://127.0.0.1") as c:
        assert "" in c.app.state.desk.counter(1).services


def test_a_desk_ticket_can_be_for_a_service(signed_in):
    page = signed_in.get("/").text
    assert '<option value="svc:pick_up_result">Nhận kết quả</option>' in page
    done = signed_in.post("/new", data={"procedure": "svc:pick_up_result", "priority": "none",
                                        "csrf": csrf_of(page)})
    assert 'id="case-procedure">Nhận kết quả<' in done.text
    (row,) = signed_in.app.state.desk.journal.cases()
    assert (row.service, row.channel, row.ticket_label) == ("pick_up_result", "desk", "Q-001")


def test_the_feedback_list_shows_the_number_until_the_call_is_made(signed_in, key, catalogue):
    desk = signed_in.app.state.desk
    ref = desk.journal.record_feedback("wrong_data", True, PHONE, "A-107", "T1")
    quiet = desk.journal.record_feedback("suggestion", ticket="A-108", origin="T1")
    html = scan(signed_in, service_case(107, "feedback", topic="wrong_data", call_back=True),
                key, catalogue)
    assert "Hồ sơ sai hoặc trùng thông tin" in html and "muốn cán bộ gọi lại" in html
    assert PHONE not in html  # the case page never shows it
    page = signed_in.get("/feedback").text
    assert "Chưa xử lý (2)" in page and PHONE in page and "Không cần gọi" in page
    token = csrf_of(page)
    done = signed_in.post(f"/feedback/{ref}/done", data={"csrf": token})
    assert "Số điện thoại (nếu có) đã được xoá hẳn." in done.text
    assert PHONE not in done.text and "Chưa xử lý (1)" in done.text
    assert desk.journal.callback_phones() == {}
    again = signed_in.post(f"/feedback/{ref}/done", data={"csrf": token})
    assert "Góp ý này đã được xử lý rồi." in again.text
    signed_in.post(f"/feedback/{quiet}/done", data={"csrf": token})
    closed = signed_in.get("/feedback").text
    assert "Không có góp ý nào đang chờ." in closed and "đã gọi lại" in closed
    path = desk.journal.path
    files = [path, path.with_name(path.name + "-wal")]
    assert not any(PHONE.encode() in f.read_bytes() for f in files if f.exists())


def test_the_feedback_list_needs_sign_in_and_its_token(settings, signed_in):
    desk = signed_in.app.state.desk
    ref = desk.journal.record_feedback("waiting", True, PHONE, "A-101", "T1")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as stranger:
        assert "/signin" in str(stranger.get("/feedback").url)
        assert PHONE not in stranger.get("/feedback").text
    refused = signed_in.post(f"/feedback/{ref}/done", data={"csrf": "wrong"})
    assert refused.status_code == 403
    assert desk.journal.callback_phones() == {ref: PHONE}


def test_the_month_report_counts_residents_by_service_and_feedback(signed_in, key, catalogue):
    for case in (make_case(101), service_case(102, "vneid_help"),
                 service_case(103, "vneid_help"),
                 service_case(104, "feedback", topic="waiting", call_back=True)):
        scan(signed_in, case, key, catalogue)
    desk = signed_in.app.state.desk
    ref = desk.journal.record_feedback("waiting", True, PHONE, "A-104", "T1")
    desk.journal.record_feedback("staff_attitude", ticket="A-105", origin="T1")
    desk.journal.close_feedback(ref, 1)
    report = month_report(desk.journal, "2026-11")
    assert report.by_service == (("vneid_help", 2), ("feedback", 1))
    assert dict(report.by_group)["viec_khac"] == 3
    assert report.by_procedure == ((BIRTH, 1),)
    assert dict(report.feedback) == {"staff_attitude": 1, "waiting": 1, "wrong_data": 0,
                                     "suggestion": 0, "other": 0}
    assert (report.call_backs, report.call_backs_done) == (1, 1)
    page = signed_in.get("/report?month=2026-11").text
    assert "Theo việc khác của Trung tâm" in page and "Hỗ trợ VNeID" in page
    assert "Việc khác" in page  # the services' row among the groups
    csv = signed_in.get("/report/figures.csv?month=2026-11").text
    assert "2026-11,centre_service,vneid_help,Hỗ trợ VNeID,2" in csv
    assert "2026-11,feedback,waiting,Chờ quá lâu,1" in csv
    summary = signed_in.get("/report/summary?month=2026-11").text
    assert "Việc khác" in summary  # one page: the services as one group
    for text in (page, csv, summary):
        assert PHONE not in text


@pytest.mark.parametrize("path", ["/counters", "/feedback"])
def test_the_new_pages_are_in_the_menu(signed_in, path):
    assert f'href="{path}"' in signed_in.get("/").text
