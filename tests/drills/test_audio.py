"""Audio fault drills: no output device, speech synthesis failing, a corrupt cached WAV.

The terminal must carry on on screen alone, never crash, never play noise, and keep the case.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from cases.journal import Journal
from terminal.wiring import SlipPrinter, VoiceOutSpeaker
from tests.drills.support import integrity, make_config, phrase, start_session
from voices.out import VoiceOut
from voices.player import read_wav
from voices.speaker import Speaker, wav_is_complete

ROOT = Path(__file__).resolve().parents[2]


class RecordingPlayer:
    """An audio device that plays instantly and keeps every WAV it was given (as samples)."""

    available = True
    problem = ""

    def __init__(self) -> None:
        self.volume = 1.0
        self.played: list[np.ndarray] = []
        self.paths: list[Path] = []

    def play(self, path: Path, cancelled=None) -> bool:  # noqa: ANN001
        samples, _, _ = read_wav(path)  # raises PlaybackError for an unreadable file
        self.paths.append(Path(path))
        self.played.append(samples.copy())
        return True

    def stop(self) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    position = 0.0
    playing = False

    def close(self) -> None:
        pass


def wait_idle(voice: VoiceOut, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while voice.speaking:
        assert time.monotonic() < deadline, "speech never finished"
        time.sleep(0.01)


def run_driver(home: Path, *args: str, env: dict[str, str] | None = None) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.drills.visit_driver", *args],
        cwd=ROOT,
        env=dict(os.environ, HOTRO_HOME=str(home), **(env or {})),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.real
def test_no_audio_device_the_visit_runs_on_screen_alone(home):
    """Real parts: a ``hotro``-like terminal process (``tests/drills/visit_driver.py``) built by
    ``terminal.wiring.build_ports`` with speech on, SDL2 with ``SDL_AUDIODRIVER`` naming a driver
    that does not exist, espeak-ng, the real journal and PNG slip printer, two whole visits."""
    lines = run_driver(
        home, "--visits", "2", "--speech", "--said", env={"SDL_AUDIODRIVER": "no-such-driver"}
    )
    start = lines[0]
    assert start["speech"] is False
    assert any("speech out: not available" in n for n in start["notes"]), start["notes"]
    screens = [x for x in lines if "screen" in x]
    home_screen = next(x for x in screens if x["screen"] == "home")
    assert home_screen["prompt"] == phrase("prompt_home_no_voice")[0]  # told what to do, on screen
    printed = [x for x in lines if "printed" in x]
    assert [x["ok"] for x in printed] == [True, True]
    assert lines[-1] == {"done": 2}
    assert screens[-1]["screen"] == "attract"
    journal = home / "journal.sqlite3"
    assert integrity(journal) == "ok"
    with Journal(journal) as j:
        assert sorted(c.ticket_label for c in j.cases()) == sorted(x["printed"] for x in printed)


@pytest.mark.real
def test_no_audio_device_voice_out_is_unavailable_and_still_reports_idle(caplog):
    """Real parts: VoiceOut with espeak-ng synthesis and a NullPlayer (what ``default_player``
    gives when SDL opens no device); the dialogue's listen turn waits on ``on_idle``."""
    from voices.player import NullPlayer

    idle = threading.Event()
    with caplog.at_level(logging.WARNING):
        voice = VoiceOut(player=NullPlayer("no audio output: test"), on_idle=idle.set)
        voice.say_all([(None, "Xin chào"), (None, "Mời ông bà chọn")])
        assert idle.wait(5), "on_idle never fired: a listening dialogue would wait for ever"
        voice.close()
    assert not voice.available
    assert "no audio output" in voice.problem
    assert sum("no audio output" in r.getMessage() for r in caplog.records) == 1  # logged once


