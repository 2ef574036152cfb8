"""A blind resident's visit by keypad alone: total listening time and key presses.

The resident makes a common civil-status request with the keypad only: a death registration
(Đăng ký khai tử: 6 papers, the class "3–6 papers" of issue 13) and a birth registration (Đăng ký
khai sinh: 7 papers since the catalogue gained the proof of residence, two of them asked as "which
one do you have?", 3 "only when …"), and waits for every prompt to finish before pressing the
next key, so every word the terminal says is heard in full: the worst case for listening time.
The keys follow what a listener learns from the speech: the digit of each choice ("Bấm 1 Hộ
tịch, 2 Chứng thực, …").

The dialogue, the session and the slip (built and rendered by the printer package, saved as a
PNG preview) are the real ones; the journal is an in-memory stand-in;
every spoken item is synthesised by espeak-ng exactly as the terminal would (same reading rules,
default rate) and its WAV duration is summed. Durations are cached in ``$HOTRO_HOME`` like the
terminal's own speech cache, so a second run is quick.

    .venv/bin/python bench/blind_visit.py [--verbose] [--code CODE ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HOTRO_HOME", str(Path(tempfile.gettempdir()) / "hotro-bench-home"))

BIRTH = "1.001193"
DEATH = "1.000656"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every key and prompt")
    parser.add_argument("--code", nargs="+", default=[DEATH, BIRTH],
                        help="civil-status procedures to walk (default: death, then birth)")
    args = parser.parse_args()

    from terminal import dialogue as d
    from terminal.config import Config
    from terminal.keypad import event_for_key
    from terminal.ports import FakeClock, FakeJournal, FakeSpeaker
    from terminal.session import Ports, Session
    from terminal.wiring import SlipPrinter, build_context, make_encoder
    from voices.out import DEFAULT_RATE_STEP, RATE_STEPS
    from voices.reading import speakable
    from voices.speaker import Speaker

    config = Config()
    ctx = build_context(config)
    speaker = FakeSpeaker()
    ports = Ports(speaker, FakeJournal(), SlipPrinter(config), FakeClock(), make_encoder(config))
    session = Session(ctx, ports)
    session.start()
    synth = Speaker(config.cache_dir / "speech")
    if not synth.available:
        raise SystemExit(f"espeak-ng is needed: {synth.problem}")
    rate = RATE_STEPS[DEFAULT_RATE_STEP]

    def seconds(text: str) -> float:
        path = synth.synthesize(speakable(text, "vi", "north"), "vi", "north", rate)
        with wave.open(str(path)) as w:
            return w.getnframes() / w.getframerate()

    heard_total = 0.0
    presses = 0
    screens: list[tuple[str, float]] = []

    def press(name: str, why: str) -> None:
        nonlocal heard_total, presses
        before = len(speaker.said)
        event = event_for_key(name)
        assert event is not None, name
        presses += 1
        session.handle(event)
        new = speaker.said[before:]
        if not new:
            return
        items = new[-1]  # a later say_all cuts an earlier one at once
        t = sum(seconds(text) for _, text in items if text.strip())
        heard_total += t
        screens.append((session.screen.name if session.screen else "?", t))
        if args.verbose:
            said = " | ".join(text for _, text in items)
            print(f"[{name:>14}] {why:<28} {t:6.1f} s  {said[:160]}")

    def choose(key: str, why: str) -> None:
        """Find the option's number as a listener would (it was spoken) and press it."""
        model = session.screen
        assert model is not None
        while model.option(key) is None and model.option("more") is not None:
            choose("more", "next page")
            model = session.screen
        option = model.option(key)
        assert option is not None and option.number is not None, (key, model.name)
        press(f"numpad{option.number}", why)

    def visit(code: str) -> tuple[float, int]:
        nonlocal heard_total, presses
        heard_total, presses = 0.0, 0
        press("numpadenter", "wake the terminal")
        choose("lang:vi", "Tiếng Việt")
        choose("group:ho_tich", "Hộ tịch")
        choose(f"proc:{code}", ctx.procedures[code].short_name)
        choose("continue", "hear the papers")
        while session.screen.name == "paper":
            stage = session.state.visit.stage
            if stage == "when":
                choose("button_no", "not my case")
            elif stage == "where":
                choose("next", "next paper")
            elif session.state.visit.paper == 0:
                choose("button_no", "missing: where to get it")
            elif session.screen.option("alt:0") is not None:
                choose("alt:0", "has the first of its alternatives")
            else:
                choose("button_yes", "have it")
        choose("prio:elderly", "priority: elderly")
        choose("done", "no help needed")
        choose("deliver:centre", "result at the centre")
        choose("button_yes", "print")
        assert session.screen.name == "printed", session.screen.name
        choose("continue", "after the slip")
        choose("sat:satisfied", "satisfied")
        assert session.screen.name == "thanks", session.screen.name
        choose("finish", "")
        assert session.screen.name == "attract", session.screen.name
        return heard_total, presses

    session.handle(d.Tick(0.0, day="2026-01-05"))
    print("Blind visits by keypad, waiting for every prompt:")
    walks = [(args.code[0], "first visit of the day (also hears once that voice input is off)")]
    walks += [(code, "a later visit") for code in args.code]
    for code, which in walks:
        p = ctx.procedures[code]
        screens.clear()
        heard, pressed = visit(code)
        longest = sorted(screens, key=lambda s: -s[1])[:5]
        print(f"  {p.short_name} ({len(p.papers)} papers), {which}: {heard:6.1f} s listening "
              f"({heard / 60:.1f} min), {pressed} key presses")
        print("    longest prompts: " + ", ".join(f"{n} {t:.0f} s" for n, t in longest))


if __name__ == "__main__":
    main()
