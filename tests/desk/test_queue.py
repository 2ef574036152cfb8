"""The fair priority queue, checked exhaustively over every short sequence of arrivals/calls."""

from __future__ import annotations

import itertools

import pytest

from desk.queue import Waiting, after_call, call_order, pick_next


def labels(order: tuple[Waiting, ...], names: dict[int, str]) -> list[str]:
    return [names[w.case_id] for w in order]


def test_priority_tickets_go_first_when_nobody_is_at_the_limit() -> None:
    q = [Waiting(1, False, 1), Waiting(2, True, 2)]
    assert pick_next(q, 3) == q[1]


def test_an_empty_queue_has_no_next() -> None:
    assert pick_next([], 3) is None


def test_an_ordinary_ticket_at_the_limit_is_called_before_later_priority() -> None:
    q = [Waiting(1, False, 1, passed=2), Waiting(2, True, 2)]
    assert pick_next(q, 2) == q[0]


def test_a_priority_ticket_that_came_first_still_goes_first() -> None:
    # Calling it passes nobody over, so the limit does not apply.
    q = [Waiting(1, True, 1), Waiting(2, False, 2, passed=5)]
    assert pick_next(q, 2) == q[0]


def test_call_order_with_limit_two() -> None:
    names = {1: "A001", 2: "A002", 3: "U001", 4: "U002", 5: "U003", 6: "U004"}
    q = [Waiting(i, names[i].startswith("U"), i) for i in names]
    assert labels(call_order(q, 2), names) == ["U001", "U002", "A001", "A002", "U003", "U004"]


def test_call_order_with_a_large_limit_is_plain_priority_first() -> None:
    names = {1: "A001", 2: "U001", 3: "A002", 4: "U002"}
    q = [Waiting(i, names[i].startswith("U"), i) for i in names]
    assert labels(call_order(q, 50), names) == ["U001", "U002", "A001", "A002"]


def test_after_call_passes_over_only_earlier_tickets() -> None:
    q = [Waiting(1, False, 1), Waiting(2, True, 2), Waiting(3, False, 3)]
    rest = after_call(q, q[1])
    assert rest == (Waiting(1, False, 1, passed=1), Waiting(3, False, 3, passed=0))


def simulate(ops: tuple[str, ...], limit: int) -> None:
    """Run arrivals ("P"/"N") and calls ("C") and check every rule at every call."""
    waiting: tuple[Waiting, ...] = ()
    seq = 0
    for op in ops:
        seq += 1
        if op in "PN":
            waiting = (*waiting, Waiting(seq, op == "P", seq))
            continue
        chosen = pick_next(waiting, limit)
        if not waiting:
            assert chosen is None
            continue
        assert chosen is not None and chosen in waiting
        same_kind = [w for w in waiting if w.priority == chosen.priority]
        assert chosen.arrived == min(w.arrived for w in same_kind), "first come, first served"
        normals = [w for w in waiting if not w.priority]
        prios = [w for w in waiting if w.priority]
        if not chosen.priority and prios:
            # An ordinary ticket goes before a waiting priority one only to respect the limit.
            oldest_prio = min(p.arrived for p in prios)
            assert any(n.passed >= limit and n.arrived < oldest_prio for n in normals)
        if chosen.priority:
            assert not any(n.passed >= limit and n.arrived < chosen.arrived for n in normals)
        waiting = after_call(waiting, chosen)
        # The rule itself: nobody ordinary is ever passed over more than the limit.
        assert all(w.passed <= limit for w in waiting if not w.priority)
    # The predicted order is exactly what successive calls would do.
    rest, expected = waiting, []
    while rest:
        chosen = pick_next(rest, limit)
        assert chosen is not None
        expected.append(chosen.case_id)
        rest = after_call(rest, chosen)
    assert [w.case_id for w in call_order(waiting, limit)] == expected


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_every_sequence_of_up_to_eight_arrivals_and_calls_keeps_the_rules(limit: int) -> None:
    count = 0
    for length in range(1, 9):
        for ops in itertools.product("PNC", repeat=length):
            simulate(ops, limit)
            count += 1
    assert count == sum(3**n for n in range(1, 9))
