"""One centre record: every terminal forwards what it records to the centre's hub.

A centre with several machines has one hub, the desk server (``hotro desk``), whose journal is
the centre's record. Each terminal keeps writing to its own journal first (a power cut or a dead
network loses nothing; the QR code still carries the case to the desk) and forwards every row of
its ``cases``, ``case_events`` and ``events`` tables to the hub as soon as the hub answers.

The protocol (``POST /hub/records``, JSON, one request at a time)::

    {"journal": "9f0c…",            # the terminal journal's own id (``Journal.journal_id``)
     "terminal": "T1",              # its terminal id
     "sent_at": "2026-11-23T09:12:30",   # the terminal's clock
     "after": {"cases": 41, "case_events": 97, "events": 12} | null,
     "heads": {"cases": 45, "case_events": 99, "events": 12},
     "cases": [{"id": 42, "payload": "H1-…", …every column of the row…}, …],
     "case_events": [{"id": 98, "payload": "H1-…" (its case), "kind": "printed", …}, …],
     "events": [{"id": 13, "kind": "call_staff", "detail": "paper", "at": "…"}, …]}

* **An id per record**: (journal id, table, row id). The hub keeps, per terminal journal, the
  last row id it stored of each table (``peers``), in the same transaction as the rows.
* **In order, nothing skipped**: a request says which rows it follows (``after``); when that is
  not exactly what the hub has, the hub stores nothing and answers 409 with its own cursors,
  and the terminal sends again from there. A case event is sent only after its case.
* **Idempotent**: a row the hub has is never stored twice (a request sent twice, a restart of
  either side after the hub stored but before the terminal heard back: the cursors say so;
  a case already scanned from its QR code at the desk is known by its payload).
* **Survives restarts**: nothing but the two journals holds the state.
* **Authenticated**: signed with the centre key (the key that signs the slips) as every request
  between a centre's machines is (``cases.signing``: an HMAC-SHA256 over the method, path, time
  and body); the hub accepts the current key and the retired keys still in their grace period,
  whatever the terminal's clock says (storing a row twice is impossible anyway). Nothing else
  can write to the hub.
* **Completeness**: ``heads`` are the terminal's last row ids; when the hub has stored up to
  them, the terminal has sent everything "up to now" (``peers.complete_at``), which the month
  report shows for every terminal.

``Forwarder`` is the terminal's side (a thread: retried with backoff while the hub is away, a
heartbeat when idle); ``ingest`` is the hub's.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cases.journal import STREAMS, Journal, _explain, _iso
from cases.life import QUEUE_EVENTS
from cases.signing import signed_headers

log = logging.getLogger("hotro.centre")

PATH = "/hub/records"
MAX_BODY = 4 * 1024 * 1024
"""Largest request the hub reads."""
BATCH = 200
"""Rows per request, at most (over the three tables)."""
_JOURNAL_ID = re.compile(r"[0-9a-f]{8,64}")
_TERMINAL = re.compile(r"[A-Z0-9]{1,4}")
_SKIP_COLUMNS = {"cases": {"id", "procedure_group"}, "case_events": {"id", "case_id"},
                 "events": {"id"}}
"""Columns the hub fills itself (its own ids; the group from its own catalogue)."""


class BatchError(ValueError):
    """A request the hub cannot take (malformed, or rows it cannot place). English, for logs."""


# -- the terminal's side: what to send ---------------------------------------------------------


def _rows(journal: Journal, sql: str, params: Sequence[object]) -> list[dict[str, Any]]:
    with journal._lock:
        try:
            cur = journal._conn.execute(sql, tuple(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        except sqlite3.Error as exc:
            raise _explain(journal.path, exc) from None


def outgoing(
    journal: Journal, after: dict[str, int], limit: int = BATCH
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The next rows to send after the cursors ``after``, and the cursors once they are
    stored. A case event comes only after its case (it stops at the first whose case is not
    sent yet, so none is ever skipped)."""
    cases = _rows(journal, "SELECT * FROM cases WHERE id > ? ORDER BY id LIMIT ?",
                  (after["cases"], limit))
    sent_cases = cases[-1]["id"] if cases else after["cases"]
    room = max(0, limit - len(cases))
    events_of_cases: list[dict[str, Any]] = []
    if room:
        for row in _rows(
            journal,
            "SELECT e.*, c.payload AS payload FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE e.id > ? ORDER BY e.id LIMIT ?",
            (after["case_events"], room),
        ):
            if row["case_id"] > sent_cases:
                break
            events_of_cases.append(row)
    room -= len(events_of_cases)
    events = _rows(journal, "SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?",
                   (after["events"], room)) if room else []
    batch = {"cases": cases, "case_events": events_of_cases, "events": events}
    cursors = {
        stream: rows[-1]["id"] if rows else after[stream] for stream, rows in batch.items()
    }
    return batch, cursors


