"""WAV playback with stop within 100 ms, pause/resume and a measurable position.

Backend: **SDL2** through ``ctypes``, the same ``libSDL2`` that Kivy's wheel bundles
(``site-packages/Kivy.libs/libSDL2-*.so``), so one audio library serves the Kivy app and the
command line (the system ``libSDL2`` is used when Kivy's copy is not found). Samples are handed to
SDL with ``SDL_QueueAudio``, the queue topped up to ``AHEAD_SECONDS`` (0.5 s) whenever the feeding
thread runs: SDL's own audio thread drains it, so a feeder that is late (a loaded machine,
another thread holding the GIL) never leaves a gap in the middle of a prompt. ``stop()`` clears
SDL's queue and pauses the device at once, so the sound ends within one device buffer (512
frames, ≈ 23 ms at 22050 Hz), however much was queued; a volume change re-queues what is queued
at the new gain, so it is heard as soon. The position is the number of frames SDL has taken from
the queue.

SDL picks the audio driver from ``SDL_AUDIODRIVER``. With ``SDL_AUDIODRIVER=disk`` and
``SDL_DISKAUDIOFILE=path`` it writes every played sample, in real time, to that file instead of a
sound card: the tests use this to prove that what was played is exactly the synthesised WAV.

``NullPlayer`` is used when no audio device exists: it logs one clear line and returns at once,
and the terminal carries on with the screen only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import logging
import threading
import time
import wave
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

SDL_INIT_AUDIO = 0x00000010
AUDIO_S16LSB = 0x8010
DEVICE_FRAMES = 512
CHUNK_SECONDS = 0.02
AHEAD_SECONDS = 0.5
"""How much audio SDL's queue holds ahead of what sounds (stop and volume act on it at once)."""
SEQUENCE_RATE = 22050
"""Device rate for a sequence of clips and synthesis (espeak-ng's own rate)."""


class Player(Protocol):
    """What ``VoiceOut`` needs from audio output. ``play`` blocks (call it from a worker)."""

    available: bool
    problem: str
    volume: float

    def play(self, path: Path, cancelled: Callable[[], bool] | None = None) -> bool:
        """Play a WAV; True when it played to the end, False when stopped.

        ``cancelled`` is polled every few milliseconds: when it returns True the sound stops as
        if ``stop()`` had been called (this closes the race of a stop arriving just before play).
        Raises PlaybackError when the file cannot be played."""
        ...

    def play_sequence(
        self,
        parts: Iterator[Path | None],
        cancelled: Callable[[], bool] | None = None,
        rate: int = SEQUENCE_RATE,
        channels: int = 1,
        on_part: Callable[[int], None] | None = None,
    ) -> bool:
        """Play WAVs back to back as one stream (``parts`` yields None while the next one is
        not ready). ``on_part(n)`` is called when the n-th WAV (from 0) begins to sound. True
        when everything played to the end."""
        ...

    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...

    @property
    def position(self) -> float:
        """Seconds of the current (or last) WAV played so far."""
        ...

    @property
    def playing(self) -> bool: ...

    def close(self) -> None: ...


class PlaybackError(RuntimeError):
    """A WAV cannot be played (unreadable, unsupported format)."""


def read_wav(path: Path) -> tuple[np.ndarray, int, int]:
    """(int16 samples interleaved, frame rate, channels) of a 16-bit PCM WAV."""
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2:
                raise PlaybackError(f"{path}: {8 * wav.getsampwidth()}-bit WAV; expected 16-bit")
            data = wav.readframes(wav.getnframes())
            return np.frombuffer(data, dtype="<i2"), wav.getframerate(), wav.getnchannels()
    except (OSError, EOFError, wave.Error) as exc:
        raise PlaybackError(
            f"{path}: not a readable WAV file ({exc or type(exc).__name__})"
        ) from None


