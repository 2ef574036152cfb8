"""The desk web app through its HTTP interface (Starlette test client, real journal and key)."""

from __future__ import annotations

import re
from dataclasses import replace

from cases.case import Priority
from cases.journal import Journal
from cases.life import Status
from procedures import load_catalogue
from tests.desk.support import PIN, csrf_of, make_case, payload_of


def scan(client, payload: str):
    token = csrf_of(client.get("/").text)
    return client.post("/scan", data={"payload": payload, "csrf": token})


def test_the_desk_page_needs_sign_in(client) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/signin"


def test_every_page_but_sign_in_needs_sign_in(client) -> None:
    for path in ("/day/end", "/report", "/report/chart.png", "/report/figures.csv",
                 "/report/summary"):
        response = client.get(path, follow_redirects=False)
        assert response.headers.get("location") == "/signin", path


def test_a_wrong_pin_is_refused(client) -> None:
    token = csrf_of(client.get("/signin").text)
    response = client.post("/signin", data={"password": "1111", "csrf": token})
    assert response.status_code == 401
    assert "không đúng" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_is_locked_after_five_wrong_tries(client) -> None:
    token = csrf_of(client.get("/signin").text)
    codes = [client.post("/signin", data={"password": "x" * 4, "csrf": token}).status_code
             for _ in range(5)]
    locked = client.post("/signin", data={"password": PIN, "csrf": token})
    assert codes == [401] * 5
    assert locked.status_code == 429 and "Chờ" in locked.text


def test_sign_in_without_the_csrf_token_is_refused(client) -> None:
    client.get("/signin")
    response = client.post("/signin", data={"password": PIN})
    assert response.status_code == 403
    assert "tải lại trang" in response.text


