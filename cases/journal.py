"""The case journal: one SQLite file shared by the terminal and the desk.

What it keeps: each case (procedure, papers had and which alternative of a paper, priority
reason, needs, delivery, ticket, the
signed QR payload, times), what happened to it (printed, handed off at the desk, called to a
counter, service started and done, absent, transferred, the satisfaction answer) and generic
events (e.g. "printer out of paper"). It never keeps who: no name, no ID-card number, no phone.

Durability: WAL mode with ``synchronous=FULL``, so a method that writes returns only after the
change is on disk; a power cut after the slip prints cannot lose the case. Several processes
(terminal and desk) use the file at once: writes run inside ``BEGIN IMMEDIATE`` with a busy
timeout, and ticket numbers are taken inside that transaction so they never repeat.

Schema changes: ``PRAGMA user_version`` holds the schema version; ``MIGRATIONS[i]`` takes a file
from version ``i`` to ``i + 1``. Never edit a released migration; append a new one.
"""

from __future__ import annotations

import functools
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from cases.case import DESK_TERMINAL_ID, FEEDBACK_TOPICS, MAX_SEQUENCE, Case, Ticket, centre_number
from cases.life import (
    EVENT_OF,
    OPEN,
    QUEUE_EVENTS,
    IllegalMove,
    Life,
    Move,
    Status,
    move_of,
    service_day,
    step,
)
from procedures.model import SERVICES_GROUP

CHANNELS = ("terminal", "desk")
"""Where a case was made: on a terminal (slip) or by staff at the desk."""

CASE_EVENT_KINDS = (
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
)
"""What can happen to a case. The queue events (``cases.life.QUEUE_EVENTS``) are written only
through ``Journal.move``, which keeps them in a legal order."""

SATISFACTION_ANSWERS = ("satisfied", "neutral", "unsatisfied", "skipped")

STREAMS = ("cases", "case_events", "events")
"""The tables a terminal forwards to the centre's hub, each in the order of its row ids."""

MAX_TICKET = MAX_SEQUENCE
"""Ticket counts run 1..999 per terminal, per day and per prefix (U priority, A normal)."""

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process's transaction before giving up."""


class JournalError(Exception):
    """The journal cannot be used: read-only, disk full, corrupt, locked, or a bad argument.

    ``str(e)`` is one plain English sentence naming the file and what to do (for logs and
    technicians); ``kind`` names the fault for a message in the staff's language: readonly,
    full, corrupt, locked, cantopen, failed, or "" (a bad argument, a missing case).
    """

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One case as stored (no personal identifier exists to store)."""

    id: int
    terminal_id: str
    day: str
    """YYYY-MM-DD of the case's creation (local time)."""
    ticket_label: str
    """E.g. "U012"."""
    ticket_number: int
    priority: str
    """A ``cases.case.Priority`` value; "none" for an ordinary ticket."""
    procedure_code: str
    group: str
    """Procedure group id, "" when the procedure was not in the catalogue at recording time."""
    have_mask: int
    """Bit i set: the resident has paper i (catalogue order)."""
    paper_count: int
    missing_count: int
    needs: tuple[str, ...]
    """``cases.case.Need`` values, sorted."""
    delivery: str
    channel: str
    """"terminal" or "desk"."""
    payload: str
    created_at: datetime
    """When the case was made (from the case itself)."""
    recorded_at: datetime
    """When the journal stored it."""
    skip_mask: int = 0
    """Bit i set: paper i does not apply to this resident (neither had nor missing)."""
    chosen_text: str = ""
    """For papers any one of several things will do for: "paper:alternative" pairs (indexes),
    comma-separated in paper order, e.g. "2:1"; see ``chosen``."""
    service: str = ""
    """The centre's service the visit was about (``Case.service``); "" for a procedure."""
    topic: str = ""
    """For feedback: its topic (``cases.case.FEEDBACK_TOPICS``)."""

    @property
    def have(self) -> tuple[bool, ...]:
        return tuple(bool(self.have_mask >> i & 1) for i in range(self.paper_count))

    @property
    def not_needed(self) -> frozenset[int]:
        return frozenset(i for i in range(self.paper_count) if self.skip_mask >> i & 1)

    @property
    def chosen(self) -> frozenset[tuple[int, int]]:
        """(paper index, alternative index) of the alternative the resident has, per paper."""
        return parse_chosen(self.chosen_text)

    def chosen_for(self, paper: int) -> int | None:
        """Index of the alternative the resident has for ``paper``, or None."""
        return next((k for i, k in self.chosen if i == paper), None)

    @property
    def is_priority(self) -> bool:
        return self.priority != "none"


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """Something that happened to a case."""

    id: int
    """Increases with every event in the file: use it to order events, not ``at``."""
    case_id: int
    kind: str
    """One of ``CASE_EVENT_KINDS``."""
    at: datetime
    counter: int | None = None
    """The counter for "called" and "transferred" (to)."""
    ok: bool | None = None
    """For "printed": did the slip print."""
    detail: str = ""
    """For "printed": the problem; for "satisfaction": the answer."""


@dataclass(frozen=True, slots=True)
class OpenCase:
    """A case in today's queue or at a counter, as the queue needs it."""

    case_id: int
    status: Status
    """waiting, called or serving."""
    counter: int | None
    priority: bool
    """A priority ticket (U...)."""
    arrived: int
    """Queue position: the event id of its hand-in (or of its requeue)."""
    arrived_at: datetime
    day: str
    """The working day (YYYY-MM-DD) it joined the queue."""
    passed: int
    """How often a ticket that came later was called while it waited (ordinary tickets)."""
    ticket_label: str
    procedure_code: str
    reason: str
    """The priority reason (``cases.case.Priority`` value)."""
    service: str = ""
    """The service it is about ("" for a procedure): which counters may call it."""


