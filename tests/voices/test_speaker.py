"""Real synthesis with pyttsx3 + espeak-ng (no mock): format, rates, voices, cache, threads."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from voices import speaker as speaker_mod
from voices.speaker import (
    BASE_WPM,
    Speaker,
    SpeakerError,
    cache_key,
    espeak_voice,
    synthesis_for,
)

SENTENCE = "Thủ tục đăng ký khai sinh cần giấy chứng sinh."

pytestmark = pytest.mark.real


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def audio_hash(path: Path) -> str:
    with wave.open(str(path), "rb") as wav:
        return hashlib.sha256(wav.readframes(wav.getnframes())).hexdigest()


@pytest.fixture(scope="module")
def speaker(tmp_path_factory: pytest.TempPathFactory) -> Speaker:
    spk = Speaker(tmp_path_factory.mktemp("speech-cache"))
    assert spk.available, spk.problem
    assert spk.backend == "pyttsx3"
    return spk


def test_synthesis_writes_16_bit_mono_wav_of_plausible_length(speaker: Speaker) -> None:
    path = speaker.synthesize(SENTENCE)
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        seconds = wav.getnframes() / wav.getframerate()
    # 10 syllables at 125 words a minute is 4.8 s; espeak-ng reads a little faster
    assert 2.5 < seconds < 6.0


def test_duration_grows_as_the_rate_falls(speaker: Speaker) -> None:
    rates = (2.0, 1.5, 1.0, 0.75, 0.5)
    durations = [duration(speaker.synthesize(SENTENCE, rate=r)) for r in rates]
    assert durations == sorted(durations)
    assert len(set(durations)) == len(rates)
    # the slowest step (below espeak-ng's 80 wpm floor, made with word gaps) is about 2x normal
    assert 1.7 < durations[-1] / durations[2] < 2.5
    assert 1.7 < durations[2] / durations[0] < 2.3


def test_rate_below_espeak_floor_uses_word_gap() -> None:
    slow = synthesis_for(0.5, "vi")
    assert slow.wpm == 80 and slow.word_gap > 0
    normal = synthesis_for(1.0, "vi")
    assert normal.wpm == BASE_WPM and normal.word_gap == 0


def test_each_variant_uses_its_own_voice(speaker: Speaker) -> None:
    hashes = {
        audio_hash(speaker.synthesize("Xin chào", variant=v)) for v in ("north", "central", "south")
    }
    assert len(hashes) == 3
    assert espeak_voice("vi", "south") == "vi-vn-x-south"


def test_cache_returns_the_identical_file_without_synthesising(speaker: Speaker) -> None:
    first = speaker.synthesize("Mời ông bà ngồi chờ.")
    before = first.stat().st_mtime_ns
    again = speaker.synthesize("Mời ông bà ngồi chờ.")
    assert again == first
    assert again.stat().st_mtime_ns == before
    assert first.name == f"{cache_key('Mời ông bà ngồi chờ.', 'vi', synthesis_for(1.0, 'vi'))}.wav"


def test_cache_key_depends_on_text_voice_and_rate() -> None:
    base = cache_key("a", "vi", synthesis_for(1.0, "vi"))
    assert base != cache_key("b", "vi", synthesis_for(1.0, "vi"))
    assert base != cache_key("a", "vi", synthesis_for(1.0, "vi-vn-x-south"))
    assert base != cache_key("a", "vi", synthesis_for(1.25, "vi"))


def _counted(word: str, count: int) -> str:
    return " ".join([word] * count) + "."


def test_fifty_sequential_requests_produce_the_right_distinct_files(tmp_path: Path) -> None:
    """Text k has k words, so each file's length identifies the request it answers."""
    spk = Speaker(tmp_path)
    paths = [spk.synthesize(_counted("ba", k)) for k in range(1, 51)]
    durations = [duration(p) for p in paths]
    assert len({audio_hash(p) for p in paths}) == 50
    assert all(b > a + 0.1 for a, b in zip(durations, durations[1:], strict=False)), durations
    assert not list(tmp_path.glob(".synth-*")), "temporary files left behind"