# -- the hub's side ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Peer:
    """A journal that forwards to this hub (a terminal), or a terminal writing into this very
    journal (``local``: one machine for the terminal and the desk)."""

    journal_id: str
    terminal_id: str
    local: bool
    cursors: dict[str, int]
    """The last row id stored here, per table."""
    heads: dict[str, int]
    """The terminal's last row ids when it last called."""
    first_seen: datetime
    last_seen: datetime
    complete_at: datetime | None
    """When the hub last had everything the terminal had recorded (None: never yet)."""
    clock_offset: float
    """Seconds the hub's clock was ahead of the terminal's at the last call."""

    @property
    def pending(self) -> int:
        """Rows the terminal had not sent yet at its last call."""
        return sum(max(0, self.heads[s] - self.cursors[s]) for s in STREAMS)


def peers(journal: Journal) -> list[Peer]:
    """Every terminal that forwards to this journal, by terminal id."""
    rows = journal._read(
        "SELECT journal_id, terminal_id, local, cases, case_events, events, head_cases, "
        "head_case_events, head_events, first_seen, last_seen, complete_at, clock_offset "
        "FROM peers ORDER BY terminal_id, first_seen"
    )
    return [
        Peer(
            r[0], r[1], bool(r[2]), dict(zip(STREAMS, r[3:6], strict=True)),
            dict(zip(STREAMS, r[6:9], strict=True)), datetime.fromisoformat(r[9]),
            datetime.fromisoformat(r[10]), datetime.fromisoformat(r[11]) if r[11] else None,
            float(r[12]),
        )
        for r in rows
    ]


def note_local_terminal(journal: Journal, terminal_id: str) -> None:
    """A terminal that writes straight into this journal (no hub: one machine for terminal and
    desk) says so, so the report knows its records are all here."""
    now = _iso(journal.now())
    with journal._write() as conn:
        conn.execute(
            "INSERT INTO peers(journal_id, terminal_id, local, first_seen, last_seen, "
            "complete_at) VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT(journal_id) DO UPDATE SET "
            "terminal_id = excluded.terminal_id, local = 1, last_seen = excluded.last_seen, "
            "complete_at = excluded.complete_at",
            (journal.journal_id + ":" + terminal_id, terminal_id, now, now, now),
        )


def _cursor_dict(value: object, what: str) -> dict[str, int]:
    if not isinstance(value, dict) or set(value) != set(STREAMS) or not all(
        isinstance(value[s], int) and not isinstance(value[s], bool) and 0 <= value[s] < 2**63
        for s in STREAMS
    ):
        raise BatchError(f"{what} must give a row id for each of {', '.join(STREAMS)}")
    return {s: int(value[s]) for s in STREAMS}


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")} - _SKIP_COLUMNS[table]


def _values(row: dict[str, Any], columns: set[str], table: str) -> dict[str, Any]:
    out = {}
    for name in columns & set(row):
        value = row[name]
        if value is not None and not isinstance(value, str | int | float) or isinstance(
            value, bool
        ):
            raise BatchError(f"{table}.{name}: {value!r} is not a plain value")
        out[name] = value
    return out


def _ids(rows: object, table: str, after: int) -> list[dict[str, Any]]:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise BatchError(f"{table} must be a list of rows")
    last = after
    for row in rows:
        row_id = row.get("id")
        if not isinstance(row_id, int) or isinstance(row_id, bool) or row_id <= last:
            raise BatchError(f"{table}: row ids must grow after {last}, got {row_id!r}")
        last = row_id
    return rows


