"""The life of a case at the centre, as one pure state machine (no I/O).

::

    new ──hand_in──► waiting ──call──► called ──start──► serving ──done──► done
                       ▲  │              │ ▲ │             │  │
                       │  │              │ └─┘ recall      │  └─transfer─► called (other counter)
                       │  │              ├─absent──► absent│
                       │  │              └─transfer─► called (other counter)
                       │  └─close (end of the day)──► closed
                       └──requeue── called, serving, absent, closed

* **hand_in**: the slip is scanned at the desk (or a desk ticket is made): the case joins the
  queue.
* **call** (a counter): the queue calls it. **recall**: call it again to the same counter (the
  resident did not come yet). **transfer** (another counter): send the resident there.
* **start** / **done**: service at the counter begins / ends. **absent**: called, but nobody came.
* **requeue**: back to the end of the queue (went to fetch a paper, came back after being
  marked absent, or came back another day with the same slip).
* **close**: the day ended before the case was served (end of the day, automatic or "Kết thúc
  ngày"): counted apart as not served, never called again unless staff requeue it.

Every move is a journal event (``EVENT_OF``); the state of a case is its events folded by
``replay``. A move that is not legal now is refused (``IllegalMove``), so "done then absent" or
"start before call" cannot be recorded, and the desk page offers only ``legal(life)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    """Recorded (the slip printed) but not handed in at the desk."""
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    ABSENT = "absent"
    CLOSED = "closed"
    """The day ended before the case was served."""


OPEN = frozenset({Status.WAITING, Status.CALLED, Status.SERVING})
"""Statuses in which a case belongs to today's queue or a counter."""
AT_COUNTER = frozenset({Status.CALLED, Status.SERVING})


class Move(StrEnum):
    HAND_IN = "hand_in"
    CALL = "call"
    RECALL = "recall"
    START = "start"
    DONE = "done"
    ABSENT = "absent"
    TRANSFER = "transfer"
    REQUEUE = "requeue"
    CLOSE = "close"


EVENT_OF: dict[Move, str] = {
    Move.HAND_IN: "handed_off",
    Move.CALL: "called",
    Move.RECALL: "called",
    Move.START: "started",
    Move.DONE: "done",
    Move.ABSENT: "absent",
    Move.TRANSFER: "transferred",
    Move.REQUEUE: "requeued",
    Move.CLOSE: "closed",
}
"""The journal event each move records (a recall is recorded as another "called")."""

QUEUE_EVENTS = frozenset(EVENT_OF.values())
"""Journal event kinds that move a case; others (printed, satisfaction) do not."""

NEEDS_COUNTER = frozenset({Move.CALL, Move.TRANSFER})

TABLE: dict[Status, dict[Move, Status]] = {
    Status.NEW: {Move.HAND_IN: Status.WAITING},
    Status.WAITING: {Move.CALL: Status.CALLED, Move.CLOSE: Status.CLOSED},
    Status.CALLED: {
        Move.START: Status.SERVING,
        Move.RECALL: Status.CALLED,
        Move.ABSENT: Status.ABSENT,
        Move.TRANSFER: Status.CALLED,
        Move.REQUEUE: Status.WAITING,
        Move.CLOSE: Status.CLOSED,
    },
    Status.SERVING: {
        Move.DONE: Status.DONE,
        Move.TRANSFER: Status.CALLED,
        Move.REQUEUE: Status.WAITING,
        Move.CLOSE: Status.CLOSED,
    },
    Status.DONE: {},
    Status.ABSENT: {Move.REQUEUE: Status.WAITING},
    Status.CLOSED: {Move.REQUEUE: Status.WAITING},
}
"""status → move → next status. Anything not listed is illegal."""


@dataclass(frozen=True, slots=True)
class Life:
    """Where a case is now."""

    status: Status = Status.NEW
    counter: int | None = None
    """The counter it was called or transferred to (called, serving); None otherwise."""


class IllegalMove(ValueError):
    """A move that the case's state does not allow. ``why``: "order" (not now), "counter" (no
    counter given, or a transfer to the counter it is already at)."""

    def __init__(self, life: Life, move: Move, why: str) -> None:
        super().__init__(f"cannot {move.value} a case that is {life.status.value} ({why})")
        self.life = life
        self.move = move
        self.why = why


def legal(life: Life) -> tuple[Move, ...]:
    """The moves allowed now, in the order a page shows them."""
    return tuple(TABLE[life.status])


def step(life: Life, move: Move, counter: int | None = None) -> Life:
    """The case after ``move``. Raises IllegalMove. ``counter``: for call and transfer."""
    after = TABLE[life.status].get(move)
    if after is None:
        raise IllegalMove(life, move, "order")
    if move in NEEDS_COUNTER:
        if counter is None or (move is Move.TRANSFER and counter == life.counter):
            raise IllegalMove(life, move, "counter")
        return Life(after, counter)
    if after in AT_COUNTER:
        return Life(after, life.counter)
    return Life(after, None)


def move_of(life: Life, kind: str) -> Move | None:
    """The move a journal event ``kind`` records, seen from ``life`` ("called" is a recall when
    the case is already called); None for events that do not move a case."""
    if kind == "called":
        return Move.RECALL if life.status is Status.CALLED else Move.CALL
    for move, event in EVENT_OF.items():
        if event == kind:
            return move
    return None


def replay(events: Iterable[tuple[str, int | None]]) -> Life:
    """The life after events (kind, counter), oldest first. Events that move nothing are
    skipped; so is a move that was not legal at its place (journals written before the state
    machine existed may hold "done" then "absent": the first end stands)."""
    life = Life()
    for kind, counter in events:
        move = move_of(life, kind)
        if move is None:
            continue
        try:
            life = step(life, move, counter)
        except IllegalMove:
            continue
    return life


def service_day(moment: datetime, start_hour: int = 0) -> date:
    """The centre's working day that ``moment`` belongs to: a day runs from ``start_hour``
    o'clock to the same hour the next morning (0: midnight to midnight)."""
    if not 0 <= start_hour <= 23:
        raise ValueError(f"day start hour {start_hour}: expected 0..23")
    return (moment - timedelta(hours=start_hour)).date()
