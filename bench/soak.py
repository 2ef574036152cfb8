"""Soak: thousands of simulated visits in one process, watching failures, memory and time.

Every visit goes through the real parts a terminal runs all day, in one process: the dialogue
and session (``terminal.session.Session``), the real catalogue and phrase pack, the speaker
(``voices.out.VoiceOut`` → ``Speaker`` → pyttsx3/espeak-ng with its WAV cache; synthesis only,
nothing is played), the centre key and QR codec, the slip (``build_slip`` → Pillow
``render_slip`` → ``print_image`` to a ``png:`` folder that is emptied every 50 visits) and the
SQLite journal (WAL, synchronous FULL). The journal's clock moves on a day every 400 visits, as
ticket numbers start again each day (at most 999 per kind).

Each visit picks a procedure, answers every paper at random, a priority, a need, a delivery,
prints, hears the slip again, answers the survey and resets. A visit fails when anything raises,
a print is not ok, a spoken text gets no audio, or the visit does not end on the attract screen.

    python bench/soak.py [--visits 2000] [--warmup 200] [--seed 7]

prints the figures (failures, RSS after warm-up and at the end, growth, time per visit) and
exits non-zero when a visit failed or memory grew by 20 MB or more after warm-up.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROWTH_LIMIT_MB = 20.0


def _vmrss_mb(pid: int | str) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS in /proc/{pid}/status")


def rss_mb() -> float:
    """Resident set size now, in MB (from /proc): this process and its speech worker (the
    pyttsx3 engine runs in a child process of its own, ``voices.synth_worker``)."""
    from voices.speaker import worker_pid

    total = _vmrss_mb("self")
    pid = worker_pid()
    if pid is not None:
        with contextlib.suppress(OSError, RuntimeError):  # it ended between the two reads
            total += _vmrss_mb(pid)
    return total


@dataclass
class SoakResult:
    visits: int
    failures: list[str] = field(default_factory=list)
    rss_after_warmup_mb: float = 0.0
    rss_end_mb: float = 0.0
    rss_samples: list[tuple[int, float]] = field(default_factory=list)
    """(visits done, RSS MB) every ``sample_every`` visits after warm-up."""
    seconds: float = 0.0
    spoken_items: int = 0
    syntheses: int = 0
    cases: int = 0
    integrity: str = ""

    @property
    def growth_mb(self) -> float:
        return self.rss_end_mb - self.rss_after_warmup_mb

    @property
    def ms_per_visit(self) -> float:
        return 1000 * self.seconds / max(1, self.visits)

    def report(self) -> str:
        lines = [
            f"visits:              {self.visits}",
            f"failures:            {len(self.failures)}",
            f"cases in journal:    {self.cases} (integrity_check: {self.integrity})",
            f"spoken items:        {self.spoken_items} ({self.syntheses} synthesised, "
            "the rest from the speech cache)",
            f"time per visit:      {self.ms_per_visit:.0f} ms ({self.seconds:.1f} s in all)",
            f"RSS after warm-up:   {self.rss_after_warmup_mb:.1f} MB (terminal + speech worker)",
            f"RSS at the end:      {self.rss_end_mb:.1f} MB",
            f"growth after warm-up: {self.growth_mb:+.1f} MB (limit {GROWTH_LIMIT_MB:.0f} MB)",
        ]
        if self.rss_samples:
            trend = ", ".join(f"{n}:{mb:.1f}" for n, mb in self.rss_samples)
            lines.append(f"RSS trend (visits:MB): {trend}")
        lines += [f"failure: {f}" for f in self.failures[:10]]
        return "\n".join(lines)


class NoPlayback:
    """An audio device that plays nothing (the soak measures synthesis, not the sound card)."""

    available = True
    problem = ""
    volume = 1.0
    position = 0.0
    playing = False

    def play(self, path: Path, cancelled=None) -> bool:  # noqa: ANN001, ARG002
        return True

    def stop(self) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def close(self) -> None:
        pass


class SynthesisOnly:
    """The speaker port over the real VoiceOut: every item is synthesised (or found in the
    cache) synchronously, as the worker would before playing it; nothing is played."""

    available = True
    speaking = False

    def __init__(self, cache: Path) -> None:
        from voices.out import VoiceOut

        self.voice = VoiceOut(lang="vi", cache_dir=cache, player=NoPlayback())
        self.cache = cache
        self.items = 0
        self.missing: list[str] = []

    def say_all(self, items) -> None:  # noqa: ANN001
        for phrase_id, text in items:
            self.items += 1
            if self.voice.audio_for(text, phrase_id) is None:
                self.missing.append(text)

    def stop(self) -> None:
        pass

    def apply(self, lang: str, rate_step: int, volume_step: int) -> None:
        self.voice.lang = lang
        self.voice.rate_step = rate_step
        self.voice.volume_step = volume_step

    def close(self) -> None:
        self.voice.close()


def visit_steps(session, rng: random.Random, codes: list[str], settings: bool = False):  # noqa: ANN001, ANN201
    """One visit through ``session``, a step at a time (a generator: it yields after each
    step, so a window can draw in between). Raises AssertionError when the visit goes wrong.
    ``settings``: the resident also changes the contrast and the text size on the way (the
    global setting commands), as someone who sees badly does."""
    from terminal import dialogue as d

    def press(key: str) -> None:
        if session.screen is None or session.screen.option(key) is None:
            raise AssertionError(f"no option {key!r} on {session.screen and session.screen.name}")
        session.handle(d.Press(key))

    def maybe_change_settings() -> None:
        if settings and rng.random() < 0.3:
            session.handle(d.Command(rng.choice(("theme_next", "text_bigger", "text_smaller"))))

    session.handle(d.Activate())
    yield
    session.handle(d.Heard(f"proc:{rng.choice(codes)}"))
    yield
    press("continue")
    yield
    while session.screen is not None and session.screen.name == "paper":
        stage = session.state.visit.stage
        screen = session.screen
        yes = "button_yes" if screen.option("button_yes") is not None else "alt:0"
        maybe_change_settings()
        press("next" if stage == "where" else rng.choice((yes, "button_no")))
        yield
    press(f"prio:{rng.choice(('none', 'none', 'elderly', 'disabled', 'pregnant'))}")
    yield
    if rng.random() < 0.5:
        press(f"need:{rng.choice(('hard_of_hearing', 'low_vision', 'writing_help'))}")
        yield
    press("done")
    yield
    press(f"deliver:{rng.choice(('centre', 'post'))}")
    yield
    maybe_change_settings()
    press("button_yes")
    yield
    deadline = time.monotonic() + 60
    while session.screen.name not in ("printed", "print_failed"):  # a printer thread (the app)
        if time.monotonic() > deadline:
            raise AssertionError(f"still on {session.screen.name} a minute after printing")
        yield
    if session.screen.name != "printed":
        raise AssertionError(f"print failed: {session.state.visit.print_problem}")
    press("hear_slip")
    yield
    press("continue")
    yield
    press(f"sat:{rng.choice(('satisfied', 'neutral', 'unsatisfied'))}")
    yield
    press("finish")
    yield
    if session.screen.name != "attract":
        raise AssertionError(f"visit ended on {session.screen.name}")


def terminal_parts(work: Path):  # noqa: ANN201
    """The parts a terminal runs all day, in ``work``: (context, ports, day), where
    ``day["n"]`` is the journal's day (its clock: 2026-11-23 plus that many days). Slips go to
    ``work/slips`` as PNG files, speech to ``work/speech``, the journal is a SQLite file."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["HOTRO_HOME"] = str(work / "home")
    from cases.journal import Journal
    from terminal.config import Config, JournalConfig, PrinterConfig, TerminalConfig
    from terminal.ports import FakeClock
    from terminal.session import Ports
    from terminal.wiring import SlipPrinter, build_context, make_encoder

    config = Config(
        printer=PrinterConfig(uri=f"png:{work / 'slips'}"),
        terminal=TerminalConfig(languages=("vi",)),
        journal=JournalConfig(path=str(work / "journal.sqlite3")),
    )
    day = {"n": 0}
    base = datetime(2026, 11, 23, 8, 0, 0)
    journal = Journal(config.journal_path, clock=lambda: base + timedelta(days=day["n"]))
    speaker = SynthesisOnly(work / "speech")
    ctx = build_context(config, voice_input=False)
    ports = Ports(speaker, journal, SlipPrinter(config), FakeClock(), make_encoder(config))
    return ctx, ports, day


