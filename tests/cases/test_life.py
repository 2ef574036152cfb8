"""The life of a case: the pure state machine, checked over every sequence of moves, and the
journal that keeps it (real SQLite files): illegal moves record nothing, the stored queue
position and pass-over counts agree with the pure queue rule over every short sequence."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

import pytest

from cases.case import Case, Priority, Ticket
from cases.journal import Journal
from cases.life import (
    AT_COUNTER,
    EVENT_OF,
    NEEDS_COUNTER,
    OPEN,
    IllegalMove,
    Life,
    Move,
    Status,
    legal,
    replay,
    service_day,
    step,
)
from desk.queue import Waiting, after_call, pick_next
from tests.cases.support import Clock

COUNTERS = (1, 2)


def moves_from(life: Life) -> list[tuple[Move, int | None]]:
    """Every move with every counter argument worth trying (legal or not)."""
    return [(m, c) for m in Move for c in ((None, *COUNTERS) if m in NEEDS_COUNTER else (None,))]


def test_every_sequence_of_up_to_eight_moves_keeps_the_rules() -> None:
    seen = 0
    lives = {(): Life()}  # sequence of (move, counter) → life; breadth first
    for _ in range(8):
        grown: dict[tuple, Life] = {}
        for path, life in lives.items():
            for move, counter in moves_from(life):
                try:
                    after = step(life, move, counter)
                except IllegalMove as refused:
                    assert refused.life == life and refused.move is move
                    assert move not in legal(life) or refused.why == "counter"
                    continue
                seen += 1
                assert move in legal(life)
                assert after.status is TABLE_OF(life.status, move)
                # a counter exactly while called or serving, kept until the case moves on
                assert (after.counter is not None) == (after.status in AT_COUNTER)
                if move in NEEDS_COUNTER:
                    assert after.counter == counter != life.counter
                elif after.status in AT_COUNTER:
                    assert after.counter == life.counter
                history = [*path, (move, counter)]
                # the journal's events replay to the same life
                events = [(EVENT_OF[m], step_counter(history[: i + 1])) for i, (m, _) in
                          enumerate(history)]
                assert replay(events) == after
                check_history(history, after)
                grown[tuple(history)] = after
        lives = grown
    assert seen == 9316  # every legal sequence of up to 8 moves, with counters 1 and 2


def TABLE_OF(status: Status, move: Move) -> Status:  # noqa: N802 - reads like the table
    from cases.life import TABLE

    return TABLE[status][move]


def step_counter(history: list[tuple[Move, int | None]]) -> int | None:
    """The counter recorded with the last move of ``history`` (as the journal does)."""
    life = Life()
    for move, counter in history:
        life = step(life, move, counter)
    return life.counter if history[-1][0] in (Move.CALL, Move.RECALL, Move.TRANSFER) else None


def check_history(history: list[tuple[Move, int | None]], now: Life) -> None:
    moves = [m for m, _ in history]
    if Move.START in moves:
        assert Move.CALL in moves[: moves.index(Move.START)], "start only after a call"
    for i, move in enumerate(moves):
        if move is Move.DONE:
            assert moves[i - 1] is Move.START or Move.START in moves[:i], "done only when serving"
            assert moves[i + 1:] == [], "nothing after done"
    if now.status is Status.DONE:
        assert Move.ABSENT not in moves[moves.index(Move.DONE):]
    # served and absent are never both true of one visit to the counter
    last_requeue = max((i for i, m in enumerate(moves) if m is Move.REQUEUE), default=-1)
    since = moves[last_requeue + 1:]
    assert not (Move.DONE in since and Move.ABSENT in since)


def test_the_legal_moves_of_each_status() -> None:
    assert legal(Life()) == (Move.HAND_IN,)
    assert set(legal(Life(Status.WAITING))) == {Move.CALL, Move.CLOSE}
    assert set(legal(Life(Status.CALLED, 1))) == {
        Move.START, Move.RECALL, Move.ABSENT, Move.TRANSFER, Move.REQUEUE, Move.CLOSE}
    assert set(legal(Life(Status.SERVING, 1))) == {
        Move.DONE, Move.TRANSFER, Move.REQUEUE, Move.CLOSE}
    assert legal(Life(Status.DONE)) == ()
    assert legal(Life(Status.ABSENT)) == legal(Life(Status.CLOSED)) == (Move.REQUEUE,)


def test_start_on_an_uncalled_case_is_refused() -> None:
    with pytest.raises(IllegalMove) as refused:
        step(Life(Status.WAITING), Move.START)
    assert refused.value.why == "order"


def test_a_transfer_to_the_same_counter_is_refused() -> None:
    with pytest.raises(IllegalMove) as refused:
        step(Life(Status.SERVING, 2), Move.TRANSFER, 2)
    assert refused.value.why == "counter"


def test_replay_keeps_the_first_end_of_an_old_journal() -> None:
    """Journals written before the state machine may hold "done" then "absent"."""
    events = [("handed_off", None), ("called", 1), ("started", None), ("done", None),
              ("absent", None), ("printed", None)]
    assert replay(events) == Life(Status.DONE)


def test_the_working_day_starts_at_the_configured_hour() -> None:
    assert service_day(datetime(2026, 11, 24, 2, 59), 3).isoformat() == "2026-11-23"
    assert service_day(datetime(2026, 11, 24, 3, 0), 3).isoformat() == "2026-11-24"
    assert service_day(datetime(2026, 11, 24, 0, 0)).isoformat() == "2026-11-24"
    with pytest.raises(ValueError):
        service_day(datetime(2026, 11, 24), 24)


# -- the journal keeps the life ---------------------------------------------------------------

T0 = datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def journal(tmp_path: Path):
    clock = Clock(T0)
    j = Journal(tmp_path / "j.sqlite3", clock=clock, group_of=lambda code: "ho_tich")
    # these tests check the queue logic over thousands of writes, not durability (the journal
    # tests do): no fsync per write
    j._conn.execute("PRAGMA synchronous = OFF")
    j.test_clock = clock  # type: ignore[attr-defined]
    yield j
    j.close()


def new_case(j: Journal, n: int, priority: bool = False) -> int:
    case = Case("T1", Ticket(n, priority), "1.001193", (False,) * 6,
                priority=Priority.ELDERLY if priority else Priority.NONE, created=T0)
    return j.record_case(case, f"P{n}{'U' if priority else 'A'}")


def test_an_illegal_move_records_nothing(journal: Journal) -> None:
    case_id = new_case(journal, 1)
    journal.move(case_id, Move.HAND_IN)
    before = journal.events_of(case_id)
    for move in (Move.START, Move.DONE, Move.ABSENT, Move.RECALL, Move.HAND_IN):
        with pytest.raises(IllegalMove):
            journal.move(case_id, move, 1)
    assert journal.events_of(case_id) == before
    assert journal.life(case_id) == Life(Status.WAITING)


def test_done_then_absent_cannot_both_be_recorded(journal: Journal) -> None:
    case_id = new_case(journal, 1)
    for move, counter in ((Move.HAND_IN, None), (Move.CALL, 2), (Move.START, None),
                          (Move.DONE, None)):
        journal.move(case_id, move, counter)
    with pytest.raises(IllegalMove):
        journal.move(case_id, Move.ABSENT)
    assert [e.kind for e in journal.events_of(case_id)] == [
        "handed_off", "called", "started", "done"]
    assert [e.counter for e in journal.events_of(case_id)] == [None, 2, None, None]


def simulate_on_journal(journal: Journal, ops: tuple[str, ...], limit: int, base: int) -> None:
    """Arrivals ("P"/"N"), calls ("C") and requeues of the last called ("R") on the journal and
    on the pure queue side by side: same choice, same pass-over counts, same queue order."""
    pure: tuple[Waiting, ...] = ()
    ids: dict[int, int] = {}  # journal case id → pure id
    called: list[int] = []
    for i, op in enumerate(ops):
        if op in "PN":
            case_id = new_case(journal, base + i, op == "P")
            event, _ = journal.move(case_id, Move.HAND_IN)
            pure = (*pure, Waiting(case_id, op == "P", event))
            ids[case_id] = case_id
        elif op == "C":
            expected = pick_next(pure, limit)

            def pick(waiting):  # the desk's rule, given the journal's view
                chosen = pick_next([Waiting._make(row) for row in waiting], limit)
                return chosen.case_id if chosen else None

            got = journal.call_next(1, pick)
            assert (got.case_id if got else None) == (expected.case_id if expected else None)
            if expected is not None:
                pure = after_call(pure, expected)
                called.append(expected.case_id)
        elif op == "R" and called:
            case_id = called.pop()
            event, _ = journal.move(case_id, Move.REQUEUE)
            pure = (*pure, Waiting(case_id, journal.case(case_id).is_priority, event))
        stored = {c.case_id: (c.arrived, c.passed) for c in journal.open_cases()
                  if c.status is Status.WAITING}
        assert stored == {w.case_id: (w.arrived, w.passed) for w in pure}


@pytest.mark.parametrize("limit", [1, 2])
def test_the_journal_counts_pass_overs_as_the_pure_rule_does(journal: Journal, limit: int) -> None:
    """Every sequence of up to five arrivals, calls and requeues, one after another on one
    journal (the day is ended between sequences, which empties the queue)."""
    base = 0
    count = 0
    for length in range(1, 6):
        for ops in itertools.product("PNCR", repeat=length):
            simulate_on_journal(journal, ops, limit, base)
            base += length
            journal.close_day(journal.today())
            assert journal.open_cases() == []
            count += 1
    assert count == sum(4**n for n in range(1, 6))


def test_cases_left_open_yesterday_are_closed_and_never_called_today(journal: Journal) -> None:
    clock = journal.test_clock  # type: ignore[attr-defined]
    waiting, called, serving = (new_case(journal, n) for n in (1, 2, 3))
    for case_id in (waiting, called, serving):
        journal.move(case_id, Move.HAND_IN)
    journal.move(called, Move.CALL, 1)
    journal.move(serving, Move.CALL, 2)
    journal.move(serving, Move.START)
    clock.now = datetime(2026, 11, 24, 7, 30)
    assert journal.stale_open_cases()
    assert journal.call_next(1, lambda w: w[0][0] if w else None) is None  # never yesterday's
    assert sorted(journal.close_day()) == sorted([waiting, called, serving])
    assert not journal.stale_open_cases() and journal.open_cases() == []
    closed = {c: journal.events_of(c)[-1] for c in (waiting, called, serving)}
    assert {c: (e.kind, e.detail) for c, e in closed.items()} == {
        waiting: ("closed", "waiting"), called: ("closed", "called"),
        serving: ("closed", "serving")}
    # the resident comes back with yesterday's slip: staff may put it in today's queue
    journal.move(waiting, Move.REQUEUE)
    (back,) = journal.open_cases()
    assert (back.case_id, back.day) == (waiting, "2026-11-24")


def test_the_day_boundary_hour_decides_the_day(tmp_path: Path) -> None:
    clock = Clock(T0)
    clock.now = datetime(2026, 11, 24, 1, 30)
    with Journal(tmp_path / "j.sqlite3", clock=clock, day_start_hour=3,
                 group_of=lambda c: "") as j:
        assert j.today().isoformat() == "2026-11-23"
        case_id = new_case(j, 1)
        j.move(case_id, Move.HAND_IN)
        clock.now = datetime(2026, 11, 24, 2, 59)
        assert not j.stale_open_cases()
        clock.now = datetime(2026, 11, 24, 3, 0)
        assert j.stale_open_cases()


def test_open_statuses_are_the_queue_and_the_counters() -> None:
    assert {Status.WAITING, Status.CALLED, Status.SERVING} == OPEN
