"""Text → WAV with pyttsx3 (espeak-ng driver), safe to call from any thread, with a file cache.

pyttsx3 2.99 on Linux has four known bugs; this module works around each:

1. *Only the last of several queued utterances is produced*: one utterance per ``runAndWait``.
2. *``runAndWait`` may return before the WAV exists* (its queued ``endLoop`` ends the loop while
   espeak-ng still synthesises on its own thread): after the run we wait until the file exists,
   has a complete WAV header, its size is stable and espeak-ng reports it is idle. The file is
   written under a temporary name and renamed into the cache atomically, so a reader never sees
   half a file.
3. *Not thread-safe*: one engine, one request at a time.
4. *External-loop mode crashes*: never used.

A fifth one found here: espeak-ng queues ``SetParameter`` in its own command FIFO, and pyttsx3's
``endLoop`` calls ``espeak_Cancel`` while that FIFO is non-empty, silently dropping a rate change.
So after setting voice and rate we wait until espeak-ng is idle, then check the rate took effect.

A sixth: libespeak-ng, run inside the caller's process by pyttsx3, once ended a whole test run
with a segmentation fault. So the engine runs in a child process (``voices.synth_worker``,
driven by ``SynthWorker``): if it dies or hangs, that utterance is said by the ``espeak-ng``
command and the next one starts a new worker. The terminal itself never loads libespeak-ng.

A seventh, in the fifth's check: pyttsx3 binds ``espeak_GetParameter`` without its ``current``
argument, so its ``getProperty("rate")`` returns espeak-ng's default (175) whenever the register
for that argument holds 0. The worker reads the rate with a binding of its own
(``voices.synth_worker.current_rate``), waiting up to a second for the FIFO; a rate not taken
is a lost utterance, said by the ``espeak-ng`` command.

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
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
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


# ---------------------------------------------------------------- the pyttsx3 worker process


class SynthWorker:
    """The pyttsx3 engine, in a child process (``voices.synth_worker``), one request at a time.

    A crash of libespeak-ng ends that child, never the terminal: the request in flight fails
    with ``WorkerLost`` (the caller says it with the ``espeak-ng`` command) and the next request
    starts a new worker. Thread-safe; all ``Speaker`` objects share one worker.
    """

    START_TIMEOUT_S = 20.0
    REPLY_TIMEOUT_S = 10.0
    """Longest wait for one answer, plus 0.1 s a character (a healthy answer takes ~30 ms)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        """How many worker processes were started (1 in a healthy run)."""

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "voices.synth_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                start_new_session=True,  # a Ctrl-C meant for the terminal is the terminal's
            )
        except OSError as exc:
            raise SpeakerError(f"the pyttsx3 worker cannot start: {exc}") from None
        self.starts += 1
        reply = self._read(proc, self.START_TIMEOUT_S)
        if reply is None or not reply.get("ready"):
            why = reply.get("error") if reply else self._ended(proc)
            self._kill(proc)
            raise SpeakerError(str(why or "pyttsx3 with espeak-ng cannot start"))
        return proc

    @staticmethod
    def _read(proc: subprocess.Popen[bytes], timeout: float) -> dict[str, Any] | None:
        """One reply line, or None if the worker ended or said nothing in time."""
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = proc.stdout.readline()
        if not line:
            return None
        try:
            reply = json.loads(line)
        except ValueError:
            return None
        return reply if isinstance(reply, dict) else None

    @staticmethod
    def _ended(proc: subprocess.Popen[bytes]) -> str:
        try:
            code = proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return "the pyttsx3 worker stopped answering (it was ended)"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the pyttsx3 worker was ended by {name}"
        return f"the pyttsx3 worker exited with status {code}"

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=2.0)
        for pipe in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()

    def _running(self) -> subprocess.Popen[bytes]:
        """The live worker, started anew if there is none (under ``_lock``)."""
        if self._proc is not None and self._proc.poll() is not None:
            log.warning("speech: %s; starting a new one", self._ended(self._proc))
            self._kill(self._proc)
            self._proc = None
        if self._proc is None:
            self._proc = self._start()
        return self._proc

    def ensure_started(self) -> None:
        """Start the worker now if none runs (raises SpeakerError with the reason)."""
        with self._lock:
            self._running()

    def synthesize(self, text: str, settings: Synthesis, out: Path) -> None:
        request = {
            "text": text,
            "voice": settings.voice,
            "wpm": settings.wpm,
            "word_gap": settings.word_gap,
            "out": str(out),
        }
        line = (json.dumps(request) + "\n").encode("ascii")
        with self._lock:
            proc = self._running()
            assert proc.stdin is not None
            try:
                proc.stdin.write(line)
                proc.stdin.flush()
            except OSError:
                pass  # it died between requests: _read sees the end and says why
            reply = self._read(proc, self.REPLY_TIMEOUT_S + 0.1 * len(text))
            if reply is None:
                why = self._ended(proc)  # before the kill, so a crash is told from a hang
                self._kill(proc)
                self._proc = None
                raise WorkerLost(why)
        if reply.get("ok"):
            return
        error = str(reply.get("error") or "the pyttsx3 worker failed")
        raise WorkerLost(error) if reply.get("lost") else SpeakerError(error)

    def close(self) -> None:
        """End the worker (it also ends by itself when the terminal's end of its pipe closes)."""
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            proc.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            self._kill(proc)
        if proc.stdout is not None:
            proc.stdout.close()


class WorkerLost(SpeakerError):
    """The utterance was lost (the worker died, hung, or pyttsx3 never wrote the file)."""


_WORKER = SynthWorker()
atexit.register(_WORKER.close)


def worker_pid() -> int | None:
    """The speech worker's process id while it runs (benches add its memory to the
    terminal's)."""
    return _WORKER.pid


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
                _WORKER.ensure_started()
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
                    _WORKER.synthesize(text, settings, tmp)
                except WorkerLost as exc:
                    program = shutil.which(self._program)
                    if program is None:
                        raise
                    # pyttsx3 lost the utterance or its process died: say it with the
                    # espeak-ng command instead (the next utterance starts a new worker)
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