def ingest(
    journal: Journal, batch: object, now: datetime | None = None
) -> tuple[bool, dict[str, int]]:
    """Store a terminal's request (parsed JSON) in the hub's journal, in one transaction.

    Returns (True, cursors after) when stored; (False, the hub's cursors) when the request does
    not follow what the hub has (nothing stored). Raises BatchError for a malformed request,
    JournalError when the journal fails."""
    if not isinstance(batch, dict):
        raise BatchError("the request is not a JSON object")
    journal_id, terminal = batch.get("journal"), batch.get("terminal")
    if not isinstance(journal_id, str) or not _JOURNAL_ID.fullmatch(journal_id):
        raise BatchError("journal must be the journal's hex id")
    if not isinstance(terminal, str) or not _TERMINAL.fullmatch(terminal):
        raise BatchError("terminal must be 1 to 4 uppercase letters or digits")
    heads = _cursor_dict(batch.get("heads"), "heads")
    after = None if batch.get("after") is None else _cursor_dict(batch.get("after"), "after")
    if isinstance(batch.get("sent_at"), str):
        try:
            sent_at = datetime.fromisoformat(batch["sent_at"])
        except ValueError:
            raise BatchError("sent_at is not an ISO time") from None
    else:
        raise BatchError("sent_at is missing")
    moment = (now or journal.now()).replace(microsecond=0)
    offset = (moment - sent_at).total_seconds()
    with journal._write() as conn:
        found = conn.execute(
            "SELECT cases, case_events, events FROM peers WHERE journal_id = ?", (journal_id,)
        ).fetchone()
        cursors = dict(zip(STREAMS, found or (0, 0, 0), strict=True))
        if found is None:
            conn.execute(
                "INSERT INTO peers(journal_id, terminal_id, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?)",
                (journal_id, terminal, _iso(moment), _iso(moment)),
            )
        if after != cursors:
            conn.execute(
                "UPDATE peers SET last_seen = ?, terminal_id = ? WHERE journal_id = ?",
                (_iso(moment), terminal, journal_id),
            )
            return False, cursors
        rows = {s: _ids(batch.get(s, []), s, cursors[s]) for s in STREAMS}
        try:
            _store(journal, conn, terminal, rows)
        except sqlite3.IntegrityError as exc:
            raise BatchError(f"a row cannot be stored: {exc}") from None
        for stream, stored in rows.items():
            if stored:
                cursors[stream] = stored[-1]["id"]
        complete = all(cursors[s] >= heads[s] for s in STREAMS)
        conn.execute(
            "UPDATE peers SET terminal_id = ?, cases = ?, case_events = ?, events = ?, "
            "head_cases = ?, head_case_events = ?, head_events = ?, last_seen = ?, "
            "complete_at = CASE WHEN ? THEN ? ELSE complete_at END, clock_offset = ? "
            "WHERE journal_id = ?",
            (terminal, cursors["cases"], cursors["case_events"], cursors["events"],
             heads["cases"], heads["case_events"], heads["events"], _iso(moment),
             complete, _iso(moment), offset, journal_id),
        )
    return True, cursors


