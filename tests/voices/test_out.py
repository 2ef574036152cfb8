"""VoiceOut: never blocks, a new prompt replaces the old, stop/repeat/pause, settings, failures.

Logic tests use real espeak-ng synthesis with a recording player (a fake that "plays" for the
WAV's real length). The end-to-end tests play through SDL2 with the disk audio driver in a fresh
interpreter and compare the captured samples with the synthesis.
"""

from __future__ import annotations

import logging
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.voices.isolated import disk_env, run_isolated
from voices.clips import PackInfo, create_pack
from voices.out import (
    DEFAULT_RATE_STEP,
    DEFAULT_VOLUME_STEP,
    RATE_STEPS,
    VOLUME_STEPS,
    VoiceOut,
    words_per_minute,
)
from voices.player import locate, read_wav, scale
from voices.reading import speakable
from voices.speaker import Speaker


class RecordingPlayer:
    """Fake audio output: 'plays' each WAV for a fifth of its real duration (position in WAV
    seconds, as a real player reports it); records what happened."""

    available = True
    problem = ""

    def __init__(self) -> None:
        self.volume = 1.0
        self.played: list[tuple[Path, bool]] = []
        self.volumes: list[float] = []
        self._stop = threading.Event()
        self._paused = threading.Event()
        self.playing = False
        self.position = 0.0

    def play(self, path: Path, cancelled: Callable[[], bool] | None = None) -> bool:
        with wave.open(str(path), "rb") as wav:
            length = wav.getnframes() / wav.getframerate()
        self._stop.clear()
        self.playing, self.position = True, 0.0
        self.volumes.append(self.volume)
        while self.position < length:
            if self._stop.is_set() or (cancelled is not None and cancelled()):
                break
            time.sleep(0.005)
            if not self._paused.is_set():
                self.position += 0.025
        finished = self.position >= length
        self.playing = False
        self.played.append((Path(path), finished))
        return finished

    def stop(self) -> None:
        self._stop.set()

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    def close(self) -> None:
        pass


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "voiceout-cache"


@pytest.fixture
def player() -> RecordingPlayer:
    return RecordingPlayer()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def make(cache: Path, player: RecordingPlayer, **kwargs: object) -> VoiceOut:
    return VoiceOut(cache_dir=cache, player=player, **kwargs)  # type: ignore[arg-type]


@pytest.mark.real
def test_say_returns_at_once_even_when_synthesis_is_cold(
    cache: Path, player: RecordingPlayer
) -> None:
    voice = make(cache, player)
    long_text = "Ông bà cần mang theo giấy chứng sinh, căn cước công dân và sổ hộ khẩu. " * 2
    start = time.monotonic()
    voice.say(long_text + f" {time.time_ns()}")  # never cached before
    assert time.monotonic() - start < 0.05
    assert voice.speaking
    voice.close()


@pytest.mark.real
def test_items_play_in_order_then_on_idle_fires_once(cache: Path, player: RecordingPlayer) -> None:
    idle = threading.Event()
    calls: list[float] = []

    def on_idle() -> None:
        calls.append(time.monotonic())
        idle.set()

    voice = make(cache, player, on_idle=on_idle)
    voice.say_all([(None, "Một."), (None, "Hai.")])
    assert idle.wait(30)
    time.sleep(0.05)
    speaker = Speaker(cache)
    assert [p for p, _ in player.played] == [speaker.cache_path("Một."), speaker.cache_path("Hai.")]
    assert all(done for _, done in player.played)
    assert len(calls) == 1
    assert not voice.speaking
    voice.close()


@pytest.mark.real
def test_a_new_prompt_replaces_the_one_playing(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player)
    voice.say_all([(None, "Đây là câu đầu tiên khá dài để còn đang đọc."), (None, "Câu hai.")])
    wait_until(lambda: player.playing)
    voice.say("Câu mới.")
    wait_until(lambda: not voice.speaking)
    spoken = [p for p, _ in player.played]
    assert spoken[-1] == Speaker(cache).synthesize("Câu mới.")
    assert player.played[0][1] is False  # the first was cut
    assert Speaker(cache).cache_path("Câu hai.") not in spoken  # the queued one was dropped
    voice.close()


