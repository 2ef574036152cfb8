"""Seconds from launching the terminal to its first frame and to its first spoken word.

Each run is a fresh process (``python bench/startup.py --child``) with the real parts of
``hotro run --windowed``: Kivy (SDL2), the catalogue, the journal (SQLite) and VoiceOut
(pyttsx3/espeak-ng + the SDL audio player). The terminal says nothing until someone touches
it, so the child touches the attract screen as soon as the first frame is drawn; "first word" is
when the player starts the first audio of the language screen. Run 1 synthesises; later runs
find the speech in the cache.

    SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk python bench/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child() -> None:
    launched = float(os.environ["HOTRO_BENCH_T0"])
    sys.path.insert(0, str(ROOT))
    from terminal.app import configure_kivy, make_app_class

    configure_kivy(False, 1280, 800)
    from kivy.clock import Clock

    from terminal import dialogue as d
    from terminal.config import Config
    from terminal.session import Ports
    from terminal.wiring import build_context, build_ports

    marks: dict[str, float] = {}
    config = Config()
    wiring = build_ports(config, listen=False)
    voice = getattr(wiring.speaker, "voice", None)
    player = getattr(voice, "_player", None)
    if player is not None:  # the first audio handed to the player, one file or a sequence
        for name in ("play", "play_sequence"):
            original = getattr(player, name)

            def play(*args, _original=original, **kwargs):  # noqa: ANN002, ANN003, ANN202
                marks.setdefault("first_word", time.time())
                return _original(*args, **kwargs)

            setattr(player, name, play)

    class _Clock:
        def now(self) -> float:
            return time.monotonic()

    ports = Ports(wiring.speaker, wiring.journal, wiring.printer, _Clock(), wiring.encode)
    app = make_app_class()(build_context(config), ports, tick_seconds=1.0)

    def first_frame(dt: float) -> None:
        marks["first_frame"] = time.time()
        marks["touch"] = time.time()
        app.session.handle(d.Activate())

    def check(dt: float) -> None:
        if "first_word" in marks or time.time() - launched > 60:
            app.stop()

    speech_available = bool(wiring.speaker.available)
    Clock.schedule_once(first_frame, 0)
    Clock.schedule_interval(check, 0.01)
    app.run()
    result = {k: v - launched for k, v in marks.items()}
    result["touch_to_word"] = (
        marks["first_word"] - marks["touch"] if "first_word" in marks else None
    )
    result["speech"] = speech_available
    print("BENCH " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    env = {**os.environ, "KIVY_NO_ARGS": "1"}
    env.setdefault("SDL_VIDEODRIVER", "offscreen")
    env.setdefault("SDL_AUDIODRIVER", "disk")
    home = Path(tempfile.mkdtemp(prefix="hotro-bench-"))
    env.setdefault("HOTRO_HOME", str(home))
    env.setdefault("KIVY_HOME", str(home / "kivy"))
    env.setdefault("SDL_DISKAUDIOFILE", str(home / "audio.raw"))
    print(f"video={env['SDL_VIDEODRIVER']} audio={env['SDL_AUDIODRIVER']} home={home}")
    print(f"{'run':>3}  {'first frame':>11}  {'first word':>10}  {'touch→word':>10}")
    for run in range(1, args.runs + 1):
        env["HOTRO_BENCH_T0"] = repr(time.time())
        proc = subprocess.run(
            [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True
        )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), None)
        if line is None:
            print(f"{run:>3}  failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(line[6:])

        def fmt(value: float | None) -> str:
            return f"{value:10.2f}s" if value is not None else "         —"

        note = "" if r["speech"] else "  (speech unavailable: screen only)"
        print(
            f"{run:>3}  {fmt(r.get('first_frame'))} {fmt(r.get('first_word'))} "
            f"{fmt(r.get('touch_to_word'))}{note}"
        )


if __name__ == "__main__":
    main()