def test_the_session_cookie_is_httponly_and_samesite_strict(client) -> None:
    token = csrf_of(client.get("/signin").text)
    response = client.post("/signin", data={"password": PIN, "csrf": token},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_pages_forbid_outside_assets_and_framing(signed_in) -> None:
    response = signed_in.get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert not re.search(r'(src|href)="(https?:)?//', response.text)


def test_the_scan_box_is_focused_by_default(signed_in) -> None:
    html = signed_in.get("/").text
    assert re.search(r'<input id="payload"[^>]*autofocus', html)


def test_a_good_slip_is_shown_and_handed_off(signed_in, settings) -> None:
    payload = payload_of(make_case(12, Priority.ELDERLY), settings.key)
    response = scan(signed_in, payload.lower() + "\n")  # caps-lock scanner, trailing newline
    assert response.status_code == 200 and "case=" in str(response.url)
    html = response.text
    assert "U-012" in html and "Đăng ký khai sinh" in html
    assert "Giấy tờ về việc sinh" in html and "Người cao tuổi" in html
    assert "15 phút" in html  # made at 8:45, the clock says 9:00
    with Journal(settings.journal_path) as j:
        (row,) = j.cases()
        assert row.payload == payload and row.channel == "terminal"
        assert [e.kind for e in j.events_of(row.id)] == ["handed_off"]


def test_a_slip_scanned_twice_is_handed_off_once(signed_in, settings) -> None:
    payload = payload_of(make_case(), settings.key)
    scan(signed_in, payload)
    again = scan(signed_in, payload)
    assert "đã quét trước đó" in again.text
    with Journal(settings.journal_path) as j:
        assert [e.kind for e in j.case_events()] == ["handed_off"]


def test_a_slip_recorded_by_the_terminal_keeps_its_case_id(signed_in, settings) -> None:
    case = make_case()
    payload = payload_of(case, settings.key)
    with Journal(settings.journal_path) as j:
        case_id = j.record_case(case, payload)
    response = scan(signed_in, payload)
    assert str(response.url).endswith(f"?case={case_id}")


def test_a_forged_slip_is_refused_and_nothing_is_recorded(signed_in, settings) -> None:
    payload = payload_of(make_case(), settings.key)
    forged = payload.replace("-U12-", "-U13-")
    assert forged != payload
    response = scan(signed_in, forged)
    assert response.status_code == 422
    assert "KHÔNG NHẬN MÃ NÀY" in response.text and "sai chữ ký" in response.text
    with Journal(settings.journal_path) as j:
        assert j.cases() == [] and j.case_events() == []


def test_garbage_is_refused_as_unreadable(signed_in) -> None:
    response = scan(signed_in, "hello world")
    assert response.status_code == 422 and "Mã không đọc được" in response.text


def test_an_empty_scan_asks_for_a_slip(signed_in) -> None:
    response = scan(signed_in, "   ")
    assert response.status_code == 422 and "Chưa có mã" in response.text


def test_call_next_records_the_call_and_announces_it(signed_in, settings, announced) -> None:
    scan(signed_in, payload_of(make_case(12, Priority.ELDERLY), settings.key))
    token = csrf_of(signed_in.get("/").text)
    response = signed_in.post("/call", data={"counter": "2", "csrf": token})
    assert "Đã gọi số U-012 đến quầy 2." in response.text
    assert announced == [
        "Xin mời số U-012, đến quầy số 2. Nhắc lại: mời số U-012, đến quầy số 2."
    ]
    with Journal(settings.journal_path) as j:
        called = [e for e in j.case_events() if e.kind == "called"]
        assert [(e.counter) for e in called] == [2]


def test_call_next_with_nobody_waiting_says_so(signed_in, announced) -> None:
    token = csrf_of(signed_in.get("/").text)
    response = signed_in.post("/call", data={"counter": "1", "csrf": token})
    assert "Không còn ai chờ." in response.text
    assert announced == []


def test_a_counter_out_of_range_is_refused(signed_in, settings) -> None:
    scan(signed_in, payload_of(make_case(), settings.key))
    token = csrf_of(signed_in.get("/").text)
    response = signed_in.post("/call", data={"counter": "9", "csrf": token})
    assert "Số quầy phải từ 1 đến 3." in response.text
    with Journal(settings.journal_path) as j:
        assert [e.kind for e in j.case_events()] == ["handed_off"]


def case_id_of(response) -> int:
    return int(str(response.url).rsplit("=", 1)[1])


def test_call_start_transfer_done_and_absent_are_recorded(signed_in, settings, clock) -> None:
    case_a = case_id_of(scan(signed_in, payload_of(make_case(1, Priority.NONE), settings.key)))
    case_b = case_id_of(scan(signed_in, payload_of(make_case(2, Priority.NONE), settings.key)))
    token = csrf_of(signed_in.get("/").text)
    for counter in ("2", "1"):
        signed_in.post("/call", data={"counter": counter, "csrf": token})
    for case_id, action, counter in (
        (case_a, "start", None),
        (case_a, "transfer", "3"),
        (case_a, "start", None),
        (case_a, "done", None),
        (case_b, "recall", None),
        (case_b, "absent", None),
    ):
        data = {"csrf": token} | ({"counter": counter} if counter else {})
        clock.advance(1)
        response = signed_in.post(f"/case/{case_id}/{action}", data=data)
        assert response.status_code == 200 and 'id="error"' not in response.text, action
    assert "Đã xong" in signed_in.get(f"/?case={case_a}").text
    with Journal(settings.journal_path) as j:
        assert [(e.kind, e.counter) for e in j.events_of(case_a)] == [
            ("handed_off", None), ("called", 2), ("started", None), ("transferred", 3),
            ("started", None), ("done", None)
        ]
        assert [(e.kind, e.counter) for e in j.events_of(case_b)] == [
            ("handed_off", None), ("called", 1), ("called", 1), ("absent", None)]


def buttons(html: str) -> list[str]:
    return re.findall(r'id="action-([a-z]+)"', html)


def test_the_case_offers_only_the_actions_that_are_legal_now(signed_in, settings) -> None:
    case_id = case_id_of(scan(signed_in, payload_of(make_case(1), settings.key)))
    assert buttons(signed_in.get(f"/?case={case_id}").text) == []  # waiting: the queue calls
    token = csrf_of(signed_in.get("/").text)
    called = signed_in.post("/call", data={"counter": "2", "csrf": token})
    assert buttons(called.text) == ["recall", "start", "absent", "transfer", "requeue"]
    assert 'value="2"' not in called.text.split('id="transfer-counter"')[1].split("</select>")[0]
    serving = signed_in.post(f"/case/{case_id}/start", data={"csrf": token})
    assert buttons(serving.text) == ["done", "transfer", "requeue"]
    done = signed_in.post(f"/case/{case_id}/done", data={"csrf": token})
    assert buttons(done.text) == []


def test_an_action_that_is_not_legal_now_is_refused_in_vietnamese(signed_in, settings) -> None:
    case_id = case_id_of(scan(signed_in, payload_of(make_case(1), settings.key)))
    token = csrf_of(signed_in.get("/").text)
    refused = signed_in.post(f"/case/{case_id}/start", data={"csrf": token})
    assert refused.status_code == 200
    assert ("Lúc này không thể bấm “Bắt đầu làm”. Hồ sơ đang ở trạng thái: Đang chờ."
            in refused.text)
    assert "Quầy None" not in refused.text
    signed_in.post("/call", data={"counter": "1", "csrf": token})
    signed_in.post(f"/case/{case_id}/start", data={"csrf": token})
    signed_in.post(f"/case/{case_id}/done", data={"csrf": token})
    again = signed_in.post(f"/case/{case_id}/absent", data={"csrf": token})
    assert "Lúc này không thể bấm “Vắng mặt”. Hồ sơ đang ở trạng thái: Đã xong." in again.text
    same = signed_in.post(f"/case/{case_id}/transfer", data={"csrf": token, "counter": "1"})
    assert "Lúc này không thể bấm “Chuyển quầy”" in same.text
    with Journal(settings.journal_path) as j:
        assert [e.kind for e in j.events_of(case_id)] == [
            "handed_off", "called", "started", "done"]


def test_the_queue_lists_waiting_cases_in_fair_order(signed_in, settings) -> None:
    # limit 2: A-001, A-002 then U-001, U-002, U-003 → U-001, U-002, A-001, A-002, U-003
    for n, prio in ((1, Priority.NONE), (2, Priority.NONE), (1, Priority.PREGNANT),
                    (2, Priority.ELDERLY), (3, Priority.DISABLED)):
        scan(signed_in, payload_of(make_case(n, prio), settings.key))
    html = signed_in.get("/").text
    order = re.findall(r'<td class="ticket"><a href="/\?case=\d+">([\w-]+)</a>', html)
    assert order == ["U-001", "U-002", "A-001", "A-002", "U-003"]


def test_a_resident_without_a_slip_gets_a_desk_case(signed_in, settings) -> None:
    token = csrf_of(signed_in.get("/").text)
    response = signed_in.post(
        "/new", data={"procedure": "1.001193", "priority": "elderly", "csrf": token}
    )
    assert "Q-001" in response.text
    with Journal(settings.journal_path) as j:
        (row,) = j.cases()
        assert (row.channel, row.terminal_id, row.priority) == ("desk", "QUAY", "elderly")
        assert (row.ticket_label, row.is_priority) == ("Q-001", True)
        assert row.payload.startswith("H1-QUAY-U1-")


def test_the_report_endpoints_give_page_chart_csv_and_summary(signed_in, settings) -> None:
    scan(signed_in, payload_of(make_case(), settings.key))
    page = signed_in.get("/report?month=2026-11")
    assert page.status_code == 200 and 'id="residents">1<' in page.text
    chart = signed_in.get("/report/chart.png?month=2026-11")
    assert chart.headers["content-type"] == "image/png" and chart.content[:4] == b"\x89PNG"
    csv = signed_in.get("/report/figures.csv?month=2026-11")
    assert "2026-11,total,residents,Số lượt người dân được hỗ trợ,1" in csv.text
    summary = signed_in.get("/report/summary?month=2026-11")
    assert "hỗ trợ 1 lượt người dân" in summary.text
    assert 'src="data:image/png;base64,' in summary.text


def test_a_bad_report_month_is_explained(signed_in) -> None:
    response = signed_in.get("/report?month=2026-13")
    assert response.status_code == 422 and "Tháng không hợp lệ" in response.text


def test_sign_out_ends_the_session(signed_in) -> None:
    token = csrf_of(signed_in.get("/").text)
    signed_in.post("/signout", data={"csrf": token})
    assert signed_in.get("/", follow_redirects=False).status_code == 303


def test_a_full_disk_is_explained_and_the_desk_keeps_running(signed_in, settings) -> None:
    journal = signed_in.app.state.desk.journal
    pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
    journal._conn.execute(f"PRAGMA max_page_count = {pages}")
    statuses = []
    for n in range(1, 60):
        response = scan(signed_in, payload_of(make_case(n), settings.key))
        statuses.append(response.status_code)
        if response.status_code == 503:
            assert "Không ghi được vào sổ: ổ đĩa đã đầy." in response.text
            assert "is full" not in response.text  # the English detail is only in the log
            break
    assert statuses[-1] == 503
    assert signed_in.get("/").status_code == 200


def test_a_paper_that_does_not_apply_is_not_shown_at_the_desk(signed_in, settings) -> None:
    case = replace(make_case(), not_needed=frozenset({4}))
    paper = load_catalogue().get(case.procedure_code).papers[4].short
    page = scan(signed_in, payload_of(case, settings.key))
    assert page.status_code == 200
    assert load_catalogue().get(case.procedure_code).papers[1].short in page.text
    assert paper not in page.text


def test_ending_the_day_counts_everybody_waiting_not_only_the_listed_head(
    signed_in, settings, monkeypatch
) -> None:
    monkeypatch.setattr("desk.service.SHOWN", 1)  # the counter page lists one, two wait
    for n in (1, 2):
        scan(signed_in, payload_of(make_case(n), settings.key))
    assert "Còn 2 người đang chờ và 0 người ở quầy." in signed_in.get("/day/end").text


def test_ending_the_day_closes_the_leftovers_as_not_served(signed_in, settings) -> None:
    called = case_id_of(scan(signed_in, payload_of(make_case(1), settings.key)))
    waiting = case_id_of(scan(signed_in, payload_of(make_case(2), settings.key)))
    token = csrf_of(signed_in.get("/").text)
    signed_in.post("/call", data={"counter": "1", "csrf": token})
    confirm = signed_in.get("/day/end")
    assert "Còn 1 người đang chờ và 1 người ở quầy." in confirm.text
    with Journal(settings.journal_path) as j:
        assert j.events_of(waiting)[-1].kind == "handed_off"  # asking records nothing
    done = signed_in.post("/day/end", data={"csrf": token})
    assert "Đã kết thúc ngày. 2 hồ sơ được ghi là chưa được phục vụ." in done.text
    assert "Không có ai đang chờ." in done.text
    with Journal(settings.journal_path) as j:
        assert {j.life(c).status for c in (waiting, called)} == {Status.CLOSED}
    report = signed_in.get("/report?month=2026-11")
    assert 'id="not-served">2<' in report.text
    csv = signed_in.get("/report/figures.csv?month=2026-11").text
    assert "2026-11,total,not_served,Chưa được phục vụ khi hết ngày,2" in csv


def test_yesterdays_cases_are_never_called_today(signed_in, settings, clock) -> None:
    yesterday = case_id_of(scan(signed_in, payload_of(make_case(1), settings.key)))
    clock.now = clock.now.replace(day=24, hour=8)  # the next working day
    token = csrf_of(signed_in.get("/signin").text)  # signed out overnight
    signed_in.post("/signin", data={"password": PIN, "csrf": token})
    today = case_id_of(scan(signed_in, payload_of(make_case(2, Priority.NONE),
                                                  settings.key)))
    token = csrf_of(signed_in.get("/").text)
    first = signed_in.post("/call", data={"counter": "1", "csrf": token})
    assert "Đã gọi số A-002 đến quầy 1." in first.text
    second = signed_in.post("/call", data={"counter": "1", "csrf": token})
    assert "Không còn ai chờ." in second.text
    with Journal(settings.journal_path) as j:
        assert j.life(yesterday).status is Status.CLOSED
        assert [e.kind for e in j.events_of(yesterday)] == ["handed_off", "closed"]
        assert j.life(today).status is Status.CALLED


def test_the_desk_shows_which_alternative_the_resident_has(signed_in, settings) -> None:
    birth = load_catalogue().get("1.001193")
    identity = next(i for i, p in enumerate(birth.papers) if p.id == "giay-to-tuy-than")
    vneid = next(k for k, a in enumerate(birth.papers[identity].alternatives)
                 if a.id == "tai-khoan-vneid-muc-2")
    have = tuple(i == identity for i in range(len(birth.papers)))
    case = replace(make_case(have=have), chosen=frozenset({(identity, vneid)}))
    page = scan(signed_in, payload_of(case, settings.key))
    assert page.status_code == 200
    had = page.text.split('id="papers-have">', 1)[1].split("</ul>", 1)[0]
    assert "<li>Giấy tờ tùy thân: Tài khoản VNeID mức 2</li>" in had
