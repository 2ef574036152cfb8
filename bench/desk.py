"""Desk and hub figures: the queue update at 10 / 1,000 / 10,000 waiting with and without
100,000 finished cases, then one hub under load from 4 forwarding terminals and 8 counters.

    .venv/bin/python bench/desk.py [--seconds 30] [--changes 40] [--quick]

Part 1 (in this process, a real SQLite journal seeded directly): for each size, one slip is
scanned (``Desk.scan``), then the update every open counter page needs is built
(``Live.refresh``: the queue read from the open cases, the call order of its head, the calls for
staff, the board; then ``diff`` for one page) and one resident is called (``Desk.call_next``).

Part 2 (the real ``hotro desk`` on a free loopback port, temporary HOTRO_HOME): 4 terminals,
each its own journal with a real ``Forwarder`` sending a visit's rows (case, print, answer, now
and then a call for staff) to the hub; 8 counters (HTTP clients, signed in) scanning slips and
calling the next resident; the hall board's event stream read the whole time. Prints scans and
forwarded rows per second, the scan's p50/p95 (POST /scan and the case page it leads to), and
how long after a counter's "call next" the board received the call (p50/p95).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from cases.case import Case, Priority, Ticket, centre_number
from cases.centre import Forwarder, peers
from cases.codec import encode
from cases.journal import Journal
from cases.keys import init_key, load_key
from procedures.catalogue import load_catalogue

PIN = "246810"
CODE = "1.001193"
PAPERS = len(load_catalogue().procedures[CODE].papers)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):7.1f} {1000 * pct(values, 95):7.1f}"


# -- part 1: the queue update ---------------------------------------------------------------------


def seed(path: Path, waiting: int, finished: int, key: bytes) -> None:
    """A journal with ``finished`` cases served on earlier days and ``waiting`` handed in today,
    written in bulk (the bench's set-up, not what it measures)."""
    with Journal(path, group_of=lambda code: "ho_tich") as j:
        conn = j._conn
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        today = datetime.now().replace(microsecond=0)
        old = today - timedelta(days=30)
        case_rows, event_rows, state_rows = [], [], []
        event_id = 0
        for n in range(finished + waiting):
            case_id = n + 1
            done = n < finished
            at = (old if done else today - timedelta(minutes=60)) + timedelta(seconds=n % 3000)
            label = f"A-{100 + n % 899 + 1}"
            case_rows.append((case_id, "B1", at.date().isoformat(), label, n % 899 + 1,
                              "elderly" if n % 3 == 0 else "none", CODE, "ho_tich", 5, 6, 4,
                              "", "centre", "terminal", f"BENCH-{n}", at.isoformat(),
                              at.isoformat(), 0))
            kinds = ("handed_off", "called", "started", "done") if done else ("handed_off",)
            for kind in kinds:
                event_id += 1
                event_rows.append((event_id, case_id, kind, at.isoformat(),
                                   1 if kind == "called" else None))
            state_rows.append((case_id, "done" if done else "waiting", None, int(n % 3 == 0),
                               event_id - len(kinds) + 1, at.isoformat(),
                               at.date().isoformat(), 0, event_id))
        conn.executemany(
            "INSERT INTO cases(id, terminal_id, day, ticket_label, ticket_number, priority, "
            "procedure_code, procedure_group, have_mask, paper_count, missing_count, needs, "
            "delivery, channel, payload, created_at, recorded_at, skip_mask) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", case_rows)
        conn.executemany("INSERT INTO case_events(id, case_id, kind, at, counter) "
                         "VALUES (?, ?, ?, ?, ?)", event_rows)
        conn.executemany(
            "INSERT INTO case_state(case_id, status, counter, priority, arrived, arrived_at, "
            "day, passed, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", state_rows)
        conn.execute("COMMIT")
        conn.execute("PRAGMA synchronous = FULL")


def bench_queue(waiting: int, finished: int, changes: int, key: bytes) -> dict[str, list[float]]:
    from desk.live import Live, diff
    from desk.service import Desk, DeskSettings

    folder = Path(tempfile.mkdtemp(prefix="hotro-bench-q-"))
    seed(folder / "journal.sqlite3", waiting, finished, key)
    desk = Desk(DeskSettings(folder / "journal.sqlite3", key, load_catalogue(), "x",
                             fairness_limit=3, counters=8))
    live = Live(desk)
    shown = live.refresh().queue
    times: dict[str, list[float]] = {"scan": [], "update": [], "call": []}
    now = datetime.now().replace(microsecond=0)
    for n in range(changes):
        case = Case("K1", Ticket(100 + n + 1, n % 4 == 0), CODE, (True,) * PAPERS,
                    priority=Priority.ELDERLY if n % 4 == 0 else Priority.NONE, created=now)
        began = time.perf_counter()
        assert desk.scan(encode(case, key)).ok
        times["scan"].append(time.perf_counter() - began)
        began = time.perf_counter()
        fresh = live.refresh()
        diff(shown, fresh.queue)
        times["update"].append(time.perf_counter() - began)
        shown = fresh.queue
        if n % 2:
            began = time.perf_counter()
            desk.call_next(n % 8 + 1)
            times["call"].append(time.perf_counter() - began)
    desk.close()
    return times


def part_one(changes: int, quick: bool) -> None:
    key = b"k" * 32
    sizes = (10, 1000) if quick else (10, 1000, 10_000)
    histories = (0,) if quick else (0, 100_000)
    print("queue update (Live.refresh + diff for one page), scan, call next; ms p50 p95")
    print(f"{'waiting':>8} {'finished':>9} | {'update':>15} | {'scan':>15} | {'call next':>15}")
    for finished in histories:
        for waiting in sizes:
            t = bench_queue(waiting, finished, changes, key)
            print(f"{waiting:>8} {finished:>9} | {ms(t['update'])} | {ms(t['scan'])} | "
                  f"{ms(t['call'])}", flush=True)


# -- part 2: one hub under load ---------------------------------------------------------------


def terminal_loop(home: Path, hub: str, terminal: str, stop: threading.Event, made: list[int],
                  rng: random.Random) -> None:
    key = load_key(home / "centre.key")
    with Journal(home / f"{terminal}.sqlite3") as j:
        forwarder = Forwarder(j, hub, lambda: key, terminal).start()
        n = 0
        while not stop.is_set():
            n += 1
            case = Case(terminal, Ticket(int(terminal[1]) * 100 + n % 99 + 1, False), CODE,
                        (True,) * PAPERS, created=datetime.now().replace(microsecond=0))
            case_id = j.record_case(case, encode(case, key))
            j.record_print(case_id, True)
            j.record_satisfaction(case_id, "satisfied")
            if n % 10 == 0:
                j.record_event("call_staff", "paper", origin=terminal)
            forwarder.poke()
            made[0] += 1
            stop.wait(rng.uniform(0.2, 0.6))  # a busy terminal: a visit every few tenths
        forwarder.stop()


def counter_loop(url: str, number: int, key: bytes, stop: threading.Event,
                 scans: list[float], calls: dict[str, float]) -> None:
    with httpx.Client(base_url=url, follow_redirects=True, timeout=60) as c:
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/signin").text).group(1)
        page = c.post("/signin", data={"password": PIN, "csrf": token})
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        n = 0
        while not stop.is_set():
            n += 1
            # labels unique in the run, as in a centre: counter N scans slips of "terminal" N
            case = Case(f"C{number}", Ticket(centre_number(number, n % 999 + 1), n % 3 == 0),
                        CODE, (True,) * PAPERS,
                        priority=Priority.ELDERLY if n % 3 == 0 else Priority.NONE,
                        created=datetime.now().replace(microsecond=0))
            began = time.perf_counter()
            r = c.post("/scan", data={"payload": encode(case, key), "csrf": token})
            assert r.status_code == 200 and "case-ticket" in r.text, r.status_code
            scans.append(time.perf_counter() - began)
            if n % 2 == 0:
                began = time.monotonic()
                r = c.post("/call", data={"counter": str(number), "csrf": token})
                found = re.search(r"Đã gọi số ([\w-]+) đến quầy", r.text)
                if found:
                    calls[found.group(1)] = began


@contextmanager
def hub(prefix: str, counters: int = 4) -> Iterator[tuple[Path, str, bytes]]:
    """The real ``hotro desk`` in a temporary HOTRO_HOME, up and answering: (home, url, key)."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    env = {**os.environ, "HOTRO_HOME": str(home)}
    key = init_key(home / "centre.key")
    (home / "hotro.toml").write_text(f"[desk]\ncounters = {counters}\n", encoding="utf-8")
    hotro = [sys.executable, "-m", "terminal.cli"]
    subprocess.run([*hotro, "desk", "passwd", "--stdin"], input=PIN + "\n", env=env,
                   check=True, capture_output=True, text=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*hotro, "desk", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield home, url, key
    finally:
        server.terminate()
        server.wait(timeout=15)


def backlog(rows_wanted: int) -> None:
    """A terminal back after a day offline: how fast its backlog reaches the hub."""
    with hub("hotro-bench-backlog-") as (home, url, key), \
            Journal(home / "terminal.sqlite3") as j:
        j._conn.execute("PRAGMA synchronous = OFF")  # set-up only
        n = 0
        while sum(j.heads().values()) < rows_wanted:
            n += 1
            case = Case("T1", Ticket(centre_number(1, n % 999 + 1), False), CODE,
                        (True,) * PAPERS, created=datetime.now().replace(microsecond=0))
            case_id = j.record_case(case, encode(case, key))
            j.record_print(case_id, True)
            j.record_satisfaction(case_id, "satisfied")
        j._conn.execute("PRAGMA synchronous = FULL")
        total = sum(j.heads().values())
        began = time.monotonic()
        forwarder = Forwarder(j, url, lambda: key, "T1").start()
        while forwarder.status.last_ok is None or forwarder.status.pending:
            time.sleep(0.05)
        wall = time.monotonic() - began
        forwarder.stop()
    print(f"backlog: {total} rows ({n} visits) forwarded in {wall:.1f} s "
          f"→ {total / wall:.0f} rows/s (batches of 200, each stored durably)")


def board_loop(url: str, stop: threading.Event, seen: dict[str, float]) -> None:
    with httpx.Client(base_url=url, timeout=None) as c, c.stream("GET", "/board/events") as r:
        try:
            for line in r.iter_lines():
                if stop.is_set():
                    return
                if line.startswith("data: "):
                    now = time.monotonic()
                    for call in json.loads(line[6:]).get("calls", []):
                        seen.setdefault(call["ticket"], now)
        except httpx.HTTPError:
            return  # the hub stopped at the end of the run


def part_two(seconds: float, terminals: int = 4, counters: int = 8) -> None:
    with hub("hotro-bench-hub-", counters) as (home, url, key):
        stop = threading.Event()
        made = [0]
        scans: list[float] = []
        calls: dict[str, float] = {}
        seen: dict[str, float] = {}
        board_stop = threading.Event()
        threads = [threading.Thread(target=board_loop, args=(url, board_stop, seen),
                                    daemon=True)]
        threads += [
            threading.Thread(target=terminal_loop, args=(home, url, f"T{i + 1}", stop, made,
                                                         random.Random(i)))
            for i in range(terminals)
        ]
        threads += [
            threading.Thread(target=counter_loop, args=(url, i + 1, key, stop, scans, calls))
            for i in range(counters)
        ]
        began = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads[1:]:
            t.join(60)
        wall = time.monotonic() - began
        time.sleep(2)  # the forwarders' last rows and the board's last events
        board_stop.set()
        with Journal(home / "journal.sqlite3") as j:
            forwarded = sum(sum(p.cursors.values()) for p in peers(j))
            cases, integrity = len(j.cases()), j.integrity_check()
    delays = [seen[t] - calls[t] for t in calls if t in seen]
    missed = [t for t in calls if t not in seen]
    print(f"hub under load for {wall:.0f} s: {terminals} terminals forwarding, {counters} "
          f"counters scanning and calling, 1 board")
    print(f"  scans: {len(scans)} ({len(scans) / wall:.1f}/s); POST /scan + case page "
          f"p50 {1000 * statistics.median(scans):.0f} ms, p95 {1000 * pct(scans, 95):.0f} ms")
    print(f"  forwarded: {forwarded} rows from {made[0]} terminal visits "
          f"({forwarded / wall:.0f} rows/s)")
    if delays:
        print(f"  board: {len(delays)} calls, shown after p50 "
              f"{1000 * statistics.median(delays):.0f} ms, p95 {1000 * pct(delays, 95):.0f} ms, "
              f"max {1000 * max(delays):.0f} ms "
              f"(from the counter's POST /call; {len(missed)} not seen)")
    print(f"  hub journal: {cases} cases, integrity {integrity}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of part 2")
    parser.add_argument("--changes", type=int, default=40, help="scans measured per size")
    parser.add_argument("--quick", action="store_true", help="small sizes only, part 2 10 s")
    args = parser.parse_args()
    # this file is named desk.py: keep its folder off the import path, so that `desk` is the
    # package (imported by part one)
    here = Path(__file__).parent.resolve()
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    part_one(args.changes, args.quick)
    part_two(10.0 if args.quick else args.seconds)
    backlog(2_000 if args.quick else 20_000)


if __name__ == "__main__":
    main()
