"""Text → WAV with pyttsx3 (espeak-ng driver), safe to call from any thread, with a file cache.

pyttsx3 2.99 on Linux has four known bugs; this module works around each:

1. *Only the last of several queued utterances is produced*: one utterance per ``runAndWait``.
2. *``runAndWait`` may return before the WAV exists* (its queued ``endLoop`` ends the loop while
   espeak-ng still synthesises on its own thread): after the run we wait until the file exists,
   has a complete WAV header, its size is stable and espeak-ng reports it is idle. The file is
   written under a temporary name and renamed into the cache atomically, so a reader never sees
   half a file.
3. *Not thread-safe*: one engine per process, every call under one lock.
4. *External-loop mode crashes*: never used.

A fifth one found here: espeak-ng queues ``SetParameter`` in its own command FIFO, and pyttsx3's
``endLoop`` calls ``espeak_Cancel`` while that FIFO is non-empty, silently dropping a rate change.
So after setting voice and rate we wait until espeak-ng is idle, then check the rate took effect.

Rates: ``rate`` is a multiplier of ``BASE_WPM`` (125 words a minute, the design's default for
elderly listeners). espeak-ng cannot speak slower than 80 words a minute, so below that the
missing time is added as a pause between words (espeak-ng's word-gap parameter).

If pyttsx3 cannot start (no ``libespeak-ng``), the ``espeak-ng`` command is used instead
(``backend="cli"``, same voices, same WAV format). If neither exists the speaker is unavailable:
``available`` is False and ``problem`` says why in one sentence.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

BASE_WPM = 125
"""Words a minute at rate 1.0."""
MIN_ESPEAK_WPM = 80
"""espeak-ng clamps slower rates to this."""
MAX_ESPEAK_WPM = 450
WORD_GAP_UNIT_S = 0.031
"""Seconds one espeak-ng word-gap unit adds per word at 80 wpm (measured with espeak-ng 1.51)."""

VARIANT_VOICES: dict[str, str] = {
    "north": "vi",
    "central": "vi-vn-x-central",
    "south": "vi-vn-x-south",
}
"""Vietnamese accents and the espeak-ng voice for each (``espeak-ng --voices=vi``)."""

LANG_VOICES: dict[str, str] = {"en": "en"}
"""espeak-ng voice for languages other than Vietnamese."""

CACHE_VERSION = "2"
"""Bump when the synthesis settings change so old cache files are not reused."""

Backend = Literal["auto", "pyttsx3", "cli"]

TRAIL_KEEP_S = 0.2
"""Silence kept after the last sound of an utterance. espeak-ng ends every utterance with
about 0.5 s of silence; between the items of a prompt (title, question, menu) that added
about 15 s to a blind resident's visit (``bench/blind_visit.py``). 0.2 s still parts them."""
SILENCE_LEVEL = 300
"""A 16-bit sample quieter than this counts as silence."""


class SpeakerError(RuntimeError):
    """Synthesis failed; the message is one sentence for a technician."""


@dataclass(frozen=True, slots=True)
class Synthesis:
    """Settings of one utterance, as espeak-ng receives them."""

    voice: str
    """espeak-ng voice name, e.g. ``vi-vn-x-south``."""
    wpm: int
    """Rate passed to espeak-ng (80-450)."""
    word_gap: int
    """Extra pause between words in espeak-ng word-gap units (only below 80 words a minute)."""


def espeak_voice(lang: str = "vi", variant: str = "north") -> str:
    """The espeak-ng voice for a language and (for Vietnamese) an accent."""
    if lang == "vi":
        try:
            return VARIANT_VOICES[variant]
        except KeyError:
            raise SpeakerError(
                f"unknown voice variant {variant!r}; expected one of {sorted(VARIANT_VOICES)}"
            ) from None
    return LANG_VOICES.get(lang, lang)


