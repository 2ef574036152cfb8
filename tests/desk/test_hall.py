"""The hall speaker queues desk calls so that none cuts another off."""

from __future__ import annotations

import array
import math
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from desk.hall import HallSpeaker
from voices.phrases import load_pack
from voices.reading import speakable


class FakeVoice:
    """Replaces the queue on ``say`` like VoiceOut; each text 'plays' for 50 ms."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.finished: list[str] = []
        self._until = 0.0
        self._current: str | None = None
        self._lock = threading.Lock()

    def say(self, text: str, phrase_id: str | None = None) -> None:
        with self._lock:
            self._current = text
            self.started.append(text)
            self._until = time.monotonic() + 0.05

    @property
    def speaking(self) -> bool:
        with self._lock:
            busy = time.monotonic() < self._until
            if not busy and self._current is not None:
                self.finished.append(self._current)
                self._current = None
            return busy


def test_calls_are_spoken_one_after_another_in_full() -> None:
    voice = FakeVoice()
    hall = HallSpeaker(voice, poll=0.005)
    for text in ("một", "hai", "ba"):
        hall(text)
    hall.close()
    assert voice.started == ["một", "hai", "ba"]
    assert voice.finished == ["một", "hai", "ba"]


def test_announcing_never_blocks_the_caller() -> None:
    voice = FakeVoice()
    hall = HallSpeaker(voice, poll=0.005)
    began = time.monotonic()
    for i in range(20):
        hall(str(i))
    assert time.monotonic() - began < 0.05
    hall.close(timeout=10)


def test_the_hall_reads_a_ticket_as_the_slip_and_the_screen_do() -> None:
    """One reading rule (``voices.reading``): letter, a pause, then digit by digit."""
    pack = load_pack("vi")
    hall = speakable(pack.spoken("desk_call_announce", ticket="U-012", counter=2))
    slip = speakable(pack.spoken("slip_ticket", letter="U", number="012"))
    screen = speakable(pack.spoken("prompt_printed", ticket="U-012"))
    assert hall.startswith("Xin mời số u, không một hai, đến quầy số hai.")
    assert slip == "u, không một hai."
    assert screen.endswith("u, không một hai.")
    assert "quy, không không bảy" in speakable(pack.spoken("desk_call_announce", ticket="Q-007",
                                                            counter=1))  # fmt: skip


class FastPlayer:
    """Audio output stand-in: 'plays' each real WAV at 20x speed and records it."""

    available = True
    problem = ""

    def __init__(self) -> None:
        self.volume = 1.0
        self.played: list[tuple[Path, float, bool]] = []
        self._stop = threading.Event()
        self.playing = False
        self.position = 0.0

    def play(self, path: Path, cancelled: Callable[[], bool] | None = None) -> bool:
        with wave.open(str(path), "rb") as wav:
            seconds = wav.getnframes() / wav.getframerate()
        self._stop.clear()
        self.playing = True
        end = time.monotonic() + seconds / 20
        finished = True
        while time.monotonic() < end:
            if self._stop.is_set() or (cancelled is not None and cancelled()):
                finished = False
                break
            time.sleep(0.002)
        self.playing = False
        self.played.append((Path(path), seconds, finished))
        return finished

    def stop(self) -> None:
        self._stop.set()

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def close(self) -> None: ...


@pytest.mark.real
def test_two_calls_through_real_espeak_ng_are_both_played_in_full(tmp_path: Path) -> None:
    """Real VoiceOut with real espeak-ng synthesis (audio device replaced by a recorder)."""
    from voices.out import VoiceOut

    player = FastPlayer()
    voice = VoiceOut(lang="vi", cache_dir=tmp_path, player=player)
    if not voice.available:
        pytest.fail(f"speech output not available: {voice.problem}")
    hall = HallSpeaker(voice, poll=0.01)
    hall("Xin mời số U-012, đến quầy số 2.")
    hall("Xin mời số A-003, đến quầy số 1.")
    hall.close(timeout=60)
    voice.close()
    assert len(player.played) == 2
    assert all(finished for _, _, finished in player.played)
    assert all(seconds > 1.0 for _, seconds, _ in player.played)


@pytest.mark.real
def test_the_board_plays_the_call_spoken_by_real_espeak_ng(settings, tmp_path: Path) -> None:
    """The hall board's spoken call: real espeak-ng synthesis through ``board_voice``, served
    at /board/call/<id>.wav (Starlette test client, real journal): a WAV of speech, cached."""
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from desk.app import create_app
    from desk.hall import board_voice
    from tests.desk.support import make_case, payload_of

    voice = board_voice(tmp_path / "board")
    assert voice is not None, "espeak-ng is not installed"
    with TestClient(create_app(replace(settings, hall_voice=voice)),
                    base_url="http://127.0.0.1") as client:
        desk = client.app.state.desk
        assert desk.scan(payload_of(make_case(12), settings.key)).ok
        call = desk.call_next(2)
        (shown,) = desk.board_calls()
        answer = client.get(f"/board/call/{shown.id}.wav")
        assert answer.status_code == 200 and answer.headers["content-type"] == "audio/wav"
        path = tmp_path / "call.wav"
        path.write_bytes(answer.content)
        with wave.open(str(path), "rb") as wav:
            seconds = wav.getnframes() / wav.getframerate()
            frames = wav.readframes(wav.getnframes())
        assert seconds > 3.0  # "Xin mời số U-012, đến quầy số 2. Nhắc lại: ..."
        samples = array.array("h", frames)
        loudness = math.sqrt(sum(x * x for x in samples) / len(samples))
        assert loudness > 300 and call.ticket == "U-012"  # speech, not silence
        assert len(list((tmp_path / "board").glob("*.wav"))) == 1
        assert client.get("/board/call/999.wav").status_code == 404
