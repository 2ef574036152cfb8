"""Issue 18 in the journal (real SQLite files): service cases, feedback, call-back numbers kept
apart and deleted for good once the call is made, what each counter serves, the migration."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from cases.case import Case, Ticket
from cases.journal import SCHEMA_VERSION, Journal, JournalError, migrate
from cases.life import Move
from procedures.model import SERVICES_GROUP

T0 = datetime(2026, 11, 3, 8, 0, 0)
PHONE = "0912345678"


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / "journal.sqlite3", clock=lambda: T0)
    yield j
    j.close()


def on_disk(path: Path) -> bytes:
    """Every byte of a journal as it lies on disk: the file and its write-ahead log."""
    out = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return out + (wal.read_bytes() if wal.exists() else b"")


def service_case(n: int = 1, service: str = "vneid_help", topic: str = "") -> Case:
    return Case("T1", Ticket(n, False), "", (), created=T0, service=service, topic=topic)


def test_a_service_case_keeps_its_service_and_counts_under_the_services_group(journal):
    case_id = journal.record_case(service_case(topic="", service="pick_up_result"), "S1")
    row = journal.case(case_id)
    assert (row.service, row.topic, row.procedure_code) == ("pick_up_result", "", "")
    assert row.group == SERVICES_GROUP and row.paper_count == 0
    journal.move(case_id, Move.HAND_IN)
    assert journal.waiting()[0][4] == "pick_up_result"
    assert journal.open_cases()[0].service == "pick_up_result"


def test_a_counter_calls_only_the_services_it_serves(journal):
    birth = journal.record_case(
        Case("T1", Ticket(1, False), "1.001193", (False,) * 6, created=T0), "P1")
    vneid = journal.record_case(service_case(2), "S2")
    for case_id in (birth, vneid):
        journal.move(case_id, Move.HAND_IN)

    def first(rows):
        return rows[0][0] if rows else None

    called = journal.call_next(2, first, frozenset({"vneid_help"}))
    assert called is not None and called.case_id == vneid
    assert journal.call_next(2, first, frozenset({"vneid_help"})) is None
    passed = {c.case_id: c.passed for c in journal.open_cases()}
    assert passed[birth] == 0  # the digital desk could not have called it: not passed over


def test_feedback_is_an_event_with_its_topic_and_nothing_said(journal):
    ref = journal.record_feedback("waiting", ticket="A-101", origin="T1")
    (fb,) = journal.feedback()
    assert (fb.ref, fb.topic, fb.call_back, fb.ticket, fb.origin) == (
        ref, "waiting", False, "A-101", "T1")
    assert fb.done_at is None
    assert journal.callback_phones() == {}
    (event,) = journal.events("feedback")
    assert event.detail == f"{ref} waiting 0 A-101"


@pytest.mark.parametrize(
    ("topic", "call_back", "phone"),
    [("rude", False, ""), ("waiting", True, ""), ("waiting", False, PHONE),
     ("waiting", True, "09123x5678"), ("waiting", True, "1234")],
)
def test_bad_feedback_is_refused_and_nothing_is_kept(journal, topic, call_back, phone):
    with pytest.raises(JournalError):
        journal.record_feedback(topic, call_back, phone)
    assert journal.feedback() == [] and journal.callback_phones() == {}


def test_the_call_back_number_is_deleted_from_the_file_once_the_call_is_made(journal):
    ref = journal.record_feedback("wrong_data", True, PHONE, "A-102", "T1")
    assert journal.callback_phones() == {ref: PHONE}
    assert PHONE.encode() in on_disk(journal.path)  # the check can see it while it is kept
    assert journal.close_feedback(ref, counter=3)
    assert journal.callback_phones() == {}
    assert PHONE.encode() not in on_disk(journal.path)
    (fb,) = journal.feedback()
    assert fb.done_at == T0 and fb.done_counter == 3 and fb.call_back
    assert not journal.close_feedback(ref)  # closed once only
    assert not journal.close_feedback("0123456789abcdef")  # no such feedback
    assert not journal.close_feedback("x' OR 1=1 --")
    assert journal.integrity_check() == "ok"


def test_a_terminal_hands_its_numbers_to_the_hub_and_keeps_no_copy(tmp_path):
    terminal = Journal(tmp_path / "t1.sqlite3", clock=lambda: T0)
    hub = Journal(tmp_path / "hub.sqlite3", clock=lambda: T0)
    try:
        ref = terminal.record_feedback("staff_attitude", True, PHONE, "A-103", "T1")
        rows = terminal.pending_callbacks()
        assert rows == [{"ref": ref, "phone": PHONE, "at": T0.isoformat(), "origin": "T1"}]
        with hub._write() as conn:
            assert hub.store_callbacks(conn, rows, "T1") == [ref]
        terminal.forget_callbacks([ref])
        assert terminal.pending_callbacks() == []
        assert PHONE.encode() not in on_disk(terminal.path)
        assert hub.callback_phones() == {ref: PHONE}
    finally:
        terminal.close()
        hub.close()


def test_a_number_handed_over_again_after_the_call_is_not_kept_again(journal):
    ref = journal.record_feedback("other", True, PHONE, "A-104", "T1")
    rows = journal.pending_callbacks()
    journal.close_feedback(ref)
    with journal._write() as conn:  # the terminal sends it again (it never heard the answer)
        assert journal.store_callbacks(conn, rows, "T1") == [ref]
    assert journal.callback_phones() == {}
    assert PHONE.encode() not in on_disk(journal.path)


def test_what_each_counter_serves_is_kept(journal):
    assert journal.counter_services() == {}
    journal.set_counter_services(2, ["digital", "digital"])
    journal.set_counter_services(1, ["general", "results"])
    journal.set_counter_services(2, ["digital"])
    assert journal.counter_services() == {
        1: frozenset({"general", "results"}), 2: frozenset({"digital"})}


@pytest.mark.parametrize("version", [5, 6])
def test_an_older_file_is_migrated_through_every_version_and_keeps_its_cases(tmp_path, version):
    """A file of version 5 (before the paper alternatives, main's version 6) or 6 (before the
    services, version 7) reaches the latest version through each migration in turn: its case
    and its place in the queue are kept, a procedure's case is about no service, and what each
    version adds works on the old file."""
    path = tmp_path / f"v{version}.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=version)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    columns = {r[1] for r in conn.execute("PRAGMA table_info(cases)")}
    assert ("chosen" in columns) is (version >= 6) and "service" not in columns
    conn.execute(
        "INSERT INTO cases(terminal_id, day, ticket_label, ticket_number, priority, "
        "procedure_code, have_mask, paper_count, missing_count, delivery, channel, payload, "
        "created_at, recorded_at) VALUES ('T1', '2026-11-03', 'A-101', 101, 'none', "
        "'1.001193', 1, 2, 1, 'centre', 'terminal', 'OLD', '2026-11-03T08:00:00', "
        "'2026-11-03T08:00:00')"
    )
    conn.execute(
        "INSERT INTO case_events(case_id, kind, at) VALUES (1, 'handed_off', '2026-11-03T08:01:00')"
    )
    conn.execute(
        "INSERT INTO case_state(case_id, status, counter, priority, arrived, arrived_at, day, "
        "passed, changed) VALUES (1, 'waiting', NULL, 0, 1, '2026-11-03T08:01:00', "
        "'2026-11-03', 0, 1)"
    )
    conn.close()
    with Journal(path, clock=lambda: T0) as j:
        assert j.schema_version() == SCHEMA_VERSION == 7
        old = j.case_by_payload("OLD")
        assert old is not None and (old.service, old.topic, old.chosen) == ("", "", frozenset())
        assert old.have == (True, False)
        assert j.waiting() == [(1, 0, 1, 0, "")]  # still in the queue, as a procedure
        assert j.callback_phones() == {} and j.counter_services() == {}
        # version 6's alternatives and version 7's services both work on the old file
        ticket = j.next_ticket("T1", False)
        new = Case("T1", ticket, "1.001193", (True, False), chosen=frozenset({(0, 1)}), created=T0)
        assert j.case(j.record_case(new, "NEW")).chosen == {(0, 1)}
        assert j.case(j.record_case(service_case(2), "SVC")).service == "vneid_help"
        assert j.integrity_check() == "ok"
