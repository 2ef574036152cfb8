"""Screen soak: the real Kivy terminal in one window, through hundreds of visits, with Python's
cycle collector running at any moment in another thread.

The same visits as ``bench/soak.py`` (its ``visit_steps``; here the resident also changes the
contrast and the text size on the way) through the same parts (SQLite journal, PNG slips,
espeak-ng synthesis), but shown: the Kivy app (``terminal.app``) builds and draws every screen
in a real SDL window (offscreen unless ``SDL_VIDEODRIVER`` says otherwise), one step of a visit
per frame. A thread runs the cycle collector all the time, as the kiosk's speech, listening and
printer threads may (a button thrown away by one screen, collected halfway through drawing the
next, once stopped the kiosk).

    SDL_VIDEODRIVER=offscreen python bench/screen_soak.py [--visits 300] [--warmup 100]
                                                          [--size 1920x1080] [--seed 7]

prints the figures (visits, failures, screens built, time to build one: median, p95, max;
memory after warm-up and at the end) and exits non-zero when a visit failed, the app stopped
or memory grew by ``GROWTH_LIMIT_MB`` or more after warm-up.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROWTH_LIMIT_MB = 30.0
"""Memory the window process may gain after warm-up (textures and fonts are cached by then)."""


@dataclass
class ScreenSoakResult:
    visits: int = 0
    failures: list[str] = field(default_factory=list)
    broken_visits: int = 0
    """Visits that stopped halfway (the others are in the journal)."""
    warnings: list[str] = field(default_factory=list)
    """What the terminal logged at WARNING or above."""
    build_seconds: list[float] = field(default_factory=list)
    collections: int = 0
    rss_after_warmup_mb: float = 0.0
    rss_end_mb: float = 0.0
    rss_samples: list[tuple[int, float]] = field(default_factory=list)
    seconds: float = 0.0
    cases: int = 0
    integrity: str = ""

    @property
    def growth_mb(self) -> float:
        return self.rss_end_mb - self.rss_after_warmup_mb

    def report(self) -> str:
        ms = sorted(1000 * s for s in self.build_seconds) or [0.0]
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        lines = [
            f"visits:               {self.visits}",
            f"failures:             {len(self.failures)}",
            f"cases in journal:     {self.cases} (integrity_check: {self.integrity})",
            f"screens built:        {len(self.build_seconds)}",
            f"time to build one:    median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, "
            f"max {ms[-1]:.0f} ms",
            f"garbage collections:  {self.collections} (another thread, all the time)",
            f"wall time:            {self.seconds:.1f} s",
            f"RSS after warm-up:    {self.rss_after_warmup_mb:.1f} MB (window + speech worker)",
            f"RSS at the end:       {self.rss_end_mb:.1f} MB",
            f"growth after warm-up: {self.growth_mb:+.1f} MB (limit {GROWTH_LIMIT_MB:.0f} MB)",
        ]
        if self.rss_samples:
            trend = ", ".join(f"{n}:{mb:.1f}" for n, mb in self.rss_samples)
            lines.append(f"RSS trend (visits:MB): {trend}")
        lines.append(f"warnings logged:      {len(self.warnings)}")
        lines += [f"warning: {w}" for w in self.warnings[:10]]
        lines += [f"failure: {f}" for f in self.failures[:10]]
        return "\n".join(lines)


def screen_soak(
    visits: int,
    work: Path,
    warmup: int = 100,
    seed: int = 7,
    size: tuple[int, int] = (1920, 1080),
    sample_every: int = 25,
) -> ScreenSoakResult:
    """Run ``visits`` visits through the Kivy app in this process (one window per process: call
    once), with the journal, slips and speech cache in ``work``."""
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_HOME", str(work / "kivy"))
    for folder in (ROOT, Path(__file__).resolve().parent):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    from soak import rss_mb, terminal_parts, visit_steps

    from terminal.app import configure_kivy, make_app_class

    configure_kivy(False, *size, maxfps=0)
    from kivy.clock import Clock

    ctx, ports, day = terminal_parts(work)
    result = ScreenSoakResult()
    collector_on = threading.Event()
    collector_on.set()

    def collect_all_the_time() -> None:
        while collector_on.is_set():
            gc.collect()
            result.collections += 1
            time.sleep(0.002)

    class TimedApp(make_app_class()):  # type: ignore[misc]
        def render(self, model) -> None:  # noqa: ANN001
            t0 = time.perf_counter()
            super().render(model)
            result.build_seconds.append(time.perf_counter() - t0)

    app = TimedApp(ctx, ports, screen_inches=15.6, tick_seconds=3600)
    rng = random.Random(seed)
    codes = sorted(ctx.procedures)
    speaker = ports.speaker
    walk: dict = {"steps": None, "missing": 0}

    def visit_ended(failure: str | None, broken: bool = False) -> None:
        i = result.visits
        result.visits += 1
        walk["steps"] = None
        if failure is not None:
            result.failures.append(f"visit {i}: {failure}")
        if broken:
            result.broken_visits += 1
            app.session.start()  # a fresh terminal state, as after a restart
        if result.visits % 50 == 0:
            shutil.rmtree(work / "slips", ignore_errors=True)
            app.session.trace.clear()  # a test aid; a long run would keep it all
        if result.visits == warmup:
            result.build_seconds.clear()  # the first screens load fonts and pictures
            result.rss_after_warmup_mb = rss_mb()
        elif result.visits > warmup and result.visits % sample_every == 0:
            result.rss_samples.append((result.visits, rss_mb()))
        if result.visits >= visits:
            app.stop()

    def pump(dt: float) -> None:
        if result.visits >= visits:
            return
        if walk["steps"] is None:
            day["n"] = result.visits // 400
            walk["missing"] = len(speaker.missing)
            walk["steps"] = visit_steps(app.session, rng, codes, settings=True)
        try:
            next(walk["steps"])
        except StopIteration:
            missing = speaker.missing[walk["missing"] :]
            visit_ended(f"no audio for {missing[0]!r}" if missing else None)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            visit_ended(f"{exc!r}\n{traceback.format_exc(limit=4)}", broken=True)

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            result.warnings.append(f"{record.name}: {record.getMessage()}")

    keep = Keep(logging.WARNING)
    for name in ("hotro", "voices", "printer", "cases"):
        logging.getLogger(name).addHandler(keep)
    threading.Thread(target=collect_all_the_time, daemon=True).start()
    Clock.schedule_interval(pump, 0)
    started = time.perf_counter()
    try:
        app.run()
    except Exception as exc:  # noqa: BLE001 - the app itself stopped: that is the finding
        result.failures.append(f"the app stopped: {exc!r}\n{traceback.format_exc(limit=6)}")
    result.seconds = time.perf_counter() - started
    collector_on.clear()
    if result.visits < visits and not result.failures:
        result.failures.append(f"the app stopped after {result.visits} of {visits} visits")
    gc.collect()
    result.rss_end_mb = rss_mb()
    if warmup >= result.visits:
        result.rss_after_warmup_mb = result.rss_end_mb
    result.cases = len(ports.journal.cases())
    result.integrity = ports.journal.integrity_check()
    done = result.visits - result.broken_visits
    if result.cases != done:
        result.failures.append(f"journal holds {result.cases} cases for {done} visits")
    ports.journal.close()
    speaker.close()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--visits", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--size", default="1920x1080", help="window size, WIDTHxHEIGHT")
    args = ap.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="hotro-screen-soak-") as tmp:
        result = screen_soak(args.visits, Path(tmp), args.warmup, args.seed, (width, height))
    print(result.report())
    bad = result.failures or result.growth_mb >= GROWTH_LIMIT_MB or result.integrity != "ok"
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
