"""Desk and journal figures: scans per second, p95 response time, journal inserts per second.

    .venv/bin/python bench/desk.py [--clients 4] [--scans 100] [--seconds 60] [--inserts 300]

Starts the real ``hotro desk`` (uvicorn) on a free loopback port with a temporary HOTRO_HOME,
signs in several clients, and has each post real signed payloads to ``/scan`` (and load the case
page it is sent to, as the browser does). Bounded by ``--scans`` per client and ``--seconds``.
Then times ``Journal.record_case`` (durable: WAL, synchronous=FULL) in this process.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from cases.case import Case, Priority, Ticket
from cases.codec import encode
from cases.journal import Journal
from cases.keys import init_key

PIN = "246810"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def payloads(key: bytes, count: int, offset: int) -> list[str]:
    base = datetime.now().replace(microsecond=0) - timedelta(hours=1)
    out = []
    for i in range(count):
        n = offset + i
        case = Case(
            f"B{n // 900 % 10}", Ticket(n % 900 + 1, n % 3 == 0), "1.001193",
            (True, n % 2 == 0, True, False, False, False),
            priority=Priority.ELDERLY if n % 3 == 0 else Priority.NONE,
            created=base + timedelta(seconds=n),
        )
        out.append(encode(case, key))
    return out


def client_run(url: str, items: list[str], deadline: float, times: list[float],
               errors: list[str]) -> None:
    with httpx.Client(base_url=url, follow_redirects=True, timeout=30) as c:
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/signin").text).group(1)
        page = c.post("/signin", data={"password": PIN, "csrf": token})
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        for payload in items:
            if time.monotonic() > deadline:
                break
            began = time.perf_counter()
            r = c.post("/scan", data={"payload": payload, "csrf": token})
            elapsed = time.perf_counter() - began
            if r.status_code != 200 or "case-ticket" not in r.text:
                errors.append(f"{r.status_code}")
            times.append(elapsed)


def bench_desk(clients: int, scans: int, seconds: float) -> None:
    home = Path(tempfile.mkdtemp(prefix="hotro-bench-"))
    env = {**os.environ, "HOTRO_HOME": str(home)}
    key = init_key(home / "centre.key")
    hotro = [sys.executable, "-m", "terminal.cli"]
    subprocess.run([*hotro, "desk", "passwd", "--stdin"], input=PIN + "\n", env=env,
                   check=True, capture_output=True, text=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*hotro, "desk", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        times: list[float] = []
        errors: list[str] = []
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=client_run, args=(url, payloads(key, scans, i * scans),
                                                      deadline, times, errors))
            for i in range(clients)
        ]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=10)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"desk: {clients} clients, {len(times)} scans in {wall:.1f} s "
          f"→ {len(times) / wall:.1f} scans/s; response (POST /scan + case page) "
          f"median {1000 * statistics.median(times):.0f} ms, p95 {1000 * p95:.0f} ms, "
          f"max {1000 * times[-1]:.0f} ms; errors {len(errors)}")
    with Journal(home / "journal.sqlite3") as j:
        print(f"desk: journal holds {len(j.cases())} cases, "
              f"{len(j.case_events())} handoffs, integrity {j.integrity_check()}")


def bench_journal(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="hotro-bench-j-"))
    key = b"k" * 32
    items = payloads(key, count, 0)
    with Journal(folder / "journal.sqlite3", group_of=lambda code: "ho_tich") as j:
        began = time.perf_counter()
        for payload, n in zip(items, range(count), strict=True):
            ticket = j.next_ticket("T1", n % 3 == 0)
            j.record_case(Case("T1", ticket, "1.001193", (True, False)), payload)
        wall = time.perf_counter() - began
    print(f"journal: {count} cases (next_ticket + record_case, each durable) in {wall:.2f} s "
          f"→ {count / wall:.0f} cases/s, {1000 * wall / count:.1f} ms each")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--scans", type=int, default=100, help="scans per client")
    parser.add_argument("--seconds", type=float, default=60.0, help="time bound for the desk")
    parser.add_argument("--inserts", type=int, default=300)
    args = parser.parse_args()
    bench_desk(args.clients, args.scans, args.seconds)
    bench_journal(args.inserts)


if __name__ == "__main__":
    main()
