"""Matcher figures: speed, and accuracy on every evaluation set.

Run: ``.venv/bin/python bench/match.py [--verbose]``. Prints catalogue load time, median and
95th-percentile milliseconds per query, top-1 / top-3 accuracy and the out-of-scope rate of the
first phrasings set, then the blind request sets per style and per writer (clear top-1,
ambiguous top-3, false ``none`` of every in-scope request, out-of-scope ``none``, referral hits,
service top-1): the tuning set (writers A and B) and the held-out set (writers C and D,
``tests/procedures/requests_heldout.yaml``, when the lead has copied it in). ``--verbose`` lists
the misses of the tuning set only.
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
from procedures.evaluation import (  # noqa: E402
    evaluate,
    evaluate_requests,
    load_phrasings,
    load_requests,
)
from procedures.everyday import load_everyday  # noqa: E402

TESTS = ROOT / "tests" / "procedures"
PHRASINGS = TESTS / "phrasings.yaml"
REQUESTS = (
    ("tuning set", TESTS / "requests_tune.yaml"),
    ("held-out set", TESTS / "requests_heldout.yaml"),
)


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

    t0 = time.perf_counter()
    everyday = load_everyday()
    print(
        f"everyday words: {len(everyday.variants)} variants, {len(everyday.fillers)} fillers, "
        f"{len(everyday.referrals)} referrals, read in {(time.perf_counter() - t0) * 1000:.1f} ms"
    )
    print(f"services: {len(catalogue.services)}")
    phrasings = load_phrasings(PHRASINGS)
    sets = [(name, load_requests(path)) for name, path in REQUESTS if path.is_file()]
    t0 = time.perf_counter()
    match("khởi động", catalogue)  # builds the index once
    print(f"index build (first query): {(time.perf_counter() - t0) * 1000:.1f} ms")
    queries = [p.query for p in phrasings] + [r.text for _, items in sets for r in items]
    times = []
    for _ in range(args.repeat):
        for query in queries:
            t0 = time.perf_counter()
            match(query, catalogue)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"query: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms ({len(times)} queries)"
    )
    print(f"\n{PHRASINGS.name}:")
    report = evaluate(phrasings, catalogue)
    print(report.summary())
    if args.verbose:
        for line in report.misses():
            print("  " + line)
    referral_ids = frozenset(r.id for r in everyday.referrals)
    for name, path in REQUESTS:
        print(f"\n{name} ({path.name}):")
        items = dict(sets).get(name)
        if items is None:
            print("  missing: not measured")
            continue
        result = evaluate_requests(items, catalogue, referral_ids)
        print(result.table())
        print(result.table("writer"))
        if args.verbose and name == "tuning set":  # the held-out misses are not for tuning
            for line in result.misses():
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
