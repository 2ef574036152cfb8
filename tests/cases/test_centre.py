"""One centre record: what a terminal journal sends and how the hub's journal stores it (two
real SQLite files; the HTTP side is in tests/desk/test_hub.py)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from cases.case import Case, Priority, Ticket
from cases.centre import (
    BatchError,
    ingest,
    note_local_terminal,
    outgoing,
    peers,
)
from cases.journal import STREAMS, Journal
from cases.life import Move
from cases.stats import month_report
from tests.cases.support import Clock

T0 = datetime(2026, 11, 23, 9, 0)
ZERO = dict.fromkeys(STREAMS, 0)


@pytest.fixture
def terminal(tmp_path: Path):
    with Journal(tmp_path / "terminal.sqlite3", clock=Clock(T0), group_of=lambda c: "") as j:
        yield j


@pytest.fixture
def hub(tmp_path: Path):
    with Journal(tmp_path / "hub.sqlite3", clock=Clock(T0), group_of=lambda c: "ho_tich") as j:
        yield j


def visit(j: Journal, n: int, answer: str = "satisfied") -> int:
    case = Case("T1", Ticket(100 + n, n % 2 == 0), "1.001193", (True,) * 6,
                priority=Priority.ELDERLY if n % 2 == 0 else Priority.NONE, created=T0)
    case_id = j.record_case(case, f"H1-T1-PAYLOAD{n}")
    j.record_print(case_id, ok=n % 3 != 0, problem=None if n % 3 else "paper_out")
    j.record_satisfaction(case_id, answer)
    return case_id


def request(j: Journal, after: dict[str, int] | None, limit: int = 200) -> tuple[dict, dict]:
    rows, target = outgoing(j, after or ZERO, limit) if after is not None else (
        {s: [] for s in STREAMS}, None)
    body = {"journal": j.journal_id, "terminal": "T1", "sent_at": T0.isoformat(),
            "after": after, "heads": j.heads(), **rows}
    return json.loads(json.dumps(body)), target  # what goes over the wire


def forward_all(terminal: Journal, hub: Journal, limit: int = 7) -> int:
    """Send until the hub has everything; returns the number of requests."""
    after = None
    requests = 0
    while True:
        body, target = request(terminal, after, limit)
        stored, cursors = ingest(hub, body, T0)
        requests += 1
        assert stored == (after is not None)
        if stored:
            assert cursors == target
        after = cursors
        if stored and cursors == terminal.heads():
            return requests


def test_everything_a_terminal_recorded_reaches_the_hub_once(terminal, hub) -> None:
    for n in range(20):
        visit(terminal, n)
    terminal.record_event("call_staff", "paper")
    terminal.record_event("printer", "paper_out")
    forward_all(terminal, hub)
    assert sorted(c.payload for c in hub.cases()) == sorted(c.payload for c in terminal.cases())
    assert len(hub.case_events()) == len(terminal.case_events()) == 40
    assert [(e.kind, e.detail, e.origin) for e in hub.events()] == [
        ("call_staff", "paper", "T1"), ("printer", "paper_out", "T1")]
    assert {c.group for c in hub.cases()} == {"ho_tich"}  # the hub's own catalogue
    report = month_report(hub, "2026-11", now=T0)
    assert (report.residents, report.print_failed, report.help_calls) == (20, 7, 1)
    assert dict(report.satisfaction)["satisfied"] == 20
    # sending again is a question of cursors: nothing is stored twice
    body, _ = request(terminal, ZERO)
    stored, cursors = ingest(hub, body, T0)
    assert not stored and cursors == terminal.heads()
    assert len(hub.case_events()) == 40


def test_a_case_event_is_never_sent_before_its_case(terminal, monkeypatch) -> None:
    first = visit(terminal, 1)
    terminal.record_satisfaction(first, "neutral")
    rows, cursors = outgoing(terminal, ZERO, limit=1)
    assert [len(rows[s]) for s in STREAMS] == [1, 0, 0]
    rows, cursors = outgoing(terminal, cursors, limit=50)
    assert [len(rows[s]) for s in STREAMS] == [0, 3, 0]
    # a visit recorded between reading the cases and reading their events (another thread):
    # its events wait for the next request, and so does every event after them
    import cases.centre as centre

    real_rows = centre._rows

    def racing(journal, sql, params):
        found = real_rows(journal, sql, params)
        if "FROM cases" in sql and not found:
            visit(terminal, 2)
            terminal.record_satisfaction(first, "satisfied")
        return found

    monkeypatch.setattr(centre, "_rows", racing)
    rows, after = outgoing(terminal, cursors, limit=50)
    assert rows["cases"] == [] and rows["case_events"] == [] and after == cursors
    monkeypatch.setattr(centre, "_rows", real_rows)
    rows, _ = outgoing(terminal, cursors, limit=50)
    assert [len(rows[s]) for s in STREAMS] == [1, 3, 0]


def test_a_request_that_does_not_follow_the_hub_stores_nothing(terminal, hub) -> None:
    for n in range(5):
        visit(terminal, n)
    forward_all(terminal, hub)
    before = (len(hub.cases()), len(hub.case_events()))
    for after in (None, ZERO, {"cases": 99, "case_events": 0, "events": 0}):
        body, _ = request(terminal, after)
        stored, cursors = ingest(hub, body, T0)
        assert not stored and cursors == terminal.heads()
    assert (len(hub.cases()), len(hub.case_events())) == before


def test_a_slip_scanned_at_the_hub_before_it_was_forwarded_is_one_case(terminal, hub) -> None:
    case_id = visit(terminal, 4)
    row = terminal.case(case_id)
    scanned = hub.record_case(
        Case("T1", Ticket(row.ticket_number, True), "1.001193", (True,) * 6,
             priority=Priority.ELDERLY, created=T0), row.payload)
    hub.move(scanned, Move.HAND_IN)
    forward_all(terminal, hub)
    assert [c.id for c in hub.cases()] == [scanned]
    assert [e.kind for e in hub.events_of(scanned)] == ["handed_off", "printed", "satisfaction"]


def test_queue_moves_of_a_terminal_journal_are_not_replayed_on_the_hub(terminal, hub) -> None:
    """A journal a desk also used (one machine that later got a hub) holds queue events: they
    belong to that day's desk, not to the hub's queue."""
    case_id = visit(terminal, 1)
    terminal.move(case_id, Move.HAND_IN)
    terminal.move(case_id, Move.CALL, 1)
    forward_all(terminal, hub)
    (hub_case,) = hub.cases()
    assert [e.kind for e in hub.events_of(hub_case.id)] == ["printed", "satisfaction"]
    assert hub.open_cases() == []


def test_the_hub_knows_when_each_terminal_had_sent_everything(terminal, hub) -> None:
    for n in range(10):
        visit(terminal, n)
    body, _ = request(terminal, None)
    ingest(hub, body, T0)
    body, _ = request(terminal, ZERO, limit=5)
    ingest(hub, body, datetime(2026, 11, 23, 9, 1))
    (peer,) = peers(hub)
    assert (peer.terminal_id, peer.complete_at, peer.pending) == ("T1", None, 25)
    assert peer.clock_offset == 60.0  # the hub's clock said 9:01 when the terminal said 9:00
    after = peer.cursors
    while True:
        body, target = request(terminal, after)
        stored, after = ingest(hub, body, datetime(2026, 11, 23, 9, 5))
        if after == terminal.heads():
            break
    (peer,) = peers(hub)
    assert peer.complete_at == datetime(2026, 11, 23, 9, 5) and peer.pending == 0


def test_a_terminal_on_the_same_machine_is_noted_as_local(hub) -> None:
    note_local_terminal(hub, "T1")
    note_local_terminal(hub, "T1")
    (peer,) = peers(hub)
    assert peer.local and peer.terminal_id == "T1" and peer.complete_at is not None


@pytest.mark.parametrize("change", [
    lambda b: b.update(journal="not hex!"),
    lambda b: b.update(terminal="t1"),
    lambda b: b.update(heads={"cases": -1, "case_events": 0, "events": 0}),
    lambda b: b.update(heads=None),
    lambda b: b.update(sent_at="yesterday"),
    lambda b: b.update(cases="nope"),
    lambda b: b["cases"].__setitem__(0, {**b["cases"][0], "id": 0}),
    lambda b: b["cases"].__setitem__(0, {**b["cases"][0], "payload": ["x"]}),
    lambda b: b["cases"].__setitem__(0, {**b["cases"][0], "payload": None}),
    lambda b: b["case_events"].__setitem__(0, {**b["case_events"][0], "payload": "UNKNOWN"}),
])
def test_a_malformed_request_is_refused_and_stores_nothing(terminal, hub, change) -> None:
    visit(terminal, 1)
    ingest(hub, request(terminal, None)[0], T0)
    body, _ = request(terminal, ZERO)
    change(body)
    with pytest.raises(BatchError):
        ingest(hub, body, T0)
    assert hub.cases() == [] and hub.case_events() == []


def test_a_forwarded_request_is_signed_over_its_body_whatever_the_clock() -> None:
    """``cases.signing`` with the body: a changed body, path or key is refused; the time does
    not matter for forwarded records (a replay stores nothing twice), it does for the rest."""
    from cases.signing import SIGNATURE_HEADER, TIME_HEADER, signed_headers, verify_request

    key, other = b"k" * 32, b"o" * 32
    headers = signed_headers(key, "POST", "/hub/records", 1_000_000, b"{}")
    when, mark = headers[TIME_HEADER], headers[SIGNATURE_HEADER]

    def ok(keys, path="/hub/records", body=b"{}", now=1_000_000.0, window=None) -> bool:
        return verify_request(keys, "POST", path, when, mark, now, body, window=window)

    assert ok([other, key])
    assert ok([key], now=1_000_000.0 + 86_400)  # a terminal whose clock is a day off
    assert not ok([key], now=1_000_000.0 + 86_400, window=300)
    assert not ok([other])
    assert not ok([key], body=b"{ }")
    assert not ok([key], path="/other")
    assert not verify_request([key], "POST", "/hub/records", when, "", 1e6, b"{}", window=None)
    # a request without a body signs exactly as before (the studio's voice packs)
    assert signed_headers(key, "GET", "/studio/pack", 5) == signed_headers(key, "GET",
                                                                          "/studio/pack", 5, b"")
