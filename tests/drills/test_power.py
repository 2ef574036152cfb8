"""Power drill: SIGKILL the terminal and the desk at random points of a visit, 50 times.

Real parts: 40 terminal processes on one shared ``HOTRO_HOME`` — 20 ``hotro run --text`` driven
over stdin (the CLI, text mode, real dialogue, catalogue, matcher, SQLite journal, centre key,
QR codec, PNG slip printer) and 20 ``tests/drills/visit_driver.py`` (the same session wired by
``terminal.wiring.build_ports``, reporting every payload it printed) — and, at the same time,
10 desk processes (``tests/drills/desk_driver.py``: the real desk web app, ``desk.app.create_app``,
signed in and driven over HTTP by Starlette's test client — new case, scan, call, done) on the
same journal file. Each process is killed with
SIGKILL after a random delay (fixed seed), then the next one starts: a restart.

After every kill: ``PRAGMA integrity_check`` is ok, the journal opens, every slip that was
printed (a PNG in the slip folder, a printed screen, a reported payload) has its case in the
journal, every desk case that was reported is there, and no ticket number was given twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cases.journal import Journal
from cases.keys import init_key
from tests.drills.support import integrity
from voices.phrases import load_pack

pytestmark = pytest.mark.real

ROOT = Path(__file__).resolve().parents[2]
HOTRO = Path(sys.executable).with_name("hotro")
SEED = 20261123
TEXT_KILLS = 20
DRIVER_KILLS = 20
DESK_KILLS = 10
HANG_GUARD = 600.0
"""Seconds after which a child that printed nothing is taken as hung (never reached when well)."""

TEXT_VISIT = "\n".join([
    "",  # attract: any key starts
    "1",  # language: Tiếng Việt
    "làm giấy khai sinh cho cháu",  # home: the need in their own words
    "1",  # procedure: see the papers
    *["1"] * 9,  # 9 paper screens: "có rồi" / "it applies" (birth registration)
    "1",  # priority: elderly
    "1", "1", "5",  # needs: hard of hearing on, off again, done
    "1",  # delivery: at the centre
    "1",  # confirm: print
    "1",  # printed: go on (2 would read the slip again)
    "1",  # survey: satisfied
    "1",  # thanks: finish, back to the attract screen for the next resident
    "",
])  # fmt: skip
"""One whole visit in text mode, a line per key; typed again, the next visit."""


ATTRACT_PROMPT = load_pack("vi").screen("prompt_attract")


@dataclass
class Seen:
    """Everything the killed processes reported before they died."""

    printed_tickets: list[str] = field(default_factory=list)
    printed_payloads: list[str] = field(default_factory=list)
    desk_tickets: list[str] = field(default_factory=list)
    kill_points: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Child:
    """A child process whose stdout lines are collected by a thread."""

    def __init__(self, args: list[str], home: Path, stdin_text: str | None = None) -> None:
        env = dict(os.environ, HOTRO_HOME=str(home), PYTHONUNBUFFERED="1")
        env.pop("SDL_AUDIODRIVER", None)
        stdin = subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdin=stdin, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self.lines: list[str] = []
        self.first = threading.Event()
        self.screens = 0
        self.kill_on_screen: int | None = None
        """Kill the moment this many screens have been shown (None: kill on time)."""
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if stdin_text is not None:
            threading.Thread(target=self._write, args=(stdin_text,), daemon=True).start()

    def _write(self, text: str) -> None:
        """Type the lines one by one, a few milliseconds apart, like a keypad (a block of lines
        in one write stalls text mode: see test_text_mode_takes_a_pasted_block_of_lines)."""
        try:
            assert self.proc.stdin is not None
            for line in text.splitlines(keepends=True):
                self.proc.stdin.write(line)
                self.proc.stdin.flush()
                time.sleep(0.005)
        except (BrokenPipeError, OSError, ValueError):
            pass

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self.first.set()
            if line.startswith("[") or line.startswith('{"screen"'):
                self.screens += 1
                if self.kill_on_screen is not None and self.screens >= self.kill_on_screen:
                    self.kill_on_screen = None
                    os.kill(self.proc.pid, signal.SIGKILL)

    def kill_after(self, delay: float) -> int | None:
        """Wait for the first output, then up to ``delay`` s, then SIGKILL. Returns the exit code
        when the process ended by itself (not by a SIGKILL), else None."""
        # the first output or the process's end, however loaded the machine (a cold start of
        # the first child can take long); HANG_GUARD only stops a child that hangs for ever
        deadline = time.monotonic() + HANG_GUARD
        while not self.first.wait(0.1) and self.proc.poll() is None:
            assert time.monotonic() < deadline, f"no output from {self.proc.args}"
        assert self.first.is_set(), f"{self.proc.args} ended with no output: {self.stderr()}"
        try:
            self.proc.wait(delay)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGKILL)
        code = self.proc.wait(10)
        self.reader.join(10)
        return None if code == -signal.SIGKILL else code

    def stderr(self) -> str:
        return self.proc.stderr.read() if self.proc.stderr else ""


def text_mode_report(lines: list[str], seen: Seen) -> None:
    screens = [ln for ln in lines if ln.startswith("[")]
    if not screens:  # killed between the first line (a rule) and the first screen's title
        seen.kill_points["startup"] += 1
        return
    # every restart greets the next resident on the attract screen, with its prompt (unless
    # the kill came while that screen was being printed)
    assert screens[0].startswith("[attract]"), lines[:5]
    start = lines.index(screens[0])
    if len(lines) > start + 1:
        assert ATTRACT_PROMPT in lines[start + 1], lines[:5]
    for i, line in enumerate(lines):
        if line.startswith("[printed]"):
            big = next((x for x in lines[i + 1 : i + 3] if ">>>" in x), None)
            assert big is not None, lines[i : i + 3]
            seen.printed_tickets.append(big.split(">>>")[1].split("<<<")[0].strip())
    if screens:
        seen.kill_points[screens[-1].split("]")[0][1:]] += 1


def driver_report(lines: list[str], seen: Seen) -> None:
    last = None
    items = [json.loads(line) for line in lines]
    first = next((x for x in items if "screen" in x), None)
    if first is None:  # killed while loading, before the first screen: nothing to lose yet
        seen.kill_points["startup"] += 1
        return
    assert first["screen"] == "attract" and first["prompt"] == ATTRACT_PROMPT, first
    for item in items:
        if "printed" in item and item["ok"]:
            seen.printed_tickets.append(item["printed"])
            seen.printed_payloads.append(item["payload"])
        if "screen" in item:
            last = item["screen"]
    if last:
        seen.kill_points[last] += 1


def check(home: Path, seen: Seen) -> None:
    """The journal after a kill: intact, every printed / reported case in it, no repeats."""
    path = home / "journal.sqlite3"
    assert integrity(path) == "ok"
    with Journal(path) as j:  # the restart opens it
        cases = j.cases()
    labels = Counter((c.terminal_id, c.day, c.ticket_label) for c in cases)
    repeated = [k for k, n in labels.items() if n > 1]
    assert not repeated, f"ticket numbers given twice: {repeated}"
    terminal = {c.ticket_label for c in cases if c.terminal_id == "T1"}
    desk = {c.ticket_label for c in cases if c.terminal_id == "QUAY"}
    payloads = {c.payload for c in cases}
    with seen.lock:
        printed = list(seen.printed_tickets)
        printed_payloads = list(seen.printed_payloads)
        desk_reported = list(seen.desk_tickets)
    assert not [t for t, n in Counter(printed).items() if n > 1], "a ticket was printed twice"
    assert set(printed) <= terminal, set(printed) - terminal
    assert set(printed_payloads) <= payloads
    slips = {p.name.rsplit("-", 3)[0] for p in (home / "slips").glob("*.png")}  # A-101-<stamp>
    assert slips <= terminal, f"slips printed with no case in the journal: {slips - terminal}"
    assert set(desk_reported) <= desk, set(desk_reported) - desk


def desk_loop(home: Path, rng: random.Random, seen: Seen, errors: list[BaseException]) -> None:
    try:
        for i in range(DESK_KILLS):
            child = Child([sys.executable, "-m", "tests.drills.desk_driver", "--rounds", "500",
                           "--seed", str(i)], home)
            child.kill_after(rng.uniform(0.0, 0.6))
            with seen.lock:
                for line in child.lines:
                    item = json.loads(line)
                    if "desk_case" in item:
                        seen.desk_tickets.append(item["ticket"])
            check(home, seen)
    except BaseException as exc:  # noqa: BLE001 - reported by the main thread
        errors.append(exc)


def test_sigkill_terminal_and_desk_fifty_times_loses_no_printed_case(home):
    """See the module docstring: 40 terminal kills and 10 desk kills, concurrently."""
    init_key(home / "centre.key")
    rng = random.Random(SEED)
    desk_rng = random.Random(SEED + 1)
    seen = Seen()
    errors: list[BaseException] = []
    desk = threading.Thread(target=desk_loop, args=(home, desk_rng, seen, errors))
    desk.start()
    order = ["text"] * TEXT_KILLS + ["driver"] * DRIVER_KILLS
    rng.shuffle(order)
    ended_alone = 0
    for i, kind in enumerate(order):
        if kind == "text":
            child = Child([str(HOTRO), "run", "--text"], home, stdin_text=TEXT_VISIT * 30)
        else:
            child = Child([sys.executable, "-m", "tests.drills.visit_driver", "--visits", "200",
                           "--seed", str(i)], home)
        if rng.random() < 0.5:  # right after a random screen of the first visits
            child.kill_on_screen = rng.randint(2, 40)
            code = child.kill_after(3.0)
        else:  # after a random time
            code = child.kill_after(rng.uniform(0.0, 0.9))
        if code is not None:
            ended_alone += 1
        (text_mode_report if kind == "text" else driver_report)(child.lines, seen)
        check(home, seen)
    desk.join(120)
    assert not errors, errors
    assert ended_alone == 0, "some terminals ended before the kill: the drill killed nothing"
    # a clean restart after all that: one more visit goes through to the end
    final = subprocess.run(
        [sys.executable, "-m", "tests.drills.visit_driver", "--visits", "1", "--seed", "99"],
        cwd=ROOT, env=dict(os.environ, HOTRO_HOME=str(home)), capture_output=True, text=True,
        timeout=60,
    )
    assert final.returncode == 0, final.stderr
    last = [json.loads(x) for x in final.stdout.splitlines()]
    assert last[-1] == {"done": 1}
    seen.printed_tickets += [x["printed"] for x in last if "printed" in x]
    check(home, seen)
    # the kills landed at many points of the visit, and many slips were printed meanwhile
    assert len(seen.kill_points) >= 6, seen.kill_points
    assert len(seen.printed_tickets) >= 10, len(seen.printed_tickets)
    assert len(seen.desk_tickets) >= 10, len(seen.desk_tickets)
    print(f"\nkill points: {dict(seen.kill_points)}; slips printed: {len(seen.printed_tickets)}; "
          f"desk cases: {len(seen.desk_tickets)}")


def test_text_mode_takes_a_pasted_block_of_lines(home):
    """Real parts: ``hotro run --text`` (CLI, dialogue, matcher, journal) over a pipe that stays
    open, four lines written at once: start, Vietnamese, the need, see the papers."""
    proc = subprocess.Popen(
        [str(HOTRO), "run", "--text"], cwd=ROOT, env=dict(os.environ, HOTRO_HOME=str(home)),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    time.sleep(1.5)  # started and waiting for input
    proc.stdin.write("\n1\nlàm giấy khai sinh cho cháu\n1\n".encode())
    proc.stdin.flush()
    time.sleep(2.5)
    proc.kill()
    out = proc.stdout.read().decode()
    proc.wait()
    screens = [ln.split("]")[0][1:] for ln in out.splitlines() if ln.startswith("[")]
    assert screens[-1] == "paper", screens
