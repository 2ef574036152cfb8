"""Picture figures: how long loading the pictures takes, and how much they weigh.

Run: ``.venv/bin/python bench/pictures.py`` (optionally ``--repeat N``). Prints a Markdown table:
the manifest and every PNG checked (what ``procedures check`` and a careful start-up do), the
manifest alone with the files only looked up, and the size of the committed pictures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from procedures.pictures import default_directory, load_pictures  # noqa: E402


def timed(repeat: int, **kwargs: bool) -> tuple[float, float]:
    """(median, max) milliseconds of ``load_pictures(**kwargs)``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        pictures = load_pictures(**kwargs)
        times.append((time.perf_counter() - start) * 1000)
        assert not pictures.errors, pictures.errors
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="loads per figure")
    args = parser.parse_args()
    pictures = load_pictures()
    files = sorted(default_directory().glob("*.png"))
    sizes = [path.stat().st_size for path in files]
    checked = timed(args.repeat)
    unchecked = timed(args.repeat, check_files=False)
    print(f"{len(pictures.by_meaning)} meanings, {len(files)} pictures\n")
    rows = [
        ("load, every PNG checked (median, max)", f"{checked[0]:.0f}, {checked[1]:.0f} ms"),
        ("load, files only looked up (median, max)", f"{unchecked[0]:.0f}, {unchecked[1]:.0f} ms"),
        ("pictures on disk (total / largest)", f"{sum(sizes) / 1024:.0f} KiB / {max(sizes)} bytes"),
    ]
    print("| figure | value |")
    print("|---|---|")
    for figure, value in rows:
        print(f"| {figure} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
