"""Month report numbers, exact against a seeded journal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from cases.case import Case, Priority, Ticket
from cases.journal import Journal
from cases.stats import StatsError, Times, month_bounds, month_report
from tests.cases.support import Clock

GROUPS = {"1.001193": "ho_tich", "2.000815": "chung_thuc", "9.999": ""}


def seed(path: Path) -> Journal:
    """Five November cases and one each in October and December.

    waiting (handoff→call): 4, 10, 7, 7 min → median 7, mean 7
    service (start→done): 12, 20 min → median 16, mean 16
    satisfaction (last answer): satisfied ×2, unsatisfied ×1, skipped ×1
    """
    clock = Clock(datetime(2026, 11, 2, 8, 0))
    j = Journal(path, clock=clock, group_of=lambda code: GROUPS.get(code, ""))

    def case(n: int, code: str, day: int, priority: Priority = Priority.NONE,
             month: int = 11, channel: str = "terminal") -> int:
        c = Case("T1", Ticket(n, priority is not Priority.NONE), code, (True,),
                 priority=priority, created=datetime(2026, month, day, 8, 0))
        return j.record_case(c, f"P{n}-{month}-{day}", channel=channel)

    def ev(case_id: int, kind: str, minute: int, **kw: object) -> None:
        clock.at(datetime(2026, 11, 2, 9, 0) + timedelta(minutes=minute))
        j.record_case_event(case_id, kind, **kw)  # type: ignore[arg-type]

    a = case(1, "1.001193", 2, Priority.ELDERLY)
    b = case(2, "1.001193", 2)
    c = case(3, "2.000815", 15, Priority.DISABLED, channel="desk")
    d = case(4, "1.001193", 30, Priority.ELDERLY)
    e = case(5, "9.999", 30)
    case(6, "1.001193", 31, month=10)
    case(7, "1.001193", 1, month=12)

    ev(a, "handed_off", 0)
    ev(a, "called", 4, counter=1)
    ev(a, "started", 5)
    ev(a, "done", 17)
    ev(a, "satisfaction", 18, detail="unsatisfied")
    ev(a, "satisfaction", 19, detail="satisfied")  # changed their mind: the last answer counts
    ev(b, "handed_off", 1)
    ev(b, "called", 11, counter=2)
    ev(b, "called", 30, counter=2)  # a second call does not change the waiting time
    ev(b, "started", 31)
    ev(b, "done", 51)
    ev(b, "satisfaction", 52, detail="satisfied")
    ev(c, "handed_off", 2)
    ev(c, "called", 9, counter=1)
    ev(c, "absent", 15)
    ev(c, "satisfaction", 16, detail="skipped")
    ev(d, "handed_off", 3)  # still waiting: no waiting time yet
    ev(e, "satisfaction", 5, detail="unsatisfied")
    ev(e, "handed_off", 5)
    ev(e, "called", 12, counter=3)
    ev(e, "started", 13)  # started, never done: no service time
    return j


@pytest.fixture
def report(tmp_path: Path):
    with seed(tmp_path / "j.sqlite3") as j:
        yield month_report(j, "2026-11")


def test_residents_served_and_absent_are_counted(report) -> None:
    assert (report.residents, report.served, report.absent) == (5, 2, 1)


def test_cases_are_counted_by_group(report) -> None:
    assert report.by_group == (("ho_tich", 3), ("", 1), ("chung_thuc", 1))


def test_cases_are_counted_by_priority_reason_with_zeros(report) -> None:
    assert report.by_priority == (
        ("none", 2),
        ("elderly", 2),
        ("disabled", 1),
        ("pregnant", 0),
        ("small_child", 0),
        ("seriously_ill", 0),
    )


def test_cases_are_counted_by_channel(report) -> None:
    assert report.by_channel == (("terminal", 4), ("desk", 1))


def test_cases_are_counted_by_procedure(report) -> None:
    assert report.by_procedure == (("1.001193", 3), ("2.000815", 1), ("9.999", 1))


def test_waiting_time_is_handoff_to_first_call(report) -> None:
    assert report.waiting == Times(4, 7.0, 7.0)


def test_service_time_is_start_to_done(report) -> None:
    assert report.service == Times(2, 16.0, 16.0)


def test_satisfaction_counts_the_last_answer_of_each_case(report) -> None:
    assert report.satisfaction == (
        ("satisfied", 2),
        ("neutral", 0),
        ("unsatisfied", 1),
        ("skipped", 1),
    )
    assert report.answered == 3
    assert report.share("satisfied") == Fraction(2, 3)
    assert report.share("unsatisfied") == Fraction(1, 3)


def test_an_empty_month_has_zeros_and_no_times(tmp_path: Path) -> None:
    with seed(tmp_path / "j.sqlite3") as j:
        r = month_report(j, "2026-09")
    assert (r.residents, r.served, r.answered) == (0, 0, 0)
    assert r.waiting == Times(0, None, None)
    assert r.share("satisfied") == 0


def test_month_bounds_know_february_of_a_leap_year() -> None:
    assert month_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "11-2026", "", "2026-00", "0000-01"])
def test_a_bad_month_is_refused(bad: str) -> None:
    with pytest.raises(StatsError, match="expected YYYY-MM"):
        month_bounds(bad)


def test_the_report_says_which_terminals_have_sent_everything(tmp_path: Path) -> None:
    from cases.centre import ingest, note_local_terminal, outgoing

    clock = Clock(datetime(2026, 11, 20, 16, 0))
    hub = Journal(tmp_path / "hub.sqlite3", clock=clock, group_of=lambda c: "")
    sources = {}
    for terminal in ("T1", "T2"):
        j = Journal(tmp_path / f"{terminal}.sqlite3", clock=clock, group_of=lambda c: "")
        for n in range(3):
            j.record_case(Case(terminal, Ticket(n + 1, False), "1.001193", (True,),
                               created=datetime(2026, 11, 20, 9, n)), f"{terminal}-{n}")
        sources[terminal] = j

    def send(terminal: str, limit: int, at: datetime) -> None:
        j = sources[terminal]
        body = {"journal": j.journal_id, "terminal": terminal, "sent_at": at.isoformat(),
                "heads": j.heads(), "after": None}
        _, after = ingest(hub, body, at)
        rows, _ = outgoing(j, after, limit)
        ingest(hub, {**body, "after": after, **rows}, at)

    send("T1", 50, datetime(2026, 12, 1, 7, 0))  # everything, after the month ended
    send("T2", 2, datetime(2026, 11, 20, 16, 3))  # two of three, then nothing more
    hub.record_case(Case("T3", Ticket(1, False), "1.001193", (True,),
                         created=datetime(2026, 11, 21, 9, 0)), "T3-scanned")  # a scanned slip
    note_local_terminal(hub, "T4")
    report = month_report(hub, "2026-11", now=datetime(2026, 12, 2, 8, 0))
    states = {t.terminal_id: (t.complete, t.pending, t.last_seen is not None)
              for t in report.terminals}
    assert states == {"T1": (True, 0, True), "T2": (False, 1, True), "T3": (False, 0, False),
                      "T4": (True, 0, True)}
    assert report.missing_terminals == ("T2", "T3")
    assert report.residents == 6  # T2's third case has not arrived
    # the month under way: complete when everything was sent in the last ten minutes
    now = datetime(2026, 12, 1, 7, 5)
    assert month_report(hub, "2026-12", now=now).missing_terminals == ("T2",)
    later = datetime(2026, 12, 1, 7, 11)
    assert month_report(hub, "2026-12", now=later).missing_terminals == ("T1", "T2")
