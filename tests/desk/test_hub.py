"""The desk as the centre's hub over HTTP: signed requests only, and the terminal's real
``Forwarder`` against the real uvicorn server on 127.0.0.1 (a thread), with real SQLite journals
for the terminal and the hub; the hub stopped and started again mid-forwarding."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cases.case import Case, Priority, Ticket
from cases.centre import PATH, Forwarder, outgoing, peers
from cases.journal import STREAMS, Journal
from cases.keys import init_key, rotate_key
from cases.signing import signed_headers
from desk.app import create_app
from tests.desk.processes import wait_for
from tests.desk.support import ThreadServer

T0 = datetime(2026, 11, 23, 9, 0)


def fill(journal: Journal, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        case = Case("T1", Ticket(101 + n % 99, False), "1.001193", (False,) * 6, created=T0)
        case_id = journal.record_case(case, f"H1-T1-FAKE{n}")
        journal.record_print(case_id, True)
        journal.record_satisfaction(case_id, "satisfied")
        journal.record_event("call_staff" if n % 10 == 0 else "printer", f"detail {n}")


@pytest.fixture
def terminal(tmp_path: Path):
    with Journal(tmp_path / "terminal" / "journal.sqlite3", group_of=lambda c: "") as j:
        yield j


def post(client: TestClient, body: bytes, key: bytes | None):
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers.update(signed_headers(key, "POST", PATH, int(time.time()), body))
    return client.post(PATH, content=body, headers=headers)


def question(journal: Journal) -> bytes:
    return json.dumps({"journal": journal.journal_id, "terminal": "T1",
                       "sent_at": T0.isoformat(), "after": None,
                       "heads": journal.heads()}).encode()


def test_only_requests_signed_with_the_centre_key_are_taken(settings, terminal, tmp_path) -> None:
    stranger = init_key(tmp_path / "other.key")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        body = question(terminal)
        assert post(client, body, None).status_code == 401
        assert post(client, body, stranger).status_code == 401
        answer = post(client, body, settings.key)
        assert answer.status_code == 409  # a question: "where are you?"
        assert answer.json() == {"cursors": dict.fromkeys(STREAMS, 0)}
        assert post(client, b"{not json", settings.key).status_code == 400
        assert post(client, b'{"journal": 1}', settings.key).status_code == 400
        assert post(client, b"x" * (4 * 1024 * 1024 + 1), settings.key).status_code == 413
        assert client.get(PATH).status_code == 405


def test_a_terminal_with_a_key_retired_today_is_still_taken(settings, terminal, tmp_path) -> None:
    key_path = tmp_path / "centre.key"
    old = settings.key
    rotate_key(key_path, now=settings.clock())
    with TestClient(create_app(replace(settings, key_path=key_path)),
                    base_url="http://127.0.0.1") as client:
        assert post(client, question(terminal), old).status_code == 409


@pytest.mark.real
def test_the_forwarder_sends_everything_once_across_a_hub_restart(settings, terminal) -> None:
    """Real parts: uvicorn (thread) serving the desk app with its journal; the Forwarder thread
    with urllib over loopback; two SQLite files. The hub stops mid-forwarding and comes back on
    the same port; the forwarder retries with backoff and finishes; nothing lost or doubled."""
    real = replace(settings, clock=None, announcer=None)
    fill(terminal, 300)
    server = ThreadServer(real).__enter__()
    port = server.port
    forwarder = Forwarder(terminal, server.url, lambda: settings.key, "T1", batch=25,
                          heartbeat=0.5, max_backoff=1.0).start()
    try:
        with Journal(real.journal_path) as hub:
            wait_for(lambda: len(hub.cases()) >= 50, what="the first rows")
            server.__exit__()  # the hub goes away mid-forwarding
            wait_for(lambda: forwarder.status.problem != "", what="a failed request")
            assert "cannot be reached" in forwarder.status.problem
            server = ThreadServer(real, port=port).__enter__()
            wait_for(lambda: forwarder.status.pending == 0 and forwarder.status.problem == ""
                     and len(hub.events()) == 300, what="everything forwarded")
            assert sorted(c.payload for c in hub.cases()) == sorted(
                c.payload for c in terminal.cases())
            assert len(hub.case_events()) == 600
            assert sorted(e.detail for e in hub.events()) == sorted(
                e.detail for e in terminal.events())
            (peer,) = peers(hub)
            assert peer.cursors == terminal.heads() and peer.complete_at is not None
    finally:
        forwarder.stop()
        server.__exit__()


@pytest.mark.real
def test_a_call_for_staff_reaches_the_hub_at_once(settings, terminal) -> None:
    """Real parts as above: a poke after the write sends it, no waiting for the heartbeat."""
    real = replace(settings, clock=None, announcer=None)
    with ThreadServer(real) as server, Journal(real.journal_path) as hub:
        forwarder = Forwarder(terminal, server.url, lambda: settings.key, "T1",
                              heartbeat=3600).start()
        try:
            wait_for(lambda: peers(hub) != [], what="the first contact")
            wait_for(lambda: forwarder.status.last_ok is not None, what="the first answer")
            began = time.monotonic()
            terminal.record_event("call_staff", "paper")
            forwarder.poke()
            wait_for(lambda: hub.events("call_staff") != [], timeout=10, what="the call")
            assert time.monotonic() - began < 5
            assert hub.events("call_staff")[0].origin == "T1"
        finally:
            forwarder.stop()


def test_a_priority_case_forwarded_keeps_its_priority(settings, terminal) -> None:
    case = Case("T1", Ticket(105, True), "1.001193", (True,) * 6, priority=Priority.ELDERLY,
                created=T0)
    terminal.record_case(case, "H1-T1-PRIO")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        post(client, question(terminal), settings.key)
        body = json.loads(question(terminal))
        body["after"] = dict.fromkeys(STREAMS, 0)
        rows, _ = outgoing(terminal, body["after"])
        body.update(rows)
        answer = post(client, json.dumps(body).encode(), settings.key)
        assert answer.status_code == 200, answer.text
        (row,) = client.app.state.desk.journal.cases()
        assert (row.ticket_label, row.is_priority, row.priority) == ("U-105", True, "elderly")


def test_the_report_page_warns_about_a_terminal_that_has_not_sent_everything(
    signed_in, settings, terminal
) -> None:
    fill(terminal, 3)
    body = json.loads(question(terminal))
    body["after"] = dict.fromkeys(STREAMS, 0)
    rows, _ = outgoing(terminal, body["after"], limit=2)
    assert post(signed_in, json.dumps({**body, **rows}).encode(), settings.key).status_code == 200
    page = signed_in.get("/report?month=2026-11").text
    assert "Báo cáo có thể thiếu số liệu của máy: T1." in page
    assert "Mới gửi đủ đến" not in page and "Chưa gửi đủ lần nào." in page
    summary = signed_in.get("/report/summary?month=2026-11").text
    assert "Báo cáo có thể thiếu số liệu của máy: T1." in summary
    csv = signed_in.get("/report/figures.csv?month=2026-11").text
    assert '2026-11,terminal,T1,"Chưa gửi đủ lần nào.' in csv and ',missing' in csv


@pytest.mark.real
def test_the_doctor_asks_the_real_hub_with_the_terminal_key(settings, tmp_path, monkeypatch):
    """Real parts: the desk app under uvicorn (thread), a terminal journal and key on disk,
    the doctor's real probe (a signed question over loopback HTTP)."""
    from terminal import doctor
    from terminal.config import CentreConfig, Config, JournalConfig

    home = tmp_path / "terminal-home"
    home.mkdir()
    monkeypatch.setenv("HOTRO_HOME", str(home))
    (home / "centre.key").write_bytes((tmp_path / "centre.key").read_bytes())
    with Journal(home / "journal.sqlite3") as j:
        fill(j, 2)
    real = replace(settings, clock=None, announcer=None)
    with ThreadServer(real) as server:
        config = Config(centre=CentreConfig(hub=server.url, terminal_id="T1"),
                        journal=JournalConfig(path=str(home / "journal.sqlite3")))
        result = doctor.check_centre_hub(config, doctor.Probes())
        assert result.status == "ok", result
        assert "8 records still to send" in result.summary  # 2 cases, 4 of their events, 2 more
        init_key(home / "centre.key", force=True)  # a terminal with another key
        refused = doctor.check_centre_hub(config, doctor.Probes())
        assert refused.status == "fail", refused


