"""Playback through SDL2 proven with SDL's disk audio driver: the samples SDL played are
captured to a file and compared with the synthesised WAV.

Each scenario runs in a fresh interpreter (``tests.voices.isolated``) because SDL picks its
audio driver once per process.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from tests.voices.isolated import disk_env, run_isolated
from voices.player import (
    NullPlayer,
    PlaybackError,
    SDLPlayer,
    default_player,
    locate,
    read_wav,
    scale,
)
from voices.speaker import Speaker

pytestmark = pytest.mark.real

SENTENCE = "Thủ tục đăng ký khai sinh cần giấy chứng sinh."


@pytest.fixture(scope="module")
def short_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short real synthesis (about 1.3 s) for tests that play to the end."""
    return Speaker(tmp_path_factory.mktemp("cache")).synthesize("Mời ông bà ngồi chờ.")


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real espeak-ng synthesis (about 3.6 s)."""
    return Speaker(tmp_path_factory.mktemp("cache")).synthesize(SENTENCE)


def captured(path: Path) -> np.ndarray:
    return np.fromfile(path, dtype="<i2")


def find_start(samples: np.ndarray, capture: np.ndarray) -> int:
    """Index in ``capture`` where ``samples`` begins."""
    start = locate(samples, capture)
    assert start is not None, "the synthesised audio does not appear in the captured output"
    return start


# ----------------------------------------------------------------- scenarios (child processes)


def _play_whole(wav: Path, volume: float) -> dict[str, object]:
    player = SDLPlayer()
    assert player.available, player.problem
    player.volume = volume
    start = time.monotonic()
    finished = player.play(wav)
    result = {
        "driver": player.driver,
        "finished": finished,
        "elapsed": time.monotonic() - start,
        "position": player.position,
    }
    player.close()
    return result


def _play_then_stop(wav: Path, after: float) -> dict[str, float]:
    """Once ``after`` seconds have sounded (the player's own position: a loaded machine may
    start playback late), stop; then watch the position for 0.3 s."""
    player = SDLPlayer()
    worker = threading.Thread(target=player.play, args=(wav,))
    worker.start()
    while not (player.playing and player.position >= after):
        assert worker.is_alive(), "playback ended before the stop"
        time.sleep(0.002)
    asked_at = player.position
    asked = time.monotonic()
    player.stop()
    returned = time.monotonic() - asked  # the device is paused and its queue empty
    at_stop = player.position
    worker.join(60)  # a bound for a hung worker only
    time.sleep(0.3)
    result = {"returned": returned, "asked_at": asked_at, "position": at_stop,
              "later": player.position, "worker_ended": not worker.is_alive()}  # fmt: skip
    player.close()
    return result


def _pause_resume(wav: Path) -> dict[str, float | bool]:
    player = SDLPlayer()
    done: list[bool] = []
    worker = threading.Thread(target=lambda: done.append(player.play(wav)))
    worker.start()
    while not (player.playing and player.position >= 0.6):  # its own position, not a sleep
        assert worker.is_alive(), "playback ended before the pause"
        time.sleep(0.002)
    player.pause()  # then 0.45 s paused, and the rest of the short WAV after resume
    time.sleep(0.05)
    paused_at = player.position
    time.sleep(0.4)
    still = player.position
    player.resume()
    worker.join(60)  # a bound for a hung worker only
    resumed = player.position
    player.close()
    return {"paused": paused_at, "still": still, "resumed": resumed, "finished": done[0]}


def _sequence_with_marks(first: Path, second: Path) -> dict[str, object]:
    """Two WAVs as one stream; where the player was when it said each began to sound."""
    player = SDLPlayer()
    heard: list[tuple[int, float]] = []
    finished = player.play_sequence(
        iter([first, second]), on_part=lambda n: heard.append((n, player.position))
    )
    player.close()
    return {"finished": finished, "heard": heard}


def _soften_while_playing(wav: Path, at: float) -> dict[str, float]:
    """Play; once ``at`` seconds have sounded, halve the volume (the player's own position)."""
    player = SDLPlayer()
    worker = threading.Thread(target=player.play, args=(wav,))
    worker.start()
    while not (player.playing and player.position >= at):
        assert worker.is_alive(), "playback ended before the change"
        time.sleep(0.002)
    changed_at = player.position
    player.volume = 0.5
    worker.join(60)  # a bound for a hung worker only
    player.close()
    return {"changed_at": changed_at}


def _play_inside_kivy(wav: Path) -> dict[str, object]:
    from kivy.core.window import Window  # opens Kivy's SDL2 window (offscreen video)

    from voices.player import find_sdl2

    player = SDLPlayer()
    finished = player.play(wav)
    player.close()
    return {"window": type(Window).__name__, "library": find_sdl2(), "finished": finished}


def _no_device() -> dict[str, object]:
    player = default_player()
    start = time.monotonic()
    result = player.play(Path("/nonexistent.wav"))
    return {
        "type": type(player).__name__,
        "problem": player.problem,
        "played": result,
        "elapsed": time.monotonic() - start,
    }


# ----------------------------------------------------------------- tests


def test_played_samples_equal_the_synthesised_wav(short_wav: Path, tmp_path: Path) -> None:
    capture = tmp_path / "played.raw"
    result = run_isolated(_play_whole, disk_env(capture), short_wav, 1.0)
    samples, rate, _ = read_wav(short_wav)
    assert result["driver"] == "disk"
    assert result["finished"] is True
    got = captured(capture)
    start = find_start(samples, got)
    assert np.array_equal(got[start : start + len(samples)], samples)
    # played in real time, and the position reached the end
    assert result["elapsed"] >= len(samples) / rate - 0.05
    assert result["position"] == pytest.approx(len(samples) / rate, abs=0.01)


def test_volume_scales_the_played_samples(short_wav: Path, tmp_path: Path) -> None:
    capture = tmp_path / "soft.raw"
    run_isolated(_play_whole, disk_env(capture), short_wav, 0.5)
    samples, _, _ = read_wav(short_wav)
    soft = scale(samples, 0.5)
    got = captured(capture)
    start = find_start(soft, got)
    assert np.array_equal(got[start : start + len(soft)], soft)
    assert np.abs(got).max() <= np.abs(samples).max() // 2 + 1


def test_stop_silences_within_100_ms(wav: Path, tmp_path: Path) -> None:
    capture = tmp_path / "stopped.raw"
    result = run_isolated(_play_then_stop, disk_env(capture), wav, 1.0)
    samples, rate, _ = read_wav(wav)
    assert result["returned"] < 0.1
    assert result["worker_ended"]
    assert 1.0 <= result["asked_at"] <= result["position"] < result["asked_at"] + 0.1
    assert result["later"] == result["position"]  # nothing more is taken after stop
    # In the capture, the WAV's samples run on only until the moment of stop
    got = captured(capture)
    start = find_start(samples, got)
    played = got[start : start + len(samples)]
    differs = np.flatnonzero(played != samples[: len(played)])
    matching = int(differs[0]) if differs.size else len(played)
    assert abs(matching / rate - result["position"]) < 0.1
    assert np.abs(played[matching + int(0.05 * rate) :]).max() == 0  # silence after the stop


def test_the_next_part_is_announced_when_it_sounds_not_when_it_is_queued(
    wav: Path, short_wav: Path, tmp_path: Path
) -> None:
    """The queue runs ``AHEAD_SECONDS`` ahead; ``on_part`` still tells which part sounds (the
    voice resumes a cut prompt from the item that was sounding)."""
    result = run_isolated(_sequence_with_marks, disk_env(tmp_path / "seq.raw"), wav, short_wav)
    first, rate, _ = read_wav(wav)
    second, _, _ = read_wav(short_wav)
    assert result["finished"] is True
    (n0, at0), (n1, at1) = result["heard"]
    assert (n0, n1) == (0, 1) and at0 < len(first) / rate
    assert len(first) / rate <= at1 < (len(first) + len(second)) / rate  # while it sounds


def test_a_volume_change_is_heard_at_once_and_loses_no_sample(wav: Path, tmp_path: Path) -> None:
    """Half a second is queued ahead; a change re-queues it at the new gain: the capture is
    the WAV at full volume up to a point right after the change, then at half, sample for
    sample."""
    capture = tmp_path / "soft.raw"
    result = run_isolated(_soften_while_playing, disk_env(capture), wav, 1.0)
    samples, rate, _ = read_wav(wav)
    got = captured(capture)
    start = find_start(samples, got)
    played = got[start : start + len(samples)]
    differs = np.flatnonzero(played != samples)
    switch = int(differs[0])
    assert result["changed_at"] <= switch / rate < result["changed_at"] + 0.1
    assert np.array_equal(played[switch:], scale(samples[switch:], 0.5))


def test_pause_holds_the_position_and_resume_continues(short_wav: Path, tmp_path: Path) -> None:
    result = run_isolated(_pause_resume, disk_env(tmp_path / "paused.raw"), short_wav)
    samples, rate, _ = read_wav(short_wav)
    assert 0.6 <= result["paused"] < 1.0
    assert result["still"] == result["paused"]
    assert result["finished"] is True  # resumed and played on to the end
    assert result["resumed"] == pytest.approx(len(samples) / rate, abs=0.01)


def test_playback_works_inside_the_kivy_app(short_wav: Path, tmp_path: Path) -> None:
    """Starts a real Kivy SDL2 window (offscreen) and plays through the same libSDL2."""
    capture = tmp_path / "kivy.raw"
    env = {
        **disk_env(capture),
        "SDL_VIDEODRIVER": "offscreen",
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_HOME": str(tmp_path / "kivy-home"),
    }
    result = run_isolated(_play_inside_kivy, env, short_wav)
    assert result["window"] == "WindowSDL"
    assert "Kivy.libs" in str(result["library"])
    assert result["finished"] is True
    samples, _, _ = read_wav(short_wav)
    got = captured(capture)
    start = find_start(samples, got)
    assert np.array_equal(got[start : start + len(samples)], samples)


def test_without_an_audio_device_a_null_player_is_used(tmp_path: Path) -> None:
    result = run_isolated(_no_device, {"SDL_AUDIODRIVER": "no-such-driver"})
    assert result["type"] == "NullPlayer"
    assert "no audio output" in str(result["problem"])
    assert result["played"] is False
    assert result["elapsed"] < 0.05


def test_null_player_logs_one_line(caplog: pytest.LogCaptureFixture) -> None:
    player = NullPlayer("no audio output: test")
    with caplog.at_level("WARNING"):
        player.play(Path("a.wav"))
        player.play(Path("b.wav"))
    lines = [r for r in caplog.records if "no audio output: test" in r.getMessage()]
    assert len(lines) == 1


def test_a_corrupt_wav_is_a_playback_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x00\x00not a wav")
    with pytest.raises(PlaybackError, match="not a readable WAV"):
        read_wav(bad)


def test_missing_sdl_library_gives_an_unavailable_player() -> None:
    player = SDLPlayer(library="/nonexistent/libSDL2.so")
    assert not player.available
    assert "no audio output" in player.problem