def synthesis_for(rate: float, voice: str) -> Synthesis:
    """espeak-ng settings for a rate multiplier (1.0 = ``BASE_WPM``)."""
    if not 0.1 <= rate <= 4.0:
        raise SpeakerError(f"rate {rate} out of range; expected 0.1-4.0 (1.0 = {BASE_WPM} wpm)")
    target = BASE_WPM * rate
    wpm = int(round(min(max(target, MIN_ESPEAK_WPM), MAX_ESPEAK_WPM)))
    gap = 0
    if target < MIN_ESPEAK_WPM:
        # seconds per word we want minus what espeak-ng gives at its slowest, in gap units
        gap = int(round((60 / target - 60 / MIN_ESPEAK_WPM) / WORD_GAP_UNIT_S))
    return Synthesis(voice, wpm, gap)


def cache_key(text: str, lang: str, settings: Synthesis) -> str:
    """A file name for the cache: a hash of everything that changes the audio."""
    raw = "\x1f".join(
        (CACHE_VERSION, lang, settings.voice, str(settings.wpm), str(settings.word_gap), text)
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


def default_cache_dir() -> Path:
    """``<user cache dir>/hotro/speech`` (the terminal passes ``Config.cache_dir``)."""
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("hotro")) / "speech"
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return Path(tempfile.gettempdir()) / "hotro-speech"


def wav_is_complete(path: Path) -> bool:
    """True when ``path`` is a readable PCM WAV whose data length matches its header."""
    try:
        with wave.open(str(path), "rb") as wav:
            frames = wav.getnframes()
            expected = frames * wav.getsampwidth() * wav.getnchannels()
        return frames > 0 and path.stat().st_size >= expected + 44
    except (OSError, wave.Error, EOFError):
        return False


def _trim_trailing_silence(path: Path, keep_s: float = TRAIL_KEEP_S) -> None:
    """Cut the silence at the end of a 16-bit mono WAV down to ``keep_s`` seconds."""
    import array
    import sys

    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            return
        rate = w.getframerate()
        frames = w.readframes(w.getnframes())
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    last = len(samples) - 1
    while last >= 0 and abs(samples[last]) < SILENCE_LEVEL:
        last -= 1
    end = min(len(samples), last + 1 + int(keep_s * rate))
    if last < 0 or end >= len(samples):
        return
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames[: end * 2])


def _checksum_file(wav: Path) -> Path:
    return wav.with_suffix(".sha256")


def _write_checksum(tmp: Path, final: Path) -> None:
    """Keep the SHA-256 of a new cache entry beside it (written before the WAV appears)."""
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    side = _checksum_file(final)
    partial = side.with_suffix(".sha256.tmp")
    partial.write_text(digest, encoding="ascii")
    os.replace(partial, side)


def _checksum_matches(path: Path) -> bool:
    """A cached WAV is used only if it is byte for byte what was synthesised: a file damaged
    in place (same length, other samples) would otherwise be played as noise."""
    try:
        expected = _checksum_file(path).read_text(encoding="ascii").strip()
        return hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except OSError:
        return False


# ---------------------------------------------------------------- the one pyttsx3 engine

_ENGINE_LOCK = threading.Lock()
"""Serialises every use of the pyttsx3 engine and of espeak-ng's global state."""
_engine: Any = None
_engine_problem: str | None = None


def _espeak_module() -> Any:
    from pyttsx3.drivers import _espeak

    return _espeak


def _get_engine() -> Any:
    """The process-wide pyttsx3 engine (created once, under ``_ENGINE_LOCK``)."""
    global _engine, _engine_problem
    if _engine is not None:
        return _engine
    if _engine_problem is not None:
        raise SpeakerError(_engine_problem)
    try:
        import pyttsx3
        import pyttsx3.drivers.espeak as espeak_driver

        # The driver prints "Audio saved to ..." on stdout after every file; silence it here
        # (a module-level name shadows the builtin for that module only).
        espeak_driver.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]
        _engine = pyttsx3.init(driverName="espeak")
    except Exception as exc:  # ImportError, OSError (no libespeak-ng), RuntimeError
        _engine_problem = f"pyttsx3 with espeak-ng cannot start: {exc}"
        raise SpeakerError(_engine_problem) from None
    atexit.register(_drop_engine)
    return _engine


