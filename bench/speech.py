"""Speech-out figures: say → first audio sample (cold and cached), synthesis real-time factor,
gaps between clips in a sentence, and stop latency while clips play.

    .venv/bin/python bench/speech.py [--runs 5] [--device]

Without ``--device`` SDL's disk audio driver stands in for a sound card (so the figures can be
taken on a machine without one); "first audio sample" is the moment SDL has taken the first
samples from the player's queue for the device (``player.position > 0``).

Gaps: a clip pack holding every piece of "Giấy tờ 4 trên 6" (espeak-ng's southern voice stands
in for a recorded voice) and, in a second sentence, clips alternating with synthesis; each piece
is found bit for bit in the captured output (disk driver only) and the silence between the end
of one piece and the start of the next is the gap. The player's own count of times it ran dry
(``underruns``) is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SENTENCE_30 = (
    "Ông bà cần mang theo giấy chứng sinh của cháu bé và căn cước của cha mẹ, rồi nộp tại bộ "
    "phận một cửa của xã trong giờ hành chính."
)
PROMPT = "Ông bà đã có giấy chứng sinh chưa?"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def first_sample_latency(voice: object, text: str) -> float:
    player = voice._player  # type: ignore[attr-defined]
    while player.playing:  # the last stop() may not have ended playback yet: a stale position
        time.sleep(0.0005)
    start = time.perf_counter()
    voice.say(text)  # type: ignore[attr-defined]
    while not (player.playing and player.position > 0):
        if time.perf_counter() - start > 20:
            raise RuntimeError("no audio within 20 s")
        time.sleep(0.0005)
    latency = time.perf_counter() - start
    voice.stop()  # type: ignore[attr-defined]
    time.sleep(0.05)
    return latency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--device", action="store_true", help="use the real audio device")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hotro-bench-speech-"))
    if not args.device:
        os.environ["SDL_AUDIODRIVER"] = "disk"
        os.environ["SDL_DISKAUDIOFILE"] = str(work / "played.raw")

    from voices.out import VoiceOut
    from voices.reading import speakable
    from voices.speaker import Speaker

    words = len(SENTENCE_30.replace(",", " ").replace(".", " ").split())
    print(
        f"speech bench ({args.runs} runs each; audio driver: "
        f"{os.environ.get('SDL_AUDIODRIVER', 'system default')})"
    )

    # Synthesis real-time factor: a fresh cache each run, so every run synthesises.
    for backend in ("pyttsx3", "cli"):
        times, lengths = [], []
        for run in range(args.runs):
            spk = Speaker(work / f"rtf-{backend}-{run}", backend=backend)  # type: ignore[arg-type]
            text = speakable(SENTENCE_30)
            start = time.perf_counter()
            path = spk.synthesize(text)
            times.append(time.perf_counter() - start)
            with wave.open(str(path), "rb") as wav:
                lengths.append(wav.getnframes() / wav.getframerate())
        rtf = statistics.median(t / length for t, length in zip(times, lengths, strict=True))
        print(
            f"  synthesis {backend:8} {words}-word sentence: {ms(statistics.median(times))}"
            f" for {statistics.median(lengths):.2f} s of audio -> real-time factor {rtf:.3f}"
        )

    voice = VoiceOut(cache_dir=work / "voice-cache")
    if not voice.available:
        print(f"  playback: unavailable ({voice.problem})")
        return 1
    cold = [first_sample_latency(voice, f"{PROMPT} Lần {run}.") for run in range(args.runs)]
    voice.say(PROMPT)
    time.sleep(0.3)
    voice.stop()
    cached = [first_sample_latency(voice, PROMPT) for _ in range(args.runs)]
    stops = []
    for _ in range(args.runs):
        voice.say(SENTENCE_30)
        player = voice._player  # type: ignore[attr-defined]
        while not (player.playing and player.position > 0.3):
            time.sleep(0.001)
        start = time.perf_counter()
        voice.stop()
        while voice._player.playing:  # type: ignore[attr-defined]
            time.sleep(0.0005)
        stops.append(time.perf_counter() - start)
    voice.close()
    for label, values in (
        ("say -> first audio sample, cold (synthesis + start)", cold),
        ("say -> first audio sample, cached", cached),
        ("stop -> playback ended", stops),
    ):
        print(f"  {label:52} median {ms(statistics.median(values))}, max {ms(max(values))}")
    clip_figures(work, args.runs, capture=None if args.device else work / "played.raw")
    return 0


def clip_figures(work: Path, runs: int, capture: Path | None) -> None:
    """Gaps between clips (and clips and synthesis) in one sentence; stop while clips play."""
    import numpy as np

    from voices.clips import PackInfo, create_pack
    from voices.out import VoiceOut
    from voices.player import locate, read_wav
    from voices.speaker import Speaker

    shelf = work / "clips"
    pack = create_pack(shelf, PackInfo.default("vi"))
    stand_in = Speaker(work / "stand-in")
    all_clips = (("title_paper.1", "Giấy tờ"), ("num_4", "bốn"), ("word_tren", "trên"),
                 ("num_6", "sáu"))  # fmt: skip
    for clip_id, words in all_clips:
        pack.add(clip_id, words, stand_in.synthesize(words, variant="south"), "bench")
    voice = VoiceOut(cache_dir=work / "clip-cache", clips_dir=shelf, volume_step=6)
    player = voice._player  # type: ignore[attr-defined]
    idle = threading.Event()
    voice.on_idle = idle.set
    speaker = Speaker(work / "clip-cache")
    cases = (
        ("4 clips", "Giấy tờ 4 trên 6", [pack.path(c) for c, _ in all_clips]),
        ("clips and synthesis", "Giấy tờ 5 trên 7", [
            pack.path("title_paper.1"), speaker.synthesize("năm"), pack.path("word_tren"),
            speaker.synthesize("bảy")]),
    )  # fmt: skip
    for label, text, pieces in cases:
        gaps: list[float] = []
        underruns = 0
        for _ in range(runs):
            start = capture.stat().st_size if capture is not None and capture.exists() else 0
            idle.clear()
            voice.say(text)
            if not idle.wait(30):
                raise RuntimeError("the sentence never finished")
            underruns += player.underruns
            if capture is None:
                continue
            time.sleep(0.1)  # the disk driver writes the last buffer after the queue empties
            got = np.fromfile(capture, dtype="<i2")[start // 2 :]
            samples = [read_wav(p)[0] for p in pieces]
            at = [locate(s, got) for s in samples]
            if None in at:
                raise RuntimeError("a piece is missing from the captured output")
            gaps += [(b - a - len(s)) / 22050  # type: ignore[operator]
                     for a, b, s in zip(at, at[1:], samples, strict=False)]
        line = f"  gaps in '{text}' ({label}):"
        if gaps:
            line += f" median {ms(statistics.median(gaps))}, max {ms(max(gaps))};"
        print(f"{line} device ran dry {underruns} times in {runs} runs")
    stops = []
    for _ in range(runs):
        voice.say_all([(None, "Giấy tờ 4 trên 6. Giấy tờ 4 trên 6. Giấy tờ 4 trên 6.")])
        while not (player.playing and player.position > 0.5):
            time.sleep(0.001)
        begin = time.perf_counter()
        voice.stop()
        while player.playing:
            time.sleep(0.0005)
        stops.append(time.perf_counter() - begin)
    voice.close()
    print(f"  {'stop -> playback ended, while clips play':52} median "
          f"{ms(statistics.median(stops))}, max {ms(max(stops))}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
