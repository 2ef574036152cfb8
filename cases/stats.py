"""The month's numbers for the commune chairman, computed exactly from the journal.

Which cases count: those made in the month (their ``day``, local time). Their events count
whatever day they happened on (a case made on the 31st and served on the 1st belongs to the
month it was made in).

* residents helped: every case made in the month (one case per visit; nobody is identified);
* served (a "done" event), absent (called, nobody came) and not served (still open when the
  working day ended: ``cases.life``, "closed"), each case by where its life ended;
* by procedure group, priority reason and channel: case counts;
* waiting time: from the handoff at the desk to the first call, for cases that were called;
* service time: from the first "started" to the first "done" after it;
* satisfaction: the last answer of each case; shares are over the residents who answered
  (satisfied, neutral, unsatisfied); "skipped" is counted apart;
* slips that never printed (every print of the case failed);
* calls for staff: presses of "Gọi cán bộ" made in the month (by the time the terminal
  recorded), how many a counter took, and the time from the press to the taking;
* terminals: for each terminal that forwards to this hub (``cases.centre``), or whose slips
  were scanned here, whether everything it recorded in the month has arrived, so a report
  never silently misses one.
"""

from __future__ import annotations

import calendar
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from cases.case import DESK_TERMINAL_ID, Priority
from cases.centre import peers
from cases.journal import CHANNELS, SATISFACTION_ANSWERS, CaseEvent, Journal
from cases.life import Status, replay

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class StatsError(ValueError):
    """A bad month argument."""


@dataclass(frozen=True, slots=True)
class Times:
    """Durations in minutes."""

    count: int
    """How many cases had both ends of the interval."""
    median_minutes: float | None
    """None when ``count`` is 0."""
    mean_minutes: float | None


FRESH = timedelta(minutes=10)
"""A terminal that had sent everything this recently counts as complete for the month so far
(terminals tell the hub every 30 s when idle)."""
CLOCK_SKEW = 120.0
"""Seconds of difference between a terminal's clock and the hub's worth a warning."""


@dataclass(frozen=True, slots=True)
class TerminalSync:
    """Whether a terminal's records of the month are all in this journal."""

    terminal_id: str
    local: bool
    """It writes straight into this journal (one machine): always complete."""
    complete_at: datetime | None
    """When it had last sent everything it had recorded (None: never yet)."""
    last_seen: datetime | None
    """Its last contact (None: it never forwarded; only its scanned slips are known)."""
    pending: int
    """Records it still had to send at its last contact."""
    complete: bool
    """Everything it recorded in the month is here."""
    clock_offset: float = 0.0
    """Seconds the hub's clock was ahead of the terminal's."""

    @property
    def clock_wrong(self) -> bool:
        return abs(self.clock_offset) > CLOCK_SKEW


def terminal_syncs(
    journal: Journal, terminal_ids: Iterable[str], end: datetime, now: datetime
) -> tuple[TerminalSync, ...]:
    """Every forwarding terminal, and every other terminal in ``terminal_ids`` (seen in the
    month's cases, e.g. from scanned slips). Complete when it had sent everything after
    ``end`` (the end of the month), or within ``FRESH`` of ``now`` for the month under way."""
    out: list[TerminalSync] = []
    needed = min(end, now - FRESH)
    for peer in peers(journal):
        done = peer.local or (peer.complete_at is not None and peer.complete_at >= needed)
        out.append(TerminalSync(
            peer.terminal_id, peer.local, peer.complete_at, peer.last_seen, peer.pending, done,
            peer.clock_offset,
        ))
    known = {t.terminal_id for t in out}
    for terminal_id in sorted(set(terminal_ids) - known - {DESK_TERMINAL_ID}):
        out.append(TerminalSync(terminal_id, False, None, None, 0, False))
    return tuple(sorted(out, key=lambda t: (t.terminal_id, t.last_seen or datetime.min)))