class FailingEspeak:
    """An espeak-ng command that fails like a missing voice does."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "espeak-ng"
        self.path.write_text('#!/bin/sh\necho "Error: voice does not exist" >&2\nexit 1\n')
        self.path.chmod(0o755)


@pytest.mark.real
def test_synthesis_failure_is_logged_once_and_the_visit_goes_on(home, tmp_path, caplog):
    """Real parts: VoiceOut and Speaker running an espeak-ng command that fails on every
    utterance (a bad voice), the real session, dialogue, SQLite journal, PNG slip printer."""
    bad = FailingEspeak(tmp_path)
    player = RecordingPlayer()
    config = make_config(home, f"png:{home / 'slips'}")
    speaker = VoiceOutSpeaker.__new__(VoiceOutSpeaker)
    speaker._lang = "vi"
    speaker.first_word_at = None
    speaker.voice = VoiceOut(
        speaker=Speaker(tmp_path / "cache", backend="cli", espeak_program=str(bad.path)),
        player=player,
    )
    assert speaker.available  # the command exists: the failure shows only when it runs
    journal = Journal(config.journal_path)
    with caplog.at_level(logging.WARNING):
        drive = start_session(config, SlipPrinter(config), journal, speaker=speaker)
        drive.to_confirm()
        drive.press("button_yes")
        wait_idle(speaker.voice)
        assert drive.screen.name == "printed"
        assert drive.screen.prompt == phrase("prompt_printed", ticket=drive.screen.big)[0]
        drive.finish_visit()
        wait_idle(speaker.voice)
    speaker.close()
    assert player.played == []  # nothing (and no noise) was played
    failures = [r for r in caplog.records if "speech:" in r.getMessage()]
    assert 1 <= len(failures) <= 3, [r.getMessage() for r in failures]  # once, not per prompt
    assert len(journal.cases()) == 1
    assert integrity(config.journal_path) == "ok"
    journal.close()


@pytest.mark.real
def test_espeak_ng_command_missing_turns_speech_off_with_a_clear_problem(tmp_path):
    """Real parts: Speaker's espeak-ng command lookup on PATH (none found), VoiceOut."""
    speaker = Speaker(tmp_path / "cache", backend="cli", espeak_program="espeak-ng-not-here")
    idle = threading.Event()
    voice = VoiceOut(speaker=speaker, player=RecordingPlayer(), on_idle=idle.set)
    assert not voice.available
    assert "espeak-ng" in voice.problem and "not installed" in voice.problem
    voice.say("Xin chào")
    assert idle.wait(5)
    voice.close()


def _corrupt(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif how == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "header_only":
        path.write_bytes(data[:44])
    elif how == "noise_same_length":  # a valid header over samples that are pure noise
        with wave.open(str(path), "rb") as w:
            params = w.getparams()
        noise = np.random.default_rng(1).integers(-32768, 32767, params.nframes, dtype="<i2")
        with wave.open(str(path), "wb") as w:
            w.setparams(params)
            w.writeframes(noise.tobytes())
    else:
        raise ValueError(how)


def _noise_like(samples: np.ndarray) -> bool:
    """White noise: no quiet part at all and almost no correlation between samples."""
    x = samples.astype(np.float64)
    if len(x) < 100:
        return False
    corr = np.corrcoef(x[:-1], x[1:])[0, 1]
    return bool(corr < 0.3)


@pytest.mark.real
@pytest.mark.parametrize(
    "how",
    [
        "truncated",
        "garbage",
        "empty",
        "header_only",
        "noise_same_length",
    ],
)
def test_corrupt_cached_wav_is_synthesised_again_never_played_as_noise(tmp_path, how):
    """Real parts: Speaker with espeak-ng (pyttsx3), its WAV cache on disk, VoiceOut."""
    cache = tmp_path / "speech"
    text = "Mời ông bà lấy phiếu ở khe máy in."
    player = RecordingPlayer()
    idle = threading.Event()
    voice = VoiceOut(cache_dir=cache, player=player, on_idle=idle.set)
    cached = voice.audio_for(text)  # the cache file VoiceOut itself made and will look up
    assert cached is not None and cached.parent == cache
    good, _, _ = read_wav(cached)
    assert wav_is_complete(cached) and len(good) > 1000
    _corrupt(cached, how)
    voice.say(text)
    assert idle.wait(30)
    voice.close()
    assert len(player.played) == 1, "nothing was played (and nothing was logged as a crash)"
    played = player.played[0]
    assert not _noise_like(played)
    # synthesised again: the same sentence (espeak-ng's length varies by a few ms between runs)
    assert abs(len(played) - len(good)) < 0.05 * len(good)
    assert np.abs(played).max() > 1000  # speech, not silence
    assert wav_is_complete(player.paths[0])