@pytest.mark.real
def test_a_call_back_number_moves_to_the_hub_and_leaves_no_copy_on_the_terminal(
    settings, terminal
) -> None:
    """Real parts: uvicorn (thread) with the desk app and its journal; the terminal's real
    Forwarder. The feedback event is forwarded as a row; the number rides along apart, and once
    the hub keeps it the terminal's file (and its write-ahead log) no longer holds it."""
    phone = "0987654321"
    real = replace(settings, clock=None, announcer=None)
    with ThreadServer(real) as server, Journal(real.journal_path) as hub:
        forwarder = Forwarder(terminal, server.url, lambda: settings.key, "T1").start()
        try:
            ref = terminal.record_feedback("wrong_data", True, phone, "A-101", "T1")
            forwarder.poke()
            wait_for(lambda: hub.callback_phones() == {ref: phone}, what="the number at the hub")
            wait_for(lambda: terminal.pending_callbacks() == [], what="the terminal forgets it")
            (fb,) = hub.feedback()
            assert (fb.ref, fb.topic, fb.call_back, fb.origin) == (ref, "wrong_data", True, "T1")
            files = [terminal.path, terminal.path.with_name(terminal.path.name + "-wal")]
            assert not any(phone.encode() in f.read_bytes() for f in files if f.exists())
        finally:
            forwarder.stop()
