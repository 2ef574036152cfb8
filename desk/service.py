"""What the desk does, without the web: scan a slip, show a case, keep the queue, call next.

The web app (``desk.app``) is a thin layer over ``Desk``; tests and the benchmark can drive
``Desk`` directly. Every text shown comes from the phrase pack (``desk_*`` ids).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from cases.case import Case, Priority
from cases.codec import PayloadError, decode, encode
from cases.journal import CaseRow, Journal
from cases.keys import KeyFileError, KeyRing, load_keyring, previous_path
from desk.queue import Waiting, call_order, passed_counts, status_of
from procedures.model import Group, Paper, Procedure
from voices.phrases import PhrasePack, load_pack

Announcer = Callable[[str], None]
"""Says a text on the hall speaker (``VoiceOut.say`` fits); must not block for long."""

ACTIONS = {"start": "started", "done": "done", "absent": "absent", "transfer": "transferred",
           "recall": "called"}
"""Buttons on a case → the journal event they record."""

_log = logging.getLogger(__name__)

DESK_TERMINAL_ID = "QUAY"
"""Terminal id of cases made at the desk for residents who come without a slip."""


class CatalogueLike(Protocol):
    groups: tuple[Group, ...]
    procedures: dict[str, Procedure]

    def get(self, code: str) -> Procedure | None: ...


class DeskError(Exception):
    """A desk action that cannot be done; ``str(e)`` is shown to staff as is."""


@dataclass(frozen=True)
class DeskSettings:
    journal_path: Path
    key: bytes
    """The centre key (``cases.keys.load_key``); used alone when ``key_path`` is None."""
    catalogue: CatalogueLike
    password_hash: str
    """Made by ``hotro desk passwd`` (``desk.auth.hash_password``)."""
    centre_name: str = ""
    fairness_limit: int = 3
    counters: int = 4
    lang: str = "vi"
    announcer: Announcer | None = None
    """Hall speaker; None: calls are only shown."""
    session_secret: str = ""
    """Signs the session cookie; empty: a random one per start (staff sign in again).
    ``hotro desk`` keeps one in ``$HOTRO_HOME/desk-session.secret`` (``load_session_secret``)."""
    key_path: Path | None = None
    """The centre key file: when set, the desk reads the current key and the retired ones
    (``<key_path>.previous``, see ``cases.keys``) from it, and again whenever they change, so a
    ``hotro keys rotate`` takes effect without a restart."""
    idle_minutes: int = 30
    """A signed-in session with no staff action for this long must sign in again."""
    secure_cookies: bool = False
    """Mark the session cookie ``Secure`` (sent over HTTPS only). It is also marked so on any
    request that arrives over HTTPS."""
    clock: Callable[[], datetime] | None = None
    """Local time; tests pass a fake."""


@dataclass(frozen=True, slots=True)
class PaperLine:
    name: str
    have: bool
    where: str
    """Where to get it."""
    when: str = ""
    """For a paper needed only sometimes: the case it is needed in; "" when always needed."""
    which: str = ""
    """For a paper any one of several things will do for: the one the resident has, e.g.
    "Tài khoản VNeID mức 2"; "" when not known or not had."""


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as the desk shows it."""

    id: int
    ticket: str
    priority: bool
    procedure: str
    papers: tuple[PaperLine, ...]
    """Empty when the catalogue no longer has the procedure."""
    missing: int
    """Papers always needed that the resident does not have (those needed only sometimes are
    listed apart, as "if needed")."""
    priority_reason: str
    """Label, e.g. "Người cao tuổi"; "" for an ordinary ticket."""
    needs: tuple[str, ...]
    delivery: str
    minutes_since_slip: int
    status: str
    """new, waiting, called, serving, done or absent."""
    status_label: str
    counter: int | None
    channel: str


@dataclass(frozen=True, slots=True)
class QueueEntry:
    case_id: int
    ticket: str
    priority: bool
    procedure: str
    priority_reason: str
    minutes_waited: int
    """Since the handoff at the desk."""
    passed: int
    status: str
    status_label: str
    counter: int | None = None


@dataclass(frozen=True, slots=True)
class QueueView:
    waiting: tuple[QueueEntry, ...]
    """In the order they will be called."""
    at_counters: tuple[QueueEntry, ...]
    """Called or being served, by counter."""


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    ok: bool
    case_id: int | None = None
    already: bool = False
    """The slip had been handed off before (nothing new recorded)."""
    reason: str = ""
    """For a refusal: malformed, version, tag, procedure or empty."""
    message: str = ""
    """For a refusal: the plain Vietnamese (or English) sentence to show."""
    detail: str = ""
    """For a refusal: the technical English reason from the codec."""


