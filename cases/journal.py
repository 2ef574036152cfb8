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
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cases.case import Case, Ticket

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
)
"""What can happen to a case."""

SATISFACTION_ANSWERS = ("satisfied", "neutral", "unsatisfied", "skipped")

MAX_TICKET = 999
"""Ticket numbers run 1..999 per terminal, per day and per prefix (U priority, A normal)."""

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process's transaction before giving up."""


class JournalError(Exception):
    """The journal cannot be used: read-only, disk full, corrupt, locked, or a bad argument.

    ``str(e)`` is one plain English sentence naming the file and what to do.
    """


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
        return self.ticket_label.startswith("U")


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
class Event:
    """A generic event not tied to a case (printer problems, desk sign-ins, start-ups)."""

    id: int
    kind: str
    detail: str
    at: datetime


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
    """Which alternative of a paper the resident has ("2:1" = paper 2 through alternative 1)."""
    _run_script(conn, "ALTER TABLE cases ADD COLUMN chosen TEXT NOT NULL DEFAULT '';")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migrate_to_1,
    _migrate_to_2,
    _migrate_to_3,
    _migrate_to_4,
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
            f"({SCHEMA_VERSION}); update hotro"
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
        why = (
            f"the journal {path} is read-only; give the hotro user write permission on the "
            "file and its folder (SQLite also writes -wal and -shm files beside it)"
        )
    elif "FULL" in name or "disk is full" in text:
        why = f"the disk holding the journal {path} is full; free some space, then try again"
    elif "NOTADB" in name or "CORRUPT" in name or "not a database" in text or "malformed" in text:
        why = (
            f"the journal {path} is corrupt or not a journal file; move it aside and restore the "
            "last backup (hotro will start a new journal if the file is missing)"
        )
    elif "BUSY" in name or "LOCKED" in name or "locked" in text:
        why = (
            f"the journal {path} stayed locked by another process for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; check for a stuck hotro process"
        )
    elif "CANTOPEN" in name or "unable to open" in text:
        why = f"cannot open the journal {path}; check that its folder exists and is writable"
    else:
        why = f"the journal {path} failed: {text}"
    err = JournalError(why)
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
    ) -> None:
        """Open (create, migrate) the journal at ``path``.

        ``clock`` gives local time for event stamps (tests pass a fake); ``group_of`` maps a
        procedure code to its group id (default: the shipped catalogue).
        """
        self.path = Path(path)
        self._clock = clock or (lambda: datetime.now().replace(microsecond=0))
        self._group_of = group_of or _group_of
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(
                f"cannot create the folder {self.path.parent} for the journal ({exc.strerror})"
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
                    "keep it on a local disk, not a network share"
                )
            self._conn.execute("PRAGMA synchronous = FULL")
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

    # -- the contract (terminal) ----------------------------------------------------------------

    def next_ticket(self, terminal_id: str, priority: bool, day: date | None = None) -> Ticket:
        """The next ticket for ``terminal_id`` today (or ``day``); never repeats, even across
        processes and restarts. Raises JournalError when the day's 999 numbers are used up."""
        day = day or self._clock().date()
        prefix = "U" if priority else "A"
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
                    f"{day.isoformat()}"
                )
        return Ticket(number=last, priority=priority)

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
        group = self._group_of(case.procedure_code)
        with self._write() as conn:
            row = conn.execute("SELECT id FROM cases WHERE payload = ?", (payload,)).fetchone()
            if row is not None:
                return int(row[0])
            cur = conn.execute(
                "INSERT INTO cases(terminal_id, day, ticket_label, ticket_number, priority, "
                "procedure_code, procedure_group, have_mask, paper_count, missing_count, needs, "
                "delivery, channel, payload, created_at, recorded_at, skip_mask, chosen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case.terminal_id,
                    case.created.date().isoformat(),
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

    def record_event(self, kind: str, detail: str = "") -> None:
        """A generic event (no case), e.g. ``record_event("printer", "paper_out")``."""
        if not kind:
            raise JournalError("an event needs a kind")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO events(kind, detail, at) VALUES (?, ?, ?)",
                (kind, detail, _iso(self._clock())),
            )

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
        """Append an event to a case; durable on return. Returns the event id."""
        if kind not in CASE_EVENT_KINDS:
            raise JournalError(
                f"case event {kind!r} is not allowed; expected one of {CASE_EVENT_KINDS}"
            )
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise JournalError(f"there is no case {case_id} in the journal {self.path}")
            cur = conn.execute(
                "INSERT INTO case_events(case_id, kind, at, counter, ok, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    kind,
                    _iso(self._clock()),
                    counter,
                    None if ok is None else int(ok),
                    detail,
                ),
            )
            return int(cur.lastrowid)

    def record_handoff(self, case_id: int) -> bool:
        """The resident handed the slip in at the desk. Returns False (and records nothing) when
        the case was already handed off."""
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise JournalError(f"there is no case {case_id} in the journal {self.path}")
            seen = conn.execute(
                "SELECT 1 FROM case_events WHERE case_id = ? AND kind = 'handed_off'", (case_id,)
            ).fetchone()
            if seen is not None:
                return False
            conn.execute(
                "INSERT INTO case_events(case_id, kind, at) VALUES (?, 'handed_off', ?)",
                (case_id, _iso(self._clock())),
            )
            return True

    def case(self, case_id: int) -> CaseRow | None:
        rows = self._read(f"SELECT {_CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,))
        return _case_row(rows[0]) if rows else None

    def cases_by_ids(self, case_ids: Sequence[int]) -> dict[int, CaseRow]:
        """The cases with these ids (missing ids are left out)."""
        found: dict[int, CaseRow] = {}
        ids = list(case_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._read(f"SELECT {_CASE_COLUMNS} FROM cases WHERE id IN ({marks})", chunk):
                row = _case_row(r)
                found[row.id] = row
        return found

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

    def open_case_events(self) -> list[CaseEvent]:
        """Every event of every case that was handed off and has not ended (done or absent):
        what the desk queue is computed from."""
        rows = self._read(
            f"SELECT {_EVENT_COLUMNS} FROM case_events WHERE case_id IN ("
            "SELECT case_id FROM case_events WHERE kind = 'handed_off' "
            "EXCEPT SELECT case_id FROM case_events WHERE kind IN ('done', 'absent')) "
            "ORDER BY id"
        )
        return [_case_event(r) for r in rows]

    def first_calls_since(self, event_id: int) -> list[tuple[int, int]]:
        """For each case first called after event ``event_id``: (call event id, its handoff
        event id), in call order. What the fairness rule counts."""
        rows = self._read(
            "SELECT c.id, h.id FROM case_events c "
            "JOIN case_events h ON h.case_id = c.case_id AND h.kind = 'handed_off' "
            "WHERE c.kind = 'called' AND c.id > ? AND c.id = ("
            "SELECT MIN(id) FROM case_events WHERE case_id = c.case_id AND kind = 'called') "
            "ORDER BY c.id",
            (event_id,),
        )
        return [(int(a), int(b)) for a, b in rows]

    def events(self, kind: str | None = None) -> list[Event]:
        sql = "SELECT id, kind, detail, at FROM events"
        params: list[object] = []
        if kind is not None:
            sql += " WHERE kind = ?"
            params.append(kind)
        return [
            Event(int(i), k, d, datetime.fromisoformat(a))
            for i, k, d, a in self._read(sql + " ORDER BY id", params)
        ]

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: "ok" when the file is sound."""
        return str(self._read("PRAGMA integrity_check")[0][0])

    def schema_version(self) -> int:
        return int(self._read("PRAGMA user_version")[0][0])


_CASE_COLUMNS = (
    "id, terminal_id, day, ticket_label, ticket_number, priority, procedure_code, "
    "procedure_group, have_mask, paper_count, missing_count, needs, delivery, channel, payload, "
    "created_at, recorded_at, skip_mask, chosen"
)
_EVENT_COLUMNS = "id, case_id, kind, at, counter, ok, detail"


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