@dataclass(frozen=True, slots=True)
class Feedback:
    """A resident's feedback (phản ánh, kiến nghị) given at a terminal: what it is about, when,
    where, whether an officer is to call back, and what staff did with it. No words of hers;
    the call-back number lives apart (``Journal.callback_phone``) until the call is made."""

    ref: str
    """Its own random id (hex), the same on the terminal and at the hub."""
    topic: str
    """One of ``cases.case.FEEDBACK_TOPICS``."""
    call_back: bool
    """She asked an officer to call her back (and gave a phone number)."""
    ticket: str
    """The ticket of the visit ("" when none)."""
    at: datetime
    origin: str
    """The terminal it was given at ("" for this machine's own)."""
    done_at: datetime | None = None
    """When staff marked it done (the call made, or dealt with): None while open."""
    done_counter: int | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A generic event not tied to a case (printer problems, desk sign-ins, start-ups)."""

    id: int
    kind: str
    detail: str
    at: datetime
    origin: str = ""
    """The terminal that recorded it and forwarded it to this hub; "" when recorded here."""


# --- schema --------------------------------------------------------------------------------------


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the caller's transaction (``executescript`` would
    commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    """The first release."""
    _run_script(
        conn,
        """
        CREATE TABLE tickets (
            terminal_id TEXT NOT NULL,
            day TEXT NOT NULL,
            prefix TEXT NOT NULL CHECK (prefix IN ('U', 'A')),
            last INTEGER NOT NULL,
            PRIMARY KEY (terminal_id, day, prefix)
        );
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            terminal_id TEXT NOT NULL,
            day TEXT NOT NULL,
            ticket_label TEXT NOT NULL,
            ticket_number INTEGER NOT NULL,
            priority TEXT NOT NULL,
            procedure_code TEXT NOT NULL,
            procedure_group TEXT NOT NULL DEFAULT '',
            have_mask INTEGER NOT NULL,
            paper_count INTEGER NOT NULL,
            missing_count INTEGER NOT NULL,
            needs TEXT NOT NULL DEFAULT '',
            delivery TEXT NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('terminal', 'desk')),
            payload TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE TABLE case_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            counter INTEGER,
            ok INTEGER,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        );
        """
    )


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    """Indexes for the desk queue and the monthly report."""
    _run_script(
        conn,
        """
        CREATE INDEX IF NOT EXISTS cases_day ON cases(day);
        CREATE INDEX IF NOT EXISTS case_events_case ON case_events(case_id, id);
        CREATE INDEX IF NOT EXISTS case_events_kind ON case_events(kind, id);
        """
    )


def _migrate_to_3(conn: sqlite3.Connection) -> None:
    """Papers that do not apply to the resident (bit i: paper i is not needed in their case)."""
    _run_script(conn, "ALTER TABLE cases ADD COLUMN skip_mask INTEGER NOT NULL DEFAULT 0;")


def _migrate_to_4(conn: sqlite3.Connection) -> None:
    """Where each case is in its life (``cases.life``), kept beside its events so the queue is
    read from the open cases alone, whatever the history: status, counter, queue position
    (``arrived``: the event id of the hand-in or requeue), how often it was passed over, and the
    working day it joined the queue. Filled from the events already recorded."""
    _run_script(
        conn,
        """
        CREATE TABLE case_state (
            case_id INTEGER PRIMARY KEY REFERENCES cases(id),
            status TEXT NOT NULL,
            counter INTEGER,
            priority INTEGER NOT NULL,
            arrived INTEGER NOT NULL,
            arrived_at TEXT NOT NULL,
            day TEXT NOT NULL,
            passed INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL
        );
        CREATE INDEX case_state_status ON case_state(status, arrived, day, priority, passed);
        """
    )
    lives: dict[int, list[tuple[int, str, int | None, str]]] = {}
    for event_id, case_id, kind, counter, at in conn.execute(
        "SELECT id, case_id, kind, counter, at FROM case_events ORDER BY id"
    ):
        if kind in QUEUE_EVENTS:
            lives.setdefault(case_id, []).append((event_id, kind, counter, at))
    first_calls: list[tuple[int, int]] = []  # (call event id, arrival of the called case)
    rows = []
    for case_id, events in lives.items():
        life, arrived, arrived_at, first_call = Life(), 0, "", True
        for event_id, kind, counter, at in events:
            move = move_of(life, kind)
            try:
                life = step(life, move, counter) if move else life
            except IllegalMove:
                continue
            if move in (Move.HAND_IN, Move.REQUEUE):
                arrived, arrived_at, first_call = event_id, at, True
            elif move is Move.CALL and first_call:
                first_calls.append((event_id, arrived))
                first_call = False
        if arrived:
            rows.append([case_id, str(life.status), life.counter, arrived, arrived_at,
                         events[-1][0]])
    for row in rows:
        case_id, status, _, arrived = row[:4]
        priority, day = conn.execute(
            "SELECT priority != 'none', day FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        passed = 0
        if status == "waiting":
            passed = sum(1 for call, theirs in first_calls if call > arrived and theirs > arrived)
        conn.execute(
            "INSERT INTO case_state(case_id, status, counter, priority, arrived, arrived_at, "
            "day, passed, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (case_id, status, row[2], int(priority), arrived, row[4], day, passed, row[5]),
        )


def _migrate_to_5(conn: sqlite3.Connection) -> None:
    """One centre record (``cases.centre``): the file's own id, which terminal recorded a
    forwarded event, and what each terminal has sent to this hub (``peers``)."""
    _run_script(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        ALTER TABLE events ADD COLUMN origin TEXT NOT NULL DEFAULT '';
        CREATE INDEX IF NOT EXISTS events_kind ON events(kind, at);
        CREATE TABLE peers (
            journal_id TEXT PRIMARY KEY,
            terminal_id TEXT NOT NULL,
            local INTEGER NOT NULL DEFAULT 0,
            cases INTEGER NOT NULL DEFAULT 0,
            case_events INTEGER NOT NULL DEFAULT 0,
            events INTEGER NOT NULL DEFAULT 0,
            head_cases INTEGER NOT NULL DEFAULT 0,
            head_case_events INTEGER NOT NULL DEFAULT 0,
            head_events INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            complete_at TEXT,
            clock_offset REAL NOT NULL DEFAULT 0
        );
        """
    )
    conn.execute("INSERT INTO meta(key, value) VALUES ('journal_id', ?)", (secrets.token_hex(16),))