def _drop_engine() -> None:
    """Release the engine while the interpreter is still whole: pyttsx3's ``__del__`` run at
    shutdown, after module globals are cleared, prints an ``AttributeError`` traceback."""
    global _engine
    # never wait long: a daemon thread may be stopped mid-synthesis holding the lock
    if _ENGINE_LOCK.acquire(timeout=1.0):
        try:
            _engine = None
        finally:
            _ENGINE_LOCK.release()


_known_voices: frozenset[str] | None = None


def _voice_names(engine: Any) -> frozenset[str]:
    """Every name espeak-ng accepts for a voice (``vi``, ``aav/vi``, ``vi-vn-x-south``...)."""
    global _known_voices
    if _known_voices is None:
        names: set[str] = set()
        for voice in engine.getProperty("voices"):
            names.add(voice.id)
            names.add(voice.id.rsplit("/", 1)[-1])
            names.add(str(voice.name))
            names.add(str(voice.name).replace(" ", "_"))
        _known_voices = frozenset(names)
    return _known_voices


def _wait_idle(espeak: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while espeak.IsPlaying():
        if time.monotonic() > deadline:
            espeak.Cancel()
            raise SpeakerError("espeak-ng stayed busy; synthesis was cancelled")
        time.sleep(0.002)


def _wait_for_file(path: Path, espeak: Any, timeout: float) -> None:
    """Until ``path`` is a complete WAV, its size stable over two polls and espeak-ng idle."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size > 44 and size == last and not espeak.IsPlaying() and wav_is_complete(path):
            return
        last = size
        time.sleep(0.01)
    raise SpeakerError(f"pyttsx3 did not write {path.name} within {timeout:.0f} s")


def _synthesize_pyttsx3(text: str, settings: Synthesis, out: Path) -> None:
    with _ENGINE_LOCK:
        engine = _get_engine()
        espeak = _espeak_module()
        _wait_idle(espeak, 5.0)
        # espeak-ng accepts an unknown voice name silently in this mode: check it ourselves
        if settings.voice.lower() not in {v.lower() for v in _voice_names(engine)}:
            raise SpeakerError(f"espeak-ng has no voice {settings.voice!r}")
        try:
            engine.setProperty("voice", settings.voice)
        except ValueError as exc:
            raise SpeakerError(f"espeak-ng has no voice {settings.voice!r}: {exc}") from None
        engine.setProperty("rate", settings.wpm)
        espeak.SetParameter(7, settings.word_gap, 0)  # espeakWORDGAP (pyttsx3 has no property)
        _wait_idle(espeak, 5.0)
        if engine.getProperty("rate") != settings.wpm:
            # the queued property was not applied (see module doc): set it on the driver itself
            from pyttsx3.drivers.espeak import EspeakDriver

            EspeakDriver.setProperty("rate", settings.wpm)
            _wait_idle(espeak, 5.0)
            if engine.getProperty("rate") != settings.wpm:
                raise SpeakerError(f"espeak-ng did not accept rate {settings.wpm} wpm")
        engine.save_to_file(text, str(out))
        engine.runAndWait()
        try:
            _wait_for_file(out, espeak, timeout=5.0 + 0.05 * len(text))
        except SpeakerError:
            espeak.Cancel()  # a lost utterance must not leave espeak-ng busy for the next one
            raise


def _synthesize_cli(text: str, settings: Synthesis, out: Path, program: str) -> None:
    cmd = [program, "-v", settings.voice, "-s", str(settings.wpm), "-g", str(settings.word_gap)]
    cmd += ["-w", str(out), "--stdin"]
    try:
        proc = subprocess.run(
            cmd, input=text.encode("utf-8"), capture_output=True, timeout=30 + 0.3 * len(text)
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpeakerError(f"{program} failed: {exc}") from None
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0 or not wav_is_complete(out):
        raise SpeakerError(f"{program} failed (exit {proc.returncode}): {stderr or 'no output'}")
    if stderr:  # espeak-ng reports an unknown voice on stderr but still exits 0
        raise SpeakerError(f"{program}: {stderr.splitlines()[0]}")


class Speaker:
    """Synthesises text to cached WAV files (16-bit mono PCM, 22050 Hz).

    One instance per user of speech is fine: all instances share the one pyttsx3 engine and its
    lock. ``synthesize`` blocks while espeak-ng works (call it from a worker thread).
    """

    def __init__(
        self,
        cache_dir: Path | None = None,
        backend: Backend = "auto",
        espeak_program: str = "espeak-ng",
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.requested_backend = backend
        self._program = espeak_program
        self.backend: Literal["pyttsx3", "cli", "none"] = "none"
        self.problem = ""
        """Why speech is unavailable (empty when available)."""
        self._choose_backend()

    def _choose_backend(self) -> None:
        problems = []
        if self.requested_backend in ("auto", "pyttsx3"):
            try:
                with _ENGINE_LOCK:
                    _get_engine()
                self.backend = "pyttsx3"
                return
            except SpeakerError as exc:
                problems.append(str(exc))
        if self.requested_backend in ("auto", "cli"):
            program = shutil.which(self._program)
            if program:
                self._program = program
                self.backend = "cli"
                if problems:
                    log.warning("speech: %s; using the %s command instead", problems[0], program)
                return
            problems.append(f"the {self._program} command is not installed or not on PATH")
        self.problem = "; ".join(problems) + " (install the Debian package espeak-ng)"

    @property
    def available(self) -> bool:
        return self.backend != "none"

    def cache_path(
        self, text: str, lang: str = "vi", variant: str = "north", rate: float = 1.0
    ) -> Path:
        settings = synthesis_for(rate, espeak_voice(lang, variant))
        return self.cache_dir / f"{cache_key(text, lang, settings)}.wav"

    def synthesize(
        self, text: str, lang: str = "vi", variant: str = "north", rate: float = 1.0
    ) -> Path:
        """The cached WAV for ``text`` (synthesised now if missing). Raises SpeakerError."""
        if not self.available:
            raise SpeakerError(f"speech is unavailable: {self.problem}")
        if not text.strip():
            raise SpeakerError("nothing to say: the text is empty")
        settings = synthesis_for(rate, espeak_voice(lang, variant))
        final = self.cache_dir / f"{cache_key(text, lang, settings)}.wav"
        if final.exists() and wav_is_complete(final) and _checksum_matches(final):
            return final
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".synth-", suffix=".wav", dir=self.cache_dir)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # pyttsx3 writes the file itself; its absence tells us when it is done
        try:
            if self.backend == "pyttsx3":
                try:
                    _synthesize_pyttsx3(text, settings, tmp)
                except SpeakerError as exc:
                    program = shutil.which(self._program)
                    if program is None or "did not write" not in str(exc):
                        raise
                    # pyttsx3 lost the utterance: say it with the espeak-ng command instead
                    log.warning("speech: %s; retrying with %s", exc, program)
                    with contextlib.suppress(OSError):
                        tmp.unlink()
                    _synthesize_cli(text, settings, tmp, program)
            else:
                _synthesize_cli(text, settings, tmp, self._program)
            _trim_trailing_silence(tmp)
            _write_checksum(tmp, final)
            os.replace(tmp, final)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return final

    def to_file(
        self, text: str, out: Path, lang: str = "vi", variant: str = "north", rate: float = 1.0
    ) -> Path:
        """Synthesise (through the cache) and copy the WAV to ``out``."""
        cached = self.synthesize(text, lang, variant, rate)
        out = Path(out)
        if out.parent != Path(""):
            out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, out)
        return out
