"""The edges the session talks to, as Protocols, with simple fakes for tests.

Real adapters (``terminal.adapters``) wrap ``voices.out.VoiceOut``, ``voices.listen.VoiceIn``,
``cases.journal.Journal``, ``cases.codec`` and the ``printer`` package; the dialogue never sees
any of them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from cases.case import Case, Ticket
from procedures.model import Procedure, Service

SpeechItem = tuple[str | None, str]
"""(phrase id or None, text)."""
ChoiceSpec = tuple[str, tuple[str, ...]]
"""(intent, phrases) for one listening turn."""


@dataclass(frozen=True)
class Heard:
    """What the listener reports: "heard" (with intent), "unclear" or "silence"."""

    result: str
    intent: str | None = None
    text: str = ""


@dataclass(frozen=True)
class PrintReport:
    """What printing one slip gave."""

    ok: bool
    problem: str | None
    lines: tuple[tuple[str, str], ...]
    """(screen text, spoken text) of every slip line."""
    detail: str = ""
    kinds: tuple[str, ...] = ()
    """The kind of each line (``printer.slip.KINDS``): the voice reads "missing" ones first."""


class SpeakerPort(Protocol):
    def say_all(self, items: Sequence[SpeechItem]) -> None: ...
    def stop(self) -> None: ...
    def apply(self, lang: str, rate_step: int, volume_step: int) -> None: ...
    def use_voice(self, voice: str) -> None:
        """Speak with clip pack ``voice`` ("" = the language's own); called only when a
        resident chooses another voice on the language screen, and when the visit ends."""
        ...

    @property
    def speaking(self) -> bool: ...
    @property
    def available(self) -> bool: ...
    def close(self) -> None: ...


class ListenerPort(Protocol):
    def listen(self, choices: Sequence[ChoiceSpec], on_result: Callable[[Heard], None]) -> None: ...
    def stop(self) -> None: ...
    @property
    def available(self) -> bool: ...
    def close(self) -> None: ...


class JournalPort(Protocol):
    def next_ticket(self, terminal_id: str, priority: bool, day: date | None = None) -> Ticket: ...
    def record_case(self, case: Case, payload: str, channel: str = "terminal") -> int: ...
    def record_print(self, case_id: int, ok: bool, problem: str | None = None) -> None: ...
    def record_satisfaction(self, case_id: int, answer: str) -> None: ...
    def record_event(self, kind: str, detail: str = "") -> None: ...
    def record_feedback(self, topic: str, phone: str = "", ticket: str = "") -> str:
        """A resident's feedback (and, when she asked for a call back, her number)."""
        ...

    def events_of(self, case_id: int, kind: str | None = None) -> list[Any]: ...


class PrinterPort(Protocol):
    def print_case(
        self, case: Case, procedure: Procedure | Service, payload: str, lang: str
    ) -> PrintReport:
        """Build the slip (a procedure's checklist, or a service's short slip), print it,
        never raise."""
        ...

    def print_note(
        self, heading: str, lines: tuple[tuple[str, str], ...], lang: str
    ) -> PrintReport:
        """Print a short slip with no case and no QR code (a referral), never raise."""
        ...


class ClockPort(Protocol):
    def now(self) -> float: ...


# -- fakes --------------------------------------------------------------------------------------
@dataclass
class FakeSpeaker:
    """Records what would be said; ``speaking`` stays True until ``finish()``."""

    said: list[tuple[SpeechItem, ...]] = field(default_factory=list)
    stops: int = 0
    settings: list[tuple[str, int, int]] = field(default_factory=list)
    voices: list[str] = field(default_factory=list)
    """Every clip pack chosen through ``use_voice``, in order."""
    available: bool = True
    on_idle: Callable[[], None] | None = None
    _speaking: bool = False
    unfinished: list[SpeechItem] = field(default_factory=list)
    """What the last ``stop`` cut short (all of the last queue: a fake never plays)."""

    def say_all(self, items: Sequence[SpeechItem]) -> None:
        self.said.append(tuple(items))
        self.unfinished = []
        self._speaking = bool(items)

    def stop(self) -> None:
        if self._speaking and self.said:
            self.unfinished = list(self.said[-1])  # a fake never gets past the first item
        self.stops += 1
        self._speaking = False

    def finish(self) -> None:
        """The queue has played to its end."""
        self._speaking = False
        if self.on_idle:
            self.on_idle()

    def apply(self, lang: str, rate_step: int, volume_step: int) -> None:
        self.settings.append((lang, rate_step, volume_step))

    def use_voice(self, voice: str) -> None:
        self.voices.append(voice)

    @property
    def speaking(self) -> bool:
        return self._speaking

    @property
    def last_text(self) -> str:
        return " ".join(t for _, t in self.said[-1]) if self.said else ""

    def close(self) -> None:
        pass


@dataclass
class FakeListener:
    grammars: list[tuple[ChoiceSpec, ...]] = field(default_factory=list)
    pending: Callable[[Heard], None] | None = None
    available: bool = True
    stops: int = 0

    def listen(self, choices: Sequence[ChoiceSpec], on_result: Callable[[Heard], None]) -> None:
        self.grammars.append(tuple(choices))
        self.pending = on_result

    def hear(self, result: Heard) -> None:
        callback, self.pending = self.pending, None
        assert callback is not None, "nothing is listening"
        callback(result)

    def stop(self) -> None:
        self.stops += 1
        self.pending = None

    def close(self) -> None:
        pass


@dataclass
class FakeJournal:
    """In memory; ``log`` keeps the order of calls (record_case must come before printing)."""

    log: list[tuple] = field(default_factory=list)
    fail: bool = False
    case_events: list[tuple[int, str]] = field(default_factory=list)
    """(case id, kind) the desk recorded, e.g. ``(1, "handed_off")``."""
    _numbers: dict[bool, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_ticket(self, terminal_id: str, priority: bool, day: date | None = None) -> Ticket:
        if self.fail:
            raise OSError("journal is read-only")
        with self._lock:
            n = self._numbers.get(priority, 0) + 1
            self._numbers[priority] = n
        return Ticket(n, priority)

    def record_case(self, case: Case, payload: str, channel: str = "terminal") -> int:
        self.log.append(("record_case", case, payload))
        return sum(1 for e in self.log if e[0] == "record_case")

    def record_print(self, case_id: int, ok: bool, problem: str | None = None) -> None:
        self.log.append(("record_print", case_id, ok, problem))

    def record_satisfaction(self, case_id: int, answer: str) -> None:
        self.log.append(("record_satisfaction", case_id, answer))

    def record_event(self, kind: str, detail: str = "") -> None:
        self.log.append(("record_event", kind, detail))

    def record_feedback(self, topic: str, phone: str = "", ticket: str = "") -> str:
        self.log.append(("record_feedback", topic, phone, ticket))
        return f"{len(self.log):016x}"

    def events_of(self, case_id: int, kind: str | None = None) -> list[Any]:
        return [e for e in self.case_events if e[0] == case_id and kind in (None, e[1])]

    def kinds(self) -> list[str]:
        return [e[0] for e in self.log]


@dataclass
class FakePrinter:
    """Prints nothing; ``ok`` decides the outcome; appends to a shared log when given one."""

    ok: bool = True
    problem: str = "paper_out"
    printed: list[tuple[Case, str]] = field(default_factory=list)
    log: list[tuple] | None = None
    notes: list[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=list)

    def print_case(
        self, case: Case, procedure: Procedure | Service, payload: str, lang: str
    ) -> PrintReport:
        self.printed.append((case, payload))
        if self.log is not None:
            self.log.append(("print", case.ticket.label, self.ok))
        head = (procedure.short_name, procedure.spoken_name)
        ticket = (case.ticket.label, f"Số {case.ticket.label}")
        if isinstance(procedure, Service):
            rows = tuple((b, b) for b in procedure.bring)
            kinds = ("bring",) * len(rows)
        else:
            rows = tuple((p.short, p.short) for p in procedure.papers)
            kinds = tuple("have" if h else "missing" for h in case.have)
        lines, kinds = (head, ticket, *rows), ("heading", "ticket", *kinds)
        return PrintReport(self.ok, None if self.ok else self.problem, lines, "", kinds)

    def print_note(
        self, heading: str, lines: tuple[tuple[str, str], ...], lang: str
    ) -> PrintReport:
        self.notes.append((heading, lines))
        if self.log is not None:
            self.log.append(("print_note", heading, self.ok))
        return PrintReport(self.ok, None if self.ok else self.problem, ((heading, heading), *lines))


@dataclass
class FakeClock:
    t: float = 1000.0

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> float:
        self.t += seconds
        return self.t


def fake_encode(case: Case) -> str:
    """A stand-in payload (uppercase, QR-alphanumeric)."""
    have = "".join("1" if h else "0" for h in case.have)
    return f"H1:{case.terminal_id}:{case.ticket.label}:{case.procedure_code}:{have}"
