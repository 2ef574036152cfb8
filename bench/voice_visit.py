"""Spoken-answer checks: the listening time they add to a whole visit answered by voice.

    .venv/bin/python bench/voice_visit.py [--code 1.001193] [--missing 3]

Drives the pure dialogue (``terminal.dialogue``) through one visit answered entirely by voice
(``Heard`` events): language, the procedure, every paper (every ``--missing``-th one missing,
"sometimes" papers said not to apply), priority, one need, delivery, up to the confirm screen.
Every answer that records a fact is repeated back and taken on "đúng". The time is that of the
real speech the terminal would play: each ``Say`` item goes through ``voices.out.VoiceOut``
(reading rules, espeak-ng Vietnamese north voice at the default 125 words a minute, the same
cache), and the WAV's length is counted. A check also costs the resident's "đúng", the silence
the end-pointer waits for, and the decision; those are added from their own figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from terminal import dialogue as d  # noqa: E402
from terminal.config import Config  # noqa: E402
from terminal.screens import build_screen  # noqa: E402
from terminal.wiring import build_context  # noqa: E402
from voices.audio_in import EndpointSettings  # noqa: E402
from voices.clips import wav_seconds  # noqa: E402
from voices.out import VoiceOut  # noqa: E402
from voices.player import NullPlayer  # noqa: E402

DECISION_SECONDS = 0.3
"""End of speech → decision, taken at the issue's p95 bound (``bench/listen.py`` measures it)."""


def seconds(voice: VoiceOut, items: tuple[tuple[str | None, str], ...]) -> float:
    total = 0.0
    for phrase_id, text in items:
        path = voice.audio_for(text, phrase_id)
        if path is None:
            raise SystemExit(f"cannot synthesise {text!r}: is espeak-ng installed?")
        total += wav_seconds(path)
    return total


def answer_for(state: d.State, missing_every: int) -> str:
    v = state.visit
    if v.screen == "language":
        return "lang:vi"
    if v.screen == "procedure":
        return "continue"
    if v.screen == "paper":
        if v.stage == "when":
            return "button_no"  # this case is not the resident's
        if v.stage == "where":
            return "next"
        if (v.paper + 1) % missing_every == 0:
            return "button_no"
        # a paper with alternatives ("Căn cước, tài khoản VNeID …"): she names the first
        alternatives = state.ctx.procedures[v.code].papers[v.paper].alternatives if v.code else ()
        return "alt:0" if alternatives else "button_yes"
    if v.screen == "priority":
        return "prio:elderly"
    if v.screen == "needs":
        return "done" if v.needs else "need:hard_of_hearing"
    if v.screen == "delivery":
        return "deliver:centre"
    raise SystemExit(f"unexpected screen {v.screen}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default="1.001193", help="procedure (default: birth)")
    parser.add_argument("--missing", type=int, default=3, help="every n-th paper is missing")
    args = parser.parse_args()

    ctx = build_context(Config(), voice_input=True)
    voice = VoiceOut(player=NullPlayer())
    state, _ = d.start(ctx)
    state, effects = d.step(state, d.Activate())
    visit_s = check_s = 0.0
    checks: list[tuple[str, float, float]] = []  # (answer, seconds spoken, as first built)
    answers = 0
    if state.visit.screen == "home":
        state, effects = d.step(state, d.Heard(f"proc:{args.code}"))
    for _ in range(200):
        if state.visit.screen == "confirm":
            break
        if state.visit.screen == "language":
            key = "lang:vi"
        elif state.visit.screen == "home":
            key = f"proc:{args.code}"
        else:
            key = answer_for(state, args.missing)
        state, effects = d.step(state, d.Heard(key))
        answers += 1
        said = tuple(item for e in effects if isinstance(e, d.Say) for item in e.items)
        spoken = seconds(voice, said)
        if state.visit.pending is not None:
            model = build_screen(state)
            long_form = ((None, model.prompt_spoken), *((None, x) for x in model.lines))
            long_form += tuple((None, o.spoken) for o in model.options)
            checks.append((model.prompt, spoken, seconds(voice, long_form)))
            check_s += spoken
            state, effects = d.step(state, d.Heard("answer_right"))
            said = tuple(item for e in effects if isinstance(e, d.Say) for item in e.items)
            spoken += seconds(voice, said)
        visit_s += spoken
    else:
        raise SystemExit("the visit did not reach the confirm screen")
    voice.close()

    answer_s = seconds(voice, ((None, "đúng"),))
    end_s = EndpointSettings().end_silence_seconds
    per_answer = answer_s + end_s + DECISION_SECONDS
    print(f"procedure {args.code}: {answers} spoken answers, {len(checks)} of them checked")
    for prompt, spoken, long_form in checks:
        print(f"  {spoken:5.1f} s  (hint and options every time: {long_form:4.1f} s)  {prompt}")
    first = checks[0][1] if checks else 0.0
    later = [c[1] for c in checks[1:]]
    if later:
        print(
            f"first check {first:.1f} s (with how to answer); later checks "
            f"{min(later):.1f}-{max(later):.1f} s, mean {sum(later) / len(later):.1f} s"
        )
    added = check_s + len(checks) * per_answer
    old = sum(c[2] for c in checks) + len(checks) * per_answer
    print(
        f"each check also waits for the resident's 'đúng' ({answer_s:.1f} s), the end-pointer's "
        f"{end_s:.1f} s of silence and the decision (≤ {DECISION_SECONDS:.1f} s): "
        f"{per_answer:.1f} s"
    )
    print(
        f"added listening time: {added:.0f} s for the visit ({added / max(1, len(checks)):.1f} s "
        f"per check); with the hint and both options every time: {old:.0f} s"
    )
    print(f"speech of the whole visit up to the confirm screen: {visit_s:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