def _migrate_to_6(conn: sqlite3.Connection) -> None:
    """Which alternative of a paper the resident has ("2:1" = paper 2 through alternative 1)."""
    _run_script(conn, "ALTER TABLE cases ADD COLUMN chosen TEXT NOT NULL DEFAULT '';")


def _migrate_to_7(conn: sqlite3.Connection) -> None:
    """Every reason a resident comes (issue 18): the service a case is about ("" for a
    procedure) and, for feedback, its topic; the service beside the queue keys, so a counter
    calls only what it serves; the call-back phone numbers of feedback (kept apart from every
    forwarded table, and only until the call is made); which services each counter serves (set
    on the desk's page)."""
    _run_script(
        conn,
        """
        ALTER TABLE cases ADD COLUMN service TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN topic TEXT NOT NULL DEFAULT '';
        ALTER TABLE case_state ADD COLUMN service TEXT NOT NULL DEFAULT '';
        DROP INDEX case_state_status;
        CREATE INDEX case_state_status
            ON case_state(status, arrived, day, priority, passed, service);
        CREATE TABLE callbacks (
            ref TEXT PRIMARY KEY,
            phone TEXT NOT NULL,
            at TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE counters (
            number INTEGER PRIMARY KEY,
            serves TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
        """
    )


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migrate_to_1,
    _migrate_to_2,
    _migrate_to_3,
    _migrate_to_4,
    _migrate_to_5,
    _migrate_to_6,
    _migrate_to_7,
)
"""``MIGRATIONS[i]`` upgrades a file from schema version ``i`` to ``i + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> int:
    """Bring an open connection to schema version ``upto``; returns the version found before.

    Each step runs in its own ``BEGIN IMMEDIATE`` transaction with the version bump, so a crash
    mid-way leaves a consistent file at an earlier version.
    """
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise JournalError(
            f"the journal has schema version {found}, newer than this program knows "
            f"({SCHEMA_VERSION}); update hotro",
            "newer",
        )
    for version in range(found, upto):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            now = conn.execute("PRAGMA user_version").fetchone()[0]
            if now > version:
                conn.execute("COMMIT")
                continue
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return found


# --- errors --------------------------------------------------------------------------------------


def _explain(path: Path, exc: sqlite3.Error) -> JournalError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if "READONLY" in name or "readonly" in text or "read-only" in text:
        kind = "readonly"
        why = (
            f"the journal {path} is read-only; give the hotro user write permission on the "
            "file and its folder (SQLite also writes -wal and -shm files beside it)"
        )
    elif "FULL" in name or "disk is full" in text:
        kind = "full"
        why = f"the disk holding the journal {path} is full; free some space, then try again"
    elif "NOTADB" in name or "CORRUPT" in name or "not a database" in text or "malformed" in text:
        kind = "corrupt"
        why = (
            f"the journal {path} is corrupt or not a journal file; move it aside and restore the "
            "last backup (hotro will start a new journal if the file is missing)"
        )
    elif "BUSY" in name or "LOCKED" in name or "locked" in text:
        kind = "locked"
        why = (
            f"the journal {path} stayed locked by another process for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; check for a stuck hotro process"
        )
    elif "CANTOPEN" in name or "unable to open" in text:
        kind = "cantopen"
        why = f"cannot open the journal {path}; check that its folder exists and is writable"
    else:
        kind = "failed"
        why = f"the journal {path} failed: {text}"
    err = JournalError(why, kind)
    err.__cause__ = exc
    return err


# --- the journal ---------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@functools.cache
def _shipped_groups() -> dict[str, str]:
    from procedures.catalogue import load_catalogue

    return {code: p.group for code, p in load_catalogue().procedures.items()}


def _group_of(code: str) -> str:
    """The group of a procedure in the shipped catalogue, "" when unknown."""
    try:
        return _shipped_groups().get(code, "")
    except Exception:  # noqa: BLE001 - a broken catalogue must never stop a case being recorded
        return ""


class Journal:
    """The journal file. Thread-safe; several processes may open the same file."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], datetime] | None = None,
        group_of: Callable[[str], str] | None = None,
        day_start_hour: int = 0,
    ) -> None:
        """Open (create, migrate) the journal at ``path``.

        ``clock`` gives local time for event stamps (tests pass a fake); ``group_of`` maps a
        procedure code to its group id (default: the shipped catalogue); ``day_start_hour``:
        the hour the centre's working day begins (``cases.life.service_day``), which decides
        the day of a case, of its ticket numbers and of the queue.
        """
        self.path = Path(path)
        self._clock = clock or (lambda: datetime.now().replace(microsecond=0))
        self._group_of = group_of or _group_of
        service_day(datetime(2026, 1, 1), day_start_hour)  # ValueError when out of range
        self.day_start_hour = day_start_hour
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(
                f"cannot create the folder {self.path.parent} for the journal ({exc.strerror})",
                "cantopen",
            ) from None
        try:
            self._conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise _explain(self.path, exc) from None
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise JournalError(
                    f"the journal {self.path} cannot use WAL mode (got {mode!r}); "
                    "keep it on a local disk, not a network share",
                    "failed",
                )
            self._conn.execute("PRAGMA synchronous = FULL")
            # what is deleted is overwritten (a call-back number once the call is made)
            self._conn.execute("PRAGMA secure_delete = ON")
            migrate(self._conn)
        except sqlite3.Error as exc:
            self._conn.close()
            raise _explain(self.path, exc) from None
        except JournalError:
            self._conn.close()
            raise

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One durable write transaction (BEGIN IMMEDIATE ... COMMIT)."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise _explain(self.path, exc) from None

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise _explain(self.path, exc) from None

    def now(self) -> datetime:
        """The journal's clock (local time, to the second)."""
        return self._clock()

    def today(self) -> date:
        """The working day it is now (see ``day_start_hour``)."""
        return service_day(self._clock(), self.day_start_hour)

    def day_of(self, moment: datetime) -> date:
        """The working day ``moment`` belongs to."""
        return service_day(moment, self.day_start_hour)

    # -- the contract (terminal) ----------------------------------------------------------------

    def next_ticket(
        self, terminal_id: str, priority: bool, day: date | None = None, *,
        origin: int | None = None,
    ) -> Ticket:
        """The next ticket for ``terminal_id`` today (or ``day``); never repeats, even across
        processes and restarts. Raises JournalError when the day's 999 numbers are used up.

        ``origin``: the machine's number in the centre (terminal 1..9, desk 0): the ticket's
        number is then ``cases.case.centre_number`` (e.g. A-105 for the fifth ordinary ticket of
        terminal 1), unique in the centre; None: the plain count of the day. The desk
        (``DESK_TERMINAL_ID``) keeps one count for priority and ordinary tickets (Q-001...)."""
        day = day or self.today()
        desk = terminal_id == DESK_TERMINAL_ID
        prefix = "U" if priority and not desk else "A"
        with self._write() as conn:
            conn.execute(
                "INSERT INTO tickets(terminal_id, day, prefix, last) VALUES (?, ?, ?, 0) "
                "ON CONFLICT(terminal_id, day, prefix) DO NOTHING",
                (terminal_id, day.isoformat(), prefix),
            )
            last = conn.execute(
                "UPDATE tickets SET last = last + 1 WHERE terminal_id = ? AND day = ? "
                "AND prefix = ? RETURNING last",
                (terminal_id, day.isoformat(), prefix),
            ).fetchone()[0]
            if last > MAX_TICKET:
                raise JournalError(
                    f"terminal {terminal_id} has used all {MAX_TICKET} {prefix} tickets for "
                    f"{day.isoformat()}",
                    "tickets",
                )
        number = last if origin is None else centre_number(origin, last)
        return Ticket(number=number, priority=priority, desk=desk)

    def record_case(self, case: Case, payload: str, channel: str = "terminal") -> int:
        """Store ``case`` with its QR ``payload``; durable on return. Returns the case id.

        Recording the same payload again returns the existing id and changes nothing.
        """
        if channel not in CHANNELS:
            raise JournalError(f"channel {channel!r} is not allowed; expected one of {CHANNELS}")
        if not payload:
            raise JournalError("a case needs its QR payload (empty payload given)")
        mask = sum(1 << i for i, has in enumerate(case.have) if has)
        skip = sum(1 << i for i in case.not_needed)
        chosen = format_chosen(case.chosen)
        group = SERVICES_GROUP if case.service else self._group_of(case.procedure_code)
        with self._write() as conn:
            row = conn.execute("SELECT id FROM cases WHERE payload = ?", (payload,)).fetchone()
            if row is not None:
                return int(row[0])
            cur = conn.execute(
                "INSERT INTO cases(terminal_id, day, ticket_label, ticket_number, priority, "
                "procedure_code, procedure_group, have_mask, paper_count, missing_count, needs, "
                "delivery, channel, payload, created_at, recorded_at, skip_mask, chosen, service, "
                "topic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case.terminal_id,
                    self.day_of(case.created).isoformat(),
                    case.ticket.label,
                    case.ticket.number,
                    str(case.priority),
                    case.procedure_code,
                    group,
                    mask,
                    len(case.have),
                    len(case.missing),
                    ",".join(sorted(str(n) for n in case.needs)),
                    str(case.delivery),
                    channel,
                    payload,
                    _iso(case.created),
                    _iso(self._clock()),
                    skip,
                    chosen,
                    case.service,
                    case.topic,
                ),
            )
            return int(cur.lastrowid)

    def record_print(self, case_id: int, ok: bool, problem: str | None = None) -> None:
        """The slip for ``case_id`` printed (``ok``) or not (``problem``)."""
        self.record_case_event(case_id, "printed", ok=ok, detail=problem or "")

    def record_satisfaction(self, case_id: int, answer: str) -> None:
        """The resident's answer: satisfied, neutral, unsatisfied or skipped."""
        if answer not in SATISFACTION_ANSWERS:
            raise JournalError(
                f"satisfaction answer {answer!r} is not allowed; expected one of "
                f"{SATISFACTION_ANSWERS}"
            )
        self.record_case_event(case_id, "satisfaction", detail=answer)

    def record_event(self, kind: str, detail: str = "", origin: str = "") -> int:
        """A generic event (no case), e.g. ``record_event("printer", "paper_out")``; ``origin``:
        the terminal it happened on ("" when it is this machine's own). Returns its id."""
        if not kind:
            raise JournalError("an event needs a kind")
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO events(kind, detail, at, origin) VALUES (?, ?, ?, ?)",
                (kind, detail, _iso(self._clock()), origin),
            )
            return int(cur.lastrowid)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the desk -------------------------------------------------------------------------------

    def record_case_event(
        self,
        case_id: int,
        kind: str,
        *,
        counter: int | None = None,
        ok: bool | None = None,
        detail: str = "",
    ) -> int:
        """Append an event to a case; durable on return. Returns the event id.

        A queue event (handed_off, called, ...) goes through ``move`` and raises IllegalMove
        when the case's life does not allow it now."""
        if kind not in CASE_EVENT_KINDS:
            raise JournalError(
                f"case event {kind!r} is not allowed; expected one of {CASE_EVENT_KINDS}"
            )
        if kind in QUEUE_EVENTS:
            move = move_of(self.life(case_id), kind)
            assert move is not None
            return self.move(case_id, move, counter)[0]
        with self._write() as conn:
            self._case_exists(conn, case_id)
            return self._insert_event(conn, case_id, kind, _iso(self._clock()), counter, ok,
                                      detail)

    def _case_exists(self, conn: sqlite3.Connection, case_id: int) -> None:
        if not 0 < case_id < 2**63 or conn.execute(
            "SELECT 1 FROM cases WHERE id = ?", (case_id,)
        ).fetchone() is None:
            raise JournalError(f"there is no case {case_id} in the journal {self.path}")

    @staticmethod
    def _insert_event(
        conn: sqlite3.Connection, case_id: int, kind: str, at: str, counter: int | None = None,
        ok: bool | None = None, detail: str = "",
    ) -> int:
        cur = conn.execute(
            "INSERT INTO case_events(case_id, kind, at, counter, ok, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (case_id, kind, at, counter, None if ok is None else int(ok), detail),
        )
        return int(cur.lastrowid)

    def record_handoff(self, case_id: int) -> bool:
        """The resident handed the slip in at the desk. Returns False (and records nothing) when
        the case was handed in before (whatever became of it since)."""
        try:
            self.move(case_id, Move.HAND_IN)
        except IllegalMove:
            return False
        return True

    # -- the case's life (cases.life) ------------------------------------------------------------

    def life(self, case_id: int) -> Life:
        """Where the case is now (``Status.NEW`` when it never joined the queue)."""
        rows = self._read("SELECT status, counter FROM case_state WHERE case_id = ?",
                          (case_id,)) if 0 < case_id < 2**63 else []
        return Life(Status(rows[0][0]), rows[0][1]) if rows else Life()

    def move(
        self, case_id: int, move: Move, counter: int | None = None, detail: str = ""
    ) -> tuple[int, Life]:
        """Move a case (``cases.life.step``) and record the event, in one transaction; durable
        on return. Returns (event id, the case's life after). Raises IllegalMove (nothing is
        recorded) or JournalError."""
        with self._write() as conn:
            self._case_exists(conn, case_id)
            return self._move(conn, case_id, move, counter, detail)

    def _move(
        self, conn: sqlite3.Connection, case_id: int, move: Move, counter: int | None,
        detail: str = "", serves: frozenset[str] | None = None,
    ) -> tuple[int, Life]:
        row = conn.execute(
            "SELECT status, counter, arrived FROM case_state WHERE case_id = ?", (case_id,)
        ).fetchone()
        life = Life(Status(row[0]), row[1]) if row else Life()
        after = step(life, move, counter)
        now = self._clock()
        at = _iso(now)
        event_id = self._insert_event(
            conn, case_id, EVENT_OF[move], at,
            after.counter if move in (Move.CALL, Move.RECALL, Move.TRANSFER) else None,
            detail=detail,
        )
        if move in (Move.HAND_IN, Move.REQUEUE):
            priority, service = conn.execute(
                "SELECT priority != 'none', service FROM cases WHERE id = ?", (case_id,)
            ).fetchone()
            conn.execute(
                "INSERT INTO case_state(case_id, status, counter, priority, arrived, arrived_at, "
                "day, passed, changed, service) VALUES (?, 'waiting', NULL, ?, ?, ?, ?, 0, ?, ?) "
                "ON CONFLICT(case_id) DO UPDATE SET status = 'waiting', counter = NULL, "
                "arrived = excluded.arrived, arrived_at = excluded.arrived_at, "
                "day = excluded.day, passed = 0, changed = excluded.changed",
                (case_id, int(priority), event_id, at, self.day_of(now).isoformat(), event_id,
                 service),
            )
            return event_id, after
        if move is Move.CALL:
            # every ticket still waiting that came before this one, and that the calling
            # counter could have called, is passed over once
            sql = ("UPDATE case_state SET passed = passed + 1 "
                   "WHERE status = 'waiting' AND arrived < ?")
            params: list[object] = [row[2]]
            if serves is not None:
                sql += f" AND service IN ({', '.join('?' * len(serves))})"
                params += sorted(serves)
            conn.execute(sql, params)
        conn.execute(
            "UPDATE case_state SET status = ?, counter = ?, changed = ? WHERE case_id = ?",
            (str(after.status), after.counter, event_id, case_id),
        )
        return event_id, after

    def open_cases(
        self, ids: Sequence[int] | None = None, statuses: Sequence[Status] = tuple(OPEN)
    ) -> list[OpenCase]:
        """Cases waiting, called or being served (only ``statuses``; only ``ids`` when given),
        in queue order (arrival); read from the open cases alone, so the cost does not grow
        with the finished history."""
        with self._lock:
            try:
                return self._open_in(self._conn, ids, statuses)
            except sqlite3.Error as exc:
                raise _explain(self.path, exc) from None

    def waiting(self) -> list[tuple[int, int, int, int, str]]:
        """(case id, priority (0/1), arrived, passed, service) of every case waiting today, in
        arrival order: all the queue rule needs, read from one index."""
        return self._read(_WAITING_SQL, (self.today().isoformat(),))  # SQLite's tuples as-is

    def call_next(
        self, counter: int, pick: Callable[[list[tuple[int, int, int, int, str]]], int | None],
        serves: frozenset[str] | None = None,
    ) -> OpenCase | None:
        """Call the case ``pick`` chooses (by its id) among today's waiting cases (as
        ``waiting`` gives them; only those whose service is in ``serves`` when given, "" for
        the procedures) to ``counter``, in one transaction: two counters, even in two
        processes, never call the same resident. Only the tickets the counter could have
        called count as passed over. Returns the case called, None when nobody waits."""
        with self._write() as conn:
            waiting = conn.execute(_WAITING_SQL, (self.today().isoformat(),)).fetchall()
            if serves is not None:
                waiting = [w for w in waiting if w[4] in serves]
            chosen = pick(waiting)
            if chosen is None:
                return None
            (case,) = self._open_in(conn, [chosen])
            self._move(conn, chosen, Move.CALL, counter, serves=serves)
            return case

    @staticmethod
    def _open_in(
        conn: sqlite3.Connection, ids: Sequence[int] | None = None,
        statuses: Sequence[Status] = tuple(OPEN),
    ) -> list[OpenCase]:
        where = f"s.status IN ({', '.join('?' * len(statuses))})"  # the status index: the
        params: list[object] = [str(status) for status in statuses]  # finished are not read
        if ids is not None:
            where += f" AND s.case_id IN ({', '.join('?' * len(ids))})"
            params += list(ids)
        return [
            _open_case(r)
            for r in conn.execute(f"{_OPEN_SQL} WHERE {where} ORDER BY s.arrived", params)
        ]

    def close_day(self, through: date | None = None) -> list[int]:
        """Close every open case whose working day is ``through`` or earlier (default: the
        days before today): each gets a "closed" event whose detail is the status it had
        (waiting, called, serving). Returns the ids of the cases closed."""
        last = (through or self.today() - timedelta(days=1)).isoformat()
        closed: list[int] = []
        with self._write() as conn:
            for case in self._open_in(conn):
                if case.day <= last:
                    self._move(conn, case.case_id, Move.CLOSE, None, str(case.status))
                    closed.append(case.case_id)
        return closed

    def stale_open_cases(self) -> bool:
        """Whether an open case belongs to a day before today (the day needs closing)."""
        return bool(self._read(
            "SELECT 1 FROM case_state WHERE status IN ('waiting', 'called', 'serving') "
            "AND day < ? LIMIT 1", (self.today().isoformat(),)
        ))

    def case(self, case_id: int) -> CaseRow | None:
        if not 0 < case_id < 2**63:
            return None
        rows = self._read(f"SELECT {_CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,))
        return _case_row(rows[0]) if rows else None

    def case_by_payload(self, payload: str) -> CaseRow | None:
        rows = self._read(f"SELECT {_CASE_COLUMNS} FROM cases WHERE payload = ?", (payload,))
        return _case_row(rows[0]) if rows else None

    def cases(self, first_day: str | None = None, last_day: str | None = None) -> list[CaseRow]:
        """Cases whose day is within ``first_day..last_day`` (inclusive, YYYY-MM-DD), by id."""
        sql = f"SELECT {_CASE_COLUMNS} FROM cases WHERE 1=1"
        params: list[object] = []
        if first_day is not None:
            sql += " AND day >= ?"
            params.append(first_day)
        if last_day is not None:
            sql += " AND day <= ?"
            params.append(last_day)
        return [_case_row(r) for r in self._read(sql + " ORDER BY id", params)]

    def events_of(self, case_id: int, kind: str | None = None) -> list[CaseEvent]:
        sql = f"SELECT {_EVENT_COLUMNS} FROM case_events WHERE case_id = ?"
        params: list[object] = [case_id]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        return [_case_event(r) for r in self._read(sql + " ORDER BY id", params)]

    def case_events(self, case_ids: Sequence[int] | None = None) -> list[CaseEvent]:
        """Events of the given cases (all cases when None), in the order they happened."""
        if case_ids is None:
            rows = self._read(f"SELECT {_EVENT_COLUMNS} FROM case_events ORDER BY id")
        else:
            rows = []
            ids = list(case_ids)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows += self._read(
                    f"SELECT {_EVENT_COLUMNS} FROM case_events WHERE case_id IN ({marks})", chunk
                )
            rows.sort(key=lambda r: r[0])
        return [_case_event(r) for r in rows]

    def events(
        self, kind: str | None = None, since: int = 0, at_or_after: datetime | None = None
    ) -> list[Event]:
        """Generic events (of ``kind``) with an id above ``since`` (and recorded at or after
        ``at_or_after``), oldest first."""
        sql = "SELECT id, kind, detail, at, origin FROM events WHERE id > ?"
        params: list[object] = [since]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        if at_or_after is not None:
            sql += " AND at >= ?"
            params.append(_iso(at_or_after))
        return [
            Event(int(i), k, d, datetime.fromisoformat(a), o)
            for i, k, d, a, o in self._read(sql + " ORDER BY id", params)
        ]

    @property
    def journal_id(self) -> str:
        """This file's own random id: records forwarded from it are known by (id, table, row)."""
        return str(self._read("SELECT value FROM meta WHERE key = 'journal_id'")[0][0])

    def new_journal_id(self) -> str:
        """Give the file a new id (its records are then forwarded again as another journal's:
        for a file restored from a backup that the hub has seen beyond)."""
        new = secrets.token_hex(16)
        with self._write() as conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'journal_id'", (new,))
        return new

    def heads(self) -> dict[str, int]:
        """The last row id of each forwarded table (0 when empty): ``signature`` by name."""
        return dict(zip(STREAMS, self.signature(), strict=True))

    def signature(self) -> tuple[int, int, int]:
        """The last row ids of cases, case events and events (``STREAMS``, in order): changes
        whenever anything is recorded, by this process or another (three index lookups in one
        query; cheap to poll)."""
        row = self._read(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM cases), "
            "(SELECT COALESCE(MAX(id), 0) FROM case_events), "
            "(SELECT COALESCE(MAX(id), 0) FROM events)"
        )[0]
        return int(row[0]), int(row[1]), int(row[2])

    def recent_calls(self, since: datetime, limit: int = 8) -> list[tuple[CaseEvent, str]]:
        """The latest calls to a counter ("called", also a recall, and "transferred") at or
        after ``since``, newest first, each with its ticket label."""
        # newest first along the row ids ("+" keeps SQLite off the kind index): it stops after
        # ``limit`` calls, however long the history
        rows = self._read(
            f"SELECT {', '.join('e.' + c for c in _EVENT_COLUMNS.split(', '))}, c.ticket_label "
            "FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE +e.kind IN ('called', 'transferred') ORDER BY e.id DESC LIMIT ?",
            (limit,),
        )
        return [(_case_event(r[:7]), r[7]) for r in rows if r[3] >= _iso(since)]

    # -- feedback, call-backs and counters (issue 18) ---------------------------------------------

    def record_feedback(
        self, topic: str, call_back: bool = False, phone: str = "", ticket: str = "",
        origin: str = "",
    ) -> str:
        """A resident's feedback, in one transaction: the event "feedback" (its ref, topic,
        whether she asked for a call back, the ticket; forwarded to the hub like every event)
        and, only when she asked for a call back, her phone number in ``callbacks`` (never a
        forwarded row: ``cases.centre`` hands it over apart and the terminal then deletes it).
        Returns the feedback's ref."""
        if topic not in FEEDBACK_TOPICS:
            raise JournalError(f"feedback topic {topic!r} is not one of {FEEDBACK_TOPICS}")
        if phone and (not call_back or not phone.isdigit() or not 8 <= len(phone) <= 12):
            raise JournalError("a call-back number is 8 to 12 digits, given with a call back")
        if call_back and not phone:
            raise JournalError("a call back needs the phone number to call")
        ref = secrets.token_hex(8)
        at = _iso(self._clock())
        with self._write() as conn:
            conn.execute(
                "INSERT INTO events(kind, detail, at, origin) VALUES ('feedback', ?, ?, ?)",
                (f"{ref} {topic} {int(call_back)} {ticket or '-'}", at, origin),
            )
            if phone:
                conn.execute(
                    "INSERT INTO callbacks(ref, phone, at, origin) VALUES (?, ?, ?, ?)",
                    (ref, phone, at, origin),
                )
        return ref

    def feedback(self, since: datetime | None = None) -> list[Feedback]:
        """The feedback recorded (at or after ``since``), oldest first, each with when staff
        closed it (if they have)."""
        done: dict[str, tuple[datetime, int | None]] = {}
        for e in self.events("feedback_done"):
            ref, _, counter = e.detail.partition(" ")
            done.setdefault(ref, (e.at, int(counter) if counter.isdigit() else None))
        out = []
        for e in self.events("feedback", at_or_after=since):
            parts = e.detail.split(" ")
            if len(parts) != 4 or parts[1] not in FEEDBACK_TOPICS:
                continue
            ref, topic, call, ticket = parts
            closed = done.get(ref)
            out.append(Feedback(
                ref, topic, call == "1", "" if ticket == "-" else ticket, e.at, e.origin,
                closed[0] if closed else None, closed[1] if closed else None,
            ))
        return out

    def callback_phones(self) -> dict[str, str]:
        """Ref → phone number of every call back not made yet (for signed-in staff only)."""
        return {ref: phone for ref, phone in self._read("SELECT ref, phone FROM callbacks")}

    def close_feedback(self, ref: str, counter: int | None = None) -> bool:
        """Staff have dealt with the feedback (the call is made): records "feedback_done" and
        deletes the call-back number for good (overwritten in the file, and the write-ahead
        log emptied: ``wipe``). False when there is no such feedback open."""
        if not re.fullmatch(r"[0-9a-f]{8,32}", ref):
            return False
        with self._lock:  # nobody in this process sees it closed before it is wiped
            with self._write() as conn:
                known = conn.execute(
                    "SELECT 1 FROM events WHERE kind = 'feedback' AND detail LIKE ?",
                    (ref + " %",),
                ).fetchone()
                if known is None or self._feedback_closed(conn, ref):
                    return False
                conn.execute(
                    "INSERT INTO events(kind, detail, at, origin) "
                    "VALUES ('feedback_done', ?, ?, '')",
                    (f"{ref} {counter or 0}", _iso(self._clock())),
                )
                conn.execute("DELETE FROM callbacks WHERE ref = ?", (ref,))
            self.wipe()
        return True

    @staticmethod
    def _feedback_closed(conn: sqlite3.Connection, ref: str) -> bool:
        return conn.execute(
            "SELECT 1 FROM events WHERE kind = 'feedback_done' AND detail LIKE ?", (ref + " %",)
        ).fetchone() is not None

    def pending_callbacks(self) -> list[dict[str, str]]:
        """The call-back numbers this journal holds (a terminal's, not yet handed to the hub):
        ref, phone, at, origin."""
        return [
            {"ref": r, "phone": p, "at": a, "origin": o}
            for r, p, a, o in self._read("SELECT ref, phone, at, origin FROM callbacks ORDER BY at")
        ]

    def forget_callbacks(self, refs: Sequence[str]) -> None:
        """Delete these call-back numbers (the hub has them now) and ``wipe``."""
        if not refs:
            return
        with self._lock:  # nobody in this process sees them gone before they are wiped
            with self._write() as conn:
                conn.executemany("DELETE FROM callbacks WHERE ref = ?", [(r,) for r in refs])
            self.wipe()

    def store_callbacks(
        self, conn: sqlite3.Connection, rows: Sequence[dict[str, str]], origin: str
    ) -> list[str]:
        """The hub keeps the call-back numbers a terminal hands over (inside the caller's
        transaction); one whose call is made already is not stored again. Returns the refs
        now safe at the hub (the terminal deletes its copies)."""
        kept = []
        for row in rows:
            ref = row["ref"]
            if not self._feedback_closed(conn, ref):
                conn.execute(
                    "INSERT INTO callbacks(ref, phone, at, origin) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(ref) DO NOTHING",
                    (ref, row["phone"], row["at"], row.get("origin") or origin),
                )
            kept.append(ref)
        return kept

    def wipe(self) -> bool:
        """Copy the write-ahead log into the file and empty it, so that what was deleted (and
        overwritten: ``secure_delete``) is nowhere on disk any more. False when another
        process was reading and the log could not be emptied now (the next wipe does it)."""
        with self._lock:
            try:
                busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.Error as exc:
                raise _explain(self.path, exc) from None
        return not busy

    def counter_services(self) -> dict[int, frozenset[str]]:
        """What each counter serves, as set on the desk's page (counter types, by number);
        counters not set there are not listed."""
        return {
            int(n): frozenset(t for t in serves.split(",") if t)
            for n, serves in self._read("SELECT number, serves FROM counters")
        }

    def set_counter_services(self, number: int, serves: Sequence[str]) -> None:
        """Counter ``number`` serves these counter types from now on."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO counters(number, serves, changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT(number) DO UPDATE SET serves = excluded.serves, "
                "changed_at = excluded.changed_at",
                (number, ",".join(sorted(set(serves))), _iso(self._clock())),
            )

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: "ok" when the file is sound."""
        return str(self._read("PRAGMA integrity_check")[0][0])

    def schema_version(self) -> int:
        return int(self._read("PRAGMA user_version")[0][0])