@pytest.mark.real
def test_stop_silences_and_empties_the_queue(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player)
    voice.say_all([(None, "Mời ông bà nghe hướng dẫn sau đây."), (None, "Bước hai.")])
    wait_until(lambda: player.playing)
    asked = time.monotonic()
    voice.stop()
    wait_until(lambda: not player.playing)
    assert time.monotonic() - asked < 0.1
    wait_until(lambda: not voice.speaking)
    assert len(player.played) == 1 and player.played[0][1] is False
    voice.close()


@pytest.mark.real
def test_stop_keeps_what_it_cut_from_the_item_playing_on(
    cache: Path, player: RecordingPlayer
) -> None:
    """Real espeak-ng synthesis: the second item is cut; it and the third are ``unfinished``,
    and a second stop (nothing playing) keeps them; a new prompt forgets them."""
    voice = make(cache, player)
    items = [(None, "Một."), (None, "Mời ông bà nghe hướng dẫn sau đây."), (None, "Bước ba.")]
    voice.say_all(items)
    wait_until(lambda: len(player.played) == 1 and player.playing)
    voice.stop()
    wait_until(lambda: not voice.speaking)
    assert voice.unfinished == items[1:]
    voice.stop()
    assert voice.unfinished == items[1:]
    voice.say_all([(None, "Âm lượng mức 5.")])
    assert voice.unfinished == []
    voice.close()


@pytest.mark.real
def test_repeat_says_the_last_prompt_again(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player)
    voice.say("Xin mời.")
    wait_until(lambda: len(player.played) == 1 and not voice.speaking)
    voice.repeat()
    wait_until(lambda: len(player.played) == 2 and not voice.speaking)
    assert player.played[0][0] == player.played[1][0]
    voice.close()


@pytest.mark.real
def test_pause_holds_and_resume_continues(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player)
    voice.say("Mời ông bà ngồi chờ đến lượt.")
    wait_until(lambda: player.position > 0.1)
    voice.pause()
    time.sleep(0.02)  # let the player's loop see the pause
    held = player.position
    time.sleep(0.2)
    assert player.position == pytest.approx(held, abs=0.01)
    assert voice.speaking and voice.paused
    voice.resume()
    wait_until(lambda: player.position > held + 0.1)
    voice.close()


@pytest.mark.real
def test_text_is_read_with_numbers_as_words(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player)
    voice.say("Lệ phí 20.000 đ")
    wait_until(lambda: len(player.played) == 1)
    expected = Speaker(cache).cache_path(speakable("Lệ phí 20.000 đ"))
    assert player.played[0][0] == expected
    voice.close()


@pytest.mark.real
def test_rate_step_changes_the_synthesis(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player, rate_step=0)
    voice.say("Chậm.")
    wait_until(lambda: len(player.played) == 1)
    assert player.played[0][0] == Speaker(cache).cache_path("Chậm.", rate=RATE_STEPS[0])
    voice.close()


def test_rate_steps_span_half_to_double_with_a_125_wpm_default() -> None:
    assert len(RATE_STEPS) == 7
    assert (RATE_STEPS[0], RATE_STEPS[-1]) == (0.5, 2.0)
    assert list(RATE_STEPS) == sorted(RATE_STEPS)
    assert words_per_minute(DEFAULT_RATE_STEP) == 125
    assert 6 <= len(VOLUME_STEPS) <= 8 and VOLUME_STEPS[-1] == 1.0


def test_steps_are_clamped(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player)
    voice.rate_step = 99
    voice.volume_step = -4
    assert voice.rate_step == len(RATE_STEPS) - 1
    assert voice.volume_step == 0
    assert player.volume == VOLUME_STEPS[0]
    voice.close()


