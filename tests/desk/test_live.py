"""Live pages and calls for staff: what a counter page is sent (``desk.live.diff``), the banner
for a terminal's "Gọi cán bộ" until a counter takes it, the hall speaker, the month's figures,
and slips scanned on the sign-in page. HTTP through the Starlette test client on a real journal;
the browser side is in test_browser.py, the processes in test_centre_e2e.py."""

from __future__ import annotations

import html
from datetime import datetime

from cases.journal import Journal
from cases.stats import month_report
from desk.live import diff
from tests.desk.support import PIN, csrf_of, make_case, payload_of
from voices.phrases import load_pack

VI = load_pack("vi")


def row(i: int, **kw: object) -> dict:
    return {"id": i, "ticket": f"A-{i:03d}", "passed": 0, **kw}


def test_a_page_that_shows_nothing_gets_everything() -> None:
    new = {"waiting": [row(1)], "at_counters": [], "waiting_count": 1, "help": []}
    assert diff(None, new) == {"full": new}


def test_only_what_changed_is_sent() -> None:
    old = {"waiting": [row(1), row(2), row(3)], "at_counters": [], "waiting_count": 3,
           "help": []}
    same = {**old, "waiting": [dict(r) for r in old["waiting"]]}
    assert diff(old, same) == {}
    arrived = {**old, "waiting": [*old["waiting"], row(4)], "waiting_count": 4}
    assert diff(old, arrived) == {"waiting": {"rows": [row(4)]}, "waiting_count": 4}
    called = {**old, "waiting": [row(2, passed=1), row(3)], "waiting_count": 2,
              "at_counters": [row(1, counter=2)]}
    assert diff(old, called) == {
        "waiting": {"rows": [row(2, passed=1)], "gone": [1]},
        "at_counters": {"rows": [row(1, counter=2)]},
        "waiting_count": 2,
    }
    jumped = {**old, "waiting": [row(4, priority=True), *old["waiting"]], "waiting_count": 4}
    assert diff(old, jumped)["waiting"] == {"rows": [row(4, priority=True)],
                                            "order": [4, 1, 2, 3]}
    called_staff = {**old, "help": [{"id": 9, "text": "Máy T1 gọi cán bộ"}]}
    assert diff(old, called_staff) == {"help": called_staff["help"]}


def call_staff(settings, screen: str = "paper", terminal: str = "T2") -> int:
    """A terminal on this machine writes its call into the shared journal (as on one machine)."""
    with Journal(settings.journal_path, clock=settings.clock) as j:
        return j.record_event("call_staff", screen, origin=terminal)


def test_a_call_for_staff_shows_on_every_counter_until_one_takes_it(
    signed_in, settings, client_factory
) -> None:
    call = call_staff(settings)
    banner = "Máy T2 gọi cán bộ lúc 09:00. Người dân đang ở: hỏi giấy tờ."
    assert banner in html.unescape(signed_in.get("/").text)
    with client_factory() as other:
        assert banner in html.unescape(other.get("/").text)
        token = csrf_of(signed_in.get("/").text)
        taken = signed_in.post(f"/help/{call}/take", data={"csrf": token})
        assert "Đã nhận. Hãy đến máy T2." in taken.text
        assert banner not in html.unescape(taken.text)
        assert banner not in html.unescape(other.get("/").text)
        late = other.post(f"/help/{call}/take", data={"csrf": csrf_of(other.get("/").text)})
        assert "Cuộc gọi này đã có người nhận." in late.text
    with Journal(settings.journal_path) as j:
        assert [e.detail for e in j.events("call_staff_taken")] == [f"{call} 1"]


def test_a_call_from_a_screen_the_desk_does_not_know_still_shows(signed_in, settings) -> None:
    call_staff(settings, screen="keyboard", terminal="")
    text = html.unescape(signed_in.get("/").text)
    assert "Máy ? gọi cán bộ lúc 09:00. Người dân đang ở: màn hình keyboard." in text


def test_the_hall_speaker_says_each_call_for_staff_once(signed_in, settings, announced) -> None:
    live = signed_in.app.state.live
    call_staff(settings, terminal="T1")
    live.refresh()
    live.refresh()
    assert announced == ["Máy tự phục vụ T1 cần cán bộ hỗ trợ."]


def test_the_month_counts_calls_for_staff_and_the_time_to_answer(
    signed_in, settings, clock
) -> None:
    first = call_staff(settings)
    call_staff(settings)
    clock.advance(3)
    token = csrf_of(signed_in.get("/").text)
    signed_in.post(f"/help/{first}/take", data={"csrf": token})
    with Journal(settings.journal_path, clock=clock) as j:
        report = month_report(j, "2026-11")
    assert (report.help_calls, report.help_answered) == (2, 1)
    assert report.help_answer.median_minutes == 3.0
    page = signed_in.get("/report?month=2026-11").text
    assert 'id="help-calls">2<' in page and 'id="help-answered">1<' in page


def test_a_slip_scanned_on_the_sign_in_page_opens_after_sign_in(client, settings) -> None:
    payload = payload_of(make_case(12), settings.key)
    token = csrf_of(client.get("/signin").text)
    for _ in range(6):  # more than the five wrong tries that would lock sign-in
        kept = client.post("/signin", data={"password": payload.lower(), "csrf": token})
        assert kept.status_code == 200
        assert VI.screen("desk_signin_slip_kept") in kept.text
        assert "không đúng" not in kept.text
    assert client.app.state.throttle.locked("testclient") == ("", 0)
    with Journal(settings.journal_path) as j:
        assert j.cases() == []  # nothing recorded before staff sign in
    signed = client.post("/signin", data={"password": PIN, "csrf": token})
    assert "case=" in str(signed.url) and "U-012" in signed.text
    with Journal(settings.journal_path) as j:
        (case,) = j.cases()
        assert [e.kind for e in j.events_of(case.id)] == ["handed_off"]


def test_a_slip_scanned_after_the_session_ended_opens_after_sign_in(
    signed_in, settings, clock
) -> None:
    token = csrf_of(signed_in.get("/").text)
    clock.advance(31)  # idle longer than the 30 minutes allowed
    payload = payload_of(make_case(7), settings.key)
    answer = signed_in.post("/scan", data={"payload": payload, "csrf": token})
    assert answer.url.path == "/signin"
    assert VI.screen("desk_signin_timed_out") in answer.text
    assert VI.screen("desk_signin_slip_kept") in answer.text
    token = csrf_of(answer.text)
    opened = signed_in.post("/signin", data={"password": PIN, "csrf": token})
    assert "U-007" in opened.text and "case=" in str(opened.url)


def test_a_page_whose_session_ended_is_told_so(client) -> None:
    with client.stream("GET", "/events") as response:
        body = response.read().decode()
    assert "event: ended" in body and "retry: 3600000" in body


def test_the_counter_page_carries_what_the_live_updates_need(signed_in, settings) -> None:
    signed_in.post("/scan", data={"payload": payload_of(make_case(3), settings.key),
                                  "csrf": csrf_of(signed_in.get("/").text)})
    page = signed_in.get("/").text
    version = signed_in.app.state.live.snapshot.version
    assert f'data-version="{version}"' in page
    assert f'data-now="{datetime(2026, 11, 23, 9, 0).timestamp()}"' in page
    assert 'data-arrived="' in page and "/static/desk.js" in page
