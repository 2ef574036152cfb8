"""Clip audio: a recorded take made into a clip, and a clip made ready to play at any rate.

Both use **SoX** (the Debian ``sox`` command, a runtime dependency) for the signal path and
numpy only to measure:

- ``process_take``: the studio's recording → a clip. Checks it (too short, silent, clipped,
  noisy), trims the silence before and after the speech (keeping ``LEAD``/``TAIL`` of it),
  mixes to mono, sets the loudness, resamples to 22050 Hz 16-bit with SoX's ``rate`` (very
  high quality) and fades the ends in and out over 10 ms. **Loudness is a simple RMS target
  over the speech frames** (the 20 ms frames above the trim threshold), ``TARGET_DBFS``, with
  the peak kept at most ``PEAK_DBFS`` (not EBU R128: clips are a second or two of one voice,
  where the speech RMS is a fair loudness measure and needs no K-weighting or gating).
- ``conform``: a clip at the player's rate (22050 Hz mono) and time-stretched to the speech
  rate without changing its pitch, with SoX's ``tempo -s`` (WSOLA tuned for speech). Results
  are cached as files by content hash, rate and tempo.

Without SoX, ``conform`` falls back to linear resampling in numpy and plays clips at their
recorded pace (logged once), and ``process_take`` refuses with a clear message.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

OUT_RATE = 22050
"""Every clip is stored and played at espeak-ng's rate, so clips and synthesis share a stream."""
TARGET_DBFS = -20.0
"""RMS of the speech frames after normalisation."""
PEAK_DBFS = -1.0
"""Highest peak after normalisation (the gain is lowered to keep it)."""
FRAME_S = 0.02
LEAD_S = 0.04
"""Silence kept before the first speech frame."""
TAIL_S = 0.08
"""Silence kept after the last speech frame (a word's end fades slowly)."""
MIN_SPEECH_S = 0.15
MAX_TAKE_S = 60.0
CLIP_LIMIT = 0.999
"""A sample at or above this (of full scale) counts as clipped."""
CLIPPED_SHARE = 0.001
QUIET_DBFS = -50.0
"""Speech quieter than this (95th percentile of frame RMS) counts as silence."""
MIN_SNR_DB = 15.0
"""Speech must be this much louder than the noise floor (10th percentile of frame RMS)."""

_warned: set[str] = set()


def sox_program() -> str | None:
    return shutil.which("sox")


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning("%s", message)


def _read(path: Path) -> tuple[np.ndarray, int]:
    """Mono float samples in [-1, 1] and the rate of a 16-bit PCM WAV."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"{8 * wav.getsampwidth()}-bit audio; expected 16-bit PCM")
        channels, rate = wav.getnchannels(), wav.getframerate()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    samples = data.reshape(-1, channels).astype(np.float64).mean(axis=1) / 32768.0
    return samples, rate


def _write(path: Path, samples: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2").tobytes())


def _sox(*args: str) -> None:
    program = sox_program()
    if program is None:
        raise FileNotFoundError("sox is not installed (Debian package sox)")
    proc = subprocess.run([program, *args], capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"sox failed: {proc.stderr.decode('utf-8', 'replace').strip()}")


# -- playback: a clip at the player's rate and the speech rate ------------------------------------
def conform(clip: Path, cache_dir: Path, tempo: float = 1.0) -> Path:
    """``clip`` as 22050 Hz mono 16-bit, ``tempo`` times faster (pitch unchanged); the clip
    itself when it already is. Cached in ``cache_dir`` by content, tempo and rate."""
    with wave.open(str(clip), "rb") as wav:
        fmt = (wav.getframerate(), wav.getnchannels(), wav.getsampwidth())
    if fmt == (OUT_RATE, 1, 2) and abs(tempo - 1.0) < 1e-3:
        return clip
    digest = hashlib.sha256(clip.read_bytes()).hexdigest()[:24]
    out = cache_dir / f"{digest}-{tempo:.3f}-{OUT_RATE}.wav"
    if out.exists():
        return out
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".clip-", suffix=".wav", dir=cache_dir)
    os.close(fd)
    tmp = Path(name)
    try:
        if sox_program() is not None:
            effects = ["tempo", "-s", f"{tempo:.3f}"] if abs(tempo - 1.0) >= 1e-3 else []
            _sox(str(clip), "-b", "16", "-c", "1", str(tmp), *effects, "rate", str(OUT_RATE))
        else:
            if abs(tempo - 1.0) >= 1e-3:
                _warn_once("speech: sox is not installed; recorded clips play at their own pace")
            samples, rate = _read(clip)
            n = max(1, int(round(len(samples) * OUT_RATE / rate)))
            x = np.interp(np.linspace(0, len(samples) - 1, n), np.arange(len(samples)), samples)
            _write(tmp, x, OUT_RATE)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def silence(cache_dir: Path, seconds: float) -> Path:
    """A WAV of silence at the player's rate (cached by its length in milliseconds)."""
    ms = max(1, int(round(seconds * 1000)))
    out = cache_dir / f"silence-{ms}ms-{OUT_RATE}.wav"
    if not out.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".silence-", suffix=".wav", dir=cache_dir)
        os.close(fd)
        _write(Path(name), np.zeros(int(OUT_RATE * ms / 1000)), OUT_RATE)
        os.replace(name, out)
    return out