def test_reset_settings_restores_the_defaults(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player)
    voice.rate_step = 0
    voice.volume_step = 6
    voice.reset_settings()
    assert (voice.rate_step, voice.volume_step) == (DEFAULT_RATE_STEP, DEFAULT_VOLUME_STEP)
    assert player.volume == VOLUME_STEPS[DEFAULT_VOLUME_STEP]
    voice.close()


@pytest.mark.real
def test_changing_the_rate_speaks_the_new_level(cache: Path, player: RecordingPlayer) -> None:
    voice = make(cache, player)
    assert voice.change_rate(-1) == DEFAULT_RATE_STEP - 1
    wait_until(lambda: len(player.played) == 1)
    text = speakable(f"Tốc độ đọc: mức {DEFAULT_RATE_STEP} trên {len(RATE_STEPS)}.")
    expected = Speaker(cache).cache_path(text, rate=RATE_STEPS[DEFAULT_RATE_STEP - 1])
    assert player.played[0][0] == expected
    voice.close()


@pytest.mark.real
def test_clip_replaces_synthesis_for_its_phrase_id(
    cache: Path, player: RecordingPlayer, tmp_path: Path
) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    clip = Speaker(cache).to_file("Có ạ.", clips / "button_yes.wav", variant="south")
    voice = make(cache, player, clips_dir=clips)
    voice.say("Có", phrase_id="button_yes")
    wait_until(lambda: len(player.played) == 1)
    assert player.played[0][0] == clip
    voice.close()


@pytest.mark.real
def test_broken_clip_falls_back_to_synthesis_and_logs_once(
    cache: Path, player: RecordingPlayer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "button_no.wav").write_bytes(b"RIFF....WAVEbroken")
    voice = make(cache, player, clips_dir=clips)
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            voice.say("Không", phrase_id="button_no")
            wait_until(lambda: not voice.speaking and player.played)
            time.sleep(0.05)
    assert player.played[-1][0] == Speaker(cache).cache_path("Không")
    warnings = [r for r in caplog.records if "button_no.wav" in r.getMessage()]
    assert len(warnings) == 1
    voice.close()


def test_without_espeak_ng_say_logs_once_and_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng command
    speaker = Speaker(tmp_path, backend="cli")
    idle = threading.Event()
    player = RecordingPlayer()
    with caplog.at_level(logging.WARNING):
        voice = VoiceOut(player=player, speaker=speaker, on_idle=idle.set)  # type: ignore[arg-type]
        assert not voice.available
        start = time.monotonic()
        voice.say("Xin chào")
        voice.say("Xin chào lần nữa")
        assert time.monotonic() - start < 0.05
        assert idle.wait(2)  # the dialogue is told speech is over
    assert not player.played
    lines = [r for r in caplog.records if "espeak-ng" in r.getMessage()]
    assert len(lines) == 1
    assert "speech is off" in voice.problem
    voice.close()


# ----------------------------------------------------------------- end to end, SDL disk driver


def _voiceout_session(cache: Path, first: str, second: str) -> dict[str, object]:
    """say(first); once 0.4 s of it has played (the player's own position), say(second);
    wait for idle. ``cut_at``: where the player stopped the first prompt."""
    idle = threading.Event()
    voice = VoiceOut(cache_dir=cache, on_idle=idle.set, volume_step=6)
    assert voice.available, voice.problem
    player = voice._player
    voice.say(first)
    deadline = time.monotonic() + 60  # a bound for a hung voice only
    while not (player.playing and player.position >= 0.4) and time.monotonic() < deadline:
        time.sleep(0.001)
    asked_at = player.position
    stopped_at: list[float] = []
    stop = player.stop

    def noting_stop() -> None:
        stop()
        stopped_at.append(player.position)  # frozen until the next prompt starts playing

    player.stop = noting_stop  # type: ignore[method-assign]
    voice.say(second)
    ok = idle.wait(60)
    voice.close()
    return {"idle": ok, "asked_at": asked_at, "cut_at": stopped_at[0]}


