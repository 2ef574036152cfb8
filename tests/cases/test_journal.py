"""The SQLite journal: tickets, cases, events, migrations, several processes, durability."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from cases.case import Case, Delivery, Need, Priority, Ticket
from cases.journal import (
    CASE_EVENT_KINDS,
    SCHEMA_VERSION,
    Journal,
    JournalError,
    migrate,
)
from cases.life import Life, Status

T0 = datetime(2026, 11, 3, 8, 0, 0)


def make_case(n: int = 1, priority: Priority = Priority.NONE, **kw: object) -> Case:
    values: dict[str, object] = {
        "terminal_id": "T1",
        "ticket": Ticket(n, priority is not Priority.NONE),
        "procedure_code": "1.001193",
        "have": (True, False, True),
        "priority": priority,
        "needs": frozenset({Need.HARD_OF_HEARING}),
        "delivery": Delivery.POST,
        "created": T0,
    }
    values.update(kw)
    return Case(**values)  # type: ignore[arg-type]


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / "journal.sqlite3", clock=lambda: T0, group_of=lambda code: "ho_tich")
    yield j
    j.close()


def run_python(code: str, **kw: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,  # type: ignore[arg-type]
    )


def test_journal_uses_wal_and_full_sync(journal: Journal) -> None:
    conn = sqlite3.connect(journal.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert journal._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert journal._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_new_journal_is_at_latest_schema_version(journal: Journal) -> None:
    assert journal.schema_version() == SCHEMA_VERSION == 7


def test_tickets_count_per_terminal_day_and_prefix(journal: Journal) -> None:
    d = date(2026, 11, 3)
    labels = [
        journal.next_ticket("T1", False, d).label,
        journal.next_ticket("T1", False, d).label,
        journal.next_ticket("T1", True, d).label,
        journal.next_ticket("T2", False, d).label,
        journal.next_ticket("T1", False, date(2026, 11, 4)).label,
    ]
    assert labels == ["A-001", "A-002", "U-001", "A-001", "A-001"]


def test_ticket_day_defaults_to_the_clock(tmp_path: Path) -> None:
    moments = iter([datetime(2026, 11, 3, 23, 59), datetime(2026, 11, 4, 0, 1)])
    with Journal(tmp_path / "j.sqlite3", clock=lambda: next(moments)) as j:
        assert j.next_ticket("T1", False).number == 1
        assert j.next_ticket("T1", False).number == 1


def test_tickets_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as j:
        j.next_ticket("T1", True, date(2026, 11, 3))
    with Journal(path) as j:
        assert j.next_ticket("T1", True, date(2026, 11, 3)).label == "U-002"


def test_ticket_numbers_stop_at_999_with_a_clear_error(journal: Journal) -> None:
    journal._conn.execute(
        "INSERT INTO tickets VALUES ('T1', '2026-11-03', 'A', 999)"
    )
    with pytest.raises(JournalError, match="used all 999 A tickets"):
        journal.next_ticket("T1", False, date(2026, 11, 3))


def test_tickets_never_repeat_across_two_processes(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal(path).close()
    code = f"""
        from datetime import date
        from cases.journal import Journal
        j = Journal({str(path)!r})
        for _ in range(60):
            print(j.next_ticket("T1", False, date(2026, 11, 3)).number, flush=True)
    """
    procs = [run_python(code) for _ in range(2)]
    numbers: list[int] = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        numbers += [int(x) for x in out.split()]
    assert sorted(numbers) == list(range(1, 121))


def test_record_case_stores_every_field(journal: Journal) -> None:
    case = make_case(12, Priority.ELDERLY, needs=frozenset({Need.WHEELCHAIR, Need.LOW_VISION}))
    case_id = journal.record_case(case, "PAYLOAD-1")
    row = journal.case(case_id)
    assert row is not None
    assert (row.terminal_id, row.day, row.ticket_label, row.ticket_number) == (
        "T1",
        "2026-11-03",
        "U-012",
        12,
    )
    assert (row.priority, row.procedure_code, row.group) == ("elderly", "1.001193", "ho_tich")
    assert (row.have, row.have_mask, row.missing_count) == ((True, False, True), 0b101, 1)
    assert row.needs == ("low_vision", "wheelchair")
    assert (row.delivery, row.channel, row.payload) == ("post", "terminal", "PAYLOAD-1")
    assert row.created_at == T0
    assert journal.case_by_payload("PAYLOAD-1") == row


def test_recording_the_same_payload_twice_returns_the_first_id(journal: Journal) -> None:
    first = journal.record_case(make_case(1), "SAME")
    again = journal.record_case(make_case(1), "SAME", channel="desk")
    assert again == first
    assert len(journal.cases()) == 1


def test_record_case_refuses_an_unknown_channel(journal: Journal) -> None:
    with pytest.raises(JournalError, match="channel 'phone' is not allowed"):
        journal.record_case(make_case(), "P", channel="phone")


def test_print_satisfaction_and_events_are_recorded(journal: Journal) -> None:
    case_id = journal.record_case(make_case(), "P1")
    journal.record_print(case_id, False, "paper_out")
    journal.record_print(case_id, True)
    journal.record_satisfaction(case_id, "satisfied")
    journal.record_event("printer", "paper_out")
    events = journal.events_of(case_id)
    assert [(e.kind, e.ok, e.detail) for e in events] == [
        ("printed", False, "paper_out"),
        ("printed", True, ""),
        ("satisfaction", None, "satisfied"),
    ]
    assert [(e.kind, e.detail, e.at) for e in journal.events()] == [("printer", "paper_out", T0)]


def test_satisfaction_refuses_an_unknown_answer(journal: Journal) -> None:
    case_id = journal.record_case(make_case(), "P1")
    with pytest.raises(JournalError, match="'great' is not allowed"):
        journal.record_satisfaction(case_id, "great")


def test_case_event_for_a_missing_case_is_refused(journal: Journal) -> None:
    with pytest.raises(JournalError, match="no case 42"):
        journal.record_case_event(42, "called", counter=1)


def test_handoff_is_recorded_once(journal: Journal) -> None:
    case_id = journal.record_case(make_case(), "P1")
    assert journal.record_handoff(case_id) is True
    assert journal.record_handoff(case_id) is False
    assert [e.kind for e in journal.events_of(case_id)] == ["handed_off"]


def test_a_version_3_file_gets_the_life_of_its_cases(tmp_path: Path) -> None:
    """Version 4 keeps where each case is (``case_state``): filled from the events of an older
    file, with the queue position and pass-over counts the old desk computed."""
    path = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=3)

    def case(n: int, label: str) -> int:
        return conn.execute(
            "INSERT INTO cases(terminal_id, day, ticket_label, ticket_number, priority, "
            "procedure_code, have_mask, paper_count, missing_count, delivery, channel, payload, "
            "created_at, recorded_at) VALUES ('T1', '2026-11-03', ?, ?, 'none', '1.001193', 0, "
            "2, 2, 'centre', 'terminal', ?, '2026-11-03T08:00:00', '2026-11-03T08:00:00')",
            (label, n, label),
        ).lastrowid

    def event(case_id: int, kind: str, counter: int | None = None) -> None:
        conn.execute("INSERT INTO case_events(case_id, kind, at, counter) VALUES (?, ?, "
                     "'2026-11-03T09:00:00', ?)", (case_id, kind, counter))

    a, b, u, done, odd, new = (case(n, label) for n, label in (
        (1, "A001"), (2, "A002"), (1, "U001"), (3, "A003"), (4, "A004"), (5, "A005")))
    for case_id in (a, b, u, done, odd):
        event(case_id, "handed_off")
    event(u, "called", 2)  # came after a and b: passes both over
    for kind, counter in (("called", 1), ("started", None), ("done", None)):
        event(done, kind, counter)  # came after a and b: passes both over again
    event(odd, "done")  # done without a call (old desks allowed it): not legal, skipped
    event(new, "printed")
    conn.close()
    with Journal(path) as j:
        assert j.life(a) == j.life(b) == Life(Status.WAITING)
        assert j.life(u) == Life(Status.CALLED, 2)
        assert j.life(done) == Life(Status.DONE)
        assert j.life(odd) == Life(Status.WAITING)
        assert j.life(new) == Life()
        passed = {c.case_id: c.passed for c in j.open_cases() if c.status is Status.WAITING}
        assert passed == {a: 2, b: 2, odd: 0}  # u and done were called after them


def test_schema_has_no_personal_identifier_columns(journal: Journal) -> None:
    """The one exception is the call-back number a resident gives for her feedback, kept in its
    own table (never forwarded as a row, deleted when the call is made: test_feedback.py)."""
    forbidden = ("name", "phone", "cccd", "cmnd", "id_card", "idcard", "address", "birth", "email")
    columns: list[str] = []
    for (table,) in journal._conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                      "AND name NOT LIKE 'sqlite_%'"):
        columns += [f"{table}.{r[1].lower()}"
                    for r in journal._conn.execute(f"PRAGMA table_info({table})")]
    assert "cases.payload" in columns  # the check really sees the columns
    offending = [c for c in columns if any(f in c.split(".")[1] for f in forbidden)]
    assert offending == ["callbacks.phone"]


def test_case_events_kinds_are_the_documented_ones() -> None:
    assert set(CASE_EVENT_KINDS) == {
        "printed",
        "handed_off",
        "called",
        "started",
        "done",
        "absent",
        "transferred",
        "satisfaction",
        "requeued",
        "closed",
    }


def test_a_version_1_file_is_migrated_and_keeps_its_cases(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.execute(
        "INSERT INTO cases(terminal_id, day, ticket_label, ticket_number, priority, "
        "procedure_code, have_mask, paper_count, missing_count, delivery, channel, payload, "
        "created_at, recorded_at) VALUES ('T1', '2026-01-02', 'A001', 1, 'none', '1.001193', "
        "1, 2, 1, 'centre', 'terminal', 'OLD', '2026-01-02T08:00:00', '2026-01-02T08:00:00')"
    )
    conn.close()
    with Journal(path) as j:
        assert j.schema_version() == SCHEMA_VERSION
        indexes = {r[0] for r in j._conn.execute("SELECT name FROM sqlite_master "
                                                   "WHERE type='index'")}
        assert {"cases_day", "case_events_case", "case_events_kind"} <= indexes
        old = j.case_by_payload("OLD")
        assert old is not None and old.have == (True, False)
        assert old.not_needed == frozenset()  # added in version 3, empty for old cases
        assert old.chosen == frozenset()  # added in version 4, empty for old cases
        assert j.integrity_check() == "ok"


def test_papers_that_do_not_apply_are_kept_apart_from_missing_ones(journal: Journal) -> None:
    case = make_case(have=(True, False, False), not_needed=frozenset({2}))
    row = journal.case(journal.record_case(case, "SKIP"))
    assert row is not None
    assert row.have == (True, False, False)
    assert row.not_needed == frozenset({2})
    assert row.missing_count == 1


def test_the_alternative_a_resident_has_is_kept(journal: Journal) -> None:
    case = make_case(have=(True, True, False), chosen=frozenset({(1, 3), (0, 0)}))
    row = journal.case(journal.record_case(case, "WHICH"))
    assert row is not None
    assert row.chosen == frozenset({(0, 0), (1, 3)})
    assert row.chosen_text == "0:0,1:3"
    assert row.chosen_for(1) == 3 and row.chosen_for(2) is None


def test_a_version_3_file_is_migrated_to_keep_alternatives(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=3)
    conn.execute(
        "INSERT INTO cases(terminal_id, day, ticket_label, ticket_number, priority, "
        "procedure_code, have_mask, paper_count, missing_count, delivery, channel, payload, "
        "created_at, recorded_at, skip_mask) VALUES ('T1', '2026-01-02', 'A001', 1, 'none', "
        "'1.001193', 1, 2, 1, 'centre', 'terminal', 'V3', '2026-01-02T08:00:00', "
        "'2026-01-02T08:00:00', 2)"
    )
    conn.close()
    with Journal(path) as j:
        assert j.schema_version() == SCHEMA_VERSION
        old = j.case_by_payload("V3")
        assert old is not None and old.not_needed == {1} and old.chosen == frozenset()
        case = make_case(have=(True,), chosen=frozenset({(0, 2)}))
        assert j.case(j.record_case(case, "V4")).chosen == {(0, 2)}


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(JournalError, match="newer than this program knows"):
        Journal(path)


def test_a_corrupt_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"this is not a database at all " * 200)
    with pytest.raises(JournalError, match="corrupt or not a journal"):
        Journal(path)


def test_a_full_disk_gives_a_clear_error(journal: Journal) -> None:
    pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
    journal._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(JournalError, match="is full"):
        for i in range(200):
            journal.record_case(make_case(i % 999 + 1), "X" * 500 + str(i))


def _open_and_write_as_unprivileged(path: Path) -> str:
    """Open the journal and write in a forked child that is not root (root ignores file
    permissions); returns the JournalError text, or "" when the write worked."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        message = ""
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            try:
                Journal(path).record_event("x")
            except JournalError as exc:
                message = str(exc)
        finally:
            os.write(write_end, message.encode())
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    return text


