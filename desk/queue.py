"""Who is called next: priority first, but fair to ordinary tickets. Pure functions, no I/O.

The rule, written once:

* Tickets of one kind are served in the order they were handed in at the desk (first come,
  first served).
* A priority ticket (U...) goes before an ordinary one (A...),
* except that an ordinary ticket is never *passed over* more than ``limit`` times: a ticket is
  passed over when a ticket handed in after it is called while it waits. When calling the next
  priority ticket would pass over an ordinary ticket that has already been passed over ``limit``
  times, the oldest ordinary ticket is called instead.

Arrival order is the journal's event id of the handoff, or of the requeue for a resident sent
back to the queue (it only grows), so ties cannot happen. The journal keeps each waiting case's
``passed`` count as calls happen (``cases.journal.Journal.move``), the way ``after_call`` does.

Counters and services: today every counter serves every case; ``desk.service.Counter`` holds
the set of services a counter serves, and "call next" picks among the waiting cases it serves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Waiting(NamedTuple):
    """A case waiting in the queue (a named tuple: the journal's rows are made into these by
    the thousand)."""

    case_id: int
    priority: bool
    """A priority ticket (U...)."""
    arrived: int
    """Arrival order: the handoff event id."""
    passed: int = 0
    """How many times a later ticket has been called while this one waited."""


def pick_next(waiting: Sequence[Waiting], limit: int) -> Waiting | None:
    """The ticket to call now, or None when nobody waits."""
    if not waiting:
        return None
    normals = sorted((w for w in waiting if not w.priority), key=lambda w: w.arrived)
    priorities = sorted((w for w in waiting if w.priority), key=lambda w: w.arrived)
    if not priorities:
        return normals[0]
    candidate = priorities[0]
    if any(n.passed >= limit and n.arrived < candidate.arrived for n in normals):
        return normals[0]
    return candidate


def after_call(waiting: Sequence[Waiting], called: Waiting) -> tuple[Waiting, ...]:
    """The queue once ``called`` has been called: it leaves, and every ticket that arrived
    before it is passed over once more."""
    return tuple(
        w._replace(passed=w.passed + 1) if w.arrived < called.arrived else w
        for w in waiting
        if w.case_id != called.case_id
    )


def call_order(
    waiting: Sequence[Waiting], limit: int, first: int | None = None
) -> tuple[Waiting, ...]:
    """The order in which the waiting tickets will be called if nobody else arrives (only the
    ``first`` ones when given: a counter page shows the head of a long queue).

    Same result as calling ``pick_next`` then ``after_call`` until the queue is empty (the
    tests check this), in O(n²) simple steps instead of re-sorting at every call.
    """
    normals = sorted((w for w in waiting if not w.priority), key=lambda w: w.arrived)
    priorities = sorted((w for w in waiting if w.priority), key=lambda w: w.arrived)
    passed = {w.case_id: w.passed for w in normals}
    order: list[Waiting] = []
    n = p = 0  # heads of the two lines
    while (n < len(normals) or p < len(priorities)) and (first is None or len(order) < first):
        if p == len(priorities):
            chosen = normals[n]
        elif n == len(normals):
            chosen = priorities[p]
        else:
            candidate = priorities[p]
            at_limit = False
            for w in normals[n:]:
                if w.arrived > candidate.arrived:
                    break
                if passed[w.case_id] >= limit:
                    at_limit = True
                    break
            chosen = normals[n] if at_limit else candidate
        if chosen.priority:
            p += 1
        else:
            n += 1
        order.append(chosen)
        for w in normals[n:]:
            if w.arrived > chosen.arrived:
                break
            passed[w.case_id] += 1
    return tuple(order)