@dataclass(frozen=True, slots=True)
class MonthReport:
    month: str
    """YYYY-MM."""
    first_day: date
    last_day: date
    residents: int
    """Cases made in the month."""
    served: int
    """Cases with a "done" event."""
    absent: int
    """Cases whose life ended absent (called, nobody came)."""
    by_group: tuple[tuple[str, int], ...]
    """(group id, count), most first then by id; "" is an unknown group."""
    by_priority: tuple[tuple[str, int], ...]
    """(priority reason, count) for every reason in ``Priority`` order, zeros included."""
    by_channel: tuple[tuple[str, int], ...]
    """(channel, count) for "terminal" and "desk"."""
    by_procedure: tuple[tuple[str, int], ...]
    """(procedure code, count), most first then by code."""
    waiting: Times
    service: Times
    satisfaction: tuple[tuple[str, int], ...]
    """(answer, cases) for satisfied, neutral, unsatisfied, skipped."""
    not_served: int = 0
    """Cases still waiting or at a counter when their working day ended (closed)."""
    terminals: tuple[TerminalSync, ...] = ()
    """What each terminal has sent to this journal, by terminal id."""
    print_failed: int = 0
    """Cases whose slip never printed (the printer failed and no reprint worked)."""
    help_calls: int = 0
    """Presses of "Gọi cán bộ" on a terminal in the month."""
    help_answered: int = 0
    """Of them, those that staff took at a counter."""
    help_answer: Times = Times(0, None, None)
    """From the press to a counter taking it."""

    @property
    def missing_terminals(self) -> tuple[str, ...]:
        """Terminals whose records of the month may not all be here."""
        return tuple(t.terminal_id for t in self.terminals if not t.complete)

    @property
    def answered(self) -> int:
        """Residents who gave an answer (not skipped)."""
        return sum(n for answer, n in self.satisfaction if answer != "skipped")

    def share(self, answer: str) -> Fraction:
        """Share of ``answer`` among residents who answered (exact); 0 when nobody did."""
        if not self.answered:
            return Fraction(0)
        return Fraction(dict(self.satisfaction).get(answer, 0), self.answered)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of "YYYY-MM"; raises StatsError for anything else."""
    found = _MONTH.fullmatch(month.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1:
        raise StatsError(f"month {month!r} is not valid; expected YYYY-MM, e.g. 2026-11")
    year, mon = int(found.group(1)), int(found.group(2))
    return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])


def _times(seconds: list[float]) -> Times:
    if not seconds:
        return Times(0, None, None)
    return Times(
        len(seconds), statistics.median(seconds) / 60, statistics.fmean(seconds) / 60
    )


def _counted(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def month_report(journal: Journal, month: str, now: datetime | None = None) -> MonthReport:
    """The numbers of ``month`` ("YYYY-MM") from ``journal``; ``now``: the journal's clock."""
    first, last = month_bounds(month)
    cases = journal.cases(first.isoformat(), last.isoformat())
    events: dict[int, list[CaseEvent]] = {c.id: [] for c in cases}
    for event in journal.case_events([c.id for c in cases]):
        events[event.case_id].append(event)

    groups: dict[str, int] = {}
    procedures: dict[str, int] = {}
    priorities = {str(p): 0 for p in Priority}
    channels = dict.fromkeys(CHANNELS, 0)
    answers = dict.fromkeys(SATISFACTION_ANSWERS, 0)
    waiting: list[float] = []
    service: list[float] = []
    served = absent = not_served = print_failed = 0
    for case in cases:
        groups[case.group] = groups.get(case.group, 0) + 1
        procedures[case.procedure_code] = procedures.get(case.procedure_code, 0) + 1
        priorities[case.priority] = priorities.get(case.priority, 0) + 1
        channels[case.channel] = channels.get(case.channel, 0) + 1
        mine = events[case.id]
        handoff = next((e for e in mine if e.kind == "handed_off"), None)
        if handoff is not None:
            call = next((e for e in mine if e.kind == "called" and e.id > handoff.id), None)
            if call is not None:
                waiting.append((call.at - handoff.at).total_seconds())
        start = next((e for e in mine if e.kind == "started"), None)
        if start is not None:
            done = next((e for e in mine if e.kind == "done" and e.id > start.id), None)
            if done is not None:
                service.append((done.at - start.at).total_seconds())
        if any(e.kind == "done" for e in mine):
            served += 1
        prints = [e.ok for e in mine if e.kind == "printed"]
        print_failed += bool(prints) and not any(prints)
        ended = replay((e.kind, e.counter) for e in mine).status
        absent += ended is Status.ABSENT
        not_served += ended is Status.CLOSED
        said = [e.detail for e in mine if e.kind == "satisfaction"]
        if said and said[-1] in answers:
            answers[said[-1]] += 1
    calls = [e for e in journal.events("call_staff") if first <= e.at.date() <= last]
    taken: dict[str, datetime] = {}
    for e in journal.events("call_staff_taken"):
        taken.setdefault(e.detail.split(" ")[0], e.at)
    answer_times = [
        max(0.0, (taken[str(c.id)] - c.at).total_seconds()) for c in calls if str(c.id) in taken
    ]
    return MonthReport(
        month=f"{first.year:04d}-{first.month:02d}",
        first_day=first,
        last_day=last,
        residents=len(cases),
        served=served,
        absent=absent,
        not_served=not_served,
        print_failed=print_failed,
        help_calls=len(calls),
        help_answered=len(answer_times),
        help_answer=_times(answer_times),
        terminals=terminal_syncs(
            journal, {c.terminal_id for c in cases if c.channel == "terminal"},
            datetime.combine(last, time(23, 59, 59)), now or journal.now(),
        ),
        by_group=_counted(groups),
        by_priority=tuple(priorities.items()),
        by_channel=tuple(channels.items()),
        by_procedure=_counted(procedures),
        waiting=_times(waiting),
        service=_times(service),
        satisfaction=tuple(answers.items()),
    )