def test_a_read_only_journal_gives_a_clear_error() -> None:
    folder = Path(tempfile.mkdtemp(prefix="hotro-ro-"))
    path = folder / "j.sqlite3"
    try:
        Journal(path).close()
        os.chmod(path, 0o444)
        os.chmod(folder, 0o555)
        assert "is read-only" in _open_and_write_as_unprivileged(path)
    finally:
        os.chmod(folder, 0o755)
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()


def test_terminal_and_desk_processes_write_at_once(tmp_path: Path) -> None:
    """Two real processes: one records cases like a terminal, the other events like a desk."""
    path = tmp_path / "j.sqlite3"
    with Journal(path) as j:
        desk_cases = [j.record_case(make_case(i), f"D{i}") for i in range(1, 41)]
    terminal = f"""
        from datetime import datetime
        from cases.case import Case, Ticket
        from cases.journal import Journal
        j = Journal({str(path)!r})
        for i in range(1, 81):
            t = j.next_ticket("T9", False)
            j.record_case(Case("T9", t, "1.001193", (True,)), f"T{{i}}")
    """
    desk = f"""
        from cases.journal import Journal
        j = Journal({str(path)!r})
        for case_id in {desk_cases!r}:
            j.record_handoff(case_id)
            j.record_case_event(case_id, "called", counter=2)
    """
    procs = [run_python(terminal), run_python(desk)]
    for p in procs:
        _, err = p.communicate(timeout=90)
        assert p.returncode == 0, err
    with Journal(path) as j:
        assert len(j.cases()) == 120
        assert len(j.case_events()) == 80
        assert j.integrity_check() == "ok"


