"""A studio take made into a clip (trim, loudness, resample, checks) and a clip time-stretched
for playback: real SoX does the work, and SoX (``sox --i``, ``stats``) measures the result."""

from __future__ import annotations

import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from voices import clipaudio
from voices.clips import check_clip
from voices.speaker import Speaker

pytestmark = pytest.mark.real


def write(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2").tobytes())
    return path


def sox_seconds(path: Path) -> float:
    return float(subprocess.run(["sox", "--i", "-D", str(path)], capture_output=True,
                                text=True, check=True).stdout)  # fmt: skip


def sox_stats(path: Path) -> dict[str, float]:
    """SoX's own measurements: 'RMS lev dB', 'Pk lev dB'..."""
    err = subprocess.run(["sox", str(path), "-n", "stats"], capture_output=True, text=True,
                         check=True).stderr  # fmt: skip
    out = {}
    for line in err.splitlines():
        m = re.match(r"(.+?)\s{2,}(-?[\d.]+)", line)
        if m:
            out[m[1].strip()] = float(m[2])
    return out


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, int]:
    """A real Vietnamese utterance (espeak-ng) with its own silence cut off, as floats."""
    wav = Speaker(tmp_path_factory.mktemp("cache")).synthesize("Ông bà cần làm việc gì?")
    with wave.open(str(wav), "rb") as w:
        x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768
        rate = w.getframerate()
    loud = np.flatnonzero(np.abs(x) > 0.01)
    return x[loud[0] : loud[-1]], rate


def take(speech: tuple[np.ndarray, int], level_db: float, noise_db: float = -70.0,
         before: float = 1.0, after: float = 1.5, rate: int = 48000) -> np.ndarray:  # fmt: skip
    """A microphone take at 48 kHz: silence with room noise, the utterance at ``level_db``
    (RMS), silence again."""
    x, r = speech
    x = np.interp(np.linspace(0, len(x) - 1, int(len(x) * rate / r)), np.arange(len(x)), x)
    x = x / np.sqrt(np.mean(x**2)) * 10 ** (level_db / 20)
    rng = np.random.default_rng(7)
    total = np.concatenate([np.zeros(int(before * rate)), x, np.zeros(int(after * rate))])
    return total + rng.normal(0, 10 ** (noise_db / 20), len(total))


@pytest.mark.parametrize("level_db", [-40.0, -28.0, -19.0])
def test_a_take_is_trimmed_and_normalised_to_the_same_loudness(
    tmp_path: Path, speech: tuple[np.ndarray, int], level_db: float
) -> None:
    src = write(tmp_path / "take.wav", take(speech, level_db), 48000)
    out = tmp_path / "clip.wav"
    report = clipaudio.process_take(src, out)
    assert report.ok, report
    speech_seconds = len(speech[0]) / speech[1]
    assert sox_seconds(src) == pytest.approx(speech_seconds + 2.5, abs=0.01)
    # trimmed: the 2.5 s of silence is gone, the lead and tail kept (frame rounding ±40 ms)
    kept = clipaudio.LEAD_S + clipaudio.TAIL_S
    assert sox_seconds(out) == pytest.approx(speech_seconds + kept, abs=0.06)
    stats = sox_stats(out)
    # whole-file RMS is a little under the speech-frame target (the pauses between words)
    assert -24.0 <= stats["RMS lev dB"] <= clipaudio.TARGET_DBFS + 0.5
    assert stats["Pk lev dB"] <= clipaudio.PEAK_DBFS + 0.3
    with wave.open(str(out), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (22050, 1, 2)
    assert check_clip(out) is None


def test_loudness_is_the_same_whatever_the_take_level(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    levels = []
    for db in (-42.0, -19.0):
        out = tmp_path / f"{db}.wav"
        assert clipaudio.process_take(write(tmp_path / "t.wav", take(speech, db), 48000), out).ok
        levels.append(sox_stats(out)["RMS lev dB"])
    assert abs(levels[0] - levels[1]) < 0.5


def test_a_stereo_take_at_44100_hz_is_mixed_to_mono(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    mono = take(speech, -25.0, rate=44100)
    src = write(tmp_path / "t.wav", np.repeat(mono, 2), 44100, channels=2)
    out = tmp_path / "clip.wav"
    assert clipaudio.process_take(src, out).ok
    with wave.open(str(out), "rb") as w:
        assert (w.getframerate(), w.getnchannels()) == (22050, 1)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda s: np.clip(take(s, -3.0) * 4, -1, 1), "clipped"),
        (lambda s: take(s, -30.0, noise_db=-38.0), "noisy"),
        (lambda s: take(s, -80.0, noise_db=-90.0), "silent"),
        (lambda s: take(s, -25.0)[:4000], "too_short"),
    ],
)
def test_a_bad_take_is_refused_with_its_reason(
    tmp_path: Path, speech: tuple[np.ndarray, int], make, problem: str  # noqa: ANN001
) -> None:
    out = tmp_path / "clip.wav"
    report = clipaudio.process_take(write(tmp_path / "t.wav", make(speech), 48000), out)
    assert report.problem == problem, report
    assert not out.exists()


def test_a_file_that_is_not_a_wav_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "t.wav"
    src.write_bytes(b"OggS not a wav")
    assert clipaudio.process_take(src, tmp_path / "o.wav").problem == "unreadable"


def dominant_hz(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64)
        rate = w.getframerate()
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[np.argmax(spectrum)])


@pytest.mark.parametrize("tempo", [0.5, 0.75, 1.25, 2.0])
def test_tempo_changes_the_length_not_the_pitch(tmp_path: Path, tempo: float) -> None:
    t = np.arange(int(2.0 * 22050)) / 22050
    clip = write(tmp_path / "tone.wav", 0.3 * np.sin(2 * np.pi * 220 * t), 22050)
    out = clipaudio.conform(clip, tmp_path / "cache", tempo)
    assert sox_seconds(out) == pytest.approx(2.0 / tempo, rel=0.03)
    assert dominant_hz(out) == pytest.approx(220, abs=3)
    assert clipaudio.conform(clip, tmp_path / "cache", tempo) == out  # cached


def test_a_clip_already_at_the_players_format_is_played_as_it_is(tmp_path: Path) -> None:
    clip = write(tmp_path / "c.wav", np.zeros(22050), 22050)
    assert clipaudio.conform(clip, tmp_path / "cache") == clip
    other = write(tmp_path / "d.wav", np.zeros(48000), 48000)
    resampled = clipaudio.conform(other, tmp_path / "cache")
    assert sox_seconds(resampled) == pytest.approx(1.0, abs=0.01)