@pytest.mark.real
def test_end_to_end_the_second_prompt_cuts_the_first(tmp_path: Path) -> None:
    """Starts real espeak-ng (pyttsx3) and SDL2 audio with the disk driver; checks the
    captured samples: the start of the first prompt, then the whole second prompt."""
    cache = tmp_path / "cache"
    capture = tmp_path / "played.raw"
    first = "Thủ tục đăng ký khai sinh cần giấy chứng sinh."
    second = "Mời ông bà ngồi chờ."
    result = run_isolated(_voiceout_session, disk_env(capture), cache, first, second)
    assert result["idle"] is True
    speaker = Speaker(cache)
    one, rate, _ = read_wav(speaker.synthesize(speakable(first)))
    two, _, _ = read_wav(speaker.synthesize(speakable(second)))
    got = np.fromfile(capture, dtype="<i2")
    start_one = _find(one, got)
    start_two = _find(two, got)
    assert start_two > start_one
    assert np.array_equal(got[start_two : start_two + len(two)], two)
    # the first prompt was cut where the second was asked for
    played_one = got[start_one:start_two]
    differs = np.flatnonzero(played_one[: len(one)] != one[: len(played_one)])
    match = int(differs[0]) if differs.size else len(played_one)
    assert 0.4 <= result["asked_at"] <= result["cut_at"]
    assert match / rate == pytest.approx(result["cut_at"], abs=0.1)
    assert match < len(one) / 2


def _find(samples: np.ndarray, capture: np.ndarray) -> int:
    start = locate(samples, capture)
    assert start is not None, "prompt not found in the captured audio"
    return start


def test_volume_step_is_applied_to_playback() -> None:
    samples = np.array([10000, -10000, 32767], dtype="<i2")
    assert list(scale(samples, VOLUME_STEPS[0])) == [2500, -2500, 8191]


@pytest.mark.real
def test_clips_still_play_without_espeak_ng(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, player: RecordingPlayer, cache: Path
) -> None:
    """A language with no synthesiser: recorded clips play, other prompts are skipped."""
    clips = tmp_path / "clips"
    clips.mkdir()
    clip = Speaker(cache).to_file("Có ạ.", clips / "button_yes.wav")
    monkeypatch.setenv("PATH", str(tmp_path))
    voice = make(cache, player, clips_dir=clips, speaker=Speaker(tmp_path, backend="cli"))
    assert not voice.available
    voice.say_all([("button_yes", "Có"), (None, "Không có bản ghi.")])
    wait_until(lambda: not voice.speaking)
    assert [p for p, _ in player.played] == [clip]
    voice.close()


# ----------------------------------------------------------------- recorded clips and synthesis


def _clip_shelf(root: Path, cache: Path) -> dict[str, Path]:
    """A pack holding "Giấy tờ" and "trên" only: real espeak-ng recordings in the southern
    voice stand in for a staff member's voice (so they differ from the northern synthesis)."""
    pack = create_pack(root, PackInfo.default("vi"))
    speaker = Speaker(cache)
    made = {}
    for clip_id, words in (("title_paper.1", "Giấy tờ"), ("word_tren", "trên")):
        wav = speaker.synthesize(words, variant="south")
        pack.add(clip_id, words, wav, "test")
        made[clip_id] = pack.path(clip_id)
    return made


def _say_and_wait(cache: Path, clips: Path, text: str, rate_step: int) -> dict[str, object]:
    idle = threading.Event()
    voice = VoiceOut(
        cache_dir=cache, clips_dir=clips, on_idle=idle.set, volume_step=6, rate_step=rate_step
    )
    assert voice.available, voice.problem
    voice.say(text)
    ok = idle.wait(30)
    player = voice._player
    result = {"idle": ok, "underruns": player.underruns, "gap": player.gap_seconds}
    voice.close()
    return result


