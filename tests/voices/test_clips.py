"""Recorded clip packs: which ids a pack covers, and every kind of bad file."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from voices.clips import ClipPack, check_clip, check_pack
from voices.speaker import Speaker


def write_wav(
    path: Path, samples: np.ndarray, rate: int = 22050, channels: int = 1, width: int = 2
) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        dtype = {1: "u1", 2: "<i2"}[width]
        wav.writeframes(samples.astype(dtype).tobytes())
    return path


def tone(seconds: float = 0.5, rate: int = 22050, amplitude: float = 8000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * 440 * t)


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real espeak-ng recording standing in for an officer's voice."""
    return Speaker(tmp_path_factory.mktemp("cache")).synthesize("Có ạ.")


def test_a_real_speech_recording_is_a_good_clip(spoken_clip: Path) -> None:
    assert check_clip(spoken_clip) is None


def test_a_file_that_is_not_wav_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "button_yes.wav"
    bad.write_text("not audio")
    problem = check_clip(bad)
    assert problem is not None and "not a readable WAV" in problem.problem
    assert "PCM 16-bit mono" in str(problem)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"width": 1}, "8-bit"),
        ({"channels": 2}, "2 channels"),
        ({"rate": 8000}, "8000 Hz"),
    ],
)
def test_a_wrong_format_is_bad(tmp_path: Path, kwargs: dict[str, int], message: str) -> None:
    rate = kwargs.get("rate", 22050)
    samples = tone(rate=rate)
    if kwargs.get("width") == 1:
        samples = samples / 256 + 128
    if kwargs.get("channels") == 2:
        samples = np.repeat(samples, 2)
    path = write_wav(tmp_path / "x.wav", samples, **kwargs)
    problem = check_clip(path)
    assert problem is not None and message in problem.problem


def test_a_silent_clip_is_bad(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "x.wav", tone(amplitude=3))
    problem = check_clip(path)
    assert problem is not None and problem.problem.startswith("silent")


def test_a_clipped_clip_is_bad(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "x.wav", np.clip(tone(amplitude=60000), -32768, 32767))
    problem = check_clip(path)
    assert problem is not None and problem.problem.startswith("clipped")


def test_a_very_short_clip_is_bad(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "x.wav", tone(seconds=0.02))
    problem = check_clip(path)
    assert problem is not None and "too short" in problem.problem


def test_pack_report_lists_covered_ids_and_bad_files(tmp_path: Path, spoken_clip: Path) -> None:
    (tmp_path / "button_yes.wav").write_bytes(spoken_clip.read_bytes())
    (tmp_path / "button_no.wav").write_text("broken")
    (tmp_path / "no_such_phrase.wav").write_bytes(spoken_clip.read_bytes())
    report = check_pack(tmp_path)
    assert not report.ok
    (vi,) = report.languages
    assert vi.lang == "vi"
    assert vi.covered == ("button_yes",)
    assert "button_no" in vi.missing and "button_yes" not in vi.missing
    assert {p.file.name for p in vi.problems} == {"button_no.wav", "no_such_phrase.wav"}


def test_language_sub_folders_are_checked_against_their_pack(
    tmp_path: Path, spoken_clip: Path
) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "command_repeat.wav").write_bytes(spoken_clip.read_bytes())
    report = check_pack(tmp_path)
    assert report.ok
    assert [(r.lang, r.covered) for r in report.languages] == [("en", ("command_repeat",))]


def test_a_clip_for_a_phrase_with_placeholders_is_noted_not_used(
    tmp_path: Path, spoken_clip: Path
) -> None:
    (tmp_path / "speech_rate_level.wav").write_bytes(spoken_clip.read_bytes())
    report = check_pack(tmp_path)
    assert report.ok
    assert report.languages[0].covered == ()
    assert "placeholders" in report.languages[0].notes[0]
    assert ClipPack(tmp_path).clip_for("vi", "speech_rate_level") is None


def test_an_empty_or_missing_folder_is_bad(tmp_path: Path) -> None:
    assert not check_pack(tmp_path).ok
    assert not check_pack(tmp_path / "missing").ok


def test_clip_pack_returns_good_clips_only(tmp_path: Path, spoken_clip: Path) -> None:
    (tmp_path / "button_yes.wav").write_bytes(spoken_clip.read_bytes())
    (tmp_path / "button_no.wav").write_text("broken")
    pack = ClipPack(tmp_path)
    assert pack.clip_for("vi", "button_yes") == tmp_path / "button_yes.wav"
    assert pack.clip_for("vi", "button_no") is None
    assert pack.clip_for("en", "button_yes") is None  # top-level clips are Vietnamese