_CASE_COLUMNS = (
    "id, terminal_id, day, ticket_label, ticket_number, priority, procedure_code, "
    "procedure_group, have_mask, paper_count, missing_count, needs, delivery, channel, payload, "
    "created_at, recorded_at, skip_mask, chosen, service, topic"
)
_EVENT_COLUMNS = "id, case_id, kind, at, counter, ok, detail"
_OPEN_SQL = (
    "SELECT s.case_id, s.status, s.counter, s.priority, s.arrived, s.arrived_at, s.day, "
    "s.passed, c.ticket_label, c.procedure_code, c.priority, c.service "
    "FROM case_state s JOIN cases c ON c.id = s.case_id"
)
_WAITING_SQL = (
    "SELECT case_id, priority, arrived, passed, service FROM case_state "
    "WHERE status = 'waiting' AND day >= ? ORDER BY arrived"
)


def _open_case(r: tuple) -> OpenCase:
    return OpenCase(
        case_id=int(r[0]),
        status=Status(r[1]),
        counter=r[2],
        priority=bool(r[3]),
        arrived=int(r[4]),
        arrived_at=datetime.fromisoformat(r[5]),
        day=r[6],
        passed=int(r[7]),
        ticket_label=r[8],
        procedure_code=r[9],
        reason=r[10],
        service=r[11],
    )


