"""Matcher figures: accuracy on the held-out phrasings and speed over the whole catalogue.

Run: ``.venv/bin/python bench/match.py [--verbose]``. Prints catalogue load time, median and
95th-percentile milliseconds per query, top-1 / top-3 accuracy and the out-of-scope rate.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from procedures import load_catalogue, match  # noqa: E402
from procedures.evaluation import evaluate, load_phrasings  # noqa: E402

PHRASINGS = ROOT / "tests" / "procedures" / "phrasings.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over the set")
    args = parser.parse_args(argv)

    loads = []
    for _ in range(5):
        t0 = time.perf_counter()
        catalogue = load_catalogue()
        loads.append((time.perf_counter() - t0) * 1000)
    print(f"catalogue: {len(catalogue.procedures)} procedures, {len(catalogue.errors)} errors")
    print(f"load: median {statistics.median(loads):.1f} ms (5 runs)")

    phrasings = load_phrasings(PHRASINGS)
    t0 = time.perf_counter()
    match("khởi động", catalogue)  # builds the index once
    print(f"index build (first query): {(time.perf_counter() - t0) * 1000:.1f} ms")
    times = []
    for _ in range(args.repeat):
        for item in phrasings:
            t0 = time.perf_counter()
            match(item.query, catalogue)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"query: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms ({len(times)} queries)"
    )
    report = evaluate(phrasings, catalogue)
    print(report.summary())
    if args.verbose:
        for line in report.misses():
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