@pytest.mark.real
def test_end_to_end_clips_and_synthesis_play_back_to_back(tmp_path: Path) -> None:
    """Starts real espeak-ng and SDL2 audio (disk driver): "Giấy tờ 4 trên 6" with two recorded
    clips is played as clip, synthesis, clip, synthesis; every piece is found bit for bit in
    the captured output, each right after the one before (no gap over 50 ms)."""
    cache, capture = tmp_path / "cache", tmp_path / "played.raw"
    clips = _clip_shelf(tmp_path / "clips", cache)
    speaker = Speaker(cache)  # synthesised beforehand: the test is about the stream
    pieces = [
        read_wav(clips["title_paper.1"])[0],
        read_wav(speaker.synthesize("bốn"))[0],
        read_wav(clips["word_tren"])[0],
        read_wav(speaker.synthesize("sáu"))[0],
    ]
    result = run_isolated(
        _say_and_wait, disk_env(capture), cache, tmp_path / "clips", "Giấy tờ 4 trên 6",
        DEFAULT_RATE_STEP,
    )
    assert result["idle"] is True
    got = np.fromfile(capture, dtype="<i2")
    starts = [_find(p, got) for p in pieces]
    assert starts == sorted(starts)
    for piece, start in zip(pieces, starts, strict=True):
        assert np.array_equal(got[start : start + len(piece)], piece)
    gaps = [(b - (a + len(p))) / 22050 for a, b, p in zip(starts, starts[1:], pieces, strict=False)]
    assert all(0 <= g <= 0.05 for g in gaps), (gaps, result)


@pytest.mark.real
def test_a_faster_rate_time_stretches_the_clips(tmp_path: Path, player: RecordingPlayer) -> None:
    """Rate step 4 (1.5 times): the clip played is SoX's tempo-stretched copy, two thirds as
    long; the synthesis is made at 188 words a minute."""
    cache = tmp_path / "cache"
    clips = _clip_shelf(tmp_path / "clips", cache)
    voice = make(cache, player, clips_dir=tmp_path / "clips", rate_step=4)
    voice.say("Giấy tờ 4 trên 6")
    wait_until(lambda: not voice.speaking)
    voice.close()
    paths = [p for p, _ in player.played]
    assert len(paths) == 4
    original = len(read_wav(clips["title_paper.1"])[0])
    stretched = len(read_wav(paths[0])[0])
    assert stretched == pytest.approx(original / 1.5, rel=0.05)
    assert paths[1] == Speaker(cache).cache_path("bốn", rate=RATE_STEPS[4])


@pytest.mark.real
def test_a_chosen_dialect_pack_speaks_with_its_clips_and_its_accent(
    tmp_path: Path, player: RecordingPlayer, cache: Path
) -> None:
    south = create_pack(tmp_path / "clips", PackInfo("vi-south", "Giọng miền Nam", "vi", "south"))
    south.add("button_yes", "Có", Speaker(cache).synthesize("Có ạ.", variant="south"))
    voice = make(cache, player, clips_dir=tmp_path / "clips")
    voice.set_voice("vi-south")
    assert voice.pack is not None and voice.pack.id == "vi-south"
    assert voice.speech_variant == "south"
    voice.say_all([("button_yes", "Có"), (None, "Chọn 105.")])
    wait_until(lambda: len(player.played) == 3 and not voice.speaking)
    assert player.played[0][0] == south.path("button_yes")  # at rate 1.0 the clip itself
    assert player.played[2][0] == Speaker(cache).cache_path(
        speakable("Chọn 105.", variant="south"), variant="south"
    )
    voice.reset_settings()
    assert voice.voice == "" and voice.pack is None
    voice.close()


@pytest.mark.real
def test_a_pack_without_synthesis_plays_only_its_clips(
    tmp_path: Path, player: RecordingPlayer, cache: Path
) -> None:
    """An ethnic-minority language with its own recordings and no synthesiser."""
    hmn = create_pack(tmp_path / "clips", PackInfo("hmn", "Hmoob", "vi", tts=False))
    hmn.add("button_yes", "Có", Speaker(cache).synthesize("Có ạ."))
    voice = make(cache, player, clips_dir=tmp_path / "clips")
    voice.set_voice("hmn")
    voice.say_all([("button_yes", "Có"), (None, "Không có bản ghi.")])
    wait_until(lambda: not voice.speaking and player.played)
    voice.close()
    assert [p for p, _ in player.played] == [hmn.path("button_yes")]
