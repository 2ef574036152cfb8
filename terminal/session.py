"""The runtime of one terminal: feeds events to the dialogue, carries out its effects.

The session owns the current ``State`` and talks to the world only through ports (speaker,
listener, journal, printer, clock). The Kivy app, the text mode and the tests each build one
with the ports they have. Everything runs on the caller's thread except printing and listening,
which report back through ``post`` (Kivy: ``Clock.schedule_once``; text mode: a queue).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cases.case import Case, Delivery, Need, Priority, Ticket
from terminal import dialogue as d
from terminal.ports import (
    ChoiceSpec,
    ClockPort,
    Heard,
    JournalPort,
    ListenerPort,
    PrinterPort,
    SpeakerPort,
)
from terminal.screens import ScreenModel
from terminal.state import Context, State

log = logging.getLogger("hotro.terminal")


def case_of(
    draft: d.CaseDraft, terminal_id: str, ticket: Ticket, created: datetime | None = None
) -> Case:
    """The case a visit decided, with its ticket (and the time, default now)."""
    extra = {"created": created} if created is not None else {}
    return Case(
        terminal_id=terminal_id,
        ticket=ticket,
        procedure_code=draft.code,
        have=draft.have,
        not_needed=draft.not_needed,
        chosen=draft.chosen,
        priority=Priority(draft.priority),
        needs=frozenset(Need(n) for n in draft.needs),
        delivery=Delivery(draft.delivery),
        service=draft.service,
        topic=draft.topic,
        call_back=bool(draft.phone),
        **extra,
    )


def run_now(job: Callable[[], None]) -> None:
    job()


def run_in_thread(job: Callable[[], None]) -> None:
    threading.Thread(target=job, name="hotro-print", daemon=True).start()


@dataclass
class Ports:
    speaker: SpeakerPort
    journal: JournalPort
    printer: PrinterPort
    clock: ClockPort
    encode: Callable[[Case], str]
    listener: ListenerPort | None = None


class Session:
    """One terminal's running dialogue."""

    def __init__(
        self,
        ctx: Context,
        ports: Ports,
        terminal_id: str = "T1",
        post: Callable[[Callable[[], None]], None] | None = None,
        background: Callable[[Callable[[], None]], None] = run_now,
        on_screen: Callable[[ScreenModel], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.ports = ports
        self.terminal_id = terminal_id
        self._pending: deque[Callable[[], None]] = deque()
        self._depth = 0
        self.post = post or self._post_here
        """Hand a job back to the session's thread (default: run after the current event)."""
        self.background = background
        self.on_screen = on_screen
        self.state: State
        self.screen: ScreenModel | None = None
        self.grammar: tuple[ChoiceSpec, ...] = ()
        self._cases: dict[int, Case] = {}
        self._listen_turn = 0
        self._voice = ""
        """The clip pack the speaker uses ("" = the language's own)."""
        self._notes: set[tuple[str | None, str]] = set()
        """Short notes said before resuming a cut prompt (never resumed themselves)."""
        self.trace: deque[d.Effect] = deque(maxlen=500)
        """The latest effects carried out (newest last), for tests and diagnosis."""

    def _post_here(self, job: Callable[[], None]) -> None:
        if self._depth:
            self._pending.append(job)  # after the current event has been carried out
        else:
            job()

    # -- driving ------------------------------------------------------------------------------
    def start(self) -> None:
        self.state, effects = d.start(self.ctx)
        self._run(effects)

    def handle(self, event: d.Event) -> None:
        """One event through the dialogue; effects carried out in order."""
        if isinstance(event, d.USER_EVENTS):
            self._notice_voice_lost()
        if isinstance(event, d.USER_EVENTS) and not isinstance(event, d.Unclear | d.Heard):
            # any touch or key silences the terminal before anything else happens
            self.ports.speaker.stop()
            if self.ports.listener is not None:
                self.ports.listener.stop()
        self._depth += 1
        try:
            self.state, effects = d.step(self.state, event)
            self._run(effects)
        finally:
            self._depth -= 1
        if self._depth == 0:
            while self._pending:
                self._pending.popleft()()

    def tick(self) -> None:
        """Call about once a second: drives the idle warning and the reset, and watches for
        the desk taking over a case whose slip did not print."""
        now = datetime.now()
        self.handle(
            d.Tick(
                self.ports.clock.now(),
                busy=self.ports.speaker.speaking,
                day=now.date().isoformat(),
                minute=now.hour * 60 + now.minute,
            )
        )
        failed = d.failed_print(self.state)
        if failed is not None and failed.case_id is not None:
            case_id = failed.case_id
            try:
                taken = self.ports.journal.events_of(case_id, "handed_off")
            except Exception as exc:  # noqa: BLE001 - the screen stays; staff can dismiss it
                log.error("journal: %s", exc)
                return
            if taken:
                self.handle(d.CaseClosed(case_id))

    def speech_finished(self) -> None:
        """The speaker has played everything: listen now, with this screen's grammar."""
        if self.ports.speaker.speaking:
            return  # a new screen started speaking meanwhile; its own end will call again
        self._listen()

    # -- effects ------------------------------------------------------------------------------
    def _run(self, effects: tuple[d.Effect, ...]) -> None:
        for effect in effects:
            self.trace.append(effect)
            self._do(effect)

    def _do(self, e: d.Effect) -> None:
        p = self.ports
        if isinstance(e, d.Show):
            self.screen = e.screen
            if self.on_screen:
                self.on_screen(e.screen)
        elif isinstance(e, d.Say):
            items = e.items
            if e.then_resume:  # e.g. "volume 5 of 7", then the prompt from where it was cut
                cut = [i for i in getattr(p.speaker, "unfinished", ()) if i not in self._notes]
                self._notes.update(e.items)  # a second key press does not resume the note
                items = (*items, *cut)
            else:
                self._notes.clear()
            if items:
                p.speaker.say_all(items)
        elif isinstance(e, d.StopSpeech):
            p.speaker.stop()
        elif isinstance(e, d.Listen):
            self.grammar = e.choices
            self._listen_turn += 1
            if not p.speaker.speaking or not p.speaker.available:
                self._listen()
        elif isinstance(e, d.ApplySettings):
            s = e.settings
            p.speaker.apply(s.lang, s.rate_step, s.volume_step)
            if s.voice != self._voice:
                self._voice = s.voice
                p.speaker.use_voice(s.voice)
        elif isinstance(e, d.PrintCase):
            self.background(lambda: self._print_new(e.draft))
        elif isinstance(e, d.RetryPrint):
            self.background(lambda: self._print_again(e))
        elif isinstance(e, d.PrintNote):
            self.background(lambda: self._print_note(e))
        elif isinstance(e, d.JournalEvent):
            self._journal(lambda: p.journal.record_event(e.kind, e.detail))
        elif isinstance(e, d.JournalSatisfaction):
            self._journal(lambda: p.journal.record_satisfaction(e.case_id, e.answer))

    def _journal(self, job: Callable[[], None]) -> None:
        try:
            job()
        except Exception as exc:  # noqa: BLE001 - a journal fault must not stop the visit
            log.error("journal: %s", exc)

    # -- listening ------------------------------------------------------------------------------
    def _notice_voice_lost(self) -> None:
        """The listener stopped working since the last look (e.g. microphone unplugged)."""
        listener = self.ports.listener
        if listener is not None and self.state.ctx.voice_input and not listener.available:
            problem = str(getattr(listener, "problem", "") or "")
            log.warning("voice input stopped: %s", problem or "the listener is unavailable")
            self.handle(d.VoiceLost(problem))

    def _listen(self) -> None:
        self._notice_voice_lost()
        listener = self.ports.listener
        if listener is None or not listener.available or not self.state.ctx.voice_input:
            return
        if not self.grammar:
            return
        turn = self._listen_turn

        def on_result(result: Heard) -> None:
            self.post(lambda: self._heard(result, turn))

        listener.listen(self.grammar, on_result)

    def _heard(self, result: Heard, turn: int) -> None:
        if turn != self._listen_turn:
            return  # the screen changed meanwhile
        if result.result == "heard" and result.intent:
            self.handle(d.Heard(result.intent))
        elif result.result == "unclear":
            self.handle(d.Unclear())
        else:  # silence: keep listening on the same screen
            self._listen()

    # -- printing -----------------------------------------------------------------------------
    def _case_of(self, draft: d.CaseDraft) -> Case:
        priority = draft.priority != Priority.NONE.value
        ticket = self.ports.journal.next_ticket(self.terminal_id, priority)
        return case_of(draft, self.terminal_id, ticket)

    def _print_new(self, draft: d.CaseDraft) -> None:
        j = self.ports.journal
        try:
            case = self._case_of(draft)
            payload = self.ports.encode(case)
            case_id = j.record_case(case, payload)
            if draft.topic:  # feedback: its topic, and the call-back number apart from the case
                j.record_feedback(draft.topic, draft.phone, case.ticket.label)
        except Exception as exc:  # noqa: BLE001 - reported to the resident as a value
            log.error("cannot record the case: %s", type(exc).__name__ if draft.phone else exc)
            self.post(lambda: self.handle(d.Printed(ok=False, recorded=False, problem="journal")))
            return
        self._cases = {case_id: case}  # only this visit's case can be printed again
        self._print(case, payload, case_id, draft.lang)

    def _print_again(self, e: d.RetryPrint) -> None:
        case = self._cases.get(e.case_id)
        if case is None:
            self.post(lambda: self.handle(d.Printed(ok=False, recorded=False, problem="lost")))
            return
        self._print(case, e.payload, e.case_id, e.draft.lang)

    def _print_note(self, e: d.PrintNote) -> None:
        try:
            report = self.ports.printer.print_note(e.heading, e.lines, e.lang)
            ok, problem = report.ok, report.problem
        except Exception as exc:  # noqa: BLE001 - the printer port should not raise; be safe
            log.error("printer: %s", exc)
            ok, problem = False, "error"
        self.post(lambda: self.handle(d.NotePrinted(ok, problem)))

    def _print(self, case: Case, payload: str, case_id: int, lang: str) -> None:
        procedure = (
            self.ctx.services[case.service] if case.service
            else self.ctx.procedures[case.procedure_code]
        )
        try:
            report = self.ports.printer.print_case(case, procedure, payload, lang)
            ok, problem, lines, kinds = report.ok, report.problem, report.lines, report.kinds
        except Exception as exc:  # noqa: BLE001 - the printer port should not raise; be safe
            log.error("printer: %s", exc)
            ok, problem, lines, kinds = False, "error", (), ()
        self._journal(lambda: self.ports.journal.record_print(case_id, ok, problem))
        event = d.Printed(
            ok=ok,
            recorded=True,
            ticket=case.ticket.label,
            payload=payload,
            case_id=case_id,
            slip=lines,
            slip_kinds=kinds,
            problem=problem,
        )
        self.post(lambda: self.handle(event))