def wav_format(path: Path) -> tuple[int, int, int]:
    """(frames, frame rate, channels) of a WAV. Raises PlaybackError."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes(), wav.getframerate(), wav.getnchannels()
    except (OSError, EOFError, wave.Error) as exc:
        raise PlaybackError(
            f"{path}: not a readable WAV file ({exc or type(exc).__name__})"
        ) from None


def conform(
    samples: np.ndarray, rate: int, channels: int, to_rate: int, to_channels: int
) -> np.ndarray:
    """Interleaved int16 samples in another rate or channel count (linear interpolation: a
    safety net; clips are resampled properly with sox before they get here)."""
    if rate == to_rate and channels == to_channels:
        return samples
    frames = samples.reshape(-1, channels).astype(np.float32).mean(axis=1)
    if rate != to_rate and len(frames) > 1:
        n = max(1, int(round(len(frames) * to_rate / rate)))
        frames = np.interp(np.linspace(0, len(frames) - 1, n), np.arange(len(frames)), frames)
    out = np.repeat(frames[:, None], to_channels, axis=1).reshape(-1)
    return np.clip(np.round(out), -32768, 32767).astype("<i2")


def locate(samples: np.ndarray, capture: np.ndarray) -> int | None:
    """Where ``samples`` begin in a recording of what was played (SDL's disk driver capture),
    matched on their first 64 sounding samples; None when they are not there."""
    sounding = np.flatnonzero(samples)
    if not sounding.size:
        return None
    first = int(sounding[0])
    window = samples[first : first + 64]
    for i in np.flatnonzero(capture == window[0]):
        if np.array_equal(capture[i : i + len(window)], window):
            return int(i) - first
    return None


def scale(samples: np.ndarray, volume: float) -> np.ndarray:
    """Samples at ``volume`` (0.0-1.0); 1.0 returns them unchanged."""
    if volume >= 1.0:
        return samples
    return np.clip(samples.astype(np.float32) * max(volume, 0.0), -32768, 32767).astype("<i2")


class _AudioSpec(ctypes.Structure):
    _fields_ = [
        ("freq", ctypes.c_int),
        ("format", ctypes.c_uint16),
        ("channels", ctypes.c_uint8),
        ("silence", ctypes.c_uint8),
        ("samples", ctypes.c_uint16),
        ("padding", ctypes.c_uint16),
        ("size", ctypes.c_uint32),
        ("callback", ctypes.c_void_p),
        ("userdata", ctypes.c_void_p),
    ]


def find_sdl2() -> str | None:
    """Kivy's bundled libSDL2 (same instance as the Kivy window), else the system one."""
    spec = importlib.util.find_spec("kivy")
    if spec is not None and spec.origin:
        libs = Path(spec.origin).parent.parent / "Kivy.libs"
        found = sorted(libs.glob("libSDL2-2*.so*"))
        if found:
            return str(found[0])
    return ctypes.util.find_library("SDL2-2.0") or ctypes.util.find_library("SDL2")


def _load_sdl(path: str) -> ctypes.CDLL:
    lib = ctypes.CDLL(path)
    lib.SDL_InitSubSystem.argtypes = [ctypes.c_uint32]
    lib.SDL_InitSubSystem.restype = ctypes.c_int
    lib.SDL_GetError.restype = ctypes.c_char_p
    lib.SDL_SetHint.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.SDL_SetHint.restype = ctypes.c_int
    lib.SDL_GetCurrentAudioDriver.restype = ctypes.c_char_p
    lib.SDL_OpenAudioDevice.argtypes = [
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.POINTER(_AudioSpec),
        ctypes.POINTER(_AudioSpec),
        ctypes.c_int,
    ]
    lib.SDL_OpenAudioDevice.restype = ctypes.c_uint32
    lib.SDL_QueueAudio.argtypes = [ctypes.c_uint32, ctypes.c_void_p, ctypes.c_uint32]
    lib.SDL_QueueAudio.restype = ctypes.c_int
    lib.SDL_GetQueuedAudioSize.argtypes = [ctypes.c_uint32]
    lib.SDL_GetQueuedAudioSize.restype = ctypes.c_uint32
    lib.SDL_ClearQueuedAudio.argtypes = [ctypes.c_uint32]
    lib.SDL_LockAudioDevice.argtypes = [ctypes.c_uint32]
    lib.SDL_UnlockAudioDevice.argtypes = [ctypes.c_uint32]
    lib.SDL_PauseAudioDevice.argtypes = [ctypes.c_uint32, ctypes.c_int]
    lib.SDL_CloseAudioDevice.argtypes = [ctypes.c_uint32]
    return lib


class SDLPlayer:
    """Plays WAVs through SDL2's audio queue (see the module doc). Thread-safe."""

    def __init__(self, library: str | None = None) -> None:
        self.problem = ""
        self.driver = ""
        """SDL's audio driver name (pulseaudio, alsa, disk...)."""
        self._volume = 1.0
        self._regain = False
        """The volume changed while playing: re-queue what is queued at the new gain."""
        self._lib: ctypes.CDLL | None = None
        self._dev = 0
        self._format: tuple[int, int] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._paused = False
        self._playing = False
        self._rate = 22050
        self._channels = 1
        self._fed = 0
        self._frames_played_at_end = 0
        self.underruns = 0
        """Times the last ``play_sequence`` ran dry waiting for its next part."""
        self.gap_seconds = 0.0
        try:
            path = library or find_sdl2()
            if not path:
                raise OSError("libSDL2 not found (install kivy[base] or libsdl2-2.0-0)")
            lib = _load_sdl(path)
            # SDL would otherwise catch SIGINT/SIGTERM for its event queue (Ctrl-C in the CLI,
            # a process manager stopping the terminal); a no-op if Kivy initialised SDL first.
            lib.SDL_SetHint(b"SDL_NO_SIGNAL_HANDLERS", b"1")
            if lib.SDL_InitSubSystem(SDL_INIT_AUDIO) != 0:
                raise OSError(f"SDL audio: {lib.SDL_GetError().decode(errors='replace')}")
            self._lib = lib
            self.driver = (lib.SDL_GetCurrentAudioDriver() or b"").decode()
            # Open once at the usual espeak-ng format so a missing device is found now.
            self._open(22050, 1)
        except OSError as exc:
            self.problem = f"no audio output: {exc}"
            self._lib = None

    @property
    def available(self) -> bool:
        return self._lib is not None and self._dev != 0

    @property
    def volume(self) -> float:
        """Gain 0.0-1.0 applied to the samples; a change is heard within one device buffer."""
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        if value != self._volume:
            self._volume = value
            self._regain = self._playing

    def _open(self, rate: int, channels: int) -> None:
        lib = self._lib
        assert lib is not None
        if self._format == (rate, channels) and self._dev:
            return
        if self._dev:
            lib.SDL_CloseAudioDevice(self._dev)
            self._dev = 0
        want = _AudioSpec(freq=rate, format=AUDIO_S16LSB, channels=channels, samples=DEVICE_FRAMES)
        have = _AudioSpec()
        dev = lib.SDL_OpenAudioDevice(None, 0, ctypes.byref(want), ctypes.byref(have), 0)
        if dev == 0:
            raise OSError(f"SDL cannot open an audio device: {lib.SDL_GetError().decode()}")
        self._dev = dev
        self._format = (rate, channels)

    def play(self, path: Path, cancelled: Callable[[], bool] | None = None) -> bool:
        _, rate, channels = wav_format(Path(path))
        return self.play_sequence(iter([Path(path)]), cancelled, rate, channels)

    def play_sequence(
        self,
        parts: Iterator[Path | None],
        cancelled: Callable[[], bool] | None = None,
        rate: int = SEQUENCE_RATE,
        channels: int = 1,
        on_part: Callable[[int], None] | None = None,
    ) -> bool:
        """Play WAV files one after the other as one stream: the next file's samples are queued
        right behind the current one's, so there is no gap between them as long as the next
        file is ready. ``parts`` yields None while the next file is not ready yet (it is asked
        again a few milliseconds later; stop and ``cancelled`` still act at once). A file in
        another format is converted to ``rate``/``channels``. ``on_part(n)`` is called when the
        n-th file (from 0) begins to sound (noticed within a few milliseconds). True when
        everything played to the end. ``underruns`` counts the times the device ran dry before
        the end, ``gap_seconds`` how long it stayed dry in total. Raises PlaybackError for a
        file that cannot be read."""
        with self._lock:
            if not self.available:
                raise PlaybackError(self.problem or "audio output is closed")
            self._open(rate, channels)
            lib, dev = self._lib, self._dev
            assert lib is not None
            self._stop.clear()
            self._paused = False
            self._regain = False
            self._rate, self._channels = rate, channels
            self._fed = 0
            self._playing = True
            self.underruns, self.gap_seconds = 0, 0.0
            lib.SDL_ClearQueuedAudio(dev)
            lib.SDL_PauseAudioDevice(dev, 0)
        chunk = max(1, int(rate * CHUNK_SECONDS)) * channels
        ahead = int(rate * AHEAD_SECONDS) * channels
        recent: deque[np.ndarray] = deque()
        """The unscaled samples queued last (at least ``ahead`` of them), for a volume change."""
        starts: deque[tuple[int, int]] = deque()
        """(samples fed before the n-th file, n) for files not yet sounding."""
        count = 0
        current: np.ndarray = np.zeros(0, dtype="<i2")
        offset = 0
        more = True
        dry_since: float | None = None
        finished = False

        def feed(samples: np.ndarray) -> None:
            buf = np.ascontiguousarray(scale(samples, self._volume)).tobytes()
            if lib.SDL_QueueAudio(dev, buf, len(buf)) != 0:
                raise PlaybackError(f"SDL: {lib.SDL_GetError().decode()}")
            self._fed += len(samples)
            recent.append(samples)
            while len(recent) > 1 and sum(map(len, recent)) - len(recent[0]) >= 2 * ahead:
                recent.popleft()

        try:
            while not self._stop.is_set():
                if cancelled is not None and cancelled():
                    break
                if self._paused:
                    time.sleep(0.005)
                    continue
                if self._regain:
                    self._requeue(feed, recent)
                queued = lib.SDL_GetQueuedAudioSize(dev) // 2
                while on_part is not None and starts and starts[0][0] <= self._fed - queued:
                    on_part(starts.popleft()[1])
                if offset >= len(current) and more:
                    try:
                        nxt = next(parts)
                    except StopIteration:
                        more = False
                        continue
                    if nxt is None:  # the next part is still being prepared
                        if queued == 0 and self._fed and dry_since is None:
                            dry_since = time.monotonic()
                            self.underruns += 1
                        time.sleep(0.002)
                        continue
                    current, offset = conform(*read_wav(nxt), rate, channels), 0
                    starts.append((self._fed, count))
                    count += 1
                    continue
                if offset < len(current):
                    if queued < ahead:
                        # top the queue up in one go: a feeder that wakes late catches up at once
                        want = -(-(ahead - queued) // chunk) * chunk
                        part = current[offset : offset + want]
                        feed(part)
                        offset += len(part)
                        if dry_since is not None:
                            self.gap_seconds += time.monotonic() - dry_since
                            dry_since = None
                        continue
                elif queued == 0:
                    # the last chunk is in the device buffer: let it sound out
                    end = time.monotonic() + DEVICE_FRAMES / rate + 0.01
                    while time.monotonic() < end and not self._stop.is_set():
                        time.sleep(0.002)
                    finished = not self._stop.is_set() and not (cancelled and cancelled())
                    break
                time.sleep(0.004)
        finally:
            with self._lock:
                if not self._stop.is_set():  # else ``stop`` noted where the sound ended
                    self._frames_played_at_end = self._played_frames()
                lib.SDL_ClearQueuedAudio(dev)
                lib.SDL_PauseAudioDevice(dev, 1)
                self._playing = False
        return finished

    def _requeue(self, feed: Callable[[np.ndarray], None], recent: deque[np.ndarray]) -> None:
        """What is queued, again at the new volume (the device is locked meanwhile, so not a
        sample is lost or played twice; a ``stop`` that came first wins)."""
        lib, dev = self._lib, self._dev
        assert lib is not None
        self._regain = False
        lib.SDL_LockAudioDevice(dev)
        try:
            if self._stop.is_set():
                return
            left = lib.SDL_GetQueuedAudioSize(dev) // 2
            lib.SDL_ClearQueuedAudio(dev)
            self._fed -= left
            tail = np.concatenate(tuple(recent))[-left:] if left and recent else None
            recent.clear()
            if tail is not None:
                feed(tail)
        finally:
            lib.SDL_UnlockAudioDevice(dev)

    def _played_frames(self) -> int:
        if self._lib is None or not self._dev:
            return 0
        queued = self._lib.SDL_GetQueuedAudioSize(self._dev) // 2
        return max(0, self._fed - queued) // max(self._channels, 1)

    @property
    def position(self) -> float:
        live = self._playing and not self._stop.is_set()  # after stop: where the sound ended
        frames = self._played_frames() if live else self._frames_played_at_end
        return frames / self._rate

    @property
    def playing(self) -> bool:
        return self._playing

    def stop(self) -> None:
        """Silence at once: SDL's queue is emptied and the device paused from this thread."""
        lib, dev = self._lib, self._dev
        if lib is not None and dev and self._playing:
            lib.SDL_PauseAudioDevice(dev, 1)  # SDL takes no more samples: the count is final
            self._frames_played_at_end = self._played_frames()
            self._stop.set()
            lib.SDL_ClearQueuedAudio(dev)
        self._stop.set()

    def pause(self) -> None:
        if self._lib is not None and self._dev and self._playing:
            self._paused = True
            self._lib.SDL_PauseAudioDevice(self._dev, 1)

    def resume(self) -> None:
        if self._lib is not None and self._dev and self._paused:
            self._paused = False
            self._lib.SDL_PauseAudioDevice(self._dev, 0)

    @property
    def paused(self) -> bool:
        return self._paused

    def close(self) -> None:
        self.stop()
        with self._lock:
            if self._lib is not None and self._dev:
                self._lib.SDL_CloseAudioDevice(self._dev)
            self._dev = 0
            self._lib = None


class NullPlayer:
    """No audio device: log one line the first time, play nothing, return at once."""

    available = False

    def __init__(self, problem: str = "no audio output") -> None:
        self.problem = problem
        self.volume = 1.0
        self._logged = False

    def play(self, path: Path, cancelled: Callable[[], bool] | None = None) -> bool:  # noqa: ARG002
        if not self._logged:
            log.warning("speech: %s; the terminal works on screen only", self.problem)
            self._logged = True
        return False

    def play_sequence(
        self,
        parts: Iterator[Path | None],
        cancelled: Callable[[], bool] | None = None,
        rate: int = SEQUENCE_RATE,
        channels: int = 1,
        on_part: Callable[[int], None] | None = None,
    ) -> bool:
        return self.play(Path(""), cancelled)

    def stop(self) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    @property
    def position(self) -> float:
        return 0.0

    @property
    def playing(self) -> bool:
        return False

    def close(self) -> None:
        pass


def default_player() -> Player:
    """An SDL player when an audio device opens, else a NullPlayer saying why."""
    player = SDLPlayer()
    if player.available:
        return player
    return NullPlayer(player.problem)
