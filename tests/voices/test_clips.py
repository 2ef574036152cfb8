"""Recorded clip packs: which ids a pack covers, and every kind of bad file."""

from __future__ import annotations

import io
import json
import wave
import zipfile
from pathlib import Path

import numpy as np
import pytest

from voices.clips import (
    PackError,
    PackInfo,
    check_clip,
    check_pack,
    create_pack,
    export_pack,
    import_pack,
    open_packs,
)
from voices.compose import Composer, clip_ids, text_clip_id
from voices.phrases import load_pack
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
    composer = Composer(load_pack("vi"))
    asked = clip_ids(composer.plan("Tốc độ đọc: mức 3 trên 7.", "speech_rate_level"))
    assert "speech_rate_level" not in asked  # its fixed words have their own clip
    assert "speech_rate_level.1" in asked


def test_an_empty_or_missing_folder_is_bad(tmp_path: Path) -> None:
    assert not check_pack(tmp_path).ok
    assert not check_pack(tmp_path / "missing").ok


def test_an_old_pack_without_manifest_uses_each_good_clip_for_its_id(
    tmp_path: Path, spoken_clip: Path
) -> None:
    (tmp_path / "button_yes.wav").write_bytes(spoken_clip.read_bytes())
    (tmp_path / "button_no.wav").write_text("broken")
    packs = open_packs(tmp_path)
    assert set(packs) == {"vi"}  # top-level clips are Vietnamese
    pack = packs["vi"]
    assert pack.legacy and pack.lang == "vi"
    assert pack.has("button_yes", "whatever the text says today")
    assert not pack.has("button_no", "Không")


def test_a_pack_uses_a_clip_only_for_the_text_it_was_recorded_for(
    tmp_path: Path, spoken_clip: Path
) -> None:
    pack = create_pack(tmp_path, PackInfo.default("vi"))
    info = pack.add("prompt_survey", "Ông bà có hài lòng với máy này không?", spoken_clip, "Lan")
    assert info.by == "Lan" and info.seconds > 0.3
    assert pack.has("prompt_survey", "Ông bà có hài lòng với máy này không?")
    assert not pack.has("prompt_survey", "Ông bà có vừa ý với máy này không?")
    again = open_packs(tmp_path)["vi"]  # read back from pack.json
    assert not again.legacy
    assert again.clips["prompt_survey"].by == "Lan"
    assert again.has("prompt_survey", "Ông bà có hài lòng với máy này không?")
    manifest = json.loads((tmp_path / "vi" / "pack.json").read_text(encoding="utf-8"))
    assert manifest["clips"]["prompt_survey"]["text"] == "Ông bà có hài lòng với máy này không?"


def test_check_reports_a_clip_whose_text_has_changed(tmp_path: Path, spoken_clip: Path) -> None:
    pack = create_pack(tmp_path, PackInfo.default("vi"))
    pack.add("button_yes", "Có", spoken_clip)
    pack.add("button_no", "Không nữa", spoken_clip)  # the phrase pack now says "Không"
    text = "Hồ sơ gồm tờ khai."
    pack.add(text_clip_id("vi", text), text, spoken_clip)
    report = check_pack(tmp_path)
    assert report.ok
    (vi,) = report.languages
    assert set(vi.covered) == {"button_yes", text_clip_id("vi", text)}
    assert any("button_no.wav" in n and "recorded as" in n for n in vi.notes)
    assert "button_no" in vi.missing


def test_a_text_clip_whose_text_does_not_match_its_id_is_bad(
    tmp_path: Path, spoken_clip: Path
) -> None:
    pack = create_pack(tmp_path, PackInfo.default("vi"))
    pack.add("t_0123456789abcdef", "Một câu khác.", spoken_clip)
    report = check_pack(tmp_path / "vi")
    assert not report.ok
    assert "unknown clip id" in report.languages[0].problems[0].problem


def test_export_then_import_on_another_machine(tmp_path: Path, spoken_clip: Path) -> None:
    centre = tmp_path / "desk"
    pack = create_pack(centre, PackInfo("vi-south", "Giọng miền Nam", "vi", "south"))
    pack.add("button_yes", "Có", spoken_clip, "Lan", "2026-11-23T09:00:00+07:00")
    zipped = io.BytesIO()
    assert export_pack(pack, zipped) == 1
    terminal = tmp_path / "terminal"
    report = import_pack(terminal, io.BytesIO(zipped.getvalue()))
    assert (report.pack_id, report.clips, report.skipped) == ("vi-south", 1, [])
    got = open_packs(terminal)["vi-south"]
    assert got.info.variant == "south" and got.info.name == "Giọng miền Nam"
    assert got.has("button_yes", "Có")
    assert got.clips["button_yes"].at == "2026-11-23T09:00:00+07:00"
    assert not list(terminal.glob(".import-*"))


def test_import_replaces_the_whole_pack_and_leaves_out_bad_clips(
    tmp_path: Path, spoken_clip: Path
) -> None:
    old = create_pack(tmp_path / "t", PackInfo.default("vi"))
    old.add("button_no", "Không", spoken_clip)
    manifest = {
        "format": 1, "id": "vi", "lang": "vi",
        "clips": {"button_yes": {"text": "Có"}, "prompt_ask": {"text": "Chọn một việc dưới đây."}},
    }  # fmt: skip
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("vi/pack.json", json.dumps(manifest))
        zf.writestr("vi/button_yes.wav", spoken_clip.read_bytes())
        zf.writestr("vi/prompt_ask.wav", b"RIFF broken")
    report = import_pack(tmp_path / "t", io.BytesIO(zipped.getvalue()))
    assert report.clips == 1 and report.skipped[0].startswith("prompt_ask:")
    pack = open_packs(tmp_path / "t")["vi"]
    assert set(pack.clips) == {"button_yes"}  # button_no went with the old pack
    assert not (tmp_path / "t" / "vi" / "button_no.wav").exists()


@pytest.mark.parametrize(
    "members",
    [
        {"vi/pack.json": "{}", "../evil.wav": "x"},
        {"vi/pack.json": "{}", "vi/sub/x.wav": "x"},
        {"a.wav": "x"},
        {"vi/pack.json": "not json"},
        {"vi/pack.json": '{"id": "../x"}'},
        {"vi/pack.json": '{"id": "en", "lang": "en"}'},
    ],
)
def test_import_refuses_a_zip_that_is_not_a_pack(tmp_path: Path, members: dict[str, str]) -> None:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(PackError):
        import_pack(tmp_path, io.BytesIO(zipped.getvalue()))
    assert not (tmp_path / "evil.wav").exists()
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith(".")]


def test_a_broken_manifest_skips_the_pack_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "vi").mkdir()
    (tmp_path / "vi" / "pack.json").write_text('{"id": "vi", "tts": "yes"}', encoding="utf-8")
    with caplog.at_level("WARNING"):
        assert open_packs(tmp_path) == {}
    assert "tts must be true or false" in caplog.text


def test_pack_ids_name_a_language_and_optionally_a_dialect() -> None:
    assert PackInfo.default("vi-south").variant == "south"
    assert PackInfo.default("hmn").tts is False  # no synthesiser for H'Mông
    assert PackInfo.default("hmn").lang == "hmn"
