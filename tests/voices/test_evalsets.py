"""The spoken evaluation sets: the splits stay apart, and the audio is reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from voices import evalsets


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
    assert counts["dev"] == counts["held-out"] == counts["held-out-2"]
    assert set(counts["dev"]) == {40, 60, 66}


@pytest.mark.parametrize("kind", ["crowd", "car", "music"])
def test_held_out_2_noises_are_reproducible(kind: str) -> None:
    a = evalsets.noise(kind, 8000, np.random.default_rng(3))
    b = evalsets.noise(kind, 8000, np.random.default_rng(3))
    assert np.array_equal(a, b) and np.std(a) > 0


def test_noise_only_item_is_generated_at_its_level() -> None:
    item = next(i for i in evalsets.items(evalsets.HELD_OUT_2) if i.kind == "noise-only")
    samples = evalsets.synthesize(item)
    rms_db = 20 * np.log10(np.sqrt(np.mean((samples / 32768.0) ** 2)))
    assert rms_db == pytest.approx(item.level_db, abs=0.5)
    assert np.array_equal(samples, evalsets.synthesize(item))
