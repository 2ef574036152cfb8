"""Disk drills: the disk holding the journal fills up, or turns read-only, during the day.

The journal lives on a small tmpfs mounted for the test (``mount -t tmpfs -o size=1m``; the
tests run as root here). A full disk is a filler file that takes the last free byte; a read-only
disk at start is the tmpfs mounted read-only; a journal that turns read-only while open is
``PRAGMA query_only`` on the journal's own connection (SQLITE_READONLY, as for a read-only file).
Where mounting is not allowed (CI as an ordinary user) a full disk is ``PRAGMA max_page_count``
and a read-only journal at start is a 0444 file in a 0555 folder.

Each drill asserts that the resident is told to call staff (the error screen and its speech from
the phrase pack), that no slip is printed for a case that was not recorded, that the staff log
names the problem, that the visit ends and the next one works once the disk is fixed, and that
the journal is intact (integrity_check ok, earlier cases there, no ticket given twice).
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cases.case import Case, Ticket
from cases.journal import Journal, JournalError
from terminal import dialogue as d
from terminal.config import JournalConfig
from terminal.wiring import SlipPrinter
from tests.drills.support import BIRTH, Drive, integrity, make_config, phrase, start_session

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "1m") -> Iterator[bool]:
    """Mount a tmpfs of ``size`` on ``folder``; yields False when mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = False
    if os.geteuid() == 0 and not os.environ.get("HOTRO_DRILLS_NO_MOUNT"):
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
        )
        mounted = done.returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Take every free byte of the file system holding ``folder``."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as f:
        block = b"\0" * 65536
        with contextlib.suppress(OSError):
            while True:
                f.write(block)
        with contextlib.suppress(OSError):
            while True:
                f.write(b"\0" * 512)
    return filler


def fill_journal(journal: Journal) -> None:
    """Use up the free room of every table (big rows first, then ever smaller ones), so that
    the next case cannot be written once the journal may not grow."""
    n = 0
    for size in (1500, 300, 40, 1):
        with contextlib.suppress(JournalError):
            while True:
                journal.record_event("drill_filler", "X" * size)
        with contextlib.suppress(JournalError):
            while True:
                n += 1
                case = Case("FILL", Ticket(n % 999 + 1, n > 999), BIRTH, (False,) * 6)
                journal.record_case(case, f"FILL-{n}-" + "X" * size)


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


def visit_prints(drive: Drive) -> str:
    drive.to_confirm()
    drive.press("button_yes")
    assert drive.screen.name == "printed", drive.screen.prompt
    ticket = drive.screen.big
    drive.finish_visit()
    return ticket


def assert_told_to_call_staff(drive: Drive, slips: Path, slips_before: int) -> None:
    screen = drive.screen
    assert screen.name == "error_journal"
    title, _ = phrase("title_error")
    text, spoken = phrase("error_journal")
    assert screen.title == title and screen.prompt == text
    assert spoken in drive.said
    assert screen.option("staff") is not None and screen.option("finish") is not None
    assert len(list(slips.glob("*.png"))) == slips_before  # no slip for an unrecorded case