def _store(
    journal: Journal, conn: sqlite3.Connection, terminal: str,
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    columns = {table: _columns(conn, table) for table in STREAMS}
    for row in rows["cases"]:
        values = _values(row, columns["cases"], "cases")
        values["procedure_group"] = journal._group_of(str(values.get("procedure_code", "")))
        names = ", ".join(values)
        conn.execute(
            f"INSERT INTO cases({names}) VALUES ({', '.join('?' * len(values))}) "
            "ON CONFLICT(payload) DO NOTHING",
            tuple(values.values()),
        )
    for row in rows["case_events"]:
        if row.get("kind") in QUEUE_EVENTS:
            continue  # a queue move belongs to the desk that made it, not to the hub's queue
        found = conn.execute(
            "SELECT id FROM cases WHERE payload = ?", (row.get("payload"),)
        ).fetchone()
        if found is None:
            raise BatchError(f"case_events row {row['id']}: its case has not been sent")
        values = _values(row, columns["case_events"], "case_events")
        values["case_id"] = int(found[0])
        conn.execute(
            f"INSERT INTO case_events({', '.join(values)}) "
            f"VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()),
        )
    for row in rows["events"]:
        values = _values(row, columns["events"], "events")
        values["origin"] = values.get("origin") or terminal
        conn.execute(
            f"INSERT INTO events({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()),
        )


# -- the terminal's side: the forwarder ----------------------------------------------------------


@dataclass
class ForwardStatus:
    """What the forwarder knows, for the staff status screen and the doctor."""

    hub: str
    last_ok: datetime | None = None
    """When the hub last took a request."""
    pending: int = 0
    """Rows not sent yet (at the last look)."""
    problem: str = ""
    """The last failure in plain English; "" when the last request went through."""
    sent: int = 0
    """Rows sent since the start."""


@dataclass
class Forwarder:
    """Sends the terminal journal's rows to the hub, in order, until stopped.

    ``key``: returns the centre key to sign with (read when needed, so a rotated key is used at
    once). Sends at once when ``poke``d (after each write of this process), looks at the
    journal every ``watch`` seconds for rows written by other processes, and calls the hub at
    least every ``heartbeat`` seconds to say it is up to date. While the hub cannot be reached
    it retries after 1, 2, 4 … up to ``max_backoff`` seconds (with a little jitter, so
    terminals do not all come back at once).
    """

    journal: Journal
    hub: str
    key: Callable[[], bytes]
    terminal_id: str
    batch: int = BATCH
    heartbeat: float = 30.0
    watch: float = 1.0
    max_backoff: float = 60.0
    timeout: float = 10.0
    status: ForwardStatus = field(init=False)
    _cursors: dict[str, int] | None = field(default=None, init=False)
    _wake: threading.Event = field(default_factory=threading.Event, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.hub = self.hub.rstrip("/")
        self.status = ForwardStatus(self.hub)

    def start(self) -> Forwarder:
        self._thread = threading.Thread(target=self._run, name="hotro-forward", daemon=True)
        self._thread.start()
        return self

    def poke(self) -> None:
        """Something was written: send it now."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        delay = 0.0
        last_call = -self.heartbeat
        while not self._stop.is_set():
            poked = self._wake.is_set()
            self._wake.clear()
            try:
                due = (poked or self._cursors is None or self.status.pending
                       or self.journal.heads() != self._cursors
                       or time.monotonic() - last_call >= self.heartbeat)
                if due:
                    last_call = time.monotonic()
                    if self.send_once():
                        continue
            except Exception as exc:  # noqa: BLE001 - the terminal must go on whatever happens
                self.status.problem = str(exc) or exc.__class__.__name__
                delay = min(self.max_backoff, max(1.0, delay * 2))
                log.warning("forwarding to %s failed (%s); trying again in %.0f s",
                            self.hub, self.status.problem, delay)
                self._stop.wait(delay * random.uniform(0.8, 1.0))
                continue
            delay = 0.0
            self._wake.wait(self.watch)

    def send_once(self) -> bool:
        """One request. Returns True when more rows wait (or the cursors were corrected)."""
        heads = self.journal.heads()
        after = self._cursors
        if after is not None and any(after[s] > heads[s] for s in STREAMS):
            # the hub has rows this journal no longer has: restored from an older backup
            new = self.journal.new_journal_id()
            log.warning("the hub holds more than this journal (restored from a backup?); "
                        "forwarding it again as journal %s", new)
            self._cursors = after = None
        if after is None:
            rows: dict[str, list[dict[str, Any]]] = {s: [] for s in STREAMS}
            target = None
        else:
            rows, target = outgoing(self.journal, after, self.batch)
        body = json.dumps({
            "journal": self.journal.journal_id,
            "terminal": self.terminal_id,
            "sent_at": _iso(self.journal.now()),
            "after": after,
            "heads": heads,
            **rows,
        }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        status, answer = self._post(body)
        cursors = _cursor_dict(answer.get("cursors"), "the hub's cursors")
        self._cursors = cursors
        self.status.last_ok = self.journal.now()
        self.status.problem = ""
        self.status.pending = sum(max(0, heads[s] - cursors[s]) for s in STREAMS)
        if status == 409:  # the hub said where it stands: send from there
            return True
        self.status.sent += sum(len(r) for r in rows.values())
        if target is not None and cursors != target:
            raise BatchError(f"the hub stored up to {cursors}, expected {target}")
        return self.status.pending > 0

    def _post(self, body: bytes) -> tuple[int, dict[str, Any]]:
        return post(self.hub, self.key(), body, self.timeout)


def post(hub: str, key: bytes, body: bytes, timeout: float) -> tuple[int, dict[str, Any]]:
    """One signed request to the hub: (200 or 409, its answer). Raises PermissionError when
    the hub refuses the signature, ConnectionError when it cannot be reached or fails."""
    request = urllib.request.Request(
        hub.rstrip("/") + PATH, data=body, method="POST",
        headers={"Content-Type": "application/json",
                 **signed_headers(key, "POST", PATH, int(time.time()), body)},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        text = exc.read()[:2000]
        if exc.code == 409:
            return 409, json.loads(text)
        if exc.code == 401:
            raise PermissionError(
                "the hub refused the signature: this terminal's centre.key is not the "
                "hub's (copy the centre's key file here)") from None
        detail = ""
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.loads(text).get("error", "")
        raise ConnectionError(f"the hub answered {exc.code} {detail}".strip()) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConnectionError(f"the hub {hub} cannot be reached ({reason})") from None


def question(
    journal: Journal, hub: str, key: bytes, terminal_id: str, timeout: float = 10.0
) -> int:
    """Ask the hub where it stands with this journal (what a forwarder asks first; nothing is
    sent): the number of rows it has not received yet. Raises as ``post``."""
    heads = journal.heads()
    body = json.dumps({"journal": journal.journal_id, "terminal": terminal_id,
                       "sent_at": _iso(journal.now()), "after": None, "heads": heads}).encode()
    _, answer = post(hub, key, body, timeout)
    cursors = _cursor_dict(answer.get("cursors"), "the hub's cursors")
    return sum(max(0, heads[s] - cursors[s]) for s in STREAMS)


__all__ = [
    "BATCH",
    "PATH",
    "BatchError",
    "ForwardStatus",
    "Forwarder",
    "Peer",
    "ingest",
    "note_local_terminal",
    "outgoing",
    "peers",
    "post",
    "question",
]
