"""What the desk does, without the web: scan a slip, show a case, keep the queue, call next.

The web app (``desk.app``) is a thin layer over ``Desk``; tests and the benchmark can drive
``Desk`` directly. Every text shown comes from the phrase pack (``desk_*`` ids).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol

from cases.case import DESK_TERMINAL_ID, Case, Priority
from cases.codec import PayloadError, decode, encode
from cases.journal import CaseRow, Feedback, Journal, JournalError, OpenCase
from cases.keys import KeyFileError, KeyRing, load_keyring, previous_path
from cases.life import IllegalMove, Life, Move, Status, legal
from desk.queue import Waiting, call_order, pick_next
from procedures.model import CounterType, Group, Paper, Procedure, Service
from voices.phrases import PhrasePack, load_pack

Announcer = Callable[[str], None]
"""Says a text on the hall speaker (``VoiceOut.say`` fits); must not block for long."""

ACTIONS: dict[str, Move] = {
    "recall": Move.RECALL,
    "start": Move.START,
    "done": Move.DONE,
    "absent": Move.ABSENT,
    "transfer": Move.TRANSFER,
    "requeue": Move.REQUEUE,
}
"""Buttons on a case (the URL's action) → the move they make, in the order the page shows them.
A case is called by "call next" (the queue's order), and closed by the end of the day."""

_log = logging.getLogger(__name__)

JOURNAL_FAULTS = ("readonly", "full", "corrupt", "locked", "cantopen", "newer", "tickets",
                  "failed")
"""``JournalError.kind`` values with their own message (``desk_journal_<kind>``)."""


class CatalogueLike(Protocol):
    groups: tuple[Group, ...]
    procedures: dict[str, Procedure]
    services: dict[str, Service]

    def get(self, code: str) -> Procedure | None: ...
    def service(self, service_id: str) -> Service | None: ...
    def service_by_code(self, code: str) -> Service | None: ...


COUNTER_TYPES = tuple(t.value for t in CounterType)
"""What a counter may serve: general (the one-stop counter), digital, results."""


class DeskError(Exception):
    """A desk action that cannot be done; ``str(e)`` is shown to staff as is."""


class DeskNotFound(DeskError):
    """The case or the action does not exist (a page answers 404)."""


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
    counter_services: tuple[tuple[str, ...], ...] = ()
    """What each counter serves (counter types), counter 1 first, from ``[desk] counters``;
    () or a counter past its end: everything. The desk's page changes it (kept in the
    journal), counter by counter."""
    procedure_counter: str = "general"
    """The counter type the procedures count as."""
    lang: str = "vi"
    announcer: Announcer | None = None
    """Hall speaker; None: calls are only shown."""
    hall_voice: Callable[[str], Path | None] | None = None
    """Synthesises a spoken call to a WAV file for the hall board (None: the board chimes
    only)."""
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
    stream_seconds: float = 300.0
    """How long one live stream (``/events``, ``/board/events``) stays open before the page
    reconnects (``desk.live``)."""
    day_start_hour: int = 0
    """The hour the working day begins (``[centre] day_start_hour``): the queue of a day is
    closed then, and desk ticket numbers start again."""


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
    """A ``cases.life.Status`` value: new, waiting, called, serving, done, absent, closed."""
    status_label: str
    counter: int | None
    channel: str
    actions: tuple[str, ...] = ()
    """The buttons legal now (keys of ``ACTIONS``), in page order."""
    service: str = ""
    """The service the resident came for ("" for a procedure); then ``procedure`` is its name
    and ``papers`` are empty."""
    bring: tuple[str, ...] = ()
    """For a service: what the resident was told to bring."""
    counter_type: str = ""
    """For a service: which kind of counter serves it, in words."""
    topic: str = ""
    """For feedback: what it is about, in words."""
    call_back: bool = False
    """For feedback: she asked an officer to call her back (the number: the feedback list)."""


@dataclass(frozen=True, slots=True)
class CounterView:
    """A counter as the page "which counter serves what" shows it."""

    number: int
    types: frozenset[str]
    """The counter types it serves (all of them when it serves everything)."""
    label: str
    """What it serves, in words."""


@dataclass(frozen=True, slots=True)
class FeedbackView:
    """A resident's feedback as the feedback list shows it."""

    ref: str
    topic: str
    """In words."""
    terminal: str
    ticket: str
    at: datetime
    call_back: bool
    phone: str = ""
    """The number to call: only while the call is not made (signed-in staff only)."""
    done_at: datetime | None = None
    done_counter: int | None = None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    case_id: int
    ticket: str
    priority: bool
    procedure: str
    priority_reason: str
    passed: int
    status: str
    status_label: str
    counter: int | None = None
    arrived_at: datetime | None = None
    """When it joined the queue (the page counts the minutes itself)."""
    service: str = ""
    """The service it is about ("" for a procedure)."""


@dataclass(frozen=True, slots=True)
class QueueView:
    waiting: tuple[QueueEntry, ...]
    """The head of the queue (``SHOWN`` at most), in the order they will be called."""
    at_counters: tuple[QueueEntry, ...]
    """Called or being served, by counter."""
    waiting_count: int = 0
    """Everybody waiting (``waiting`` shows the first of them)."""


SHOWN = 50
"""Waiting tickets a counter page lists (the next ones to call); the rest are counted."""


@dataclass(frozen=True, slots=True)
class HelpCall:
    """A resident pressed "Gọi cán bộ" on a terminal and nobody has taken it yet."""

    id: int
    """The event id of the call."""
    terminal: str
    """The terminal's id ("" when not known)."""
    screen: str
    """The screen the resident was on, in words."""
    at: datetime


@dataclass(frozen=True, slots=True)
class BoardCall:
    """A call to a counter, as the hall board shows it (nothing personal)."""

    id: int
    ticket: str
    counter: int
    at: datetime


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

    def __post_init__(self) -> None:
        catalogue = self.settings.catalogue

        def group_of(code: str) -> str:
            procedure = catalogue.get(code)
            return procedure.group if procedure is not None else ""

        self.journal = Journal(
            self.settings.journal_path, clock=self.settings.clock, group_of=group_of,
            day_start_hour=self.settings.day_start_hour,
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

    def journal_problem(self, exc: JournalError) -> str:
        """What staff read when the journal fails (the English detail goes to the log)."""
        kind = exc.kind if exc.kind in JOURNAL_FAULTS else "failed"
        return self.t("desk_error_journal", problem=self.t(f"desk_journal_{kind}"))

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
        """A resident without a slip: a desk ticket, a case with channel "desk", queued.
        ``procedure_code`` is a procedure's code, or ``svc:<id>`` for one of the services."""
        catalogue = self.settings.catalogue
        service = catalogue.service(procedure_code[4:]) if procedure_code.startswith(
            "svc:") else None
        procedure = catalogue.get(procedure_code)
        if procedure is None and service is None:
            raise DeskError(self.t("desk_error_not_found"))
        try:
            reason = Priority(priority)
        except ValueError:
            raise DeskError(self.t("desk_error_not_found")) from None
        ticket = self.journal.next_ticket(DESK_TERMINAL_ID, reason is not Priority.NONE, origin=0)
        if service is not None:
            case = Case(DESK_TERMINAL_ID, ticket, "", (), priority=reason,
                        created=self.journal.now(), service=service.id)
        else:
            assert procedure is not None
            case = Case(
                DESK_TERMINAL_ID, ticket, procedure.code, tuple(False for _ in procedure.papers),
                priority=reason, created=self.journal.now(),
            )
        case_id = self.journal.record_case(
            case, encode(case, self.keyring().current, catalogue), channel="desk"
        )
        self.journal.record_handoff(case_id)
        return case_id

    # -- views ----------------------------------------------------------------------------------

    def _procedure_name(self, code: str, service: str = "") -> str:
        """What a case is about, in a few words: the procedure's or the service's short name."""
        if service:
            found = self.settings.catalogue.service(service)
            return found.short_name if found is not None else service
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
        life = self.journal.life(case_id)
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
        service = self.settings.catalogue.service(row.service) if row.service else None
        feedback = self._feedback_of(row) if row.topic else None
        return CaseView(
            id=row.id,
            ticket=row.ticket_label,
            priority=row.is_priority,
            procedure=self._procedure_name(row.procedure_code, row.service),
            papers=papers,
            missing=missing,
            priority_reason=self._reason(row),
            needs=tuple(self.t(f"desk_need_{n}") for n in row.needs),
            delivery=self.t(f"desk_delivery_{row.delivery}"),
            minutes_since_slip=waited,
            status=str(life.status),
            status_label=self.t(f"desk_status_{life.status}"),
            counter=life.counter,
            channel=row.channel,
            actions=page_actions(life),
            service=row.service,
            bring=service.bring if service is not None else (),
            counter_type=self.t(f"prompt_counter_{service.counter.value}") if service else "",
            topic=self.t(f"button_feedback_{row.topic}") if row.topic else "",
            call_back=feedback is not None and feedback.call_back,
        )

    def _feedback_of(self, row: CaseRow) -> Feedback | None:
        """The feedback given with this case (same terminal and ticket, that working day)."""
        return next(
            (f for f in self.journal.feedback(since=self.day_began(date.fromisoformat(row.day)))
             if f.ticket == row.ticket_label and f.origin in (row.terminal_id, "")),
            None,
        )

    def close_past_days(self) -> list[int]:
        """Close the cases left open from earlier working days (never called today); returns
        their ids. Cheap when there are none; run before the queue is read."""
        if not self.journal.stale_open_cases():
            return []
        closed = self.journal.close_day()
        _log.info("closed %d cases left open from earlier days", len(closed))
        return closed

    def end_day(self) -> list[int]:
        """"Kết thúc ngày": close every open case now, counted as not served."""
        closed = self.journal.close_day(self.journal.today())
        self.journal.record_event("desk", f"day ended by staff: {len(closed)} cases not served")
        return closed

    def _entry(self, case: OpenCase) -> QueueEntry:
        return QueueEntry(
            case_id=case.case_id,
            ticket=case.ticket_label,
            priority=case.priority,
            procedure=self._procedure_name(case.procedure_code, case.service),
            priority_reason="" if case.reason == "none" else self.t(f"desk_priority_{case.reason}"),
            passed=case.passed,
            status=str(case.status),
            status_label=self.t(f"desk_status_{case.status}"),
            counter=case.counter,
            arrived_at=case.arrived_at,
            service=case.service,
        )

    def queue(self) -> QueueView:
        """The head of the queue (in call order) and the cases at the counters. Only the head
        (``SHOWN``) is read in full; the order is computed from the queue keys alone."""
        self.close_past_days()
        waiting = [Waiting._make(row) for row in self.journal.waiting()]
        head = [w.case_id for w in call_order(waiting, self.settings.fairness_limit, first=SHOWN)]
        details = {c.case_id: c for c in self.journal.open_cases(head)} if head else {}
        at_counters = self.journal.open_cases(statuses=(Status.CALLED, Status.SERVING))
        return QueueView(
            waiting=tuple(self._entry(details[i]) for i in head if i in details),
            at_counters=tuple(
                self._entry(c)
                for c in sorted(at_counters, key=lambda c: (c.counter or 0, c.case_id))
            ),
            waiting_count=len(waiting),
        )

    # -- the hall and the terminals ---------------------------------------------------------------

    def day_began(self, day: date | None = None) -> datetime:
        """When the working day ``day`` (default: today) began (``day_start_hour`` o'clock)."""
        return datetime.combine(day or self.journal.today(), time(self.settings.day_start_hour))

    def board_calls(self, limit: int = 8) -> tuple[BoardCall, ...]:
        """Today's latest calls to a counter, newest first."""
        return tuple(
            BoardCall(e.id, ticket, e.counter or 0, e.at)
            for e, ticket in self.journal.recent_calls(self.day_began(), limit)
        )

    def screen_label(self, screen: str) -> str:
        """A terminal screen in the staff's words ("" when not said)."""
        phrase = f"desk_screen_{screen}"
        if phrase in self.pack.ids:
            return self.t(phrase)
        return self.t("desk_screen_other", screen=screen) if screen else ""

    def help_calls(self) -> tuple[HelpCall, ...]:
        """Today's calls for staff from the terminals that nobody has taken yet, oldest
        first (the journal's own terminal writes them directly on one machine; on a hub they
        arrive from the terminals)."""
        began = self.day_began()
        taken = {e.detail.split(" ")[0]
                 for e in self.journal.events("call_staff_taken", at_or_after=began)}
        return tuple(
            HelpCall(e.id, e.origin, self.screen_label(e.detail), e.at)
            for e in self.journal.events("call_staff", at_or_after=began)
            if str(e.id) not in taken
        )

    def take_help(self, call_id: int, counter: int) -> HelpCall:
        """Staff at ``counter`` go to the terminal that called. Raises DeskError when the call
        is not waiting (already taken, or no such call)."""
        self.check_counter(counter)
        call = next((c for c in self.help_calls() if c.id == call_id), None)
        if call is None:
            raise DeskError(self.t("desk_help_gone"))
        self.journal.record_event("call_staff_taken", f"{call_id} {counter}")
        return call

    def announce_help(self, call: HelpCall) -> None:
        """Say on the hall speaker (when there is one) that a terminal needs staff."""
        if self.settings.announcer is not None:
            self.settings.announcer(
                self.pack.get("desk_help_announce", terminal=call.terminal or "?").spoken
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
            # the voice reads the label as the terminal does (``voices.reading``): "a, một
            # không năm", letter then digit by digit
            self.settings.announcer(phrase.spoken)
        return phrase.screen

    # -- counters and what they serve (issue 18) -------------------------------------------------

    def counter_types(
        self, number: int, chosen_all: dict[int, frozenset[str]] | None = None,
    ) -> frozenset[str] | None:
        """The counter types counter ``number`` serves: as set on the page, else as
        configured; None: everything. ``chosen_all``: ``journal.counter_services()`` when
        the caller has read it already (one query for all the counters)."""
        if chosen_all is None:
            chosen_all = self.journal.counter_services()
        chosen = chosen_all.get(number)
        if chosen is not None:
            return chosen
        configured = self.settings.counter_services
        if number <= len(configured):
            return frozenset(configured[number - 1])
        return None

    def counter(self, number: int) -> Counter:
        """Counter ``number`` (checked), with the services it serves."""
        types = self.counter_types(self.check_counter(number))
        if types is None or set(COUNTER_TYPES) <= types:
            return Counter(number)
        services = {sid for sid, s in self.settings.catalogue.services.items()
                    if s.counter.value in types}
        if self.settings.procedure_counter in types:
            services.add("")  # the procedures
        return Counter(number, frozenset(types), frozenset(services))

    def counters(self) -> tuple[CounterView, ...]:
        """Every counter with what it serves, in words (the page "Quầy phục vụ")."""
        out = []
        chosen_all = self.journal.counter_services()
        for n in range(1, self.settings.counters + 1):
            types = self.counter_types(n, chosen_all) or frozenset(COUNTER_TYPES)
            label = ", ".join(self.t(f"prompt_counter_{t}") for t in COUNTER_TYPES if t in types)
            out.append(CounterView(n, types, label))
        return tuple(out)

    def type_contents(self) -> dict[str, str]:
        """Each counter type with what it serves, in words ("thủ tục hành chính, góp ý...")."""
        out = {}
        for t in COUNTER_TYPES:
            names = [s.short_name for s in self.settings.catalogue.services.values()
                     if s.counter.value == t]
            if self.settings.procedure_counter == t:
                names.insert(0, self.t("desk_counters_procedures"))
            out[t] = ", ".join(names)
        return out

    def set_counter(self, number: int, types: list[str]) -> CounterView:
        """Counter ``number`` serves these counter types from now on (at least one)."""
        self.check_counter(number)
        chosen = sorted(set(types) & set(COUNTER_TYPES))
        if not chosen or len(chosen) != len(set(types)):
            raise DeskError(self.t("desk_counters_choose_one"))
        self.journal.set_counter_services(number, chosen)
        self.journal.record_event("desk", f"counter {number} serves {', '.join(chosen)}")
        return self.counters()[number - 1]

    # -- feedback (issue 18) -------------------------------------------------------------------

    FEEDBACK_DAYS = 92
    """How far back the feedback list looks (and how long closed items stay listed)."""

    def feedback(self) -> tuple[tuple[FeedbackView, ...], tuple[FeedbackView, ...]]:
        """(open feedback oldest first, with the number to call while the call is not made;
        feedback closed in the last ``FEEDBACK_DAYS`` days, newest first, without numbers)."""
        since = self.journal.now() - timedelta(days=self.FEEDBACK_DAYS)
        phones = self.journal.callback_phones()
        opened, closed = [], []
        for f in self.journal.feedback(since=since):
            view = FeedbackView(
                f.ref, self.t(f"button_feedback_{f.topic}"), f.origin, f.ticket, f.at,
                f.call_back, phones.get(f.ref, "") if f.done_at is None else "",
                f.done_at, f.done_counter,
            )
            (opened if f.done_at is None else closed).append(view)
        return tuple(opened), tuple(sorted(closed, key=lambda v: v.done_at or v.at, reverse=True))

    def close_feedback(self, ref: str, counter: int) -> None:
        """The call is made (or the feedback dealt with): closed, the number deleted for good.
        Raises DeskError when it is not open (closed already, or no such feedback)."""
        self.check_counter(counter)
        if not self.journal.close_feedback(ref, counter):
            raise DeskError(self.t("desk_feedback_gone"))

    def call_next(self, counter: int) -> QueueEntry | None:
        """Call the next waiting case that ``counter`` serves (the fair order among them);
        None when nobody it serves waits."""
        desk_counter = self.counter(counter)
        self.close_past_days()
        limit = self.settings.fairness_limit

        def pick(waiting: list[tuple[int, int, int, int, str]]) -> int | None:
            chosen = pick_next([Waiting._make(row) for row in waiting], limit)
            return chosen.case_id if chosen is not None else None

        chosen = self.journal.call_next(counter, pick, desk_counter.services)
        if chosen is None:
            return None
        self.announce(chosen.ticket_label, counter)
        return self._entry(chosen)

    def act(self, case_id: int, action: str, counter: int | None = None) -> CaseView:
        """A button on a case (``ACTIONS``): recall, start, done, absent, transfer (to
        ``counter``), requeue. Raises DeskError with the reason in the staff's language when the
        case does not exist or the action is not legal now (nothing is recorded)."""
        move = ACTIONS.get(action)
        row = self.journal.case(case_id)
        if move is None or row is None:
            raise DeskNotFound(self.t("desk_error_not_found"))
        if move is Move.TRANSFER:
            if counter is None:
                raise DeskError(self.t("desk_error_counter", counters=self.settings.counters))
            self.check_counter(counter)
        try:
            _, life = self.journal.move(case_id, move, counter)
        except IllegalMove as exc:
            raise DeskError(self._illegal(exc)) from None
        if move in (Move.RECALL, Move.TRANSFER) and life.counter is not None:
            self.announce(row.ticket_label, life.counter)
        view = self.case_view(case_id)
        assert view is not None
        return view

    def _illegal(self, exc: IllegalMove) -> str:
        if exc.why == "counter":
            return self.t("desk_error_same_counter", counter=exc.life.counter or 0)
        return self.t(
            "desk_error_not_now",
            action=self.t(f"desk_{exc.move}_button"),
            status=self.t(f"desk_status_{exc.life.status}"),
        )


@dataclass(frozen=True, slots=True)
class Counter:
    """A counter of the centre and what it serves."""

    number: int
    types: frozenset[str] | None = None
    """The counter types it serves (``COUNTER_TYPES``); None: everything."""
    services: frozenset[str] | None = None
    """The services it serves ("" for the procedures); None: everything. "Call next" calls
    only these (``Journal.call_next``'s ``serves``)."""


def page_actions(life: Life) -> tuple[str, ...]:
    """The buttons a case shows now: the legal moves that are buttons, in page order."""
    allowed = set(legal(life))
    return tuple(action for action, move in ACTIONS.items() if move in allowed)


def _which(paper: Paper, index: int | None) -> str:
    """The name of the alternative the resident has for ``paper``, or ""."""
    alternative = paper.alternative(index)
    return alternative.name if alternative is not None else ""