# -- the studio: a take made into a clip ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TakeReport:
    """What ``process_take`` found and did. ``problem`` is a key (``too_short``, ``silent``,
    ``clipped``, ``noisy``, ``unreadable``, ``no_sox``) or "" when the clip was made."""

    problem: str
    detail: str = ""
    """One English sentence with the figures (for the log and the technician)."""
    seconds_in: float = 0.0
    seconds_out: float = 0.0
    speech_dbfs: float = 0.0
    """RMS of the speech frames of the take."""
    noise_dbfs: float = 0.0
    """The take's noise floor (10th percentile of frame RMS)."""
    gain_db: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problem


def _db(x: np.ndarray | float) -> np.ndarray | float:
    return 20 * np.log10(np.maximum(x, 1e-9))


def process_take(src: Path, dest: Path) -> TakeReport:
    """Make the studio recording ``src`` (16-bit PCM WAV, any rate, mono or stereo) into a clip
    at ``dest``: checked, trimmed, normalised, resampled (see the module doc)."""
    try:
        samples, rate = _read(src)
    except (OSError, EOFError, wave.Error, ValueError) as exc:
        return TakeReport("unreadable", f"not a 16-bit PCM WAV ({exc})")
    seconds = len(samples) / rate if rate else 0.0
    if not 8000 <= rate <= 192_000 or seconds < MIN_SPEECH_S:
        return TakeReport("too_short", f"{seconds:.2f} s at {rate} Hz", seconds)
    if seconds > MAX_TAKE_S:
        return TakeReport("too_long", f"{seconds:.0f} s; at most {MAX_TAKE_S:.0f} s", seconds)
    clipped = float(np.mean(np.abs(samples) >= CLIP_LIMIT))
    if clipped > CLIPPED_SHARE:
        return TakeReport("clipped", f"{100 * clipped:.2f} % of samples at full scale", seconds)
    n = int(rate * FRAME_S)
    frames = samples[: len(samples) // n * n].reshape(-1, n)
    levels = np.asarray(_db(np.sqrt(np.mean(frames**2, axis=1))))
    noise = float(np.percentile(levels, 10))
    speech = float(np.percentile(levels, 95))
    if speech < QUIET_DBFS:
        return TakeReport("silent", f"speech at {speech:.0f} dBFS", seconds, 0, speech, noise)
    if speech - noise < MIN_SNR_DB:
        return TakeReport(
            "noisy",
            f"speech {speech:.0f} dBFS over noise {noise:.0f} dBFS ({speech - noise:.0f} dB)",
            seconds,
            0,
            speech,
            noise,
        )
    threshold = noise + max(6.0, 0.3 * (speech - noise))
    active = np.flatnonzero(levels > threshold)
    if len(active) * FRAME_S < MIN_SPEECH_S:
        return TakeReport("too_short", f"{len(active) * FRAME_S:.2f} s of speech", seconds)
    start = max(0.0, active[0] * FRAME_S - LEAD_S)
    end = min(seconds, (active[-1] + 1) * FRAME_S + TAIL_S)
    speech_rms = float(_db(np.sqrt(np.mean(frames[active] ** 2))))
    peak = float(_db(np.max(np.abs(samples[int(start * rate) : int(end * rate)]))))
    gain = min(TARGET_DBFS - speech_rms, PEAK_DBFS - peak)
    if sox_program() is None:
        return TakeReport("no_sox", "sox is not installed (Debian package sox)", seconds)
    dest.parent.mkdir(parents=True, exist_ok=True)
    _sox(
        str(src), "-b", "16", str(dest),
        "trim", f"{start:.4f}", f"={end:.4f}",
        "remix", "-",
        "gain", f"{gain:.2f}",
        "rate", "-v", str(OUT_RATE),
        "fade", "q", "0.01", "-0", "0.01",
    )  # fmt: skip
    with wave.open(str(dest), "rb") as wav:
        out_seconds = wav.getnframes() / wav.getframerate()
    return TakeReport("", "", seconds, out_seconds, speech_rms, noise, gain)