def soak(
    visits: int,
    work: Path,
    warmup: int = 200,
    seed: int = 7,
    sample_every: int = 100,
    progress: bool = False,
) -> SoakResult:
    """Run ``visits`` visits in this process with the journal, slips and cache in ``work``."""
    from terminal.session import Session

    ctx, ports, day = terminal_parts(work)
    journal, speaker, slips = ports.journal, ports.speaker, work / "slips"
    cache_before = 0
    session = Session(ctx, ports, terminal_id="T1")
    session.start()
    rng = random.Random(seed)
    codes = sorted(ctx.procedures)
    result = SoakResult(visits)

    broken = 0  # visits that stopped halfway (the others are in the journal)
    started = time.perf_counter()
    timed_from = started
    for i in range(visits):
        day["n"] = i // 400
        missing_before = len(speaker.missing)
        try:
            for _ in visit_steps(session, rng, codes):
                pass
        except Exception as exc:  # noqa: BLE001 - counted and reported
            result.failures.append(f"visit {i}: {exc!r}\n{traceback.format_exc(limit=3)}")
            broken += 1
            session.start()  # a fresh terminal state, as the app would after an error
        else:  # a silent line is a failure, but the visit ended and its case is kept
            if len(speaker.missing) > missing_before:
                result.failures.append(f"visit {i}: no audio for {speaker.missing[-1]!r}")
        if (i + 1) % 50 == 0:
            shutil.rmtree(slips, ignore_errors=True)
            session.trace.clear()  # the trace is a test aid; a long run would keep it all
        if i + 1 == warmup:
            gc.collect()
            result.rss_after_warmup_mb = rss_mb()
            timed_from = time.perf_counter()
            cache_before = len(list((work / "speech").glob("*.wav")))
        if i + 1 > warmup and (i + 1) % sample_every == 0:
            result.rss_samples.append((i + 1, rss_mb()))
        if progress and (i + 1) % 100 == 0:
            print(f"  {i + 1} visits, RSS {rss_mb():.1f} MB", file=sys.stderr, flush=True)
    ended = time.perf_counter()
    gc.collect()
    result.rss_end_mb = rss_mb()
    if warmup >= visits:
        result.rss_after_warmup_mb = result.rss_end_mb
    result.seconds = ended - started
    timed_visits = visits - min(warmup, visits)
    if timed_visits:
        result.seconds = (ended - timed_from) * visits / timed_visits  # steady-state pace
    result.spoken_items = speaker.items
    result.syntheses = len(list((work / "speech").glob("*.wav"))) - cache_before
    result.cases = len(journal.cases())
    result.integrity = journal.integrity_check()
    if result.cases != visits - broken:
        result.failures.append(f"journal holds {result.cases} cases for {visits - broken} visits")
    journal.close()
    speaker.close()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--visits", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hotro-soak-") as tmp:
        result = soak(args.visits, Path(tmp), args.warmup, args.seed, progress=True)
    print(result.report())
    bad = result.failures or result.growth_mb >= GROWTH_LIMIT_MB or result.integrity != "ok"
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