@dataclass
class Desk:
    settings: DeskSettings
    journal: Journal = field(init=False)
    pack: PhrasePack = field(init=False)
    _call_lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        catalogue = self.settings.catalogue

        def group_of(code: str) -> str:
            procedure = catalogue.get(code)
            return procedure.group if procedure is not None else ""

        self.journal = Journal(
            self.settings.journal_path, clock=self.settings.clock, group_of=group_of
        )
        self.pack = load_pack(self.settings.lang)
        self._ring = KeyRing(self.settings.key)
        self._ring_stamp: object = None
        self._ring_lock = threading.Lock()
        self.keyring()

    def _key_files_stamp(self) -> object:
        path = self.settings.key_path
        assert path is not None
        stamp = []
        for file in (path, previous_path(path)):
            try:
                info = os.stat(file)
            except OSError:
                stamp.append(None)
            else:
                stamp.append((info.st_mtime_ns, info.st_size, info.st_ino))
        return tuple(stamp)

    def keyring(self) -> KeyRing:
        """The centre keys: from ``settings.key_path`` when set (re-read when the files change;
        on a damaged file the last good keys stay in use and a warning is logged), else
        ``settings.key`` alone."""
        if self.settings.key_path is None:
            return self._ring
        with self._ring_lock:
            stamp = self._key_files_stamp()
            if stamp != self._ring_stamp:
                try:
                    self._ring = load_keyring(self.settings.key_path)
                except KeyFileError as exc:
                    _log.warning("centre key not reloaded, the previous keys stay: %s", exc)
                self._ring_stamp = stamp
            return self._ring

    def close(self) -> None:
        self.journal.close()

    def t(self, phrase_id: str, **params: object) -> str:
        return self.pack.screen(phrase_id, **params)

    # -- scanning -------------------------------------------------------------------------------

    def scan(self, text: str) -> ScanOutcome:
        """Verify a scanned payload; when good, record the case (if new) and its handoff."""
        payload = text.strip().upper()
        if not payload:
            return ScanOutcome(False, reason="empty", message=self.t("desk_refused_empty"))
        ring = self.keyring()
        now = self.journal.now()
        try:
            case = decode(
                payload, ring.accepted(now), self.settings.catalogue,
                retired=tuple(r.key for r in ring.expired(now)),
            )
        except PayloadError as exc:
            return ScanOutcome(
                False, reason=exc.reason, message=self.t(f"desk_refused_{exc.reason}"),
                detail=str(exc),
            )
        case_id = self.journal.record_case(case, payload, channel="terminal")
        fresh = self.journal.record_handoff(case_id)
        return ScanOutcome(True, case_id=case_id, already=not fresh)

    def new_case(self, procedure_code: str, priority: str) -> int:
        """A resident without a slip: a desk ticket, a case with channel "desk", queued."""
        procedure = self.settings.catalogue.get(procedure_code)
        if procedure is None:
            raise DeskError(self.t("desk_error_not_found"))
        try:
            reason = Priority(priority)
        except ValueError:
            raise DeskError(self.t("desk_error_not_found")) from None
        ticket = self.journal.next_ticket(DESK_TERMINAL_ID, reason is not Priority.NONE)
        case = Case(
            DESK_TERMINAL_ID, ticket, procedure.code, tuple(False for _ in procedure.papers),
            priority=reason, created=self.journal.now(),
        )
        case_id = self.journal.record_case(
            case, encode(case, self.keyring().current), channel="desk"
        )
        self.journal.record_handoff(case_id)
        return case_id

    # -- views ----------------------------------------------------------------------------------

    def _procedure_name(self, code: str) -> str:
        procedure = self.settings.catalogue.get(code)
        if procedure is None:
            return self.t("desk_case_unknown_procedure", code=code)
        return procedure.short_name

    def _reason(self, row: CaseRow) -> str:
        return "" if row.priority == "none" else self.t(f"desk_priority_{row.priority}")

    def case_view(self, case_id: int) -> CaseView | None:
        row = self.journal.case(case_id)
        if row is None:
            return None
        events = self.journal.events_of(case_id)
        status = status_of(e.kind for e in events)
        counter = next(
            (e.counter for e in reversed(events) if e.kind in ("called", "transferred")), None
        )
        procedure = self.settings.catalogue.get(row.procedure_code)
        papers: tuple[PaperLine, ...] = ()
        if procedure is not None and len(procedure.papers) == row.paper_count:
            skip = row.not_needed
            papers = tuple(
                PaperLine(p.short, has, p.where_to_get, p.when or "", _which(p, row.chosen_for(i)))
                for i, (p, has) in enumerate(zip(procedure.papers, row.have, strict=True))
                if i not in skip  # a paper that does not apply to this resident is not shown
            )
        missing = (
            sum(1 for p in papers if not p.have and not p.when) if papers else row.missing_count
        )
        waited = max(0, int((self.journal.now() - row.created_at).total_seconds() // 60))
        return CaseView(
            id=row.id,
            ticket=row.ticket_label,
            priority=row.is_priority,
            procedure=self._procedure_name(row.procedure_code),
            papers=papers,
            missing=missing,
            priority_reason=self._reason(row),
            needs=tuple(self.t(f"desk_need_{n}") for n in row.needs),
            delivery=self.t(f"desk_delivery_{row.delivery}"),
            minutes_since_slip=waited,
            status=status,
            status_label=self.t(f"desk_status_{status}"),
            counter=counter,
            channel=row.channel,
        )

    def queue(self) -> QueueView:
        """Cases waiting (in call order) and cases at the counters."""
        by_case: dict[int, list] = {}
        for event in self.journal.open_case_events():
            by_case.setdefault(event.case_id, []).append(event)
        now = self.journal.now()
        waiting: list[Waiting] = []
        entries: dict[int, QueueEntry] = {}
        at_counters: list[QueueEntry] = []
        arrivals: dict[int, int] = {}
        rows = self.journal.cases_by_ids(list(by_case))
        for case_id, events in by_case.items():
            row = rows.get(case_id)
            if row is None:  # pragma: no cover - events always belong to a case
                continue
            status = status_of(e.kind for e in events)
            handoff = next(e for e in events if e.kind == "handed_off")
            counter = next(
                (e.counter for e in reversed(events) if e.kind in ("called", "transferred")),
                None,
            )
            entry = QueueEntry(
                case_id=case_id,
                ticket=row.ticket_label,
                priority=row.is_priority,
                procedure=self._procedure_name(row.procedure_code),
                priority_reason=self._reason(row),
                minutes_waited=max(0, int((now - handoff.at).total_seconds() // 60)),
                passed=0,
                status=status,
                status_label=self.t(f"desk_status_{status}"),
                counter=counter,
            )
            if status == "waiting":
                arrivals[case_id] = handoff.id
                entries[case_id] = entry
            else:
                at_counters.append(entry)
        if arrivals:
            passed = passed_counts(
                arrivals, self.journal.first_calls_since(min(arrivals.values()))
            )
            waiting = [
                Waiting(cid, entries[cid].priority, arrivals[cid], passed[cid]) for cid in arrivals
            ]
        ordered = call_order(waiting, self.settings.fairness_limit)
        return QueueView(
            waiting=tuple(
                _with_passed(entries[w.case_id], w.passed) for w in ordered
            ),
            at_counters=tuple(sorted(at_counters, key=lambda e: (e.counter or 0, e.case_id))),
        )

    # -- actions --------------------------------------------------------------------------------

    def check_counter(self, counter: int) -> int:
        if not 1 <= counter <= self.settings.counters:
            raise DeskError(self.t("desk_error_counter", counters=self.settings.counters))
        return counter

    def announce(self, ticket: str, counter: int) -> str:
        """Show-text of the call; the spoken variant goes to the hall speaker, if any."""
        phrase = self.pack.get("desk_call_announce", ticket=ticket, counter=counter)
        if self.settings.announcer is not None:
            spoken = self.pack.get(
                "desk_call_announce", ticket=spell_ticket(ticket), counter=counter
            ).spoken
            self.settings.announcer(spoken)
        return phrase.screen

    def call_next(self, counter: int) -> QueueEntry | None:
        """Call the next waiting case to ``counter``; None when nobody waits."""
        self.check_counter(counter)
        with self._call_lock:
            view = self.queue()
            if not view.waiting:
                return None
            chosen = view.waiting[0]
            self.journal.record_case_event(chosen.case_id, "called", counter=counter)
        self.announce(chosen.ticket, counter)
        return chosen

    def act(self, case_id: int, action: str, counter: int | None = None) -> CaseView:
        """Start, done, absent, transfer (to ``counter``) or recall (to ``counter``)."""
        if action not in ACTIONS:
            raise DeskError(self.t("desk_error_not_found"))
        row = self.journal.case(case_id)
        if row is None:
            raise DeskError(self.t("desk_error_not_found"))
        kind = ACTIONS[action]
        if kind in ("transferred", "called"):
            if counter is None:
                raise DeskError(self.t("desk_error_counter", counters=self.settings.counters))
            self.check_counter(counter)
            self.journal.record_handoff(case_id)  # a case must be in the queue to be called
            self.journal.record_case_event(case_id, kind, counter=counter)
            self.announce(row.ticket_label, counter)
        else:
            self.journal.record_case_event(case_id, kind)
        view = self.case_view(case_id)
        assert view is not None
        return view


def _with_passed(entry: QueueEntry, passed: int) -> QueueEntry:
    return replace(entry, passed=passed)


def spell_ticket(label: str) -> str:
    """"U012" → "U, 0 1 2": a ticket read digit by digit is easier to catch in a noisy hall."""
    letter, digits = label[:1], label[1:]
    return f"{letter}, {' '.join(digits)}"


def _which(paper: Paper, index: int | None) -> str:
    """The name of the alternative the resident has for ``paper``, or ""."""
    alternative = paper.alternative(index)
    return alternative.name if alternative is not None else ""