def test_cases_reported_printed_survive_sigkill(tmp_path: Path) -> None:
    """A real writer process streams cases and is killed with SIGKILL mid-stream: every case
    it reported as printed is in the reopened journal, and the file passes integrity_check."""
    path = tmp_path / "j.sqlite3"
    code = f"""
        import sys
        from cases.case import Case, Ticket
        from cases.journal import Journal
        j = Journal({str(path)!r})
        i = 0
        while True:
            i += 1
            case_id = j.record_case(Case("T1", Ticket(i % 999 + 1, False), "1.001193",
                                         (True, False)), f"P{{i}}")
            sys.stdout.write(f"PRINTED {{case_id}} P{{i}}\\n")
            sys.stdout.flush()
    """
    p = run_python(code)
    printed: list[tuple[int, str]] = []
    assert p.stdout is not None
    deadline = time.monotonic() + 30
    while len(printed) < 150 and time.monotonic() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        _, case_id, payload = line.split()
        printed.append((int(case_id), payload))
    os.kill(p.pid, signal.SIGKILL)
    rest, _ = p.communicate(timeout=30)
    for line in rest.splitlines():  # lines written before the kill are reports too
        if line.startswith("PRINTED "):
            _, case_id, payload = line.split()
            printed.append((int(case_id), payload))
    assert p.returncode == -signal.SIGKILL
    assert len(printed) >= 150
    with Journal(path) as j:
        assert j.integrity_check() == "ok"
        for case_id, payload in printed:
            row = j.case(case_id)
            assert row is not None and row.payload == payload