def test_forty_concurrent_requests_match_single_synthesis(tmp_path: Path) -> None:
    """40 threads at once; each result equals (in length) a one-off synthesis of its text
    by the espeak-ng command, and all files differ."""
    spk = Speaker(tmp_path / "threads")
    texts = [_counted("bốn", k) for k in range(1, 41)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        paths = list(pool.map(spk.synthesize, texts))
    reference = Speaker(tmp_path / "single", backend="cli")
    assert reference.available, reference.problem
    for text, path in zip(texts, paths, strict=True):
        expected = duration(reference.synthesize(text))
        assert abs(duration(path) - expected) < 0.05, text
    assert len({audio_hash(p) for p in paths}) == 40


def test_unknown_voice_is_a_clear_error(speaker: Speaker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(speaker_mod.LANG_VOICES, "xx", "no-such-voice")
    with pytest.raises(SpeakerError, match="no voice 'no-such-voice'"):
        speaker.synthesize("xin chào", lang="xx")
    # the engine still works afterwards
    assert duration(speaker.synthesize("xin chào")) > 0.3


def test_unknown_variant_is_a_clear_error(speaker: Speaker) -> None:
    with pytest.raises(SpeakerError, match="unknown voice variant 'west'"):
        speaker.synthesize("xin chào", variant="west")


def test_espeak_command_backend_writes_the_same_format(tmp_path: Path) -> None:
    spk = Speaker(tmp_path, backend="cli")
    assert spk.backend == "cli"
    path = spk.synthesize(SENTENCE)
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)


def test_without_espeak_ng_on_path_speech_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    spk = Speaker(tmp_path, backend="cli")
    assert not spk.available
    assert "espeak-ng command is not installed" in spk.problem
    with pytest.raises(SpeakerError, match="speech is unavailable"):
        spk.synthesize("xin chào")


def test_pyttsx3_does_not_print_on_stdout(
    speaker: Speaker, capfd: pytest.CaptureFixture[str]
) -> None:
    speaker.synthesize("Không in gì ra màn hình.")
    assert capfd.readouterr().out == ""


def test_empty_text_is_refused(speaker: Speaker) -> None:
    with pytest.raises(SpeakerError, match="empty"):
        speaker.synthesize("   ")


def test_to_file_copies_the_wav(speaker: Speaker, tmp_path: Path) -> None:
    out = speaker.to_file(SENTENCE, tmp_path / "sub" / "x.wav")
    assert audio_hash(out) == audio_hash(speaker.synthesize(SENTENCE))


def _worker_pid() -> int:
    pid = speaker_mod._WORKER.pid
    assert pid is not None, "no pyttsx3 worker runs"
    return pid


def test_the_terminal_process_never_loads_libespeak(tmp_path: Path) -> None:
    """pyttsx3 runs libespeak-ng in the worker process; the caller only talks to it."""
    code = (
        "import sys; from pathlib import Path; from voices.speaker import Speaker, _WORKER;"
        f"s = Speaker(Path({str(tmp_path)!r})); s.synthesize('Xin chào.');"
        "maps = open('/proc/self/maps').read();"
        "worker = open(f'/proc/{_WORKER.pid}/maps').read();"
        "print(s.backend, 'libespeak' in maps, 'libespeak' in worker)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["pyttsx3", "False", "True"]


def test_a_worker_that_crashes_mid_utterance_costs_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A segmentation fault of libespeak-ng (seen once in CI) while a long text is being
    synthesised: that text is said by the espeak-ng command, the next by a new worker."""
    spk = Speaker(tmp_path)
    spk.synthesize("Khởi động.")
    pid = _worker_pid()
    starts = speaker_mod._WORKER.starts
    text = _counted("Mời bà ngồi chờ một chút", 120)
    killed: list[bool] = []

    def crash_when_writing() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if list(tmp_path.glob(".synth-*.wav")):  # the worker has begun this utterance
                os.kill(pid, signal.SIGSEGV)
                killed.append(True)
                return
            time.sleep(0.0005)

    watcher = threading.Thread(target=crash_when_writing)
    watcher.start()
    with caplog.at_level(logging.WARNING):
        path = spk.synthesize(text)
    watcher.join()
    assert killed, "the worker finished before it could be crashed"
    reference = Speaker(tmp_path / "cli", backend="cli").synthesize(text)
    assert abs(duration(path) - duration(reference)) < 0.05
    messages = [r.getMessage() for r in caplog.records]
    assert any("SIGSEGV" in m and "retrying with" in m for m in messages), messages
    # the next utterance gets a new worker and is synthesised by pyttsx3 again
    assert duration(spk.synthesize("Câu tiếp theo.")) > 0.5
    assert speaker_mod._WORKER.starts == starts + 1
    assert _worker_pid() != pid


def test_a_hung_worker_is_replaced_and_the_utterance_still_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    spk = Speaker(tmp_path)
    spk.synthesize("Khởi động.")
    pid = _worker_pid()
    monkeypatch.setattr(speaker_mod.SynthWorker, "REPLY_TIMEOUT_S", 1.0)
    os.kill(pid, signal.SIGSTOP)  # alive, but answers nothing
    with caplog.at_level(logging.WARNING):
        path = spk.synthesize(SENTENCE)
    assert duration(path) > 1.0
    assert any(
        "stopped answering" in r.getMessage() and "retrying with" in r.getMessage()
        for r in caplog.records
    )
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the hung worker was ended, not left behind
    assert duration(spk.synthesize("Câu sau.")) > 0.3
    assert _worker_pid() != pid


def test_the_worker_ends_when_the_terminal_is_killed(tmp_path: Path) -> None:
    """systemd restarts a terminal that died; its old worker must not live on beside the new
    one. The worker reads requests until its stdin closes, which a SIGKILL of the parent does."""
    code = (
        "import sys, time; from pathlib import Path; from voices.speaker import Speaker, _WORKER;"
        f"s = Speaker(Path({str(tmp_path)!r})); s.synthesize('Xin chào.');"
        "print(_WORKER.pid, flush=True); time.sleep(600)"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    os.kill(worker, 0)  # it runs
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return
        if state == "Z":  # ended; whoever adopted it has not reaped it yet
            return
        time.sleep(0.05)
    os.kill(worker, signal.SIGKILL)
    pytest.fail("the pyttsx3 worker outlived its terminal")


_WORKER_RATES = """
import json, sys, types
from pathlib import Path
from voices import synth_worker as w
from voices.speaker import Synthesis
engine, espeak = w.start_engine()
voices = w.voice_names(engine)
out = Path(sys.argv[1])
taken = []
for i, wpm in enumerate((80, 160, 125, 95)):
    w.synthesize(engine, espeak, voices, "Xin chào.", Synthesis("vi", wpm, 0), out / f"{i}.wav")
    taken.append(w.current_rate(espeak))
# an espeak-ng that ignores the rate: the utterance is lost, not spoken at the wrong speed
names = [k for k in dir(espeak) if not k.startswith("__")]
deaf = types.SimpleNamespace(**{k: getattr(espeak, k) for k in names})
deaf.SetParameter = lambda param, value, relative=0: (
    None if param == espeak.RATE else espeak.SetParameter(param, value, relative))
try:
    w.synthesize(engine, deaf, voices, "Xin chào.", Synthesis("vi", 140, 0), out / "deaf.wav")
    lost = "spoken"
except w.LostUtterance as exc:
    lost = str(exc)
print(json.dumps({"taken": taken, "lost": lost, "deaf_written": (out / "deaf.wav").exists()}))
"""


def test_the_worker_checks_the_rate_espeak_ng_really_took(tmp_path: Path) -> None:
    """pyttsx3 binds espeak_GetParameter without its ``current`` argument, so its rate can read
    as the default (175): a CI run lost a spoken line to that. The worker reads the rate with a
    correct binding, and a rate espeak-ng did not take is a lost utterance the terminal says with
    the espeak-ng command (in a child process: libespeak-ng stays out of the test process)."""
    proc = subprocess.run(
        [sys.executable, "-c", _WORKER_RATES, str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["taken"] == [80, 160, 125, 95]
    assert result["lost"] == "espeak-ng did not take rate 140 wpm"
    assert not result["deaf_written"]


def test_a_rate_espeak_ng_does_not_take_is_said_by_the_command(tmp_path: Path) -> None:
    """The whole path: a worker whose espeak-ng ignores every rate (patched by a
    sitecustomize on its path) answers "lost", and the terminal still gets the line, from the
    espeak-ng command, at the right speed."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "from pyttsx3.drivers import _espeak\n"
        "_set = _espeak.SetParameter\n"
        "_espeak.SetParameter = lambda p, v, r=0: None if p == _espeak.RATE else _set(p, v, r)\n"
    )
    code = (
        "import logging, sys, wave; from pathlib import Path; from voices.speaker import Speaker;"
        "logging.basicConfig(level=logging.WARNING);"
        f"s = Speaker(Path({str(tmp_path / 'cache')!r}));"
        f"p = s.synthesize({SENTENCE!r});"
        "w = wave.open(str(p)); print(s.backend, w.getnframes() / w.getframerate())"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(Path.cwd())]))
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    backend, seconds = proc.stdout.split()
    assert backend == "pyttsx3"  # the worker runs; only this utterance went to the command
    assert "did not take rate 125 wpm" in proc.stderr and "retrying with" in proc.stderr
    reference = Speaker(tmp_path / "cli", backend="cli").synthesize(SENTENCE)
    assert abs(float(seconds) - duration(reference)) < 0.05
