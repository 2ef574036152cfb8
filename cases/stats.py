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
  (satisfied, neutral, unsatisfied); "skipped" is counted apart.
"""

from __future__ import annotations

import calendar
import re
import statistics
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from cases.case import Priority
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


def month_report(journal: Journal, month: str) -> MonthReport:
    """The numbers of ``month`` ("YYYY-MM") from ``journal``."""
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
    served = absent = not_served = 0
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
        ended = replay((e.kind, e.counter) for e in mine).status
        absent += ended is Status.ABSENT
        not_served += ended is Status.CLOSED
        said = [e.detail for e in mine if e.kind == "satisfaction"]
        if said and said[-1] in answers:
            answers[said[-1]] += 1
    return MonthReport(
        month=f"{first.year:04d}-{first.month:02d}",
        first_day=first,
        last_day=last,
        residents=len(cases),
        served=served,
        absent=absent,
        not_served=not_served,
        by_group=_counted(groups),
        by_priority=tuple(priorities.items()),
        by_channel=tuple(channels.items()),
        by_procedure=_counted(procedures),
        waiting=_times(waiting),
        service=_times(service),
        satisfaction=tuple(answers.items()),
    )