def test_disk_full_mid_day_the_resident_is_sent_to_staff_and_nothing_is_lost(
    home, tmp_path, caplog
):
    """Real parts: SQLite journal (WAL, synchronous FULL) on a 1 MB tmpfs filled to the last
    byte, the real session and dialogue, key, codec, PNG slip printer (on the normal disk)."""
    disk = tmp_path / "disk"
    with small_disk(disk) as mounted:
        config = make_config(home, f"png:{home / 'slips'}")
        config = replace(config, journal=JournalConfig(path=str(disk / "journal.sqlite3")))
        journal = Journal(config.journal_path)
        drive = start_session(config, SlipPrinter(config), journal)
        first = visit_prints(drive)
        slips = home / "slips"
        before = len(list(slips.glob("*.png")))
        if mounted:
            filler = fill(disk)
        else:  # no mount allowed: the journal may not grow, and its free room is used up
            pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
            journal._conn.execute(f"PRAGMA max_page_count = {pages}")
            fill_journal(journal)
        with caplog.at_level(logging.ERROR, logger="hotro.terminal"):
            drive.to_confirm()
            drive.press("button_yes")
        assert_told_to_call_staff(drive, slips, before)
        assert any("is full" in r.getMessage() for r in caplog.records), caplog.text
        drive.press("staff")  # the resident calls staff: the visit goes on, no crash
        assert drive.screen.name == "staff"
        drive.session.handle(d.Command("start_over"))
        assert drive.screen.name == "home"
        if mounted:
            filler.unlink()  # staff free some space
        else:
            journal._conn.execute("PRAGMA max_page_count = 1073741823")
        drive.session.handle(d.Command("back"))
        drive.session.handle(d.Command("back"))
        assert drive.screen.name == "attract"
        third = visit_prints(drive)
        journal.close()
        assert integrity(config.journal_path) == "ok"
        with Journal(config.journal_path) as j:
            labels = [c.ticket_label for c in j.cases() if c.terminal_id == "T1"]
        assert labels == [first, third] and first != third


def test_journal_turns_read_only_mid_day_the_resident_is_sent_to_staff(home, caplog):
    """Real parts: the SQLite journal refusing every write between two visits (``PRAGMA
    query_only`` on its own connection: SQLite answers SQLITE_READONLY exactly as for a read-only
    file; a tmpfs cannot be remounted read-only while the journal holds it open), the real
    session and dialogue, key, codec, PNG slip printer."""
    config = make_config(home, f"png:{home / 'slips'}")
    journal = Journal(config.journal_path)
    drive = start_session(config, SlipPrinter(config), journal)
    first = visit_prints(drive)
    slips = home / "slips"
    before = len(list(slips.glob("*.png")))
    journal._conn.execute("PRAGMA query_only = ON")
    try:
        with caplog.at_level(logging.ERROR, logger="hotro.terminal"):
            drive.to_confirm()
            drive.press("button_yes")
        assert_told_to_call_staff(drive, slips, before)
        assert any("is read-only" in r.getMessage() for r in caplog.records), caplog.text
        drive.press("finish")
        assert drive.screen.name == "attract"
    finally:
        journal._conn.execute("PRAGMA query_only = OFF")
    second = visit_prints(drive)
    journal.close()
    assert integrity(config.journal_path) == "ok"
    with Journal(config.journal_path) as j:
        assert [c.ticket_label for c in j.cases()] == [first, second]


STARTER = """
import sys
from terminal.cli import main
try:
    code = main(["run", "--text"])
except BaseException as exc:
    print(f"ESCAPED {type(exc).__name__}: {exc}", file=sys.stderr)
    raise
sys.exit(code)
"""


def test_read_only_journal_at_start_gives_a_clear_message_not_a_traceback(home, tmp_path):
    """Real parts: ``hotro run --text`` (CLI, wiring, SQLite journal) in a child process, with
    the journal on a tmpfs mounted read-only (or, without root, a 0444 file in a 0555 folder)."""
    disk = tmp_path / "disk"
    with small_disk(disk) as mounted:
        path = disk / "journal.sqlite3"
        Journal(path).close()
        (home / "hotro.toml").write_text(f'[journal]\npath = "{path}"\n')
        if mounted:
            remount(disk, "ro")
        elif os.geteuid() == 0:
            pytest.fail("root ignores file permissions: this drill needs the tmpfs mount")
        else:
            path.chmod(0o444)
            disk.chmod(0o555)
        try:
            proc = subprocess.run(
                [sys.executable, "-c", STARTER], cwd=ROOT, input="", capture_output=True,
                text=True, timeout=60, env=dict(os.environ, HOTRO_HOME=str(home)),
            )
        finally:
            if mounted:
                remount(disk, "rw")
            else:
                disk.chmod(0o755)
        assert "read-only" in proc.stderr or "writable" in proc.stderr, proc.stderr
        assert proc.returncode != 0
        assert "ESCAPED" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr[-1500:]
        assert integrity(path) == "ok"