def _case_row(r: tuple) -> CaseRow:
    return CaseRow(
        id=int(r[0]),
        terminal_id=r[1],
        day=r[2],
        ticket_label=r[3],
        ticket_number=int(r[4]),
        priority=r[5],
        procedure_code=r[6],
        group=r[7],
        have_mask=int(r[8]),
        paper_count=int(r[9]),
        missing_count=int(r[10]),
        needs=tuple(n for n in r[11].split(",") if n),
        delivery=r[12],
        channel=r[13],
        payload=r[14],
        created_at=datetime.fromisoformat(r[15]),
        recorded_at=datetime.fromisoformat(r[16]),
        skip_mask=int(r[17]),
        chosen_text=r[18],
        service=r[19],
        topic=r[20],
    )


def format_chosen(chosen: frozenset[tuple[int, int]]) -> str:
    """(paper, alternative) pairs as stored: "1:2,2:0" (paper order)."""
    return ",".join(f"{i}:{k}" for i, k in sorted(chosen))


def parse_chosen(text: str) -> frozenset[tuple[int, int]]:
    """The pairs of ``format_chosen``; anything unreadable is left out."""
    pairs = set()
    for item in text.split(","):
        paper, _, alternative = item.partition(":")
        if paper.isdigit() and alternative.isdigit():
            pairs.add((int(paper), int(alternative)))
    return frozenset(pairs)


def _case_event(r: tuple) -> CaseEvent:
    return CaseEvent(
        id=int(r[0]),
        case_id=int(r[1]),
        kind=r[2],
        at=datetime.fromisoformat(r[3]),
        counter=None if r[4] is None else int(r[4]),
        ok=None if r[5] is None else bool(r[5]),
        detail=r[6],
    )
