"""One working day at a centre, followed through: residents at the hall terminal and one clerk
at counter 1, from opening to the end of the day and the chairman's report.

Real parts: ``hotro desk`` (the hub, its SQLite journal, sign-in, CSRF, queue, feedback list,
end of day and report) and ``hotro run --text`` (the terminal: the real matcher, dialogue,
journal, codec, PNG printer and forwarder) as two processes with two journals over loopback
HTTP; the clerk is a signed-in HTTP client posting the counter page's own forms. See
tests/desk/processes.py."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from cases.centre import peers
from cases.journal import Journal
from cases.keys import init_key
from cases.life import Status
from tests.desk.processes import Hub, Terminal, make_hub_home, make_terminal_home, wait_for
from tests.desk.test_centre_e2e import FEEDBACK, PHONE, VISIT

pytestmark = pytest.mark.real

VNEID = ["", "1", "giúp tôi kích hoạt VNeID", "1", "6", "1", "1", "1"]
"""A resident in her own words: VNeID help, no priority, go on, satisfied, finish."""


def slip_code(home: Path, label: str) -> str:
    """The QR code of the slip the terminal printed for ``label``, read from its PNG preview
    (zxing-cpp), as the desk's scanner reads the paper (waited for: the slip is written after
    the case is journaled)."""
    import zxingcpp
    from PIL import Image

    def read() -> str | None:
        for slip in home.glob(f"slips/{label}-*.png"):
            try:
                codes = zxingcpp.read_barcodes(Image.open(slip))
            except OSError:  # still being written
                return None
            return codes[0].text if codes else None
        return None

    return str(wait_for(read, f"the slip of {label}"))


def satisfactions(home: Path) -> int:
    """Survey answers in a journal (read-only, as another process writes it)."""
    conn = sqlite3.connect(f"file:{home / 'journal.sqlite3'}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT COUNT(*) FROM case_events WHERE kind = 'satisfaction'")
        return int(row.fetchone()[0])
    finally:
        conn.close()


def case_of(page: str) -> int:
    """The case a counter page shows (``/?case=N`` after a call)."""
    found = re.search(r'action="/case/(\d+)/start"', page)
    assert found, "the page shows no case to start"
    return int(found.group(1))


def test_a_day_at_the_centre_from_opening_to_the_report(tmp_path: Path) -> None:
    init_key(tmp_path / "centre.key")
    hub = Hub(make_hub_home(tmp_path / "hub", tmp_path / "centre.key"))
    t1 = Terminal(make_terminal_home(tmp_path / "T1", tmp_path / "centre.key", "T1", hub.url))
    try:
        with hub.client() as clerk:
            # morning: nobody yet
            assert "Không còn ai chờ." in clerk.post(
                "/call", data={"counter": "1", "csrf": clerk.csrf}).text
            # a young man asks for VNeID help first, then an old lady registers a birth
            t1.type(*VNEID)
            t1.type(*VISIT)
            with Journal(hub.home / "journal.sqlite3") as j:
                wait_for(lambda: len(j.cases()) == 2, "both cases at the hub")
            # each hands in the slip: the clerk scans it, in the order they came
            for label in ("A-101", "U-101"):
                scanned = clerk.post("/scan", data={"payload": slip_code(t1.home, label),
                                                    "csrf": clerk.csrf})
                assert scanned.status_code == 200 and label in scanned.text
            # the clerk calls: the older resident first, though she came second
            page = clerk.post("/call", data={"counter": "1", "csrf": clerk.csrf}).text
            assert "U-101" in page
            lady = case_of(page)
            clerk.post(f"/case/{lady}/start", data={"counter": "1", "csrf": clerk.csrf})
            done = clerk.post(f"/case/{lady}/done", data={"counter": "1", "csrf": clerk.csrf})
            assert "U-101" in done.text
            # then the young man, who has gone home: absent
            page = clerk.post("/call", data={"counter": "1", "csrf": clerk.csrf}).text
            assert "A-101" in page
            man = case_of(page)
            clerk.post(f"/case/{man}/absent", data={"counter": "1", "csrf": clerk.csrf})
            # a dissatisfied resident asks for a call back; the clerk calls and closes it
            t1.type(*FEEDBACK, "1")
            with Journal(hub.home / "journal.sqlite3") as j:
                wait_for(lambda: list(j.callback_phones().values()) == [PHONE],
                         "the call-back number at the hub")
            listed = clerk.get("/feedback").text
            assert PHONE in listed
            ref = re.search(r"/feedback/([0-9a-f]+)/done", listed).group(1)  # type: ignore[union-attr]
            clerk.post(f"/feedback/{ref}/done", data={"csrf": clerk.csrf})
            clerk.post("/scan", data={"payload": slip_code(t1.home, "A-102"), "csrf": clerk.csrf})
            # someone at the terminal presses "gọi cán bộ": the counter page shows it
            t1.type("", "1", "c")
            wait_for(lambda: "Máy T1 gọi cán bộ lúc" in clerk.get("/").text, "the call on the page")
            call = re.search(r'action="/help/(\d+)/take"', clerk.get("/").text)
            assert call, "the call has no button to take it"
            taken = clerk.post(f"/help/{call.group(1)}/take", data={"csrf": clerk.csrf})
            assert "Máy T1 gọi cán bộ lúc" not in taken.text
            # the day ends with the feedback resident's ticket never called
            with Journal(hub.home / "journal.sqlite3") as j:
                wait_for(lambda: peers(j) and peers(j)[0].pending == 0, "everything forwarded")
            # ... the three survey answers included (each is journalled after its slip)
            wait_for(lambda: satisfactions(hub.home) == 3, "the three survey answers at the hub")
            ended = clerk.post("/day/end", data={"csrf": clerk.csrf}).text
            assert "Đã kết thúc ngày. 1 hồ sơ được ghi là chưa được phục vụ." in ended
            month = datetime.now().strftime("%Y-%m")
            csv = clerk.get(f"/report/figures.csv?month={month}").text
            report = clerk.get(f"/report?month={month}").text
    finally:
        t1.stop()
        hub.stop()

    # the hub's record of the day: three residents, each case closed the way it went
    with Journal(hub.home / "journal.sqlite3") as j:
        cases = {c.ticket_label: c for c in j.cases()}
        assert sorted(cases) == ["A-101", "A-102", "U-101"]
        assert j.life(cases["U-101"].id).status is Status.DONE
        assert j.life(cases["A-101"].id).status is Status.ABSENT
        assert j.life(cases["A-102"].id).status is Status.CLOSED
        assert (cases["A-101"].service, cases["A-102"].service) == ("vneid_help", "feedback")
        assert not j.callback_phones()
    for journal in (hub.home / "journal.sqlite3", t1.home / "journal.sqlite3"):
        with sqlite3.connect(journal) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # the terminal kept its own three cases and a slip for each
    with Journal(t1.home / "journal.sqlite3") as j:
        assert len(j.cases()) == 3
    assert len(list((t1.home / "slips").glob("*.png"))) == 3
    # the chairman's report counts the day as it went, from the hub alone
    for row in (
        f"{month},total,residents,Số lượt người dân được hỗ trợ,3",
        f"{month},centre_service,vneid_help,Hỗ trợ VNeID,1",
        f"{month},centre_service,feedback,\"Góp ý, phản ánh\",1",
        f"{month},procedure,1.001193,Đăng ký khai sinh,1",
        f"{month},priority,elderly,Người cao tuổi,1",
        f"{month},total,call_backs,Người dân xin gọi lại,1",
    ):
        assert row in csv, (row, csv)
    assert f"{month},satisfaction,satisfied,Hài lòng,3" in csv, csv
    assert "Báo cáo có thể thiếu" not in report
    assert PHONE not in csv and PHONE not in report
