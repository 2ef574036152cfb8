"""Printer fault drills: the whole terminal session meets a printer that fails.

Every drill runs the real dialogue (``terminal.session.Session``), the real catalogue and phrase
pack, the real centre key and QR codec, the real SQLite journal and the real slip printer port
(``terminal.wiring.SlipPrinter``: ``build_slip`` → Pillow ``render_slip`` → python-escpos →
``printer.output.print_image``). Only the speaker is a recording fake. The printer is the emupos
simulator (real ESC/POS over TCP, real DLE EOT status), a slow TCP relay in front of it, a TCP
server that never answers, a closed port, or a USB printer that is not plugged in.

Each drill asserts (a) the resident is told what to do: the print-failed screen shows the ticket
and the QR payload very large, its text and speech come from the phrase pack, and "print again"
is offered; (b) the visit goes on (print again after the fault is cleared, survey, reset);
(c) the journal is intact: integrity_check ok, the case is there with its failed (and later
successful) print events, and no second ticket was drawn for the retry.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest

from cases.journal import Journal
from terminal.session import run_in_thread
from terminal.wiring import SlipPrinter
from tests.drills.support import BIRTH, Drive, integrity, make_config, phrase, start_session

pytestmark = pytest.mark.real


class Relay:
    """A TCP relay to a printer that passes the job on in small slow pieces.

    ``chunk`` bytes every ``delay`` seconds from the terminal to the printer (the printer's
    answers come back at once). ``on_bytes(n)`` is called with the running count of job bytes.
    ``target`` None: accept and never answer (a printer that hangs).
    """

    def __init__(
        self,
        target: tuple[str, int] | None,
        chunk: int = 4096,
        delay: float = 0.0,
        on_bytes=None,  # noqa: ANN001
    ) -> None:
        self.target = target
        self.chunk = chunk
        self.delay = delay
        self.on_bytes = on_bytes
        self.forwarded = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self._sockets.append(client)
            if self.target is None:
                continue  # hold the connection open, never read, never answer
            upstream = socket.create_connection(self.target, timeout=10)
            self._sockets.append(upstream)
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, slow: bool) -> None:
        try:
            while True:
                data = src.recv(self.chunk if slow else 65536)
                if not data:
                    break
                dst.sendall(data)
                if slow:
                    self.forwarded += len(data)
                    if self.on_bytes is not None:
                        self.on_bytes(self.forwarded)
                    if self.delay and len(data) > 8:  # status requests go through at once
                        time.sleep(self.delay)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop.set()
        with suppress(OSError):  # wakes the accept() (close alone does not, on Linux)
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        self._acceptor.join(timeout=5)
        for s in self._sockets:
            s.close()


@contextmanager
def relay(*args, **kwargs) -> Iterator[Relay]:  # noqa: ANN002, ANN003
    r = Relay(*args, **kwargs)
    try:
        yield r
    finally:
        r.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_told_to_show_the_screen(drive: Drive, journal: Journal) -> tuple[int, str, str]:
    """(a) of every printer drill: the print-failed screen, its words, the case kept."""
    screen = drive.screen
    assert screen.name == "print_failed"
    ticket = drive.session.state.visit.ticket
    payload = drive.session.state.visit.payload
    assert ticket and payload
    assert screen.big == ticket  # the ticket number very large on screen
    assert screen.qr == payload  # and the QR code the desk can scan
    warn_screen, warn_spoken = phrase("warning_print_failed", ticket=ticket)
    assert screen.prompt == warn_screen
    assert warn_spoken in drive.said  # said aloud, naming the ticket
    assert screen.option("retry") is not None  # "In lại" is offered
    assert screen.option("retry").label == phrase("button_print_again")[0]
    row = journal.case_by_payload(payload)
    assert row is not None and row.ticket_label == ticket  # the case is kept
    return row.id, ticket, payload


def retry_and_finish(drive: Drive, journal: Journal, case_id: int, ticket: str) -> None:
    """(b) and (c): print again once the fault is gone; the same case, no new ticket."""
    drive.press("retry")
    drive.wait_screen("printed", "print_failed")
    assert drive.screen.name == "printed", drive.screen.prompt
    assert drive.screen.big == ticket
    drive.finish_visit()
    assert [c.ticket_label for c in journal.cases()] == [ticket]
    assert [e.detail for e in journal.events_of(case_id, "satisfaction")] == ["satisfied"]
    assert integrity(journal.path) == "ok"


@pytest.mark.parametrize(
    ("fault", "problem"),
    [("offline", "offline"), ("paper-out", "paper_out"), ("cover-open", "cover_open")],
)
def test_emupos_fault_before_the_job_shows_the_slip_on_screen_and_prints_again(
    emupos, home, fault, problem
):
    """Real parts: emupos (TCP, 80 mm), python-escpos, Pillow, SQLite journal, codec, dialogue."""
    config = make_config(home, f"tcp:127.0.0.1:{emupos.ports['p80']}", timeout=5)
    journal = Journal(config.journal_path)
    drive = start_session(config, SlipPrinter(config), journal)
    drive.to_confirm()
    before = len(emupos.receipts("p80"))
    emupos.fault("p80", fault, True)
    try:
        drive.press("button_yes")
        case_id, ticket, _ = assert_told_to_show_the_screen(drive, journal)
        printed = [(e.ok, e.detail) for e in journal.events_of(case_id, "printed")]
        assert printed == [(False, problem)]
    finally:
        emupos.fault("p80", fault, False)
    retry_and_finish(drive, journal, case_id, ticket)
    emupos.wait_receipt("p80", before)
    assert [e.ok for e in journal.events_of(case_id, "printed")] == [False, True]
    journal.close()


def test_paper_out_in_the_middle_of_the_job(emupos, home):
    """Real parts: emupos behind a slow TCP relay (the job takes about a second), python-escpos,
    Pillow, SQLite journal, codec, dialogue. Paper runs out after 20 kB of the raster image."""
    fired = threading.Event()

    def paper_runs_out(n: int) -> None:
        if n > 20_000 and not fired.is_set():
            fired.set()
            emupos.fault("p80", "paper-out", True)

    with relay(("127.0.0.1", emupos.ports["p80"]), chunk=4096, delay=0.02,
               on_bytes=paper_runs_out) as r:
        config = make_config(home, f"tcp:127.0.0.1:{r.port}", timeout=5)
        journal = Journal(config.journal_path)
        drive = start_session(config, SlipPrinter(config), journal)
        drive.to_confirm()
        try:
            drive.press("button_yes")
            assert fired.is_set(), "the job ended before the paper ran out"
            case_id, ticket, _ = assert_told_to_show_the_screen(drive, journal)
            printed = [(e.ok, e.detail) for e in journal.events_of(case_id, "printed")]
            assert printed == [(False, "paper_out")]
        finally:
            emupos.fault("p80", "paper-out", False)
        r.on_bytes = None
        retry_and_finish(drive, journal, case_id, ticket)
        journal.close()


def test_slow_printer_keeps_the_resident_waiting_on_the_printing_screen_then_prints(emupos, home):
    """Real parts: emupos behind a slow relay (about 3 s for this 560 kB slip, under the 5 s
    timeout), the print on a background thread as in the app, python-escpos, Pillow, SQLite,
    dialogue."""
    with relay(("127.0.0.1", emupos.ports["p80"]), chunk=4096, delay=0.02) as r:
        config = make_config(home, f"tcp:127.0.0.1:{r.port}", timeout=5)
        journal = Journal(config.journal_path)
        drive = start_session(config, SlipPrinter(config), journal, background=run_in_thread)
        drive.to_confirm()
        started = time.monotonic()
        drive.press("button_yes")
        assert drive.screen.name == "printing"  # told to wait while the slip comes out
        waiting, _ = phrase("prompt_printing")
        assert drive.screen.prompt == waiting
        assert drive.wait_screen("printed", "print_failed", timeout=20) == "printed"
        assert time.monotonic() - started > 1.0, "the relay did not slow the job down"
        ticket = drive.session.state.visit.ticket
        row = journal.cases()[0]
        assert row.ticket_label == ticket
        assert [e.ok for e in journal.events_of(row.id, "printed")] == [True]
        drive.finish_visit()
        assert integrity(config.journal_path) == "ok"
        journal.close()


def test_printer_that_never_answers_times_out_and_the_slip_goes_on_screen(home):
    """Real parts: a TCP server that accepts and never answers (a hung printer), python-escpos,
    Pillow, SQLite journal, codec, dialogue. The status request times out after 1 s."""
    with relay(None) as r:
        config = make_config(home, f"tcp:127.0.0.1:{r.port}", timeout=1)
        journal = Journal(config.journal_path)
        drive = start_session(config, SlipPrinter(config), journal)
        drive.to_confirm()
        started = time.monotonic()
        drive.press("button_yes")
        assert time.monotonic() - started < 5
        case_id, ticket, _ = assert_told_to_show_the_screen(drive, journal)
        assert [(e.ok, e.detail) for e in journal.events_of(case_id, "printed")] == [
            (False, "timeout")
        ]
        drive.desk_takes_the_case()  # the resident shows the screen at the desk
        drive.press("finish")
        assert drive.screen.name == "attract"
        assert integrity(config.journal_path) == "ok"
        journal.close()


def test_printer_switched_off_is_unreachable_and_the_slip_goes_on_screen(home):
    """Real parts: python-escpos connecting to a closed TCP port, Pillow, SQLite, dialogue."""
    config = make_config(home, f"tcp:127.0.0.1:{closed_port()}", timeout=2)
    journal = Journal(config.journal_path)
    drive = start_session(config, SlipPrinter(config), journal)
    drive.to_confirm()
    drive.press("button_yes")
    case_id, ticket, _ = assert_told_to_show_the_screen(drive, journal)
    assert [(e.ok, e.detail) for e in journal.events_of(case_id, "printed")] == [
        (False, "unreachable")
    ]
    drive.press("retry")  # still off: the same screen again, the same case and ticket
    assert drive.screen.name == "print_failed" and drive.screen.big == ticket
    assert [c.ticket_label for c in journal.cases()] == [ticket]
    assert len(journal.events_of(case_id, "printed")) == 2
    assert integrity(config.journal_path) == "ok"
    journal.close()


def test_unplugged_usb_printer_gives_a_clear_problem_and_the_slip_goes_on_screen(home):
    """Real parts: python-escpos USB (pyusb + libusb) looking for a printer that is not plugged
    in, Pillow, SQLite journal, codec, dialogue."""
    from PIL import Image

    from printer.output import print_image

    outcome = print_image(Image.new("1", (576, 40), 1), "usb:04b8:0202", 80, timeout=2)
    assert not outcome.ok and outcome.problem == "unreachable"
    assert "usb:04b8:0202" in outcome.detail and "not found" in outcome.detail
    config = make_config(home, "usb:04b8:0202", timeout=2)
    journal = Journal(config.journal_path)
    drive = start_session(config, SlipPrinter(config), journal)
    drive.to_confirm(BIRTH, priority="none")
    drive.press("button_yes")
    case_id, ticket, _ = assert_told_to_show_the_screen(drive, journal)
    assert ticket.startswith("A")
    assert [e.ok for e in journal.events_of(case_id, "printed")] == [False]
    drive.desk_takes_the_case()
    drive.press("finish")
    assert integrity(config.journal_path) == "ok"
    journal.close()
